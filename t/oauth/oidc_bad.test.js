// SPDX-License-Identifier: Apache-2.0
// Bad input on the OpenID Connect sign-in, against real oidc-provider peers bent by their
// test switches (t/peers/README.md): every case ends on the right error page
// ({base}/signin?error=OAuthCallback, OAuthSignin or Callback), sets no session cookie,
// answers within the provider's timeout (timeout=2 here) plus a margin, logs why (NA00032
// "OAuth callback of <id> refused: <reason>"), and leaves no crash in the error log.
'use strict';

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const {
    startStack, freePort, setMode, resetPeer, peerStats, Agent, assertFailed, assertSignedIn,
    withParams, tagOf, badLogLines, OUTBOUND_LOGNOS,
} = require('./lib/oauth');

const SECRET = 'oidc-bad-secret';
const TIMEOUT = 2;                       // timeout= of every provider here, in seconds
const WITHIN = (TIMEOUT + 3) * 1000;     // "no hang": an answer within timeout + 3 s
const FAST = 3000;                       // what needs no waiting at all

const redirects = (httpdUrl, ids) =>
    ids.flatMap((id) => ['--redirect-uri', `${httpdUrl}/api/auth/callback/${id}`]);
const client = (httpdUrl, ids) =>
    ['--client-id', 'app', '--client-secret', SECRET, ...redirects(httpdUrl, ids)];
const oidc = (id, issuer, extra = '') =>
    `${id} type=oidc issuer=${issuer} clientId=app clientSecret=${SECRET} timeout=${TIMEOUT} ${extra}`;

describe('OpenID Connect bad input', { timeout: 120000 }, () => {
    let stack;
    let base;
    let idp;
    let closed;
    let blackhole;
    const sockets = new Set();

    // The error log written since `mark` (a length of it).
    const logMark = () => stack.httpd.errorLog().length;
    const logSince = (mark) => stack.httpd.errorLog().slice(mark);

    // Run `step` (resolving a response), assert it failed with `code`, and that the log
    // says why (`why`, a RegExp matched against the lines written meanwhile).
    async function expectFailure(step, code, why, { withinMs = FAST, level, once } = {}) {
        const mark = logMark();
        const res = await step();
        assertFailed(res, base, code, { withinMs });
        if (why) assert.match(logSince(mark), why);
        if (level) assertLevel(logSince(mark), why, level, once);
        return res;
    }

    // One failure is logged at the level of its class (the browser's faults at info, the
    // IdP's and ours at error), never at both; `once`: in exactly one line.
    function assertLevel(text, why, level, once) {
        const lines = text.split('\n')
            .filter((l) => /\[nextauth:(?:info|notice|warn|error|crit|alert|emerg)\]/.test(l));
        const other = lines.filter((l) => !l.includes(`[nextauth:${level}]`));
        assert.deepEqual(other, [], `only ${level} lines for this failure`);
        assert.ok(lines.some((l) => why.test(l)), `a ${level} line matching ${why}`);
        if (once) assert.equal(lines.length, 1, `one line: ${lines.join('\n')}`);
    }

    before(async () => {
        closed = await freePort();
        // An "IdP" that accepts connections and never answers.
        blackhole = net.createServer((socket) => { sockets.add(socket); });
        await new Promise((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
        stack = await startStack({
            name: 'oauth-oidc-bad',
            peers: {
                idp: { kind: 'oidc', args: (u) =>
                    client(u, ['oidc', 'nonce', 'other', 'noemail', 'downtoken']) },
                wrongdisc: { kind: 'oidc', args: (u) => [...client(u, ['wrongdisc']),
                    '--mode', 'discovery=wrong-issuer'] },
                flood: { kind: 'oidc', args: (u) => client(u, ['flood']) },
                glitchdisc: { kind: 'oidc', args: (u) => [...client(u, ['glitchdisc']),
                    '--mode', 'discovery=html'] },
                glitchjwks: { kind: 'oidc', args: (u) => [...client(u, ['glitchjwks']),
                    '--mode', 'jwks=html'] },
            },
            providers: (p) => [
                oidc('oidc', p.idp),
                oidc('nonce', p.idp, 'checks=state,pkce,nonce'),
                oidc('other', p.idp),
                // No e-mail in the ID token, so the profile is completed from userinfo.
                oidc('noemail', p.idp, 'scope="openid profile"'),
                oidc('wrongdisc', p.wrongdisc),
                oidc('flood', p.flood),
                oidc('glitchdisc', p.glitchdisc),
                oidc('glitchjwks', p.glitchjwks),
                // Nothing listens there: connection refused.
                oidc('down', `http://127.0.0.1:${closed}`),
                oidc('blackhole', `http://127.0.0.1:${blackhole.address().port}`),
                // Endpoints configured (no discovery); the token endpoint is down.
                oidc('downtoken', p.idp, `authorization=${p.idp}/auth ` +
                    `token=http://127.0.0.1:${closed}/token jwks=${p.idp}/jwks`),
            ],
        });
        base = stack.base;
        idp = stack.peers.idp;
    });

    afterEach(async () => {
        if (stack) await resetPeer(idp);
    });

    after(async () => {
        for (const socket of sockets) socket.destroy();
        if (blackhole) blackhole.close();
        if (!stack) return;
        const log = await stack.stop();
        assert.deepEqual(badLogLines(log, OUTBOUND_LOGNOS), [], 'error log');
        assert.doesNotMatch(log, /exit signal|Segmentation|AH00051|AH00052/);
    });

    describe('state, PKCE and nonce', () => {
        it('a wrong state → OAuthCallback', async () => {
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('oidc');
            const forged = 'A'.repeat(43);
            await expectFailure(() => agent.request(withParams(callback, { state: forged })),
                'OAuthCallback', /NA00032: .*check cookie next-auth\.state\.[0-9a-f]{8} missing/,
                { level: 'info', once: true });
            assert.equal(agent.hasSession(), false);
        });

        it('a state cookie of another flow under this flow\'s name → OAuthCallback', async () => {
            const agent = new Agent(base);
            const one = await agent.toCallback('oidc');
            const two = await agent.toCallback('oidc');
            const name = (flow) => `next-auth.state.${tagOf(flow.signin.state)}`;
            agent.cookies.set(name(one), agent.cookies.get(name(two)));
            await expectFailure(() => agent.request(one.callback), 'OAuthCallback',
                /refused: state does not match/);
        });

        it('another pending flow\'s state with this flow\'s code → OAuthCallback', async () => {
            const agent = new Agent(base);
            const one = await agent.toCallback('oidc');
            const two = await agent.toCallback('oidc');
            // State and cookies of flow two; the code of flow one (PKCE verifier mismatch).
            const swapped = withParams(one.callback,
                { state: new URL(two.callback).searchParams.get('state') });
            await expectFailure(() => agent.request(swapped), 'OAuthCallback',
                /NA00032: OAuth callback of oidc refused: token endpoint/);
        });

        it('a missing state → OAuthCallback', async () => {
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('oidc');
            await expectFailure(() => agent.request(withParams(callback, { state: null })),
                'OAuthCallback', /check cookie next-auth\.state missing/);
        });

        it('a replayed callback → OAuthCallback (cookies gone; code used)', async () => {
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('oidc');
            const captured = agent.cookieHeader();
            assertSignedIn(await agent.request(callback), `${new URL(base).origin}/`);
            // The same browser again: its check cookies were cleared by the first use.
            const fresh = new Agent(base);
            fresh.cookies = new Map([...agent.cookies].filter(([k]) => !k.startsWith('next-auth.session')));
            await expectFailure(() => fresh.request(callback), 'OAuthCallback',
                /check cookie next-auth\.state\.[0-9a-f]{8} missing/);
            // Someone who captured the cookies too: the code is spent at the provider.
            await expectFailure(() => new Agent(base).request(callback, { cookie: captured }),
                'OAuthCallback', /token endpoint/);
        });

        it('the state cookie missing → OAuthCallback', async () => {
            const agent = new Agent(base);
            const { signin, callback } = await agent.toCallback('oidc');
            agent.cookies.delete(`next-auth.state.${tagOf(signin.state)}`);
            const before = (await peerStats(idp)).counts.token || 0;
            await expectFailure(() => agent.request(callback), 'OAuthCallback',
                /check cookie next-auth\.state\.[0-9a-f]{8} missing/);
            assert.equal((await peerStats(idp)).counts.token || 0, before, 'no token request');
        });

        it('the PKCE verifier cookie missing → OAuthCallback', async () => {
            const agent = new Agent(base);
            const { signin, callback } = await agent.toCallback('oidc');
            agent.cookies.delete(`next-auth.pkce.code_verifier.${tagOf(signin.state)}`);
            await expectFailure(() => agent.request(callback), 'OAuthCallback',
                /check cookie next-auth\.pkce\.code_verifier\.[0-9a-f]{8} missing/);
            assert.equal((await peerStats(idp)).counts.token, undefined, 'no token request');
        });

        it('the nonce cookie missing → OAuthCallback', async () => {
            const agent = new Agent(base);
            const { signin, callback } = await agent.toCallback('nonce');
            agent.cookies.delete(`next-auth.nonce.${tagOf(signin.state)}`);
            await expectFailure(() => agent.request(callback), 'OAuthCallback',
                /check cookie next-auth\.nonce\.[0-9a-f]{8} missing/);
        });

        it('a tampered state cookie → OAuthCallback', async () => {
            const agent = new Agent(base);
            const { signin, callback } = await agent.toCallback('oidc');
            const name = `next-auth.state.${tagOf(signin.state)}`;
            const v = agent.cookies.get(name);
            const i = v.length - 30;
            agent.cookies.set(name, v.slice(0, i) + (v[i] === 'A' ? 'B' : 'A') + v.slice(i + 1));
            await expectFailure(() => agent.request(callback), 'OAuthCallback',
                /check cookie next-auth\.state\.[0-9a-f]{8} invalid/);
        });

        it('a state cookie minted for provider A on provider B\'s callback → OAuthCallback',
            async () => {
                // Both providers use the same client at the same OpenID Provider.
                const agent = new Agent(base);
                const { callback } = await agent.toCallback('oidc');
                const onB = callback.replace('/callback/oidc?', '/callback/other?');
                await expectFailure(() => agent.request(onB), 'OAuthCallback',
                    /callback of other refused: check cookie .* minted for another provider/);
                assert.equal((await peerStats(idp)).counts.token, undefined, 'no token request');
            });

        for (const param of ['state', 'code']) {
            it(`a duplicated ${param} parameter → OAuthCallback`, async () => {
                const agent = new Agent(base);
                const { callback } = await agent.toCallback('oidc');
                const value = new URL(callback).searchParams.get(param);
                await expectFailure(() => agent.request(`${callback}&${param}=${encodeURIComponent(value)}`),
                    'OAuthCallback', /a parameter was repeated/);
            });
        }

        it('an RFC 9207 iss that is not the issuer → OAuthCallback', async () => {
            await setMode(idp, { authorize: 'wrong-iss' });
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('oidc');
            assert.equal(new URL(callback).searchParams.get('iss'), 'http://127.0.0.1:1/not-the-issuer');
            await expectFailure(() => agent.request(callback), 'OAuthCallback',
                /iss parameter is not the provider's issuer/);
            assert.equal((await peerStats(idp)).counts.token, undefined, 'no token request');
        });

        it('a duplicated iss parameter → OAuthCallback', async () => {
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('oidc');
            await expectFailure(() => agent.request(`${callback}&iss=${encodeURIComponent(idp.url)}`),
                'OAuthCallback', /a parameter was repeated/);
        });
    });

    describe('the provider\'s error= response', () => {
        it('error=access_denied with <script> in error_description → Callback, not reflected',
            async () => {
                await setMode(idp, { authorize: 'error' });
                const agent = new Agent(base);
                const { callback } = await agent.toCallback('oidc');
                const q = new URL(callback).searchParams;
                assert.equal(q.get('error'), 'access_denied');
                assert.match(q.get('error_description'), /<script>/);
                const res = await expectFailure(() => agent.request(callback), 'Callback',
                    /NA00034: oidc answered error=access_denied/, { level: 'info', once: true });
                const all = JSON.stringify(res.headers) + res.body;
                assert.doesNotMatch(all, /script|alert|xss/i);
                // The sign-in page it lands on does not show it either.
                const page = await agent.request(res.location);
                assert.equal(page.status, 200);
                assert.doesNotMatch(page.body, /<script>alert|alert\("xss"\)|denied the request/);
            });

        it('error= with no state and no check cookie → Callback, as next-auth', async () => {
            const agent = new Agent(base);
            await agent.csrf();
            const res = await agent.request(`${base}/callback/oidc?error=access_denied` +
                '&error_description=denied');
            assertFailed(res, base, 'Callback');
        });

        it('a custom error and markup in error_description → Callback, not reflected', async () => {
            await setMode(idp, { authorize: 'error', error: 'temporarily_unavailable',
                error_description: '"><img src=x onerror=alert(1)>' });
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('oidc');
            const res = await expectFailure(() => agent.request(callback), 'Callback',
                /answered error=temporarily_unavailable/);
            assert.doesNotMatch(JSON.stringify(res.headers) + res.body, /onerror|<img/);
            const page = await agent.request(res.location);
            assert.doesNotMatch(page.body, /onerror|<img src=x/);
        });
    });

    describe('the ID token', () => {
        const cases = [
            ['wrong-iss', 'oidc', /iss/i],
            ['wrong-aud', 'oidc', /aud/i],
            ['wrong-azp', 'oidc', /azp|aud/i],
            ['multi-aud-no-azp', 'oidc', /azp|aud/i],
            ['expired', 'oidc', /expired/],
            ['iat-future', 'oidc', /in the future/],
            ['alg-none', 'oidc', /alg 'none' refused|not three parts with a signature/],
            ['unknown-key', 'oidc', /no key for kid 'unknown-/],
            ['hmac-pubkey', 'oidc', /alg 'HS256' refused/],
            ['tampered', 'oidc', /signature does not verify/],
            ['wrong-nonce', 'nonce', /nonce missing or different/],
            ['no-nonce', 'nonce', /nonce missing or different/],
        ];
        for (const [kind, id, why] of cases) {
            it(`${kind} → OAuthCallback`, async () => {
                const agent = new Agent(base);
                const { callback } = await agent.toCallback(id);
                await setMode(idp, { id_token: kind });
                await expectFailure(() => agent.request(callback), 'OAuthCallback',
                    new RegExp(`NA00032: OAuth callback of ${id} refused: .*(?:${why.source})`, why.flags));
                assert.equal(agent.hasSession(), false);
                assert.deepEqual(await agent.session(), {});
                assert.equal((await peerStats(idp)).counts.token, 1, 'the token was fetched');
            });
        }
    });

    describe('the token endpoint', () => {
        for (const kind of ['500', 'html', 'truncated', 'empty', 'reset', 'oversized']) {
            it(`answering ${kind} → OAuthCallback`, async () => {
                const agent = new Agent(base);
                const { callback } = await agent.toCallback('oidc');
                await setMode(idp, { token: kind });
                // The IdP's fault: one error line, and no info line beside it.
                await expectFailure(() => agent.request(callback), 'OAuthCallback',
                                    /NA00032: OAuth callback of oidc refused/,
                                    {level : 'error', once : true});
                assert.equal((await peerStats(idp)).counts.token, 1);
            });
        }

        for (const [kind, seconds] of [['hang', 30], ['slow', 8]]) {
            it(`${kind} for ${seconds} s (timeout=${TIMEOUT}) → OAuthCallback after ~${TIMEOUT} s`,
                async () => {
                    const agent = new Agent(base);
                    const { callback } = await agent.toCallback('oidc');
                    await setMode(idp, { token: kind, seconds });
                    const res = await expectFailure(
                        () => agent.request(callback), 'OAuthCallback',
                        /NA00032: OAuth callback of oidc refused: request to .*\/token failed: .*(timeout|Timeout|timed out)/,
                        {withinMs : WITHIN});
                    assert.ok(res.ms >= TIMEOUT * 1000 - 200, `gave up after ${res.ms} ms`);
                });
        }
    });

    describe('userinfo', () => {
        it('(control) an ID token without e-mail is completed from userinfo', async () => {
            const agent = new Agent(base);
            const res = await agent.signInAs('noemail', 'alice');
            assertSignedIn(res, `${new URL(base).origin}/`);
            assert.equal((await agent.session()).user.name, 'Alice Example');
            assert.equal((await peerStats(idp)).counts.userinfo, 1);
        });

        it('a userinfo sub other than the ID token\'s → OAuthCallback', async () => {
            const agent = new Agent(base);
            const { callback } = await agent.toCallback('noemail');
            await setMode(idp, { userinfo: 'wrong-sub' });
            await expectFailure(() => agent.request(callback), 'OAuthCallback',
                /userinfo sub differs from the ID token's/);
        });

        for (const kind of ['500', 'oversized', 'hang']) {
            it(`userinfo answering ${kind} → OAuthCallback`, async () => {
                const agent = new Agent(base);
                const { callback } = await agent.toCallback('noemail');
                await setMode(idp, { userinfo: kind, seconds: 30 });
                await expectFailure(() => agent.request(callback), 'OAuthCallback',
                    /NA00032: OAuth callback of noemail refused/, { withinMs: WITHIN });
            });
        }
    });

    describe('discovery, keys and an unreachable provider', () => {
        it('discovery whose issuer differs from the configured one → OAuthSignin', async () => {
            const agent = new Agent(base);
            const res = await expectFailure(() => agent.signin('wrongdisc'), 'OAuthSignin',
                /NA00030: OpenID discovery of .* failed: .*issuer mismatch/,
                { level: 'error', once: true });
            assert.deepEqual(agent.checkCookies(), [], 'no check cookies for a failed sign-in');
            assert.equal(res.authorizeUrl, null);
            assert.equal((await peerStats(stack.peers.wrongdisc)).counts.authorization, undefined);
        });

        it('the provider down (connection refused) → OAuthSignin at once', async () => {
            const agent = new Agent(base);
            await expectFailure(
                () => agent.signin('down'), 'OAuthSignin',
                /NA00030: OpenID discovery of .* failed: request to http:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration failed/,
                {withinMs : 1500, level : 'error', once : true});
            assert.deepEqual(agent.checkCookies(), []);
        });

        it(`a provider that accepts and never answers → OAuthSignin after ~${TIMEOUT} s`,
            async () => {
                const agent = new Agent(base);
                const res = await expectFailure(
                    () => agent.signin('blackhole'), 'OAuthSignin',
                    /NA00030: OpenID discovery of .* failed: request to .*openid-configuration failed: .*Timeout/,
                    {withinMs : WITHIN});
                assert.ok(res.ms >= TIMEOUT * 1000 - 200, `gave up after ${res.ms} ms`);
            });

        it('the token endpoint down (connection refused) → OAuthCallback at once', async () => {
            const agent = new Agent(base);
            const s = await agent.signin('downtoken');
            assert.equal(s.status, 302);
            assert.ok(s.authorizeUrl.startsWith(`${idp.url}/auth?`), s.location);
            const callback = `${base}/callback/downtoken?code=somecode&state=${s.state}`;
            await expectFailure(
                () => agent.request(callback), 'OAuthCallback',
                /NA00032: OAuth callback of downtoken refused: request to http:\/\/127\.0\.0\.1:\d+\/token failed/,
                {withinMs : 1500, level : 'error', once : true});
        });

        it('a flood of ID tokens with unknown kids: the JWKS is refetched once, not per token',
            async () => {
                const peer = stack.peers.flood;
                const agent = new Agent(base);
                assertSignedIn(await agent.signInAs('flood', 'alice'), `${new URL(base).origin}/`);
                assert.equal((await peerStats(peer)).counts.jwks, 1);
                await setMode(peer, { id_token: 'unknown-key' });
                // Ten browsers at the callback at once, each with a token of a new kid.
                const flows = [];
                for (let i = 0; i < 10; i++) {
                    const a = new Agent(base);
                    a.idpJar = agent.idpJar;
                    flows.push({ a, ...(await a.toCallback('flood', 'alice')) });
                }
                const t0 = Date.now();
                const mark = logMark();
                const answers = await Promise.all(flows.map(({ a, callback }) => a.request(callback)));
                for (const res of answers) assertFailed(res, base, 'OAuthCallback', { withinMs: WITHIN });
                assert.equal(logSince(mark).match(/no key for kid 'unknown-/g).length, 10);
                const { counts } = await peerStats(peer);
                assert.equal(counts.token, 11, 'every callback reached the token endpoint');
                assert.ok(counts.jwks <= 2, `JWKS fetched ${counts.jwks} times`);
                assert.ok(Date.now() - t0 < 20000);
                // Legitimate tokens still verify with the cached keys.
                await setMode(peer, { id_token: 'off' });
                assertSignedIn(await agent.signInAs('flood', 'alice'), `${new URL(base).origin}/`);
                assert.ok((await peerStats(peer)).counts.jwks <= 2);
            });

        it('after all of the above the server still signs users in', async () => {
            const agent = new Agent(base);
            assertSignedIn(await agent.signInAs('nonce', 'bob'), `${new URL(base).origin}/`);
            assert.equal((await agent.session()).user.email, 'bob@example.com');
        });

        it('a discovery document that was broken once is fetched again once it is fixed', async () => {
            const peer = stack.peers.glitchdisc;
            const agent = new Agent(base);
            await expectFailure(() => agent.signin('glitchdisc'), 'OAuthSignin', /NA00030/);
            await setMode(peer, { discovery: 'off' });
            const s = await agent.signin('glitchdisc');
            assert.equal(s.status, 302);
            assert.ok(s.authorizeUrl, `recovered provider still fails: ${s.location}`);
        });

        it('a JWKS that was broken once is fetched again once it is fixed', async () => {
            const peer = stack.peers.glitchjwks;
            const agent = new Agent(base);
            await expectFailure(async () => agent.request((await agent.toCallback('glitchjwks')).callback),
                'OAuthCallback', /JWKS unavailable or unusable/);
            await setMode(peer, { jwks: 'off' });
            const res = await agent.signInAs('glitchjwks', 'alice');
            assert.equal(res.location, `${new URL(base).origin}/`, 'recovered provider still fails');
        });
    });
});
