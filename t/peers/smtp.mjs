// SPDX-License-Identifier: Apache-2.0
// An SMTP server on loopback for mod_nextauth's e-mail tests and the `make run` demo: npm
// `smtp-server` receives, npm `mailparser` parses. Test fixture only: nothing here is meant
// to face a network.
//
// As a module:
//   import { startSmtp } from './smtp.mjs';
//   const smtp = await startSmtp({ mode: 'accept' });   // port 0: a free port
//   ... send to smtp://127.0.0.1:${smtp.port} ...
//   const mail = await smtp.waitForMessage(5000);      // {from, to, subject, text, html, ...}
//   await smtp.stop();
//
// Standalone (the demo): node t/peers/smtp.mjs --port 2525 [--mode accept|reject-rcpt|slow|
//   fail-data] [--delay-ms N] [--auth USER:PASS] [--tls | --smtps]
// prints `ready smtp://127.0.0.1:PORT` once it listens, then every message received (From,
// To, Subject and the text part, so the sign-in link can be clicked) on stdout.
//
// Modes:
//   accept       (default) every sender, recipient and message is accepted
//   reject-rcpt  550 on every RCPT TO
//   slow         the reply to DATA comes after delayMs (default 30000): longer than a
//                sender's timeout
//   fail-data    451 after DATA
// auth: {user, pass} makes AUTH PLAIN/LOGIN mandatory (plain text allowed on loopback);
// without it AUTH is not offered. tls: true offers STARTTLS, tls: 'implicit' speaks TLS from
// the start (smtps://), both with a self-signed certificate for 127.0.0.1 made at start with
// the openssl command (its PEM path is `certFile`, for a client's CA option); without tls
// STARTTLS is not offered.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export const MODES = ['accept', 'reject-rcpt', 'slow', 'fail-data'];
const MAX_MESSAGE = 1024 * 1024;

// A key and a self-signed certificate for 127.0.0.1 and localhost, valid for one day.
function makeCertificate() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'na-smtp-'));
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
        '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
    return { dir, key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile), certFile };
}

function smtpError(code, text) {
    const err = new Error(text);
    err.responseCode = code;
    return err;
}

// mailparser's headers Map as a plain object of strings (structured values flattened).
function plainHeaders(map) {
    const out = {};
    for (const [name, value] of map) {
        if (typeof value === 'string') out[name] = value;
        else if (value && typeof value === 'object' && 'value' in value && 'params' in value) {
            const params = Object.entries(value.params).map(([k, v]) => `; ${k}=${v}`).join('');
            out[name] = `${value.value}${params}`;
        } else if (value && typeof value === 'object' && 'text' in value) out[name] = value.text;
        else if (value instanceof Date) out[name] = value.toISOString();
        else out[name] = String(value);
    }
    return out;
}

export async function startSmtp({ port = 0, host = '127.0.0.1', mode = 'accept', delayMs = 30000,
    auth = null, tls = false, onMessage = null } = {}) {
    if (!MODES.includes(mode)) throw new Error(`mode ${mode}: expected one of ${MODES.join(', ')}`);
    const messages = [];
    const waiters = [];
    const timers = new Set();
    let delivered = 0; // messages already handed to waitForMessage
    if (![false, true, 'implicit'].includes(tls)) throw new Error('tls: false, true or "implicit"');
    const certificate = tls ? makeCertificate() : null;
    const disabled = [];
    if (!auth) disabled.push('AUTH');
    if (tls !== true) disabled.push('STARTTLS');

    const deliver = (msg) => {
        messages.push(msg);
        if (onMessage) onMessage(msg);
        const waiter = waiters.shift();
        if (waiter) {
            delivered++;
            waiter(msg);
        }
    };

    const server = new SMTPServer({
        secure: tls === 'implicit', // smtps://: TLS from the first byte
        name: 'smtp.test',
        banner: 'mod_nextauth test SMTP peer',
        logger: false,
        closeTimeout: 500, // stop() does not wait for a client held by 'slow'
        disabledCommands: disabled,
        authOptional: !auth,
        allowInsecureAuth: true,
        authMethods: ['PLAIN', 'LOGIN'],
        size: MAX_MESSAGE,
        ...(certificate ? { key: certificate.key, cert: certificate.cert } : {}),
        onAuth(a, session, cb) {
            if (auth && a.username === auth.user && a.password === auth.pass) {
                return cb(null, { user: a.username });
            }
            return cb(smtpError(535, 'Authentication failed'));
        },
        onRcptTo(address, session, cb) {
            if (mode === 'reject-rcpt') return cb(smtpError(550, `No such user: ${address.address}`));
            return cb();
        },
        onData(stream, session, cb) {
            const chunks = [];
            stream.on('data', (d) => chunks.push(d));
            stream.on('end', () => {
                if (mode === 'fail-data') return cb(smtpError(451, 'Temporary failure, try again later'));
                const raw = Buffer.concat(chunks).toString('utf8');
                const finish = async () => {
                    const parsed = await simpleParser(raw);
                    deliver({
                        envelope: {
                            mailFrom: session.envelope.mailFrom && session.envelope.mailFrom.address,
                            rcptTo: session.envelope.rcptTo.map((r) => r.address),
                        },
                        user: session.user || null,
                        secure: Boolean(session.secure),
                        from: parsed.from ? parsed.from.text : null,
                        fromAddress: parsed.from ? parsed.from.value[0].address : null,
                        fromName: parsed.from ? parsed.from.value[0].name : null,
                        to: parsed.to ? parsed.to.text : null,
                        subject: parsed.subject,
                        text: parsed.text,
                        html: parsed.html,
                        headers: plainHeaders(parsed.headers),
                        raw,
                    });
                    cb(null, 'Message accepted');
                };
                if (mode === 'slow') {
                    const timer = setTimeout(() => {
                        timers.delete(timer);
                        finish().catch((err) => cb(err));
                    }, delayMs);
                    timers.add(timer);
                } else {
                    finish().catch((err) => cb(smtpError(554, `cannot parse: ${err.message}`)));
                }
            });
        },
    });
    server.on('error', () => {}); // a client that drops the line is not our failure

    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
        });
    });

    return {
        port: server.server.address().port,
        url: `${tls === 'implicit' ? 'smtps' : 'smtp'}://${host}:${server.server.address().port}`,
        certFile: certificate ? certificate.certFile : null,
        messages,
        // The next message not yet handed out (one already received counts); rejects after
        // timeoutMs.
        waitForMessage(timeoutMs = 5000) {
            if (delivered < messages.length) return Promise.resolve(messages[delivered++]);
            return new Promise((resolve, reject) => {
                const waiter = (msg) => {
                    clearTimeout(timer);
                    resolve(msg);
                };
                const timer = setTimeout(() => {
                    const i = waiters.indexOf(waiter);
                    if (i >= 0) waiters.splice(i, 1);
                    reject(new Error(`no message within ${timeoutMs} ms`));
                }, timeoutMs);
                waiters.push(waiter);
            });
        },
        stop() {
            for (const timer of timers) clearTimeout(timer);
            timers.clear();
            if (certificate) fs.rmSync(certificate.dir, { recursive: true, force: true });
            return new Promise((resolve) => server.close(() => resolve()));
        },
    };
}

// ---------------------------------------------------------------------------------------------
// Standalone

function usage() {
    return 'usage: node t/peers/smtp.mjs [--port N] [--mode accept|reject-rcpt|slow|fail-data] '
        + '[--delay-ms N] [--auth USER:PASS] [--tls | --smtps]';
}

function parseArgs(argv) {
    const opts = { port: 2525 };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = () => {
            if (i + 1 >= argv.length) throw new Error(`${arg} needs a value\n${usage()}`);
            return argv[++i];
        };
        if (arg === '--port') opts.port = Number(value());
        else if (arg === '--mode') opts.mode = value();
        else if (arg === '--delay-ms') opts.delayMs = Number(value());
        else if (arg === '--auth') {
            const v = value();
            const colon = v.indexOf(':');
            if (colon <= 0) throw new Error('--auth wants USER:PASS');
            opts.auth = { user: v.slice(0, colon), pass: v.slice(colon + 1) };
        } else if (arg === '--tls') opts.tls = true;
        else if (arg === '--smtps') opts.tls = 'implicit';
        else if (arg === '--help') {
            process.stdout.write(`${usage()}\n`);
            process.exit(0);
        } else throw new Error(`unknown argument ${arg}\n${usage()}`);
    }
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
        throw new Error('--port must be 0..65535');
    }
    return opts;
}

function printMessage(msg) {
    const lines = [
        '----- mail -----',
        `From:    ${msg.from}`,
        `To:      ${msg.to}`,
        `Subject: ${msg.subject}`,
        '',
        (msg.text || '').trimEnd(),
        '----------------',
        '',
    ];
    process.stdout.write(lines.join('\n'));
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
    (async () => {
        const opts = parseArgs(process.argv.slice(2));
        const smtp = await startSmtp({ ...opts, onMessage: printMessage });
        const shutdown = () => smtp.stop().then(() => process.exit(0));
        process.on('SIGTERM', shutdown);
        process.on('SIGINT', shutdown);
        process.stdout.write(`ready ${smtp.url}\n`);
    })().catch((err) => {
        process.stderr.write(`smtp.mjs: ${err && err.message ? err.message : err}\n`);
        process.exit(2);
    });
}
