// SPDX-License-Identifier: Apache-2.0
// OpenID Connect Back-Channel Logout end to end (issue 13): two httpds sharing one Redis
// (NextAuthRevocation cache=redis:…), the real oidc-provider with back-channel logout to
// host A's route. A headless Chromium signs in on A and on B (one OP session); the user ends
// the OP session at the OP's end_session page; once the OP reports the delivery, the very
// next protected request on each host goes to sign-in and GET session is {}. A forged
// (validly signed) sub-only token ends every session of that user. Then the OpenID
// conformance suite's negative cases: each refused with 400 (or 413), nothing revoked.
//   node --test t/revoke/backchannel.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
    startRedis, startRevokeOp, startBackend, startHost, providerLine, revocationLine, viaProxy, tabOf,
    assertToSignIn, freePort, Agent, REDIS_MODULE, CRASH, badLogLines, backchannelUri, logoutToken, post,
    assertRefusedLogout, waitForCount, clearsSession, op, nowSec,
} = require('./lib/revoke');
const { launchChromium, screenshot } = require('../browser/lib/browser');
const { sessionCookies, useSession, firstHop, signInThrough, endOpSession } = require('./lib/chrome');

const locations = (backend) => [
    '<Location /app>',
    '    AuthType NextAuth',
    '    Require valid-user',
    `    ProxyPass ${backend.url}/app`,
    '</Location>',
];

describe('back-channel logout: two hosts, one Redis, oidc-provider', { timeout: 240000 }, () => {
    let redis;
    let idp;
    let nobc;
    let backend;
    let a;
    let b;
    let chrome;

    before(async () => {
        redis = await startRedis();
        const ports = [await freePort(), await freePort()];
        [idp, nobc, backend] = await Promise.all([
            startRevokeOp({ ports }),
            // A provider whose discovery does not say backchannel_logout_supported.
            startRevokeOp({ ports, ids: ['nobc'], args: ['--no-backchannel-advertised'] }),
            startBackend(),
        ]);
        const host = {
            providers: [providerLine('oidc', idp), providerLine('nobc', nobc), 'credentials name="Test login" authn=file'],
            modules: [REDIS_MODULE],
            conf: [revocationLine(redis), ...locations(backend)].join('\n'),
        };
        a = await startHost({ name: 'revoke-bcl-a', port: ports[0], ...host });
        b = await startHost({ name: 'revoke-bcl-b', port: ports[1], secret: a.secret, ...host });
        chrome = await launchChromium();
    });

    after(async () => {
        if (chrome) await chrome.close();
        const logs = [];
        if (a) logs.push(await a.stop('revoke-bcl-a'));
        if (b) logs.push(await b.stop('revoke-bcl-b'));
        await Promise.all([backend, idp, nobc].filter(Boolean).map((p) => p.stop()));
        if (redis) await redis.stop();
        for (const log of logs) {
            assert.doesNotMatch(log, CRASH);
            assert.deepEqual(badLogLines(log, [/logout.token|back-?channel/i]), [], 'error log');
        }
    });

    /** A scripted browser signed in as `user` on A, and a tab of it on B. */
    const signedIn = async (user) => {
        const agent = new Agent(`${a.url}/api/auth`);
        const res = await agent.signInAs('oidc', user);
        assert.equal(res.status, 302, `sign-in as ${user}: ${res.status} ${res.location} ${res.body.slice(0, 300)}`);
        return { onA: agent, onB: tabOf(agent, `${b.url}/api/auth`) };
    };

    /** Asserts the session of `who` answers on both hosts as `email`. */
    const assertAlive = async (who, email, what) => {
        for (const [agent, host] of [[who.onA, a], [who.onB, b]]) {
            const res = await viaProxy(agent, host, '/app/check');
            assert.equal(res.status, 200, `${what}: on ${host.url}: ${res.status} ${res.location} ${res.body.slice(0, 200)}`);
            assert.equal(res.echo.headers['x-nextauth-email'], email, `${what}: the backend saw the user`);
        }
    };

    const assertEnded = async (who, what) => {
        for (const [agent, host] of [[who.onA, a], [who.onB, b]]) {
            assertToSignIn(await viaProxy(tabOf(agent), host, '/app/check'), host, `${what} on ${host.url}`);
        }
    };

    it('ending the OP session ends the browser\'s sessions on A and B at their next request', async () => {
        const { page, context } = chrome;
        const echoA = await signInThrough(page, a.url, '/app/first', { opUrl: idp.url });
        assert.equal(echoA.headers['x-nextauth-email'], 'alice@example.com');
        const onA = await sessionCookies(context);
        assert.ok(onA.length > 0, 'a session cookie from A');
        // Cookies are per host, not port: drop A's session so B makes its own, in the same
        // OP session (no login form this time).
        await useSession(context, []);
        const echoB = await signInThrough(page, b.url, '/app/first', { opUrl: idp.url });
        assert.equal(echoB.headers['x-nextauth-email'], 'alice@example.com');
        const onB = await sessionCookies(context);
        assert.notDeepEqual(onB.map((c) => c.value), onA.map((c) => c.value), 'two sessions');
        for (const [cookies, name] of [[onA, 'A\'s session'], [onB, 'B\'s session']]) {
            for (const host of [a, b]) {
                await useSession(context, cookies);
                const res = await firstHop(page, `${host.url}/app/before`);
                assert.equal(res.status, 200, `${name} on ${host.url} before the logout: ${res.status} ${res.location}`);
            }
        }

        const before1 = (await op.stats(idp)).counts;
        await endOpSession(page, idp.url);
        await screenshot(page, 'revoke-op-signed-out');
        const s = await waitForCount(idp, 'backchannel_ok', (before1.backchannel_ok || 0) + 1, 10000)
            .catch(async (err) => {
                const now = await op.stats(idp);
                throw new Error(`${err.message}; backchannel_error: ${JSON.stringify(now.last.backchannel_error)}`);
            });
        assert.equal(s.counts.backchannel_error || 0, before1.backchannel_error || 0, JSON.stringify(s.last.backchannel_error));
        assert.equal(s.last.backchannel_ok.sub, 'alice');
        assert.ok(s.last.backchannel_ok.sid, 'the logout token carried sid');

        for (const [cookies, name] of [[onA, 'A\'s session'], [onB, 'B\'s session']]) {
            for (const host of [a, b]) {
                await useSession(context, cookies);
                const res = await firstHop(page, `${host.url}/app/after`);
                assert.equal(res.status, 302, `${name} on ${host.url} after the OP logout: ${res.status} ${res.body.slice(0, 200)}`);
                assert.equal(res.location, `${host.url}/api/auth/signin?callbackUrl=${encodeURIComponent(`${host.url}/app/after`)}`);
                await useSession(context, cookies);
                const got = await context.request.get(`${host.url}/api/auth/session`, { maxRedirects: 0 });
                assert.equal(got.status(), 200);
                assert.deepEqual(await got.json(), {}, `${name}: GET session on ${host.url}`);
                const setCookies = got.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
                assert.ok(clearsSession(setCookies), `${name}: GET session on ${host.url} clears the cookie: ${setCookies}`);
            }
        }
    });

    it('a validly signed sub-only logout token ends every session of that user, on both hosts', async () => {
        const bob = await signedIn('bob');
        const bob2 = await signedIn('bob');
        const alice = await signedIn('alice');
        await assertAlive(bob, 'bob@example.com', 'bob before');
        await assertAlive(bob2, 'bob@example.com', 'bob\'s second browser before');

        const token = await logoutToken(idp, { sub: 'bob' });
        const res = await post(backchannelUri(a.url), { form: { logout_token: token } });
        assert.equal(res.status, 200, `${res.status} ${res.body.slice(0, 300)}`);
        assert.match(res.headers['cache-control'] || '', /no-store/);

        await assertEnded(bob, 'bob after the sub-only token');
        await assertEnded(bob2, 'bob\'s second browser after the sub-only token');
        await assertAlive(alice, 'alice@example.com', 'alice is untouched');
    });

    describe('negative logout tokens: 400 and nothing revoked', () => {
        let alice;
        before(async () => {
            alice = await signedIn('alice');
            await assertAlive(alice, 'alice@example.com', 'alice before');
        });

        const BAD = [
            ['alg none', () => logoutToken(idp, { sub: 'alice' }, { alg: 'none' })],
            ['signed by a key not in the JWKS', () => logoutToken(idp, { sub: 'alice' }, {}, 'stranger')],
            ['nonce present', () => logoutToken(idp, { sub: 'alice', nonce: 'a-nonce' })],
            ['wrong aud', () => logoutToken(idp, { sub: 'alice', aud: 'another-client' })],
            ['wrong iss', () => logoutToken(idp, { sub: 'alice', iss: 'http://127.0.0.1:1/not-the-issuer' })],
            ['missing events', () => logoutToken(idp, { sub: 'alice', events: undefined })],
            ['events without the back-channel member', () => logoutToken(idp, {
                sub: 'alice', events: { 'http://schemas.openid.net/event/something-else': {} },
            })],
            ['no sub and no sid', () => logoutToken(idp, {})],
            ['iat an hour old', () => logoutToken(idp, { sub: 'alice', iat: nowSec() - 3600 })],
            ['iat an hour ahead', () => logoutToken(idp, { sub: 'alice', iat: nowSec() + 3600 })],
            ['signed by another provider', () => logoutToken(nobc, { sub: 'alice', iss: idp.url })],
            ['not a JWT', async () => 'not-a-jwt'],
        ];
        for (const [what, make] of BAD) {
            it(what, async () => {
                const res = await post(backchannelUri(a.url), { form: { logout_token: await make() } });
                assertRefusedLogout(res, what);
                await assertAlive(alice, 'alice@example.com', `after "${what}"`);
            });
        }

        it('a replayed jti: the same good token twice is 200, then 400', async () => {
            // carol has no session here: a good token that matches nothing is still 200.
            const token = await logoutToken(idp, { sub: 'carol' });
            const first = await post(backchannelUri(a.url), { form: { logout_token: token } });
            assert.equal(first.status, 200, `${first.status} ${first.body.slice(0, 300)}`);
            // On the other host too: the jti is remembered in the shared cache.
            const again = await post(backchannelUri(b.url), { form: { logout_token: token } });
            assertRefusedLogout(again, 'replayed on B');
            const onA = await post(backchannelUri(a.url), { form: { logout_token: token } });
            assertRefusedLogout(onA, 'replayed on A');
            await assertAlive(alice, 'alice@example.com', 'after the replay');
        });

        it('a 20 KiB body is 413; a JSON body is 400; no logout_token is 400', async () => {
            const big = await post(backchannelUri(a.url), { form: { logout_token: 'a'.repeat(20 * 1024) } });
            assert.equal(big.status, 413, `${big.status} ${big.body.slice(0, 200)}`);
            const none = await post(backchannelUri(a.url), { form: { something: 'else' } });
            assertRefusedLogout(none, 'no logout_token');
            // A good token for dave, but as JSON: Back-Channel Logout 1.0 §2.5 sends a form.
            // (dave, not alice: were it taken, the other cases would not fail for it.)
            const dave = await signedIn('dave');
            const good = await logoutToken(idp, { sub: 'dave' });
            const json = await post(backchannelUri(a.url), { raw: JSON.stringify({ logout_token: good }), type: 'application/json' });
            assertRefusedLogout(json, 'JSON body');
            // The IdP says Dave.Mixed@Example.COM; the module folds e-mails (issue 11).
            await assertAlive(dave, 'dave.mixed@example.com', 'dave after the JSON body');
            await assertAlive(alice, 'alice@example.com', 'after the bodies');
        });

        it('a provider without backchannel_logout_supported: 400; unknown or non-OIDC provider: 404; GET: 405', async () => {
            const token = await logoutToken(nobc, { sub: 'alice' });
            const res = await post(backchannelUri(a.url, 'nobc'), { form: { logout_token: token } });
            assertRefusedLogout(res, 'provider not advertising back-channel logout');
            for (const id of ['no-such-provider', 'credentials']) {
                const r = await post(backchannelUri(a.url, id), { form: { logout_token: token } });
                assert.equal(r.status, 404, `${id}: ${r.status} ${r.body.slice(0, 200)}`);
            }
            const get = await post(backchannelUri(a.url), { method: 'GET' });
            assert.equal(get.status, 405, `GET: ${get.status} ${get.body.slice(0, 200)}`);
            await assertAlive(alice, 'alice@example.com', 'after the provider cases');
        });
    });
});
