// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the database layer (t/db/*.test.js): SQLite files made from
// conf/schema/sqlite.sql (owned by httpd's user, so WAL can work), SQL through the
// sqlite3 CLI run as that same user, and httpd configuration for NextAuthDatabase dbd.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { REPO_ROOT } = require('../../browser/lib/httpd');

const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const SQLITE_SCHEMA = path.join(REPO_ROOT, 'conf', 'schema', 'sqlite.sql');
const PG_SCHEMA = path.join(REPO_ROOT, 'conf', 'schema', 'pgsql.sql');

// As root, httpd's children are nobody: the DB, its directory and every sqlite3 CLI run
// belong to nobody, or a -wal/-shm file made by root would lock the children out.
function asHttpdUser(cmd, args, opts = {}) {
    const [c, a] = IS_ROOT ? ['runuser', ['-u', 'nobody', '--', cmd, ...args]] : [cmd, args];
    return execFileSync(c, a, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts });
}

/** Make dir/db/<name> (a directory httpd's user owns); schema: true (default), false, or
 *  'readonly' (schema, rollback journal, file and directory not writable by anyone but
 *  root). Resolves the file's path. */
function makeSqlite(dir, name = 'nextauth.db', { schema = true } = {}) {
    const dbDir = path.join(dir, 'db');
    fs.mkdirSync(dbDir, { recursive: true, mode: 0o755 });
    if (IS_ROOT) execFileSync('chown', ['nobody:nogroup', dbDir]);
    const file = path.join(dbDir, name);
    let sql = schema ? fs.readFileSync(SQLITE_SCHEMA, 'utf8') : 'CREATE TABLE unrelated (x);';
    if (schema === 'readonly') sql += '\nPRAGMA journal_mode = DELETE;\n';
    asHttpdUser('sqlite3', [file], { input: sql });
    if (schema === 'readonly') {
        if (IS_ROOT) {
            execFileSync('chown', ['root:root', dbDir, file]);
        }
        fs.chmodSync(file, 0o444);
        fs.chmodSync(dbDir, 0o555);
    }
    return file;
}

/** Run SQL on a SQLite file; resolves the rows as arrays of strings. */
function sqlite(file, sql) {
    const out = asHttpdUser('sqlite3', ['-cmd', '.timeout 5000', '-separator', '\t', file, sql]);
    return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** httpd configuration lines for NextAuthDatabase dbd on a driver. */
function dbdConf(driver, params, { strategy, extra = '' } = {}) {
    return [
        'NextAuthDatabase dbd',
        `DBDriver ${driver}`,
        `DBDParams "${params}"`,
        'DBDPersist On',
        'DBDMin 0',
        'DBDKeep 2',
        'DBDMax 4',
        strategy ? `NextAuthSession strategy=${strategy}` : '',
        extra,
    ].join('\n');
}

const DBD_MODULE = ['dbd_module', 'mod_dbd.so'];

/** The OpenID Provider's registered redirect URIs for mod_nextauth's provider ids. */
const redirects = (httpdUrl, ids) =>
    ids.flatMap((id) => ['--redirect-uri', `${httpdUrl}/api/auth/callback/${id}`]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

module.exports = {
    IS_ROOT, SQLITE_SCHEMA, PG_SCHEMA, asHttpdUser, makeSqlite, sqlite, dbdConf, DBD_MODULE,
    redirects, UUID,
};
