// SPDX-License-Identifier: Apache-2.0
// Magic links across two hosts sharing one PostgreSQL (t/peers/pg.mjs) and one secret,
// with database sessions: a link requested on A is spent once on B and never again on A
// (the verification row is matched and deleted by one statement); the database session
// made on B is valid on A; signing out on A ends it on both.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startHttpd, badLogLines } = require('../browser/lib/httpd');
const { Agent, setsSession } = require('../oauth/lib/oauth');
const { dbdConf, DBD_MODULE, UUID } = require('../db/lib/db');
const { requestLink, linkOf, confirmFields, mailAfter } = require('./lib/email');

const SESSION = 'next-auth.session-token';

describe('PostgreSQL: a magic link from host A spent on host B', { timeout: 120000 }, () => {
    let pg; let mail; let a; let b;
    const count = (table, where = '1=1') =>
        Number(pg.sql(`SELECT count(*) FROM ${table} WHERE ${where}`)[0][0]);

    before(async () => {
        const { startPostgres } = await import('../peers/pg.mjs');
        const { startSmtp } = await import('../peers/smtp.mjs');
        pg = await startPostgres();
        mail = await startSmtp();
        const common = {
            providers: [`email server=smtp://127.0.0.1:${mail.port} from=noreply@example.com ` +
                'starttls=off'],
            modules: [DBD_MODULE],
            extraConf: dbdConf('pgsql', pg.params, { strategy: 'database' }),
        };
        a = await startHttpd({ name: 'email-pg-a', ...common });
        b = await startHttpd({ name: 'email-pg-b', ...common, secret: a.secret });
    });

    after(async () => {
        const logs = [];
        if (b) logs.push(await b.stop('email-pg-b'));
        if (a) logs.push(await a.stop('email-pg-a'));
        if (mail) await mail.stop();
        if (pg) await pg.stop();
        for (const log of logs) assert.deepEqual(badLogLines(log), [], 'error log');
    });

    it('spends the link once, on whichever host sees it first', async () => {
        const onA = new Agent(`${a.url}/api/auth`);
        const res = await requestLink(onA, 'email', 'Zoe@Example.com',
            { callbackUrl: `${a.url}/home` });
        assert.equal(res.location, `${a.url}/api/auth/verify-request?provider=email&type=email`);
        const link = linkOf(await mailAfter(mail, 0), `${a.url}/api/auth`, 'email');
        assert.equal(count('verification_token', "identifier = 'zoe@example.com'"), 1);

        // The same link, opened on B (same path and query, B's origin).
        const onB = new Agent(`${b.url}/api/auth`);
        const linkOnB = `${b.url}${link.pathname}${link.search}`;
        const page = await onB.request(linkOnB);
        assert.equal(page.status, 200);
        const fields = confirmFields(page.body);
        // A's callbackUrl is not on B's site: B falls back to its own origin.
        const done = await onB.request(`${b.url}/api/auth/callback/email`, { form: fields });
        assert.equal(done.status, 302, done.body);
        assert.equal(done.location, `${b.url}/`);
        assert.ok(setsSession(done.setCookies));
        assert.match(onB.cookies.get(SESSION), UUID, 'a database session token');
        assert.equal(count('verification_token'), 0);
        assert.equal(count('users', "email = 'zoe@example.com'"), 1);
        assert.equal(count('sessions'), 1);

        // Never again on A, and the session B made is valid on A.
        const pageA = await onA.request(link.href);
        const again = await onA.request(`${a.url}/api/auth/callback/email`,
            { form: confirmFields(pageA.body) });
        assert.equal(again.location, `${a.url}/api/auth/error?error=Verification`);
        assert.ok(!setsSession(again.setCookies));

        const shared = new Agent(`${a.url}/api/auth`);
        shared.cookies.set(SESSION, onB.cookies.get(SESSION));
        assert.equal((await shared.session()).user.email, 'zoe@example.com');
        assert.equal((await onB.session()).user.email, 'zoe@example.com');

        // Sign out on A: the row is gone, so B no longer knows the session either.
        const out = await shared.request(`${a.url}/api/auth/signout`,
            { form: { csrfToken: await shared.csrf() } });
        assert.equal(out.status, 302);
        assert.equal(count('sessions'), 0);
        assert.deepEqual(await onB.session(), {});
    });
});
