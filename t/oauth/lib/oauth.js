// SPDX-License-Identifier: Apache-2.0
// Shared harness of the OAuth layer (t/oauth/*.test.js): a real httpd with the module
// (t/browser/lib/httpd.js) wired to real identity providers on loopback (t/peers/), and a
// scripted "browser" for mod_nextauth: a cookie jar, CSRF, POST signin/<id>, the peer's
// login (t/peers/oidc-client.mjs loginThrough) and the callback, each timed.
'use strict';

const assert = require('node:assert/strict');
const net = require('node:net');
const { startHttpd, badLogLines, REPO_ROOT, OUTPUT_DIR, neverLoggedResponse, neverLoggedUrl } =
    require('../../browser/lib/httpd');

const SESSION = 'next-auth.session-token';
const CHECK_COOKIE = /^next-auth\.(state|pkce\.code_verifier|nonce)(\.[0-9a-f]{8})?$/;

// The module's log numbers for outbound failures (peer down, bad answers, a refused
// callback, a failed discovery): [error] lines that a bad-input test expects.
const OUTBOUND_LOGNOS = [ /NA00030/, /NA00032/, /NA00166/];

let peersModule = null;
/** t/peers/oidc-client.mjs (ESM): { startPeer, loginThrough, logoutThrough, CookieJar }. */
async function peers() {
    if (!peersModule) peersModule = await import('../../peers/oidc-client.mjs');
    return peersModule;
}

/** A free loopback port (nothing listens on it afterwards: "connection refused"). */
function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One process with enough threads, so the per-process discovery/JWKS caches and the JWKS
// refetch throttle are observable from outside (event MPM would otherwise start up to
// three children to meet MinSpareThreads).
const ONE_PROCESS = [
    'ServerLimit 1',
    'ThreadsPerChild 32',
    'MaxRequestWorkers 32',
    'MinSpareThreads 1',
    'MaxSpareThreads 32',
].join('\n');

// Peers still running when this process exits (a test that threw before its after hook)
// are killed, so no peer outlives the run.
const livePeers = new Set();
process.on('exit', () => {
    for (const peer of livePeers) {
        try { peer.child.kill('SIGKILL'); } catch (_) { /* already gone */ }
    }
});

/**
 * Start peers and an httpd that knows them. The httpd port is picked first, since the
 * OpenID provider must register the redirect URIs (callback/<id> on that port).
 * opts.peers: { name: { kind: 'oidc'|'github', args: (httpdUrl) => [...] } }
 * opts.providers: (peerUrls, httpdUrl) => [NextAuthProvider argument lines]
 * opts.extraConf, opts.files, opts.modules, opts.name: passed to startHttpd.
 * Resolves { httpd, peers: {name: peer}, base, stop() → error log text }.
 */
async function startStack(opts) {
    const { startPeer } = await peers();
    for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        const httpdUrl = `http://127.0.0.1:${port}`;
        const started = {};
        try {
            await Promise.all(Object.entries(opts.peers || {}).map(async ([name, spec]) => {
                const peer = await startPeer(spec.kind, spec.args ? spec.args(httpdUrl) : []);
                livePeers.add(peer);
                peer.child.once('exit', () => livePeers.delete(peer));
                started[name] = peer;
            }));
            const urls = Object.fromEntries(Object.entries(started).map(([k, v]) => [k, v.url]));
            const extra = opts.extraConf;
            const httpd = await startHttpd({
                name: opts.name,
                port,
                providers: opts.providers(urls, httpdUrl),
                modules: opts.modules,
                files: opts.files,
                extraConf: (ctx) => [ONE_PROCESS,
                    (typeof extra === 'function' ? extra(ctx) : extra) || ''].join('\n'),
            });
            let stopped = null;
            return {
                httpd,
                peers: started,
                base: `${httpd.url}/api/auth`,
                stop: () => {
                    stopped = stopped || (async () => {
                        const log = await httpd.stop(opts.name);
                        await Promise.all(Object.values(started).map((p) => p.stop()));
                        return log;
                    })();
                    return stopped;
                },
            };
        } catch (err) {
            await Promise.all(Object.values(started).map((p) => p.stop()));
            if (!err.addrInUse || attempt >= 5) throw err;
        }
    }
}

// ---- the peers' test API ------------------------------------------------------------------

async function peerApi(peer, method, path, body) {
    const res = await fetch(`${peer.url}/__test/${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10000),
    });
    const json = await res.json();
    assert.equal(res.status, 200, `${method} /__test/${path}: ${JSON.stringify(json)}`);
    return json;
}

/** Set switches (e.g. { token: 'hang', seconds: 30 }); null/'off' clears one. */
const setMode = (peer, changes) => peerApi(peer, 'POST', 'mode', changes);
/** Clear all switches and counters. */
const resetPeer = (peer) => peerApi(peer, 'POST', 'reset');
/** { counts: {endpoint: n}, last: {endpoint: {...}} } */
const peerStats = (peer) => peerApi(peer, 'GET', 'stats');
/** oidc only: a new current signing key (the old ones stay published). */
const rotateKey = (peer) => peerApi(peer, 'POST', 'rotate');

// ---- a scripted browser for mod_nextauth ---------------------------------------------------

/**
 * One user agent talking to mod_nextauth (its own cookie jar) and to the identity providers
 * (a separate CookieJar, as a browser keeps per-site cookies).
 */
class Agent {
    constructor(base) {
        this.base = base;
        this.origin = new URL(base).origin;
        this.cookies = new Map();       // name -> value, for the httpd origin
        this.idpJar = null;             // CookieJar for the peers (made lazily)
    }

    cookieHeader() {
        return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }

    store(setCookies) {
        for (const line of setCookies) {
            const [pair, ...attrs] = line.split(';');
            const eq = pair.indexOf('=');
            if (eq <= 0) continue;
            const name = pair.slice(0, eq).trim();
            const value = pair.slice(eq + 1).trim();
            const gone = attrs.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a))
                || attrs.some((a) => /^\s*expires\s*=/i.test(a)
                    && Date.parse(a.split('=').slice(1).join('=')) < Date.now());
            if (gone || value === '') this.cookies.delete(name); else this.cookies.set(name, value);
        }
    }

    /** Names of the check cookies (state/pkce/nonce, with or without a tag) held now. */
    checkCookies() {
        return [...this.cookies.keys()].filter((n) => CHECK_COOKIE.test(n)).sort();
    }

    hasSession() {
        return [...this.cookies.keys()].some((n) => n === SESSION || n.startsWith(`${SESSION}.`));
    }

    /**
     * One request to mod_nextauth, no redirects followed. Resolves
     * { status, location, setCookies, headers, body, ms }. opts: method, form (object or
     * URLSearchParams), cookie (override the jar's header; '' for none), keep (false: do not
     * store the answer's cookies), timeoutMs.
     */
    async request(url, opts = {}) {
        const target = new URL(url, this.origin).href;
        const headers = { 'user-agent': 'mod_nextauth-tests/oauth', ...(opts.headers || {}) };
        const cookie = opts.cookie !== undefined ? opts.cookie : this.cookieHeader();
        if (cookie) headers.cookie = cookie;
        let body;
        if (opts.form) {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            body = new URLSearchParams(opts.form).toString();
        }
        const t0 = Date.now();
        const method = opts.method || (opts.form ? 'POST' : 'GET');
        const send = () => fetch(target, {
            method,
            headers,
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(opts.timeoutMs || 30000),
        });
        let res;
        try {
            res = await send();
        } catch (err) {
            // httpd closes an idle keep-alive connection after KeepAliveTimeout; a request
            // that undici put on it at that moment fails before httpd saw it. Safe to repeat
            // only for GET and HEAD.
            const socket = err.cause && /UND_ERR_SOCKET|ECONNRESET|EPIPE/.test(
                `${err.cause.code} ${err.cause.message}`);
            if (!socket || !['GET', 'HEAD'].includes(method)) throw err;
            res = await send();
        }
        const text = await res.text();
        const ms = Date.now() - t0;
        const setCookies = res.headers.getSetCookie();
        if (opts.keep !== false) this.store(setCookies);
        const location = res.headers.get('location');
        // What the module handed out, and the code or token this request carried, must
        // never show in its log (t/browser/lib/leaks.js).
        neverLoggedResponse({ setCookies, location, body: text });
        neverLoggedUrl(target, 'request');
        return {
            status: res.status,
            location: location ? new URL(location, target).href : null,
            setCookies,
            headers: Object.fromEntries(res.headers),
            body: text,
            ms,
        };
    }

    async csrf() {
        const res = await this.request(`${this.base}/csrf`);
        assert.equal(res.status, 200, res.body);
        return JSON.parse(res.body).csrfToken;
    }

    /**
     * POST signin/<id> with a fresh CSRF token. Resolves the response, plus `authorizeUrl`
     * (its Location when that leaves for the provider) and `state`.
     */
    async signin(id, { callbackUrl, json, query = '', csrfToken } = {}) {
        const form = { csrfToken: csrfToken || await this.csrf() };
        if (callbackUrl) form.callbackUrl = callbackUrl;
        if (json) form.json = 'true';
        const res = await this.request(`${this.base}/signin/${id}${query}`, { form });
        let url = res.location;
        if (json && res.status === 200) url = JSON.parse(res.body).url;
        res.authorizeUrl = url && !url.startsWith(this.base) ? url : null;
        res.state = res.authorizeUrl ? new URL(res.authorizeUrl).searchParams.get('state') : null;
        return res;
    }

    /** The provider's login as `username`: the redirect back to callback/<id>, not followed. */
    async login(authorizeUrl, username = 'alice') {
        const { loginThrough, CookieJar } = await peers();
        if (!this.idpJar) this.idpJar = new CookieJar();
        return loginThrough(authorizeUrl, { username, cookieJar: this.idpJar });
    }

    /** Sign in through provider `id` as `username`, up to (not including) the callback. */
    async toCallback(id, username = 'alice', signinOpts = {}) {
        const s = await this.signin(id, signinOpts);
        assert.equal(s.status, 302, `signin/${id}: ${s.status} ${s.location} ${s.body}`);
        assert.ok(s.authorizeUrl, `signin/${id} went to ${s.location}`);
        return { signin: s, callback: await this.login(s.authorizeUrl, username) };
    }

    /** The whole sign-in: resolves the callback's response. */
    async signInAs(id, username = 'alice', signinOpts = {}) {
        const { callback } = await this.toCallback(id, username, signinOpts);
        return this.request(callback);
    }

    async session() {
        const res = await this.request(`${this.base}/session`);
        assert.equal(res.status, 200, res.body);
        return JSON.parse(res.body);
    }
}

/** A session cookie with a value among the Set-Cookie lines? */
function setsSession(setCookies) {
    return setCookies.some((line) => {
        const m = /^([^=;]+)=([^;]*)/.exec(line);
        return m && (m[1] === SESSION || m[1].startsWith(`${SESSION}.`)) && m[2] !== '';
    });
}

/**
 * Assert a failed sign-in step: a 302 to {base}/signin?error=<code>, no session cookie set,
 * answered within `withinMs`.
 */
function assertFailed(res, base, code, { withinMs = 5000 } = {}) {
    assert.equal(res.status, 302, `status ${res.status}: ${res.body.slice(0, 300)}`);
    assert.equal(res.location, `${base}/signin?error=${code}`);
    assert.ok(!setsSession(res.setCookies), `a session cookie was set: ${res.setCookies}`);
    assert.ok(res.ms < withinMs, `answered in ${res.ms} ms (limit ${withinMs})`);
}

/** Assert a successful callback: 302 to `to`, a session cookie set. */
function assertSignedIn(res, to) {
    assert.equal(res.status, 302, `status ${res.status}: ${res.body.slice(0, 300)}`);
    assert.equal(res.location, to);
    assert.ok(setsSession(res.setCookies), `no session cookie: ${res.setCookies}`);
}

/** Replace (or add, or with value null remove) query parameters of a URL. */
function withParams(url, changes) {
    const u = new URL(url);
    for (const [k, v] of Object.entries(changes)) {
        if (v === null) u.searchParams.delete(k); else u.searchParams.set(k, v);
    }
    return u.href;
}

/** The tag of a flow's check cookies: the first 8 hex of SHA-256(state). */
function tagOf(state) {
    return require('node:crypto').createHash('sha256').update(state).digest('hex').slice(0, 8);
}

module.exports = {
    startStack, peers, freePort, sleep, setMode, resetPeer, peerStats, rotateKey,
    Agent, assertFailed, assertSignedIn, setsSession, withParams, tagOf, badLogLines,
    OUTBOUND_LOGNOS, SESSION, CHECK_COOKIE, REPO_ROOT, OUTPUT_DIR,
};
