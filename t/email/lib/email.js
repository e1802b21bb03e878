// SPDX-License-Identifier: Apache-2.0
// The e-mail layer's stack: a real httpd with the module (t/browser/lib/httpd.js), an
// SQLite database made from conf/schema/sqlite.sql, and real SMTP servers on loopback
// (npm smtp-server through t/peers/smtp.mjs) that capture every message.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startHttpd, neverLogged } = require('../../browser/lib/httpd');
const { Agent } = require('../../oauth/lib/oauth');
const { makeSqlite, sqlite } = require('../../db/lib/db');

const TOKEN = /^[0-9a-f]{64}$/;

let smtpModule = null;
const smtp = async () => {
    smtpModule = smtpModule || await import('../../peers/smtp.mjs');
    return smtpModule;
};

/** A fresh SQLite database from the shipped schema, owned by httpd's user (t/db/lib/db.js). */
function makeDatabase() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'na-email-db-'));
    fs.chmodSync(dir, 0o755);
    const file = makeSqlite(dir);
    return {
        dir,
        file,
        /** Rows of a query, as arrays of strings. */
        rows: (sql) => sqlite(file, sql),
        count(table, where = '1=1') {
            return Number(sqlite(file, `SELECT count(*) FROM ${table} WHERE ${where}`)[0][0]);
        },
        remove() {
            if (!process.env.NA_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/**
 * opts.smtp: { name: { mode, delayMs } } SMTP peers to start; opts.providers(smtpPorts) →
 * NextAuthProvider lines; opts.extraConf: more configuration; opts.dbParams: override
 * DBDParams (e.g. a database that is not there). Resolves { httpd, base, db, mail, agent(),
 * stop() }.
 */
async function startEmailStack(opts) {
    const { startSmtp } = await smtp();
    const db = makeDatabase();
    const mail = {};
    for (const [name, spec] of Object.entries(opts.smtp || {})) {
        mail[name] = await startSmtp(spec);
    }
    const ports = Object.fromEntries(Object.entries(mail).map(([k, v]) => [k, v.port]));
    let httpd;
    try {
        httpd = await startHttpd({
            name: opts.name,
            providers: opts.providers(ports),
            modules: [['dbd_module', 'mod_dbd.so'], ...(opts.modules || [])],
            files: opts.files,
            extraConf: (ctx) => [
                `DBDriver sqlite3`,
                `DBDParams "${opts.dbParams || db.file}"`,
                'NextAuthDatabase dbd',
                (typeof opts.extraConf === 'function' ? opts.extraConf(ctx) : opts.extraConf) || '',
            ].join('\n'),
        });
    } catch (err) {
        await Promise.all(Object.values(mail).map((m) => m.stop()));
        db.remove();
        throw err;
    }
    const base = `${httpd.url}/api/auth`;
    return {
        httpd,
        base,
        db,
        mail,
        agent: () => new Agent(base),
        stop: async () => {
            const log = await httpd.stop(opts.name);
            await Promise.all(Object.values(mail).map((m) => m.stop()));
            db.remove();
            return log;
        },
    };
}

/** POST signin/<id> with the agent's CSRF token. */
async function requestLink(agent, id, email, extra = {}) {
    const form = { csrfToken: await agent.csrf(), email, ...extra };
    return agent.request(`${agent.base}/signin/${id}`, { form });
}

/** The magic link of a captured message, checked against next-auth's shape. */
function linkOf(message, base, id) {
    const m = /(https?:\/\/\S+\/callback\/[^\s"<>]+)/.exec(message.text);
    assert.ok(m, `no link in the text part: ${message.text}`);
    const link = new URL(m[1]);
    assert.equal(`${link.origin}${link.pathname}`, `${base}/callback/${id}`);
    assert.deepEqual([...link.searchParams.keys()], ['callbackUrl', 'token', 'email']);
    assert.match(link.searchParams.get('token'), TOKEN);
    neverLogged(link.searchParams.get('token'), 'magic-link token');
    return link;
}

/** The message a peer received after it held `count` messages; polls up to timeoutMs. */
async function mailAfter(peer, count, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (peer.messages.length <= count) {
        if (Date.now() > deadline) throw new Error(`no message within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return peer.messages[count];
}

/** The confirmation page's hidden fields. */
function confirmFields(html) {
    const fields = {};
    for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
        const name = /name="([^"]*)"/.exec(m[0]);
        const value = /value="([^"]*)"/.exec(m[0]);
        if (name) fields[name[1]] = value ? unescapeHtml(value[1]) : '';
    }
    return fields;
}

function unescapeHtml(s) {
    return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

module.exports = {
    startEmailStack, requestLink, linkOf, confirmFields, mailAfter, makeDatabase, TOKEN,
};
