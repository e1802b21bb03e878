// SPDX-License-Identifier: Apache-2.0
// Harness of the revocation layer (t/revoke/*.test.js, issue 13): on top of the token
// layer's stack (t/tokens/lib/stack.js: a private Redis, the real oidc-provider, the echoing
// backend, real httpds sharing one secret), the OP with back-channel logout to host A's
// route and resource indicators, logout tokens forged with the OP's key (POST
// /__test/sign), JWT access tokens from the OP, the `curl` binary for replays, and the
// checks of RFC 6750 answers.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { execFile } = require('node:child_process');
const stack = require('../../tokens/lib/stack');
const { peers } = require('../../oauth/lib/oauth');

const { CLIENT, SESSION, sleep } = stack;
const BASE = '/api/auth';
// The resource servers of the OP (--resource): the one hosts accept, and another.
const API = 'http://127.0.0.1:9/api';
const OTHER_API = 'http://127.0.0.1:9/other-api';
// A second client of the OP that gets tokens for the API by script.
const TESTER = { id: 'api-tester', secret: 'revoke-api-tester-secret', redirect: 'http://127.0.0.1:9/tester-callback' };
const BCL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const nowSec = () => Math.floor(Date.now() / 1000);

/** The back-channel logout route of provider `id` on `host`. */
const backchannelUri = (hostUrl, id = 'oidc') => `${hostUrl}${BASE}/backchannel-logout/${id}`;

/**
 * The OP: the test client `app` registered for callback/<ids> on every host port, with its
 * back-channel logout URI at the host on `ports[0]` (A); the API resource servers and the
 * api-tester client. `args` are more oidc.mjs options.
 */
function startRevokeOp({ ports, ids = ['oidc'], backchannel = true, args = [] }) {
    const bcl = backchannel ? ['--backchannel-logout-uri', backchannelUri(`http://127.0.0.1:${ports[0]}`, ids[0])] : [];
    return stack.startOp({
        ports, ids,
        args: [...bcl, '--resource', API, '--resource', OTHER_API,
            '--client-id', TESTER.id, '--client-secret', TESTER.secret, '--redirect-uri', TESTER.redirect, ...args],
    });
}

/** NextAuthRevocation on the shared Redis. */
const revocationLine = (redis, { failOpen = false } = {}) =>
    `NextAuthRevocation cache=redis:127.0.0.1:${redis.port}${failOpen ? ' failOpen=on' : ''}`;

/** A signed-in agent's session token, unchunked (what Authorization: Bearer carries). */
function sessionToken(agent) {
    const chunks = [...agent.cookies].filter(([k]) => k === SESSION || k.startsWith(`${SESSION}.`))
        .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    assert.ok(chunks.length > 0, 'a session cookie');
    return chunks.map(([, v]) => v).join('');
}

/** POST /__test/sign at the OP: a compact JWS of `payload` (see t/peers/README.md). */
async function signAtOp(op, payload, header = {}, key) {
    const res = await fetch(`${op.url}/__test/sign`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ header, payload, ...(key ? { key } : {}) }),
        signal: AbortSignal.timeout(10000),
    });
    const json = await res.json();
    assert.equal(res.status, 200, `sign: ${JSON.stringify(json)}`);
    return json.jws;
}

/** The claims of a good logout token of `op` for the test client; `claims` change them. */
function logoutClaims(op, claims = {}) {
    return {
        iss: op.url, aud: CLIENT.id, iat: nowSec(), jti: crypto.randomBytes(12).toString('base64url'),
        events: { [BCL_EVENT]: {} }, ...claims,
    };
}

/** A logout token signed by `op` (typ logout+jwt); a claim set to undefined is left out. */
function logoutToken(op, claims = {}, header = {}, key) {
    const payload = JSON.parse(JSON.stringify(logoutClaims(op, claims)));
    return signAtOp(op, payload, { typ: 'logout+jwt', ...header }, key);
}

/**
 * POST to `url` (a back-channel logout route): `form` as a form body, or `raw` with `type`.
 * Resolves { status, headers, body, json }.
 */
async function post(url, { form, raw, type = 'application/x-www-form-urlencoded', method = 'POST' } = {}) {
    const body = raw !== undefined ? raw : (form ? new URLSearchParams(form).toString() : undefined);
    const res = await fetch(url, {
        method, body, redirect: 'manual', signal: AbortSignal.timeout(30000),
        headers: body !== undefined ? { 'content-type': type } : {},
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
    return { status: res.status, headers: Object.fromEntries(res.headers), setCookies: res.headers.getSetCookie(), body: text, json };
}

/** Assert a refused logout token: 400, JSON invalid_request with a description. */
function assertRefusedLogout(res, what) {
    assert.equal(res.status, 400, `${what}: ${res.status} ${res.body.slice(0, 300)}`);
    assert.ok(res.json, `${what}: a JSON body: ${res.body.slice(0, 300)}`);
    assert.equal(res.json.error, 'invalid_request', `${what}: ${res.body}`);
    assert.equal(typeof res.json.error_description, 'string', `${what}: error_description`);
}

/**
 * One request with the `curl` binary (a replay from outside any browser). Resolves
 * { status, headers (lower-case names; set-cookie as an array), body }.
 */
function curl(url, { headers = {}, method = 'GET', data } = {}) {
    const args = ['-sS', '--http1.1', '-i', '--max-time', '30', '-X', method];
    for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
    if (data !== undefined) args.push('--data-binary', data);
    args.push(url);
    return new Promise((resolve, reject) => {
        execFile('curl', args, { encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
            if (err) { reject(new Error(`curl ${url}: ${stderr || err.message}`)); return; }
            const split = stdout.indexOf('\r\n\r\n');
            const head = stdout.slice(0, split).split('\r\n');
            const out = { status: Number(head[0].split(' ')[1]), headers: { 'set-cookie': [] }, body: stdout.slice(split + 4) };
            for (const line of head.slice(1)) {
                const colon = line.indexOf(':');
                const name = line.slice(0, colon).trim().toLowerCase();
                const value = line.slice(colon + 1).trim();
                if (name === 'set-cookie') out.headers[name].push(value); else out.headers[name] = value;
            }
            resolve(out);
        });
    });
}

/** Browser-like headers for curl (a navigation, so the module may redirect to sign-in). */
const CURL_PAGE = { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };

/** Assert an RFC 6750 answer: `status`, `WWW-Authenticate: Bearer realm="<origin>"[, error=…]`. */
function assertBearerAnswer(res, host, { status = 401, error, what }) {
    const www = res.headers['www-authenticate'] || '';
    const msg = `${what}: ${res.status} WWW-Authenticate: ${www} ${String(res.body).slice(0, 200)}`;
    assert.equal(res.status, status, msg);
    const realm = `Bearer realm="${host.url}"`;
    if (error) {
        const want = new RegExp(`^${escapeRe(realm)}, error="${error}"(, error_description="[^"]*")?$`);
        assert.match(www, want, msg);
    } else {
        assert.ok(www.includes(realm), msg);
    }
    assertNoCookieNoRedirect(res, what);
}

/** A request with a Bearer token never gets a Set-Cookie or a redirect. */
function assertNoCookieNoRedirect(res, what) {
    const cookies = [].concat(res.setCookies || res.headers['set-cookie'] || []);
    assert.deepEqual(cookies, [], `${what}: no Set-Cookie`);
    assert.equal(res.headers.location, undefined, `${what}: no Location`);
    assert.ok(res.status < 300 || res.status > 399, `${what}: no redirect (${res.status})`);
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** GET with `Authorization: Bearer <token>` (an API client: Accept JSON unless told). */
async function bearerGet(url, token, headers = {}) {
    const res = await fetch(url, {
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        redirect: 'manual', signal: AbortSignal.timeout(30000),
    });
    const body = await res.text();
    let json = null;
    try { json = JSON.parse(body); } catch (_) { /* not the backend's */ }
    return { status: res.status, headers: Object.fromEntries(res.headers), setCookies: res.headers.getSetCookie(), body, json };
}

/** The CGI's `VAR=value` lines as an object. */
const envOf = (body) => Object.fromEntries(String(body).split('\n').filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

async function opDiscovery(op) {
    const res = await fetch(`${op.url}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10000) });
    return res.json();
}

async function tokenRequest(op, client, body) {
    const disc = await opDiscovery(op);
    const res = await fetch(disc.token_endpoint, {
        method: 'POST', signal: AbortSignal.timeout(10000),
        headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams(body),
    });
    const json = await res.json();
    assert.equal(res.status, 200, `token request: ${JSON.stringify(json)}`);
    return json;
}

/** A JWT access token for `resource` without a user (client_credentials of api-tester). */
async function clientToken(op, resource = API) {
    return (await tokenRequest(op, TESTER, { grant_type: 'client_credentials', resource, scope: 'api:read' })).access_token;
}

/**
 * A JWT access token for `resource` with `user` (the authorization code flow of api-tester
 * run by script): resolves { access_token, id_token }.
 */
async function userToken(op, user, resource = API) {
    const disc = await opDiscovery(op);
    const url = new URL(disc.authorization_endpoint);
    const params = {
        client_id: TESTER.id, redirect_uri: TESTER.redirect, response_type: 'code', scope: 'openid email api:read',
        resource, state: crypto.randomBytes(16).toString('base64url'), nonce: crypto.randomBytes(16).toString('base64url'),
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const { loginThrough } = await peers();
    const back = new URL(await loginThrough(url.href, { username: user }));
    const code = back.searchParams.get('code');
    assert.ok(code, `a code in ${back.href}`);
    const json = await tokenRequest(op, TESTER, { grant_type: 'authorization_code', code, redirect_uri: TESTER.redirect });
    return { access_token: json.access_token, id_token: json.id_token };
}

/** Waits until the OP's stats count `name` at least `n` times; resolves the stats. */
async function waitForCount(op, name, n, ms = 10000) {
    const end = Date.now() + ms;
    for (;;) {
        const s = await stack.op.stats(op);
        if ((s.counts[name] || 0) >= n) return s;
        if (Date.now() > end) assert.fail(`the OP counted ${name} ${s.counts[name] || 0} times, not ${n}: ${JSON.stringify(s.counts)}`);
        await sleep(100);
    }
}

/** Set-Cookie lines that clear the session cookie (Max-Age=0 or an expiry in the past). */
const clearsSession = (setCookies) => [].concat(setCookies || []).some((line) => {
    const m = /^([^=;]+)=([^;]*)/.exec(line);
    if (!m || !(m[1] === SESSION || m[1].startsWith(`${SESSION}.`))) return false;
    return m[2] === '' || /;\s*max-age=0\b|;\s*expires=thu, 01 jan 1970/i.test(line);
});

module.exports = {
    ...stack, BASE, API, OTHER_API, TESTER, BCL_EVENT, nowSec, backchannelUri, startRevokeOp, revocationLine,
    sessionToken, signAtOp, logoutClaims, logoutToken, post, assertRefusedLogout, curl, CURL_PAGE,
    assertBearerAnswer, assertNoCookieNoRedirect, bearerGet, envOf, clientToken, userToken, waitForCount,
    clearsSession, opDiscovery,
};
