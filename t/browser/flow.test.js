// SPDX-License-Identifier: Apache-2.0
// Sign-in end to end, as a user does it in chromium: a protected /private/ (AuthType
// NextAuth, Require valid-user; an .shtml page that prints the identity headers the
// backend got) sends the browser to the built-in sign-in page, the credentials form
// (authn=file, an htpasswd user made here) signs in and lands back on /private/, the
// session route shows the user, a wrong password shows the CredentialsSignin banner and
// sets no cookie, and the built-in sign-out page ends the session. Once in English, once
// in Korean; then again through the custom pages of conf/examples/auth (NextAuthPages),
// which use /api/auth/providers and /api/auth/csrf from script.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startHttpd, badLogLines, REPO_ROOT } = require('./lib/httpd');
const { launchChromium, screenshot } = require('./lib/browser');
const { TEXT, MODULES, PRIVATE_CONF, PRIVATE_PAGE, addUser } = require('./lib/pages');

const BOB = { name: 'bob@example.org', password: 'c0rrect horse' };
const SESSION = 'next-auth.session-token';
const MODS = [MODULES.include, MODULES.dir, MODULES.authzUser];

const sessionCookies = async (context, url) =>
    (await context.cookies(url))
        .filter((c) => c.name === SESSION || c.name.startsWith(`${SESSION}.`));

// The identity the /private/ page shows.
const identity = (page) => page.evaluate(() => Object.fromEntries(
    ['email', 'name', 'sub', 'provider', 'remote-user', 'auth-type']
        .map((id) => [id, document.getElementById(id)?.textContent.trim()])));

// GET /api/auth/session with the browser context's cookies. (Not a fetch() from the page:
// the built-in pages' CSP, default-src 'none', rightly forbids that.)
const fetchSession = async (page) => {
    const res = await page.context().request.get(new URL('/api/auth/session', page.url()).href);
    return { status: res.status(), body: await res.json() };
};

function startFlowHttpd(name, extra = {}) {
    return startHttpd({
        name,
        providers: ['github clientId=x clientSecret=y', 'credentials name="Test login" authn=file'],
        modules: MODS,
        files: { 'private/index.shtml': PRIVATE_PAGE, ...(extra.files || {}) },
        extraConf: ({ dir }) => {
            addUser(dir, BOB.name, BOB.password);
            return [PRIVATE_CONF, extra.conf || ''].join('\n');
        },
    });
}

// The built-in pages, in one language.
function builtInFlow(lang) {
    const t = TEXT[lang];
    const shot = (page, step) => screenshot(page, `flow-${lang}-${step}`);

    describe(`built-in pages [${lang}]`, { timeout: 180000 }, () => {
        let httpd;
        let chrome;
        let base;

        before(async () => {
            httpd = await startFlowHttpd(`flow-${lang}`);
            base = `${httpd.url}/api/auth`;
            chrome = await launchChromium({ context: {
                locale: t.locale,
                // A client-sent identity header must never reach the backend.
                extraHTTPHeaders: { 'X-NextAuth-Email': 'mallory@evil.example' },
            } });
        });

        after(async () => {
            if (chrome) await chrome.close();
            if (httpd) await httpd.stop(`flow-${lang}`);
        });

        it('visiting /private/ redirects to the built-in sign-in page', async () => {
            const { page } = chrome;
            const res = await page.goto(`${httpd.url}/private/`);
            assert.equal(res.status(), 200);
            assert.equal(page.url(),
                `${base}/signin?callbackUrl=${encodeURIComponent(`${httpd.url}/private/`)}`);
            // The redirect itself was a 302 from /private/.
            const hop = res.request().redirectedFrom();
            assert.ok(hop, 'reached through a redirect');
            assert.equal(hop.url(), `${httpd.url}/private/`);
            assert.equal((await hop.response()).status(), 302);
            assert.equal(await page.getAttribute('html', 'lang'), lang);
            assert.equal(await page.title(), t.titles.signin);
            assert.equal(await page.locator('label[for=input-username-for-credentials-provider]')
                .innerText(), t.usernameLabel);
            assert.equal(await page.locator('label[for=input-password-for-credentials-provider]')
                .innerText(), t.passwordLabel);
            const submit = page.locator(
                'form[action$="/callback/credentials"] button[type=submit]');
            assert.equal((await submit.innerText()).trim(), t.signinWith('Test login'));
            assert.equal(await page.locator('div.banner').count(), 0);
            assert.deepEqual(await sessionCookies(chrome.context, httpd.url), []);
            await shot(page, '1-signin');
        });

        it('a wrong password shows the CredentialsSignin banner and sets no session', async () => {
            const { page, context } = chrome;
            await page.fill('#input-username-for-credentials-provider', BOB.name);
            await page.fill('#input-password-for-credentials-provider', 'not the password');
            await shot(page, '2-wrong-password-filled');
            const [res] = await Promise.all([
                page.waitForNavigation(),
                page.click('form[action$="/callback/credentials"] button[type=submit]'),
            ]);
            assert.equal(res.status(), 200);
            const url = new URL(page.url());
            assert.equal(url.origin + url.pathname, `${base}/signin`);
            assert.equal(url.searchParams.get('error'), 'CredentialsSignin');
            const banner = page.locator('div.banner[role=alert]');
            assert.ok(await banner.isVisible());
            assert.equal((await banner.innerText()).trim(), t.banners.credentials);
            assert.deepEqual(await sessionCookies(context, httpd.url), []);
            assert.deepEqual((await fetchSession(page)).body, {});
            // The password field is empty again; nothing of it is in the URL.
            assert.equal(await page.inputValue('#input-password-for-credentials-provider'), '');
            assert.doesNotMatch(page.url(), /not%20the|not\+the/);
            await shot(page, '3-wrong-password-banner');
        });

        it('the right password lands on /private/ with the identity headers', async () => {
            const { page, context } = chrome;
            await page.fill('#input-username-for-credentials-provider', BOB.name);
            await page.fill('#input-password-for-credentials-provider', BOB.password);
            const [res] = await Promise.all([
                page.waitForURL(`${httpd.url}/private/`),
                page.click('form[action$="/callback/credentials"] button[type=submit]'),
            ]);
            void res;
            assert.equal(page.url(), `${httpd.url}/private/`);
            assert.equal(await page.locator('h1').innerText(), 'Private area');
            const who = await identity(page);
            assert.deepEqual(who, {
                'email': BOB.name,
                'name': BOB.name,
                'sub': who.sub,
                'provider': 'credentials',
                'remote-user': BOB.name,
                'auth-type': 'NextAuth',
            });
            assert.ok(who.sub && who.sub !== '(none)', `sub: ${who.sub}`);
            assert.doesNotMatch(await page.content(), /mallory/, 'spoofed header stripped');
            const cookies = await sessionCookies(context, httpd.url);
            assert.equal(cookies.length, 1, JSON.stringify(cookies));
            assert.equal(cookies[0].httpOnly, true);
            assert.equal(cookies[0].sameSite, 'Lax');
            assert.equal(cookies[0].path, '/');
            assert.ok(cookies[0].expires > Date.now() / 1000 + 86400, 'persistent cookie');
            assert.match(cookies[0].value, /^eyJ[\w-]*\.\.[\w-]+\.[\w-]+\.[\w-]+$/, 'JWE, dir');
            await shot(page, '4-private');
        });

        it('/api/auth/session shows the user', async () => {
            const { page } = chrome;
            const { status, body } = await fetchSession(page);
            assert.equal(status, 200);
            assert.equal(body.user.email, BOB.name);
            assert.equal(body.user.name, BOB.name);
            assert.ok(Date.parse(body.expires) > Date.now() + 86400000, body.expires);
            await page.goto(`${base}/session`);
            // Every GET session renews (next-auth): the second read may land a second later.
            const shown = JSON.parse(await page.locator('pre').first().innerText());
            assert.deepEqual(shown.user, body.user);
            const drift = Date.parse(shown.expires) - Date.parse(body.expires);
            assert.ok(drift >= 0 && drift <= 5000, `${body.expires} then ${shown.expires}`);
            await shot(page, '5-session');
        });

        it('signing out on the built-in page clears the session', async () => {
            const { page, context } = chrome;
            await page.goto(`${base}/signout`);
            assert.equal(await page.getAttribute('html', 'lang'), lang);
            assert.equal((await page.locator('h1').innerText()).trim(), t.signoutHeading);
            await shot(page, '6-signout');
            const [res] = await Promise.all([
                page.waitForNavigation(),
                page.click('#submitButton'),
            ]);
            // The POST answered with a redirect that cleared the cookie (then /private/
            // redirected to sign in, since the callbackUrl cookie points there).
            let post = res.request();
            while (post.redirectedFrom()) post = post.redirectedFrom();
            assert.equal(post.method(), 'POST');
            assert.equal(post.url(), `${base}/signout`);
            const setCookie = (await (await post.response()).headerValue('set-cookie')) || '';
            assert.match(setCookie, new RegExp(`${SESSION.replace(/\./g, '\\.')}=;`));
            assert.deepEqual(await sessionCookies(context, httpd.url), []);
            await shot(page, '7-after-signout');

            // /private/ sends the browser to sign in again; the session is empty.
            await page.goto(`${httpd.url}/private/`);
            assert.equal(new URL(page.url()).pathname, '/api/auth/signin');
            assert.equal(new URL(page.url()).searchParams.get('callbackUrl'),
                `${httpd.url}/private/`);
            assert.deepEqual((await fetchSession(page)).body, {});
            await shot(page, '8-private-again');
        });

        it('leaves no error in the error log', async () => {
            await chrome.close();
            const log = await httpd.stop(`flow-${lang}`);
            assert.deepEqual(badLogLines(log), [], log);
        });
    });
}

builtInFlow('en');
builtInFlow('ko');

describe('custom pages (NextAuthPages, conf/examples/auth)', { timeout: 180000 }, () => {
    let httpd;
    let chrome;
    let base;
    const shot = (page, step) => screenshot(page, `flow-custom-${step}`);
    const pageErrors = [];

    before(async () => {
        const examples = path.join(REPO_ROOT, 'conf', 'examples');
        const files = {};
        for (const name of fs.readdirSync(path.join(examples, 'auth'))) {
            files[`auth/${name}`] = fs.readFileSync(path.join(examples, 'auth', name));
        }
        files['index.example.html'] = fs.readFileSync(path.join(examples, 'index.html'));
        httpd = await startFlowHttpd('flow-custom', {
            files,
            conf: 'NextAuthPages signIn=/auth/signin.html signOut=/auth/signout.html ' +
                  'error=/auth/error.html verifyRequest=/auth/verify-request.html',
        });
        base = `${httpd.url}/api/auth`;
        chrome = await launchChromium();
        chrome.page.on('pageerror', (e) => pageErrors.push(String(e)));
    });

    after(async () => {
        if (chrome) await chrome.close();
        if (httpd) await httpd.stop('flow-custom');
    });

    const credentialsForm = (page) => page.locator('form[data-provider=credentials]');
    const formsOf = (page) => page.locator('#providers form').evaluateAll((fs) => fs.map((f) => ({
        provider: f.dataset.provider, action: f.action, method: f.method,
        csrf: f.elements.csrfToken?.value, callbackUrl: f.elements.callbackUrl?.value })));
    const csrfCookieToken = async (context) => {
        const c = (await context.cookies(httpd.url)).find((x) => x.name === 'next-auth.csrf-token');
        return c ? decodeURIComponent(c.value).split('|')[0] : null;
    };
    let firstLoad = null;

    it('/private/ redirects to the custom sign-in page, which lists the providers', async () => {
        const { page } = chrome;
        const providers = page.waitForResponse(`${base}/providers`);
        const csrf = page.waitForResponse(`${base}/csrf`);
        await page.goto(`${httpd.url}/private/`);
        const url = new URL(page.url());
        assert.equal(url.origin + url.pathname, `${httpd.url}/auth/signin.html`);
        assert.equal(url.searchParams.get('callbackUrl'), `${httpd.url}/private/`);
        assert.equal(url.searchParams.get('error'), null);
        assert.equal((await providers).status(), 200);
        assert.equal((await csrf).status(), 200);
        await credentialsForm(page).waitFor();
        const forms = await formsOf(page);
        const token = forms[0].csrf;
        assert.match(token, /^[0-9a-f]{64}$/);
        assert.deepEqual(forms, [
            { provider: 'github', action: `${base}/signin/github`, method: 'post', csrf: token,
              callbackUrl: `${httpd.url}/private/` },
            { provider: 'credentials', action: `${base}/callback/credentials`, method: 'post',
              csrf: token, callbackUrl: `${httpd.url}/private/` },
        ]);
        firstLoad = { token, cookie: await csrfCookieToken(chrome.context),
                      providersSetCookie: await (await providers).headerValue('set-cookie') };
        await shot(page, '1-signin');
    });

    // next-auth 4.24.15 answers GET providers without any cookie (core/index.js returns
    // routes.providers() without the init cookies), so a page that fetches providers and
    // csrf at once on a first visit gets one token only.
    it('GET providers sets no cookie, like next-auth', () => {
        assert.equal(firstLoad.providersSetCookie, null);
    });

    it('on a first visit the custom page\'s token matches the csrf cookie', () => {
        assert.equal(firstLoad.token, firstLoad.cookie);
    });

    it('after a reload the custom page\'s token matches the csrf cookie', async () => {
        const { page } = chrome;
        await page.reload();
        await credentialsForm(page).waitFor();
        const forms = await formsOf(page);
        const cookie = await csrfCookieToken(chrome.context);
        assert.deepEqual(forms.map((f) => f.csrf), [cookie, cookie]);
    });

    it('a wrong password comes back to the custom page with error=CredentialsSignin', async () => {
        const { page, context } = chrome;
        const form = credentialsForm(page);
        await form.locator('input[name=username]').fill(BOB.name);
        await form.locator('input[name=password]').fill('wrong');
        await Promise.all([
            page.waitForURL((u) => u.pathname === '/auth/signin.html' &&
                                   u.searchParams.get('error') === 'CredentialsSignin'),
            form.locator('button[type=submit]').click(),
        ]);
        const url = new URL(page.url());
        assert.equal(url.searchParams.get('callbackUrl'), `${httpd.url}/private/`);
        await credentialsForm(page).waitFor();
        assert.equal(await page.locator('#error').innerText(),
            'Sign-in problem: CredentialsSignin');
        assert.deepEqual(await sessionCookies(context, httpd.url), []);
        await shot(page, '2-wrong-password');
    });

    it('signs in through the custom page and reaches /private/', async () => {
        const { page } = chrome;
        const form = credentialsForm(page);
        await form.locator('input[name=username]').fill(BOB.name);
        await form.locator('input[name=password]').fill(BOB.password);
        await Promise.all([
            page.waitForURL(`${httpd.url}/private/`),
            form.locator('button[type=submit]').click(),
        ]);
        const who = await identity(page);
        assert.equal(who.email, BOB.name);
        assert.equal(who['remote-user'], BOB.name);
        assert.equal(who.provider, 'credentials');
        assert.equal((await fetchSession(page)).body.user.email, BOB.name);
        await shot(page, '3-private');
    });

    it('the built-in routes hand over to the custom pages with next-auth parameters', async () => {
        const { page } = chrome;
        // GET signout → the custom page, exactly, no parameters.
        await page.goto(`${base}/signout`);
        assert.equal(page.url(), `${httpd.url}/auth/signout.html`);
        await page.locator('#form button').waitFor();
        await shot(page, '4-signout');
        // GET error → the custom error page with error=.
        await page.goto(`${base}/error?error=AccessDenied`);
        assert.equal(page.url(), `${httpd.url}/auth/error.html?error=AccessDenied`);
        assert.match(await page.locator('#message').innerText(), /not allowed/);
        await shot(page, '5-error-AccessDenied');
        // GET verify-request → the custom page, exactly.
        await page.goto(`${base}/verify-request?provider=email&type=email`);
        assert.equal(page.url(), `${httpd.url}/auth/verify-request.html`);
        // A sign-in-page code goes to the custom sign-in page with the resolved callbackUrl.
        await page.goto(`${base}/error?error=SessionRequired`);
        const url = new URL(page.url());
        assert.equal(url.pathname, '/auth/signin.html');
        assert.equal(url.searchParams.get('error'), 'SessionRequired');
        assert.ok(url.searchParams.get('callbackUrl').startsWith(httpd.url),
            url.searchParams.get('callbackUrl'));
    });

    it('signs out through the custom sign-out page', async () => {
        const { page, context } = chrome;
        assert.equal((await sessionCookies(context, httpd.url)).length, 1, 'still signed in');
        await page.goto(`${httpd.url}/auth/signout.html`);
        await Promise.all([
            page.waitForURL(`${httpd.url}/`),
            page.locator('#form button[type=submit]').click(),
        ]);
        assert.deepEqual(await sessionCookies(context, httpd.url), []);
        await page.goto(`${httpd.url}/private/`);
        assert.equal(new URL(page.url()).pathname, '/auth/signin.html');
        await shot(page, '6-after-signout');
    });

    it('ran the example pages without script errors; no error in the error log', async () => {
        assert.deepEqual(pageErrors, []);
        await chrome.close();
        const log = await httpd.stop('flow-custom');
        assert.deepEqual(badLogLines(log), [], log);
    });
});
