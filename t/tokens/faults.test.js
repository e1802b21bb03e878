// SPDX-License-Identifier: Apache-2.0
// Faults of the token layer (issue 12, "Bad input and faults"), one httpd on a private
// Redis and the real oidc-provider with rotation: a refresh answered 500, junk, 20 MB or
// slower than the provider timeout is survived while the old access token is valid and
// answered 503 once it expired, with no crash; the IdP back, the next request refreshes.
// A token record deleted, overwritten with junk or replaced by another session's record:
// the session continues without tokens (a log line), and the location that needs the
// access token sends to sign in.
//   node --test t/tokens/faults.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
    startRedis, startOp, startBackend, startHost, providerLine, sessionOf, viaProxy, sidOf, keysOfSid, op,
    until, assertToSignIn, freePort, sleep, Agent, REDIS_MODULE, CRASH, tabOf,
} = require('./lib/stack');

const TTL = 10;
const BEFORE = 6;
const SLACK_MS = 1500;
// The provider's timeout=, and a slow answer well past it.
const TIMEOUT = 2;
const SLOW = 5;

describe('tokens: faults at the IdP and in the cache', { timeout: 400000 }, () => {
    let redis;
    let idp;
    let backend;
    let a;

    before(async () => {
        redis = await startRedis();
        const port = await freePort();
        idp = await startOp({ ports: [port], args: ['--access-token-ttl', String(TTL), '--rotate-refresh'] });
        backend = await startBackend(idp);
        a = await startHost({
            name: 'tokens-faults',
            port,
            providers: [providerLine('oidc', idp, `timeout=${TIMEOUT}`)],
            modules: [REDIS_MODULE],
            conf: [
                `NextAuthTokenCache redis:127.0.0.1:${redis.port}`,
                `NextAuthRefresh before=${BEFORE}`,
                'NextAuthSession expose=accessToken,error',
                '<Location /app>',
                '    AuthType NextAuth',
                '    Require valid-user',
                '    NextAuthPassTokens access',
                `    ProxyPass ${backend.url}/app`,
                '</Location>',
                '<Location /plain>',
                '    AuthType NextAuth',
                '    Require valid-user',
                `    ProxyPass ${backend.url}/plain`,
                '</Location>',
            ].join('\n'),
        });
    });

    after(async () => {
        let log = '';
        if (a) log = await a.stop('tokens-faults');
        if (backend) await backend.stop();
        if (idp) await idp.stop();
        if (redis) await redis.stop();
        // Failed refreshes are errors worth logging; a crash never is.
        assert.doesNotMatch(log, CRASH);
    });

    const signIn = async (user = 'alice') => {
        const agent = new Agent(`${a.url}/api/auth`);
        const res = await agent.signInAs('oidc', user);
        // After the callback: the tokens were issued before this, so `issued` bounds the
        // moment they become due (and expire) from above.
        const issued = Date.now();
        assert.equal(res.status, 302, `sign-in: ${res.status} ${res.location} ${res.body.slice(0, 300)}`);
        const first = await viaProxy(agent, a, '/app/first');
        assert.equal(first.status, 200, first.body.slice(0, 300));
        assert.ok(first.echo.introspection && first.echo.introspection.active,
            `the backend gets a bearer token that is active at the OP: ${JSON.stringify(first.echo.introspection)}`);
        return { agent, issued, old: first.echo.bearer };
    };

    const REFRESH_FAULTS = [
        ['500', {}],
        ['junk', {}],
        ['oversized', { bytes: 20 * 1024 * 1024 }],
        ['slow', { seconds: SLOW }],
    ];
    for (const [kind, extra] of REFRESH_FAULTS) {
        it(`refresh answered ${kind === 'oversized' ? '20 MB' : kind}: the old token while valid, then 503; no crash`, async (t) => {
            const { agent, issued, old } = await signIn();
            await op.reset(idp);
            await op.mode(idp, { refresh: kind, ...extra });
            try {
                await until(issued + (TTL - BEFORE) * 1000 + SLACK_MS);
                const during = await viaProxy(agent, a, '/app/during');
                assert.equal(during.status, 200, `in the window: ${during.status} ${during.body.slice(0, 200)}`);
                assert.equal(during.echo.bearer, old, 'served with the old token');
                assert.ok(during.ms < (TIMEOUT + 3) * 1000, `answered in ${during.ms} ms`);
                const stats = await op.stats(idp);
                assert.ok(stats.counts.refresh >= 1, `a refresh was tried: ${JSON.stringify(stats.counts)}`);

                await until(issued + TTL * 1000 + SLACK_MS);
                const expired = await viaProxy(agent, a, '/app/expired');
                assert.equal(expired.status, 503, `after expiry: ${expired.status} ${expired.body.slice(0, 200)}`);
                assert.equal(expired.echo, null, 'the backend was not asked');
                assert.match(expired.headers['retry-after'] || '', /^\d+$/, 'with Retry-After');
                assert.ok(expired.ms < (TIMEOUT + 3) * 1000, `503 in ${expired.ms} ms`);
                t.diagnostic(`${kind}: in the window ${during.ms} ms, after expiry 503 in ${expired.ms} ms`);
            } finally {
                await op.mode(idp, { refresh: 'off', bytes: '', seconds: '' });
            }
            assert.doesNotMatch(a.errorLog(), CRASH);

            // The IdP is back: the refresh token was never used, the next requests refresh.
            let back;
            for (let i = 0; i < 10; i++) {
                back = await viaProxy(agent, a, '/app/back');
                if (back.status === 200) break;
                await sleep(1000);
            }
            assert.equal(back.status, 200, `after the IdP came back: ${back.status}`);
            assert.notEqual(back.echo.bearer, old);
            assert.ok(back.echo.introspection && back.echo.introspection.active, JSON.stringify(back.echo.introspection));
            assert.equal((await op.stats(idp)).counts.refresh_refused, undefined, 'no refresh token reused');
        });
    }

    // The record of `agent`'s session in Redis: the key naming its sid that holds a sealed
    // record (a lock entry is a small counter).
    const recordKey = async (agent) => {
        const sid = await sidOf(agent, a);
        const keys = keysOfSid(redis, sid).filter((k) => Number(redis.cli('STRLEN', k).trim()) > 64);
        assert.equal(keys.length, 1, `one record key for sid ${sid}: ${redis.keys().join(' ')}`);
        return keys[0];
    };

    const MEMO_MS = 1100;
    const RECORD_FAULTS = [
        ['deleted (cache flushed)', async (key) => redis.cli('DEL', key)],
        ['overwritten with junk', async (key) => redis.cli('SET', key, 'junk'.repeat(40))],
        ['replaced by another session\'s record', async (key) => {
            const other = await signIn('bob');
            redis.cli('COPY', await recordKey(other.agent), key, 'REPLACE');
        }],
    ];
    for (const [what, tamper] of RECORD_FAULTS) {
        it(`a token record ${what}: the session goes on without tokens; the token location sends to sign in`, async () => {
            const { agent } = await signIn('alice');
            const key = await recordKey(agent);
            await tamper(key);
            // Each httpd process keeps a record it opened for one second (its memo): what
            // changes in the shared cache behind its back shows after that second.
            await sleep(MEMO_MS);
            const logBefore = a.errorLog().length;

            const page = await viaProxy(agent, a, '/app/page');
            assertToSignIn(page, a, 'the token location');
            const api = await viaProxy(agent, a, '/app/api', { accept: 'application/json' });
            assert.equal(api.status, 401, `JSON: ${api.status} ${api.body.slice(0, 200)}`);
            assert.equal(api.echo, null);

            const plain = await viaProxy(agent, a, '/plain/x');
            assert.equal(plain.status, 200, 'a location without tokens still serves the session');
            assert.equal(plain.echo.bearer, null);
            const session = await sessionOf(agent, a);
            assert.equal(session.user && session.user.email, 'alice@example.com', JSON.stringify(session));
            assert.equal(session.accessToken, undefined, 'no token, and never bob\'s');

            const logged = a.errorLog().slice(logBefore);
            assert.match(logged, /\[nextauth:\w+\].*NA\d{5}/, `a log line about the record: ${logged}`);
            assert.doesNotMatch(logged, CRASH);
        });
    }

    // Sign-out removes the record (and this process's memo of it): a copy of the cookie
    // taken before, replayed once the other processes' memo second has passed, carries
    // no tokens any more, though the cookie itself still decrypts (issue 13 revokes it).
    it('sign-out removes the record: a copied cookie finds no tokens', async () => {
        const { agent } = await signIn('alice');
        const key = await recordKey(agent);
        const copy = tabOf(agent);
        const csrfToken = await agent.csrf();
        const out = await agent.request(`${a.url}/api/auth/signout`, { form: { csrfToken } });
        assert.equal(out.status, 302, `sign-out: ${out.status} ${out.body.slice(0, 200)}`);
        assert.equal(redis.cli('EXISTS', key).trim(), '0', 'the record left Redis at sign-out');
        await sleep(MEMO_MS);
        const page = await viaProxy(copy, a, '/app/after-signout');
        assertToSignIn(page, a, 'the copied cookie at the token location');
        assert.equal(page.echo, null, 'no backend call with a token');
    });
});
