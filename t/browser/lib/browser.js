// SPDX-License-Identifier: Apache-2.0
// Debian's chromium driven by playwright-core. Never a downloaded browser.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { OUTPUT_DIR, neverLogged, neverLoggedResponse, neverLoggedUrl } = require('./httpd');

const CHROMIUM = process.env.NA_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--disable-quic',
];
const SCREENSHOT_DIR = path.join(OUTPUT_DIR, 'screenshots');

function writable(dir) {
    try { fs.accessSync(dir, fs.constants.W_OK); return true; } catch (_) { return false; }
}

// Every cookie, CSRF token, OAuth code and magic-link token the browser sees is one the
// module's error log must never show (t/browser/lib/leaks.js): registered as it arrives.
function watchForTokens(context) {
    context.on('request', (req) => neverLoggedUrl(req.url(), 'request'));
    context.on('response', async (res) => {
        try {
            const h = await res.allHeaders();
            const body = /\/csrf(?:\?|$)/.test(res.url()) ? await res.text() : undefined;
            neverLoggedResponse({ setCookies: h['set-cookie'], location: h.location, body });
        } catch (_) { /* the page or context went away meanwhile */ }
    });
}

/**
 * Launch chromium. Returns { browser, context, page, close() }.
 * opts.persistent: use launchPersistentContext with a fresh temp user-data-dir (removed
 * by close()); otherwise a plain launch, whose throwaway profile playwright manages.
 * opts.context: options for the browser context (locale, colorScheme, viewport, …).
 */
async function launchChromium(opts = {}) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'na-chromium-'));
    const env = { ...process.env };
    // A user without a writable home (nobody: /nonexistent) still needs one for chromium.
    if (!env.HOME || !writable(env.HOME)) env.HOME = tmp;
    const launchOpts = {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        env,
        timeout: 30000,
    };
    const contextOpts = { locale: 'en-US', viewport: { width: 1024, height: 768 }, ...opts.context };
    let browser = null;
    let context;
    if (opts.persistent) {
        const profile = path.join(tmp, 'profile');
        context = await chromium.launchPersistentContext(profile, { ...launchOpts, ...contextOpts });
    } else {
        browser = await chromium.launch(launchOpts);
        context = await browser.newContext(contextOpts);
    }
    const page = context.pages()[0] || await context.newPage();
    watchForTokens(context);
    let closed = null;
    const close = () => {
        closed = closed || (async () => {
            try {
                for (const c of await context.cookies()) {
                    if (!/callback-url$/.test(c.name)) neverLogged(c.value, `cookie ${c.name}`);
                }
            } catch (_) { /* already closed */ }
            try { await context.close(); } catch (_) { /* already closed */ }
            if (browser) {
                try { await browser.close(); } catch (_) { /* already closed */ }
            }
            fs.rmSync(tmp, { recursive: true, force: true });
        })();
        return closed;
    };
    return { browser, context, page, close };
}

/** Save a full-page screenshot as t/output/screenshots/<name>.png; returns the path. */
async function screenshot(page, name) {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
}

module.exports = { launchChromium, screenshot, CHROMIUM, CHROMIUM_ARGS, SCREENSHOT_DIR };
