// SPDX-License-Identifier: Apache-2.0
// Chromium helpers of the revocation layer: sign in through the built-in page and
// oidc-provider's login, read what the first hop of a navigation answered, and set the
// session cookie a check runs with. Browsers keep cookies per host, not per port, so the
// hosts on 127.0.0.1:A and 127.0.0.1:B share one jar; a check of a copied session on one
// host puts that copy back first, so that a cookie cleared by the other host does not make
// the check pass for the wrong reason.
'use strict';

const assert = require('node:assert/strict');
const { SESSION } = require('../../oauth/lib/oauth');

const isSession = (c) => c.name === SESSION || c.name.startsWith(`${SESSION}.`);

/** The session cookie(s) of the context now. */
async function sessionCookies(context) {
    return (await context.cookies()).filter(isSession);
}

/** Replaces the context's session cookie(s) with `cookies` (none: no session cookie). */
async function useSession(context, cookies) {
    for (const c of await sessionCookies(context)) await context.clearCookies({ name: c.name });
    if (cookies.length) await context.addCookies(cookies);
}

/**
 * Navigates `page` to `url`; resolves what the first hop answered ({ status, location })
 * and where the page ended (`final`, `body`).
 */
async function firstHop(page, url) {
    const resp = await page.goto(url);
    assert.ok(resp, `a response for ${url}`);
    let req = resp.request();
    while (req.redirectedFrom()) req = req.redirectedFrom();
    const first = await req.response();
    const location = first.headers().location;
    return {
        status: first.status(),
        location: location ? new URL(location, url).href : null,
        final: page.url(),
        body: await resp.text().catch(() => ''),
    };
}

/**
 * Signs in on `hostUrl` through `path` (a protected page): the built-in sign-in page's
 * provider button, then the OP's login as `user` unless the OP session already knows the
 * browser. Resolves the page's final body (the backend's echo).
 */
async function signInThrough(page, hostUrl, path, { provider = 'oidc', user = 'alice', opUrl }) {
    await page.goto(`${hostUrl}${path}`);
    assert.equal(new URL(page.url()).pathname, '/api/auth/signin', `sign-in page, at ${page.url()}`);
    const button = page.locator(`form[action$="/signin/${provider}"] button[type=submit]`);
    await button.click();
    await page.waitForURL((u) => u.href.startsWith(`${opUrl}/interaction/`) || u.href === `${hostUrl}${path}`);
    if (page.url().startsWith(`${opUrl}/interaction/`)) {
        await page.fill('#login', user);
        await Promise.all([page.waitForURL(`${hostUrl}${path}`), page.click('#login-submit')]);
    }
    return JSON.parse(await page.locator('body').innerText());
}

/** Ends the OP session at its end_session page, confirmed (#logout-yes). */
async function endOpSession(page, opUrl) {
    await page.goto(`${opUrl}/session/end`);
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/session/end')), page.click('#logout-yes')]);
    assert.match(await page.locator('h1').innerText(), /Signed out/);
}

module.exports = { sessionCookies, useSession, firstHop, signInThrough, endOpSession };
