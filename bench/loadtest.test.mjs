// SPDX-License-Identifier: Apache-2.0
// The load test's verdict on planted failures: a 5xx, a wrong answer, a crashed child, a
// replaced child and memory growth must each fail the run; a clean run must pass.
// Run by `make loadtest` before the load itself: node --test bench/loadtest.test.mjs
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { Tally, crashLines, rssVerdict, report, childrenOf, rssOf } from './loadtest-lib.mjs';

const res = (status, location) => ({ status, headers: location ? { location } : {} });

function verdict(over = {}) {
    const t = new Tally();
    t.record('session', res(200), null);
    return {
        total: t.total, seconds: 1, rate: 1, byKind: t.byKind, status5xx: t.status5xx,
        unexpected: t.unexpected, retried: 0, crashes: [], errorLines: 0, mails: 0,
        checkpoint: 10000, trace: [],
        rss: rssVerdict([10, 11], 1000, [10, 11], 1050, 1.10),
        ...over,
    };
}

test('a clean run passes', () => {
    const { ok, text } = report(verdict());
    assert.equal(ok, true);
    assert.match(text, /\*\*PASSED\*\*/);
    assert.match(text, /\| ratio \(limit 1\.10\) \| 1\.050 \|/);
});

test('a 5xx fails the run even when nobody called it wrong', () => {
    const t = new Tally();
    t.record('session', res(502), null);
    assert.equal(t.status5xx, 1);
    assert.equal(t.byKind.session.bad, 1);
    const { ok, text } = report(verdict({ status5xx: t.status5xx, unexpected: t.unexpected }));
    assert.equal(ok, false);
    assert.match(text, /1 answers were 5xx/);
});

test('a wrong answer fails the run, and past 20 examples they are still counted', () => {
    const t = new Tally();
    for (let i = 0; i < 25; i++) t.record('csrf', res(302, '/x'), 'want 200');
    assert.equal(t.unexpected.length, 25);
    const { ok, text } = report(verdict({ unexpected: t.unexpected, byKind: t.byKind }));
    assert.equal(ok, false);
    assert.match(text, /25 answers were not the expected ones/);
    assert.match(text, /- csrf: want 200 \(status 302, location \/x\)/);
});

test('crash lines are found, ordinary errors are not', () => {
    const log = [
        '[Sat Nov 28 12:00:00 2026] [core:notice] [pid 1] AH00052: child pid 42 exit signal Segmentation fault (11)',
        '[Sat Nov 28 12:00:00 2026] [nextauth:error] [pid 2] NA00030: OpenID discovery failed',
        '[Sat Nov 28 12:00:01 2026] [core:crit] [pid 3] something critical',
        '==4==ERROR: AddressSanitizer: heap-use-after-free',
        'src/core/na_url.c:40:5: runtime error: signed integer overflow',
    ].join('\n');
    const lines = crashLines(log);
    assert.equal(lines.length, 4);
    assert.ok(!lines.some((l) => /NA00030/.test(l)));
    const { ok } = report(verdict({ crashes: lines }));
    assert.equal(ok, false);
});

test('a session cookie or secret in the error log fails the run', async () => {
    const { createRequire } = await import('node:module');
    const leaks = createRequire(import.meta.url)('../t/browser/lib/leaks.js');
    const cookie = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..planted.loadtest.cookie';
    leaks.neverLoggedResponse({ setCookies: [`next-auth.session-token=${cookie}; Path=/`] });
    const log = `[Sat Nov 28 12:00:00 2026] [nextauth:warn] [pid 2] NA00099: got ${cookie}\n`;
    assert.deepEqual(leaks.leakLines('[Sat Nov 28 12:00:00 2026] [nextauth:warn] NA00099: ok\n'), []);
    const { ok, text } = report(verdict({ leaks: leaks.leakLines(log) }));
    assert.equal(ok, false);
    assert.match(text, /1 error-log lines hold a secret or token/);
    assert.match(text, /got <cookie next-auth\.session-token>/);
    assert.ok(!text.includes(cookie), 'the report does not copy the cookie');
    assert.match(report(verdict()).text, /\| error-log lines holding a secret or token \| 0 \|/);
});

test('memory growth past the limit fails, at the limit passes', () => {
    assert.equal(rssVerdict([1, 2], 1000, [1, 2], 1100, 1.10).ok, true);
    const grown = rssVerdict([1, 2], 1000, [1, 2], 1101, 1.10);
    assert.equal(grown.ok, false);
    assert.match(grown.why, /RSS grew 1\.101×/);
    assert.equal(report(verdict({ rss: grown })).ok, false);
});

test('a child replaced during the run fails, whatever the RSS says', () => {
    const v = rssVerdict([1, 2], 1000, [1, 3], 900, 1.10);
    assert.equal(v.ok, false);
    assert.match(v.why, /children changed/);
    assert.equal(rssVerdict(null, null, [1], 900, 1.10).ok, false);
});

test('children and their RSS are read from a /proc tree', () => {
    const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'na-proc-'));
    const mk = (pid, ppid, rss, comm = 'apache2') => {
        fs.mkdirSync(path.join(proc, String(pid)));
        fs.writeFileSync(path.join(proc, String(pid), 'stat'), `${pid} (${comm}) S ${ppid} 1 1 0`);
        fs.writeFileSync(path.join(proc, String(pid), 'status'), `Name:\t${comm}\nVmRSS:\t  ${rss} kB\n`);
    };
    try {
        mk(100, 1, 5000);
        mk(102, 100, 2000);
        mk(101, 100, 3000, 'a (strange) name');
        mk(103, 101, 7000); // a grandchild is not a child
        fs.mkdirSync(path.join(proc, 'self'));
        assert.deepEqual(childrenOf(100, proc), [101, 102]);
        assert.equal(rssOf([101, 102], proc), 5000);
    } finally {
        fs.rmSync(proc, { recursive: true, force: true });
    }
});
