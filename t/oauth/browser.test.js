// SPDX-License-Identifier: Apache-2.0
// OAuth sign-in clicked through in headless chromium: a protected /private/ (AuthType
// NextAuth, Require valid-user; an .shtml page echoing the identity headers) → the built-in
// sign-in page → "Sign in with <name>" → the provider's own login page (oidc-provider, then
// the GitHub-shaped server) → back on /private/ showing who signed in. Screenshots of each
// step go to t/output/screenshots/oauth-*.png.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startStack, badLogLines, SESSION } = require('./lib/oauth');
const { launchChromium, screenshot } = require('../browser/lib/browser');
const { TEXT, MODULES, PRIVATE_CONF, PRIVATE_PAGE } = require('../browser/lib/pages');

const SECRET = 'browser-oidc-secret';

const identity = (page) => page.evaluate(() => Object.fromEntries(
    ['email', 'name', 'sub', 'provider', 'remote-user', 'auth-type']
        .map((id) => [id, document.getElementById(id)?.textContent.trim()])));

const sessionCookies = async (context, url) =>
    (await context.cookies(url)).filter((c) => c.name === SESSION || c.name.startsWith(`${SESSION}.`));

describe('OAuth sign-in in chromium', { timeout: 120000 }, () => {
    let stack;
    let chrome;
    let site;

    before(async () => {
        stack = await startStack({
            name: 'oauth-browser',
            peers: {
                idp: { kind: 'oidc', args: (u) => ['--client-id', 'browser-app',
                    '--client-secret', SECRET, '--redirect-uri', `${u}/api/auth/callback/oidc`] },
                gh: { kind: 'github', args: () => ['--client-id', 'gh-browser',
                    '--client-secret', 'gh-browser-secret', '--no-auto-approve'] },
            },
            providers: (p) => [
                `oidc type=oidc name="Test IdP" issuer=${p.idp} clientId=browser-app ` +
                    `clientSecret=${SECRET} timeout=5`,
                `github clientId=gh-browser clientSecret=gh-browser-secret ` +
                    `authorization=${p.gh}/login/oauth/authorize ` +
                    `token=${p.gh}/login/oauth/access_token userinfo=${p.gh}/user timeout=5`,
            ],
            modules: [MODULES.include, MODULES.dir, MODULES.authzUser],
            files: { 'private/index.shtml': PRIVATE_PAGE },
            extraConf: PRIVATE_CONF,
        });
        site = stack.httpd.url;
        chrome = await launchChromium();
    });

    after(async () => {
        if (chrome) await chrome.close();
        if (!stack) return;
        const log = await stack.stop();
        assert.deepEqual(badLogLines(log), [], 'error log');
    });

    it('OpenID Connect: sign-in page → oidc-provider login → /private/ as alice', async () => {
        const { page, context } = chrome;
        const shot = (step) => screenshot(page, `oauth-oidc-${step}`);

        await page.goto(`${site}/private/`);
        const signinUrl = new URL(page.url());
        assert.equal(signinUrl.pathname, '/api/auth/signin');
        assert.equal(signinUrl.searchParams.get('callbackUrl'), `${site}/private/`);
        const button = page.locator('form[action$="/signin/oidc"] button[type=submit]');
        assert.equal((await button.innerText()).trim(), 'Sign in with Test IdP');
        await shot('1-signin');

        // The button posts the CSRF form; the module redirects to the provider's login.
        await Promise.all([page.waitForURL(`${stack.peers.idp.url}/interaction/**`), button.click()]);
        assert.equal(await page.locator('h1').innerText(), 'Sign in');
        await page.fill('#login', 'alice');
        await shot('2-provider-login');

        await Promise.all([page.waitForURL(`${site}/private/`), page.click('#login-submit')]);
        assert.equal(await page.locator('h1').innerText(), 'Private area');
        const who = await identity(page);
        assert.deepEqual(who, {
            'email': 'alice@example.com',
            'name': 'Alice Example',
            'sub': 'alice',
            'provider': 'oidc',
            'remote-user': 'alice@example.com',
            'auth-type': 'NextAuth',
        });
        const cookies = await sessionCookies(context, site);
        assert.equal(cookies.length, 1);
        assert.equal(cookies[0].httpOnly, true);
        // No check cookie outlives the flow.
        const left = (await context.cookies(site)).map((c) => c.name)
            .filter((n) => /^next-auth\.(state|pkce|nonce)/.test(n));
        assert.deepEqual(left, []);
        await shot('3-private');

        const res = await context.request.get(`${site}/api/auth/session`);
        assert.equal((await res.json()).user.email, 'alice@example.com');
    });

    it('cancelling at the provider lands on the sign-in page with the Callback banner',
        async () => {
            const { page, context } = chrome;
            const shot = (step) => screenshot(page, `oauth-cancel-${step}`);
            await context.clearCookies();
            await page.goto(`${site}/api/auth/signin`);
            await Promise.all([page.waitForURL(`${stack.peers.idp.url}/interaction/**`),
                page.click('form[action$="/signin/oidc"] button[type=submit]')]);
            await Promise.all([page.waitForURL(`${site}/api/auth/signin?error=Callback`),
                page.click('#abort')]);
            const banner = page.locator('div.banner[role=alert]');
            assert.equal((await banner.innerText()).trim(), TEXT.en.banners.retry);
            assert.deepEqual(await sessionCookies(context, site), []);
            await shot('1-signin-error');
        });

    it('GitHub-shaped: sign-in page → authorize page → /private/ as bob', async () => {
        const { page, context } = chrome;
        const shot = (step) => screenshot(page, `oauth-github-${step}`);
        await context.clearCookies();

        await page.goto(`${site}/private/`);
        assert.equal(new URL(page.url()).pathname, '/api/auth/signin');
        const button = page.locator('form[action$="/signin/github"] button[type=submit]');
        assert.equal((await button.innerText()).trim(), 'Sign in with GitHub');
        await shot('1-signin');

        await Promise.all([page.waitForURL(`${stack.peers.gh.url}/login/oauth/authorize**`),
            button.click()]);
        await page.fill('#login', 'bob');
        await shot('2-authorize');

        await Promise.all([page.waitForURL(`${site}/private/`), page.click('#authorize')]);
        const who = await identity(page);
        assert.equal(who.email, 'bob@example.com');
        assert.equal(who.name, 'bob');
        assert.equal(who.sub, '1002');
        assert.equal(who.provider, 'github');
        assert.equal(who['remote-user'], 'bob@example.com');
        await shot('3-private');
    });
});
