// SPDX-License-Identifier: Apache-2.0
// The IdP's tokens end to end (issue 12): two httpds sharing one private Redis
// (NextAuthTokenCache redis:…), the real oidc-provider with short access tokens and
// refresh-token rotation, and an echoing backend behind mod_proxy that introspects the bearer
// token it gets (RFC 7662). A sign-in keeps the tokens in a server-side record named by the
// cookie's sid; the backend gets `Authorization: Bearer` and the claim headers, never the
// client's copies; 50 parallel requests from 8 tabs over both hosts, just inside the refresh
// window, make exactly one refresh at the OP and all get the new token (and a second cycle
// works, so the rotated refresh token was kept); a revoked grant (invalid_grant) ends the
// session.
//   node --test t/tokens/tokens.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
    startRedis, startOp, startBackend, startHost, providerLine, cgiConf, sessionOf, viaProxy,
    navigate, tabOf, sidOf, keysOfSid, op, until, needExpose, assertToSignIn, freePort, Agent, CLIENT, REDIS_MODULE, CGI_MODULES,
    CRASH, badLogLines,
} = require('./lib/stack');

// Access tokens live TTL s at the OP; the module refreshes within BEFORE s of the end. So a
// token is due TTL - BEFORE s after it was issued and still valid for BEFORE s more.
const TTL = 10;
const BEFORE = 6;
// Margin for the module's whole-second clock and a busy machine.
const SLACK_MS = 1500;
const nowSec = () => Math.floor(Date.now() / 1000);

const locations = (backend) => [
    '<Location /app>',
    '    AuthType NextAuth',
    '    Require valid-user',
    '    NextAuthPassTokens access',
    '    NextAuthPassClaims groups,email',
    `    ProxyPass ${backend.url}/app`,
    '</Location>',
    '<Location /hdr>',
    '    AuthType NextAuth',
    '    Require valid-user',
    '    NextAuthPassTokens id as=header',
    `    ProxyPass ${backend.url}/hdr`,
    '</Location>',
    '<Location /plain>',
    '    AuthType NextAuth',
    '    Require valid-user',
    `    ProxyPass ${backend.url}/plain`,
    '</Location>',
];

describe('tokens: two hosts, one Redis, oidc-provider with rotation', { timeout: 300000 }, () => {
    let redis;
    let idp;
    let backend;
    let a;
    let b;

    before(async () => {
        redis = await startRedis();
        const ports = [await freePort(), await freePort()];
        idp = await startOp({ ports, args: ['--access-token-ttl', String(TTL), '--rotate-refresh', '--groups-shape', 'okta'] });
        backend = await startBackend(idp);
        const conf = ({ dir }) => [
            `NextAuthTokenCache redis:127.0.0.1:${redis.port}`,
            `NextAuthRefresh before=${BEFORE}`,
            'NextAuthSession expose=accessToken,error',
            ...locations(backend),
            cgiConf(dir, '/cgi', ['AuthType NextAuth', 'Require valid-user', 'NextAuthPassClaims groups,email',
                'Options +ExecCGI']),
        ].join('\n');
        const host = { providers: [providerLine('oidc', idp)], modules: [REDIS_MODULE, ...CGI_MODULES], conf };
        a = await startHost({ name: 'tokens-a', port: ports[0], ...host });
        b = await startHost({ name: 'tokens-b', port: ports[1], secret: a.secret, ...host });
    });

    after(async () => {
        const logs = [];
        if (a) logs.push(await a.stop('tokens-a'));
        if (b) logs.push(await b.stop('tokens-b'));
        if (backend) await backend.stop();
        if (idp) await idp.stop();
        if (redis) await redis.stop();
        for (const log of logs) {
            assert.doesNotMatch(log, CRASH);
            // The revoked grant's refusal may be logged as an error; nothing else may.
            assert.deepEqual(badLogLines(log, [/invalid_grant|RefreshAccessTokenError|refresh/i]), [], 'error log');
        }
    });

    const signIn = async (user) => {
        const agent = new Agent(`${a.url}/api/auth`);
        const res = await agent.signInAs('oidc', user);
        // After the callback: the tokens were issued before this, so `issued` bounds the
        // moment they become due (and expire) from above.
        const issued = Date.now();
        assert.equal(res.status, 302, `sign-in as ${user}: ${res.status} ${res.location} ${res.body.slice(0, 300)}`);
        return { agent, issued };
    };

    it('the backend gets a bearer token that introspects active for the user, and the claim headers', async () => {
        const { agent } = await signIn('alice');
        const spoof = {
            authorization: 'Bearer forged-by-the-client',
            'x-nextauth-claim-groups': 'forged', 'x-nextauth-claim-role': 'root',
            'x-nextauth-access-token': 'forged-header',
        };
        const res = await viaProxy(agent, a, '/app/page?x=1', spoof);
        assert.equal(res.status, 200, res.body.slice(0, 300));
        const { echo } = res;
        assert.equal(echo.path, '/app/page');
        assert.ok(echo.bearer && echo.bearer !== 'forged-by-the-client', `bearer: ${echo.bearer}`);
        assert.ok(echo.introspection && echo.introspection.active, JSON.stringify(echo.introspection));
        assert.equal(echo.introspection.sub, 'alice');
        assert.equal(echo.introspection.client_id, CLIENT.id);
        assert.ok(echo.introspection.exp > nowSec() && echo.introspection.exp <= nowSec() + TTL + 1);
        assert.deepEqual(echo.claims, { groups: 'admins,Everyone', email: 'alice@example.com' });
        assert.equal(echo.headers['x-nextauth-access-token'], undefined, 'the client\'s copy is gone');

        // Host B reads the same record: the same token.
        const onB = await viaProxy(agent, b, '/app/other', spoof);
        assert.equal(onB.status, 200, onB.body.slice(0, 300));
        assert.equal(onB.echo.bearer, echo.bearer);
        assert.deepEqual(onB.echo.claims, echo.claims);

        // A location without NextAuthPassTokens passes none (the client's Authorization stays
        // the client's business there, but no token of ours is added).
        const plain = await viaProxy(agent, a, '/plain/x');
        assert.equal(plain.status, 200);
        assert.equal(plain.echo.bearer, null);
        assert.deepEqual(plain.echo.claims, {});
    });

    it('NextAuthPassTokens id as=header: X-NextAuth-Id-Token is the user\'s ID token', async () => {
        const { agent } = await signIn('bob');
        const res = await viaProxy(agent, b, '/hdr/x', { 'x-nextauth-id-token': 'forged' });
        assert.equal(res.status, 200, res.body.slice(0, 300));
        const idToken = res.echo.headers['x-nextauth-id-token'];
        assert.match(idToken || '', /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
        a.neverLogged(idToken, 'ID token');
        const payload = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url'));
        assert.equal(payload.sub, 'bob');
        assert.equal(payload.iss, idp.url);
        assert.deepEqual(payload.groups, ['Everyone']);
        assert.equal(res.echo.bearer, null, 'no bearer in header mode');
        assert.equal(res.echo.headers['x-nextauth-access-token'], undefined);
    });

    it('CGI gets NEXTAUTH_CLAIM_* in its environment, the client\'s copies do not count', async () => {
        const { agent } = await signIn('alice');
        const res = await navigate(agent, `${a.url}/cgi/env.cgi`, { 'x-nextauth-claim-groups': 'forged' });
        assert.equal(res.status, 200, res.body.slice(0, 300));
        assert.match(res.body, /^NEXTAUTH_CLAIM_GROUPS=admins,Everyone$/m, res.body);
        assert.match(res.body, /^NEXTAUTH_CLAIM_EMAIL=alice@example\.com$/m);
        assert.doesNotMatch(res.body, /forged/);
    });

    it('the cookie names a session id; the record under it in Redis is sealed', async (t) => {
        const { agent } = await signIn('alice');
        const res = await viaProxy(agent, a, '/app/x');
        assert.equal(res.status, 200);
        const sid = await sidOf(agent, a);
        assert.match(sid || '', /^[\w-]{22}$/, `sid ${sid}`);
        const keys = keysOfSid(redis, sid);
        assert.ok(keys.length >= 1, `a Redis key with the sid: ${redis.keys().join(' ')}`);
        for (const key of keys) {
            const value = redis.cli('GET', key);
            assert.ok(!value.includes(res.echo.bearer), 'the access token is not stored in clear');
            assert.ok(!/alice@example\.com/.test(value), 'nor the claims');
        }
        const cookieBytes = [...agent.cookies].filter(([k]) => k.startsWith('next-auth.session-token'))
            .reduce((n, [k, v]) => n + k.length + 1 + v.length, 0);
        assert.ok(cookieBytes < 1500, `the session cookie stays small: ${cookieBytes} bytes`);
        t.diagnostic(`session cookie ${cookieBytes} bytes; record ${redis.cli('STRLEN', keys[0]).trim()} bytes in Redis`);
    });

    it('50 parallel requests from 8 tabs on both hosts: one refresh at the OP, all get the new token', async (t) => {
        const { agent, issued } = await signIn('alice');
        const first = await viaProxy(agent, a, '/app/before');
        assert.equal(first.status, 200);
        const old = first.echo.bearer;
        assert.ok(old, 'a bearer token before the window');
        await op.reset(idp);
        await until(issued + (TTL - BEFORE) * 1000 + SLACK_MS);

        const tabs = Array.from({ length: 8 }, () => tabOf(agent));
        const t0 = Date.now();
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
            viaProxy(tabs[i % tabs.length], i % 2 ? b : a, `/app/parallel/${i}`)));
        const ms = Date.now() - t0;
        const statuses = results.map((r) => r.status);
        assert.deepEqual(statuses, Array(50).fill(200), `statuses: ${statuses.join(' ')}`);
        const bearers = new Set(results.map((r) => r.echo.bearer));
        assert.equal(bearers.size, 1, `one token for all 50: ${bearers.size} different`);
        const [fresh] = bearers;
        assert.notEqual(fresh, old, 'the new token, not the one about to expire');
        for (const r of results) assert.ok(r.echo.introspection && r.echo.introspection.active, JSON.stringify(r.echo.introspection));

        let stats = await op.stats(idp);
        assert.equal(stats.counts.refresh, 1, `refresh grants at the OP: ${JSON.stringify(stats.counts)}`);
        assert.equal(stats.counts.refresh_refused, undefined, 'no refresh token was used twice');
        assert.equal(stats.last.refresh.rotated, true, 'the OP rotated the refresh token');
        t.diagnostic(`50 requests over 2 hosts in ${ms} ms, one refresh`);

        // A second cycle on the rotated refresh token: the module kept it.
        const exp = results[0].echo.introspection.exp;
        await until((exp - BEFORE) * 1000 + SLACK_MS);
        const again = await Promise.all(Array.from({ length: 10 }, (_, i) =>
            viaProxy(tabs[i % tabs.length], i % 2 ? a : b, `/app/again/${i}`)));
        assert.deepEqual(again.map((r) => r.status), Array(10).fill(200));
        const third = new Set(again.map((r) => r.echo.bearer));
        assert.equal(third.size, 1);
        assert.ok(!third.has(fresh) && !third.has(old), 'a third token');
        assert.ok(again[0].echo.introspection && again[0].echo.introspection.active);
        stats = await op.stats(idp);
        assert.equal(stats.counts.refresh, 2, JSON.stringify(stats.counts));
        assert.equal(stats.counts.refresh_refused, undefined);

        // GET session with expose=accessToken shows the current one.
        needExpose(b);
        const session = await sessionOf(agent, b);
        assert.equal(session.user.email, 'alice@example.com');
        assert.equal(session.accessToken, [...third][0]);
        assert.equal(session.error, undefined);
    });

    it('a revoked grant (invalid_grant) ends the session: sign-in page, 401 for JSON, error in the session', async () => {
        const one = await signIn('dave');
        const two = await signIn('dave');
        assert.equal((await viaProxy(one.agent, a, '/app/ok')).status, 200);
        await op.reset(idp);
        const revoked = await op.revoke(idp, 'dave');
        assert.ok(revoked.revoked >= 2, JSON.stringify(revoked));
        await until(two.issued + (TTL - BEFORE) * 1000 + SLACK_MS);

        const page = await viaProxy(one.agent, b, '/app/page');
        assertToSignIn(page, b, 'browser after invalid_grant');
        const api = await viaProxy(two.agent, a, '/app/api', { accept: 'application/json' });
        assert.equal(api.status, 401, `JSON after invalid_grant: ${api.status} ${api.body.slice(0, 200)}`);
        assert.equal(api.echo, null);
        needExpose(a);
        const session = await sessionOf(two.agent, a);
        assert.equal(session.error, 'RefreshAccessTokenError', JSON.stringify(session));
        assert.equal(session.accessToken, undefined);

        let stats = await op.stats(idp);
        assert.ok(stats.counts.refresh >= 1 && stats.counts.refresh <= 2, JSON.stringify(stats.counts));
        assert.equal(stats.counts.refresh_refused, stats.counts.refresh, 'each one refused');
        // An ended session does not ask again.
        const refreshes = stats.counts.refresh;
        for (const host of [a, b]) assertToSignIn(await viaProxy(one.agent, host, '/app/again'), host, 'again');
        stats = await op.stats(idp);
        assert.equal(stats.counts.refresh, refreshes, 'no refresh with a refused token');
    });
});
