// SPDX-License-Identifier: Apache-2.0
// The built-in pages (sign in, sign out, verify request, error) as chromium renders them:
// visible text in English and Korean, <html lang>, the theme (colorScheme=auto following
// prefers-color-scheme; light/dark forced by NextAuthTheme), brandColor/buttonText/logo,
// where the forms post, escaping of hostile query values, and pages that need no script.
// Three httpd instances: auto (default theme), forced light and forced dark, each with
// github + email (mod_dbd/SQLite) + credentials (authn=file), in that order.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startHttpd, badLogLines } = require('./lib/httpd');
const { launchChromium, screenshot } = require('./lib/browser');
const {
    TEXT, SIGNIN_ERRORS, MODULES, dbdConf, luminance, hexToRgb, themeColours,
} = require('./lib/pages');

const PROVIDERS = [
    'github clientId=x clientSecret=y',
    'email server=smtp://127.0.0.1:9 from=noreply@example.com',
    'credentials name="Test login" authn=file',
];
const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" ' +
    'viewBox="0 0 120 40"><rect width="120" height="40" rx="8" fill="#ff5500"/>' +
    '<text x="60" y="26" font-family="sans-serif" font-size="16" text-anchor="middle" ' +
    'fill="#000">ACME</text></svg>\n';
const THEMES = {
    auto: { conf: '' },
    light: { conf: 'NextAuthTheme colorScheme=light brandColor=#ff5500 buttonText=#000000 ' +
                   'logo=/brand-logo.svg', brand: '#ff5500', buttonText: '#000000' },
    dark: { conf: 'NextAuthTheme colorScheme=dark brandColor=#2e8b57 logo=/brand-logo.svg',
            brand: '#2e8b57', buttonText: null },
};
const DEFAULT_BRAND = 'rgb(21, 126, 251)'; // #157efb, next-auth's default --brand-color

// Every built-in page with what it must show; `error` pages carry next-auth's statuses.
const PAGES = [
    { name: 'signin', path: '/api/auth/signin', status: 200, root: 'signin' },
    { name: 'signin-error-CredentialsSignin', path: '/api/auth/signin?error=CredentialsSignin',
      status: 200, root: 'signin', banner: 'credentials' },
    { name: 'signout', path: '/api/auth/signout', status: 200, root: 'signout' },
    { name: 'verify-request', path: '/api/auth/verify-request?provider=email&type=email',
      status: 200, root: 'verify-request' },
    { name: 'error-Configuration', path: '/api/auth/error?error=Configuration', status: 500,
      root: 'error', code: 'Configuration' },
    { name: 'error-AccessDenied', path: '/api/auth/error?error=AccessDenied', status: 403,
      root: 'error', code: 'AccessDenied' },
    { name: 'error-Verification', path: '/api/auth/error?error=Verification', status: 403,
      root: 'error', code: 'Verification' },
    { name: 'error-Default', path: '/api/auth/error?error=Default', status: 200,
      root: 'error', code: 'Default' },
    { name: 'error-unknown', path: '/api/auth/error?error=NoSuchCode', status: 200,
      root: 'error', code: 'Default' },
];

const visibleText = (page, sel) => page.locator(sel).evaluateAll(
    (els) => els.filter((e) => e.offsetParent !== null || e.tagName === 'BODY')
        .map((e) => e.textContent.trim()));

describe('built-in pages in chromium', { timeout: 300000 }, () => {
    const servers = {};
    let chrome;
    const contexts = {};
    const offsite = [];

    before(async () => {
        for (const [scheme, theme] of Object.entries(THEMES)) {
            servers[scheme] = await startHttpd({
                name: `pages-${scheme}`,
                providers: PROVIDERS,
                modules: [MODULES.dbd],
                files: { 'brand-logo.svg': LOGO_SVG },
                extraConf: ({ dir }) => `${dbdConf(dir)}\n${theme.conf}`,
            });
        }
        chrome = await launchChromium();
        for (const lang of Object.keys(TEXT)) {
            contexts[lang] = await chrome.browser.newContext({
                locale: TEXT[lang].locale, viewport: { width: 1024, height: 768 } });
        }
    });

    after(async () => {
        if (chrome) await chrome.close();
        for (const s of Object.values(servers)) await s.stop();
    });

    // Load url in the context's page for that server (pages are reused: a new page costs
    // more than the load); requests that leave the site are recorded on the context.
    const tabs = new Map();
    async function open(context, url, key) {
        if (!context.__offsiteWatch) {
            context.__offsiteWatch = true;
            context.on('request', (req) => {
                const u = req.url();
                if (!Object.values(servers).some((s) => u.startsWith(`${s.url}/`)) &&
                    !u.startsWith('data:')) {
                    offsite.push(u);
                }
            });
        }
        const id = `${Object.keys(contexts).find((l) => contexts[l] === context)}:${key}`;
        let page = tabs.get(id);
        if (!page || page.isClosed()) {
            page = await context.newPage();
            tabs.set(id, page);
        }
        const res = await page.goto(url);
        // Every image that is displayed has loaded (the hidden one of a light/dark pair is
        // loading=lazy and never fetched).
        await page.waitForFunction(() => [...document.images]
            .every((i) => i.complete || i.offsetParent === null));
        return { page, res };
    }

    // What a page of the given kind must say, in the given language.
    async function assertText(page, spec, lang, server) {
        const t = TEXT[lang];
        const base = `${server.url}/api/auth`;
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        assert.equal(await page.title(), t.titles[spec.root]);
        assert.equal(await page.locator(`div.page > div.${spec.root} > div.card`).count(), 1);
        assert.equal(await page.locator('script').count(), 0, 'the pages need no script');
        if (spec.root === 'signin') {
            const buttons = await visibleText(page, 'button');
            assert.deepEqual(buttons, [t.signinWith('GitHub'), t.signinWith('Email'),
                t.signinWith('Test login')]);
            assert.deepEqual(await visibleText(page, 'div.divider'), [t.or, t.or]);
            assert.deepEqual(await visibleText(page, 'label'),
                [t.emailLabel, t.usernameLabel, t.passwordLabel]);
            const banner = page.locator('div.banner[role=alert]');
            if (spec.banner) {
                assert.equal((await banner.innerText()).trim(), t.banners[spec.banner]);
                assert.ok(await banner.isVisible());
            } else {
                assert.equal(await banner.count(), 0);
            }
        } else if (spec.root === 'signout') {
            assert.equal((await page.locator('h1').innerText()).trim(), t.signoutHeading);
            assert.match(await page.locator('.card p').first().innerText(), t.signoutQuestion);
            assert.equal((await page.locator('#submitButton').innerText()).trim(),
                t.signoutButton);
            assert.equal((await page.locator('#everywhereButton').innerText()).trim(),
                t.signoutEverywhere);
        } else if (spec.root === 'verify-request') {
            assert.equal((await page.locator('h1').innerText()).trim(), t.verifyHeading);
            assert.match(await page.locator('.card').innerText(), t.verifyText);
            const site = page.locator('a.site');
            assert.equal((await site.innerText()).trim(), new URL(server.url).host);
            assert.equal(await site.evaluate((a) => a.href), `${server.url}/`);
        } else {
            const e = t.errors[spec.code];
            assert.equal((await page.locator('h1').innerText()).trim(), e.heading);
            assert.match(await page.locator('div.message').innerText(), e.text);
            const links = await page.locator('.card a').evaluateAll(
                (as) => as.map((a) => ({ text: a.textContent.trim(), href: a.href })));
            if (spec.code === 'AccessDenied' || spec.code === 'Verification') {
                assert.deepEqual(links, [{ text: t.signinButton, href: `${base}/signin` }]);
            } else if (spec.code === 'Default') {
                assert.deepEqual(links, [{ text: new URL(server.url).host,
                                           href: `${server.url}/` }]);
            } else {
                assert.deepEqual(links, []);
            }
        }
    }

    for (const lang of Object.keys(TEXT)) {
        for (const spec of PAGES) {
            it(`${spec.name} [${lang}]: text, status, auto/light/dark themes`, async () => {
                // colorScheme=auto: follows prefers-color-scheme, live.
                const auto = servers.auto;
                const { page, res } = await open(contexts[lang], `${auto.url}${spec.path}`,
                    'auto');
                assert.equal(res.status(), spec.status);
                assert.match(res.headers()['content-type'], /^text\/html/);
                const sentLang = await res.request().headerValue('accept-language');
                assert.match(sentLang || '', new RegExp(`^${lang}`), 'browser asked for it');
                await assertText(page, spec, lang, auto);
                assert.equal(await page.getAttribute('body', 'class'), '__next-auth-theme-auto');

                await page.emulateMedia({ colorScheme: 'light' });
                const autoLight = await themeColours(page);
                await screenshot(page, `pages-${spec.name}-${lang}-auto-light`);
                await page.emulateMedia({ colorScheme: 'dark' });
                const autoDark = await themeColours(page);
                await screenshot(page, `pages-${spec.name}-${lang}-auto-dark`);
                assert.notEqual(autoLight.body, autoDark.body, 'auto follows the OS scheme');
                assert.notEqual(autoLight.card, autoDark.card);
                assert.notEqual(autoLight.heading, autoDark.heading);
                assert.ok(luminance(autoLight.body) > 0.6, `light body ${autoLight.body}`);
                assert.ok(luminance(autoDark.body) < 0.1, `dark body ${autoDark.body}`);
                // The default brand colour on the primary buttons.
                for (const bg of await page.locator('#submitButton').evaluateAll(
                    (bs) => bs.map((b) => getComputedStyle(b).backgroundColor))) {
                    assert.equal(bg, DEFAULT_BRAND);
                }

                // Forced light and forced dark: the OS preference changes nothing.
                for (const scheme of ['light', 'dark']) {
                    const server = servers[scheme];
                    const forced = await open(contexts[lang], `${server.url}${spec.path}`,
                        scheme);
                    assert.equal(forced.res.status(), spec.status);
                    await assertText(forced.page, spec, lang, server);
                    assert.equal(await forced.page.getAttribute('body', 'class'),
                        `__next-auth-theme-${scheme}`);
                    await forced.page.emulateMedia({ colorScheme: 'light' });
                    const underLight = await themeColours(forced.page);
                    await forced.page.emulateMedia({ colorScheme: 'dark' });
                    const underDark = await themeColours(forced.page);
                    assert.deepEqual(underDark, underLight,
                        `colorScheme=${scheme} ignores prefers-color-scheme`);
                    assert.deepEqual(underLight, scheme === 'light' ? autoLight : autoDark);
                    // The theme's logo, served by the site and allowed by the page's CSP.
                    const logo = forced.page.locator('img.logo');
                    assert.equal(await logo.count(), 1);
                    assert.equal(await logo.getAttribute('alt'), 'Logo');
                    assert.ok(await logo.evaluate((i) => i.naturalWidth > 0), 'logo loaded');
                    // brandColor and buttonText on every #submitButton.
                    const buttons = await forced.page.locator('#submitButton').evaluateAll(
                        (bs) => bs.map((b) => ({ bg: getComputedStyle(b).backgroundColor,
                                                 fg: getComputedStyle(b).color })));
                    if (spec.root === 'signin') assert.equal(buttons.length, 2);
                    if (spec.root === 'signout') assert.equal(buttons.length, 1);
                    for (const b of buttons) {
                        assert.equal(b.bg, hexToRgb(THEMES[scheme].brand));
                        assert.equal(b.fg, THEMES[scheme].buttonText
                            ? hexToRgb(THEMES[scheme].buttonText) : 'rgb(255, 255, 255)');
                    }
                    // Shot under the opposite OS preference, which it ignores.
                    await forced.page.emulateMedia({
                        colorScheme: scheme === 'light' ? 'dark' : 'light' });
                    await screenshot(forced.page, `pages-${spec.name}-${lang}-forced-${scheme}`);
                }
            });
        }
    }

    it('signin: providers in config order, forms post to the right routes', async () => {
        const server = servers.auto;
        const base = `${server.url}/api/auth`;
        const { page } = await open(contexts.en,
            `${base}/signin?callbackUrl=${encodeURIComponent('/private/x?a=b')}`, 'auto');
        const forms = await page.locator('div.provider form').evaluateAll((fs) => fs.map((f) => ({
            action: f.action,
            method: f.method,
            fields: [...f.elements].filter((e) => e.name)
                .map((e) => ({ name: e.name, type: e.type, id: e.id, value: e.value })),
        })));
        assert.equal(await page.locator('div.provider').count(), 3);
        assert.deepEqual(forms.map((f) => [f.action, f.method]), [
            [`${base}/signin/github`, 'post'],
            [`${base}/signin/email`, 'post'],
            [`${base}/callback/credentials`, 'post'],
        ]);
        // Every form carries the token of the double-submit cookie the browser now holds.
        const cookie = (await contexts.en.cookies(server.url))
            .find((c) => c.name === 'next-auth.csrf-token');
        assert.ok(cookie, 'csrf cookie set by the page');
        const token = decodeURIComponent(cookie.value).split('|')[0];
        assert.match(token, /^[0-9a-f]{64}$/);
        for (const f of forms) {
            const csrf = f.fields.find((x) => x.name === 'csrfToken');
            assert.deepEqual([csrf.type, csrf.value], ['hidden', token]);
        }
        // The OAuth button carries the callbackUrl given in the query.
        const cb = forms[0].fields.find((x) => x.name === 'callbackUrl');
        assert.equal(cb.type, 'hidden');
        assert.ok(cb.value === '/private/x?a=b' || cb.value === `${server.url}/private/x?a=b`,
            cb.value);
        // The email and credentials inputs with next-auth's ids.
        assert.deepEqual(forms[1].fields.filter((x) => x.type !== 'hidden')
            .map((x) => [x.name, x.type, x.id]),
        [['email', 'email', 'input-email-for-email-provider']]);
        assert.deepEqual(forms[2].fields.filter((x) => x.type !== 'hidden')
            .map((x) => [x.name, x.type, x.id]), [
            ['username', 'text', 'input-username-for-credentials-provider'],
            ['password', 'password', 'input-password-for-credentials-provider'],
        ]);
        // Labels point at their inputs.
        for (const id of ['input-email-for-email-provider',
            'input-username-for-credentials-provider', 'input-password-for-credentials-provider']) {
            assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, id);
        }
        // The provider badge is served by the module itself.
        const logo = page.locator('#provider-logo');
        assert.equal(await logo.getAttribute('src'), `${base}/logo/github.svg`);
        assert.ok(await logo.evaluate((i) => i.naturalWidth > 0));
        // ?email= pre-fills the e-mail input.
        await page.goto(`${base}/signin?email=${encodeURIComponent('bob@example.org')}`);
        assert.equal(await page.inputValue('#input-email-for-email-provider'), 'bob@example.org');

        const signout = await open(contexts.en, `${base}/signout`, 'auto-signout');
        const so = await signout.page.locator('form').evaluateAll((fs) => fs.map((f) => ({
            action: f.action, method: f.method, token: f.elements.csrfToken?.value,
            everywhere: f.elements.everywhere?.value })));
        assert.deepEqual(so, [{ action: `${base}/signout`, method: 'post', token, everywhere: undefined },
            { action: `${base}/signout`, method: 'post', token, everywhere: 'true' }]);
        await screenshot(page, 'pages-signin-en-email-prefilled');
    });

    for (const lang of Object.keys(TEXT)) {
        it(`signin error banners for every code [${lang}]`, async () => {
            const server = servers.auto;
            const { page } = await open(contexts[lang], `${server.url}/api/auth/signin`, 'auto');
            for (const [code, kind] of Object.entries(SIGNIN_ERRORS)) {
                const res = await page.goto(`${server.url}/api/auth/signin?error=${code}`);
                assert.equal(res.status(), 200, code);
                const banner = page.locator('div.banner[role=alert]');
                assert.equal((await banner.innerText()).trim(), TEXT[lang].banners[kind], code);
                await screenshot(page, `pages-signin-banner-${code}-${lang}`);
            }
            // /error with a sign-in code goes to the sign-in page with that code.
            for (const code of ['CredentialsSignin', 'OAuthAccountNotLinked', 'SessionRequired']) {
                const res = await page.goto(`${server.url}/api/auth/error?error=${code}`);
                assert.equal(res.status(), 200);
                assert.equal(page.url(), `${server.url}/api/auth/signin?error=${code}`);
                assert.equal((await page.locator('div.banner').innerText()).trim(),
                    TEXT[lang].banners[SIGNIN_ERRORS[code]]);
            }
            // Error page codes match case-insensitively, and /error/<code> is ?error=<code>.
            for (const [path, status, code] of [
                ['/api/auth/error?error=configuration', 500, 'Configuration'],
                ['/api/auth/error?error=accessdenied', 403, 'AccessDenied'],
                ['/api/auth/error/AccessDenied', 403, 'AccessDenied'],
                ['/api/auth/error/Verification', 403, 'Verification'],
                ['/api/auth/error', 200, 'Default'],
            ]) {
                const res = await page.goto(`${server.url}${path}`);
                assert.equal(res.status(), status, path);
                assert.equal((await page.locator('h1').innerText()).trim(),
                    TEXT[lang].errors[code].heading, path);
            }
        });
    }

    it('Accept-Language with q-values picks the language; English is the fallback', async () => {
        const server = servers.auto;
        for (const [header, lang] of [
            ['en;q=0.4, ko;q=0.9', 'ko'],
            ['ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7', 'ko'],
            ['fr-FR, de;q=0.8', 'en'],
            ['ko;q=0, en', 'en'],
            ['ko;q=0.5, en;q=0.6', 'en'],
        ]) {
            // No `locale` here: playwright's locale would replace the header.
            const context = await chrome.browser.newContext({
                extraHTTPHeaders: { 'Accept-Language': header } });
            const page = await context.newPage();
            const res = await page.goto(`${server.url}/api/auth/signout`);
            assert.equal(await res.request().headerValue('accept-language'), header);
            assert.equal(await page.getAttribute('html', 'lang'), lang, header);
            assert.equal((await page.locator('h1').innerText()).trim(),
                TEXT[lang].signoutHeading, header);
            assert.match(res.headers().vary || '', /Accept-Language/i);
            await context.close();
        }
    });

    it('hostile query values render as text: no script runs, nothing is injected', async () => {
        const server = servers.auto;
        const base = `${server.url}/api/auth`;
        // bypassCSP: the pages' CSP would block inline script anyway; this checks escaping.
        const context = await chrome.browser.newContext({ bypassCSP: true, locale: 'en-US' });
        const page = await context.newPage();
        const dialogs = [];
        page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
        const evil = {
            error: '<script>window.__xss="error";alert("error")</script>',
            callbackUrl: '/private/"><script>window.__xss="cb";alert("cb")</script>',
            email: '"><img src=x onerror="window.__xss=\'email\';alert(\'email\')">',
        };
        const probe = async (url) => {
            const res = await page.goto(url);
            await page.waitForTimeout(100);
            const dom = await page.evaluate(() => ({
                xss: window.__xss,
                scripts: document.querySelectorAll('script').length,
                imgs: [...document.images].map((i) => i.id || i.className || i.src),
                onerror: document.querySelectorAll('[onerror]').length,
                text: document.body.innerText,
            }));
            const html = await res.text();
            return { res, dom, html };
        };
        const q = new URLSearchParams(evil).toString();

        let r = await probe(`${base}/signin?${q}`);
        assert.equal(r.res.status(), 200);
        assert.equal(r.dom.xss, undefined, 'no injected script ran');
        assert.equal(r.dom.scripts, 0);
        assert.equal(r.dom.onerror, 0);
        assert.deepEqual(r.dom.imgs, ['provider-logo', 'provider-logo-dark']);
        // The unknown error shows the generic message, never the value itself.
        assert.equal((await page.locator('div.banner').innerText()).trim(),
            TEXT.en.banners.default);
        assert.doesNotMatch(r.html, /<script|<img src=x|onerror="window/i);
        // The e-mail pre-fill is either dropped or kept verbatim as the input's value.
        const email = await page.inputValue('#input-email-for-email-provider');
        assert.ok(email === '' || email === evil.email, email);
        // The callbackUrl stays one attribute value: verbatim (made absolute) or the origin.
        for (const v of await page.locator('input[name=callbackUrl]').evaluateAll(
            (is) => is.map((i) => i.value))) {
            assert.ok(v === server.url || v === evil.callbackUrl ||
                      v === `${server.url}${evil.callbackUrl}`, v);
        }
        await screenshot(page, 'pages-hostile-signin');

        // Absolute hostile callbackUrl and the id form of the error (GET signin/<id>).
        // (No '/' in it: httpd itself answers 404 to an encoded slash in the path.)
        r = await probe(`${base}/signin/${encodeURIComponent('<img src=x onerror=alert(1)>')}?` +
            `callbackUrl=${encodeURIComponent('javascript:alert(1)//"><svg onload=alert(2)>')}`);
        assert.equal(r.res.status(), 200);
        assert.equal(r.dom.xss, undefined);
        assert.equal(r.dom.scripts, 0);
        assert.equal(await page.locator('svg').count(), 0);
        assert.deepEqual(r.dom.imgs, ['provider-logo', 'provider-logo-dark']);
        assert.equal(r.dom.onerror, 0);
        assert.equal((await page.locator('div.banner').innerText()).trim(),
            TEXT.en.banners.default);
        for (const v of await page.locator('input[name=callbackUrl]').evaluateAll(
            (is) => is.map((i) => i.value))) {
            assert.equal(v, server.url, 'a javascript: callbackUrl falls back to the origin');
        }

        // The error page with a hostile code: the generic page, the value not shown.
        r = await probe(`${base}/error?error=${encodeURIComponent(evil.error)}` +
            `&callbackUrl=${encodeURIComponent(evil.callbackUrl)}`);
        assert.equal(r.res.status(), 200);
        assert.equal(r.dom.xss, undefined);
        assert.equal(r.dom.scripts, 0);
        assert.equal((await page.locator('h1').innerText()).trim(), TEXT.en.errors.Default.heading);
        assert.doesNotMatch(r.dom.text, /script|alert/);
        await screenshot(page, 'pages-hostile-error');

        // CRLF in callbackUrl sets no header.
        r = await probe(`${base}/signin` +
            `?callbackUrl=${encodeURIComponent('/a\r\nSet-Cookie: evil=1')}` +
            `&error=${encodeURIComponent('x\r\nSet-Cookie: evil=2')}`);
        assert.ok([200, 302, 400].includes(r.res.status()), String(r.res.status()));
        assert.doesNotMatch(r.res.headers()['set-cookie'] || '', /evil=/);
        assert.deepEqual((await context.cookies(server.url)).filter((c) => c.name === 'evil'), []);

        // 10 kB of markup in error and email.
        const big = '<b>'.repeat(3500);
        r = await probe(`${base}/signin?error=${encodeURIComponent(big)}` +
            `&email=${encodeURIComponent(big)}`);
        assert.ok(r.res.status() < 500, String(r.res.status()));
        assert.equal(await page.locator('b').count(), 0);

        assert.deepEqual(dialogs, [], 'no alert() was called');
        await context.close();
    });

    it('works with JavaScript disabled: every page renders, credentials sign-in and sign-out',
        async () => {
            const server = servers.auto;
            const base = `${server.url}/api/auth`;
            const context = await chrome.browser.newContext({ javaScriptEnabled: false,
                                                              locale: 'en-US' });
            const page = await context.newPage();
            for (const spec of PAGES) {
                const res = await page.goto(`${server.url}${spec.path}`);
                assert.equal(res.status(), spec.status, spec.name);
                await assertText(page, spec, 'en', server);
            }
            await page.goto(`${base}/signin`);
            for (const sel of ['#input-email-for-email-provider',
                '#input-username-for-credentials-provider',
                'form[action$="/signin/github"] button']) {
                assert.ok(await page.locator(sel).isVisible(), sel);
            }
            await screenshot(page, 'pages-nojs-signin');
            await page.fill('#input-username-for-credentials-provider', server.user.name);
            await page.fill('#input-password-for-credentials-provider', server.user.password);
            await Promise.all([
                page.waitForURL(`${server.url}/`),
                page.click('form[action$="/callback/credentials"] button[type=submit]'),
            ]);
            let cookies = await context.cookies(server.url);
            assert.ok(cookies.some((c) => c.name === 'next-auth.session-token'),
                JSON.stringify(cookies.map((c) => c.name)));
            await screenshot(page, 'pages-nojs-signed-in');

            await page.goto(`${base}/signout`);
            await Promise.all([page.waitForURL(`${server.url}/`), page.click('#submitButton')]);
            cookies = await context.cookies(server.url);
            assert.ok(!cookies.some((c) => c.name.startsWith('next-auth.session-token')));
            await context.close();
        });

    it('makes no request to any other host', () => {
        assert.deepEqual(offsite, []);
    });

    it('leaves no error in the error logs', async () => {
        await chrome.close();
        for (const [scheme, server] of Object.entries(servers)) {
            const log = await server.stop(`pages-${scheme}`);
            assert.deepEqual(badLogLines(log), [], log);
        }
    });
});
