// SPDX-License-Identifier: Apache-2.0
// Values that must never reach an error log (STYLE 2.4), for every node test layer: what
// the Perl helper log_clean does with @NEVER_LOGGED. startHttpd registers the secrets of
// the configuration it wrote; the shared clients (oauth Agent, chromium contexts, the load
// test's client) register the cookies and tokens they receive; a test adds what else it
// obtained with neverLogged(value). badLogLines() reports a line holding any of them, and
// every log that went through stop() is scanned again at exit, against all values known
// by then, so that a test which never looks at its log still fails on a leak.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** Shorter values are ignored: a common word must not match by chance. */
const MIN_LEN = 8;
const PREFIX = MIN_LEN;

const registry = new Map(); // value -> label
let index = null;           // first PREFIX characters -> [values], rebuilt when stale
const checked = [];         // { name, text } of the logs stop() handed back

function add(value, label) {
    if (typeof value !== 'string' || value.length < MIN_LEN || registry.has(value)) return;
    registry.set(value, label);
    index = null;
}

/**
 * Register a value that must never appear in an error log (a token, a cookie value, a
 * secret). Values under 8 characters are ignored. A URL-encoded value is registered in
 * both spellings; a cookie "token|hash" (next-auth's CSRF cookie) in its parts too.
 */
function neverLogged(value, label = 'token') {
    if (value === undefined || value === null) return;
    const s = String(value);
    add(s, label);
    let decoded = s;
    try { decoded = decodeURIComponent(s); } catch (_) { /* not URL-encoded */ }
    add(decoded, label);
    for (const part of decoded.split('|')) add(part, label);
}

/** Register the values of Set-Cookie lines (cookie names are no secret). next-auth's
 *  callback-url cookie holds a URL of the site, which logs name in every referer: skipped. */
function neverLoggedCookies(setCookies, label = 'cookie') {
    for (const line of [].concat(setCookies || [])) {
        for (const one of String(line).split('\n')) {
            const m = /^\s*([^=;\s]+)=([^;]*)/.exec(one);
            if (m && !/callback-url$/.test(m[1])) neverLogged(m[2], `${label} ${m[1]}`);
        }
    }
}

/** Register the one-time values of a URL's query: OAuth code, magic-link token. */
function neverLoggedUrl(url, label = 'url') {
    let u;
    try { u = new URL(url, 'http://x.invalid'); } catch (_) { return; }
    for (const key of ['code', 'token', 'access_token', 'id_token', 'refresh_token']) {
        for (const v of u.searchParams.getAll(key)) neverLogged(v, `${label} ${key}=`);
    }
}

/** Register what an answer of mod_nextauth carries: cookies, a CSRF token in JSON. */
function neverLoggedResponse({ setCookies, location, body } = {}) {
    neverLoggedCookies(setCookies);
    if (location) neverLoggedUrl(location, 'Location');
    if (typeof body === 'string' && body.includes('csrfToken')) {
        try {
            const json = JSON.parse(body);
            if (json && typeof json.csrfToken === 'string') neverLogged(json.csrfToken, 'csrfToken');
        } catch (_) { /* not JSON */ }
    }
}

function unquote(s) {
    return /^".*"$/.test(s) ? s.slice(1, -1).replace(/\\(["\\])/g, '$1') : s;
}

// A NextAuthSecret or clientSecret spec as the module resolves it (na_secret.c).
function resolveSpec(spec, serverRoot) {
    if (spec.startsWith('file:')) {
        const file = path.resolve(serverRoot || '/', spec.slice(5));
        try {
            return fs.readFileSync(file, 'utf8').split('\n')[0].replace(/[\r \t]+$/, '');
        } catch (_) { return null; }
    }
    if (spec.startsWith('env:')) return process.env[spec.slice(4)] || null;
    return spec;
}

/**
 * The secrets a configuration text holds, as [{ label, value }]: every NextAuthSecret and
 * clientSecret (literal, file: or env:, resolved), SMTP passwords in server= URLs and
 * password= words (DBDParams, redis).
 */
function secretsOfConfig(text, serverRoot) {
    const out = [];
    const push = (label, value) => { if (value) out.push({ label, value }); };
    const word = '("(?:[^"\\\\]|\\\\.)*"|[^\\s"]+)';
    for (const m of String(text).matchAll(new RegExp(`^\\s*NextAuthSecret\\s+${word}`, 'gmi'))) {
        push('NextAuthSecret', resolveSpec(unquote(m[1]), serverRoot));
    }
    for (const m of String(text).matchAll(new RegExp(`\\bclientSecret=${word}`, 'gi'))) {
        push('clientSecret', resolveSpec(unquote(m[1]), serverRoot));
    }
    for (const m of String(text).matchAll(/\bsmtps?:\/\/[^:@\s/"]*:([^@\s/"]+)@/gi)) {
        let v = m[1];
        try { v = decodeURIComponent(v); } catch (_) { /* as written */ }
        push('SMTP password', v);
    }
    for (const m of String(text).matchAll(/\bpassword=([^\s"';]+)/gi)) push('password=', m[1]);
    return out;
}

/** Register every secret of a configuration file (startHttpd calls this). */
function neverLoggedConfig(text, serverRoot) {
    for (const { label, value } of secretsOfConfig(text, serverRoot)) neverLogged(value, label);
}

function buildIndex() {
    index = new Map();
    for (const value of registry.keys()) {
        const key = value.slice(0, PREFIX);
        if (!index.has(key)) index.set(key, []);
        index.get(key).push(value);
    }
    return index;
}

/**
 * Lines of `text` holding a registered value, as readable strings with each value
 * replaced by <label> (the report names what leaked without copying it).
 */
function leakLines(text) {
    const idx = index || buildIndex();
    const leaks = [];
    if (idx.size === 0) return leaks;
    for (const line of String(text).split('\n')) {
        const found = new Set();
        for (let i = 0; i + PREFIX <= line.length; i++) {
            const bucket = idx.get(line.substr(i, PREFIX));
            if (!bucket) continue;
            for (const v of bucket) if (line.startsWith(v, i)) found.add(v);
        }
        if (found.size === 0) continue;
        let shown = line;
        for (const v of found) shown = shown.split(v).join(`<${registry.get(v)}>`);
        leaks.push(`never-logged value in the error log: ${shown}`);
    }
    return leaks;
}

/** stop() hands every log here: scanned now and again at exit. */
function checkLog(name, text) {
    checked.push({ name, text: String(text) });
    const leaks = leakLines(text);
    for (const l of leaks) process.stderr.write(`[leak check] ${name}: ${l}\n`);
    return leaks;
}

/** The leaks in the logs handed over so far, which are then forgotten (self-tests only). */
function takeLeaks() {
    const leaks = checked.flatMap(({ name, text }) => leakLines(text).map((l) => `${name}: ${l}`));
    checked.length = 0;
    return leaks;
}

process.on('exit', (code) => {
    const leaks = takeLeaks();
    if (leaks.length === 0) return;
    process.stderr.write(`[leak check] FAILED: ${leaks.length} error-log line(s) hold a secret ` +
        `or token the tests registered:\n${leaks.map((l) => `  ${l}`).join('\n')}\n`);
    if (!code) process.exitCode = 1;
});

module.exports = {
    MIN_LEN, neverLogged, neverLoggedCookies, neverLoggedUrl, neverLoggedResponse,
    neverLoggedConfig, secretsOfConfig, leakLines, checkLog, takeLeaks,
};
