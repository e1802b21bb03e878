// SPDX-License-Identifier: Apache-2.0
// The real next-auth v4 browser client against mod_nextauth: next-auth/react's getProviders,
// getCsrfToken, signIn('credentials', { redirect: false }), getSession and signOut, bundled
// from the npm package with esbuild at test time into the test httpd's DocumentRoot and run
// by a same-origin page in Debian's headless chromium.
// Needs build/mod_nextauth.so (make module), node_modules (npm ci) and /usr/bin/chromium.
//   node --test t/interop/client.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const { startHttpd, badLogLines, REPO_ROOT } = require('../browser/lib/httpd');
const { launchChromium, screenshot } = require('../browser/lib/browser');
const { jwt, NEXTAUTH_VERSION, SESSION_COOKIE, CSRF_COOKIE } = require('./lib/nextauth');

const HEX64 = /^[0-9a-f]{64}$/;
const BUNDLE = 'nextauth-client.js';
const PAGE = 'client.html';

// The page: loads the bundle, which puts next-auth's client functions on window.NextAuth.
const PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>next-auth client against mod_nextauth</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em}pre{background:#f4f4f4;padding:1em;white-space:pre-wrap}</style>
</head><body><h1>next-auth ${NEXTAUTH_VERSION} client against mod_nextauth</h1>
<pre id="out">loading…</pre>
<script src="/${BUNDLE}"></script>
</body></html>
`;

// The entry point esbuild bundles: next-auth's own client, nothing re-implemented.
const ENTRY = `
import { getProviders, getCsrfToken, signIn, getSession, signOut } from "next-auth/react";
window.NextAuth = { getProviders, getCsrfToken, signIn, getSession, signOut };
document.getElementById("out").textContent = "next-auth client loaded";
`;

async function bundle(outfile, nextAuthUrl) {
    const esbuild = createRequire(path.join(REPO_ROOT, 'package.json'))('esbuild');
    const result = await esbuild.build({
        stdin: { contents: ENTRY, resolveDir: REPO_ROOT, sourcefile: 'nextauth-client-entry.js', loader: 'js' },
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2020',
        outfile,
        logLevel: 'silent',
        // What Next.js inlines into a client bundle: the client reads its base URL and path
        // (__NEXTAUTH.basePath) from NEXTAUTH_URL; the other variables are unset.
        define: {
            'process.env.NODE_ENV': '"production"',
            'process.env.NEXTAUTH_URL': JSON.stringify(nextAuthUrl),
            'process.env.NEXTAUTH_URL_INTERNAL': 'undefined',
            'process.env.VERCEL_URL': 'undefined',
        },
    });
    assert.deepEqual(result.errors, []);
    fs.chmodSync(outfile, 0o644); // httpd children run as nobody when started as root
    return fs.readFileSync(outfile, 'utf8');
}

describe(`next-auth ${NEXTAUTH_VERSION} browser client (next-auth/react) in chromium`, { timeout: 180000 }, () => {
    let httpd;
    let chrome;
    const pageErrors = [];
    const logPosts = [];

    before(async () => {
        httpd = await startHttpd({
            name: 'interop-client',
            providers: [
                'github clientId=x clientSecret=y',
                'credentials name="Password" authn=file',
            ],
            files: { [PAGE]: PAGE_HTML },
        });
        const code = await bundle(path.join(httpd.htdocs, BUNDLE), `${httpd.url}/api/auth`);
        assert.ok(!/\bprocess\.env\b/.test(code), 'every process.env read is inlined');
        chrome = await launchChromium();
        chrome.page.on('pageerror', (err) => pageErrors.push(String(err)));
        chrome.page.on('request', (req) => {
            if (new URL(req.url()).pathname === '/api/auth/_log') logPosts.push(req.postData());
        });
    });

    after(async () => {
        if (chrome) await chrome.close();
        if (httpd) await httpd.stop('interop-client');
    });

    it('getProviders, getCsrfToken, signIn, getSession and signOut work against the module', async () => {
        const { page, context } = chrome;
        const base = `${httpd.url}/api/auth`;
        const pageUrl = `${httpd.url}/${PAGE}`;
        const landing = await page.goto(pageUrl);
        assert.equal(landing.status(), 200);
        await page.waitForFunction(() => window.NextAuth !== undefined, null, { timeout: 10000 });

        const r = await page.evaluate(async ({ user, password }) => {
            const N = window.NextAuth;
            const out = {};
            const show = () => {
                document.getElementById('out').textContent = JSON.stringify(out, null, 2);
            };
            out.providers = await N.getProviders();
            out.csrfToken = await N.getCsrfToken();
            out.sessionBefore = await N.getSession();
            out.wrong = await N.signIn('credentials', { redirect: false, username: user, password: 'wrong' });
            out.sessionAfterWrong = await N.getSession();
            out.right = await N.signIn('credentials', { redirect: false, username: user, password });
            out.session = await N.getSession();
            show();
            out.signOut = await N.signOut({ redirect: false });
            out.sessionAfterSignOut = await N.getSession();
            out.href = window.location.href;
            show();
            return out;
        }, { user: httpd.user.name, password: httpd.user.password });

        // getProviders(): the configured providers, in order, with absolute URLs.
        assert.deepEqual(Object.keys(r.providers), ['github', 'credentials']);
        assert.deepEqual(r.providers.github, {
            id: 'github', name: 'GitHub', type: 'oauth',
            signinUrl: `${base}/signin/github`, callbackUrl: `${base}/callback/github`,
        });
        assert.deepEqual(r.providers.credentials, {
            id: 'credentials', name: 'Password', type: 'credentials',
            signinUrl: `${base}/signin/credentials`, callbackUrl: `${base}/callback/credentials`,
        });

        // getCsrfToken(): 64 hex, the token inside the HttpOnly double-submit cookie.
        assert.match(r.csrfToken, HEX64);
        const csrfCookie = (await context.cookies(httpd.url)).find((c) => c.name === CSRF_COOKIE);
        assert.ok(csrfCookie, 'csrf cookie stored by the browser');
        assert.equal(decodeURIComponent(csrfCookie.value).split('|')[0], r.csrfToken);
        assert.equal(csrfCookie.httpOnly, true);

        // Not signed in yet; a wrong password is CredentialsSignin with 401.
        assert.equal(r.sessionBefore, null);
        assert.deepEqual(r.wrong, { error: 'CredentialsSignin', status: 401, ok: false, url: null });
        assert.equal(r.sessionAfterWrong, null);

        // The right password: ok, and url is the absolute callbackUrl (the page itself).
        assert.deepEqual(r.right, { error: null, status: 200, ok: true, url: pageUrl });
        assert.ok(r.session && r.session.user, `a session after sign-in: ${JSON.stringify(r.session)}`);
        assert.equal(r.session.user.email, httpd.user.name);
        assert.equal(r.session.user.name, httpd.user.name);
        assert.ok(Date.parse(r.session.expires) > Date.now(), `expires ${r.session.expires} in the future`);

        // signOut({ redirect: false }) returns { url }; afterwards there is no session.
        assert.deepEqual(r.signOut, { url: pageUrl });
        assert.equal(r.sessionAfterSignOut, null);
        assert.equal(r.href, pageUrl, 'the client never navigated away');
        const left = (await context.cookies(httpd.url)).filter((c) => c.name.startsWith(SESSION_COOKIE));
        assert.deepEqual(left, [], 'the session cookie is gone from the browser');

        // The client logged no errors (CLIENT_FETCH_ERROR etc. go to {base}/_log) and threw none.
        assert.deepEqual(logPosts, []);
        assert.deepEqual(pageErrors, []);

        const shot = await screenshot(page, 'interop-client');
        assert.ok(fs.statSync(shot).size > 0);
        const text = await page.textContent('#out');
        assert.match(text, /"sessionAfterSignOut": null/);
    });

    it('the session cookie the client got is one next-auth/jwt decodes', async () => {
        const { page, context } = chrome;
        await page.goto(`${httpd.url}/${PAGE}`);
        await page.waitForFunction(() => window.NextAuth !== undefined, null, { timeout: 10000 });
        const right = await page.evaluate(({ user, password }) =>
            window.NextAuth.signIn('credentials', { redirect: false, username: user, password, callbackUrl: '/done' }),
        { user: httpd.user.name, password: httpd.user.password });
        // A relative callbackUrl comes back absolute (the client parses it with new URL()).
        assert.deepEqual(right, { error: null, status: 200, ok: true, url: `${httpd.url}/done` });

        const cookie = (await context.cookies(httpd.url)).find((c) => c.name === SESSION_COOKIE);
        assert.ok(cookie, 'session cookie stored');
        assert.equal(cookie.httpOnly, true);
        assert.equal(cookie.sameSite, 'Lax');
        const claims = await jwt.decode({ token: cookie.value, secret: httpd.secret });
        assert.equal(claims.email, httpd.user.name);
        assert.equal(claims.sub, httpd.user.name);
        await assert.rejects(jwt.decode({ token: cookie.value, secret: `${httpd.secret}x` }));

        const session = await page.evaluate(() => window.NextAuth.getSession());
        assert.equal(session.user.email, httpd.user.name);
        const out = await page.evaluate(() => window.NextAuth.signOut({ redirect: false, callbackUrl: '/bye' }));
        assert.deepEqual(out, { url: `${httpd.url}/bye` });
        assert.equal(await page.evaluate(() => window.NextAuth.getSession()), null);
        assert.deepEqual(logPosts, []);
        assert.deepEqual(pageErrors, []);
    });

    it('leaves no [error]/[crit] lines or crashes in the error log', async () => {
        await chrome.close();
        const log = await httpd.stop('interop-client');
        assert.deepEqual(badLogLines(log), [], log);
    });
});
