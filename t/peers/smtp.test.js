// SPDX-License-Identifier: Apache-2.0
// The SMTP peer (t/peers/smtp.mjs) and mod_nextauth's mail core against it, without httpd:
//  - the peer's self-tests drive it with the curl command line (each mode, AUTH, STARTTLS,
//    implicit TLS, the standalone demo printout);
//  - build/tools/na_smtp_tool (t/tools/na_smtp_tool.c: na_mail_signin + na_smtp_send, built
//    by t/tools/build.sh) sends the sign-in mail to the peer in every mode, and the parsed
//    message is checked: multipart/alternative with both parts, the headers, the Korean
//    subject, a refused recipient, a slow server, a server that is down, header injection.
//   node --test t/peers/smtp.test.js     (t/oauth/run.sh runs it with the other peers' tests)
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const TOOL = path.join(ROOT, 'build/tools/na_smtp_tool');
const LINK = 'http://127.0.0.1:8080/api/auth/callback/email?callbackUrl=http%3A%2F%2F127.0.0.1'
    + '%3A8080%2F&token=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
    + '&email=alice%40example.com';

let startSmtp;
const load = async () => { ({ startSmtp } = await import('./smtp.mjs')); };

// Runs a command without blocking the event loop (the peer lives in this process).
function run(cmd, args, { timeoutMs = 30000, input } = {}) {
    return new Promise((resolve) => {
        const started = Date.now();
        const child = execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
            resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr, ms: Date.now() - started });
        });
        if (input !== undefined) child.stdin.end(input);
    });
}

function tool(url, extra = []) {
    return run(TOOL, ['--server', url, '--from', 'Example <noreply@example.com>',
        '--to', 'alice@example.com', '--url', LINK, ...extra]);
}

// A port nothing listens on: bound, then closed.
function closedPort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the peer, through the curl command line ---------------------------------------------

function curlMessage(subject) {
    return [
        'From: Sender <sender@example.com>',
        'To: rcpt@example.com',
        `Subject: ${subject}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Click http://127.0.0.1:8080/x to sign in.',
        '',
    ].join('\r\n');
}

function curlSend(url, subject, extra = []) {
    const file = path.join(os.tmpdir(), `na-smtp-${process.pid}-${Date.now()}.eml`);
    fs.writeFileSync(file, curlMessage(subject));
    return run('curl', ['-sS', '--max-time', '10', '--url', url, '--mail-from', 'sender@example.com',
        '--mail-rcpt', 'rcpt@example.com', '--upload-file', file, ...extra])
        .finally(() => fs.rmSync(file, { force: true }));
}

describe('smtp.mjs peer (curl)', () => {
    before(load);

    it('accept: parses the message and the envelope', async () => {
        const smtp = await startSmtp();
        try {
            const r = await curlSend(smtp.url, 'Hello');
            assert.equal(r.code, 0, r.stderr);
            const m = await smtp.waitForMessage(5000);
            assert.equal(m.subject, 'Hello');
            assert.equal(m.fromAddress, 'sender@example.com');
            assert.equal(m.fromName, 'Sender');
            assert.equal(m.to, 'rcpt@example.com');
            assert.match(m.text, /Click http:\/\/127\.0\.0\.1:8080\/x to sign in\./);
            assert.deepEqual(m.envelope, { mailFrom: 'sender@example.com', rcptTo: ['rcpt@example.com'] });
            assert.equal(m.secure, false);
            assert.equal(smtp.messages.length, 1);
            await assert.rejects(smtp.waitForMessage(200), /no message within 200 ms/);
        } finally {
            await smtp.stop();
        }
    });

    it('reject-rcpt: 550 on RCPT TO, nothing stored', async () => {
        const smtp = await startSmtp({ mode: 'reject-rcpt' });
        try {
            const r = await curlSend(smtp.url, 'Hello');
            assert.notEqual(r.code, 0);
            assert.match(r.stderr, /550|RCPT/);
            assert.equal(smtp.messages.length, 0);
        } finally {
            await smtp.stop();
        }
    });

    it('fail-data: 451 after DATA, nothing stored', async () => {
        const smtp = await startSmtp({ mode: 'fail-data' });
        try {
            const r = await curlSend(smtp.url, 'Hello');
            assert.notEqual(r.code, 0);
            assert.equal(smtp.messages.length, 0);
        } finally {
            await smtp.stop();
        }
    });

    it('slow: the DATA reply outlasts a client timeout', async () => {
        const smtp = await startSmtp({ mode: 'slow', delayMs: 3000 });
        try {
            // (the curl tool then waits for its QUIT to be answered, i.e. for the delay)
            const r = await curlSend(smtp.url, 'Hello', ['--max-time', '1']);
            assert.equal(r.code, 28, r.stderr); // CURLE_OPERATION_TIMEDOUT
            assert.ok(r.ms >= 900, `took ${r.ms} ms`);
        } finally {
            await smtp.stop();
        }
    });

    it('auth: required when configured; wrong password refused', async () => {
        const smtp = await startSmtp({ auth: { user: 'mailer', pass: 's3cret' } });
        try {
            assert.notEqual((await curlSend(smtp.url, 'no auth')).code, 0);
            assert.notEqual((await curlSend(smtp.url, 'bad', ['--user', 'mailer:wrong'])).code, 0);
            const r = await curlSend(smtp.url, 'good', ['--user', 'mailer:s3cret']);
            assert.equal(r.code, 0, r.stderr);
            const m = await smtp.waitForMessage(5000);
            assert.equal(m.subject, 'good');
            assert.equal(m.user, 'mailer');
            assert.equal(smtp.messages.length, 1);
        } finally {
            await smtp.stop();
        }
    });

    it('tls: STARTTLS with a certificate the client can verify', async () => {
        const smtp = await startSmtp({ tls: true });
        try {
            assert.ok(fs.existsSync(smtp.certFile));
            const bad = await curlSend(smtp.url, 'unverified', ['--ssl-reqd']);
            assert.notEqual(bad.code, 0, 'a self-signed certificate must not pass unverified');
            const r = await curlSend(smtp.url, 'verified', ['--ssl-reqd', '--cacert', smtp.certFile]);
            assert.equal(r.code, 0, r.stderr);
            const m = await smtp.waitForMessage(5000);
            assert.equal(m.subject, 'verified');
            assert.equal(m.secure, true);
        } finally {
            await smtp.stop();
        }
        assert.ok(!fs.existsSync(smtp.certFile), 'stop() removes the key and certificate');
    });

    it('tls implicit: smtps://', async () => {
        const smtp = await startSmtp({ tls: 'implicit' });
        try {
            assert.match(smtp.url, /^smtps:\/\/127\.0\.0\.1:\d+$/);
            const r = await curlSend(smtp.url, 'implicit', ['--cacert', smtp.certFile]);
            assert.equal(r.code, 0, r.stderr);
            assert.equal((await smtp.waitForMessage(5000)).secure, true);
        } finally {
            await smtp.stop();
        }
    });

    it('refuses an unknown mode', async () => {
        await assert.rejects(startSmtp({ mode: 'bounce' }), /mode bounce/);
    });

    it('standalone: prints ready and every message for the demo user', async () => {
        const child = spawn(process.execPath, [path.join(__dirname, 'smtp.mjs'), '--port', '0'],
            { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => { out += d; });
        try {
            const url = await new Promise((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 10000);
                child.stdout.on('data', () => {
                    const m = /^ready (smtp:\/\/\S+)$/m.exec(out);
                    if (m) {
                        clearTimeout(timer);
                        resolve(m[1]);
                    }
                });
            });
            const r = await curlSend(url, 'Sign in to 127.0.0.1:8080');
            assert.equal(r.code, 0, r.stderr);
            for (let i = 0; i < 50 && !/----------------/.test(out); i++) await sleep(100);
            assert.match(out, /^From: {4}"?Sender"? <sender@example\.com>$/m);
            assert.match(out, /^To: {6}rcpt@example\.com$/m);
            assert.match(out, /^Subject: Sign in to 127\.0\.0\.1:8080$/m);
            assert.match(out, /^Click http:\/\/127\.0\.0\.1:8080\/x to sign in\.$/m);
        } finally {
            child.kill('SIGTERM');
        }
        const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c)));
        assert.equal(code, 0);
    });

    it('standalone: a bad command line exits 2', async () => {
        const r = await run(process.execPath, [path.join(__dirname, 'smtp.mjs'), '--mode']);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /--mode needs a value/);
    });
});

// ---- na_smtp_send through build/tools/na_smtp_tool -----------------------------------------

describe('na_smtp_send (build/tools/na_smtp_tool) against the peer', () => {
    before(async () => {
        await load();
        const r = await run('sh', [path.join(ROOT, 't/tools/build.sh')], { timeoutMs: 300000 });
        assert.equal(r.code, 0, `t/tools/build.sh failed:\n${r.stdout}${r.stderr}`);
    });

    it('accept: one multipart/alternative message, both parts, the headers', async () => {
        const smtp = await startSmtp();
        try {
            const r = await tool(smtp.url);
            assert.equal(r.code, 0, r.stderr);
            assert.equal(r.stdout, 'sent\n');
            const m = await smtp.waitForMessage(5000);
            assert.deepEqual(m.envelope, { mailFrom: 'noreply@example.com', rcptTo: ['alice@example.com'] });
            assert.equal(m.subject, 'Sign in to 127.0.0.1:8080');
            assert.equal(m.fromAddress, 'noreply@example.com');
            assert.equal(m.fromName, 'Example');
            assert.equal(m.to, 'alice@example.com');
            assert.match(m.headers['content-type'], /^multipart\/alternative; boundary=/);
            assert.equal(m.headers['mime-version'], '1.0');
            assert.equal(m.headers['content-language'], 'en');
            assert.match(m.headers['message-id'], /^<[0-9a-f]{32}@example\.com>$/);
            assert.ok(Math.abs(Date.parse(m.headers.date) - Date.now()) < 60000, m.headers.date);
            // exactly the two parts, text first, each declared UTF-8 and quoted-printable
            const boundary = /boundary=(\S+)/.exec(m.headers['content-type'])[1];
            const body = m.raw.split(`\r\n--${boundary}--`)[0];
            const parts = body.split(`\r\n--${boundary}\r\n`).slice(1);
            assert.equal(parts.length, 2, m.raw);
            assert.match(parts[0], /^Content-Type: text\/plain; charset=utf-8\r\n/i);
            assert.match(parts[1], /^Content-Type: text\/html; charset=utf-8\r\n/i);
            for (const part of parts) assert.match(part, /Content-Transfer-Encoding: quoted-printable/i);
            // next-auth's text body, with the link intact
            assert.equal(m.text.replace(/\r\n/g, '\n'), `Sign in to 127.0.0.1:8080\n${LINK}\n\n`);
            assert.ok(m.html.includes(`<a href="${LINK.replace(/&/g, '&amp;')}"`), m.html);
            assert.ok(m.html.includes('Sign in to <strong>127&#8203;.0&#8203;.0&#8203;.1:8080</strong>'));
            assert.ok(m.html.includes('If you did not request this email you can safely ignore it.'));
            assert.ok(!m.html.includes('alice@'), 'the recipient is not in the HTML');
            // no line over RFC 5322's 998 characters, no bare LF
            for (const line of m.raw.split('\r\n')) assert.ok(line.length <= 998);
            assert.ok(!/[^\r]\n/.test(m.raw), 'bare LF in the message');
        } finally {
            await smtp.stop();
        }
    });

    it('accept: the Korean mail and a Korean sender name decode', async () => {
        const smtp = await startSmtp();
        try {
            const r = await run(TOOL, ['--server', smtp.url, '--from', '예시 사이트 <noreply@example.com>',
                '--to', 'alice@example.com', '--url', LINK, '--lang', 'ko', '--brand', '#ff5500']);
            assert.equal(r.code, 0, r.stderr);
            const m = await smtp.waitForMessage(5000);
            assert.equal(m.subject, '127.0.0.1:8080에 로그인');
            assert.equal(m.fromName, '예시 사이트');
            assert.equal(m.headers['content-language'], 'ko');
            assert.match(m.raw, /^Subject: =\?UTF-8\?B\?/m);
            assert.ok(m.text.startsWith('127.0.0.1:8080에 로그인'));
            assert.ok(m.html.includes('이 이메일을 요청하지 않으셨다면 무시하셔도 됩니다.'));
            assert.ok(m.html.includes('bgcolor="#ff5500"'));
            // a long subject is folded into several encoded words and still decodes
            const long = '한국어 제목이 아주 길어서 여러 개의 인코딩된 단어로 나뉘어야 합니다 — 정말 길게';
            const r2 = await tool(smtp.url, ['--subject', long]);
            assert.equal(r2.code, 0, r2.stderr);
            const m2 = await smtp.waitForMessage(5000);
            assert.equal(m2.subject, long);
            const subjectLines = /^Subject: [^\r\n]*(\r\n [^\r\n]*)*/m.exec(m2.raw)[0].split('\r\n');
            assert.ok(subjectLines.length > 2, subjectLines.join('|'));
            for (const line of subjectLines) assert.ok(line.length <= 76, line);
        } finally {
            await smtp.stop();
        }
    });

    it('a UTF-8 recipient (SMTPUTF8), as na_email_normalize lets through', async () => {
        const smtp = await startSmtp();
        try {
            const r = await run(TOOL, ['--server', smtp.url, '--from', 'noreply@example.com',
                '--to', 'josé@example.com', '--url', LINK]);
            assert.equal(r.code, 0, r.stderr);
            const m = await smtp.waitForMessage(5000);
            assert.deepEqual(m.envelope.rcptTo, ['josé@example.com']);
            assert.equal(m.to, 'josé@example.com');
        } finally {
            await smtp.stop();
        }
    });

    it('reject-rcpt: non-zero exit, EPEER, no password in the detail', async () => {
        const smtp = await startSmtp({ mode: 'reject-rcpt', auth: { user: 'mailer', pass: 'hunter2-secret' } });
        try {
            const url = smtp.url.replace('smtp://', 'smtp://mailer:hunter2-secret@');
            const r = await tool(url);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /^EPEER EmailSignin: smtp smtp:\/\/127\.0\.0\.1:\d+: /);
            assert.match(r.stderr, /reply 550/);
            assert.ok(!r.stderr.includes('hunter2'), r.stderr);
            assert.ok(!r.stderr.includes('mailer'), r.stderr);
            assert.equal(smtp.messages.length, 0);
        } finally {
            await smtp.stop();
        }
    });

    it('fail-data: 451 after DATA is a failure', async () => {
        const smtp = await startSmtp({ mode: 'fail-data' });
        try {
            const r = await tool(smtp.url);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /^EPEER /);
            assert.match(r.stderr, /reply 451/);
        } finally {
            await smtp.stop();
        }
    });

    it('slow: fails with ETIMEOUT within the timeout', async () => {
        const smtp = await startSmtp({ mode: 'slow', delayMs: 15000 });
        try {
            const r = await tool(smtp.url, ['--timeout', '2']);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /^ETIMEOUT /);
            assert.ok(r.ms >= 1500 && r.ms < 5000, `took ${r.ms} ms`);
        } finally {
            await smtp.stop();
        }
    });

    it('server down: fails fast with EPEER', async () => {
        const r = await tool(`smtp://127.0.0.1:${await closedPort()}`, ['--timeout', '10']);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /^EPEER /);
        assert.ok(r.ms < 3000, `took ${r.ms} ms`);
    });

    it('auth: the URL userinfo logs in; a wrong password is EPEER and never echoed', async () => {
        const smtp = await startSmtp({ auth: { user: 'mailer', pass: 'pw' } });
        try {
            const ok = await tool(smtp.url.replace('smtp://', 'smtp://mailer:pw@'));
            assert.equal(ok.code, 0, ok.stderr);
            assert.equal((await smtp.waitForMessage(5000)).user, 'mailer');
            const bad = await tool(smtp.url.replace('smtp://', 'smtp://mailer:wrong-pass-xyz@'));
            assert.equal(bad.code, 1);
            assert.match(bad.stderr, /^EPEER /);
            assert.ok(!bad.stderr.includes('wrong-pass-xyz'), bad.stderr);
            const none = await tool(smtp.url);
            assert.equal(none.code, 1, 'the server demands AUTH');
            assert.equal(smtp.messages.length, 1);
        } finally {
            await smtp.stop();
        }
    });

    it('starttls: on needs the server to offer it; verified; off sends in clear', async () => {
        const plain = await startSmtp();
        const tls = await startSmtp({ tls: true });
        try {
            let r = await tool(plain.url, ['--starttls', 'on']);
            assert.equal(r.code, 1, 'starttls=on must not send in clear');
            assert.match(r.stderr, /^EPEER /);
            assert.equal(plain.messages.length, 0);
            r = await tool(plain.url, ['--starttls', 'try']);
            assert.equal(r.code, 0, r.stderr);
            assert.equal((await plain.waitForMessage(5000)).secure, false);

            r = await tool(tls.url, ['--starttls', 'on', '--ca', tls.certFile]);
            assert.equal(r.code, 0, r.stderr);
            assert.equal((await tls.waitForMessage(5000)).secure, true);
            r = await tool(tls.url, ['--starttls', 'try', '--ca', tls.certFile]);
            assert.equal(r.code, 0, r.stderr);
            assert.equal((await tls.waitForMessage(5000)).secure, true);
            // the certificate is verified: self-signed without the CA fails, even with try
            r = await tool(tls.url, ['--starttls', 'on']);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /^EPEER /);
            r = await tool(tls.url, ['--starttls', 'try']);
            assert.equal(r.code, 1);
            r = await tool(tls.url, ['--starttls', 'off']);
            assert.equal(r.code, 0, r.stderr);
            assert.equal((await tls.waitForMessage(5000)).secure, false);
            assert.equal(tls.messages.length, 3);
        } finally {
            await plain.stop();
            await tls.stop();
        }
    });

    it('smtps://: implicit TLS', async () => {
        const smtp = await startSmtp({ tls: 'implicit' });
        try {
            const r = await tool(smtp.url, ['--ca', smtp.certFile, '--starttls', 'off']);
            assert.equal(r.code, 0, r.stderr);
            assert.equal((await smtp.waitForMessage(5000)).secure, true);
            const unverified = await tool(smtp.url);
            assert.equal(unverified.code, 1);
        } finally {
            await smtp.stop();
        }
    });

    it('header injection and bad addresses are refused before anything is sent', async () => {
        const smtp = await startSmtp();
        try {
            const cases = [
                ['--subject', 'Hi\r\nBcc: victim@example.com'],
                ['--subject', 'Hi\nBcc: victim@example.com'],
                ['--to', 'alice@example.com\r\nBcc: victim@example.com'],
                ['--to', 'alice@example.com, victim@example.com'],
                ['--from', 'Example <noreply@example.com>\r\nBcc: victim@example.com'],
                ['--from', 'noreply'],
            ];
            for (const extra of cases) {
                const r = await tool(smtp.url, extra);
                assert.equal(r.code, 1, JSON.stringify(extra));
                assert.match(r.stderr, /^EINPUT /, JSON.stringify(extra));
            }
            const r = await tool(smtp.url, ['--url', 'javascript:alert(1)']);
            assert.equal(r.code, 1);
            await sleep(300);
            assert.equal(smtp.messages.length, 0);
        } finally {
            await smtp.stop();
        }
    });
});
