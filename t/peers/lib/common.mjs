// SPDX-License-Identifier: Apache-2.0
// What the loopback peers (oidc.mjs, github.mjs) share: command-line parsing, the test-mode
// switches and their bad responses, request counters, small HTTP helpers and a clean SIGTERM.
// Test fixtures only: nothing here is meant to face a network.

import * as http from 'node:http';

// ---------------------------------------------------------------------------------------------
// Command line

// Parses `--name value`, `--name=value` and bare `--flag` into an ordered list of [name, value]
// pairs (value true for a flag). Order matters: oidc.mjs groups --client-secret/--redirect-uri
// with the --client-id before them. `flags` names the options that take no value.
export function parseArgv(argv, flags = new Set()) {
    const out = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
        const eq = arg.indexOf('=');
        if (eq > 0) {
            out.push([arg.slice(2, eq), arg.slice(eq + 1)]);
        } else if (flags.has(arg.slice(2))) {
            out.push([arg.slice(2), true]);
        } else {
            if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
            out.push([arg.slice(2), argv[++i]]);
        }
    }
    return out;
}

// Runs main(), turning a thrown error into a one-line message and exit status 2 (bad usage or
// a failed start), so a harness sees why a peer did not print its `ready` line.
export function runMain(name, main) {
    main().catch((err) => {
        process.stderr.write(`${name}: ${err && err.message ? err.message : err}\n`);
        process.exit(2);
    });
}

// ---------------------------------------------------------------------------------------------
// Test-mode switches

// Bad responses any endpoint can be switched to (see README.md):
//   500        HTTP 500 with a JSON server_error body
//   html       HTTP 200 with an HTML page instead of JSON (a captive portal, a proxy error page)
//   truncated  the real JSON cut in half, with a Content-Length that matches the cut body
//   empty      HTTP 200, Content-Type JSON, no body
//   junk       HTTP 200, Content-Type JSON, bytes that are no JSON at all
//   oversized  HTTP 200, valid JSON padded to `bytes` bytes (default 8 MiB)
//   hang       accept the request, send nothing for `seconds` (default 30), then drop the socket
//   slow       the real response, but only after `seconds`
//   reset      drop the connection at once, nothing sent
export const FAILURES = ['500', 'html', 'truncated', 'empty', 'junk', 'oversized', 'hang', 'slow', 'reset'];

const NUMERIC = { seconds: 30, bytes: 8 * 1024 * 1024, keys: 200 };
const FREE_TEXT = ['error', 'error_description'];

// Holds the current switches. `targets` maps a switch name to its allowed values, e.g.
// { token: [...FAILURES], id_token: ['expired', ...] }. Numbers (seconds, bytes, keys) and the
// free-text error/error_description ride along. Unknown names or values are refused, so a
// misspelt switch fails the test that set it rather than silently doing nothing.
export class TestMode {
    constructor(targets) {
        this.targets = targets;
        this.reset();
    }

    reset() {
        this.values = { ...NUMERIC };
    }

    get(name) {
        return this.values[name];
    }

    // `changes` is a plain object; a value of null, '' or 'off' clears that switch.
    set(changes) {
        const next = { ...this.values };
        for (const [name, raw] of Object.entries(changes)) {
            const value = raw === null || raw === undefined ? '' : String(raw);
            if (name in NUMERIC) {
                const n = value === '' ? NUMERIC[name] : Number(value);
                if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number >= 0`);
                next[name] = n;
            } else if (FREE_TEXT.includes(name)) {
                if (value === '') delete next[name]; else next[name] = value;
            } else if (name in this.targets) {
                if (value === '' || value === 'off') {
                    delete next[name];
                } else if (this.targets[name].includes(value)) {
                    next[name] = value;
                } else {
                    throw new Error(`${name}=${value}: expected one of ${this.targets[name].join(', ')}`);
                }
            } else {
                throw new Error(`unknown switch ${name}; known: ${[...Object.keys(this.targets),
                    ...Object.keys(NUMERIC), ...FREE_TEXT].join(', ')}`);
            }
        }
        this.values = next;
    }

    // `--mode token=500` on the command line (repeatable).
    setFromArg(arg) {
        const eq = arg.indexOf('=');
        if (eq <= 0) throw new Error(`--mode wants name=value, got ${arg}`);
        this.set({ [arg.slice(0, eq)]: arg.slice(eq + 1) });
    }

    toJSON() {
        return { ...this.values };
    }
}

// Counts requests per endpoint and keeps the last request seen by each, so a test can assert
// e.g. that a relying party fetched the JWKS only once, or sent code_verifier to the token
// endpoint with client_secret_basic.
export class Stats {
    constructor() {
        this.reset();
    }

    reset() {
        this.counts = {};
        this.last = {};
    }

    hit(name, detail) {
        this.counts[name] = (this.counts[name] || 0) + 1;
        if (detail !== undefined) this.last[name] = detail;
    }

    toJSON() {
        return { counts: { ...this.counts }, last: { ...this.last } };
    }
}

// The request headers worth recording (what a relying party's HTTP client sends).
export function recordHeaders(headers) {
    const keep = ['authorization', 'content-type', 'accept', 'user-agent'];
    const out = {};
    for (const name of keep) if (headers[name] !== undefined) out[name] = headers[name];
    return out;
}

// ---------------------------------------------------------------------------------------------
// Bad responses

// Pending hang/slow timers, cleared on shutdown so SIGTERM never waits for them.
const pending = new Set();

function later(seconds, fn) {
    const timer = setTimeout(() => {
        pending.delete(timer);
        fn();
    }, seconds * 1000);
    pending.add(timer);
}

// Writes failure `kind` on a raw http.ServerResponse. `real` is the response the endpoint would
// have sent ({status, type, body} with body a string), needed by truncated/slow/oversized.
export function sendFailure(res, kind, mode, real = {}) {
    const seconds = mode.get('seconds');
    const type = real.type || 'application/json; charset=utf-8';
    const body = real.body === undefined ? '{}' : real.body;
    const end = (status, contentType, text) => {
        if (res.destroyed) return;
        res.writeHead(status, {
            'Content-Type': contentType,
            'Content-Length': Buffer.byteLength(text),
            'Cache-Control': 'no-store',
        });
        res.end(text);
    };
    switch (kind) {
    case '500':
        return end(500, 'application/json; charset=utf-8',
            JSON.stringify({ error: 'server_error', error_description: 'test mode: 500' }));
    case 'html':
        return end(200, 'text/html; charset=utf-8',
            '<!DOCTYPE html><html><head><title>Maintenance</title></head>'
            + '<body><h1>Down for maintenance</h1><p>test mode: html</p></body></html>\n');
    case 'truncated':
        return end(real.status || 200, type, body.slice(0, Math.max(1, Math.floor(body.length / 2))));
    case 'empty':
        return end(200, 'application/json; charset=utf-8', '');
    case 'junk':
        return end(200, 'application/json; charset=utf-8', ")]}'\n<<not json>> \u0000\u00ff {\"access_token\":");
    case 'oversized':
        return end(200, 'application/json; charset=utf-8', padJson(body, mode.get('bytes')));
    case 'hang':
        // Read nothing more, write nothing; the socket is dropped after `seconds`.
        return later(seconds, () => res.destroy());
    case 'slow':
        return later(seconds, () => end(real.status || 200, type, body));
    case 'reset':
        return res.destroy();
    default:
        throw new Error(`unknown failure ${kind}`);
    }
}

// The real JSON object (when it is one) with a "padding" member making it `bytes` long.
function padJson(body, bytes) {
    let obj;
    try { obj = JSON.parse(body); } catch { obj = {}; }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) obj = { value: obj };
    const base = Buffer.byteLength(JSON.stringify({ ...obj, padding: '' }));
    return JSON.stringify({ ...obj, padding: 'x'.repeat(Math.max(0, bytes - base)) });
}

// True when `kind` needs the endpoint's real response first.
export function needsRealResponse(kind) {
    return kind === 'truncated' || kind === 'slow' || kind === 'oversized';
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

export function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, (c) => ({
        '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
    })[c]);
}

// Reads a request body (at most `limit` bytes) as a string.
export function readBody(req, limit = 1024 * 1024) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        req.on('data', (chunk) => {
            size += chunk.length;
            if (size > limit) {
                reject(new Error('request body too large'));
                req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

// Parses a form-urlencoded or JSON body into a plain object of strings.
export function parseBody(text, contentType = '') {
    if (/^application\/json/i.test(contentType)) {
        const obj = text.trim() === '' ? {} : JSON.parse(text);
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
            throw new Error('JSON body must be an object');
        }
        return obj;
    }
    return Object.fromEntries(new URLSearchParams(text));
}

// The whole /__test/... API both peers expose:
//   GET  /__test/mode      current switches
//   POST /__test/mode      set switches (JSON object, form or query string); answers the result
//   POST /__test/reset     clear switches and counters
//   GET  /__test/stats     request counters and the last request per endpoint
// `extra` maps further "METHOD /path" keys to async (req, url) => object handlers.
// Returns true when it answered the request.
export async function handleTestApi(req, res, url, { mode, stats, extra = {} }) {
    if (!url.pathname.startsWith('/__test/')) return false;
    const key = `${req.method} ${url.pathname}`;
    try {
        let result;
        if (key === 'GET /__test/mode') {
            result = mode.toJSON();
        } else if (key === 'POST /__test/mode') {
            const body = parseBody(await readBody(req), req.headers['content-type']);
            mode.set({ ...Object.fromEntries(url.searchParams), ...body });
            result = mode.toJSON();
        } else if (key === 'POST /__test/reset') {
            mode.reset();
            stats.reset();
            result = { mode: mode.toJSON() };
        } else if (key === 'GET /__test/stats') {
            result = stats.toJSON();
        } else if (extra[key]) {
            result = await extra[key](req, url);
        } else {
            sendJson(res, 404, { error: 'not_found', error_description: `no test endpoint ${key}` });
            return true;
        }
        sendJson(res, 200, result);
    } catch (err) {
        sendJson(res, 400, { error: 'invalid_request', error_description: err.message });
    }
    return true;
}

export function sendJson(res, status, obj, headers = {}) {
    const text = JSON.stringify(obj);
    res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
        ...headers,
    });
    res.end(text);
}

// A small SVG avatar (initial on a coloured disc), so pictures show in the demo offline.
export function avatarSvg(name) {
    const initial = escapeHtml((name || '?').slice(0, 1).toUpperCase());
    let hue = 0;
    for (const c of String(name)) hue = (hue * 31 + c.charCodeAt(0)) % 360;
    return `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">`
        + `<circle cx="48" cy="48" r="48" fill="hsl(${hue},55%,45%)"/>`
        + `<text x="48" y="62" font-family="sans-serif" font-size="44" fill="#fff" `
        + `text-anchor="middle">${initial}</text></svg>\n`;
}

// ---------------------------------------------------------------------------------------------
// Server life cycle

// Creates an HTTP server on 127.0.0.1:`port` (0 = a free port) and resolves with it once it
// listens. The caller installs its request handler afterwards with server.on('request', ...),
// since the OpenID provider needs the real port in its issuer before it can be built.
export function listen(port, host = '127.0.0.1') {
    return new Promise((resolve, reject) => {
        const server = http.createServer();
        // Keep-alive sockets would otherwise hold server.close() open; SIGTERM closes them anyway.
        server.keepAliveTimeout = 5000;
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve(server);
        });
    });
}

// Exits 0 on SIGTERM/SIGINT: stops listening, drops every open connection (including ones a
// `hang` switch is holding) and cancels pending timers, so a harness never waits on a peer.
export function exitOnSignals(server) {
    const stop = () => {
        for (const timer of pending) clearTimeout(timer);
        pending.clear();
        server.close();
        server.closeAllConnections();
        process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
}

// The single line a harness waits for on stdout.
export function announceReady(url) {
    process.stdout.write(`ready ${url}\n`);
}
