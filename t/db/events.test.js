// SPDX-License-Identifier: Apache-2.0
// NextAuthEventLog with NextAuthDatabase dbd on SQLite (issue 16): a first OAuth sign-in
// logs createUser, linkAccount and signIn (isNewUser true) in next-auth's order, with the
// database user id; a second one only signIn; a signed-in user linking a second provider
// linkAccount and signIn. No access, refresh or ID token, client secret or session cookie
// appears in the log, even hashed.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startStack, Agent, badLogLines } = require('../oauth/lib/oauth');
const { makeSqlite, sqlite, dbdConf, DBD_MODULE, redirects } = require('./lib/db');

const SECRET = 'db-events-client-secret';
const FIELDS = ['time', 'event', 'provider', 'userId', 'email', 'isNewUser', 'ip', 'requestId'];

describe('SQLite: createUser and linkAccount in the event log', { timeout: 120000 }, () => {
    let stack; let base; let db; let eventsFile; let read = 0;

    // The lines the log gained since the last call, parsed.
    function newEvents() {
        const text = fs.readFileSync(eventsFile, 'utf8');
        const fresh = text.slice(read);
        read = text.length;
        assert.ok(fresh === '' || fresh.endsWith('\n'), 'whole lines only');
        return fresh.split('\n').filter(Boolean).map((line) => {
            const ev = JSON.parse(line);
            const keys = Object.keys(ev);
            assert.deepEqual(keys, FIELDS.filter((k) => keys.includes(k)), `field order: ${line}`);
            assert.match(ev.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
            assert.ok(ev.requestId, 'a request id');
            assert.equal(ev.ip, '127.0.0.1');
            return ev;
        });
    }

    before(async () => {
        stack = await startStack({
            name: 'db-events',
            peers: { idp: { kind: 'oidc', args: (u) => ['--client-id', 'app', '--client-secret',
                SECRET, ...redirects(u, ['one', 'two'])] } },
            providers: (p) => ['one', 'two'].map((id) =>
                `${id} type=oidc name="IdP ${id}" issuer=${p.idp} clientId=app clientSecret=${SECRET}`),
            modules: [DBD_MODULE],
            extraConf: (ctx) => {
                db = makeSqlite(ctx.dir);
                eventsFile = path.join(ctx.dir, 'events.log');
                return dbdConf('sqlite3', db, { extra: `NextAuthEventLog "${eventsFile}"` });
            },
        });
        base = stack.base;
    });

    after(async () => {
        if (!stack) return;
        const log = await stack.stop();
        assert.deepEqual(badLogLines(log), [], 'error log');
    });

    it('first sign-in: createUser, linkAccount, signIn with isNewUser', async () => {
        const agent = new Agent(base);
        const res = await agent.signInAs('one', 'alice');
        assert.equal(res.status, 302, res.body);
        const [[userId]] = sqlite(db, "SELECT id FROM users WHERE email = 'alice@example.com'");
        const events = newEvents();
        assert.deepEqual(events.map((e) => e.event), ['createUser', 'linkAccount', 'signIn']);
        for (const e of events) {
            assert.equal(e.userId, userId, `${e.event}: the database user id`);
            assert.equal(e.provider, 'one');
            assert.equal(e.email, 'alice@example.com');
        }
        assert.equal(events[2].isNewUser, true);
        assert.ok(!('isNewUser' in events[0]) && !('isNewUser' in events[1]), 'isNewUser on signIn only');
    });

    it('second sign-in: signIn only, isNewUser false', async () => {
        const agent = new Agent(base);
        assert.equal((await agent.signInAs('one', 'alice')).status, 302);
        const events = newEvents();
        assert.deepEqual(events.map((e) => [e.event, e.isNewUser]), [['signIn', false]]);
    });

    it('a signed-in user links a second provider: linkAccount, signIn', async () => {
        const agent = new Agent(base);
        await agent.signInAs('one', 'alice');
        newEvents();
        const res = await agent.signInAs('two', 'alice');
        assert.equal(res.status, 302, res.body);
        const [[userId]] = sqlite(db, "SELECT id FROM users WHERE email = 'alice@example.com'");
        const events = newEvents();
        assert.deepEqual(events.map((e) => [e.event, e.provider, e.userId]),
            [['linkAccount', 'two', userId], ['signIn', 'two', userId]]);
        assert.equal(events[1].isNewUser, false);
        // The session cookie of this agent must not be in the log either.
        const text = fs.readFileSync(eventsFile, 'utf8');
        for (const [name, value] of agent.cookies) {
            assert.ok(value.length < 8 || !text.includes(value), `cookie ${name} in the event log`);
        }
    });

    it('no token or secret in the event log', () => {
        const text = fs.readFileSync(eventsFile, 'utf8');
        const tokens = sqlite(db, 'SELECT access_token, refresh_token, id_token FROM accounts')
            .flat().filter((t) => t && t.length >= 8);
        assert.ok(tokens.length >= 2, 'the accounts have tokens to look for');
        for (const t of [...tokens, SECRET]) {
            assert.ok(!text.includes(t), `a token or secret is in the event log: ${t.slice(0, 6)}…`);
        }
        assert.doesNotMatch(text, /eyJ|token|secret/i);
    });
});
