// SPDX-License-Identifier: Apache-2.0
// NextAuthMetrics' IdP latency histogram against a real OpenID Provider (npm oidc-provider,
// t/peers/oidc.mjs): every request the module makes to the provider (discovery, JWKS,
// token, userinfo, as the provider itself counts them) is one more observation; a
// sign-in is counted as a success of its provider, a forged callback as a failure.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startStack, peerStats, Agent, assertSignedIn, badLogLines } = require('./lib/oauth');

const SECRET = 'metrics-oidc-secret';
const HIST = 'nextauth_idp_request_duration_seconds';
const BACKCHANNEL = ['discovery', 'jwks', 'token', 'userinfo'];

// A scrape as Map(series -> number); every sample line must parse.
async function scrape(url) {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10000) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const values = new Map();
    for (const line of (await res.text()).split('\n')) {
        if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
        const m = /^(nextauth_[a-z_]+(?:\{[^}]*\})?) ([0-9]+(?:\.[0-9]+)?)$/.exec(line);
        assert.ok(m, `a sample line: ${line}`);
        values.set(m[1], Number(m[2]));
    }
    return values;
}

async function backchannelRequests(idp) {
    const { counts } = await peerStats(idp);
    return BACKCHANNEL.reduce((n, endpoint) => n + (counts[endpoint] || 0), 0);
}

describe('NextAuthMetrics: IdP request latency', { timeout: 120000 }, () => {
    let stack;
    let idp;

    before(async () => {
        stack = await startStack({
            name: 'oauth-metrics',
            peers: { idp: { kind: 'oidc', args: (u) => ['--client-id', 'app', '--client-secret',
                SECRET, '--redirect-uri', `${u}/api/auth/callback/oidc`] } },
            providers: (p) => [`oidc type=oidc issuer=${p.idp} clientId=app clientSecret=${SECRET}`],
            extraConf: ['<Location /metrics>', '    NextAuthMetrics On', '</Location>'].join('\n'),
        });
        idp = stack.peers.idp;
    });

    after(async () => {
        if (!stack) return;
        const log = await stack.stop();
        assert.deepEqual(badLogLines(log), [], 'error log');
    });

    it('_count grows by the IdP requests of a sign-in; the sign-in counts as a success', async () => {
        const before0 = await scrape(stack.httpd.url);
        const idpBefore = await backchannelRequests(idp);
        const agent = new Agent(stack.base);
        assertSignedIn(await agent.signInAs('oidc', 'alice'), `${stack.httpd.url}/`);
        const made = (await backchannelRequests(idp)) - idpBefore;
        assert.ok(made >= 2, `token and userinfo at least (${made})`);
        const after0 = await scrape(stack.httpd.url);

        assert.equal(after0.get(`${HIST}_count`) - before0.get(`${HIST}_count`), made);
        assert.equal(after0.get(`${HIST}_bucket{le="+Inf"}`), after0.get(`${HIST}_count`));
        assert.ok(after0.get(`${HIST}_sum`) > before0.get(`${HIST}_sum`), 'the sum grew');
        let previous = 0;
        for (const [series, value] of after0) {
            if (!series.startsWith(`${HIST}_bucket`)) continue;
            assert.ok(value >= previous, `cumulative buckets: ${series} ${value}`);
            previous = value;
        }
        const ok = 'nextauth_signins_total{provider="oidc",outcome="success"}';
        assert.equal(after0.get(ok) - before0.get(ok), 1);
    });

    it('a second sign-in (discovery and JWKS cached): each of its IdP requests counted',
        async () => {
            const before1 = await scrape(stack.httpd.url);
            const idpBefore = await backchannelRequests(idp);
            assertSignedIn(await new Agent(stack.base).signInAs('oidc', 'alice'),
                `${stack.httpd.url}/`);
            const made = (await backchannelRequests(idp)) - idpBefore;
            const after1 = await scrape(stack.httpd.url);
            assert.equal(after1.get(`${HIST}_count`) - before1.get(`${HIST}_count`), made);
        });

    it('a forged callback counts as a failure of its provider', async () => {
        const before2 = await scrape(stack.httpd.url);
        const res = await new Agent(stack.base).request(
            `${stack.base}/callback/oidc?code=forged&state=forged`);
        assert.equal(res.status, 302);
        const after2 = await scrape(stack.httpd.url);
        const failed = 'nextauth_signins_total{provider="oidc",outcome="failure"}';
        assert.equal(after2.get(failed) - before2.get(failed), 1);
        const errors = (m) => [...m].filter(([k]) => k.startsWith('nextauth_errors_total'))
            .reduce((n, [, v]) => n + v, 0);
        assert.equal(errors(after2) - errors(before2), 1);
        assert.equal(after2.get(`${HIST}_count`), before2.get(`${HIST}_count`),
            'no IdP request for a forged state');
    });
});
