// SPDX-License-Identifier: Apache-2.0
// A whole magic-link sign-in in chromium, as a person does it: /private/ sends the browser
// to the built-in sign-in page, the e-mail form is filled in, the "check your email" page
// shows, the mail arrives at a real SMTP server, the link opens the confirmation page, the
// button signs in and the browser lands on /private/ with the identity headers set. Then
// the same link, opened again, ends on the Verification error page. In English and Korean.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startEmailStack, linkOf, mailAfter } = require('./lib/email');
const { launchChromium, screenshot } = require('../browser/lib/browser');
const { MODULES, PRIVATE_CONF, PRIVATE_PAGE } = require('../browser/lib/pages');

const SESSION = 'next-auth.session-token';

for (const lang of ['en', 'ko']) {
    describe(`magic-link sign-in in chromium [${lang}]`, { timeout: 120000 }, () => {
        let stack;
        let chrome;

        before(async () => {
            stack = await startEmailStack({
                name: `email-browser-${lang}`,
                smtp: { ok: {} },
                providers: (p) => [`email server=smtp://127.0.0.1:${p.ok} ` +
                    'from="Example <noreply@example.com>" starttls=off'],
                modules: [MODULES.include, MODULES.dir, MODULES.authzUser],
                files: { 'private/index.shtml': PRIVATE_PAGE },
                extraConf: PRIVATE_CONF,
            });
            chrome = await launchChromium({ context: { locale: lang === 'ko' ? 'ko-KR' : 'en-US' } });
        });

        after(async () => {
            if (chrome) await chrome.close();
            if (stack) await stack.stop();
        });

        it('signs in end to end and the link works once', async () => {
            const { page, context } = chrome;
            const shot = (step) => screenshot(page, `email-${lang}-${step}`);
            await page.goto(`${stack.httpd.url}/private/`);
            assert.match(page.url(), /\/api\/auth\/signin\?callbackUrl=/);
            await page.fill('input[name="email"]', 'Alice@Example.com');
            await shot('1-signin');
            await Promise.all([page.waitForNavigation(), page.click('form[action$="/signin/email"] button')]);
            assert.match(page.url(), /\/api\/auth\/verify-request/);
            await shot('2-verify-request');

            const msg = await mailAfter(stack.mail.ok, 0);
            const link = linkOf(msg, stack.base, 'email');
            if (lang === 'ko') assert.match(msg.text, /[\uAC00-\uD7A3]/, 'a Korean mail');

            await page.goto(link.href);
            assert.ok(await page.isVisible('text=alice@example.com'));
            await shot('3-confirm');
            assert.equal((await context.cookies()).filter((c) => c.name === SESSION).length, 0,
                'opening the link alone does not sign in');
            await Promise.all([page.waitForNavigation(), page.click('form button')]);
            assert.equal(new URL(page.url()).pathname, '/private/');
            const email = await page.evaluate(() => document.getElementById('email')?.textContent.trim());
            assert.equal(email, 'alice@example.com');
            await shot('4-private');

            await page.goto(link.href);
            await Promise.all([page.waitForNavigation(), page.click('form button')]);
            assert.match(page.url(), /\/api\/auth\/error\?error=Verification/);
            await shot('5-used-link');
        });
    });
}
