// SPDX-License-Identifier: Apache-2.0
// E-mail magic links end to end: POST signin/email → a real SMTP server captures the
// multipart message → the link's confirmation page (scanner-safe GET/HEAD) → its POST
// spends the token → session, user and account rows in SQLite. Bad input: addresses that
// try to reach a second mailbox, replayed / expired / truncated / other-user tokens, wrong
// CSRF, an SMTP server that rejects, stalls or is not there, and per-address rate limits.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
    startEmailStack, requestLink, linkOf, confirmFields, mailAfter, TOKEN,
} = require('./lib/email');
const { setsSession, sleep, freePort, badLogLines } = require('../oauth/lib/oauth');

describe('e-mail sign-in with confirmation (SQLite, smtp-server)', { timeout: 180000 }, () => {
    let stack;
    let base;
    let origin;
    let downPort;

    before(async () => {
        downPort = await freePort(); // nothing listens there
        stack = await startEmailStack({
            name: 'email-main',
            smtp: {
                ok: {},
                reject: { mode: 'reject-rcpt' },
                slow: { mode: 'slow', delayMs: 8000 },
            },
            providers: (p) => [
                `email server=smtp://127.0.0.1:${p.ok} from="Site <noreply@example.com>" ` +
                    'starttls=off',
                `quick type=email name="Quick" server=smtp://127.0.0.1:${p.ok} ` +
                    'from=noreply@example.com confirm=off starttls=off',
                `brief type=email server=smtp://127.0.0.1:${p.ok} from=noreply@example.com ` +
                    'maxAge=1 confirm=off starttls=off',
                `refuser type=email server=smtp://127.0.0.1:${p.reject} ` +
                    'from=noreply@example.com starttls=off',
                `staller type=email server=smtp://127.0.0.1:${p.slow} ` +
                    'from=noreply@example.com timeout=2 starttls=off',
                `absent type=email server=smtp://127.0.0.1:${downPort} ` +
                    'from=noreply@example.com timeout=2 starttls=off',
            ],
            extraConf: 'NextAuthRateLimit emailAddress=3/600 emailIp=500/600\n' +
                'NextAuthPages newUser=/welcome',
        });
        base = stack.base;
        origin = stack.httpd.url;
    });

    after(async () => {
        const log = await stack.stop();
        // Only the three SMTP failures the test provokes, one line each.
        const sendFailures = log.split('\n').filter((l) => /NA00036/.test(l));
        assert.deepEqual(sendFailures.map((l) => /NA00036: (\w+):/.exec(l)[1]).sort(),
            ['absent', 'refuser', 'staller']);
        assert.ok(!/[0-9a-f]{64}/.test(sendFailures.join('\n')), 'no token in the log');
        assert.deepEqual(badLogLines(log, [/NA00036/]), [], 'unexpected error-log lines');
    });

    const tokens = () => stack.db.count('verification_token');
    const users = (email) => stack.db.count('users', `email = '${email}'`);

    it('sends a multipart link, a scanner cannot spend it, the confirmation POST signs in', async () => {
        const agent = stack.agent();
        const before = stack.mail.ok.messages.length;
        const res = await requestLink(agent, 'email', '  Alice@Example.COM ', {
            callbackUrl: `${origin}/after`,
        });
        assert.equal(res.status, 302, res.body);
        assert.equal(res.location, `${base}/verify-request?provider=email&type=email`);
        assert.ok(!setsSession(res.setCookies));

        const msg = await mailAfter(stack.mail.ok, before);
        assert.deepEqual(msg.envelope.rcptTo, ['alice@example.com']);
        assert.equal(msg.to, 'alice@example.com');
        assert.match(msg.from, /noreply@example\.com/);
        assert.equal(msg.subject, `Sign in to 127.0.0.1:${stack.httpd.port}`);
        assert.ok(msg.html, 'the message has an HTML part');
        assert.ok(!msg.html.includes('alice@example.com'), 'the address is not in the HTML');
        const link = linkOf(msg, base, 'email');
        assert.equal(link.searchParams.get('email'), 'alice@example.com');
        assert.equal(link.searchParams.get('callbackUrl'), `${origin}/after`);
        assert.ok(msg.html.includes(link.href.replace(/&/g, '&amp;')), 'the HTML links to it');
        assert.equal(stack.db.count('verification_token', "identifier = 'alice@example.com'"), 1);
        const stored = stack.db.rows('SELECT token FROM verification_token')[0][0];
        assert.notEqual(stored, link.searchParams.get('token'), 'only the hash is stored');

        // A mail scanner: HEAD and GET without any cookie, twice. Nothing is spent.
        const scanner = stack.agent();
        const head = await scanner.request(link.href, { method: 'HEAD' });
        assert.equal(head.status, 200);
        for (let i = 0; i < 2; i++) {
            const page = await scanner.request(link.href);
            assert.equal(page.status, 200);
            assert.match(page.body, /alice@example\.com/);
            assert.ok(!setsSession(page.setCookies));
        }
        assert.equal(stack.db.count('verification_token', "identifier = 'alice@example.com'"), 1);

        // The person: opens the link, then confirms.
        const page = await agent.request(link.href);
        assert.equal(page.status, 200);
        assert.match(page.headers['cache-control'] || '', /no-store/);
        const fields = confirmFields(page.body);
        assert.equal(fields.token, link.searchParams.get('token'));
        assert.equal(fields.email, 'alice@example.com');
        assert.match(fields.csrfToken, /^[0-9a-f]{64}$/);
        const done = await agent.request(`${base}/callback/email`, { form: fields });
        assert.equal(done.status, 302, done.body);
        // A first sign-in makes a user, so newUser applies, carrying the callback URL.
        assert.equal(done.location,
            `${origin}/welcome?callbackUrl=${encodeURIComponent(`${origin}/after`)}`);
        assert.ok(setsSession(done.setCookies));
        const session = await agent.session();
        assert.equal(session.user.email, 'alice@example.com');
        assert.equal(tokens(), 0, 'the token is gone');
        assert.equal(users('alice@example.com'), 1);
        assert.equal(stack.db.count('users',
            "email = 'alice@example.com' AND \"emailVerified\" IS NOT NULL"), 1);
        assert.equal(stack.db.count('accounts',
            "provider = 'email' AND \"providerAccountId\" = 'alice@example.com'"), 1);

        // Replayed: the same POST again, from the same browser.
        const again = await agent.request(`${base}/callback/email`, { form: fields });
        assert.equal(again.status, 302);
        assert.equal(again.location, `${base}/error?error=Verification`);
        assert.ok(!setsSession(again.setCookies));
    });

    it('a second sign-in of the same person is not a new user', async () => {
        const agent = stack.agent();
        const before = stack.mail.ok.messages.length;
        await requestLink(agent, 'quick', 'alice@example.com', { callbackUrl: `${origin}/again` });
        const link = linkOf(await mailAfter(stack.mail.ok, before), base, 'quick');
        const res = await agent.request(link.href); // confirm=off: the GET signs in
        assert.equal(res.status, 302, res.body);
        assert.equal(res.location, `${origin}/again`);
        assert.ok(setsSession(res.setCookies));
        assert.equal(users('alice@example.com'), 1);
    });

    it('refuses the confirmation POST with a wrong CSRF token, and keeps the token', async () => {
        const agent = stack.agent();
        const before = stack.mail.ok.messages.length;
        await requestLink(agent, 'email', 'carol@example.com');
        const link = linkOf(await mailAfter(stack.mail.ok, before), base, 'email');
        const fields = confirmFields((await agent.request(link.href)).body);
        const forged = await agent.request(`${base}/callback/email`,
            { form: { ...fields, csrfToken: 'f'.repeat(64) } });
        assert.equal(forged.status, 302);
        assert.equal(forged.location, `${base}/signin?csrf=true`);
        assert.ok(!setsSession(forged.setCookies));
        assert.equal(stack.db.count('verification_token', "identifier = 'carol@example.com'"), 1);
        const ok = await agent.request(`${base}/callback/email`, { form: fields });
        assert.equal(ok.status, 302);
        assert.ok(setsSession(ok.setCookies));
    });

    it('refuses truncated, other-user, missing and expired tokens', async () => {
        const agent = stack.agent();
        const before = stack.mail.ok.messages.length;
        await requestLink(agent, 'quick', 'dave@example.com');
        const link = linkOf(await mailAfter(stack.mail.ok, before), base, 'quick');
        const token = link.searchParams.get('token');
        const variant = (changes) => {
            const u = new URL(link.href);
            for (const [k, v] of Object.entries(changes)) {
                if (v === null) u.searchParams.delete(k); else u.searchParams.set(k, v);
            }
            return u.href;
        };
        for (const [changes, code] of [
            [{ token: token.slice(0, 40) }, 'Verification'],
            [{ token: token.toUpperCase() }, 'Verification'],
            [{ token: `${token}00` }, 'Verification'],
            [{ email: 'erin@example.com' }, 'Verification'],
            [{ email: null }, 'Verification'],
            [{ token: null }, 'configuration'],
        ]) {
            const res = await agent.request(variant(changes));
            assert.equal(res.status, 302, JSON.stringify(changes));
            assert.equal(res.location, `${base}/error?error=${code}`, JSON.stringify(changes));
            assert.ok(!setsSession(res.setCookies));
        }
        // None of those spent dave's token: it still works once.
        assert.equal(stack.db.count('verification_token', "identifier = 'dave@example.com'"), 1);
        const ok = await agent.request(link.href);
        assert.ok(setsSession(ok.setCookies));
        const error = await agent.request(`${base}/error?error=configuration`);
        assert.equal(error.status, 500);

        // maxAge=1: a link used after it expired is refused, and the row is still consumed.
        const before2 = stack.mail.ok.messages.length;
        await requestLink(agent, 'brief', 'frank@example.com');
        const late = linkOf(await mailAfter(stack.mail.ok, before2), base, 'brief');
        await sleep(2100);
        const res = await agent.request(late.href);
        assert.equal(res.location, `${base}/error?error=Verification`);
        assert.equal(stack.db.count('verification_token', "identifier = 'frank@example.com'"), 0);
        assert.equal(users('frank@example.com'), 0);
    });

    it('refuses addresses that reach for another mailbox, sending nothing', async () => {
        const agent = stack.agent();
        const before = stack.mail.ok.messages.length;
        const tokensBefore = tokens();
        const bad = [
            'a@x.com,victim@y.com',
            '"e@attacker.com"@victim.com',
            'attacker@evil.com\uFF20victim.com',
            'x@evil.com@victim.com',
            'a@x.com\r\nBcc: victim@y.com',
            'a@x.com\nBcc: victim@y.com',
            '<script>alert(1)</script>@x.com',
            `${'a'.repeat(290)}@example.com`,
            'nobody@localhost',
            '',
            '   ',
            'plainaddress',
        ];
        for (const email of bad) {
            const res = await requestLink(agent, 'email', email);
            assert.equal(res.status, 302, `${JSON.stringify(email)}: ${res.status}`);
            assert.equal(res.location, `${base}/signin?error=EmailSignin`, JSON.stringify(email));
        }
        const missing = await agent.request(`${base}/signin/email`,
            { form: { csrfToken: await agent.csrf() } });
        assert.equal(missing.location, `${base}/signin?error=EmailSignin`);
        await sleep(300);
        assert.equal(stack.mail.ok.messages.length, before, 'no mail went out');
        assert.equal(tokens(), tokensBefore, 'no token was stored');
    });

    it('folds a full-width address before the checks', async () => {
        const agent = stack.agent();
        const before = stack.mail.ok.messages.length;
        const res = await requestLink(agent, 'email', '\uFF47\uFF52\uFF41\uFF43\uFF45@example.com');
        assert.equal(res.location, `${base}/verify-request?provider=email&type=email`);
        const msg = await mailAfter(stack.mail.ok, before);
        assert.deepEqual(msg.envelope.rcptTo, ['grace@example.com']);
    });

    it('refuses a wrong CSRF token on signin/email without sending', async () => {
        const agent = stack.agent();
        await agent.csrf();
        const before = stack.mail.ok.messages.length;
        const res = await agent.request(`${base}/signin/email`,
            { form: { csrfToken: '0'.repeat(64), email: 'henry@example.com' } });
        assert.equal(res.location, `${base}/signin?csrf=true`);
        await sleep(300);
        assert.equal(stack.mail.ok.messages.length, before);
    });

    it('answers json=true with the verify-request URL', async () => {
        const agent = stack.agent();
        const res = await requestLink(agent, 'email', 'ivan@example.com', { json: 'true' });
        assert.equal(res.status, 200);
        assert.deepEqual(JSON.parse(res.body),
            { url: `${base}/verify-request?provider=email&type=email` });
    });

    it('ends on EmailSignin with nothing left when SMTP rejects, stalls or is down', async () => {
        for (const [id, withinMs] of [['refuser', 5000], ['staller', 6000], ['absent', 5000]]) {
            const agent = stack.agent();
            const address = `${id}-user@example.com`;
            const t0 = Date.now();
            const res = await requestLink(agent, id, address);
            assert.equal(res.status, 302, id);
            assert.equal(res.location, `${base}/signin?error=EmailSignin`, id);
            assert.ok(Date.now() - t0 < withinMs, `${id} answered in ${Date.now() - t0} ms`);
            assert.equal(stack.db.count('verification_token', `identifier = '${address}'`), 0,
                `${id}: no live token for an unsent mail`);
            assert.equal(users(address), 0, `${id}: no user`);
        }
    });

    it('limits links per address with a 429 page, the same for known and unknown people', async () => {
        const agent = stack.agent();
        const answers = {};
        for (const who of ['alice@example.com', 'nobody-yet@example.com']) {
            // alice has an account, nobody-yet does not: the answers must not tell them apart.
            const seen = [];
            for (let i = 0; i < 4; i++) {
                const res = await requestLink(agent, 'quick', who);
                seen.push(res.status === 302 ? res.location : res.status);
                if (res.status === 429) {
                    assert.match(res.headers['retry-after'] || '', /^\d+$/);
                    assert.match(res.headers['content-type'], /text\/html/);
                    assert.ok(!res.body.includes(who), 'the page does not echo the address');
                }
            }
            answers[who] = seen;
        }
        const alice = answers['alice@example.com'];
        // alice already used 1 of 3 in an earlier test through "quick".
        assert.ok(alice.includes(429), `alice was never limited: ${alice}`);
        assert.equal(answers['nobody-yet@example.com'].slice(3)[0], 429);
        assert.deepEqual(answers['nobody-yet@example.com'].slice(0, 3),
            Array(3).fill(`${base}/verify-request?provider=quick&type=email`));
    });
});

describe('e-mail sign-in with the database down', { timeout: 60000 }, () => {
    let stack;

    before(async () => {
        stack = await startEmailStack({
            name: 'email-nodb',
            smtp: { ok: {} },
            providers: (p) => [`email server=smtp://127.0.0.1:${p.ok} from=noreply@example.com ` +
                'starttls=off'],
            dbParams: '/nonexistent/dir/nextauth.db',
        });
    });

    after(async () => {
        const log = await stack.stop();
        assert.match(log, /unable to open|nextauth.*database|dbd/i, 'the failure is logged');
        assert.deepEqual(badLogLines(log, [/NA000[4-5]\d/, /mod_dbd|AH00\d+: (DBD|Failed to acquire)/i,
            /dbd/i]), []);
    });

    it('answers EmailSignin and sends no mail', async () => {
        const agent = stack.agent();
        const res = await requestLink(agent, 'email', 'alice@example.com');
        assert.equal(res.status, 302);
        assert.equal(res.location, `${stack.base}/signin?error=EmailSignin`);
        await sleep(300);
        assert.equal(stack.mail.ok.messages.length, 0);
        const link = `${stack.base}/callback/email?token=${'a'.repeat(64)}` +
            '&email=alice%40example.com';
        const page = await agent.request(link);
        assert.equal(page.status, 200, 'the confirmation page needs no database');
        const fields = confirmFields(page.body);
        const res2 = await agent.request(`${stack.base}/callback/email`, { form: fields });
        assert.equal(res2.status, 302);
        assert.match(res2.location, /\/(error|signin)\?error=(Callback|Verification|Configuration)/);
        assert.ok(!setsSession(res2.setCookies));
    });
});

module.exports = { TOKEN };

describe('e-mail sign-in on a database without the schema', { timeout: 60000 }, () => {
    let stack;
    let tmp;

    before(async () => {
        const fs = require('node:fs');
        const os = require('node:os');
        const path = require('node:path');
        const { makeSqlite } = require('../db/lib/db');
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'na-email-noschema-'));
        fs.chmodSync(tmp, 0o755);
        stack = await startEmailStack({
            name: 'email-noschema',
            smtp: { ok: {} },
            providers: (p) => [`email server=smtp://127.0.0.1:${p.ok} from=noreply@example.com ` +
                'starttls=off'],
            dbParams: makeSqlite(tmp, 'empty.db', { schema: false }),
        });
    });

    after(async () => {
        const log = await stack.stop();
        require('node:fs').rmSync(tmp, { recursive: true, force: true });
        assert.match(log, /conf\/schema\/sqlite\.sql/, 'the log names the schema file');
    });

    it('answers the Configuration error page and sends nothing', async () => {
        const agent = stack.agent();
        const res = await requestLink(agent, 'email', 'alice@example.com');
        assert.equal(res.location, `${stack.base}/error?error=Configuration`);
        assert.equal((await agent.request(res.location)).status, 500);
        await sleep(300);
        assert.equal(stack.mail.ok.messages.length, 0);
    });
});
