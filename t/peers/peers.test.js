// SPDX-License-Identifier: Apache-2.0
// Self-tests of the loopback OAuth/OIDC peers (t/peers/oidc.mjs, t/peers/github.mjs): each is
// started on a free port, driven through a whole authorization-code flow with plain fetch
// (state, nonce, PKCE S256), its tokens checked with `jose` (next-auth's copy), and every
// test switch shown to do what README.md says. No httpd involved.
//   node --test t/peers/*.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const fs = require('node:fs');
const net = require('node:net');
const jose = require('jose');

const REDIRECT = 'http://127.0.0.1:9/api/auth/callback/oidc';
const GH_CALLBACK = 'http://127.0.0.1:9/api/auth/callback/github';
const nowSec = () => Math.floor(Date.now() / 1000);
const b64u = (buf) => Buffer.from(buf).toString('base64url');

let peers; // t/peers/oidc-client.mjs (ESM)
const loadPeers = async () => { peers = peers || await import('./oidc-client.mjs'); };

// ---- small HTTP helpers -------------------------------------------------------------------

async function getJson(url) {
    const res = await fetch(url);
    assert.equal(res.status, 200, `GET ${url}`);
    return res.json();
}

async function postJson(url, body) {
    const res = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
}

async function setMode(base, changes) {
    const r = await postJson(`${base}/__test/mode`, changes);
    assert.equal(r.status, 200, `set mode ${JSON.stringify(changes)}: ${JSON.stringify(r.json)}`);
    return r.json;
}

const reset = (base) => postJson(`${base}/__test/reset`, {});
const stats = (base) => getJson(`${base}/__test/stats`);

// A GET with no headers at all (fetch always sends a User-Agent).
function bareGet(url, headers = {}) {
    return new Promise((resolve, reject) => {
        http.get(url, { headers }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => { text += d; });
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
        }).on('error', reject);
    });
}

function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

// ---- the OAuth client side ------------------------------------------------------------------

function pkce() {
    const verifier = b64u(crypto.randomBytes(32));
    return { verifier, challenge: b64u(crypto.createHash('sha256').update(verifier).digest()) };
}

// Builds an authorization request as next-auth does (state, nonce, PKCE S256), logs in as
// `username` through the peer's own pages, and returns the callback redirect with what the
// client must remember.
async function authorize(disc, { clientId, username = 'alice', jar, redirectUri = REDIRECT, extra = {} }) {
    const state = b64u(crypto.randomBytes(32));
    const nonce = b64u(crypto.randomBytes(32));
    const { verifier, challenge } = pkce();
    const url = new URL(disc.authorization_endpoint);
    const params = {
        client_id: clientId, scope: 'openid email profile', response_type: 'code',
        redirect_uri: redirectUri, state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ...extra,
    };
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    const callback = new URL(await peers.loginThrough(url.href, { username, cookieJar: jar || new peers.CookieJar() }));
    return { callback, query: Object.fromEntries(callback.searchParams), state, nonce, verifier };
}

// The token request, with client_secret_basic or client_secret_post.
async function exchange(disc, { code, verifier, clientId, secret, method = 'client_secret_basic', redirectUri = REDIRECT, signal }) {
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
    if (verifier !== undefined) body.set('code_verifier', verifier);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (method === 'client_secret_basic') {
        headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
    } else {
        body.set('client_id', clientId);
        body.set('client_secret', secret);
    }
    const res = await fetch(disc.token_endpoint, { method: 'POST', headers, body, signal });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, type: res.headers.get('content-type') || '', text, json };
}

// What a relying party checks (openid-client's rules): signature against the JWKS, iss, aud,
// exp/iat with 10 s tolerance, then nonce.
async function verifyIdToken(disc, idToken, { clientId, nonce }) {
    const jwks = jose.createRemoteJWKSet(new URL(disc.jwks_uri));
    const { payload, protectedHeader } = await jose.jwtVerify(idToken, jwks, {
        issuer: disc.issuer, audience: clientId, clockTolerance: 10,
    });
    assert.equal(payload.nonce, nonce, 'nonce');
    return { payload, header: protectedHeader };
}

const decodePayload = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));
const decodeHeader = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url'));

// A complete sign-in up to the token response.
async function signIn(disc, client, opts = {}) {
    const auth = await authorize(disc, { clientId: client.id, ...opts });
    assert.ok(auth.query.code, `a code in ${auth.callback}`);
    const tokens = await exchange(disc, {
        code: auth.query.code, verifier: auth.verifier, clientId: client.id, secret: client.secret, method: client.method,
    });
    return { ...auth, tokens };
}

// ---- OpenID provider ------------------------------------------------------------------------

const BASIC = { id: 'rp-basic', secret: 'rp-basic-secret', method: 'client_secret_basic' };
const POST = { id: 'rp-post', secret: 'rp-post-secret', method: 'client_secret_post' };

function clientArgs(c, redirectUri = REDIRECT) {
    return ['--client-id', c.id, '--client-secret', c.secret, '--redirect-uri', redirectUri, '--auth-method', c.method];
}

describe('oidc.mjs (oidc-provider)', { timeout: 120000 }, () => {
    let peer;
    let base;
    let disc;

    before(async () => {
        await loadPeers();
        peer = await peers.startPeer('oidc', [...clientArgs(BASIC),
            '--post-logout-redirect-uri', 'http://127.0.0.1:9/signed-out', ...clientArgs(POST)]);
        base = peer.url;
        disc = await getJson(`${base}/.well-known/openid-configuration`);
    });
    after(async () => { if (peer) assert.equal(await peer.stop(), 0, 'exit status on SIGTERM'); });

    it('publishes a discovery document for its issuer', () => {
        assert.equal(disc.issuer, base);
        for (const name of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'end_session_endpoint']) {
            assert.ok(disc[name].startsWith(`${base}/`), name);
        }
        assert.deepEqual(disc.code_challenge_methods_supported, ['S256']);
        assert.deepEqual(disc.response_types_supported, ['code']);
        assert.equal(disc.authorization_response_iss_parameter_supported, true);
        assert.deepEqual(disc.id_token_signing_alg_values_supported, ['RS256']);
        for (const s of ['openid', 'email', 'profile']) assert.ok(disc.scopes_supported.includes(s), s);
        for (const m of ['client_secret_basic', 'client_secret_post']) assert.ok(disc.token_endpoint_auth_methods_supported.includes(m));
    });

    it('signs alice in (client_secret_basic): code+state+iss, ID token, userinfo', async () => {
        const { query, state, nonce, tokens } = await signIn(disc, BASIC, { username: 'alice' });
        assert.equal(query.state, state);
        assert.equal(query.iss, base, 'RFC 9207 iss');
        assert.equal(tokens.status, 200, tokens.text);
        assert.equal(tokens.json.token_type, 'Bearer');
        const { payload, header } = await verifyIdToken(disc, tokens.json.id_token, { clientId: BASIC.id, nonce });
        assert.equal(header.alg, 'RS256');
        assert.ok(header.kid);
        assert.equal(payload.sub, 'alice');
        assert.equal(payload.email, 'alice@example.com');
        assert.equal(payload.email_verified, true);
        assert.equal(payload.name, 'Alice Example');
        assert.equal(payload.picture, `${base}/avatars/alice.svg`);
        assert.ok(payload.exp > nowSec() && payload.iat <= nowSec() + 1);

        const info = await fetch(disc.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.json.access_token}` } });
        assert.equal(info.status, 200);
        const claims = await info.json();
        assert.equal(claims.sub, 'alice');
        assert.equal(claims.email, 'alice@example.com');

        const avatar = await fetch(payload.picture);
        assert.equal(avatar.status, 200);
        assert.match(avatar.headers.get('content-type'), /^image\/svg\+xml/);

        // The counters and the last token request, for relying-party tests to assert on.
        const s = await stats(base);
        assert.match(s.last.token.headers.authorization, /^Basic /);
        assert.ok(s.last.token.body.code_verifier);
        assert.ok(s.last.authorization.query.code_challenge);
    });

    it('signs bob in with client_secret_post', async () => {
        const { nonce, tokens } = await signIn(disc, POST, { username: 'bob' });
        assert.equal(tokens.status, 200, tokens.text);
        const { payload } = await verifyIdToken(disc, tokens.json.id_token, { clientId: POST.id, nonce });
        assert.equal(payload.sub, 'bob');
        assert.equal(payload.email, 'bob@example.com');
    });

    it('gives carol a mixed-case, unverified e-mail and no picture', async () => {
        const { nonce, tokens } = await signIn(disc, BASIC, { username: 'carol' });
        const { payload } = await verifyIdToken(disc, tokens.json.id_token, { clientId: BASIC.id, nonce });
        assert.equal(payload.email, 'Carol.Mixed@Example.COM');
        assert.equal(payload.email_verified, false);
        assert.equal(payload.picture, undefined);
    });

    it('serves a login page with a username field and refuses unknown users', async () => {
        const url = new URL(disc.authorization_endpoint);
        for (const [k, v] of Object.entries({ client_id: BASIC.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid' })) url.searchParams.set(k, v);
        const jar = new peers.CookieJar();
        const first = await fetch(url, { redirect: 'manual' });
        jar.store(url.href, first.headers.getSetCookie());
        assert.equal(first.status, 303);
        const pageUrl = new URL(first.headers.get('location'), url).href;
        assert.match(pageUrl, /\/interaction\/[^/]+$/);
        const page = await fetch(pageUrl, { headers: { cookie: jar.header(pageUrl) } });
        const html = await page.text();
        assert.equal(page.status, 200);
        assert.match(html, /<input id="login" name="login"/);
        assert.match(html, /<button type="submit" id="login-submit">/);
        await assert.rejects(peers.loginThrough(url.href, { username: 'nobody-here' }), /Unknown user/);
    });

    it('answers error=access_denied when the user cancels', async () => {
        const url = new URL(disc.authorization_endpoint);
        for (const [k, v] of Object.entries({ client_id: BASIC.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's1' })) url.searchParams.set(k, v);
        const jar = new peers.CookieJar();
        let res = await fetch(url, { redirect: 'manual' });
        jar.store(url.href, res.headers.getSetCookie());
        const pageUrl = new URL(res.headers.get('location'), url).href;
        const abortUrl = `${pageUrl}/abort`;
        res = await fetch(abortUrl, { method: 'POST', redirect: 'manual', headers: { cookie: jar.header(abortUrl) } });
        assert.equal(res.status, 303);
        const resume = new URL(res.headers.get('location'), abortUrl).href;
        res = await fetch(resume, { redirect: 'manual', headers: { cookie: jar.header(resume) } });
        const back = new URL(res.headers.get('location'));
        assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
        assert.equal(back.searchParams.get('error'), 'access_denied');
        assert.equal(back.searchParams.get('state'), 's1');
        assert.equal(back.searchParams.get('iss'), base);
    });

    it('reuses its session: a second sign-in in the same browser skips the login page', async () => {
        const jar = new peers.CookieJar();
        await signIn(disc, BASIC, { username: 'bob', jar });
        // With bob's session cookie the provider redirects straight back: no form, so the
        // username given here is never used.
        const again = await signIn(disc, BASIC, { username: 'nobody', jar });
        assert.equal(again.tokens.status, 200, again.tokens.text);
        assert.equal(decodePayload(again.tokens.json.id_token).sub, 'bob');
    });

    it('enforces PKCE, single-use codes and client authentication', async () => {
        let auth = await authorize(disc, { clientId: BASIC.id });
        let r = await exchange(disc, { code: auth.query.code, verifier: pkce().verifier, clientId: BASIC.id, secret: BASIC.secret });
        assert.equal(r.status, 400);
        assert.equal(r.json.error, 'invalid_grant', 'wrong code_verifier');

        auth = await authorize(disc, { clientId: BASIC.id });
        r = await exchange(disc, { code: auth.query.code, verifier: auth.verifier, clientId: BASIC.id, secret: BASIC.secret });
        assert.equal(r.status, 200);
        r = await exchange(disc, { code: auth.query.code, verifier: auth.verifier, clientId: BASIC.id, secret: BASIC.secret });
        assert.equal(r.json.error, 'invalid_grant', 'replayed code');

        auth = await authorize(disc, { clientId: BASIC.id });
        r = await exchange(disc, { code: auth.query.code, verifier: auth.verifier, clientId: BASIC.id, secret: 'wrong' });
        assert.equal(r.status, 401);
        assert.equal(r.json.error, 'invalid_client');

        // oidc-provider takes client_secret_basic and client_secret_post as one family...
        auth = await authorize(disc, { clientId: BASIC.id });
        r = await exchange(disc, { code: auth.query.code, verifier: auth.verifier, clientId: BASIC.id, secret: BASIC.secret, method: 'client_secret_post' });
        assert.equal(r.status, 200);
        // ...and records which one was used.
        assert.equal((await stats(base)).last.token.headers.authorization, undefined);
    });

    it('rotates its signing key on POST /__test/rotate and keeps the old one published', async () => {
        const before1 = await signIn(disc, BASIC);
        const oldKid = decodeHeader(before1.tokens.json.id_token).kid;
        const rotated = await postJson(`${base}/__test/rotate`, {});
        assert.equal(rotated.status, 200);
        assert.notEqual(rotated.json.kid, oldKid);
        assert.deepEqual(rotated.json.kids, [rotated.json.kid, oldKid]);
        const jwks = await getJson(disc.jwks_uri);
        assert.deepEqual(jwks.keys.map((k) => k.kid), [rotated.json.kid, oldKid]);
        for (const k of jwks.keys) assert.equal(k.d, undefined, 'public keys only');

        const after1 = await signIn(disc, BASIC);
        assert.equal(decodeHeader(after1.tokens.json.id_token).kid, rotated.json.kid);
        await verifyIdToken(disc, after1.tokens.json.id_token, { clientId: BASIC.id, nonce: after1.nonce });
        await verifyIdToken(disc, before1.tokens.json.id_token, { clientId: BASIC.id, nonce: before1.nonce });
    });

    it('ends the session at end_session_endpoint and returns to post_logout_redirect_uri', async () => {
        const jar = new peers.CookieJar();
        const { tokens } = await signIn(disc, BASIC, { username: 'alice', jar });
        const url = new URL(disc.end_session_endpoint);
        url.searchParams.set('id_token_hint', tokens.json.id_token);
        url.searchParams.set('post_logout_redirect_uri', 'http://127.0.0.1:9/signed-out');
        url.searchParams.set('state', 'bye');
        const back = await peers.logoutThrough(url.href, { cookieJar: jar });
        assert.equal(back, 'http://127.0.0.1:9/signed-out?state=bye');
        // The provider session is gone: the next sign-in asks who you are again.
        const again = await signIn(disc, BASIC, { username: 'bob', jar });
        assert.equal(decodePayload(again.tokens.json.id_token).sub, 'bob');

        // Only registered URIs (exact match) are accepted.
        const bad = new URL(disc.end_session_endpoint);
        bad.searchParams.set('id_token_hint', again.tokens.json.id_token);
        bad.searchParams.set('post_logout_redirect_uri', 'http://127.0.0.1:9/elsewhere');
        const res = await fetch(bad);
        assert.equal(res.status, 400);
    });

    describe('switches', () => {
        after(() => reset(base));

        it('refuses unknown switches and values, and reports the current ones', async () => {
            assert.equal((await postJson(`${base}/__test/mode`, { token: 'teapot' })).status, 400);
            assert.equal((await postJson(`${base}/__test/mode`, { nosuch: '1' })).status, 400);
            const mode = await setMode(base, { token: '500', seconds: 2 });
            assert.equal(mode.token, '500');
            assert.equal(mode.seconds, 2);
            const cleared = await setMode(base, { token: null });
            assert.equal(cleared.token, undefined);
            // query-string form too
            const res = await fetch(`${base}/__test/mode?userinfo=500`, { method: 'POST' });
            assert.equal((await res.json()).userinfo, '500');
            await reset(base);
            assert.deepEqual(Object.keys(await getJson(`${base}/__test/mode`)).sort(), ['bytes', 'keys', 'seconds']);
        });

        it('authorize=error: error=access_denied with markup in error_description', async () => {
            await setMode(base, { authorize: 'error' });
            const url = new URL(disc.authorization_endpoint);
            for (const [k, v] of Object.entries({ client_id: BASIC.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'xyz' })) url.searchParams.set(k, v);
            const back = new URL(await peers.loginThrough(url.href));
            assert.equal(back.searchParams.get('error'), 'access_denied');
            assert.match(back.searchParams.get('error_description'), /<script>/);
            assert.equal(back.searchParams.get('state'), 'xyz');
            assert.equal(back.searchParams.get('iss'), base);
            await setMode(base, { error: 'server_error', error_description: 'plain' });
            const again = new URL(await peers.loginThrough(url.href));
            assert.equal(again.searchParams.get('error'), 'server_error');
            assert.equal(again.searchParams.get('error_description'), 'plain');
            await reset(base);
        });

        it('authorize=wrong-iss and authorize=no-iss change the RFC 9207 iss', async () => {
            await setMode(base, { authorize: 'wrong-iss' });
            let { query } = await authorize(disc, { clientId: BASIC.id });
            assert.ok(query.code);
            assert.equal(query.iss, 'http://127.0.0.1:1/not-the-issuer');
            await setMode(base, { authorize: 'no-iss' });
            ({ query } = await authorize(disc, { clientId: BASIC.id }));
            assert.ok(query.code);
            assert.equal(query.iss, undefined);
            await reset(base);
        });

        it('token=500|html|truncated|empty|oversized|reset break the token response', async () => {
            const expect = {
                500: (r) => { assert.equal(r.status, 500); assert.equal(r.json.error, 'server_error'); },
                html: (r) => { assert.equal(r.status, 200); assert.match(r.type, /^text\/html/); assert.equal(r.json, undefined); },
                truncated: (r) => {
                    assert.equal(r.status, 200); assert.match(r.type, /json/); assert.equal(r.json, undefined);
                    assert.ok(r.text.startsWith('{"access_token":'), r.text);
                },
                empty: (r) => { assert.equal(r.status, 200); assert.equal(r.text, ''); },
                oversized: (r) => {
                    assert.equal(r.status, 200); assert.equal(r.text.length, 100000);
                    assert.ok(r.json.id_token && r.json.padding);
                },
            };
            await setMode(base, { bytes: 100000 });
            for (const [kind, check] of Object.entries(expect)) {
                await setMode(base, { token: kind });
                const auth = await authorize(disc, { clientId: BASIC.id });
                check(await exchange(disc, { code: auth.query.code, verifier: auth.verifier, clientId: BASIC.id, secret: BASIC.secret }));
            }
            await setMode(base, { token: 'reset' });
            const auth = await authorize(disc, { clientId: BASIC.id });
            await assert.rejects(exchange(disc, { code: auth.query.code, verifier: auth.verifier, clientId: BASIC.id, secret: BASIC.secret }));
            await reset(base);
        });

        it('token=hang sends nothing for `seconds`; token=slow answers after `seconds`', async () => {
            await setMode(base, { token: 'hang', seconds: 30 });
            let auth = await authorize(disc, { clientId: BASIC.id });
            const t0 = Date.now();
            await assert.rejects(exchange(disc, {
                code: auth.query.code, verifier: auth.verifier, clientId: BASIC.id, secret: BASIC.secret,
                signal: AbortSignal.timeout(700),
            }), /abort|timeout/i);
            assert.ok(Date.now() - t0 >= 650);

            await setMode(base, { token: 'slow', seconds: 1 });
            auth = await authorize(disc, { clientId: BASIC.id });
            const t1 = Date.now();
            const r = await exchange(disc, { code: auth.query.code, verifier: auth.verifier, clientId: BASIC.id, secret: BASIC.secret });
            assert.ok(Date.now() - t1 >= 950, 'delayed');
            assert.equal(r.status, 200);
            assert.ok(r.json.id_token);
            await reset(base);
        });

        // Each id_token switch: the defect is there, and a verifying client notices (or, for the
        // claims a client must check itself, the claim is visibly wrong).
        const ID_TOKEN_CASES = {
            'wrong-iss': { rejects: /"iss" claim/, check: (p) => assert.equal(p.iss, 'http://127.0.0.1:1/not-the-issuer') },
            'wrong-aud': { rejects: /"aud" claim/, check: (p) => assert.equal(p.aud, 'another-client') },
            expired: { rejects: /"exp" claim/, check: (p) => assert.ok(p.exp < nowSec() - 60) },
            'alg-none': { rejects: /alg|JWS|Unsecured/i, check: (p, h, jwt) => { assert.equal(h.alg, 'none'); assert.ok(jwt.endsWith('.')); } },
            'unknown-key': { rejects: /no applicable key|matching key/i, check: (p, h) => assert.match(h.kid, /^unknown-/) },
            tampered: { rejects: /signature verification failed/i, check: (p) => assert.equal(p.sub, 'mallory') },
            'hmac-pubkey': { rejects: /alg|key/i, check: (p, h) => assert.equal(h.alg, 'HS256') },
            'wrong-nonce': { rejects: /nonce/, check: (p) => assert.equal(p.nonce, 'not-the-nonce-you-sent') },
            'no-nonce': { rejects: /nonce/, check: (p) => assert.equal(p.nonce, undefined) },
            'wrong-azp': { check: (p) => { assert.deepEqual(p.aud, [BASIC.id, 'another-client']); assert.equal(p.azp, 'another-client'); } },
            'multi-aud-no-azp': { check: (p) => { assert.deepEqual(p.aud, [BASIC.id, 'another-client']); assert.equal(p.azp, undefined); } },
            'iat-future': { check: (p) => assert.ok(p.iat > nowSec() + 600) },
        };
        for (const [kind, { rejects, check }] of Object.entries(ID_TOKEN_CASES)) {
            it(`id_token=${kind}`, async () => {
                await setMode(base, { id_token: kind });
                const { nonce, tokens } = await signIn(disc, BASIC);
                await reset(base);
                assert.equal(tokens.status, 200, tokens.text);
                const jwt = tokens.json.id_token;
                check(decodePayload(jwt), decodeHeader(jwt), jwt);
                if (rejects) await assert.rejects(verifyIdToken(disc, jwt, { clientId: BASIC.id, nonce }), rejects);
            });
        }

        it('id_token=hmac-pubkey is HS256 keyed with the public key PEM', async () => {
            await setMode(base, { id_token: 'hmac-pubkey' });
            const { tokens } = await signIn(disc, BASIC);
            await reset(base);
            const jwks = await getJson(disc.jwks_uri);
            const [h, p, s] = tokens.json.id_token.split('.');
            const pub = crypto.createPublicKey({ key: jwks.keys[0], format: 'jwk' });
            const pem = pub.export({ type: 'spki', format: 'pem' });
            assert.equal(b64u(crypto.createHmac('sha256', pem).update(`${h}.${p}`).digest()), s);
        });

        it('id_token=unknown-key uses a new kid every time (a JWKS refetch flood)', async () => {
            await setMode(base, { id_token: 'unknown-key' });
            const a = await signIn(disc, BASIC);
            const b = await signIn(disc, BASIC);
            await reset(base);
            const ka = decodeHeader(a.tokens.json.id_token).kid;
            const kb = decodeHeader(b.tokens.json.id_token).kid;
            assert.notEqual(ka, kb);
            const jwks = await getJson(disc.jwks_uri);
            assert.ok(!jwks.keys.some((k) => k.kid === ka || k.kid === kb));
            // counted, so a relying party's refetch throttling can be measured
            assert.equal((await stats(base)).counts.jwks, 1);
        });

        it('discovery=wrong-issuer and discovery failures', async () => {
            await setMode(base, { discovery: 'wrong-issuer' });
            const d = await getJson(`${base}/.well-known/openid-configuration`);
            assert.equal(d.issuer, `${base}/not-this-issuer`);
            assert.equal(d.token_endpoint, disc.token_endpoint);
            await setMode(base, { discovery: 'html' });
            const res = await fetch(`${base}/.well-known/openid-configuration`);
            assert.match(res.headers.get('content-type'), /^text\/html/);
            await setMode(base, { discovery: 'truncated' });
            const cut = await (await fetch(`${base}/.well-known/openid-configuration`)).text();
            assert.throws(() => JSON.parse(cut));
            await reset(base);
        });

        it('jwks=flood adds `keys` unknown keys; jwks=no-keys empties the set; jwks=500', async () => {
            await setMode(base, { jwks: 'flood', keys: 50 });
            let jwks = await getJson(disc.jwks_uri);
            const real = jwks.keys.filter((k) => !k.kid.startsWith('flood-'));
            assert.equal(jwks.keys.length, real.length + 50);
            // the real keys still verify
            const { nonce, tokens } = await signIn(disc, BASIC);
            await verifyIdToken(disc, tokens.json.id_token, { clientId: BASIC.id, nonce });
            await setMode(base, { jwks: 'no-keys' });
            jwks = await getJson(disc.jwks_uri);
            assert.deepEqual(jwks.keys, []);
            await setMode(base, { jwks: '500' });
            assert.equal((await fetch(disc.jwks_uri)).status, 500);
            await reset(base);
        });

        it('userinfo=wrong-sub and userinfo=500', async () => {
            const { tokens } = await signIn(disc, BASIC, { username: 'alice' });
            const get = () => fetch(disc.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.json.access_token}` } });
            await setMode(base, { userinfo: 'wrong-sub' });
            let res = await get();
            assert.equal(res.status, 200);
            const body = await res.json();
            assert.equal(body.sub, 'mallory');
            assert.equal(body.email, 'alice@example.com');
            await setMode(base, { userinfo: '500' });
            res = await get();
            assert.equal(res.status, 500);
            await reset(base);
        });

        it('counts requests per endpoint; reset clears them', async () => {
            await reset(base);
            await signIn(disc, BASIC);
            const s = await stats(base);
            assert.equal(s.counts.authorization, 1);
            assert.equal(s.counts.token, 1);
            assert.ok(s.counts.interaction >= 1);
            await reset(base);
            assert.deepEqual((await stats(base)).counts, {});
        });
    });
});

describe('oidc.mjs options', { timeout: 120000 }, () => {
    before(loadPeers);

    for (const alg of ['PS256', 'ES256']) {
        it(`--alg ${alg} --rotate-after 1`, async () => {
            const peer = await peers.startPeer('oidc', [...clientArgs(POST), '--alg', alg, '--rotate-after', '1']);
            try {
                const disc = await getJson(`${peer.url}/.well-known/openid-configuration`);
                assert.deepEqual(disc.id_token_signing_alg_values_supported, [alg]);
                const first = await signIn(disc, POST);
                const { header } = await verifyIdToken(disc, first.tokens.json.id_token, { clientId: POST.id, nonce: first.nonce });
                assert.equal(header.alg, alg);
                const second = await signIn(disc, POST);
                const h2 = decodeHeader(second.tokens.json.id_token);
                assert.notEqual(h2.kid, header.kid, 'rotated after one ID token');
                await verifyIdToken(disc, second.tokens.json.id_token, { clientId: POST.id, nonce: second.nonce });
                assert.equal((await getJson(disc.jwks_uri)).keys.length, 3);
            } finally {
                assert.equal(await peer.stop(), 0);
            }
        });
    }

    it('--strict-auth-method refuses the other client_secret_* method; --mode at start', async () => {
        const peer = await peers.startPeer('oidc', [...clientArgs(BASIC), ...clientArgs(POST), '--strict-auth-method',
            '--mode', 'userinfo=500', '--mode', 'seconds=5']);
        try {
            const mode = await getJson(`${peer.url}/__test/mode`);
            assert.equal(mode.userinfo, '500');
            assert.equal(mode.seconds, 5);
            const disc = await getJson(`${peer.url}/.well-known/openid-configuration`);
            for (const [client, wrong] of [[BASIC, 'client_secret_post'], [POST, 'client_secret_basic']]) {
                let auth = await authorize(disc, { clientId: client.id });
                let r = await exchange(disc, { code: auth.query.code, verifier: auth.verifier, clientId: client.id, secret: client.secret, method: wrong });
                assert.equal(r.status, 401, `${client.id} with ${wrong}`);
                assert.equal(r.json.error, 'invalid_client');
                auth = await authorize(disc, { clientId: client.id });
                r = await exchange(disc, { code: auth.query.code, verifier: auth.verifier, clientId: client.id, secret: client.secret, method: client.method });
                assert.equal(r.status, 200, `${client.id} with ${client.method}`);
            }
        } finally {
            assert.equal(await peer.stop(), 0);
        }
    });

    it('--no-iss leaves iss out of authorization responses; --require-pkce', async () => {
        const peer = await peers.startPeer('oidc', [...clientArgs(BASIC), '--no-iss', '--require-pkce']);
        try {
            const disc = await getJson(`${peer.url}/.well-known/openid-configuration`);
            assert.equal(disc.authorization_response_iss_parameter_supported, false);
            const { query } = await authorize(disc, { clientId: BASIC.id });
            assert.ok(query.code);
            assert.equal(query.iss, undefined);
            const noPkce = await authorize(disc, { clientId: BASIC.id, extra: { code_challenge: undefined, code_challenge_method: undefined } });
            assert.equal(noPkce.query.error, 'invalid_request');
            assert.match(noPkce.query.error_description, /PKCE/);
            assert.equal(noPkce.query.iss, undefined, 'error responses too');
        } finally {
            assert.equal(await peer.stop(), 0);
        }
    });

    it('--issuer with a path (Keycloak-like) and --post-logout-same-origin', async () => {
        const port = await freePort();
        const issuer = `http://127.0.0.1:${port}/realms/test`;
        const peer = await peers.startPeer('oidc', ['--port', String(port), '--issuer', issuer,
            ...clientArgs(BASIC), '--post-logout-same-origin']);
        try {
            assert.equal(peer.url, issuer);
            const disc = await getJson(`${issuer}/.well-known/openid-configuration`);
            assert.equal(disc.issuer, issuer);
            assert.equal(disc.token_endpoint, `${issuer}/token`);
            const jar = new peers.CookieJar();
            const { nonce, tokens, query } = await signIn(disc, BASIC, { jar });
            assert.equal(query.iss, issuer);
            await verifyIdToken(disc, tokens.json.id_token, { clientId: BASIC.id, nonce });
            assert.equal((await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).status, 404);
            const url = new URL(disc.end_session_endpoint);
            url.searchParams.set('id_token_hint', tokens.json.id_token);
            url.searchParams.set('post_logout_redirect_uri', 'http://127.0.0.1:9/any/page?x=1');
            assert.equal(await peers.logoutThrough(url.href, { cookieJar: jar }), 'http://127.0.0.1:9/any/page?x=1');
        } finally {
            assert.equal(await peer.stop(), 0);
        }
    });

    it('bad options fail with exit status 2 and a message', async () => {
        await assert.rejects(peers.startPeer('oidc', ['--alg', 'HS256']), /exited \(2\).*--alg/s);
        await assert.rejects(peers.startPeer('oidc', ['--mode', 'token=teapot']), /exited \(2\).*teapot/s);
        await assert.rejects(peers.startPeer('oidc', ['--client-secret', 'x']), /exited \(2\).*--client-id/s);
        await assert.rejects(peers.startPeer('github', ['--bogus', '1']), /exited \(2\).*--bogus/s);
    });

    it('--no-test-api hides /__test; exits 0 on SIGTERM at once, even with a hanging request open', async () => {
        const peer = await peers.startPeer('oidc', [...clientArgs(BASIC), '--no-test-api', '--mode', 'token=hang', '--mode', 'seconds=60']);
        assert.equal((await fetch(`${peer.url}/__test/mode`)).status, 404);
        const disc = await getJson(`${peer.url}/.well-known/openid-configuration`);
        const pending = fetch(disc.token_endpoint, { method: 'POST', body: 'grant_type=authorization_code' }).catch((e) => e);
        await new Promise((r) => setTimeout(r, 200));
        const t0 = Date.now();
        assert.equal(await peer.stop(), 0);
        assert.ok(Date.now() - t0 < 3000, `stopped in ${Date.now() - t0} ms`);
        assert.ok((await pending) instanceof Error, 'the hanging request is dropped');
    });
});

// ---- refresh, rotation, introspection, group claims -----------------------------------------

// The refresh_token grant, as the client authenticates at the token endpoint.
async function refreshGrant(disc, client, refreshToken) {
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const res = await fetch(disc.token_endpoint, {
        method: 'POST',
        headers: {
            'content-type': 'application/x-www-form-urlencoded', accept: 'application/json',
            authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        },
        body,
    });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, type: res.headers.get('content-type') || '', text, json };
}

// RFC 7662 introspection with HTTP Basic client credentials.
async function introspect(disc, [id, secret], token) {
    const res = await fetch(disc.introspection_endpoint, {
        method: 'POST',
        headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token }),
    });
    return { status: res.status, json: await res.json() };
}

const RS = ['resource-server', 'rs-secret'];

describe('oidc.mjs tokens: refresh, rotation, revocation, introspection', { timeout: 120000 }, () => {
    let peer;
    let base;
    let disc;

    before(async () => {
        await loadPeers();
        peer = await peers.startPeer('oidc', [...clientArgs(BASIC), '--access-token-ttl', '7',
            '--rotate-refresh', '--introspector', RS.join(':')]);
        base = peer.url;
        disc = await getJson(`${base}/.well-known/openid-configuration`);
    });
    after(async () => { if (peer) assert.equal(await peer.stop(), 0); });

    it('issues a refresh token without offline_access, and short access tokens', async () => {
        const { tokens } = await signIn(disc, BASIC);
        assert.equal(tokens.status, 200, tokens.text);
        assert.equal(tokens.json.expires_in, 7);
        assert.match(tokens.json.refresh_token, /^[\w-]{20,}$/);
        assert.ok(disc.grant_types_supported.includes('refresh_token'));
    });

    it('introspects access tokens (RFC 7662) for a resource server and the client itself', async () => {
        const { tokens } = await signIn(disc, BASIC, { username: 'bob' });
        assert.ok(disc.introspection_endpoint.startsWith(`${base}/`));
        for (const creds of [RS, [BASIC.id, BASIC.secret]]) {
            const { status, json } = await introspect(disc, creds, tokens.json.access_token);
            assert.equal(status, 200);
            assert.equal(json.active, true, `${creds[0]}: ${JSON.stringify(json)}`);
            assert.equal(json.sub, 'bob');
            assert.equal(json.client_id, BASIC.id);
            assert.ok(json.exp > nowSec() && json.exp <= nowSec() + 8, `exp ${json.exp}`);
        }
        assert.equal((await introspect(disc, RS, 'not-a-token')).json.active, false);
        assert.equal((await introspect(disc, [RS[0], 'wrong'], tokens.json.access_token)).status, 401);
        // The resource server can do nothing else.
        const auth = await authorize(disc, { clientId: RS[0] }).catch((e) => e);
        assert.ok(auth instanceof Error || auth.query.error, 'no authorization for the resource server');
    });

    it('--rotate-refresh: a new refresh token each time; the used one is refused and counted', async () => {
        await reset(base);
        const { tokens } = await signIn(disc, BASIC);
        const first = tokens.json.refresh_token;
        const r1 = await refreshGrant(disc, BASIC, first);
        assert.equal(r1.status, 200, r1.text);
        assert.notEqual(r1.json.access_token, tokens.json.access_token);
        assert.ok(r1.json.refresh_token && r1.json.refresh_token !== first, 'rotated');
        assert.equal((await introspect(disc, RS, r1.json.access_token)).json.active, true);
        let s = await stats(base);
        assert.equal(s.counts.refresh, 1);
        assert.equal(s.counts.refresh_refused, undefined);
        assert.equal(s.last.refresh.rotated, true);

        // Reuse of the first: invalid_grant, and oidc-provider revokes the whole grant.
        const reuse = await refreshGrant(disc, BASIC, first);
        assert.equal(reuse.status, 400);
        assert.equal(reuse.json.error, 'invalid_grant');
        assert.match(reuse.json.error_description, /grant request is invalid/);
        s = await stats(base);
        assert.equal(s.counts.refresh, 2);
        assert.equal(s.counts.refresh_refused, 1);
        assert.equal((await refreshGrant(disc, BASIC, r1.json.refresh_token)).json.error, 'invalid_grant',
            'the rotated one died with the grant');
    });

    it('POST /__test/revoke ends a user\'s grants: refresh refused, access token inactive', async () => {
        await reset(base);
        const alice = await signIn(disc, BASIC, { username: 'alice' });
        const bob = await signIn(disc, BASIC, { username: 'bob' });
        const res = await postJson(`${base}/__test/revoke`, { sub: 'alice' });
        assert.equal(res.status, 200, JSON.stringify(res.json));
        assert.equal(res.json.sub, 'alice');
        assert.ok(res.json.revoked >= 1, JSON.stringify(res.json));
        const refused = await refreshGrant(disc, BASIC, alice.tokens.json.refresh_token);
        assert.equal(refused.status, 400);
        assert.equal(refused.json.error, 'invalid_grant');
        assert.equal((await introspect(disc, RS, alice.tokens.json.access_token)).json.active, false);
        // bob is untouched
        assert.equal((await refreshGrant(disc, BASIC, bob.tokens.json.refresh_token)).status, 200);
        assert.equal((await stats(base)).counts.refresh_refused, 1);
        // alice can sign in again and refresh
        const again = await signIn(disc, BASIC, { username: 'alice' });
        assert.equal((await refreshGrant(disc, BASIC, again.tokens.json.refresh_token)).status, 200);
        assert.equal((await postJson(`${base}/__test/revoke`, { sub: 'nobody' })).status, 400);
    });

    it('refresh=500|junk|oversized|slow|hang break refreshes only, and leave the refresh token good', async () => {
        await reset(base);
        const { tokens } = await signIn(disc, BASIC);
        const rt = tokens.json.refresh_token;
        await setMode(base, { refresh: '500' });
        let r = await refreshGrant(disc, BASIC, rt);
        assert.equal(r.status, 500);
        assert.equal(r.json.error, 'server_error');
        // a code exchange is not affected
        assert.equal((await signIn(disc, BASIC)).tokens.status, 200);

        await setMode(base, { refresh: 'junk' });
        r = await refreshGrant(disc, BASIC, rt);
        assert.equal(r.status, 200);
        assert.match(r.type, /json/);
        assert.equal(r.json, undefined, `not JSON: ${r.text}`);

        await setMode(base, { refresh: 'oversized', bytes: 20 * 1024 * 1024 });
        r = await refreshGrant(disc, BASIC, rt);
        assert.equal(r.status, 200);
        assert.equal(r.text.length, 20 * 1024 * 1024);
        assert.match(r.json.access_token, /^fault-/, 'an access token the OP never issued');
        assert.equal((await introspect(disc, RS, r.json.access_token)).json.active, false);

        await setMode(base, { refresh: 'slow', seconds: 1 });
        const t0 = Date.now();
        r = await refreshGrant(disc, BASIC, rt);
        assert.ok(Date.now() - t0 >= 950, 'delayed');
        assert.equal(r.status, 200);

        await setMode(base, { refresh: 'hang', seconds: 30 });
        await assert.rejects(fetch(disc.token_endpoint, {
            method: 'POST', signal: AbortSignal.timeout(500),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt }),
        }), /abort|timeout/i);

        const s = await stats(base);
        assert.equal(s.counts.refresh, 5);
        assert.equal(s.counts.refresh_refused, undefined);
        assert.equal(s.last.refresh.fault, 'hang');
        // None of them ran the grant: the (rotating) refresh token still works once.
        await setMode(base, { refresh: 'off' });
        r = await refreshGrant(disc, BASIC, rt);
        assert.equal(r.status, 200, r.text);
        assert.ok(r.json.refresh_token);
        await reset(base);
    });

    it('refreshes well past the access token\'s life (7 s), rotation chain intact', async () => {
        const { tokens } = await signIn(disc, BASIC);
        let rt = tokens.json.refresh_token;
        for (let i = 0; i < 3; i++) {
            const r = await refreshGrant(disc, BASIC, rt);
            assert.equal(r.status, 200, r.text);
            assert.equal(r.json.expires_in, 7);
            const decoded = decodePayload(r.json.id_token);
            assert.equal(decoded.sub, 'alice');
            rt = r.json.refresh_token;
        }
    });
});

describe('backend.mjs (a mod_proxy backend that introspects)', { timeout: 120000 }, () => {
    let op;
    let backend;
    let disc;

    before(async () => {
        await loadPeers();
        op = await peers.startPeer('oidc', [...clientArgs(BASIC), '--introspector', RS.join(':')]);
        disc = await getJson(`${op.url}/.well-known/openid-configuration`);
        backend = await peers.startPeer('backend', ['--issuer', op.url, '--client-id', RS[0], '--client-secret', RS[1]]);
    });
    after(async () => {
        if (backend) assert.equal(await backend.stop(), 0);
        if (op) assert.equal(await op.stop(), 0);
    });

    it('echoes method, path, headers and claim headers; introspects a bearer token at the OP', async () => {
        const { tokens } = await signIn(disc, BASIC, { username: 'bob' });
        const res = await fetch(`${backend.url}/app/page?x=1`, {
            headers: {
                authorization: `Bearer ${tokens.json.access_token}`,
                'x-nextauth-claim-groups': 'admins,staff', 'x-forwarded-for': '192.0.2.7',
            },
        });
        assert.equal(res.status, 200);
        const echo = await res.json();
        assert.equal(echo.method, 'GET');
        assert.equal(echo.path, '/app/page');
        assert.equal(echo.query, '?x=1');
        assert.equal(echo.bearer, tokens.json.access_token);
        assert.deepEqual(echo.claims, { groups: 'admins,staff' });
        assert.equal(echo.forwarded.for, '192.0.2.7');
        assert.equal(echo.introspection.active, true, JSON.stringify(echo.introspection));
        assert.equal(echo.introspection.sub, 'bob');
        assert.equal(echo.introspection.client_id, BASIC.id);
        assert.ok(echo.introspection.exp > nowSec());
        const s = await stats(backend.url);
        assert.equal(s.counts.introspection, 1);
        assert.equal(s.last.echo.path, '/app/page');
    });

    it('an unknown token is inactive; no bearer, no introspection', async () => {
        let echo = await (await fetch(`${backend.url}/`, { headers: { authorization: 'Bearer forged-token' } })).json();
        assert.deepEqual(echo.introspection, { active: false });
        echo = await (await fetch(`${backend.url}/`, { headers: { authorization: 'Basic eDp5' } })).json();
        assert.equal(echo.bearer, null);
        assert.equal(echo.introspection, null);
    });

    it('bad options exit 2', async () => {
        await assert.rejects(peers.startPeer('backend', ['--issuer', op.url]), /exited \(2\).*client-id/s);
        await assert.rejects(peers.startPeer('backend', ['--bogus', '1']), /exited \(2\).*--bogus/s);
    });
});

describe('oidc.mjs --groups-shape', { timeout: 120000 }, () => {
    before(loadPeers);

    const SHAPES = {
        keycloak: {
            alice: { groups: ['/admins', '/staff'], realm_access: { roles: ['admin', 'offline_access', 'uma_authorization'] } },
            bob: { groups: ['/staff'], realm_access: { roles: ['offline_access', 'uma_authorization'] } },
        },
        okta: { alice: { groups: ['admins', 'Everyone'] }, bob: { groups: ['Everyone'] } },
        azure: {
            alice: { groups: ['5b0a6c47-2a3e-4b7c-9d0e-1f2a3b4c5d6e', '9e8d7c6b-5a49-4838-a726-15f4e3d2c1b0'], roles: ['Admin'] },
            bob: { groups: ['9e8d7c6b-5a49-4838-a726-15f4e3d2c1b0'], roles: ['Reader'] },
        },
    };
    for (const [shape, users] of Object.entries(SHAPES)) {
        it(`${shape}: group claims in the ID token and at userinfo; bob is no admin`, async () => {
            const peer = await peers.startPeer('oidc', [...clientArgs(BASIC), '--groups-shape', shape]);
            try {
                const disc = await getJson(`${peer.url}/.well-known/openid-configuration`);
                for (const [user, want] of Object.entries(users)) {
                    const { nonce, tokens } = await signIn(disc, BASIC, { username: user });
                    const { payload } = await verifyIdToken(disc, tokens.json.id_token, { clientId: BASIC.id, nonce });
                    const info = await (await fetch(disc.userinfo_endpoint,
                        { headers: { authorization: `Bearer ${tokens.json.access_token}` } })).json();
                    for (const [claim, value] of Object.entries(want)) {
                        assert.deepEqual(payload[claim], value, `${user} ID token ${claim}`);
                        assert.deepEqual(info[claim], value, `${user} userinfo ${claim}`);
                    }
                    for (const other of ['groups', 'realm_access', 'roles'].filter((c) => !(c in want))) {
                        assert.equal(payload[other], undefined, `${user}: no ${other}`);
                    }
                }
                // Users the shapes do not list get none.
                const { tokens } = await signIn(disc, BASIC, { username: 'carol' });
                assert.equal(decodePayload(tokens.json.id_token).groups, undefined);
            } finally {
                assert.equal(await peer.stop(), 0);
            }
        });
    }

    it('without --groups-shape there are no group claims; a bad shape exits 2', async () => {
        const peer = await peers.startPeer('oidc', [...clientArgs(BASIC)]);
        try {
            const disc = await getJson(`${peer.url}/.well-known/openid-configuration`);
            const { tokens } = await signIn(disc, BASIC, { username: 'alice' });
            const p = decodePayload(tokens.json.id_token);
            assert.equal(p.groups, undefined);
            assert.equal(p.roles, undefined);
            assert.equal(disc.introspection_endpoint, undefined, 'introspection is opt-in');
        } finally {
            assert.equal(await peer.stop(), 0);
        }
        // --introspection alone: the client may introspect its own tokens.
        const intro = await peers.startPeer('oidc', [...clientArgs(BASIC), '--introspection']);
        try {
            const disc = await getJson(`${intro.url}/.well-known/openid-configuration`);
            assert.equal(disc.introspection_endpoint, `${intro.url}/token/introspection`);
            const { tokens } = await signIn(disc, BASIC, { username: 'carol' });
            const { json } = await introspect(disc, [BASIC.id, BASIC.secret], tokens.json.access_token);
            assert.equal(json.active, true);
            assert.equal(json.sub, 'carol');
            assert.equal((await introspect(disc, RS, tokens.json.access_token)).status, 401, 'no such client');
        } finally {
            assert.equal(await intro.stop(), 0);
        }
        await assert.rejects(peers.startPeer('oidc', ['--groups-shape', 'ldap']), /exited \(2\).*groups-shape/s);
        await assert.rejects(peers.startPeer('oidc', ['--access-token-ttl', '0']), /exited \(2\).*access-token-ttl/s);
        await assert.rejects(peers.startPeer('oidc', ['--introspector', 'nosecret']), /exited \(2\).*ID:SECRET/s);
    });
});

// ---- back-channel logout, resource indicators, /__test/sign (issue 13) -----------------------

const API = 'http://127.0.0.1:9/api';
const TESTER = { id: 'api-tester', secret: 'api-tester-secret', method: 'client_secret_basic' };
const BCL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

// A relying party's back-channel logout route: records each POST body, answers `status`.
async function logoutReceiver(status = 200) {
    const got = [];
    const server = http.createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (c) => { body += c; });
        req.on('end', () => {
            got.push({ method: req.method, type: req.headers['content-type'], form: Object.fromEntries(new URLSearchParams(body)) });
            res.writeHead(status, { 'cache-control': 'no-store' });
            res.end();
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { got, url: `http://127.0.0.1:${server.address().port}/bcl`, close: () => new Promise((r) => server.close(r)) };
}

// The end_session page confirmed in `jar`'s browser, without a post-logout redirect.
async function endOpSession(disc, jar) {
    return peers.logoutThrough(disc.end_session_endpoint, { cookieJar: jar });
}

async function clientCredentials(disc, client, body) {
    const res = await fetch(disc.token_endpoint, {
        method: 'POST',
        headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', ...body }),
    });
    return { status: res.status, json: await res.json() };
}

describe('oidc.mjs back-channel logout', { timeout: 120000 }, () => {
    let rp;
    let peer;
    let disc;
    const APP = { id: 'app', secret: 'app-secret', method: 'client_secret_basic' };

    before(async () => {
        await loadPeers();
        rp = await logoutReceiver(200);
        peer = await peers.startPeer('oidc', [...clientArgs(APP), '--backchannel-logout-uri', rp.url, ...clientArgs(BASIC)]);
        disc = await getJson(`${peer.url}/.well-known/openid-configuration`);
    });
    after(async () => {
        if (peer) assert.equal(await peer.stop(), 0);
        if (rp) await rp.close();
    });

    it('says backchannel_logout_supported in discovery; ID tokens carry sid', async () => {
        assert.equal(disc.backchannel_logout_supported, true);
        assert.equal(disc.backchannel_logout_session_supported, true);
        const { tokens } = await signIn(disc, APP);
        assert.equal(tokens.status, 200, tokens.text);
        assert.match(decodePayload(tokens.json.id_token).sid, /^[\w-]{10,}$/);
    });

    it('POSTs a logout token to the client when the user ends the OP session, and counts it', async () => {
        await reset(peer.url);
        rp.got.length = 0;
        const jar = new peers.CookieJar();
        const { tokens } = await signIn(disc, APP, { username: 'bob', jar });
        // A second sign-in of the same client in the same OP session (another host) has the same sid.
        const again = await signIn(disc, APP, { username: 'nobody', jar });
        const sid = decodePayload(tokens.json.id_token).sid;
        assert.equal(decodePayload(again.tokens.json.id_token).sid, sid);
        await signIn(disc, BASIC, { username: 'nobody', jar });
        assert.equal(await endOpSession(disc, jar), null, 'ends on the OP\'s own "signed out" page');

        assert.equal(rp.got.length, 1, 'one POST, to the one client with a back-channel URI');
        const [post] = rp.got;
        assert.equal(post.method, 'POST');
        assert.match(post.type, /^application\/x-www-form-urlencoded/);
        const jwks = jose.createRemoteJWKSet(new URL(disc.jwks_uri));
        const { payload, protectedHeader } = await jose.jwtVerify(post.form.logout_token, jwks, { issuer: peer.url, audience: APP.id });
        assert.equal(protectedHeader.typ, 'logout+jwt');
        assert.equal(payload.sub, 'bob');
        assert.equal(payload.sid, sid);
        assert.deepEqual(payload.events, { [BCL_EVENT]: {} });
        assert.ok(payload.jti);
        assert.equal(payload.nonce, undefined);
        assert.ok(Math.abs(payload.iat - nowSec()) < 30);

        const s = await stats(peer.url);
        assert.equal(s.counts.backchannel_ok, 1);
        assert.equal(s.counts.backchannel_error, undefined);
        assert.deepEqual(s.last.backchannel_ok, { client_id: APP.id, sub: 'bob', sid });
    });

    it('counts a refused delivery as backchannel_error', async () => {
        const refusing = await logoutReceiver(400);
        const other = await peers.startPeer('oidc', [...clientArgs(APP), '--backchannel-logout-uri', refusing.url]);
        try {
            const d = await getJson(`${other.url}/.well-known/openid-configuration`);
            const jar = new peers.CookieJar();
            await signIn(d, APP, { username: 'alice', jar });
            await endOpSession(d, jar);
            assert.equal(refusing.got.length, 1);
            const s = await stats(other.url);
            assert.equal(s.counts.backchannel_ok, undefined);
            assert.equal(s.counts.backchannel_error, 1);
            assert.match(s.last.backchannel_error.error, /400/);
        } finally {
            assert.equal(await other.stop(), 0);
            await refusing.close();
        }
    });

    it('--no-backchannel-advertised leaves backchannel_logout_supported out of discovery', async () => {
        const quiet = await peers.startPeer('oidc', [...clientArgs(APP), '--backchannel-logout-uri', rp.url,
            '--no-backchannel-advertised']);
        try {
            const d = await getJson(`${quiet.url}/.well-known/openid-configuration`);
            assert.equal(d.backchannel_logout_supported, undefined);
            assert.equal(d.backchannel_logout_session_supported, undefined);
        } finally {
            assert.equal(await quiet.stop(), 0);
        }
        // Without any back-channel URI the feature is off.
        const plain = await peers.startPeer('oidc', [...clientArgs(BASIC)]);
        try {
            const d = await getJson(`${plain.url}/.well-known/openid-configuration`);
            assert.equal(d.backchannel_logout_supported, undefined);
        } finally {
            assert.equal(await plain.stop(), 0);
        }
        await assert.rejects(peers.startPeer('oidc', ['--backchannel-logout-uri', rp.url]), /exited \(2\).*--client-id/s);
        await assert.rejects(peers.startPeer('oidc', [...clientArgs(APP), '--backchannel-logout-uri', 'nope']),
            /exited \(2\).*absolute URL/s);
    });

    it('POST /__test/sign signs with the current key (or a stranger, or none)', async () => {
        const jwks = jose.createRemoteJWKSet(new URL(disc.jwks_uri));
        const payload = { iss: peer.url, aud: APP.id, nonce: 'n', iat: nowSec() };
        let r = await postJson(`${peer.url}/__test/sign`, { header: { typ: 'logout+jwt' }, payload });
        assert.equal(r.status, 200, JSON.stringify(r.json));
        const verified = await jose.jwtVerify(r.json.jws, jwks);
        assert.deepEqual(verified.payload, payload);
        assert.equal(verified.protectedHeader.typ, 'logout+jwt');
        assert.equal(verified.protectedHeader.alg, 'RS256');
        const { keys } = await getJson(disc.jwks_uri);
        assert.equal(verified.protectedHeader.kid, keys[0].kid);

        r = await postJson(`${peer.url}/__test/sign`, { header: { alg: 'none' }, payload });
        assert.deepEqual(decodeHeader(r.json.jws), { alg: 'none' });
        assert.equal(r.json.jws.split('.')[2], '');

        r = await postJson(`${peer.url}/__test/sign`, { header: { kid: 'mine' }, payload, key: 'stranger' });
        assert.equal(decodeHeader(r.json.jws).kid, 'mine');
        await assert.rejects(jose.jwtVerify(r.json.jws, jwks), /no applicable key|signature/i);

        r = await postJson(`${peer.url}/__test/sign`, { header: { alg: 'ES256' }, payload });
        assert.equal(r.status, 400);
        r = await postJson(`${peer.url}/__test/sign`, { header: {} });
        assert.equal(r.status, 400);
    });
});

describe('oidc.mjs --resource (RFC 8707, JWT access tokens RFC 9068)', { timeout: 120000 }, () => {
    let peer;
    let disc;
    let jwks;

    before(async () => {
        await loadPeers();
        peer = await peers.startPeer('oidc', [...clientArgs(BASIC), ...clientArgs(TESTER), '--resource', API,
            '--access-token-ttl', '120']);
        disc = await getJson(`${peer.url}/.well-known/openid-configuration`);
        jwks = jose.createRemoteJWKSet(new URL(disc.jwks_uri));
    });
    after(async () => { if (peer) assert.equal(await peer.stop(), 0); });

    const verifyAt = (token) => jose.jwtVerify(token, jwks, { issuer: peer.url, audience: API, typ: 'at+jwt' });

    it('client_credentials with resource=: a JWT for that audience, no user, no e-mail', async () => {
        const r = await clientCredentials(disc, TESTER, { resource: API, scope: 'api:read' });
        assert.equal(r.status, 200, JSON.stringify(r.json));
        const { payload, protectedHeader } = await verifyAt(r.json.access_token);
        assert.equal(protectedHeader.alg, 'RS256');
        assert.equal(payload.sub, TESTER.id);
        assert.equal(payload.client_id, TESTER.id);
        assert.equal(payload.scope, 'api:read');
        assert.equal(payload.email, undefined);
        assert.ok(payload.exp - payload.iat === 120);
        // Without resource= it stays an opaque token; an unknown resource is refused.
        const opaque = await clientCredentials(disc, TESTER, {});
        assert.equal(opaque.status, 200, JSON.stringify(opaque.json));
        assert.equal(opaque.json.access_token.split('.').length, 1);
        const unknown = await clientCredentials(disc, TESTER, { resource: 'http://127.0.0.1:9/other' });
        assert.equal(unknown.json.error, 'invalid_target');
    });

    it('authorization code with resource=: a JWT for alice with her e-mail', async () => {
        const { tokens } = await signIn(disc, TESTER, {
            username: 'alice', extra: { resource: API, scope: 'openid email api:read' },
        });
        assert.equal(tokens.status, 200, tokens.text);
        const { payload } = await verifyAt(tokens.json.access_token);
        assert.equal(payload.sub, 'alice');
        assert.equal(payload.email, 'alice@example.com');
        assert.equal(payload.client_id, TESTER.id);
        assert.equal(payload.scope, 'api:read');
        assert.ok(tokens.json.id_token, 'an ID token too');
    });

    it('the relying party that names no resource keeps opaque tokens that work at userinfo', async () => {
        const { tokens } = await signIn(disc, BASIC, { username: 'bob' });
        assert.equal(tokens.status, 200, tokens.text);
        assert.equal(tokens.json.access_token.split('.').length, 1, 'opaque');
        const info = await fetch(disc.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.json.access_token}` } });
        assert.equal(info.status, 200);
        assert.equal((await info.json()).email, 'bob@example.com');
        await assert.rejects(peers.startPeer('oidc', ['--resource', 'not a url']), /exited \(2\).*--resource/s);
    });
});

// ---- GitHub -------------------------------------------------------------------------------

const GH = { id: 'gh-client', secret: 'gh-secret' };

describe('github.mjs (GitHub OAuth web flow)', { timeout: 120000 }, () => {
    let peer;
    let base;

    before(async () => {
        await loadPeers();
        peer = await peers.startPeer('github', ['--client-id', GH.id, '--client-secret', GH.secret, '--callback-url', GH_CALLBACK]);
        base = peer.url;
    });
    after(async () => { if (peer) assert.equal(await peer.stop(), 0, 'exit status on SIGTERM'); });

    function authorizeUrl(params = {}) {
        const url = new URL(`${base}/login/oauth/authorize`);
        const all = { client_id: GH.id, redirect_uri: GH_CALLBACK, scope: 'read:user user:email', state: 'st-1', ...params };
        for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
        return url.href;
    }

    async function token(params, { accept = 'application/json', basic = false, json = false } = {}) {
        const headers = { 'user-agent': 'mod_nextauth-tests' };
        if (accept) headers.accept = accept;
        const body = { ...params };
        if (basic) {
            headers.authorization = `Basic ${Buffer.from(`${GH.id}:${GH.secret}`).toString('base64')}`;
        } else {
            body.client_id = body.client_id ?? GH.id;
            body.client_secret = body.client_secret ?? GH.secret;
        }
        headers['content-type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
        const res = await fetch(`${base}/login/oauth/access_token`, {
            method: 'POST', headers, body: json ? JSON.stringify(body) : new URLSearchParams(body),
        });
        return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    }

    async function api(path, accessToken, scheme = 'token') {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `${scheme} ${accessToken}`, 'user-agent': 'mod_nextauth-tests', accept: 'application/vnd.github+json' } });
        return { status: res.status, headers: res.headers, json: await res.json() };
    }

    const codeFrom = (location) => new URL(location).searchParams.get('code');

    it('alice: auto-approve with ?login=, JSON token response, /user with a public e-mail', async () => {
        const back = new URL(await peers.loginThrough(authorizeUrl({ login: 'alice' })));
        assert.equal(`${back.origin}${back.pathname}`, GH_CALLBACK);
        assert.equal(back.searchParams.get('state'), 'st-1');
        assert.match(back.searchParams.get('code'), /^[0-9a-f]{20}$/);
        const r = await token({ code: back.searchParams.get('code'), redirect_uri: GH_CALLBACK }, { json: true });
        assert.equal(r.status, 200);
        assert.match(r.type, /^application\/json/);
        const t = JSON.parse(r.text);
        assert.deepEqual(Object.keys(t), ['access_token', 'scope', 'token_type']);
        assert.match(t.access_token, /^gho_[A-Za-z0-9]{36}$/);
        assert.equal(t.token_type, 'bearer');
        assert.equal(t.scope, 'read:user,user:email');

        const user = await api('/user', t.access_token);
        assert.equal(user.status, 200);
        assert.equal(user.headers.get('x-oauth-scopes'), 'read:user, user:email');
        assert.equal(typeof user.json.id, 'number');
        assert.equal(user.json.id, 1001);
        assert.equal(user.json.login, 'alice');
        assert.equal(user.json.name, 'Alice Example');
        assert.equal(user.json.email, 'alice@example.com');
        assert.equal(user.json.avatar_url, `${base}/avatars/u/1001?v=4`);
        assert.equal((await fetch(user.json.avatar_url)).status, 200);
        const emails = await api('/user/emails', t.access_token, 'Bearer');
        assert.equal(emails.status, 200);
        assert.deepEqual(emails.json[0], { email: 'alice@example.com', primary: true, verified: true, visibility: 'public' });
    });

    it('bob: the consent form, a form-encoded token response, email null but a primary one in /user/emails', async () => {
        const page = await fetch(authorizeUrl());
        const html = await page.text();
        assert.equal(page.status, 200);
        assert.match(html, /<input id="login" name="login"/);
        assert.match(html, /Authorize gh-client/);
        const back = await peers.loginThrough(authorizeUrl(), { username: 'bob' });
        const r = await token({ code: codeFrom(back) }, { accept: null, basic: true });
        assert.equal(r.status, 200);
        assert.match(r.type, /^application\/x-www-form-urlencoded/);
        const t = Object.fromEntries(new URLSearchParams(r.text));
        assert.equal(t.token_type, 'bearer');
        assert.ok(r.text.startsWith('access_token=gho_'));
        const user = await api('/user', t.access_token);
        assert.equal(user.json.login, 'bob');
        assert.equal(user.json.name, null);
        assert.equal(user.json.email, null);
        const emails = await api('/user/emails', t.access_token);
        const primary = emails.json.find((e) => e.primary);
        assert.deepEqual(primary, { email: 'bob@example.com', primary: true, verified: true, visibility: 'private' });
        assert.notEqual(emails.json[0], primary, 'the primary address is not the first one');
    });

    it('carol: only a primary unverified address; XML token response on request', async () => {
        const back = await peers.loginThrough(authorizeUrl({ login: 'carol' }));
        const r = await token({ code: codeFrom(back) }, { accept: 'application/xml' });
        assert.match(r.text, /^<OAuth><access_token>gho_[A-Za-z0-9]{36}<\/access_token><scope>read:user,user:email<\/scope><token_type>bearer<\/token_type><\/OAuth>$/);
        const accessToken = /<access_token>([^<]+)/.exec(r.text)[1];
        const emails = await api('/user/emails', accessToken);
        assert.deepEqual(emails.json, [{ email: 'carol@example.com', primary: true, verified: false, visibility: 'private' }]);
    });

    it('token errors come back as HTTP 200 with error, error_description, error_uri', async () => {
        const code = codeFrom(await peers.loginThrough(authorizeUrl({ login: 'alice' })));
        let r = await token({ code, client_secret: 'wrong' });
        assert.equal(r.status, 200);
        assert.equal(JSON.parse(r.text).error, 'incorrect_client_credentials');
        r = await token({ code });
        assert.ok(JSON.parse(r.text).access_token, 'a bad client secret does not use the code up');
        r = await token({ code }); // replayed
        assert.equal(r.status, 200);
        const body = JSON.parse(r.text);
        assert.deepEqual(Object.keys(body), ['error', 'error_description', 'error_uri']);
        assert.equal(body.error, 'bad_verification_code');
        assert.equal(body.error_description, 'The code passed is incorrect or expired.');
        assert.match(body.error_uri, /^https:\/\/docs\.github\.com\/.*#bad-verification-code$/);

        const code2 = codeFrom(await peers.loginThrough(authorizeUrl({ login: 'alice' })));
        r = await token({ code: code2, redirect_uri: 'http://127.0.0.1:9/elsewhere' });
        assert.equal(JSON.parse(r.text).error, 'redirect_uri_mismatch');

        r = await token({ code: 'nope' }, { accept: null });
        assert.equal(Object.fromEntries(new URLSearchParams(r.text)).error, 'bad_verification_code');
    });

    it('authorization errors: redirect_uri mismatch, cancel, unknown client', async () => {
        let back = new URL(await peers.loginThrough(authorizeUrl({ redirect_uri: 'http://127.0.0.1:9/other', login: 'alice' })));
        assert.equal(`${back.origin}${back.pathname}`, GH_CALLBACK, 'sent to the registered callback');
        assert.equal(back.searchParams.get('error'), 'redirect_uri_mismatch');
        assert.equal(back.searchParams.get('state'), 'st-1');
        // a subdirectory of the callback URL is allowed
        back = new URL(await peers.loginThrough(authorizeUrl({ redirect_uri: `${GH_CALLBACK}/sub`, login: 'alice' })));
        assert.ok(back.searchParams.get('code'));

        const res = await fetch(`${base}/login/oauth/authorize`, {
            method: 'POST', redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ client_id: GH.id, redirect_uri: GH_CALLBACK, state: 's', authorize: '0', login: 'alice' }),
        });
        const cancelled = new URL(res.headers.get('location'));
        assert.equal(cancelled.searchParams.get('error'), 'access_denied');
        assert.equal(cancelled.searchParams.get('error_description'), 'The user has denied your application access.');
        assert.match(cancelled.searchParams.get('error_uri'), /#access-denied$/);

        assert.equal((await fetch(authorizeUrl({ client_id: 'nobody' }))).status, 404);
        await assert.rejects(peers.loginThrough(authorizeUrl(), { username: 'mallory' }), /Unknown user/);
    });

    it('checks a PKCE code_verifier when the authorization request had a code_challenge', async () => {
        const { verifier, challenge } = pkce();
        let code = codeFrom(await peers.loginThrough(authorizeUrl({ login: 'alice', code_challenge: challenge, code_challenge_method: 'S256' })));
        let r = await token({ code, code_verifier: pkce().verifier });
        assert.equal(JSON.parse(r.text).error, 'bad_verification_code');
        code = codeFrom(await peers.loginThrough(authorizeUrl({ login: 'alice', code_challenge: challenge, code_challenge_method: 'S256' })));
        r = await token({ code, code_verifier: verifier });
        assert.ok(JSON.parse(r.text).access_token);
    });

    it('REST API errors: no token, bad token, no User-Agent, missing user:email scope', async () => {
        let r = await bareGet(`${base}/user`, { 'user-agent': 'x' });
        assert.equal(r.status, 401);
        assert.equal(JSON.parse(r.text).message, 'Requires authentication');
        r = await bareGet(`${base}/user`, { 'user-agent': 'x', authorization: 'token gho_nope' });
        assert.equal(r.status, 401);
        assert.equal(JSON.parse(r.text).message, 'Bad credentials');

        const code = codeFrom(await peers.loginThrough(authorizeUrl({ login: 'bob', scope: 'read:user' })));
        const t = JSON.parse((await token({ code })).text);
        assert.equal(t.scope, 'read:user');
        r = await bareGet(`${base}/user`, { authorization: `token ${t.access_token}` });
        assert.equal(r.status, 403, 'no User-Agent');
        assert.match(r.text, /User-Agent/);
        const emails = await api('/user/emails', t.access_token);
        assert.equal(emails.status, 404);
        assert.equal((await api('/user', t.access_token)).status, 200);
    });

    describe('switches', () => {
        after(() => reset(base));

        it('authorize=error', async () => {
            await setMode(base, { authorize: 'error' });
            const back = new URL(await peers.loginThrough(authorizeUrl({ login: 'alice' })));
            assert.equal(back.searchParams.get('error'), 'access_denied');
            assert.match(back.searchParams.get('error_description'), /<script>/);
            assert.equal(back.searchParams.get('state'), 'st-1');
            await reset(base);
        });

        it('token=500|html|truncated|slow', async () => {
            const get = async () => token({ code: codeFrom(await peers.loginThrough(authorizeUrl({ login: 'alice' }))) });
            await setMode(base, { token: '500' });
            assert.equal((await get()).status, 500);
            await setMode(base, { token: 'html' });
            assert.match((await get()).type, /^text\/html/);
            await setMode(base, { token: 'truncated' });
            const cut = await get();
            assert.ok(cut.text.startsWith('{"access_token":"gho_'));
            assert.throws(() => JSON.parse(cut.text));
            await setMode(base, { token: 'slow', seconds: 1 });
            const t0 = Date.now();
            const slow = await get();
            assert.ok(Date.now() - t0 >= 950);
            assert.ok(JSON.parse(slow.text).access_token);
            await reset(base);
        });

        it('user=500, emails=hang', async () => {
            const code = codeFrom(await peers.loginThrough(authorizeUrl({ login: 'bob' })));
            const t = JSON.parse((await token({ code })).text);
            await setMode(base, { user: '500', emails: 'hang', seconds: 30 });
            assert.equal((await api('/user', t.access_token)).status, 500);
            await assert.rejects(fetch(`${base}/user/emails`, {
                headers: { authorization: `token ${t.access_token}`, 'user-agent': 'x' }, signal: AbortSignal.timeout(500),
            }));
            const s = await stats(base);
            assert.equal(s.last.emails.headers.authorization, `token ${t.access_token}`);
            await reset(base);
            assert.equal((await api('/user/emails', t.access_token)).status, 200);
        });
    });
});

// ---- a real browser ---------------------------------------------------------------------

const CHROMIUM = process.env.NA_CHROMIUM || '/usr/bin/chromium';
const haveChromium = (() => { try { fs.accessSync(CHROMIUM, fs.constants.X_OK); return true; } catch { return false; } })();

// Debian's chromium (never a downloaded one) clicks through both peers' pages: the cookies
// they set over plain HTTP on loopback must survive, and the forms must work without script.
describe('the peers in chromium', { timeout: 120000, skip: haveChromium ? false : `no ${CHROMIUM}` }, () => {
    let oidc;
    let github;
    let rp; // a stand-in relying party: its callback page just echoes the query
    let rpBase;
    let browser;

    before(async () => {
        await loadPeers();
        rp = http.createServer((req, res) => {
            res.writeHead(200, { 'content-type': 'text/html' });
            res.end('<!DOCTYPE html><title>callback</title><p id="done">callback reached</p>');
        });
        await new Promise((r) => rp.listen(0, '127.0.0.1', r));
        rpBase = `http://127.0.0.1:${rp.address().port}`;
        [oidc, github] = await Promise.all([
            peers.startPeer('oidc', ['--client-id', 'web', '--client-secret', 'web-secret',
                '--redirect-uri', `${rpBase}/api/auth/callback/oidc`]),
            peers.startPeer('github', ['--client-id', 'web', '--client-secret', 'web-secret',
                '--callback-url', `${rpBase}/api/auth/callback/github`]),
        ]);
        const { chromium } = require('playwright-core');
        browser = await chromium.launch({
            executablePath: CHROMIUM, headless: true,
            args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
            env: { ...process.env, HOME: process.env.HOME && fs.existsSync(process.env.HOME) ? process.env.HOME : '/tmp' },
        });
    });
    after(async () => {
        if (browser) await browser.close();
        if (oidc) assert.equal(await oidc.stop(), 0);
        if (github) assert.equal(await github.stop(), 0);
        if (rp) rp.close();
    });

    it('signs in at the OpenID provider, then signs out with its confirmation page', async () => {
        const disc = await getJson(`${oidc.url}/.well-known/openid-configuration`);
        const redirectUri = `${rpBase}/api/auth/callback/oidc`;
        const { verifier, challenge } = pkce();
        const url = new URL(disc.authorization_endpoint);
        const params = { client_id: 'web', redirect_uri: redirectUri, response_type: 'code', scope: 'openid email profile', state: 'b1', nonce: 'n1', code_challenge: challenge, code_challenge_method: 'S256' };
        for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
        const page = await browser.newPage();
        try {
            await page.goto(url.href);
            await page.fill('#login', 'alice');
            await Promise.all([page.waitForURL(`${redirectUri}?**`), page.click('#login-submit')]);
            const back = new URL(page.url());
            assert.equal(back.searchParams.get('state'), 'b1');
            assert.equal(back.searchParams.get('iss'), oidc.url);
            const tokens = await exchange(disc, { code: back.searchParams.get('code'), verifier, clientId: 'web', secret: 'web-secret', redirectUri });
            assert.equal(decodePayload(tokens.json.id_token).email, 'alice@example.com');

            // The provider remembers alice (its session cookie survived): straight back.
            url.searchParams.set('state', 'b2');
            await page.goto(url.href);
            await page.waitForURL(`${redirectUri}?**`);
            assert.equal(new URL(page.url()).searchParams.get('state'), 'b2');

            const end = new URL(disc.end_session_endpoint);
            end.searchParams.set('id_token_hint', tokens.json.id_token);
            end.searchParams.set('post_logout_redirect_uri', `${rpBase}/`);
            end.searchParams.set('state', 'out');
            await page.goto(end.href);
            await Promise.all([page.waitForURL(`${rpBase}/?state=out`), page.click('#logout-yes')]);

            // Signed out there: the login page again.
            await page.goto(url.href);
            await page.waitForSelector('#login');
        } finally {
            await page.close();
        }
    });

    it('authorizes the app at the GitHub peer', async () => {
        const redirectUri = `${rpBase}/api/auth/callback/github`;
        const url = new URL(`${github.url}/login/oauth/authorize`);
        for (const [k, v] of Object.entries({ client_id: 'web', redirect_uri: redirectUri, scope: 'read:user user:email', state: 'g1' })) url.searchParams.set(k, v);
        const page = await browser.newPage();
        try {
            await page.goto(url.href);
            await page.fill('#login', 'bob');
            await Promise.all([page.waitForURL(`${redirectUri}?**`), page.click('#authorize')]);
            const back = new URL(page.url());
            assert.equal(back.searchParams.get('state'), 'g1');
            assert.match(back.searchParams.get('code'), /^[0-9a-f]{20}$/);
        } finally {
            await page.close();
        }
    });
});
