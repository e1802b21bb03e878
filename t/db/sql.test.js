// SPDX-License-Identifier: Apache-2.0
// The module's SQL (include/na_store_sql.h) through apr_dbd on SQLite and on
// PostgreSQL 15: build/db/sqlcheck (t/db/sqlcheck.c, built by t/db/run.sh) runs every
// statement, verification tokens included, against fresh conf/schema/ tables; and
// build/db/storecheck (t/db/storecheck.c) runs the core's na_store and na_signin_resolve.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO_ROOT } = require('../browser/lib/httpd');
const { SQLITE_SCHEMA } = require('./lib/db');

const BIN = path.join(REPO_ROOT, 'build', 'db', 'sqlcheck');
const STORE_BIN = path.join(REPO_ROOT, 'build', 'db', 'storecheck');

function check(driver, params, bin = BIN, least = 40) {
    const res = spawnSync(bin, [driver, params], { encoding: 'utf8' });
    const lines = res.stdout.split('\n');
    const failed = lines.filter((l) => /^not ok|^Bail out/.test(l));
    assert.deepEqual(failed, [], `${driver}: ${res.stderr}`);
    assert.equal(res.status, 0, res.stdout + res.stderr);
    const plan = lines.find((l) => /^1\.\.\d+$/.test(l));
    assert.ok(plan && Number(plan.slice(3)) >= least, `plan: ${plan}`);
}

describe('the module\'s SQL through apr_dbd', { timeout: 60000 }, () => {
    let dir; let pg; let pgSchema;

    before(async () => {
        assert.ok(fs.existsSync(BIN), `${BIN} is missing: run t/db/run.sh`);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'na-sqlcheck-'));
    });

    after(async () => {
        if (pg) await pg.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('SQLite', () => {
        const file = path.join(dir, 'check.db');
        execFileSync('sqlite3', [file], { input: fs.readFileSync(SQLITE_SCHEMA) });
        check('sqlite3', file);
    });

    it('the SQLite schema applies twice', () => {
        const file = path.join(dir, 'twice.db');
        execFileSync('sqlite3', [file], { input: fs.readFileSync(SQLITE_SCHEMA) });
        execFileSync('sqlite3', [file], { input: fs.readFileSync(SQLITE_SCHEMA) });
        check('sqlite3', file);
    });

    it('SQLite: the core store and account linking', () => {
        const file = path.join(dir, 'store.db');
        execFileSync('sqlite3', [file], { input: fs.readFileSync(SQLITE_SCHEMA) });
        check('sqlite3', file, STORE_BIN, 20);
    });

    it('PostgreSQL 15 (the schema applied twice)', async () => {
        const { startPostgres, PG_SCHEMA_FILE } = await import('../peers/pg.mjs');
        pg = await startPostgres();
        pgSchema = PG_SCHEMA_FILE;
        pg.psqlFile(PG_SCHEMA_FILE);
        check('pgsql', pg.params);
    });

    it('PostgreSQL 15: the core store and account linking', () => {
        assert.ok(pg, 'PostgreSQL was started by the test before');
        pg.sql('DROP TABLE IF EXISTS accounts, sessions, verification_token, users CASCADE');
        pg.psqlFile(pgSchema);
        check('pgsql', pg.params, STORE_BIN, 20);
    });
});
