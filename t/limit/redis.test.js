// SPDX-License-Identifier: Apache-2.0
// Two hosts sharing their rate-limit counters through Redis (NextAuthRateLimitCache
// redis:HOST:PORT, mod_socache_redis): failed credentials sign-ins on host A count on
// host B, so 2 failures on A and 1 on B throttle the next attempt on either (limit 3).
// Then Redis goes away: sign-ins fail open (the right password still works, a wrong one
// is still refused) and a warning is logged. Redis runs from a temp dir on a free port and
// is stopped by its PID. Needs build/mod_nextauth.so, redis-server and mod_socache_redis.
//   node --test t/limit/redis.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { startHttpd, badLogLines } = require('../browser/lib/httpd');

const REDIS = process.env.NA_REDIS_SERVER || '/usr/bin/redis-server';
const REDIS_CLI = process.env.NA_REDIS_CLI || '/usr/bin/redis-cli';
const WINDOW = 3600;

function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

function canConnect(port) {
    return new Promise((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
        s.on('error', () => resolve(false));
    });
}

async function startRedis() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'na-redis-'));
    const port = await freePort();
    const proc = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
        '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (c) => { out += c; });
    proc.stderr.on('data', (c) => { out += c; });
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    for (let i = 0; i < 100 && proc.exitCode === null; i++) {
        if (await canConnect(port)) {
            return {
                port,
                pid: proc.pid,
                cli: (...args) => execFileSync(REDIS_CLI, ['-p', String(port), ...args],
                    { encoding: 'utf8' }),
                stop: async () => {
                    if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, 'SIGTERM');
                    await exited;
                    fs.rmSync(dir, { recursive: true, force: true });
                },
            };
        }
        await sleep(50);
    }
    if (proc.exitCode === null) process.kill(proc.pid, 'SIGKILL');
    throw new Error(`redis-server did not start on ${port}:\n${out}`);
}

// One HTTP request; resolves { status, headers, body, cookies: [name=value] }.
function request(base, pathname, { method = 'GET', headers = {}, body } = {}) {
    return new Promise((resolve, reject) => {
        const req = http.request(`${base}${pathname}`, { method, headers, agent: false }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c) => { text += c; });
            res.on('end', () => resolve({
                status: res.statusCode,
                headers: res.headers,
                body: text,
                cookies: (res.headers['set-cookie'] || []).map((c) => c.split(';')[0]),
            }));
        });
        req.on('error', reject);
        if (body) req.write(body);
        req.end();
    });
}

// next-auth's credentials form: CSRF round trip, then POST callback/credentials.
async function signIn(httpd, username, password) {
    const csrf = await request(httpd.url, '/api/auth/csrf');
    const { csrfToken } = JSON.parse(csrf.body);
    const res = await request(httpd.url, '/api/auth/callback/credentials', {
        method: 'POST',
        headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Cookie: csrf.cookies.join('; '),
        },
        body: new URLSearchParams({ csrfToken, username, password }).toString(),
    });
    const session = res.cookies.find((c) => /^next-auth\.session-token(\.\d+)?=./.test(c));
    return { res, session, refused: /[?&]error=CredentialsSignin$/.test(res.headers.location || '') };
}

function startHost(name, redisPort) {
    return startHttpd({
        name,
        providers: ['credentials name="Test login" authn=file'],
        modules: [['socache_redis_module', 'mod_socache_redis.so']],
        logLevel: 'warn nextauth:info',
        extraConf: [
            `NextAuthRateLimitCache redis:127.0.0.1:${redisPort}`,
            `NextAuthRateLimit credentialsUser=3/${WINDOW} credentialsIp=off`,
        ].join('\n'),
    });
}

describe('rate limits shared by two hosts through Redis', { timeout: 120000 }, () => {
    let redis;
    let a;
    let b;

    before(async () => {
        // Fixed windows: keep clear of the end of one.
        const into = Math.floor(Date.now() / 1000) % WINDOW;
        if (into > WINDOW - 20) await sleep((WINDOW - into + 1) * 1000);
        redis = await startRedis();
        a = await startHost('limit-redis-a', redis.port);
        b = await startHost('limit-redis-b', redis.port);
    });

    after(async () => {
        if (a) await a.stop('limit-redis-a');
        if (b) await b.stop('limit-redis-b');
        if (redis) await redis.stop();
    });

    it('counts failures on A and B together, and throttles on both', async (t) => {
        const { name, password } = a.user;
        const timed = async (host, pw) => {
            const started = process.hrtime.bigint();
            const out = await signIn(host, name, pw);
            out.ms = Number(process.hrtime.bigint() - started) / 1e6;
            return out;
        };
        const first = await signIn(a, name, password);
        assert.ok(first.session, `a first sign-in on A works: ${first.res.status} ${first.res.headers.location}`);

        const wrongMs = [];
        for (const [host, label] of [[a, 'A'], [a, 'A'], [b, 'B']]) {
            const wrong = await timed(host, 'not-the-password');
            assert.ok(wrong.refused, `wrong password on ${label} is refused`);
            assert.equal(wrong.session, undefined);
            wrongMs.push(wrong.ms);
        }
        const onA = await timed(a, password);
        assert.ok(onA.refused && !onA.session, 'after 2 failures on A and 1 on B, A throttles');
        const onB = await timed(b, password);
        assert.ok(onB.refused && !onB.session, 'and so does B');
        // The throttled answer waits about as long as a failed check (capped at 2 s).
        assert.ok(onA.ms < 2500 && onB.ms < 2500, `throttled answers: ${onA.ms} ms, ${onB.ms} ms`);
        t.diagnostic(`sign-in round trips (CSRF + POST): wrong password ${wrongMs.map((m) => m.toFixed(1)).join(', ')} ms; ` +
            `throttled ${onA.ms.toFixed(1)}, ${onB.ms.toFixed(1)} ms`);

        const logA = a.errorLog();
        const logB = b.errorLog();
        assert.match(logA, /NA00060: credentials sign-in throttled for user 'alice@example\.com' from 127\.0\.0\.1: credentialsUser=3\/3600 reached/);
        assert.match(logB, /NA00060: credentials sign-in throttled for user 'alice@example\.com'/);
        assert.deepEqual(badLogLines(logA + logB), []);

        // Redis holds counters under the module's namespace, keyed by hashes only.
        const keys = redis.cli('--scan').split('\n').filter(Boolean);
        assert.ok(keys.length >= 1 && keys.every((k) => k.startsWith('nextauth-limit:')),
            `keys: ${keys.join(' ')}`);
        assert.ok(!keys.some((k) => /alice|example/i.test(k)), 'no username in a key');
        const values = keys.map((k) => redis.cli('GET', k).trim());
        assert.ok(values.includes('3'), `one counter reached 3: ${values.join(' ')}`);
        const ttl = Number(redis.cli('TTL', keys[0]).trim());
        assert.ok(ttl > 0 && ttl <= WINDOW + 1, `the counter expires with its window (TTL ${ttl})`);
    });

    it('fails open when Redis is down, with a warning', async () => {
        await redis.stop();
        redis = null;
        // A user whose counter would not matter either way: the cache is gone.
        const { name, password } = b.user;
        const wrong = await signIn(b, name, 'still-wrong');
        assert.ok(wrong.refused, 'a wrong password is still refused');
        const right = await signIn(b, name, password);
        assert.ok(right.session, `the right password signs in (fail open): ${right.res.status} ${right.res.headers.location}`);
        const log = b.errorLog();
        assert.match(log, /\[nextauth:warn\].*NA00061: rate limits: (reading|storing|locking) failed on the counter cache redis:127\.0\.0\.1:\d+; requests are allowed/);
        // mod_socache_redis reports the failed store itself; nothing else may be wrong.
        assert.deepEqual(badLogLines(log, [/scache_rd|socache_redis|AH0347[89]|AH03480/]), []);
    });
});
