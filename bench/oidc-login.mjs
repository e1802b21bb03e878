// SPDX-License-Identifier: Apache-2.0
// Signs in to a mod_auth_openidc-protected URL through t/peers/oidc.mjs, as a browser would
// (cookie jar, authorization code flow, the peer's login form), and prints the Cookie header
// that then gets the page: `node bench/oidc-login.mjs http://127.0.0.1:PORT/oidc/file.html`.
import * as http from 'node:http';
import { loginThrough, CookieJar } from '../t/peers/oidc-client.mjs';

const target = process.argv[2];
if (!target) {
    console.error('usage: oidc-login.mjs PROTECTED_URL [username]');
    process.exit(2);
}
const username = process.argv[3] || 'alice';
const rp = new CookieJar();

// node:http rather than fetch: fetch always sends Sec-Fetch-Mode: cors, which
// mod_auth_openidc answers with 401 (an XHR) instead of the redirect a browser gets.
function get(url) {
    const headers = { accept: 'text/html', 'user-agent': 'mod_nextauth-bench', 'sec-fetch-mode': 'navigate' };
    const cookie = rp.header(url);
    if (cookie) headers.cookie = cookie;
    return new Promise((resolve, reject) => {
        const req = http.get(url, { headers }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => { text += d; });
            res.on('end', () => {
                rp.store(url, [].concat(res.headers['set-cookie'] || []));
                resolve({ res: { status: res.statusCode, headers: { get: (h) => res.headers[h.toLowerCase()] } }, text });
            });
        });
        req.on('error', reject);
        req.setTimeout(20000, () => req.destroy(new Error(`timeout on ${url}`)));
    });
}

try {
    const first = await get(target);
    if (first.res.status !== 302) throw new Error(`expected 302 to the provider, got ${first.res.status}`);
    const authorize = new URL(first.res.headers.get('location'), target).href;
    const callback = await loginThrough(authorize, { username, cookieJar: new CookieJar() });
    const back = await get(callback);
    if (back.res.status !== 302) throw new Error(`callback: HTTP ${back.res.status}: ${back.text.slice(0, 200)}`);
    const page = await get(target);
    if (page.res.status !== 200) throw new Error(`signed in, but ${target} answers ${page.res.status}`);
    // Only the session cookie(s): the state cookie is spent.
    const header = rp.header(target).split('; ').filter((c) => !c.startsWith('mod_auth_openidc_state')).join('; ');
    process.stdout.write(`${header}\n`);
} catch (err) {
    console.error(`oidc-login.mjs: ${err.message}`);
    process.exit(1);
}
