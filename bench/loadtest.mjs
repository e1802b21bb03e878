#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// `make loadtest`: LOADTEST_REQUESTS (100000) requests, LOADTEST_CONCURRENCY (16) at a time,
// against httpd with the event MPM (two children, threads to spare, so the children seen at
// the start are the ones measured at the end) and every provider kind: credentials
// (htpasswd), OpenID Connect (t/peers/oidc.mjs), e-mail (npm smtp-server, SQLite).
// The mix covers every route under /api/auth and a protected file, with valid, forged,
// truncated and malformed cookies, wrong CSRF tokens, oversized bodies, and whole sign-ins
// (OIDC through the provider's login page, magic links read from the captured mail).
//
// Passes when: no 5xx, every answer is the one its request must get (bench/loadtest-lib.mjs
// says which), no crash in the error log (no child exit signal, no [crit]/[alert]/[emerg]),
// the same children at the end as after the first LOADTEST_CHECKPOINT (10000) requests, and
// their RSS at the end within LOADTEST_RSS_LIMIT (1.10) of its value at that checkpoint.
// Writes bench/results/loadtest-latest.md (and README's summary with LOADTEST_README=1);
// progress on stderr. LOADTEST_SKIP (a RegExp of request kinds) leaves steps out.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import {
    Tally, makeMix, childrenOf, rssOf, crashLines, rssVerdict, report,
} from './loadtest-lib.mjs';

const require = createRequire(import.meta.url);
const { startHttpd, neverLoggedResponse, neverLoggedUrl, leakLines } =
    require('../t/browser/lib/httpd.js');
const { makeDatabase, linkOf, confirmFields } = require('../t/email/lib/email.js');
const { freePort } = require('../t/oauth/lib/oauth.js');
const { startPeer, loginThrough, CookieJar } = await import('../t/peers/oidc-client.mjs');
const { startSmtp } = await import('../t/peers/smtp.mjs');

const TOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOTAL = Number(process.env.LOADTEST_REQUESTS || 100000);
const CONCURRENCY = Number(process.env.LOADTEST_CONCURRENCY || 16);
const CHECKPOINT = Number(process.env.LOADTEST_CHECKPOINT || 10000);
const RSS_LIMIT = Number(process.env.LOADTEST_RSS_LIMIT || 1.10);
const RESULTS = path.join(TOP, 'bench', 'results');

const say = (...a) => console.error('loadtest:', ...a);

// Two children of 12 threads, and spare-thread bounds the client's connections never cross:
// no child is started or stopped during the run, so RSS compares like with like. Each
// thread's pools grow to the largest request it has served; with a few threads more than
// connections every thread has seen every kind of request by the checkpoint.
const EVENT_MPM = [
    'StartServers 2', 'ServerLimit 2', 'ThreadsPerChild 12', 'MaxRequestWorkers 24',
    'MinSpareThreads 2', 'MaxSpareThreads 24', 'MaxConnectionsPerChild 0',
    'KeepAlive On', 'MaxKeepAliveRequests 0', 'KeepAliveTimeout 15',
].join('\n');

async function startStack() {
    const httpdPort = await freePort();
    const url = `http://127.0.0.1:${httpdPort}`;
    const idp = await startPeer('oidc', ['--no-test-api', '--client-id', 'load',
        '--client-secret', 'load-secret', '--redirect-uri', `${url}/api/auth/callback/oidc`]);
    const smtp = await startSmtp({ mode: 'accept' });
    const db = makeDatabase();
    let httpd;
    try {
        httpd = await startHttpd({
            name: 'loadtest',
            port: httpdPort,
            logLevel: 'warn',
            providers: [
                `oidc type=oidc name="Load IdP" issuer=${idp.url} clientId=load clientSecret=load-secret`,
                'credentials name="Load login" authn=file',
                `email server=smtp://127.0.0.1:${smtp.port} starttls=off from=load@example.com`,
            ],
            modules: [['dbd_module', 'mod_dbd.so'], ['authz_user_module', 'mod_authz_user.so']],
            files: { 'protected/file.html': '<!doctype html><title>p</title><p>protected page</p>\n' },
            extraConf: ({ htdocs }) => [
                EVENT_MPM,
                'DBDriver sqlite3', `DBDParams "${db.file}"`, 'NextAuthDatabase dbd',
                // per-address limits as shipped; the client IP is always 127.0.0.1 here
                'NextAuthRateLimit emailIp=off credentialsIp=off',
                'LimitRequestBody 65536',
                `<Directory "${htdocs}/protected">`,
                '    AuthType NextAuth', '    Require valid-user', '</Directory>',
            ].join('\n'),
        });
    } catch (err) {
        await idp.stop();
        await smtp.stop();
        db.remove();
        throw err;
    }
    return {
        httpd, idp, smtp, db, url,
        stop: async () => {
            const log = await httpd.stop('loadtest');
            await idp.stop();
            await smtp.stop();
            db.remove();
            return log;
        },
    };
}

// ---- the HTTP client: keep-alive, no redirects followed, bodies read in full ---------------

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });

function send(url, { method = 'GET', headers = {}, body } = {}, fresh = false) {
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method, headers, agent: fresh ? false : agent }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
                const answer = {
                    status: res.statusCode, headers: res.headers,
                    body: Buffer.concat(chunks).toString('utf8'),
                };
                // Cookies, CSRF tokens, codes and magic-link tokens: never in the error log.
                neverLoggedResponse({ setCookies: res.headers['set-cookie'],
                    location: res.headers.location, body: answer.body });
                neverLoggedUrl(url, 'request');
                resolve(answer);
            });
            res.on('error', reject);
        });
        req.setTimeout(30000, () => req.destroy(new Error(`timeout: ${method} ${url}`)));
        req.on('error', reject);
        if (body !== undefined) req.write(body);
        req.end();
    });
}

// A keep-alive connection httpd closed at the moment we reused it: retried once, as a
// browser does, and counted; it is the client's race, not the server's answer. The retry
// takes a new connection: the pool may hold more sockets the server has just closed (after
// the checkpoint's pause every idle one is), and a second stale one failed a run.
async function sendRetrying(url, opts, tally) {
    try {
        return await send(url, opts);
    } catch (err) {
        if (!/ECONNRESET|socket hang up|EPIPE/.test(String(err.message))) throw err;
        tally.retried++;
        return send(url, opts, true);
    }
}

// ---- the run -------------------------------------------------------------------------------

async function main() {
    fs.mkdirSync(RESULTS, { recursive: true });
    say(`starting httpd (event MPM), the OpenID provider and the SMTP server`);
    const stack = await startStack();
    const pid = Number(fs.readFileSync(path.join(stack.httpd.dir, 'httpd.pid'), 'utf8'));
    const tally = new Tally();
    const client = {
        base: `${stack.url}/api/auth`,
        origin: stack.url,
        fetch: (url, opts) => sendRetrying(url, opts, tally),
        oidcLogin: (authorizeUrl) => loginThrough(authorizeUrl, { username: 'alice', cookieJar: new CookieJar() }),
        mailCount: () => stack.smtp.messages.length,
        mailAt: (i) => stack.smtp.messages[i],
        linkOf: (msg) => linkOf(msg, `${stack.url}/api/auth`, 'email'),
        confirmFields,
        user: stack.httpd.user,
    };
    let verdict;
    let log = '';
    try {
        const mix = await makeMix(client);
        let issued = 0;
        let checkpointRss = null;
        let checkpointChildren = null;
        let paused = null;
        let nextReport = 10000;
        const trace = []; // [requests, children's RSS in kB], under load
        const started = Date.now();
        const worker = async () => {
            while (issued < TOTAL) {
                if (paused) await paused;
                if (issued >= TOTAL) break;
                const step = mix.pick();
                issued += step.requests || 1;
                await step.run(tally);
                if (tally.total >= CHECKPOINT && checkpointRss === null && !paused) {
                    paused = checkpoint();
                }
                if (tally.total >= nextReport) {
                    nextReport += 10000;
                    const rss = rssOf(childrenOf(pid));
                    trace.push([tally.total, rss]);
                    say(`${tally.total} requests, ${tally.rate(started)} req/s, ` +
                        `${tally.unexpected.length} unexpected, ${tally.status5xx} 5xx, RSS ${rss} kB`);
                }
            }
        };
        // At the checkpoint the other workers finish their request and wait, so the RSS is
        // read with nothing in flight, as it is at the end.
        const checkpoint = async () => {
            await new Promise((r) => setTimeout(r, 500));
            checkpointChildren = childrenOf(pid);
            checkpointRss = rssOf(checkpointChildren);
            say(`checkpoint after ${tally.total} requests: children ${checkpointChildren.join(', ')}, ` +
                `RSS ${checkpointRss} kB`);
            paused = null;
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        const seconds = (Date.now() - started) / 1000;
        await new Promise((r) => setTimeout(r, 500));
        const endChildren = childrenOf(pid);
        const endRss = rssOf(endChildren);
        log = await stack.stop();
        verdict = {
            total: tally.total, seconds, rate: Math.round(tally.total / seconds),
            byKind: tally.byKind, status5xx: tally.status5xx, unexpected: tally.unexpected,
            retried: tally.retried, crashes: crashLines(log), leaks: leakLines(log),
            errorLines: log.split('\n').filter((l) => /\[(?:[\w.-]+:)?error\]/.test(l)).length,
            rss: rssVerdict(checkpointChildren, checkpointRss, endChildren, endRss, RSS_LIMIT),
            mails: stack.smtp.messages.length, checkpoint: CHECKPOINT, trace,
        };
    } catch (err) {
        log = await stack.stop();
        throw err;
    }
    const { text, ok } = report(verdict);
    fs.writeFileSync(path.join(RESULTS, 'loadtest-latest.md'), text);
    if (process.env.LOADTEST_README === '1') updateReadme(text);
    console.log(text);
    if (!ok) {
        say('FAILED; the error log is in t/output/logs/loadtest.error_log');
        process.exitCode = 1;
    }
}

// LOADTEST_README=1: the report's summary goes between README's loadtest markers.
function updateReadme(text) {
    const file = path.join(TOP, 'README');
    const readme = fs.readFileSync(file, 'utf8');
    const begin = '<!-- loadtest:begin -->', end = '<!-- loadtest:end -->';
    const i = readme.indexOf(begin), j = readme.indexOf(end);
    if (i < 0 || j < i) throw new Error('README has no loadtest markers');
    const summary = text.split('\n| request | count | wrong |')[0]
        .replace(/^# Load test \((.*)\)/, 'Latest run ($1, `bench/results/loadtest-latest.md`):').trim();
    fs.writeFileSync(file, `${readme.slice(0, i)}${begin}\n${summary}\n${readme.slice(j)}`);
}

main().catch((err) => {
    console.error('loadtest: FAILED:', err && err.stack ? err.stack : err);
    process.exit(1);
});
