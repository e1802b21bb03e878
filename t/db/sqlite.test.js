// SPDX-License-Identifier: Apache-2.0
// NextAuthDatabase dbd on SQLite, end to end through a real httpd and a real OpenID
// Provider (t/peers/oidc.mjs): users and accounts made and linked by OAuth sign-ins
// (SPEC 9 "Account linking"), NextAuthPages newUser, database sessions (SPEC 1.5, 6.1:
// updateAge, expiry, forged tokens, sign-out, AuthType NextAuth), and a database that is
// missing its tables or refuses writes.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startStack, Agent, assertFailed, badLogLines, SESSION } = require('../oauth/lib/oauth');
const { makeSqlite, sqlite, dbdConf, DBD_MODULE, redirects, UUID } = require('./lib/db');

const SECRET = 'db-test-client-secret';
const MAX_AGE = 3600;
const UPDATE_AGE = 600;

function oidcStack(name, ids, conf) {
    return startStack({
        name,
        peers: { idp: { kind: 'oidc', args: (u) => ['--client-id', 'app', '--client-secret',
            SECRET, ...redirects(u, ids)] } },
        providers: (p) => ids.map((id) =>
            `${id} type=oidc name="IdP ${id}" issuer=${p.idp} clientId=app clientSecret=${SECRET}`),
        modules: [DBD_MODULE, ['authz_user_module', 'mod_authz_user.so']],
        files: { 'private/index.html': 'private page\n' },
        extraConf: conf,
    });
}

const count = (db, table) => Number(sqlite(db, `SELECT count(*) FROM ${table}`)[0][0]);

describe('SQLite: users and accounts through OAuth sign-ins (JWT sessions)', { timeout: 120000 }, () => {
    let stack; let base; let site; let db;

    before(async () => {
        stack = await oidcStack('db-sqlite-link', ['one', 'two'], (ctx) => {
            db = makeSqlite(ctx.dir);
            return dbdConf('sqlite3', db, { extra: 'NextAuthPages newUser=/welcome?from=db' });
        });
        base = stack.base;
        site = stack.httpd.url;
    });

    after(async () => {
        if (!stack) return;
        const log = await stack.stop();
        assert.deepEqual(badLogLines(log), [], 'error log');
    });

    it('first sign-in creates the user and the account, and goes to newUser', async () => {
        const agent = new Agent(base);
        const res = await agent.signInAs('one', 'alice', { callbackUrl: `${site}/private/?a=1&b=2` });
        assert.equal(res.status, 302, res.body);
        assert.equal(res.location,
            `${site}/welcome?from=db&callbackUrl=${encodeURIComponent(`${site}/private/?a=1&b=2`)}`);
        const users = sqlite(db, 'SELECT id, name, email, "emailVerified" IS NULL FROM users');
        assert.equal(users.length, 1);
        assert.deepEqual(users[0].slice(1), ['Alice Example', 'alice@example.com', '1']);
        const acc = sqlite(db, 'SELECT "userId", type, provider, "providerAccountId", ' +
            'access_token IS NOT NULL, id_token IS NOT NULL, token_type, expires_at > 0 FROM accounts');
        assert.deepEqual(acc, [[users[0][0], 'oauth', 'one', 'alice', '1', '1', 'Bearer', '1']]);
        const s = await agent.session();
        assert.equal(s.user.email, 'alice@example.com');
        assert.equal(s.user.name, 'Alice Example');
    });

    it('second sign-in finds the user: no new rows, no newUser', async () => {
        const agent = new Agent(base);
        const res = await agent.signInAs('one', 'alice', { callbackUrl: `${site}/private/` });
        assert.equal(res.status, 302, res.body);
        assert.equal(res.location, `${site}/private/`);
        assert.equal(count(db, 'users'), 1);
        assert.equal(count(db, 'accounts'), 1);
    });

    it('a signed-in user links a second provider, which then signs in as that user', async () => {
        const agent = new Agent(base);
        await agent.signInAs('one', 'alice');
        const link = await agent.signInAs('two', 'alice', { callbackUrl: `${site}/linked` });
        assert.equal(link.status, 302, link.body);
        assert.equal(link.location, `${site}/linked`, 'linking is not a new user');
        const acc = sqlite(db, 'SELECT provider, "userId" FROM accounts ORDER BY provider');
        assert.equal(acc.length, 2);
        assert.equal(acc[0][1], acc[1][1], 'both accounts belong to one user');
        assert.equal(count(db, 'users'), 1);
        const fresh = new Agent(base);
        const again = await fresh.signInAs('two', 'alice', { callbackUrl: `${site}/x` });
        assert.equal(again.location, `${site}/x`);
        assert.equal((await fresh.session()).user.email, 'alice@example.com');
    });

    it("an e-mail another provider's user owns: OAuthAccountNotLinked, nothing made", async () => {
        const bob = new Agent(base);
        const first = await bob.signInAs('one', 'bob');
        assert.equal(first.status, 302);
        const before = [count(db, 'users'), count(db, 'accounts')];
        const other = new Agent(base);
        const res = await other.signInAs('two', 'bob');
        assertFailed(res, base, 'OAuthAccountNotLinked');
        assert.deepEqual([count(db, 'users'), count(db, 'accounts')], before);
    });

    // Tabs racing through their first sign-in: one makes the user while another already
    // finds it by e-mail before the account is linked (the load test caught that answered
    // with OAuthAccountNotLinked; SQLite's write lock widens the window).
    it('the same first sign-in in 8 tabs at once: one user, one account, all signed in', async () => {
        const agents = [...Array(8)].map(() => new Agent(base));
        const callbacks = await Promise.all(agents.map((ag) => ag.toCallback('one', 'dave')));
        const answers = await Promise.all(agents.map((ag, i) => ag.request(callbacks[i].callback)));
        for (const res of answers) {
            assert.equal(res.status, 302, res.body);
            assert.ok(!/error=/.test(res.location), res.location);
        }
        assert.equal(Number(sqlite(db, "SELECT count(*) FROM users WHERE email = 'dave.mixed@example.com'")[0][0]), 1);
        assert.equal(Number(sqlite(db, "SELECT count(*) FROM accounts WHERE \"providerAccountId\" = 'dave'")[0][0]), 1);
        for (const ag of agents) {
            assert.equal((await ag.session()).user.email, 'dave.mixed@example.com');
        }
    });

    // An address the IdP calls unverified links nothing and pre-creates nothing (issue 11):
    // mallory's IdP says "Alice@Example.COM, not verified"; she gets a user of her own
    // without an e-mail, never alice's (whose magic link would otherwise land in a user
    // mallory made first, or in mallory's account).
    it('an unverified e-mail: a user of its own without an e-mail, nothing linked to it', async () => {
        const alice = new Agent(base);
        assert.equal((await alice.signInAs('one', 'alice')).status, 302);
        const aliceId = sqlite(db, "SELECT id FROM users WHERE email = 'alice@example.com'")[0][0];
        const mallory = new Agent(base);
        const res = await mallory.signInAs('two', 'mallory');
        assert.equal(res.status, 302, res.body);
        assert.ok(!/error=/.test(res.location), res.location);
        const session = await mallory.session();
        assert.ok(!session.user.email, `mallory's session names ${session.user.email}`);
        const [[owner, email]] = sqlite(db, 'SELECT u.id, u.email IS NULL FROM accounts a JOIN users u '
            + `ON u.id = a."userId" WHERE a.provider = 'two' AND a."providerAccountId" = 'mallory'`);
        assert.notEqual(owner, aliceId, "mallory's account is linked to alice");
        assert.equal(email, '1', "mallory's user has an e-mail");
        assert.equal(count(db, "users WHERE lower(email) = 'alice@example.com'"), 1);
    });

    it('an account linked to someone else while signed in: OAuthAccountNotLinked', async () => {
        const agent = new Agent(base);
        await agent.signInAs('one', 'bob');
        agent.idpJar = null; // a fresh login at the IdP, as alice
        const res = await agent.signInAs('two', 'alice');
        assert.equal(res.status, 302);
        assert.equal(res.location, `${base}/signin?error=OAuthAccountNotLinked`);
        assert.equal((await agent.session()).user.email, 'bob@example.com', 'still bob');
    });
});

describe('SQLite: database sessions', { timeout: 120000 }, () => {
    let stack; let base; let site; let db;

    before(async () => {
        stack = await oidcStack('db-sqlite-sessions', ['idp'], (ctx) => {
            db = makeSqlite(ctx.dir);
            return dbdConf('sqlite3', db, { strategy: `database maxAge=${MAX_AGE} ` +
                `updateAge=${UPDATE_AGE}`, extra: [
                '<Location /private>', '    AuthType NextAuth', '    Require valid-user',
                '    NextAuthUnauthenticated 401', '</Location>'].join('\n') });
        });
        base = stack.base;
        site = stack.httpd.url;
    });

    after(async () => {
        if (!stack) return;
        const log = await stack.stop();
        assert.deepEqual(badLogLines(log), [], 'error log');
    });

    async function signedIn() {
        const agent = new Agent(base);
        const res = await agent.signInAs('idp', 'alice', { callbackUrl: `${site}/private/` });
        assert.equal(res.status, 302, res.body);
        const token = agent.cookies.get(SESSION);
        assert.match(token, UUID, 'the cookie is an opaque UUID v4');
        return { agent, token, res };
    }

    it('sign-in makes a sessions row; the cookie expires with it', async () => {
        const t0 = Math.floor(Date.now() / 1000);
        const { token, res } = await signedIn();
        const rows = sqlite(db, `SELECT expires, "userId" FROM sessions WHERE "sessionToken" = '${token}'`);
        assert.equal(rows.length, 1);
        const exp = Number(rows[0][0]);
        assert.ok(exp >= t0 + MAX_AGE - 5 && exp <= t0 + MAX_AGE + 5, `row expires ${exp}`);
        const line = res.setCookies.find((l) => l.startsWith(`${SESSION}=`));
        const cookieExp = Date.parse(/Expires=([^;]+)/i.exec(line)[1]) / 1000;
        assert.ok(Math.abs(cookieExp - exp) <= 1, line);
    });

    it('GET session answers the user; a protected page is served; one query each', async () => {
        const { agent } = await signedIn();
        const s = await agent.session();
        assert.equal(s.user.email, 'alice@example.com');
        assert.equal(s.user.name, 'Alice Example');
        assert.ok('image' in s.user);
        const page = await agent.request(`${site}/private/index.html`);
        assert.equal(page.status, 200);
        assert.equal(page.body, 'private page\n');
        const anon = await new Agent(base).request(`${site}/private/index.html`);
        assert.equal(anon.status, 401);
    });

    it('updateAge: the row moves only once updateAge has passed; expires reports the old one', async () => {
        const { agent, token } = await signedIn();
        const now = Math.floor(Date.now() / 1000);
        // Recently refreshed: nothing moves.
        const recent = now + MAX_AGE - 10;
        sqlite(db, `UPDATE sessions SET expires = ${recent} WHERE "sessionToken" = '${token}'`);
        let res = await agent.request(`${base}/session`);
        assert.equal(Date.parse(JSON.parse(res.body).expires) / 1000, recent);
        assert.equal(Number(sqlite(db, `SELECT expires FROM sessions WHERE "sessionToken" = '${token}'`)[0][0]), recent);
        assert.ok(res.setCookies.some((l) => l.startsWith(`${SESSION}=${token};`)), 'cookie re-set');
        // Older than updateAge: the row moves to now + maxAge.
        const old = now + MAX_AGE - UPDATE_AGE - 5;
        sqlite(db, `UPDATE sessions SET expires = ${old} WHERE "sessionToken" = '${token}'`);
        res = await agent.request(`${base}/session`);
        assert.equal(Date.parse(JSON.parse(res.body).expires) / 1000, old, 'the expiry before the update');
        const moved = Number(sqlite(db, `SELECT expires FROM sessions WHERE "sessionToken" = '${token}'`)[0][0]);
        assert.ok(moved >= now + MAX_AGE - 2, `row moved to ${moved}`);
    });

    it('an expired row: {} , the row deleted, the cookie cleared; protected page refused', async () => {
        const { agent, token } = await signedIn();
        sqlite(db, `UPDATE sessions SET expires = ${Math.floor(Date.now() / 1000) - 60} WHERE "sessionToken" = '${token}'`);
        const page = await agent.request(`${site}/private/index.html`, { keep: false });
        assert.equal(page.status, 401);
        assert.equal(count(db, `sessions WHERE "sessionToken" = '${token}'`), 0, 'row deleted');
        const res = await agent.request(`${base}/session`);
        assert.equal(res.body, '{}');
        assert.ok(res.setCookies.some((l) => l.startsWith(`${SESSION}=;`) && /Max-Age=0/.test(l)));
    });

    it('an unknown or forged token: {} and the cookie cleared, no row touched', async () => {
        const before = count(db, 'sessions');
        for (const forged of [crypto.randomUUID(), "' OR 1=1 --", 'a'.repeat(64),
            '00000000-0000-4000-8000-000000000000']) {
            const agent = new Agent(base);
            const res = await agent.request(`${base}/session`,
                { cookie: `${SESSION}=${encodeURIComponent(forged)}` });
            assert.equal(res.status, 200);
            assert.equal(res.body, '{}', forged);
            assert.ok(res.setCookies.some((l) => l.startsWith(`${SESSION}=;`)), forged);
            const page = await agent.request(`${site}/private/index.html`,
                { cookie: `${SESSION}=${encodeURIComponent(forged)}` });
            assert.equal(page.status, 401);
        }
        assert.equal(count(db, 'sessions'), before);
    });

    it('sign-out deletes the row and clears the cookie', async () => {
        const { agent, token } = await signedIn();
        const csrfToken = await agent.csrf();
        const res = await agent.request(`${base}/signout`, { form: { csrfToken, callbackUrl: `${site}/bye` } });
        assert.equal(res.status, 302);
        assert.equal(res.location, `${site}/bye`);
        assert.equal(count(db, `sessions WHERE "sessionToken" = '${token}'`), 0);
        assert.ok(!agent.hasSession());
        const replay = await agent.request(`${base}/session`, { cookie: `${SESSION}=${token}` });
        assert.equal(replay.body, '{}', 'the old token is dead');
    });
});

describe('SQLite: a database without tables, and one that refuses writes', { timeout: 120000 }, () => {
    let stack; let base; let ro;

    before(async () => {
        // The schema-less database is the main server's; the read-only one a location's?
        // mod_dbd is per server: two stacks would cost two IdPs, so one stack switches
        // files by re-pointing a symlink between the two cases.
        stack = await oidcStack('db-sqlite-broken', ['idp'], (ctx) => {
            const fs = require('node:fs');
            const path = require('node:path');
            const empty = makeSqlite(ctx.dir, 'empty.db', { schema: false });
            ro = makeSqlite(path.join(ctx.dir, 'ro'), 'ro.db', { schema: 'readonly' });
            const link = path.join(ctx.dir, 'current.db');
            fs.symlinkSync(empty, link);
            return dbdConf('sqlite3', link, { extra: 'DBDPersist Off' });
        });
        base = stack.base;
    });

    after(async () => {
        if (!stack) return;
        const log = await stack.stop();
        const bad = badLogLines(log, [/NA0004[01]/]);
        assert.deepEqual(bad, [], 'error log');
        const schemaLines = log.split('\n').filter((l) => /NA00040/.test(l));
        assert.equal(schemaLines.length, 1, 'the missing schema is logged once per process');
        assert.match(schemaLines[0], /conf\/schema\/sqlite\.sql/);
        assert.match(schemaLines[0], /\[nextauth:error\]/);
    });

    it('missing tables: Configuration (500 page), nothing else', async () => {
        for (let i = 0; i < 2; i++) {
            const agent = new Agent(base);
            const res = await agent.signInAs('idp', 'alice');
            assert.equal(res.status, 302);
            assert.equal(res.location, `${base}/error?error=Configuration`);
            assert.ok(!agent.hasSession());
            const page = await agent.request(res.location);
            assert.equal(page.status, 500);
        }
    });

    it('a read-only database: OAuthCreateAccount, nothing half-made', async () => {
        const fs = require('node:fs');
        const path = require('node:path');
        const link = path.join(stack.httpd.dir, 'current.db');
        fs.unlinkSync(link);
        fs.symlinkSync(ro, link);
        const agent = new Agent(base);
        const res = await agent.signInAs('idp', 'alice');
        assertFailed(res, base, 'OAuthCreateAccount');
        assert.equal(count(ro, 'users'), 0);
        assert.equal(count(ro, 'accounts'), 0);
    });
});
