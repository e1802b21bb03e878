// SPDX-License-Identifier: Apache-2.0
// The `github` preset against a GitHub-shaped OAuth 2 server on loopback (t/peers/github.mjs):
// the preset's authorization=, token= and userinfo= overridden to point at it. A user with a
// public e-mail; one without (the primary verified address comes from /user/emails); the
// token endpoint's HTTP-200 error (bad_verification_code), a 500, HTML, a slow answer; the
// user API failing; the provider's error= redirect.
'use strict';

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const {
    startStack, setMode, resetPeer, peerStats, Agent, assertFailed, assertSignedIn, withParams,
    badLogLines, OUTBOUND_LOGNOS,
} = require('./lib/oauth');

const CLIENT_ID = 'gh-test-app';
const CLIENT_SECRET = 'gh-test-secret';
const TIMEOUT = 2;

describe('the github preset against a GitHub-shaped server', { timeout: 90000 }, () => {
    let stack;
    let base;
    let site;
    let gh;

    const logMark = () => stack.httpd.errorLog().length;
    const logSince = (mark) => stack.httpd.errorLog().slice(mark);

    async function expectFailure(step, code, why, withinMs = 3000) {
        const mark = logMark();
        const res = await step();
        assertFailed(res, base, code, { withinMs });
        if (why) assert.match(logSince(mark), why);
        return res;
    }

    before(async () => {
        stack = await startStack({
            name: 'oauth-github',
            peers: { gh: { kind: 'github',
                args: () => ['--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET] } },
            providers: (p) => [
                `github clientId=${CLIENT_ID} clientSecret=${CLIENT_SECRET} ` +
                `authorization=${p.gh}/login/oauth/authorize ` +
                `token=${p.gh}/login/oauth/access_token userinfo=${p.gh}/user timeout=${TIMEOUT}`,
            ],
        });
        base = stack.base;
        site = stack.httpd.url;
        gh = stack.peers.gh;
    });

    afterEach(async () => {
        if (stack) await resetPeer(gh);
    });

    after(async () => {
        if (!stack) return;
        const log = await stack.stop();
        assert.deepEqual(badLogLines(log, OUTBOUND_LOGNOS), [], 'error log');
    });

    it('a user with a public e-mail signs in; the session shows her', async () => {
        const agent = new Agent(base);
        const s = await agent.signin('github', { callbackUrl: `${site}/private/` });
        assert.equal(s.status, 302);
        const az = new URL(s.authorizeUrl);
        assert.equal(`${az.origin}${az.pathname}`, `${gh.url}/login/oauth/authorize`);
        assert.equal(az.searchParams.get('client_id'), CLIENT_ID);
        assert.equal(az.searchParams.get('scope'), 'read:user user:email');
        assert.equal(az.searchParams.get('redirect_uri'), `${base}/callback/github`);
        assert.match(az.searchParams.get('state'), /^[\w-]{43}$/);
        // next-auth's github provider checks state only.
        assert.equal(az.searchParams.get('code_challenge'), null);
        assert.equal(agent.checkCookies().length, 1);

        const callback = await agent.login(s.authorizeUrl, 'alice');
        assert.match(new URL(callback).searchParams.get('code'), /^[0-9a-f]{20}$/);
        assertSignedIn(await agent.request(callback), `${site}/private/`);
        assert.deepEqual(agent.checkCookies(), []);
        assert.deepEqual((await agent.session()).user, {
            name: 'Alice Example', email: 'alice@example.com',
            image: `${gh.url}/avatars/u/1001?v=4`,
        });

        const { counts, last } = await peerStats(gh);
        assert.equal(counts.token, 1);
        assert.equal(counts.user, 1);
        assert.equal(counts.emails, undefined, '/user had the e-mail');
        assert.equal(last.token.headers.authorization,
            `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`);
        assert.match(last.token.headers.accept, /application\/json/);
        assert.match(last.user.headers.authorization, /^Bearer gho_/);
        assert.ok(last.user.headers['user-agent'], 'GitHub wants a User-Agent');
    });

    it('a user whose e-mail is null: the primary verified address from /user/emails', async () => {
        const agent = new Agent(base);
        assertSignedIn(await agent.signInAs('github', 'bob'), `${site}/`);
        // name null → the login, as next-auth's github profile() does.
        assert.deepEqual((await agent.session()).user, {
            name: 'bob', email: 'bob@example.com', image: `${gh.url}/avatars/u/1002?v=4`,
        });
        const { counts } = await peerStats(gh);
        assert.equal(counts.user, 1);
        assert.equal(counts.emails, 1);
    });

    it('a user whose only address is unverified signs in without an e-mail', async () => {
        // (next-auth would take the primary address verified or not; the module does not.)
        const agent = new Agent(base);
        assertSignedIn(await agent.signInAs('github', 'carol'), `${site}/`);
        const { user } = await agent.session();
        assert.equal(user.name, 'Carol Unverified');
        assert.ok(user.email === null || user.email === undefined, JSON.stringify(user));
    });

    it('/user/emails failing: signed in without an e-mail, as next-auth (if (res.ok))',
        async () => {
            await setMode(gh, { emails: '500' });
            const agent = new Agent(base);
            assertSignedIn(await agent.signInAs('github', 'bob'), `${site}/`);
            const { user } = await agent.session();
            assert.equal(user.name, 'bob');
            assert.ok(user.email === null || user.email === undefined, JSON.stringify(user));
        });

    it('bad_verification_code (HTTP 200 with error) → OAuthCallback', async () => {
        const agent = new Agent(base);
        const { callback } = await agent.toCallback('github', 'alice');
        await expectFailure(() => agent.request(withParams(callback, { code: '0123456789abcdef0123' })),
            'OAuthCallback', /bad_verification_code/);
        assert.equal((await peerStats(gh)).counts.token, 1);
        assert.equal(agent.hasSession(), false);
    });

    it('a code used twice → bad_verification_code → OAuthCallback', async () => {
        const agent = new Agent(base);
        const { callback } = await agent.toCallback('github', 'alice');
        const captured = agent.cookieHeader();
        assertSignedIn(await agent.request(callback), `${site}/`);
        await expectFailure(() => new Agent(base).request(callback, { cookie: captured }),
            'OAuthCallback', /bad_verification_code/);
    });

    for (const kind of ['500', 'html', 'truncated', 'oversized']) {
        it(`the token endpoint answering ${kind} → OAuthCallback`, async () => {
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('github', 'alice');
            await setMode(gh, { token: kind });
            await expectFailure(() => agent.request(callback), 'OAuthCallback',
                /NA00032: OAuth callback of github refused/);
        });
    }

    it(`the token endpoint slow (8 s, timeout=${TIMEOUT}) → OAuthCallback after ~${TIMEOUT} s`,
        async () => {
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('github', 'alice');
            await setMode(gh, { token: 'slow', seconds: 8 });
            const res = await expectFailure(
                () => agent.request(callback), 'OAuthCallback',
                /NA00032: OAuth callback of github refused: request to .*access_token failed/,
                (TIMEOUT + 3) * 1000);
            assert.ok(res.ms >= TIMEOUT * 1000 - 200, `gave up after ${res.ms} ms`);
        });

    for (const kind of ['500', 'html']) {
        it(`/user answering ${kind} → OAuthCallback`, async () => {
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('github', 'alice');
            await setMode(gh, { user: kind });
            await expectFailure(() => agent.request(callback), 'OAuthCallback',
                /NA00032: OAuth callback of github refused/);
        });
    }

    it('error=access_denied with <script> in error_description → Callback, not reflected',
        async () => {
            await setMode(gh, { authorize: 'error' });
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('github', 'alice');
            assert.match(new URL(callback).searchParams.get('error_description'), /<script/);
            const res = await expectFailure(() => agent.request(callback), 'Callback',
                /answered error=access_denied/);
            assert.doesNotMatch(JSON.stringify(res.headers) + res.body, /script|alert/i);
            const page = await agent.request(res.location);
            assert.equal(page.status, 200);
            assert.doesNotMatch(page.body, /<script>alert|alert\(/);
        });
});
