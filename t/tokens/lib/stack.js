// SPDX-License-Identifier: Apache-2.0
// Shared harness of the token layer (t/tokens/*.test.js): a private redis-server, the real
// OpenID Provider (t/peers/oidc.mjs: short access tokens, refresh-token rotation,
// introspection, group claims), the echoing backend (t/peers/backend.mjs) behind mod_proxy,
// and one or two real httpds with the module sharing one secret (and the Redis). The
// scripted browser is t/oauth/lib/oauth.js's Agent.
'use strict';

const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { startHttpd, badLogLines, neverLoggedResponse } = require('../../browser/lib/httpd');
const { peers, freePort, sleep, Agent, SESSION } = require('../../oauth/lib/oauth');

const REDIS = process.env.NA_REDIS_SERVER || '/usr/bin/redis-server';
const REDIS_CLI = process.env.NA_REDIS_CLI || '/usr/bin/redis-cli';
const CLIENT = { id: 'app', secret: 'tokens-test-client-secret' };
const INTROSPECTOR = { id: 'resource-server', secret: 'tokens-test-rs-secret' };
// mod_authz_user for `Require valid-user`; mod_proxy for the backend.
const BASE_MODULES = [['authz_user_module', 'mod_authz_user.so'], ['proxy_module', 'mod_proxy.so'],
    ['proxy_http_module', 'mod_proxy_http.so']];
const REDIS_MODULE = ['socache_redis_module', 'mod_socache_redis.so'];
const CGI_MODULES = [['cgid_module', 'mod_cgid.so'], ['alias_module', 'mod_alias.so']];

// Lines no run may show, whatever else a fault test allows: a crashed child, a sanitizer.
const CRASH = /child pid \d+ exit signal|Segmentation fault|AddressSanitizer|Assertion.*failed/;

function canConnect(port) {
    return new Promise((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
        s.on('error', () => resolve(false));
    });
}

/** A redis-server of our own on a free port, in a temp dir; stopped by its PID. */
async function startRedis() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'na-tokens-redis-'));
    const port = await freePort();
    const proc = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
        '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (c) => { out += c; });
    proc.stderr.on('data', (c) => { out += c; });
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    for (let i = 0; i < 100 && proc.exitCode === null; i++) {
        if (await canConnect(port)) {
            const cli = (...args) => execFileSync(REDIS_CLI, ['-p', String(port), ...args], { encoding: 'utf8' });
            return {
                port,
                cli,
                /** Keys matching a glob (redis-cli --scan). */
                keys: (pattern = '*') => cli('--scan', '--pattern', pattern).split('\n').filter(Boolean),
                stop: async () => {
                    if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, 'SIGTERM');
                    await exited;
                    fs.rmSync(dir, { recursive: true, force: true });
                },
            };
        }
        await sleep(50);
    }
    if (proc.exitCode === null) process.kill(proc.pid, 'SIGKILL');
    throw new Error(`redis-server did not start on ${port}:\n${out}`);
}

// Peers still running when this process exits (a test that threw before its after hook).
const live = new Set();
process.on('exit', () => {
    for (const p of live) {
        try { p.child.kill('SIGKILL'); } catch (_) { /* already gone */ }
    }
});

async function startPeer(kind, args) {
    const { startPeer: start } = await peers();
    const peer = await start(kind, args);
    live.add(peer);
    peer.child.once('exit', () => live.delete(peer));
    return peer;
}

/** The OP, with the test client registered for callback/<id> on every host port. */
function startOp({ ports, ids = ['oidc'], args = [] }) {
    const redirects = ports.flatMap((port) => ids.flatMap((id) =>
        ['--redirect-uri', `http://127.0.0.1:${port}/api/auth/callback/${id}`]));
    return startPeer('oidc', ['--client-id', CLIENT.id, '--client-secret', CLIENT.secret, ...redirects,
        '--introspector', `${INTROSPECTOR.id}:${INTROSPECTOR.secret}`, ...args]);
}

function startBackend(op) {
    const args = op ? ['--issuer', op.url, '--client-id', INTROSPECTOR.id, '--client-secret', INTROSPECTOR.secret] : [];
    return startPeer('backend', args);
}

/** A provider line for the test client at `op`. */
const providerLine = (id, op, extra = '') =>
    `${id} type=oidc name="${id}" issuer=${op.url} clientId=${CLIENT.id} clientSecret=${CLIENT.secret} ${extra}`.trim();

// A CGI that prints the environment the module gives it (NEXTAUTH_CLAIM_*, REMOTE_USER,
// HTTP_* copies of what the client sent), one VAR=value a line.
const ENV_CGI = '#!/bin/sh\nprintf "Content-Type: text/plain\\n\\n"\n'
    + "env | grep -E '^(NEXTAUTH_|REMOTE_USER=|HTTP_X_NEXTAUTH|HTTP_AUTHORIZATION)' | sort\n";

/** Writes the env CGI into <dir>/cgi/ (executable) and returns its config block. */
function cgiConf(dir, location, directives) {
    const cgiDir = path.join(dir, 'cgi');
    fs.mkdirSync(cgiDir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(cgiDir, 'env.cgi'), ENV_CGI, { mode: 0o755 });
    return [
        `ScriptSock ${JSON.stringify(path.join(dir, 'run', 'cgid.sock'))}`,
        `ScriptAlias ${location}/ ${JSON.stringify(`${cgiDir}/`)}`,
        `<Location ${location}>`, ...directives.map((d) => `    ${d}`), '</Location>',
    ].join('\n');
}

const EXPOSE = /^\s*NextAuthSession\s+.*\bexpose=.*$/m;

/**
 * One httpd; `conf` is its extra configuration text (or a function of { dir, … }). When
 * this build refuses `NextAuthSession expose=` (another part of issue 12, which may land
 * later), the host starts without that line and says so in `host.exposeMissing`, so that
 * only the tests that read GET session's new keys fail, with that reason.
 */
async function startHost({ name, port, secret, providers, modules = [], conf, files }) {
    const text = (ctx) => (typeof conf === 'function' ? conf(ctx) : conf) || '';
    const start = (filter) => startHttpd({
        name, port, secret, providers, files,
        modules: [...BASE_MODULES, ...modules],
        logLevel: 'warn nextauth:info',
        extraConf: (ctx) => filter(text(ctx)),
    });
    try {
        const host = await start((t) => t);
        host.exposeMissing = null;
        return host;
    } catch (err) {
        if (!/NextAuthSession/.test(err.message) || !/expose/.test(err.message)) throw err;
        const host = await start((t) => t.replace(EXPOSE, '# NextAuthSession expose=… refused by this build'));
        host.exposeMissing = `this build refuses NextAuthSession expose=: ${
            (/^.*expose.*$/m.exec(err.message) || [''])[0].trim()}`;
        return host;
    }
}

/** Fails the calling test when the host runs without NextAuthSession expose=. */
function needExpose(host) {
    assert.equal(host.exposeMissing, null, host.exposeMissing);
}

/** Parses a GET session answer; asserts 200. */
async function sessionOf(agent, host) {
    const res = await agent.request(`${host.url}/api/auth/session`);
    assert.equal(res.status, 200, res.body);
    return JSON.parse(res.body);
}

// What a browser's navigation sends. fetch() always says Sec-Fetch-Mode: cors, which the
// module rightly takes for an API client (401, not a redirect), so pages are fetched with
// node:http.
const NAVIGATION = {
    accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document',
    'user-agent': 'mod_nextauth-tests/tokens',
};

/**
 * GET `url` as a browser tab of `agent` would (its cookies, a navigation's headers, which
 * `headers` may override or, with a null value, drop); stores the answer's cookies in the
 * agent. Resolves { status, location, headers, body, ms }.
 */
function navigate(agent, url, headers = {}) {
    const all = { ...NAVIGATION, ...headers };
    const cookie = agent.cookieHeader();
    if (cookie) all.cookie = cookie;
    for (const [k, v] of Object.entries(all)) if (v === null) delete all[k];
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
        const req = http.get(url, { headers: all, agent: false, timeout: 30000 }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c) => { body += c; });
            res.on('end', () => {
                const setCookies = [].concat(res.headers['set-cookie'] || []);
                agent.store(setCookies);
                const location = res.headers.location ? new URL(res.headers.location, url).href : null;
                neverLoggedResponse({ setCookies, location, body });
                resolve({ status: res.statusCode, location, setCookies, headers: res.headers, body, ms: Date.now() - t0 });
            });
        });
        req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in 30 s`)));
        req.on('error', reject);
    });
}

/**
 * GET a proxied path as `agent` on `host` (a browser navigation unless `headers` say
 * otherwise, e.g. accept: application/json); resolves the response plus `echo` (the
 * backend's JSON, or null when the backend did not answer). The bearer token the backend
 * saw is registered as a value no log may show.
 */
async function viaProxy(agent, host, pathname, headers = {}) {
    const res = await navigate(agent, `${host.url}${pathname}`, headers);
    res.echo = null;
    if (res.status === 200 && /^application\/json/.test(res.headers['content-type'] || '')) {
        try { res.echo = JSON.parse(res.body); } catch (_) { /* not the backend's */ }
    }
    if (res.echo && res.echo.bearer) host.neverLogged(res.echo.bearer, 'access token at the backend');
    return res;
}

/** A new Agent holding the same cookies as `agent` (another tab of the same browser). */
function tabOf(agent, base) {
    const tab = new Agent(base || agent.base);
    for (const [k, v] of agent.cookies) tab.cookies.set(k, v);
    return tab;
}

/**
 * The session id (`sid` of the JWT payload) of an agent's session cookie, read with
 * next-auth's own decoder and the host's secret.
 */
async function sidOf(agent, host) {
    const { decode } = require('next-auth/jwt');
    const chunks = [...agent.cookies].filter(([k]) => k === SESSION || k.startsWith(`${SESSION}.`))
        .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    assert.ok(chunks.length > 0, 'a session cookie');
    const token = chunks.map(([, v]) => v).join('');
    const payload = await decode({ token, secret: host.secret });
    assert.ok(payload, 'the session cookie opens with next-auth\'s decoder and the secret');
    return payload.sid;
}

/**
 * The Redis keys naming session `sid`. mod_socache_redis writes a key as its prefix plus the
 * hex of the bytes it was given (nextauth-token:74… for "t<sid>"), so the sid shows
 * hex-encoded; a key holding the sid as is counts too.
 */
function keysOfSid(redis, sid) {
    const hex = Buffer.from(sid).toString('hex');
    return [...new Set([...redis.keys(`*${sid}*`), ...redis.keys(`*${hex}*`)])];
}

/** The OP's test API. */
async function opApi(op, method, what, body) {
    const res = await fetch(`${op.url}/__test/${what}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10000),
    });
    const json = await res.json();
    assert.equal(res.status, 200, `${method} /__test/${what}: ${JSON.stringify(json)}`);
    return json;
}
const op = {
    mode: (peer, changes) => opApi(peer, 'POST', 'mode', changes),
    reset: (peer) => opApi(peer, 'POST', 'reset'),
    stats: (peer) => opApi(peer, 'GET', 'stats'),
    revoke: (peer, sub) => opApi(peer, 'POST', 'revoke', { sub }),
};

/** Waits until Date.now() reaches `when` (ms). */
async function until(when) {
    const left = when - Date.now();
    if (left > 0) await sleep(left);
}

/** Assert "send the user to sign in": a 302 to the sign-in page. */
function assertToSignIn(res, host, what) {
    assert.equal(res.status, 302, `${what}: ${res.status} ${res.location} ${res.body.slice(0, 200)}`);
    assert.ok(res.location.startsWith(`${host.url}/api/auth/signin`), `${what}: to ${res.location}`);
    assert.equal(res.echo, null, `${what}: the backend was not asked`);
}

module.exports = {
    startRedis, startOp, startBackend, startHost, providerLine, cgiConf, sessionOf, viaProxy, navigate,
    tabOf, sidOf, keysOfSid, op, until, needExpose, assertToSignIn, freePort, sleep, Agent, SESSION, CLIENT, INTROSPECTOR,
    REDIS_MODULE, CGI_MODULES, CRASH, badLogLines,
};
