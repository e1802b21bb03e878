// SPDX-License-Identifier: Apache-2.0
// A private PostgreSQL 15 for tests: Debian's initdb and postgres in a temp dir, on a free
// loopback port, its unix socket in that temp dir, a database `nextauth` with
// conf/schema/pgsql.sql loaded. PostgreSQL refuses to run as root, so as root it runs as
// `nobody` (setpriv execs postgres itself: the child we spawn IS the postmaster, and stop()
// signals only that pid).
//
//   import { startPostgres } from './pg.mjs';
//   const pg = await startPostgres();
//   pg.params   // DBDParams for DBDriver pgsql: "host=/tmp/na-pg-... port=N dbname=nextauth user=nextauth"
//   pg.sql('SELECT count(*) FROM users')  // rows as arrays of strings
//   await pg.stop();
//
// Command line: `node t/peers/pg.mjs` prints `ready <params>` and runs until SIGTERM/SIGINT.

import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = process.env.NA_PG_BIN || '/usr/lib/postgresql/15/bin';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCHEMA = path.join(REPO_ROOT, 'conf', 'schema', 'pgsql.sql');
export const PG_SCHEMA_FILE = SCHEMA;
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const USER = 'nextauth';
const DB = 'nextauth';

const live = new Set();
process.on('exit', () => {
    for (const child of live) {
        try { child.kill('SIGKILL'); } catch (_) { /* gone */ }
    }
});

function asOwner(cmd, args) {
    return IS_ROOT
        ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', cmd, ...args]]
        : [cmd, args];
}

function run(cmd, args, opts = {}) {
    const [c, a] = asOwner(cmd, args);
    return execFileSync(c, a, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts });
}

function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPostgres({ schema = true } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'na-pg-'));
    fs.chmodSync(dir, 0o755);
    if (IS_ROOT) execFileSync('chown', ['nobody:nogroup', dir]);
    const data = path.join(dir, 'data');
    run(path.join(BIN, 'initdb'), ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8',
        '--locale=C', '--no-sync'], { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    const port = await freePort();
    const [c, a] = asOwner(path.join(BIN, 'postgres'), ['-D', data, '-p', String(port),
        '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off',
        '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
        '-c', 'max_connections=60', '-c', 'shared_buffers=16MB']);
    let output = '';
    const child = spawn(c, a, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    live.add(child);
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
        live.delete(child);
        resolve({ code, signal });
    }));
    const psql = (db, sqlArgs, input) => run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', dir,
        '-p', String(port), '-U', USER, '-d', db, '-At', '-F', '\t', ...sqlArgs], { input });
    const deadline = Date.now() + 20000;
    for (;;) {
        try {
            psql('postgres', ['-c', 'SELECT 1']);
            break;
        } catch (err) {
            if (child.exitCode !== null || Date.now() > deadline) {
                child.kill('SIGKILL');
                await exited;
                fs.rmSync(dir, { recursive: true, force: true });
                throw new Error(`postgres did not start: ${output}${err.stderr || err.message}`);
            }
            await sleep(100);
        }
    }
    psql('postgres', ['-c', `CREATE DATABASE ${DB}`]);
    if (schema) psql(DB, ['-f', '-'], fs.readFileSync(SCHEMA, 'utf8'));
    let stopped = null;
    return {
        dir,
        port,
        pid: child.pid,
        params: `host=${dir} port=${port} dbname=${DB} user=${USER}`,
        /** Run SQL in the nextauth database; rows as arrays of strings. */
        sql: (text) => psql(DB, ['-c', text]).split('\n').filter((l) => l !== '')
            .map((l) => l.split('\t')),
        /** Run a SQL file in the nextauth database (ON_ERROR_STOP). */
        psqlFile: (file) => psql(DB, ['-f', '-'], fs.readFileSync(file, 'utf8')),
        output: () => output,
        /** Fast shutdown of this postmaster only (SIGINT), SIGKILL after 10 s. */
        stop: () => {
            stopped = stopped || (async () => {
                if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
                const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
                await exited;
                clearTimeout(timer);
                if (!process.env.NA_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
            })();
            return stopped;
        },
    };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const pg = await startPostgres();
    process.stdout.write(`ready ${pg.params}\n`);
    const quit = () => pg.stop().then(() => process.exit(0));
    process.on('SIGTERM', quit);
    process.on('SIGINT', quit);
}
