// SPDX-License-Identifier: Apache-2.0
// OpenID Connect sign-in end to end against a real OpenID Provider (npm oidc-provider,
// t/peers/oidc.mjs) on loopback: POST signin/<id> (CSRF) → the provider's login as a test
// user → callback/<id> → session. RS256, PS256 and ES256 signing keys; a client that must
// use client_secret_post; PKCE + nonce; parallel sign-ins in several tabs and a bound on
// pending flows' cookies; key rotation at the provider between two sign-ins.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const {
    startStack, peerStats, rotateKey, Agent, assertSignedIn, assertFailed, tagOf,
    badLogLines, CHECK_COOKIE,
} = require('./lib/oauth');

const SECRET = 'oidc-test-secret';
const POST_SECRET = 'post-client-secret';

// The OpenID Provider's registered redirect URIs for mod_nextauth's provider ids.
const redirects = (httpdUrl, ids) =>
    ids.flatMap((id) => ['--redirect-uri', `${httpdUrl}/api/auth/callback/${id}`]);

const ALICE = (issuer) => ({ name: 'Alice Example', email: 'alice@example.com',
    image: `${issuer}/avatars/alice.svg` });
const BOB = (issuer) => ({ name: 'Bob Example', email: 'bob@example.com',
    image: `${issuer}/avatars/bob.svg` });

const b64u = (buf) => Buffer.from(buf).toString('base64url');

describe('OpenID Connect sign-in against oidc-provider', { timeout: 120000 }, () => {
    let stack;
    let base;
    let site;
    let idp;

    before(async () => {
        stack = await startStack({
            name: 'oauth-oidc',
            peers: {
                rs: { kind: 'oidc', args: (u) => ['--alg', 'RS256', '--require-pkce',
                    '--client-id', 'app', '--client-secret', SECRET,
                    ...redirects(u, ['oidc', 'nonce', 'nostate'])] },
                ps: { kind: 'oidc', args: (u) => ['--alg', 'PS256',
                    '--client-id', 'app', '--client-secret', SECRET, ...redirects(u, ['ps256'])] },
                es: { kind: 'oidc', args: (u) => ['--alg', 'ES256',
                    '--client-id', 'app', '--client-secret', SECRET, ...redirects(u, ['es256'])] },
                // Discovery lists client_secret_post only, and the client is held to it.
                post: { kind: 'oidc', args: (u) => ['--auth-method', 'client_secret_post',
                    '--advertise-auth-method', 'client_secret_post', '--strict-auth-method',
                    '--client-id', 'postapp', '--client-secret', POST_SECRET,
                    ...redirects(u, ['oidcpost'])] },
            },
            providers: (p) => [
                `oidc type=oidc name="Test IdP" issuer=${p.rs} clientId=app clientSecret=${SECRET}`,
                `nonce type=oidc issuer=${p.rs} clientId=app clientSecret=${SECRET} ` +
                    'checks=state,pkce,nonce',
                `nostate type=oidc issuer=${p.rs} clientId=app clientSecret=${SECRET} ` +
                    'checks=pkce,nonce',
                `ps256 type=oidc issuer=${p.ps} clientId=app clientSecret=${SECRET}`,
                `es256 type=oidc issuer=${p.es} clientId=app clientSecret=${SECRET}`,
                `oidcpost type=oidc issuer=${p.post} clientId=postapp clientSecret=${POST_SECRET}`,
            ],
        });
        base = stack.base;
        site = stack.httpd.url;
        idp = stack.peers.rs;
    });

    after(async () => {
        if (!stack) return;
        const log = await stack.stop();
        assert.deepEqual(badLogLines(log), [], 'error log');
    });

    it('RS256: sign-in → provider login → callback → session shows alice', async () => {
        const agent = new Agent(base);
        const s = await agent.signin('oidc', { callbackUrl: `${site}/private/` });
        assert.equal(s.status, 302);
        const az = new URL(s.authorizeUrl);
        assert.equal(`${az.origin}${az.pathname}`, `${idp.url}/auth`);
        const q = az.searchParams;
        assert.equal(q.get('client_id'), 'app');
        assert.equal(q.get('response_type'), 'code');
        assert.equal(q.get('redirect_uri'), `${base}/callback/oidc`);
        assert.equal(q.get('scope'), 'openid email profile');
        assert.match(q.get('state'), /^[\w-]{43}$/);
        assert.match(q.get('code_challenge'), /^[\w-]{43}$/);
        assert.equal(q.get('code_challenge_method'), 'S256');
        assert.equal(q.get('nonce'), null, 'no nonce check configured');

        // The flow's check cookies: JWEs named after its state, next-auth's attributes.
        const tag = tagOf(q.get('state'));
        assert.deepEqual(agent.checkCookies(),
            [`next-auth.pkce.code_verifier.${tag}`, `next-auth.state.${tag}`]);
        for (const line of s.setCookies.filter((l) => CHECK_COOKIE.test(l.split('=')[0]))) {
            assert.match(line, /^[^=]+=eyJ[\w-]*\.\.[\w-]+\.[\w-]+\.[\w-]+;/, 'a dir JWE');
            assert.match(line, /; Max-Age=900;/);
            assert.match(line, /; Path=\/;/);
            assert.match(line, /; HttpOnly/);
            assert.match(line, /; SameSite=Lax/);
        }

        const callback = await agent.login(s.authorizeUrl, 'alice');
        const cb = new URL(callback);
        assert.equal(`${cb.origin}${cb.pathname}`, `${base}/callback/oidc`);
        assert.equal(cb.searchParams.get('state'), q.get('state'));
        assert.equal(cb.searchParams.get('iss'), idp.url);

        const res = await agent.request(callback);
        assertSignedIn(res, `${site}/private/`);
        // Each check cookie is cleared on use.
        for (const name of [`next-auth.state.${tag}`, `next-auth.pkce.code_verifier.${tag}`]) {
            assert.ok(res.setCookies.some((l) => l.startsWith(`${name}=;`) && /Max-Age=0/.test(l)),
                `${name} cleared: ${res.setCookies}`);
        }
        assert.deepEqual(agent.checkCookies(), []);

        const session = await agent.session();
        assert.deepEqual(session.user, ALICE(idp.url));
        assert.ok(Date.parse(session.expires) > Date.now() + 86400000, session.expires);

        // What reached the token endpoint: client_secret_basic and the PKCE verifier whose
        // S256 is the challenge the authorization request carried.
        const { last } = await peerStats(idp);
        const basic = Buffer.from(`app:${SECRET}`).toString('base64');
        assert.equal(last.token.headers.authorization, `Basic ${basic}`);
        assert.equal(last.token.body.client_secret, undefined);
        assert.equal(last.token.body.redirect_uri, `${base}/callback/oidc`);
        const verifier = last.token.body.code_verifier;
        assert.match(verifier, /^[\w-]{43}$/);
        assert.equal(b64u(crypto.createHash('sha256').update(verifier).digest()),
            q.get('code_challenge'));
    });

    it('json=true answers the authorization URL as {"url"}', async () => {
        const agent = new Agent(base);
        const s = await agent.signin('oidc', { json: true });
        assert.equal(s.status, 200);
        assert.match(s.headers['content-type'], /^application\/json/);
        const { url } = JSON.parse(s.body);
        assert.ok(url.startsWith(`${idp.url}/auth?`), url);
        assert.equal(agent.checkCookies().length, 2);
        // ... and that URL completes the flow like the redirect does.
        assertSignedIn(await agent.request(await agent.login(url, 'bob')), `${site}/`);
        assert.deepEqual((await agent.session()).user, BOB(idp.url));
    });

    for (const [alg, id, peer] of [['PS256', 'ps256', 'ps'], ['ES256', 'es256', 'es']]) {
        it(`${alg}: ID token signed with ${alg} verifies, session shows alice`, async () => {
            const agent = new Agent(base);
            const res = await agent.signInAs(id, 'alice', { callbackUrl: `${site}/private/` });
            assertSignedIn(res, `${site}/private/`);
            assert.deepEqual((await agent.session()).user, ALICE(stack.peers[peer].url));
            // The peer's current key is of that algorithm (its kid says so).
            const jwks = await (await fetch(`${stack.peers[peer].url}/jwks`)).json();
            assert.ok(jwks.keys.length >= 1);
            assert.ok(jwks.keys.every((k) => k.kid.startsWith(`${alg.toLowerCase()}-`)),
                JSON.stringify(jwks.keys.map((k) => k.kid)));
        });
    }

    it('a provider whose discovery lists only client_secret_post gets the secret in the body',
        async () => {
            const agent = new Agent(base);
            const res = await agent.signInAs('oidcpost', 'bob');
            assertSignedIn(res, `${site}/`);
            assert.deepEqual((await agent.session()).user, BOB(stack.peers.post.url));
            const { last } = await peerStats(stack.peers.post);
            assert.equal(last.token.headers.authorization, undefined);
            assert.equal(last.token.body.client_id, 'postapp');
            assert.equal(last.token.body.client_secret, POST_SECRET);
        });

    it('PKCE + nonce: the nonce goes out, its cookie comes back and is cleared', async () => {
        const agent = new Agent(base);
        const s = await agent.signin('nonce', { callbackUrl: `${site}/private/` });
        const q = new URL(s.authorizeUrl).searchParams;
        const nonce = q.get('nonce');
        assert.match(nonce, /^[\w-]{43}$/);
        assert.ok(q.get('code_challenge'));
        const tag = tagOf(q.get('state'));
        assert.deepEqual(agent.checkCookies(), [`next-auth.nonce.${tag}`,
            `next-auth.pkce.code_verifier.${tag}`, `next-auth.state.${tag}`]);
        // next-auth gives the nonce cookie an Expires but no Max-Age.
        const nonceLine = s.setCookies.find((l) => l.startsWith(`next-auth.nonce.${tag}=`));
        assert.doesNotMatch(nonceLine, /Max-Age/);
        assert.match(nonceLine, /; Expires=/);

        const res = await agent.request(await agent.login(s.authorizeUrl, 'alice'));
        assertSignedIn(res, `${site}/private/`);
        assert.ok(res.setCookies.some((l) => l.startsWith(`next-auth.nonce.${tag}=;`)));
        assert.deepEqual(agent.checkCookies(), []);
        assert.deepEqual((await agent.session()).user, ALICE(idp.url));
        // The provider required PKCE (--require-pkce) and got the verifier.
        assert.match((await peerStats(idp)).last.token.body.code_verifier, /^[\w-]{43}$/);
    });

    it('without a state check the cookies keep next-auth\'s plain names', async () => {
        const agent = new Agent(base);
        const s = await agent.signin('nostate');
        const q = new URL(s.authorizeUrl).searchParams;
        assert.equal(q.get('state'), null);
        assert.ok(q.get('nonce'));
        assert.deepEqual(agent.checkCookies(),
            ['next-auth.nonce', 'next-auth.pkce.code_verifier']);
        const res = await agent.request(await agent.login(s.authorizeUrl, 'alice'));
        assertSignedIn(res, `${site}/`);
        assert.deepEqual(agent.checkCookies(), []);
    });

    it('three tabs: three sign-ins before any callback, completed in reverse order, all succeed',
        async () => {
            const agent = new Agent(base);
            const tabs = [];
            for (const page of ['one', 'two', 'three']) {
                const s = await agent.signin('oidc', { callbackUrl: `${site}/${page}` });
                assert.equal(s.status, 302);
                tabs.push({ page, signin: s });
            }
            assert.equal(agent.checkCookies().length, 6, agent.checkCookies().join(' '));
            assert.equal(new Set(tabs.map((t) => t.signin.state)).size, 3);
            for (const tab of tabs) tab.callback = await agent.login(tab.signin.authorizeUrl, 'alice');
            for (const tab of [...tabs].reverse()) {
                const res = await agent.request(tab.callback);
                // As in next-auth, one callback-url cookie: the last sign-in's page wins.
                assertSignedIn(res, `${site}/three`);
                const tag = tagOf(tab.signin.state);
                // Only this flow's cookies are cleared; the others' wait for their callbacks.
                assert.ok(agent.checkCookies().every((n) => !n.endsWith(tag)));
            }
            assert.deepEqual(agent.checkCookies(), []);
            assert.deepEqual((await agent.session()).user, ALICE(idp.url));
        });

    it('six pending flows: the check cookies stay bounded, the newest flow still works',
        async () => {
            const agent = new Agent(base);
            const flows = [];
            for (let i = 0; i < 6; i++) {
                const s = await agent.signin('nonce', { callbackUrl: `${site}/flow${i}` });
                assert.equal(s.status, 302);
                flows.push(s);
                const names = agent.checkCookies();
                const states = names.filter((n) => n.startsWith('next-auth.state.'));
                assert.ok(states.length <= 4, `after ${i + 1} sign-ins: ${names.join(' ')}`);
                assert.ok(names.length <= 12, `after ${i + 1} sign-ins: ${names.join(' ')}`);
                // The newest flow's three cookies are always there.
                const tag = tagOf(s.state);
                assert.equal(names.filter((n) => n.endsWith(`.${tag}`)).length, 3);
            }
            assert.ok(agent.cookieHeader().length < 8192, `Cookie: ${agent.cookieHeader().length} B`);
            // The newest completes; the oldest was dropped, so its callback fails cleanly.
            const newest = flows[5];
            const res = await agent.request(await agent.login(newest.authorizeUrl, 'alice'));
            assertSignedIn(res, `${site}/flow5`);
            const oldest = await agent.request(await agent.login(flows[0].authorizeUrl, 'alice'));
            assertFailed(oldest, base, 'OAuthCallback');
        });

    it('key rotation at the provider between two sign-ins: the JWKS is fetched again once',
        async () => {
            const ps = stack.peers.ps;
            const first = new Agent(base);
            assertSignedIn(await first.signInAs('ps256', 'alice'), `${site}/`);
            const before = (await peerStats(ps)).counts;
            const rotated = await rotateKey(ps);
            assert.equal(rotated.kids.length, 2);
            const second = new Agent(base);
            const res = await second.signInAs('ps256', 'bob');
            assertSignedIn(res, `${site}/`);
            assert.deepEqual((await second.session()).user, BOB(ps.url));
            const afterCounts = (await peerStats(ps)).counts;
            assert.equal(afterCounts.jwks, before.jwks + 1, 'one JWKS refetch for the new kid');
            assert.equal(afterCounts.discovery, before.discovery, 'discovery stays cached');
            // A third sign-in uses the refreshed key set without fetching again.
            assertSignedIn(await new Agent(base).signInAs('ps256', 'alice'), `${site}/`);
            assert.equal((await peerStats(ps)).counts.jwks, afterCounts.jwks);
        });
});
