// SPDX-License-Identifier: Apache-2.0
// Shared bits of the interop tests that talk to a real httpd: the real next-auth v4 package
// (its jwt module, and its own internal CSRF and cookie-chunking code, loaded by file path
// because package.json "exports" does not list them), and a small cookie-aware HTTP client.
'use strict';

const path = require('node:path');
const { createRequire } = require('node:module');
const { REPO_ROOT } = require('../../browser/lib/httpd');

// NA_NEXTAUTH_DIR: a directory whose node_modules holds next-auth@4 (default: the repo).
const FROM = path.resolve(process.env.NA_NEXTAUTH_DIR || REPO_ROOT);
const requireFrom = createRequire(path.join(FROM, 'package.json'));
// "next-auth" resolves to <package root>/index.js (package.json itself is not exported).
const NEXTAUTH_DIR = path.dirname(requireFrom.resolve('next-auth'));
const nextAuthRequire = createRequire(path.join(NEXTAUTH_DIR, 'package.json'));

const jwt = requireFrom('next-auth/jwt');
// Internal modules, by absolute path: next-auth's own CSRF algorithm and session-cookie
// chunking (SessionStore), i.e. exactly what a Next.js app with next-auth runs.
const { createCSRFToken } = require(path.join(NEXTAUTH_DIR, 'core', 'lib', 'csrf-token.js'));
const { SessionStore } = require(path.join(NEXTAUTH_DIR, 'core', 'lib', 'cookie.js'));
// The cookie serializer next-auth's Next.js glue uses (percent-encodes values).
const cookieLib = nextAuthRequire('cookie');
const NEXTAUTH_VERSION = require(path.join(NEXTAUTH_DIR, 'package.json')).version;

const SESSION_COOKIE = 'next-auth.session-token';
const CSRF_COOKIE = 'next-auth.csrf-token';
const quietLogger = { debug() {}, warn() {}, error() {} };

/** The "name=value" pair a browser sends back for a cookie next-auth set. */
function nextAuthCookiePair(name, value) {
    const header = cookieLib.serialize(name, value, { httpOnly: true, sameSite: 'lax', path: '/' });
    return header.split(';')[0];
}

/** next-auth's own chunking of a session token: [{ name, value }] as it would set them. */
function nextAuthChunks(token, name = SESSION_COOKIE) {
    const store = new SessionStore({ name, options: { httpOnly: true, sameSite: 'lax', path: '/' } },
        { cookies: {}, headers: {} }, quietLogger);
    return store.chunk(token, {}).filter((c) => c.value !== '')
        .map((c) => ({ name: c.name, value: c.value }));
}

/** Parse Set-Cookie header lines into { name, value (percent-decoded), raw, attrs }. */
function parseSetCookies(lines) {
    return lines.map((raw) => {
        const [pair, ...rest] = raw.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const rawValue = pair.slice(eq + 1).trim();
        const attrs = {};
        for (const part of rest) {
            const i = part.indexOf('=');
            const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
            attrs[key] = i < 0 ? true : part.slice(i + 1).trim();
        }
        return { name, value: decodeURIComponent(rawValue), rawValue, raw, attrs };
    });
}

/**
 * One HTTP request without following redirects. opts: method, cookies (array of
 * "name=value" pairs or { name: value } object, sent verbatim), form (object → urlencoded
 * body), headers. Resolves { status, headers, setCookies, text, json }.
 */
async function request(base, urlPath, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    let pairs = opts.cookies || [];
    if (!Array.isArray(pairs)) pairs = Object.entries(pairs).map(([k, v]) => `${k}=${v}`);
    if (pairs.length > 0) headers.cookie = pairs.join('; ');
    let body;
    if (opts.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(opts.form).toString();
    }
    const res = await fetch(new URL(urlPath, base), {
        method: opts.method || (body ? 'POST' : 'GET'),
        headers,
        body,
        redirect: 'manual',
    });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch (_) { json = undefined; }
    return {
        status: res.status,
        headers: res.headers,
        setCookies: parseSetCookies(res.headers.getSetCookie()),
        text,
        json,
    };
}

/** The session token a response set, reassembled from chunks the way next-auth reads it. */
function sessionTokenFrom(setCookies, name = SESSION_COOKIE) {
    const cookies = {};
    for (const c of setCookies) {
        if (c.value !== '' && (c.name === name || c.name.startsWith(`${name}.`))) cookies[c.name] = c.value;
    }
    if (Object.keys(cookies).length === 0) return null;
    return new SessionStore({ name, options: {} }, { cookies, headers: {} }, quietLogger).value;
}

module.exports = {
    jwt,
    createCSRFToken,
    SessionStore,
    NEXTAUTH_DIR,
    NEXTAUTH_VERSION,
    SESSION_COOKIE,
    CSRF_COOKIE,
    nextAuthCookiePair,
    nextAuthChunks,
    parseSetCookies,
    request,
    sessionTokenFrom,
    quietLogger,
};
