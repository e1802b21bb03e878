// SPDX-License-Identifier: Apache-2.0
// Bearer for API clients on AuthType NextAuth locations (issue 13, RFC 6750): this site's
// own session token as `Authorization: Bearer` on both hosts, and on a NextAuthBearer
// location the real oidc-provider's JWT access tokens (RFC 9068, resource indicators), for a
// user and for a client alone. Wrong audience, expired, another key, alg none, an ID token,
// another user's e-mail refused by Require, NextAuthBearer off, no credentials: each its
// exact 401/403 with WWW-Authenticate, never a cookie or a redirect, and the backend never
// asked.
//   node --test t/revoke/bearer.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const {
    startRedis, startRevokeOp, startBackend, startHost, providerLine, revocationLine, cgiConf, freePort, Agent,
    REDIS_MODULE, CGI_MODULES, CRASH, badLogLines, sessionToken, assertBearerAnswer, assertNoCookieNoRedirect, bearerGet,
    envOf, clientToken, userToken, signAtOp, nowSec, API, OTHER_API, TESTER,
} = require('./lib/revoke');

const proxied = (backend, path, lines) => [
    `<Location ${path}>`,
    '    AuthType NextAuth',
    ...lines.map((l) => `    ${l}`),
    `    ProxyPass ${backend.url}${path}`,
    '</Location>',
];

describe('bearer: session tokens and the OP\'s JWT access tokens', { timeout: 240000 }, () => {
    let redis;
    let idp;
    let backend;
    let a;
    let b;
    let alice;

    before(async () => {
        redis = await startRedis();
        const ports = [await freePort(), await freePort()];
        [idp, backend] = await Promise.all([startRevokeOp({ ports }), startBackend()]);
        const bearer = `NextAuthBearer issuer=${idp.url} audience=${API}`;
        const conf = ({ dir }) => [
            revocationLine(redis),
            ...proxied(backend, '/app', ['Require valid-user']),
            ...proxied(backend, '/api', ['Require valid-user', bearer]),
            ...proxied(backend, '/api-bob', ['Require nextauth-email bob@example.com', bearer]),
            ...proxied(backend, '/nobearer', ['Require valid-user', 'NextAuthBearer off']),
            cgiConf(dir, '/cgi', ['AuthType NextAuth', 'Require valid-user', bearer, 'Options +ExecCGI']),
        ].join('\n');
        const host = { providers: [providerLine('oidc', idp)], modules: [REDIS_MODULE, ...CGI_MODULES], conf };
        a = await startHost({ name: 'revoke-bearer-a', port: ports[0], ...host });
        b = await startHost({ name: 'revoke-bearer-b', port: ports[1], secret: a.secret, ...host });
        alice = new Agent(`${a.url}/api/auth`);
        const res = await alice.signInAs('oidc', 'alice');
        assert.equal(res.status, 302, `sign-in: ${res.status} ${res.location} ${res.body.slice(0, 300)}`);
    });

    after(async () => {
        const logs = [];
        if (a) logs.push(await a.stop('revoke-bearer-a'));
        if (b) logs.push(await b.stop('revoke-bearer-b'));
        await Promise.all([backend, idp].filter(Boolean).map((p) => p.stop()));
        if (redis) await redis.stop();
        for (const log of logs) {
            assert.doesNotMatch(log, CRASH);
            // mod_authz_core logs the Require refusal of alice on /api-bob, as it should.
            assert.deepEqual(badLogLines(log, [/AH01631: user alice@example\.com: authorization failure for "\/api-bob\//]), [],
                'error log');
        }
    });

    /** A token this test holds: no log line may show it. */
    const secret = (token) => {
        a.neverLogged(token, 'bearer token');
        return token;
    };

    const assertServed = (res, what, { email, sub }) => {
        assert.equal(res.status, 200, `${what}: ${res.status} ${res.headers['www-authenticate'] || ''} ${res.body.slice(0, 200)}`);
        assertNoCookieNoRedirect(res, what);
        assert.ok(res.json, `${what}: the backend's echo`);
        assert.equal(res.json.headers['x-nextauth-email'], email, `${what}: X-NextAuth-Email`);
        assert.equal(res.json.headers['x-nextauth-sub'], sub, `${what}: X-NextAuth-Sub`);
    };

    const assertInvalid = async (path, token, what, headers) => {
        for (const host of [a, b]) {
            const res = await bearerGet(`${host.url}${path}`, token, headers);
            assertBearerAnswer(res, host, { error: 'invalid_token', what: `${what} on ${host.url}` });
            assert.equal(res.json?.path, undefined, `${what}: the backend was not asked`);
        }
    };

    it('the session token as Bearer works on both hosts, without a cookie being set', async () => {
        const token = secret(sessionToken(alice));
        for (const host of [a, b]) {
            assertServed(await bearerGet(`${host.url}/app/me`, token), `session token on ${host.url}`,
                { email: 'alice@example.com', sub: 'alice' });
            // A browser's Accept changes nothing: still no cookie, no redirect.
            const page = await bearerGet(`${host.url}/app/me`, token, { accept: 'text/html', 'sec-fetch-mode': 'navigate' });
            assertServed(page, `session token as a navigation on ${host.url}`, { email: 'alice@example.com', sub: 'alice' });
        }
    });

    it('a user\'s JWT access token from the OP on a NextAuthBearer location: the identity from its claims', async () => {
        const { access_token: at } = await userToken(idp, 'bob');
        secret(at);
        for (const host of [a, b]) {
            assertServed(await bearerGet(`${host.url}/api/x`, at), `bob's access token on ${host.url}`,
                { email: 'bob@example.com', sub: 'bob' });
            // Require nextauth-email judges bearer identities too.
            assertServed(await bearerGet(`${host.url}/api-bob/x`, at), `bob on /api-bob on ${host.url}`,
                { email: 'bob@example.com', sub: 'bob' });
        }
        const env = envOf((await bearerGet(`${a.url}/cgi/env.cgi`, at, { accept: '*/*' })).body);
        assert.equal(env.REMOTE_USER, 'bob@example.com', JSON.stringify(env));
    });

    it('a client_credentials token (no user): REMOTE_USER bearer:<sub>', async () => {
        const at = secret(await clientToken(idp));
        const res = await bearerGet(`${a.url}/api/x`, at);
        assertServed(res, 'client token', { email: undefined, sub: TESTER.id });
        const env = envOf((await bearerGet(`${a.url}/cgi/env.cgi`, at, { accept: '*/*' })).body);
        assert.equal(env.REMOTE_USER, `bearer:${TESTER.id}`, JSON.stringify(env));
    });

    it('Require nextauth-email refusing a bearer identity: 403 insufficient_scope', async () => {
        const { access_token: at } = await userToken(idp, 'alice');
        secret(at);
        for (const host of [a, b]) {
            const res = await bearerGet(`${host.url}/api-bob/x`, at);
            assertBearerAnswer(res, host, { status: 403, error: 'insufficient_scope', what: `alice on /api-bob on ${host.url}` });
        }
    });

    const forged = (claims, header = {}, key) => signAtOp(idp, {
        iss: idp.url, aud: API, sub: 'alice', email: 'alice@example.com', client_id: TESTER.id,
        iat: nowSec(), exp: nowSec() + 300, jti: crypto.randomBytes(8).toString('hex'), scope: 'api:read', ...claims,
    }, { typ: 'at+jwt', ...header }, key);

    it('a forged token validly signed by the OP is accepted (the control for the cases below)', async () => {
        assertServed(await bearerGet(`${a.url}/api/x`, secret(await forged({}))), 'forged good token',
            { email: 'alice@example.com', sub: 'alice' });
    });

    it('wrong audience, expired, not yet valid, another key, alg none: 401 invalid_token', async () => {
        await assertInvalid('/api/x', secret(await clientToken(idp, OTHER_API)), 'a token for another audience');
        await assertInvalid('/api/x', secret(await forged({ iat: nowSec() - 7200, exp: nowSec() - 3600 })), 'an expired token');
        await assertInvalid('/api/x', secret(await forged({ nbf: nowSec() + 3600 })), 'a token not valid before an hour');
        await assertInvalid('/api/x', secret(await forged({}, {}, 'stranger')), 'a token signed by another key');
        await assertInvalid('/api/x', secret(await forged({}, { alg: 'none' })), 'alg none');
        await assertInvalid('/api/x', secret(await forged({ iss: 'http://127.0.0.1:1/other-issuer' })), 'another issuer');
        // A browser's headers change nothing: still 401, no redirect to sign-in.
        await assertInvalid('/api/x', 'not-a-token-at-all', 'junk', { accept: 'text/html', 'sec-fetch-mode': 'navigate' });
        // A huge one (7 KiB, under httpd's 8 KiB header line) is refused without work.
        const huge = ['a', 'b', 'c'].map((c) => c.repeat(2400)).join('.');
        await assertInvalid('/api/x', huge, 'a 7 KiB token');
        await assertInvalid('/app/x', huge, 'a 7 KiB token where only session tokens are taken');
    });

    it('an ID token presented as an access token: 401 invalid_token', async () => {
        const { id_token: idToken } = await userToken(idp, 'alice');
        await assertInvalid('/api/x', secret(idToken), 'an ID token');
        // Even one whose audience is the API: it is no at+jwt.
        await assertInvalid('/api/x', secret(await forged({}, { typ: 'JWT' })), 'a JWT with typ JWT');
    });

    it('NextAuthBearer off refuses every bearer token; no credentials: 401 Bearer realm where NextAuthBearer is set, NextAuth alone elsewhere', async () => {
        const token = secret(sessionToken(alice));
        for (const host of [a, b]) {
            const off = await bearerGet(`${host.url}/nobearer/x`, token);
            assertBearerAnswer(off, host, { what: `NextAuthBearer off on ${host.url}` });
            assert.equal(off.json?.path, undefined, 'the backend was not asked');
            const none = await bearerGet(`${host.url}/api/x`, null);
            assertBearerAnswer(none, host, { what: `no credentials on ${host.url}/api/x` });
            // Without a NextAuthBearer line the location keeps its challenge as it was
            // (README: `on` or `issuer=` adds Bearer realm), and still answers 401.
            const plain = await bearerGet(`${host.url}/app/x`, null);
            assert.equal(plain.status, 401, `no credentials on ${host.url}/app/x: ${plain.status}`);
            assert.equal(plain.headers['www-authenticate'], 'NextAuth', `no credentials on ${host.url}/app/x`);
            assert.deepEqual(plain.setCookies, [], 'no cookie');
        }
        // The cookie still works where bearer tokens are off.
        const res = await alice.request(`${a.url}/nobearer/x`, { headers: { accept: 'application/json' } });
        assert.equal(res.status, 200, `the cookie on /nobearer: ${res.status}`);
    });
});
