// SPDX-License-Identifier: Apache-2.0
// The REST routes as a real browser sees them: a same-origin page calls csrf and providers
// with fetch(), chromium keeps the CSRF double-submit cookie and sends it back, and the
// cookie is HttpOnly and SameSite=Lax. Scenario: github preset + credentials (authn=file),
// configured in that order, on http://127.0.0.1:<free port>.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startHttpd, badLogLines } = require('./lib/httpd');
const { launchChromium, screenshot } = require('./lib/browser');

const HEX64 = /^[0-9a-f]{64}$/;

describe('REST routes in chromium', { timeout: 120000 }, () => {
    let httpd;
    let chrome;
    let secondCsrfSetCookies = null;

    before(async () => {
        httpd = await startHttpd({
            name: 'api',
            providers: [
                'github clientId=x clientSecret=y',
                'credentials name="Test login" authn=file',
            ],
        });
        chrome = await launchChromium();
    });

    after(async () => {
        if (chrome) await chrome.close();
        if (httpd) await httpd.stop('api');
    });

    it('csrf cookie is kept and resent by the browser; providers in config order', async () => {
        const { page, context } = chrome;
        const base = `${httpd.url}/api/auth`;
        const csrfResponses = [];
        page.on('response', (res) => {
            if (res.url() === `${base}/csrf`) csrfResponses.push(res);
        });

        const landing = await page.goto(`${httpd.url}/index.html`);
        assert.equal(landing.status(), 200);

        const result = await page.evaluate(async () => {
            const get = async (p) => {
                const res = await fetch(p, { credentials: 'same-origin' });
                return { status: res.status, type: res.headers.get('content-type'),
                         body: await res.json() };
            };
            document.cookie = 'probe=visible; path=/';
            const first = await get('/api/auth/csrf');
            const second = await get('/api/auth/csrf');
            const providers = await get('/api/auth/providers');
            document.getElementById('out').textContent =
                JSON.stringify({ first: first.body, second: second.body,
                                 providers: providers.body }, null, 2);
            return { first, second, providers, documentCookie: document.cookie };
        });

        // csrf: 64 hex, the same token twice, so the browser stored and resent the cookie.
        assert.equal(result.first.status, 200);
        assert.match(result.first.type, /^application\/json/);
        assert.deepEqual(Object.keys(result.first.body), ['csrfToken']);
        const token = result.first.body.csrfToken;
        assert.match(token, HEX64);
        assert.equal(result.second.status, 200);
        assert.equal(result.second.body.csrfToken, token, 'second csrf call reuses the cookie');

        // The first answer sets the cookie; the second, given a valid one, does not reissue it.
        // (playwright joins several Set-Cookie headers with newlines.)
        assert.equal(csrfResponses.length, 2);
        const setCookies = async (res) => ((await res.headerValue('set-cookie')) || '')
            .split('\n').filter((line) => line !== '');
        const setCookie1 = await setCookies(csrfResponses[0]);
        secondCsrfSetCookies = await setCookies(csrfResponses[1]);
        assert.equal(setCookie1.filter((c) => c.startsWith('next-auth.csrf-token=')).length, 1,
            setCookie1.join('\n'));
        assert.deepEqual(
            secondCsrfSetCookies.filter((c) => c.startsWith('next-auth.csrf-token=')), [],
            'a valid csrf cookie is not set again');
        const sent = await csrfResponses[1].request().headerValue('cookie');
        assert.match(sent || '', /next-auth\.csrf-token=/, 'browser sent the cookie back');

        // The cookie as chromium stored it.
        const cookies = await context.cookies(httpd.url);
        const csrf = cookies.filter((c) => c.name === 'next-auth.csrf-token');
        assert.equal(csrf.length, 1, JSON.stringify(cookies));
        const [cookie] = csrf;
        assert.equal(cookie.httpOnly, true);
        assert.equal(cookie.sameSite, 'Lax');
        assert.equal(cookie.path, '/');
        assert.equal(cookie.secure, false, 'http NextAuthURL: no Secure attribute');
        assert.equal(cookie.expires, -1, 'session cookie, as next-auth sets it');
        // token|hash, percent-encoded; hash = sha256(token + secret) as next-auth computes it.
        const [cookieToken, hash, ...rest] = decodeURIComponent(cookie.value).split('|');
        assert.equal(rest.length, 0);
        assert.equal(cookieToken, token);
        assert.equal(hash,
            crypto.createHash('sha256').update(`${token}${httpd.secret}`).digest('hex'));

        // HttpOnly: page script sees its own cookie but not the CSRF one.
        assert.match(result.documentCookie, /probe=visible/);
        assert.doesNotMatch(result.documentCookie, /next-auth/);

        // providers: both, in configuration order (github first, though "credentials" sorts
        // before it), with absolute URLs built from NextAuthURL.
        assert.equal(result.providers.status, 200);
        assert.match(result.providers.type, /^application\/json/);
        assert.deepEqual(result.providers.body, {
            github: {
                id: 'github',
                name: 'GitHub',
                type: 'oauth',
                signinUrl: `${base}/signin/github`,
                callbackUrl: `${base}/callback/github`,
            },
            credentials: {
                id: 'credentials',
                name: 'Test login',
                type: 'credentials',
                signinUrl: `${base}/signin/credentials`,
                callbackUrl: `${base}/callback/credentials`,
            },
        });
        assert.deepEqual(Object.keys(result.providers.body), ['github', 'credentials']);

        await screenshot(page, 'api-fetch');
    });

    // next-auth v4 (checked against next-auth 4.24.15) sets no cookie at all on a request that
    // already carries a valid csrf-token and the same callback-url.
    it('sets no cookie on a repeated csrf call, like next-auth', () => {
            assert.notEqual(secondCsrfSetCookies, null, 'runs after the csrf test');
            assert.deepEqual(secondCsrfSetCookies, []);
        });

    it('renders GET providers as JSON', async () => {
        const { page } = chrome;
        const res = await page.goto(`${httpd.url}/api/auth/providers`);
        assert.equal(res.status(), 200);
        assert.match(res.headers()['content-type'], /^application\/json/);
        const served = await res.json();
        assert.deepEqual(Object.keys(served), ['github', 'credentials']);

        // Chromium took it as JSON: its JSON view is the raw text in a <pre> (plus the empty
        // container of its "Pretty-print" formatter), not an HTML rendering.
        const view = await page.evaluate(() => ({
            contentType: document.contentType,
            body: [...document.body.children].map((e) => e.tagName.toLowerCase() +
                (e.className ? `.${e.className}` : '')),
            text: document.querySelector('pre')?.textContent,
        }));
        assert.equal(view.contentType, 'application/json');
        assert.equal(view.body[0], 'pre', JSON.stringify(view.body));
        assert.ok(view.body.slice(1).every((t) => t.startsWith('div.json-formatter')),
            JSON.stringify(view.body));
        assert.deepEqual(JSON.parse(view.text), served);

        await screenshot(page, 'api-providers');
    });

    it('leaves no error in the error log', async () => {
        await chrome.close();
        const log = await httpd.stop('api');
        assert.deepEqual(badLogLines(log), [], log);
    });
});
