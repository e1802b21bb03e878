// SPDX-License-Identifier: Apache-2.0
// The node layers' leak check (t/browser/lib/leaks.js) against planted leaks: a secret of
// the configuration, a registered token, a cookie value in its URL-encoded spelling, each
// put into a log text, must fail the check; short values and clean logs must not; a
// process that never looks at its log still exits non-zero.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const leaks = require('./lib/leaks');
const { startHttpd, badLogLines } = require('./lib/httpd');

const LINE = '[Mon Dec 07 10:00:00.000000 2026] [nextauth:debug] [pid 1] NA00099: ';

test('a registered token in any log line fails the check, whatever allow says', () => {
    const token = 'planted-token-0123456789abcdef';
    assert.deepEqual(badLogLines(`${LINE}session for alice\n`), []);
    leaks.neverLogged(token, 'planted token');
    const bad = badLogLines(`${LINE}ok\n${LINE}token ${token} seen\n`, [/NA00099/]);
    assert.equal(bad.length, 1);
    assert.match(bad[0], /never-logged value in the error log: .*token <planted token> seen/);
    assert.ok(!bad[0].includes(token), 'the report does not copy the value');
    // inside a longer word, at the start and at the end of a line
    assert.equal(leaks.leakLines(`x${token}y\n${token}\nend ${token}`).length, 3);
});

test('values under 8 characters are ignored', () => {
    leaks.neverLogged('short7c', 'short');
    leaks.neverLogged('', 'empty');
    leaks.neverLogged(undefined);
    assert.deepEqual(leaks.leakLines(`${LINE}short7c is a word\n`), []);
});

test('cookies: the URL-encoded CSRF cookie in both spellings and in its parts', () => {
    const tok = 'a'.repeat(16) + 'c0ffee', hash = 'b'.repeat(16) + 'decaf0';
    leaks.neverLoggedCookies([`next-auth.csrf-token=${tok}%7C${hash}; Path=/; HttpOnly`]);
    assert.equal(leaks.leakLines(`${LINE}csrf ${tok}\n`).length, 1);
    assert.equal(leaks.leakLines(`${LINE}hash ${hash}\n`).length, 1);
    assert.equal(leaks.leakLines(`${LINE}cookie ${tok}|${hash}\n`).length, 1);
    assert.equal(leaks.leakLines(`${LINE}next-auth.csrf-token\n`).length, 0, 'the name is no secret');
    leaks.neverLoggedCookies(['next-auth.callback-url=http%3A%2F%2F127.0.0.1%3A9999; Path=/']);
    assert.equal(leaks.leakLines(`${LINE}referer: http://127.0.0.1:9999/x\n`).length, 0,
        'the callback-url cookie is a URL of the site, no secret');
    leaks.neverLoggedUrl('http://127.0.0.1/api/auth/callback/oidc?code=planted-oauth-code-77&state=s');
    assert.equal(leaks.leakLines(`${LINE}code planted-oauth-code-77\n`).length, 1);
    leaks.neverLoggedResponse({ body: '{"csrfToken":"planted-csrf-json-token"}' });
    assert.equal(leaks.leakLines(`${LINE}planted-csrf-json-token\n`).length, 1);
});

test('the secrets of a configuration: literal, quoted, file:, env:, SMTP and DB passwords', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'na-leaks-'));
    fs.writeFileSync(path.join(dir, 'gh.secret'), 'from-a-file-secret \r\nsecond line\n');
    process.env.NA_LEAKS_TEST_SECRET = 'from-the-environment';
    const conf = [
        'NextAuthSecret literal-nextauth-secret',
        'NextAuthSecret "quoted nextauth secret"',
        'NextAuthSecret env:NA_LEAKS_TEST_SECRET',
        'NextAuthProvider github clientId=x clientSecret=file:gh.secret',
        'NextAuthProvider corp type=oidc clientId=y clientSecret="quoted client secret" issuer=http://i',
        'NextAuthProvider email server=smtps://user:p%40ss-word-99@mail.example from=a@b.example',
        'DBDParams "host=127.0.0.1 user=na password=db-password-42 dbname=na"',
        'NextAuthProvider other clientId=z clientSecret=y',
    ].join('\n');
    const got = leaks.secretsOfConfig(conf, dir).map(({ label, value }) => `${label}: ${value}`);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(got, [
        'NextAuthSecret: literal-nextauth-secret',
        'NextAuthSecret: quoted nextauth secret',
        'NextAuthSecret: from-the-environment',
        'clientSecret: from-a-file-secret',
        'clientSecret: quoted client secret',
        'clientSecret: y',
        'SMTP password: p@ss-word-99',
        'password=: db-password-42',
    ]);
});

test('a real httpd: its configured secrets are registered, and stop() reports them', async () => {
    const clientSecret = 'planted-client-secret-for-github';
    const httpd = await startHttpd({
        name: 'leaks-selftest',
        providers: [`github clientId=x clientSecret=${clientSecret}`,
            'credentials name="Test login" authn=file'],
    });
    fs.appendFileSync(path.join(httpd.dir, 'error_log'),
        `${LINE}the secret ${httpd.secret} and the client secret ${clientSecret}\n`);
    const log = await httpd.stop('leaks-selftest');
    const bad = badLogLines(log).filter((l) => l.startsWith('never-logged'));
    assert.equal(bad.length, 1, bad.join('\n'));
    assert.match(bad[0], /the secret <NextAuthSecret> and the client secret <clientSecret>/);
    // stop() kept the log for the check at exit; this test planted it, so it takes it back.
    const kept = leaks.takeLeaks();
    assert.equal(kept.length, 1);
    assert.match(kept[0], /^leaks-selftest: never-logged value/);
});

test('a process that never checks its log still fails at exit', () => {
    const script = [
        `const leaks = require(${JSON.stringify(path.join(__dirname, 'lib', 'leaks.js'))});`,
        "leaks.neverLogged('token-nobody-checked-0001', 'session cookie');",
        "leaks.checkLog('forgetful', 'a line with token-nobody-checked-0001 in it\\n');",
    ].join('\n');
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /\[leak check\] FAILED: 1 error-log line/);
    assert.match(run.stderr, /forgetful: never-logged value in the error log: a line with <session cookie> in it/);
    const clean = spawnSync(process.execPath, ['-e', script.replace(/token-nobody-checked-0001 in/, 'nothing in')],
        { encoding: 'utf8' });
    assert.equal(clean.status, 0, clean.stderr);
});
