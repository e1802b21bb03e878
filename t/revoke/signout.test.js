// SPDX-License-Identifier: Apache-2.0
// Sign-out that the server remembers (issue 13): two httpds sharing one Redis. "Sign out
// everywhere" clicked in one Chromium context ends the same user's session in another
// context (another "browser", signed in on the other host), and leaves another user alone;
// the built-in page offers it in English and Korean. A plain sign-out revokes its own
// session: copies of the cookie taken before, replayed with the curl binary on either host,
// get the sign-in page (or 401 for an API client), and as Authorization: Bearer a 401
// invalid_token.
//   node --test t/revoke/signout.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
    startRedis, startRevokeOp, startBackend, startHost, providerLine, revocationLine, viaProxy, tabOf, assertToSignIn,
    freePort, Agent, REDIS_MODULE, CRASH, badLogLines, curl, CURL_PAGE, sessionToken, assertBearerAnswer, SESSION,
} = require('./lib/revoke');
const { launchChromium, screenshot } = require('../browser/lib/browser');
const { sessionCookies, useSession, firstHop, signInThrough } = require('./lib/chrome');

const locations = (backend) => [
    '<Location /app>',
    '    AuthType NextAuth',
    '    Require valid-user',
    `    ProxyPass ${backend.url}/app`,
    '</Location>',
];

describe('sign-out revokes: two hosts, one Redis', { timeout: 240000 }, () => {
    let redis;
    let idp;
    let backend;
    let a;
    let b;
    let chrome;

    before(async () => {
        redis = await startRedis();
        const ports = [await freePort(), await freePort()];
        [idp, backend] = await Promise.all([startRevokeOp({ ports }), startBackend()]);
        const host = {
            providers: [providerLine('oidc', idp)],
            modules: [REDIS_MODULE],
            conf: [revocationLine(redis), ...locations(backend)].join('\n'),
        };
        a = await startHost({ name: 'revoke-signout-a', port: ports[0], ...host });
        b = await startHost({ name: 'revoke-signout-b', port: ports[1], secret: a.secret, ...host });
        chrome = await launchChromium();
    });

    after(async () => {
        if (chrome) await chrome.close();
        const logs = [];
        if (a) logs.push(await a.stop('revoke-signout-a'));
        if (b) logs.push(await b.stop('revoke-signout-b'));
        await Promise.all([backend, idp].filter(Boolean).map((p) => p.stop()));
        if (redis) await redis.stop();
        for (const log of logs) {
            assert.doesNotMatch(log, CRASH);
            assert.deepEqual(badLogLines(log), [], 'error log');
        }
    });

    /** A new Chromium context (its own cookies: another browser) with a page. */
    const newBrowser = async () => {
        const context = await chrome.browser.newContext({ locale: 'en-US' });
        return { context, page: await context.newPage() };
    };

    const assertPage = async (br, cookies, host, status, what) => {
        await useSession(br.context, cookies);
        const res = await firstHop(br.page, `${host.url}/app/check`);
        assert.equal(res.status, status, `${what} on ${host.url}: ${res.status} ${res.location} ${res.body.slice(0, 200)}`);
        if (status === 302) {
            assert.equal(res.location, `${host.url}/api/auth/signin?callbackUrl=${encodeURIComponent(`${host.url}/app/check`)}`);
        }
    };

    it('"Sign out everywhere" in one browser ends the user\'s session in another; bob is untouched', async () => {
        const one = await newBrowser();
        const two = await newBrowser();
        const bob = await newBrowser();
        try {
            await signInThrough(one.page, a.url, '/app/one', { opUrl: idp.url, user: 'alice' });
            await signInThrough(two.page, b.url, '/app/two', { opUrl: idp.url, user: 'alice' });
            await signInThrough(bob.page, a.url, '/app/bob', { opUrl: idp.url, user: 'bob' });
            const [c1, c2, c3] = await Promise.all([one, two, bob].map((br) => sessionCookies(br.context)));
            for (const host of [a, b]) {
                await assertPage(two, c2, host, 200, 'the second browser before');
                await assertPage(bob, c3, host, 200, 'bob before');
            }

            await one.page.goto(`${a.url}/api/auth/signout`);
            const everywhere = one.page.getByRole('button', { name: 'Sign out everywhere' });
            assert.equal(await everywhere.count(), 1, 'the sign-out page offers "Sign out everywhere"');
            await screenshot(one.page, 'revoke-signout-everywhere');
            await Promise.all([one.page.waitForURL((u) => !u.pathname.endsWith('/signout')), everywhere.click()]);
            assert.deepEqual(await sessionCookies(one.context), [], 'the first browser\'s cookie is cleared');

            for (const host of [a, b]) {
                await assertPage(two, c2, host, 302, 'the second browser after "everywhere"');
                await assertPage(one, c1, host, 302, 'a copy of the first browser\'s cookie');
                await assertPage(bob, c3, host, 200, 'bob after alice signed out everywhere');
            }
        } finally {
            await Promise.all([one, two, bob].map((br) => br.context.close()));
        }
    });

    it('the sign-out page offers it in Korean too: 모든 기기에서 로그아웃', async () => {
        const ko = await chrome.browser.newContext({ locale: 'ko-KR' });
        try {
            const page = await ko.newPage();
            await page.goto(`${a.url}/api/auth/signout`);
            assert.equal(await page.getByRole('button', { name: '모든 기기에서 로그아웃' }).count(), 1);
            assert.equal(await page.getByRole('button', { name: '로그아웃', exact: true }).count(), 1);
        } finally {
            await ko.close();
        }
    });

    const signedIn = async (user) => {
        const agent = new Agent(`${a.url}/api/auth`);
        const res = await agent.signInAs('oidc', user);
        assert.equal(res.status, 302, `sign-in as ${user}: ${res.status} ${res.location} ${res.body.slice(0, 300)}`);
        return agent;
    };

    it('everywhere=true needs the CSRF token: without it nothing is revoked', async () => {
        const agent = await signedIn('dave');
        const other = await signedIn('dave');
        const res = await agent.request(`${a.url}/api/auth/signout`, { form: { csrfToken: 'forged', everywhere: 'true' }, keep: false });
        assert.notEqual(res.status, 200, `${res.status} ${res.body.slice(0, 200)}`);
        for (const host of [a, b]) {
            for (const who of [agent, other]) {
                const r = await viaProxy(tabOf(who), host, '/app/csrf');
                assert.equal(r.status, 200, `dave on ${host.url} after a forged everywhere=true: ${r.status} ${r.location}`);
            }
        }
    });

    it('copies of a signed-out cookie replayed by curl: sign-in page, 401, Bearer invalid_token', async () => {
        const agent = await signedIn('alice');
        const other = await signedIn('alice');
        const token = sessionToken(agent);
        a.neverLogged(token, 'session token');
        const cookie = `${SESSION}=${token}`;
        for (const host of [a, b]) {
            const page = await curl(`${host.url}/app/replay`, { headers: { ...CURL_PAGE, cookie } });
            assert.equal(page.status, 200, `before sign-out on ${host.url}: ${page.status} ${page.body.slice(0, 200)}`);
            assert.equal(JSON.parse(page.body).headers['x-nextauth-email'], 'alice@example.com');
        }

        const out = await agent.request(`${a.url}/api/auth/signout`, { form: { csrfToken: await agent.csrf() } });
        assert.equal(out.status, 302, `sign-out: ${out.status} ${out.body.slice(0, 200)}`);
        assert.equal(agent.hasSession(), false, 'the sign-out cleared the cookie');

        for (const host of [a, b]) {
            const url = `${host.url}/app/replay`;
            const page = await curl(url, { headers: { ...CURL_PAGE, cookie } });
            assert.equal(page.status, 302, `replayed page on ${host.url}: ${page.status} ${page.body.slice(0, 200)}`);
            assert.equal(page.headers.location, `${host.url}/api/auth/signin?callbackUrl=${encodeURIComponent(url)}`);
            const api = await curl(url, { headers: { accept: 'application/json', cookie } });
            assert.equal(api.status, 401, `replayed as an API client on ${host.url}: ${api.status} ${api.body.slice(0, 200)}`);
            const bearer = await curl(url, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
            assertBearerAnswer(bearer, host, { error: 'invalid_token', what: `replayed as Bearer on ${host.url}` });
            const session = await curl(`${host.url}/api/auth/session`, { headers: { cookie } });
            assert.equal(session.status, 200);
            assert.deepEqual(JSON.parse(session.body), {}, `GET session with the copy on ${host.url}`);
        }
        // A plain sign-out ends only its own session: alice's other browser goes on.
        for (const host of [a, b]) {
            const r = await viaProxy(tabOf(other), host, '/app/other');
            assert.equal(r.status, 200, `alice's other session on ${host.url}: ${r.status} ${r.location}`);
        }
        assertToSignIn(await viaProxy(tabOf(agent), a, '/app/after'), a, 'the signed-out agent');
    });
});
