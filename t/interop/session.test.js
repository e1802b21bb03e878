// SPDX-License-Identifier: Apache-2.0
// Cookies cross between a real httpd running mod_nextauth and the real next-auth v4 package:
// session JWEs (single and chunked) both ways, the CSRF double-submit cookie both ways,
// rejection of foreign, tampered, expired and check-cookie tokens, and secret rotation.
// Needs build/mod_nextauth.so (make module) and node_modules (npm ci).
//   node --test t/interop/session.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startHttpd, badLogLines } = require('../browser/lib/httpd');
const {
    jwt, createCSRFToken, NEXTAUTH_VERSION, SESSION_COOKIE, CSRF_COOKIE,
    nextAuthCookiePair, nextAuthChunks, request, sessionTokenFrom,
} = require('./lib/nextauth');

const { encode, decode, getToken } = jwt;
const HEX64 = /^[0-9a-f]{64}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_AGE = 30 * 24 * 60 * 60; // the default NextAuthSession maxAge, next-auth's too
const nowSec = () => Math.floor(Date.now() / 1000);

const JANE = { name: 'Jane Doë', email: 'jane@example.com', picture: 'https://example.com/jane.png', sub: '42' };

function sessionCookies(res, name = SESSION_COOKIE) {
    return res.setCookies.filter((c) => c.name === name || c.name.startsWith(`${name}.`));
}

// The module answered "no session" and told the browser to drop what it sent.
function assertRejected(res, sentNames, what) {
    assert.equal(res.status, 200, `${what}: status`);
    assert.match(res.headers.get('content-type') || '', /^application\/json/, `${what}: type`);
    assert.deepEqual(res.json, {}, `${what}: body must be {} (no session)`);
    const set = sessionCookies(res);
    for (const name of sentNames) {
        const cleared = set.find((c) => c.name === name);
        assert.ok(cleared, `${what}: ${name} is cleared (Set-Cookie: ${JSON.stringify(res.setCookies.map((c) => c.raw))})`);
        assert.equal(cleared.value, '', `${what}: ${name} cleared to ""`);
        assert.equal(cleared.attrs['max-age'], '0', `${what}: ${name} has Max-Age=0`);
        assert.equal(cleared.attrs.path, '/', `${what}: ${name} Path=/`);
    }
    assert.ok(!set.some((c) => c.value !== ''), `${what}: no new session cookie is issued`);
}

// The module answered with the session of `who` (next-auth's JSON shape, §12).
function assertSession(res, who, what) {
    assert.equal(res.status, 200, `${what}: status`);
    assert.match(res.headers.get('content-type') || '', /^application\/json/, `${what}: type`);
    assert.ok(res.json && res.json.user, `${what}: a session, got ${res.text}`);
    assert.deepEqual(Object.keys(res.json).sort(), ['expires', 'user']);
    assert.deepEqual(res.json.user, { name: who.name, email: who.email, image: who.picture });
    assert.match(res.json.expires, ISO);
    const expires = Date.parse(res.json.expires) / 1000;
    assert.ok(Math.abs(expires - (nowSec() + MAX_AGE)) < 60,
        `${what}: expires ${res.json.expires} is now + maxAge`);
}

describe(`session and CSRF cookies against next-auth ${NEXTAUTH_VERSION}`, { timeout: 120000 }, () => {
    const S = crypto.randomBytes(32).toString('base64url');
    let httpd;
    let base;

    before(async () => {
        httpd = await startHttpd({
            name: 'interop-session',
            secret: S,
            providers: ['credentials name="Password" authn=file'],
        });
        base = httpd.url;
    });

    after(async () => {
        if (httpd) await httpd.stop('interop-session');
    });

    it('accepts a session token made by next-auth/jwt encode() and re-issues it', async () => {
        const token = await encode({ token: JANE, secret: S });
        const res = await request(base, '/api/auth/session',
            { cookies: [nextAuthCookiePair(SESSION_COOKIE, token)] });
        assertSession(res, JANE, 'next-auth token');
        assert.match(res.headers.get('cache-control') || '', /no-store/);

        // Rolling refresh: a fresh token next-auth reads back with the same identity.
        const set = sessionCookies(res);
        assert.equal(set.length, 1, 'one session cookie re-set');
        assert.equal(set[0].name, SESSION_COOKIE);
        assert.notEqual(set[0].value, token, 'a fresh token (new iat/jti)');
        assert.equal(set[0].attrs.httponly, true);
        assert.equal(set[0].attrs.samesite.toLowerCase(), 'lax');
        const again = await decode({ token: set[0].value, secret: S });
        for (const k of ['name', 'email', 'picture', 'sub']) assert.equal(again[k], JANE[k], k);
        const before = await decode({ token, secret: S });
        assert.notEqual(again.jti, before.jti);
        // next-auth's token had no session id or sign-in time: the renewal adds them, the
        // sign-in time being the token's own iat.
        assert.equal(before.sid, undefined);
        assert.match(again.sid, /^[A-Za-z0-9_-]{22}$/);
        assert.equal(again.auth_time, before.iat);
    });

    it('accepts a token with null name/picture claims (kept as null)', async () => {
        const who = { name: null, email: 'only-mail@example.com', picture: null, sub: '7' };
        const token = await encode({ token: who, secret: S });
        const res = await request(base, '/api/auth/session',
            { cookies: [nextAuthCookiePair(SESSION_COOKIE, token)] });
        assertSession(res, who, 'null claims');
    });

    it('accepts a token within next-auth\'s 15 s clock tolerance after exp', async () => {
        const token = await encode({ token: JANE, secret: S, maxAge: -5 });
        await decode({ token, secret: S }); // next-auth itself still accepts it
        const res = await request(base, '/api/auth/session',
            { cookies: [nextAuthCookiePair(SESSION_COOKIE, token)] });
        assertSession(res, JANE, 'exp 5 s ago');
    });

    it('accepts a > 4 KB token sent as .0/.1 chunks the way next-auth writes them', async () => {
        const who = { ...JANE, name: `Long ${'n'.repeat(5000)}` };
        const token = await encode({ token: who, secret: S });
        assert.ok(token.length > 4096, `token is ${token.length} chars`);
        const chunks = nextAuthChunks(token);
        assert.deepEqual(chunks.map((c) => c.name), [`${SESSION_COOKIE}.0`, `${SESSION_COOKIE}.1`]);
        assert.equal(chunks.map((c) => c.value).join(''), token);

        const pairs = chunks.map((c) => nextAuthCookiePair(c.name, c.value));
        const res = await request(base, '/api/auth/session', { cookies: pairs });
        assertSession(res, who, 'chunked next-auth token');

        // The re-issued token is chunked again, and next-auth (getToken) reassembles it.
        const set = sessionCookies(res).filter((c) => c.value !== '');
        assert.deepEqual(set.map((c) => c.name).sort(), [`${SESSION_COOKIE}.0`, `${SESSION_COOKIE}.1`]);
        for (const c of set) assert.ok(c.value.length <= 3933, `${c.name} is ${c.value.length} chars`);
        const cookies = Object.fromEntries(set.map((c) => [c.name, c.value]));
        const read = await getToken({ req: { cookies, headers: {} }, secret: S, secureCookie: false });
        assert.ok(read, 'next-auth getToken() reads the chunked cookie the module wrote');
        assert.equal(read.name, who.name);
        assert.equal(read.sub, who.sub);

        // A browser may send the chunks in any order.
        const reversed = await request(base, '/api/auth/session', { cookies: [...pairs].reverse() });
        assertSession(reversed, who, 'chunks in reverse order');
    });

    it('signing out clears every chunk of a chunked next-auth token', async () => {
        const who = { ...JANE, name: `Long ${'c'.repeat(5000)}` };
        const chunks = nextAuthChunks(await encode({ token: who, secret: S }));
        assert.equal(chunks.length, 2);
        const made = createCSRFToken({ options: { secret: S } });
        const res = await request(base, '/api/auth/signout', {
            cookies: [...chunks.map((c) => nextAuthCookiePair(c.name, c.value)),
                nextAuthCookiePair(CSRF_COOKIE, made.cookie)],
            form: { csrfToken: made.csrfToken, callbackUrl: `${base}/bye`, json: 'true' },
        });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.json, { url: `${base}/bye` });
        const set = sessionCookies(res);
        assert.deepEqual(set.map((c) => c.name).sort(), chunks.map((c) => c.name));
        for (const c of set) {
            assert.equal(c.value, '');
            assert.equal(c.attrs['max-age'], '0');
        }
    });

    // next-auth's default jwt callback returns the token unchanged, so a claim a Next.js
    // app added (callbacks.jwt: token.role = …) survives every rolling refresh there. When
    // Apache refreshes the shared cookie it should survive too.
    it('keeps claims a next-auth app added when it re-issues the cookie', async () => {
        const token = await encode({ token: { ...JANE, role: 'admin', org: { id: 7 } }, secret: S });
        const res = await request(base, '/api/auth/session',
            { cookies: [nextAuthCookiePair(SESSION_COOKIE, token)] });
        assertSession(res, JANE, 'token with custom claims');
        const set = sessionCookies(res).filter((c) => c.value !== '');
        assert.equal(set.length, 1);
        const claims = await decode({ token: set[0].value, secret: S });
        assert.equal(claims.role, 'admin');
        assert.deepEqual(claims.org, { id: 7 });
    });

    // next-auth builds { name: token.name, email: token.email, image: token.picture } and
    // JSON.stringify drops undefined members (SPEC §12); re-encoding keeps them absent.
    it('omits user members whose claims the token does not have, as next-auth does', async () => {
        const token = await encode({ token: { email: 'only@example.com', sub: '5' }, secret: S });
        const res = await request(base, '/api/auth/session',
            { cookies: [nextAuthCookiePair(SESSION_COOKIE, token)] });
        assert.equal(res.status, 200);
        assert.deepEqual(res.json.user, { email: 'only@example.com' });
        const set = sessionCookies(res).filter((c) => c.value !== '');
        const claims = await decode({ token: set[0].value, secret: S });
        assert.ok(!('name' in claims) && !('picture' in claims), JSON.stringify(claims));
    });

    it('issues a session cookie after credentials sign-in that next-auth/jwt decodes', async () => {
        const csrf = await request(base, '/api/auth/csrf');
        assert.equal(csrf.status, 200);
        const token = csrf.json.csrfToken;
        assert.match(token, HEX64);
        const csrfCookie = csrf.setCookies.find((c) => c.name === CSRF_COOKIE);
        assert.ok(csrfCookie, 'csrf cookie set');

        const t0 = nowSec();
        const res = await request(base, '/api/auth/callback/credentials', {
            cookies: [`${CSRF_COOKIE}=${csrfCookie.rawValue}`],
            form: {
                csrfToken: token,
                username: httpd.user.name,
                password: httpd.user.password,
                callbackUrl: `${base}/after`,
                json: 'true',
            },
        });
        const t1 = nowSec();
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.json, { url: `${base}/after` });
        const set = sessionCookies(res).filter((c) => c.value !== '');
        assert.equal(set.length, 1, `one session cookie: ${res.setCookies.map((c) => c.raw)}`);
        const cookie = set[0];
        assert.equal(cookie.name, SESSION_COOKIE);
        assert.equal(cookie.attrs.httponly, true);
        assert.equal(cookie.attrs.path, '/');
        assert.equal(cookie.attrs.samesite.toLowerCase(), 'lax');
        assert.equal(cookie.attrs.secure, undefined, 'no Secure on http://');

        const claims = await decode({ token: cookie.value, secret: S });
        assert.equal(claims.name, httpd.user.name);
        assert.equal(claims.email, httpd.user.name);
        assert.equal(claims.sub, httpd.user.name);
        assert.ok(claims.iat >= t0 - 1 && claims.iat <= t1 + 1, `iat ${claims.iat} is now`);
        assert.equal(claims.exp - claims.iat, MAX_AGE);
        assert.match(claims.jti, UUID4);
        assert.match(claims.sid, /^[A-Za-z0-9_-]{22}$/, 'a session id');
        assert.equal(claims.auth_time, claims.iat, 'signed in now');
        // Expires of the cookie matches exp.
        assert.ok(cookie.attrs.expires, 'Expires attribute');
        assert.ok(Math.abs(Date.parse(cookie.attrs.expires) / 1000 - claims.exp) <= 2,
            `Expires ${cookie.attrs.expires} vs exp ${claims.exp}`);

        // next-auth's server helper reads it as a Next.js app sharing the secret would.
        const viaGetToken = await getToken({
            req: { cookies: { [SESSION_COOKIE]: cookie.value }, headers: {} }, secret: S, secureCookie: false,
        });
        assert.equal(viaGetToken.jti, claims.jti);

        // With the wrong secret next-auth refuses it.
        await assert.rejects(decode({ token: cookie.value, secret: `${S}-wrong` }));
        await assert.rejects(decode({ token: cookie.value, secret: S, salt: 'next-auth.state' }));

        // And the module itself takes its own cookie back.
        const session = await request(base, '/api/auth/session',
            { cookies: [`${SESSION_COOKIE}=${cookie.rawValue}`] });
        assertSession(session, { name: httpd.user.name, email: httpd.user.name, picture: null }, 'own cookie');
    });

    it('accepts a CSRF cookie made by next-auth\'s own createCSRFToken()', async () => {
        const made = createCSRFToken({ options: { secret: S } });
        assert.match(made.csrfToken, HEX64);
        const pair = nextAuthCookiePair(CSRF_COOKIE, made.cookie);
        assert.match(pair, /%7C/, 'next-auth sends the | percent-encoded');

        const res = await request(base, '/api/auth/csrf', { cookies: [pair] });
        assert.equal(res.status, 200);
        assert.deepEqual(res.json, { csrfToken: made.csrfToken });
        assert.deepEqual(res.setCookies.filter((c) => c.name === CSRF_COOKIE), [],
            'a valid csrf cookie is not re-sent');

        // Also with a literal | (a cookie written by another client library).
        const literal = await request(base, '/api/auth/csrf', { cookies: [`${CSRF_COOKIE}=${made.cookie}`] });
        assert.deepEqual(literal.json, { csrfToken: made.csrfToken });

        // And it passes the double-submit check of a state-changing POST.
        const signin = await request(base, '/api/auth/callback/credentials', {
            cookies: [pair],
            form: {
                csrfToken: made.csrfToken, username: httpd.user.name, password: httpd.user.password,
                callbackUrl: `${base}/`, json: 'true',
            },
        });
        assert.equal(signin.status, 200, signin.text);
        assert.deepEqual(signin.json, { url: `${base}/` });
        assert.equal(sessionCookies(signin).filter((c) => c.value !== '').length, 1, 'signed in');
    });

    it('rejects a next-auth CSRF cookie made with another secret, minting a new one', async () => {
        const foreign = createCSRFToken({ options: { secret: `${S}-other` } });
        const pair = nextAuthCookiePair(CSRF_COOKIE, foreign.cookie);
        const res = await request(base, '/api/auth/csrf', { cookies: [pair] });
        assert.equal(res.status, 200);
        assert.match(res.json.csrfToken, HEX64);
        assert.notEqual(res.json.csrfToken, foreign.csrfToken);
        const set = res.setCookies.filter((c) => c.name === CSRF_COOKIE);
        assert.equal(set.length, 1, 'a new csrf cookie');
        assert.equal(set[0].value.split('|')[0], res.json.csrfToken);

        // The POST with the foreign token is refused the way next-auth refuses it.
        const signin = await request(base, '/api/auth/callback/credentials', {
            cookies: [pair],
            form: {
                csrfToken: foreign.csrfToken, username: httpd.user.name, password: httpd.user.password,
                json: 'true',
            },
        });
        assert.deepEqual(signin.json, { url: `${base}/api/auth/signin?csrf=true` });
        assert.equal(sessionCookies(signin).filter((c) => c.value !== '').length, 0, 'not signed in');
    });

    it('sets a CSRF cookie that verifies under next-auth\'s rule', async () => {
        const res = await request(base, '/api/auth/csrf');
        assert.equal(res.status, 200);
        const set = res.setCookies.filter((c) => c.name === CSRF_COOKIE);
        assert.equal(set.length, 1);
        assert.match(set[0].rawValue, /^[0-9a-f]{64}%7C[0-9a-f]{64}$/, 'token%7Chash as next-auth encodes it');
        assert.equal(set[0].attrs.httponly, true);
        assert.equal(set[0].attrs.path, '/');
        assert.equal(set[0].attrs['max-age'], undefined, 'a browser-session cookie');

        const checked = createCSRFToken({
            options: { secret: S }, cookieValue: set[0].value, isPost: true, bodyValue: res.json.csrfToken,
        });
        assert.equal(checked.cookie, undefined, 'next-auth keeps it (no new cookie)');
        assert.equal(checked.csrfToken, res.json.csrfToken);
        assert.equal(checked.csrfTokenVerified, true);

        const otherSecret = createCSRFToken({
            options: { secret: `${S}x` }, cookieValue: set[0].value, isPost: true, bodyValue: res.json.csrfToken,
        });
        assert.notEqual(otherSecret.csrfToken, res.json.csrfToken, 'not valid under another secret');
    });

    it('rejects foreign, tampered, expired and check-cookie tokens and clears the cookie', async () => {
        const cases = [];
        cases.push(['another secret', await encode({ token: JANE, secret: `${S}-other` })]);
        const good = await encode({ token: JANE, secret: S });
        const parts = good.split('.');
        const ct = parts[3];
        const flipped = ct[0] === 'A' ? `B${ct.slice(1)}` : `A${ct.slice(1)}`;
        cases.push(['tampered ciphertext', [parts[0], parts[1], parts[2], flipped, parts[4]].join('.')]);
        const tag = parts[4];
        cases.push(['tampered tag', [...parts.slice(0, 4), `${tag.slice(0, -2)}${tag.endsWith('AA') ? 'BA' : 'AA'}`].join('.')]);
        cases.push(['truncated', parts.slice(0, 4).join('.')]);
        cases.push(['expired (exp 60 s ago)', await encode({ token: JANE, secret: S, maxAge: -60 })]);
        cases.push(['next-auth state cookie (salt next-auth.state)',
            await encode({ token: { value: 'x'.repeat(43), provider: 'github' }, secret: S, salt: 'next-auth.state', maxAge: 900 })]);
        cases.push(['session-shaped claims under the state key',
            await encode({ token: JANE, secret: S, salt: 'next-auth.state', maxAge: 900 })]);
        cases.push(['pkce cookie (salt next-auth.pkce.code_verifier)',
            await encode({ token: { value: 'v'.repeat(43), provider: 'github' }, secret: S, salt: 'next-auth.pkce.code_verifier', maxAge: 900 })]);
        cases.push(['pre-4.24.5 state cookie under the session key (GHSA-v64w-49xw-qq89)',
            await encode({ token: { value: 'x'.repeat(43) }, secret: S, maxAge: 900 })]);

        for (const [what, token] of cases) {
            const res = await request(base, '/api/auth/session',
                { cookies: [nextAuthCookiePair(SESSION_COOKIE, token)] });
            assertRejected(res, [SESSION_COOKIE], what);
        }

        // A chunked token under another secret: every chunk is cleared.
        const big = await encode({ token: { ...JANE, name: 'x'.repeat(5000) }, secret: `${S}-other` });
        const chunks = nextAuthChunks(big);
        assert.equal(chunks.length, 2);
        const res = await request(base, '/api/auth/session',
            { cookies: chunks.map((c) => nextAuthCookiePair(c.name, c.value)) });
        assertRejected(res, chunks.map((c) => c.name), 'chunked token under another secret');
    });

    it('leaves no [error]/[crit] lines or crashes in the error log', async () => {
        const log = await httpd.stop('interop-session');
        assert.deepEqual(badLogLines(log), [], log);
    });
});

describe('secret rotation: NextAuthSecret NEW then NextAuthSecret OLD', { timeout: 120000 }, () => {
    const NEW = `new-${crypto.randomBytes(24).toString('hex')}`;
    const OLD = `old-${crypto.randomBytes(24).toString('hex')}`;
    let httpd;

    before(async () => {
        httpd = await startHttpd({
            name: 'interop-rotation',
            secret: NEW,
            providers: ['credentials name="Password" authn=file'],
            extraConf: `NextAuthSecret ${OLD}`,
        });
        assert.match(require('node:fs').readFileSync(httpd.conf, 'utf8'),
            new RegExp(`NextAuthSecret ${NEW}[\\s\\S]*NextAuthSecret ${OLD}`), 'NEW is configured first');
    });

    after(async () => {
        if (httpd) await httpd.stop('interop-rotation');
    });

    it('accepts a next-auth token under OLD and re-issues it under NEW', async () => {
        const token = await encode({ token: JANE, secret: OLD });
        const res = await request(httpd.url, '/api/auth/session',
            { cookies: [nextAuthCookiePair(SESSION_COOKIE, token)] });
        assertSession(res, JANE, 'token under OLD');
        const set = sessionCookies(res).filter((c) => c.value !== '');
        assert.equal(set.length, 1, 'the cookie is re-issued');
        const claims = await decode({ token: set[0].value, secret: NEW });
        for (const k of ['name', 'email', 'picture', 'sub']) assert.equal(claims[k], JANE[k], k);
        await assert.rejects(decode({ token: set[0].value, secret: OLD }), 'no longer under OLD');
    });

    it('accepts a token under NEW, rejects one under a third secret', async () => {
        const ok = await request(httpd.url, '/api/auth/session',
            { cookies: [nextAuthCookiePair(SESSION_COOKIE, await encode({ token: JANE, secret: NEW }))] });
        assertSession(ok, JANE, 'token under NEW');
        const bad = await request(httpd.url, '/api/auth/session',
            { cookies: [nextAuthCookiePair(SESSION_COOKIE, await encode({ token: JANE, secret: `${OLD}3` }))] });
        assertRejected(bad, [SESSION_COOKIE], 'token under a third secret');
    });

    it('a CSRF cookie next-auth made under NEW is valid; a minted one verifies under NEW', async () => {
        const underNew = createCSRFToken({ options: { secret: NEW } });
        const res = await request(httpd.url, '/api/auth/csrf',
            { cookies: [nextAuthCookiePair(CSRF_COOKIE, underNew.cookie)] });
        assert.deepEqual(res.json, { csrfToken: underNew.csrfToken });
        // A minted cookie is hashed with the first (current) secret, as next-auth on NEW does.
        const fresh = await request(httpd.url, '/api/auth/csrf');
        const set = fresh.setCookies.find((c) => c.name === CSRF_COOKIE);
        const checked = createCSRFToken({ options: { secret: NEW }, cookieValue: set.value, isPost: false });
        assert.equal(checked.cookie, undefined, 'verifies under NEW');
        assert.equal(checked.csrfToken, fresh.json.csrfToken);
    });

    it('leaves no [error]/[crit] lines or crashes in the error log', async () => {
        const log = await httpd.stop('interop-rotation');
        assert.deepEqual(badLogLines(log), [], log);
    });
});
