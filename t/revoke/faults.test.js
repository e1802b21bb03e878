// SPDX-License-Identifier: Apache-2.0
// Faults of the revocation layer (issue 13, "Bad input and faults"): 100 logout POSTs from
// one IP are cut off by NextAuthRateLimit backchannelIp= with 429 and Retry-After, and the
// server goes on answering; with the shared Redis stopped, a failOpen=off host answers its
// protected pages and GET session with 503 and Retry-After while a failOpen=on host serves
// them, each logging the failure ("revocation list") at most once per child, not once per
// request; a logout POST for a provider whose discovery cannot be had is refused, not a
// crash; no crash line in any log.
//   node --test t/revoke/faults.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
    startRedis, startRevokeOp, startBackend, startHost, providerLine, revocationLine, viaProxy, tabOf, freePort, Agent,
    REDIS_MODULE, CRASH, badLogLines, backchannelUri, post, logoutToken,
} = require('./lib/revoke');

const LIMIT = 20;
const REQUESTS = 15;

const locations = (backend) => [
    '<Location /app>',
    '    AuthType NextAuth',
    '    Require valid-user',
    `    ProxyPass ${backend.url}/app`,
    '</Location>',
];

/** The "revocation list" lines of a log, counted per httpd process. */
function revocationLinesPerPid(log) {
    const per = {};
    for (const line of String(log).split('\n').filter((l) => /revocation list/.test(l))) {
        const pid = (/\[pid (\d+)/.exec(line) || [, '?'])[1];
        per[pid] = (per[pid] || 0) + 1;
    }
    return per;
}

describe('revocation faults: flooding, Redis down', { timeout: 240000 }, () => {
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
        // "gone": an OpenID provider whose discovery nothing answers (a closed port).
        const gone = 'gone type=oidc name="Gone" issuer=http://127.0.0.1:1 clientId=app clientSecret=gone-secret';
        const common = { providers: [providerLine('oidc', idp), gone], modules: [REDIS_MODULE] };
        a = await startHost({
            name: 'revoke-faults-a', port: ports[0], ...common,
            conf: [revocationLine(redis), `NextAuthRateLimit backchannelIp=${LIMIT}/60`, ...locations(backend)].join('\n'),
        });
        b = await startHost({
            name: 'revoke-faults-b', port: ports[1], secret: a.secret, ...common,
            conf: [revocationLine(redis, { failOpen: true }), ...locations(backend)].join('\n'),
        });
        alice = new Agent(`${a.url}/api/auth`);
        const res = await alice.signInAs('oidc', 'alice');
        assert.equal(res.status, 302, `sign-in: ${res.status} ${res.location} ${res.body.slice(0, 300)}`);
    });

    after(async () => {
        const logs = [];
        if (a) logs.push(await a.stop('revoke-faults-a'));
        if (b) logs.push(await b.stop('revoke-faults-b'));
        await Promise.all([backend, idp].filter(Boolean).map((p) => p.stop()));
        if (redis) await redis.stop();
        for (const log of logs) {
            assert.doesNotMatch(log, CRASH);
            assert.deepEqual(badLogLines(log, [/revocation list/, /socache_redis|redis/i, /rate.?limit|backchannelIp/i,
                /NA00030: OpenID discovery of http:\/\/127\.0\.0\.1:1 failed/, /back-channel logout failed: no discovery/]), [],
                'error log');
        }
    });

    it(`100 logout POSTs from one IP: 429 with Retry-After after ${LIMIT}, and the server still answers`, async () => {
        const statuses = [];
        const retryAfter = [];
        for (let i = 0; i < 100; i += 10) {
            const batch = await Promise.all(Array.from({ length: 10 }, (_, j) =>
                post(backchannelUri(a.url), { form: { logout_token: `junk-${i + j}` } })));
            for (const res of batch) {
                statuses.push(res.status);
                if (res.status === 429) retryAfter.push(res.headers['retry-after']);
            }
        }
        const counts = statuses.reduce((m, s) => ({ ...m, [s]: (m[s] || 0) + 1 }), {});
        const seen = JSON.stringify(counts);
        assert.deepEqual(statuses.slice(0, LIMIT), Array(LIMIT).fill(400), `the first ${LIMIT}: ${seen}`);
        // A window that turns over during the flood lets at most one more LIMIT through.
        assert.ok((counts[429] || 0) >= 100 - 2 * LIMIT, `429s: ${seen}`);
        assert.equal((counts[400] || 0) + (counts[429] || 0), 100, seen);
        for (const value of retryAfter) assert.match(String(value), /^[1-9]\d*$/, `Retry-After: ${value}`);

        const index = await fetch(`${a.url}/index.html`);
        assert.equal(index.status, 200, 'the server still answers');
        const page = await viaProxy(tabOf(alice), a, '/app/after-flood');
        assert.equal(page.status, 200, `a protected page after the flood: ${page.status} ${page.location}`);
    });

    it('a logout POST for a provider whose discovery fails: refused (400 or 503), no crash, nothing revoked', async () => {
        // B: A's back-channel route is rate-limited by the flood above.
        const token = await logoutToken(idp, { sub: 'alice' });
        for (let i = 0; i < 3; i++) {
            let res;
            try {
                res = await post(backchannelUri(b.url, 'gone'), { form: { logout_token: token } });
            } catch (err) {
                assert.fail(`POST backchannel-logout/gone ${i}: no answer (${err.cause?.code || err.message}): ${
                    (b.errorLog().split('\n').filter((l) => /NA0027|exit signal/.test(l)).slice(-3).join(' | '))}`);
            }
            assert.ok([400, 503].includes(res.status), `POST backchannel-logout/gone ${i}: ${res.status} ${res.body.slice(0, 200)}`);
        }
        const page = await viaProxy(tabOf(alice, `${b.url}/api/auth`), b, '/app/after-gone');
        assert.equal(page.status, 200, `alice on B after: ${page.status} ${page.location}`);
    });

    it('Redis stopped: 503 + Retry-After where failOpen=off, served where failOpen=on; logged once per child', async () => {
        const onB = tabOf(alice, `${b.url}/api/auth`);
        for (const [agent, host] of [[alice, a], [onB, b]]) {
            const res = await viaProxy(tabOf(agent), host, '/app/before');
            assert.equal(res.status, 200, `before on ${host.url}: ${res.status} ${res.location}`);
        }
        await redis.stop();

        for (let i = 0; i < REQUESTS; i++) {
            const closed = await viaProxy(tabOf(alice), a, `/app/down-${i}`);
            assert.equal(closed.status, 503, `failOpen=off, request ${i}: ${closed.status} ${closed.location} ${closed.body.slice(0, 200)}`);
            assert.match(String(closed.headers['retry-after']), /^[1-9]\d*$/, `Retry-After: ${closed.headers['retry-after']}`);
            assert.equal(closed.echo, null, 'the backend was not asked');
            const open = await viaProxy(tabOf(onB), b, `/app/down-${i}`);
            assert.equal(open.status, 200, `failOpen=on, request ${i}: ${open.status} ${open.location} ${open.body.slice(0, 200)}`);
            assert.equal(open.echo.headers['x-nextauth-email'], 'alice@example.com');
        }
        const closedSession = await tabOf(alice).request(`${a.url}/api/auth/session`);
        assert.equal(closedSession.status, 503, `GET session where failOpen=off: ${closedSession.status} ${closedSession.body}`);
        const openSession = await tabOf(onB).request(`${b.url}/api/auth/session`);
        assert.equal(openSession.status, 200);
        assert.equal(JSON.parse(openSession.body).user?.email, 'alice@example.com', openSession.body);

        for (const host of [a, b]) {
            const per = revocationLinesPerPid(host.errorLog());
            const total = Object.values(per).reduce((s, n) => s + n, 0);
            assert.ok(total >= 1, `${host.url} logs the failure: ${JSON.stringify(per)}`);
            for (const [pid, n] of Object.entries(per)) {
                assert.equal(n, 1, `${host.url}: pid ${pid} logged "revocation list" ${n} times in under a minute`);
            }
            assert.ok(total < REQUESTS, `${host.url}: ${total} lines for ${REQUESTS + 1} requests`);
        }
    });
});
