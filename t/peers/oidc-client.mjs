// SPDX-License-Identifier: Apache-2.0
// Scripted end-user for the loopback peers: follows an authorization URL through the peer's
// login page as a given test user and hands back the redirect to the relying party's
// callback WITHOUT following it, so a test can deliver it to mod_nextauth itself.
// Works against t/peers/oidc.mjs and t/peers/github.mjs (both ask for a `login` field).
//
//   import { loginThrough, logoutThrough, CookieJar, startPeer } from './oidc-client.mjs';
//   const jar = new CookieJar();
//   const callback = await loginThrough(authorizeUrl, { username: 'alice', cookieJar: jar });
//   // callback: 'http://127.0.0.1:8080/api/auth/callback/oidc?code=...&state=...&iss=...'

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_STEPS = 20;

// A minimal cookie jar keyed by host:port (cookies on loopback ignore Domain and ports alike in
// browsers, but the peers and mod_nextauth run on different ports and never share cookies,
// so keeping them apart per origin is both simpler and stricter). Path is honoured; Max-Age=0
// and past Expires delete.
export class CookieJar {
    constructor() {
        this.cookies = new Map(); // host -> Map(name -> {value, path})
    }

    store(url, setCookies) {
        const { host } = new URL(url);
        if (!this.cookies.has(host)) this.cookies.set(host, new Map());
        const jar = this.cookies.get(host);
        for (const line of setCookies) {
            const [pair, ...attrs] = line.split(';');
            const eq = pair.indexOf('=');
            if (eq <= 0) continue;
            const name = pair.slice(0, eq).trim();
            const value = pair.slice(eq + 1).trim();
            let cookiePath = '/';
            let expired = false;
            for (const attr of attrs) {
                const [k, v = ''] = attr.split('=');
                const key = k.trim().toLowerCase();
                if (key === 'path') cookiePath = v.trim() || '/';
                if (key === 'max-age' && Number(v) <= 0) expired = true;
                if (key === 'expires' && Date.parse(v) < Date.now()) expired = true;
            }
            const id = `${name}\t${cookiePath}`;
            if (expired) jar.delete(id); else jar.set(id, { name, value, path: cookiePath });
        }
    }

    header(url) {
        const { host, pathname } = new URL(url);
        const jar = this.cookies.get(host);
        if (!jar) return '';
        return [...jar.values()]
            .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
            .map((c) => `${c.name}=${c.value}`)
            .join('; ');
    }
}

// One request with the jar's cookies, no automatic redirects.
async function step(url, jar, { method = 'GET', form } = {}) {
    const headers = { 'user-agent': 'mod_nextauth-tests/peers' };
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    let body;
    if (form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(form).toString();
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    jar.store(url, res.headers.getSetCookie());
    const text = await res.text();
    return { res, text };
}

// The first <form method="post"> of a page we serve ourselves: its action and the values of
// its inputs/buttons that carry a name (hidden inputs, a submit button with name/value).
export function firstPostForm(html, baseUrl) {
    const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
    let m;
    while ((m = form.exec(html)) !== null) {
        const attrs = m[1];
        if (!/method=["']?post/i.test(attrs)) continue;
        const action = /action=["']([^"']*)["']/i.exec(attrs);
        const fields = {};
        const input = /<(?:input|button)\b([^>]*)>/gi;
        let i;
        while ((i = input.exec(m[2])) !== null) {
            const name = /\bname=["']([^"']*)["']/i.exec(i[1]);
            const value = /\bvalue=["']([^"']*)["']/i.exec(i[1]);
            if (name) fields[decodeEntities(name[1])] = value ? decodeEntities(value[1]) : '';
        }
        return { action: new URL(decodeEntities(action ? action[1] : ''), baseUrl).href, fields };
    }
    return null;
}

function decodeEntities(s) {
    return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// True when `location` leaves the provider for the relying party: it starts with the
// redirect_uri the authorization request named, or goes to another origin.
function isClientRedirect(location, authorizeUrl) {
    const target = new URL(location);
    const redirectUri = new URL(authorizeUrl).searchParams.get('redirect_uri');
    if (redirectUri && `${target.origin}${target.pathname}` === redirectUri.split('?')[0]) return true;
    return target.origin !== new URL(authorizeUrl).origin;
}

// Follows `authorizeUrl` through the provider: redirects, the login form (submitted with
// login=<username>) and any confirmation form, until the provider redirects to the client.
// Returns that redirect URL (code/state/iss, or error=...). Throws when the provider shows an
// error page, rejects the username, or loops.
export async function loginThrough(authorizeUrl, { username = 'alice', cookieJar = new CookieJar() } = {}) {
    let url = authorizeUrl;
    let request = {};
    for (let i = 0; i < MAX_STEPS; i++) {
        const { res, text } = await step(url, cookieJar, request);
        if (res.status >= 300 && res.status < 400) {
            const location = new URL(res.headers.get('location'), url).href;
            if (isClientRedirect(location, authorizeUrl)) return location;
            url = location;
            request = {};
            continue;
        }
        const form = res.status === 200 ? firstPostForm(text, url) : null;
        if (!form) throw new Error(`loginThrough: HTTP ${res.status} at ${url}: ${excerpt(text)}`);
        if (/role="alert"/.test(text)) throw new Error(`loginThrough: login refused: ${excerpt(text)}`);
        // A form that posts to the client (form_post) ends the flow too.
        if (isClientRedirect(form.action, authorizeUrl)) {
            const target = new URL(form.action);
            for (const [k, v] of Object.entries(form.fields)) target.searchParams.set(k, v);
            return target.href;
        }
        if ('login' in form.fields || /name=["']login["']/.test(text)) form.fields.login = username;
        url = form.action;
        request = { method: 'POST', form: form.fields };
    }
    throw new Error(`loginThrough: more than ${MAX_STEPS} steps from ${authorizeUrl}`);
}

// Follows an end-session URL (e.g. the one mod_nextauth's sign-out redirects to), confirms the
// provider's "sign out?" page, and returns the redirect to post_logout_redirect_uri, or null
// when the provider ends on its own "signed out" page.
export async function logoutThrough(endSessionUrl, { cookieJar = new CookieJar() } = {}) {
    const origin = new URL(endSessionUrl).origin;
    let url = endSessionUrl;
    let request = {};
    for (let i = 0; i < MAX_STEPS; i++) {
        const { res, text } = await step(url, cookieJar, request);
        if (res.status >= 300 && res.status < 400) {
            const location = new URL(res.headers.get('location'), url).href;
            if (new URL(location).origin !== origin) return location;
            url = location;
            request = {};
            continue;
        }
        if (res.status !== 200) throw new Error(`logoutThrough: HTTP ${res.status} at ${url}: ${excerpt(text)}`);
        const form = firstPostForm(text, url);
        if (!form) return null;
        if (!('logout' in form.fields)) form.fields.logout = 'yes';
        url = form.action;
        request = { method: 'POST', form: form.fields };
    }
    throw new Error(`logoutThrough: more than ${MAX_STEPS} steps from ${endSessionUrl}`);
}

function excerpt(text) {
    return text.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ').trim().slice(0, 300);
}

// Starts a peer (`oidc` or `github`) as a child process and resolves once it printed its
// `ready URL` line: { url, child, stop() }. `args` are the peer's command-line options; port 0
// (the default here) picks a free port. stop() sends SIGTERM and resolves with the exit code.
export function startPeer(name, args = [], { timeoutMs = 20000, env = process.env } = {}) {
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), `${name}.mjs`);
    const argv = args.includes('--port') ? args : ['--port', '0', ...args];
    const child = spawn(process.execPath, [script, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill('SIGTERM');
            reject(new Error(`${name}.mjs did not start within ${timeoutMs} ms: ${stderr}`));
        }, timeoutMs);
        let out = '';
        child.stdout.on('data', (d) => {
            out += d;
            const m = /^ready (\S+)$/m.exec(out);
            if (!m) return;
            clearTimeout(timer);
            resolve({
                url: m[1],
                child,
                stderr: () => stderr,
                stop: () => {
                    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
                    return exited;
                },
            });
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`${name}.mjs exited (${code}) before ready: ${stderr}`));
        });
    });
}
