// SPDX-License-Identifier: Apache-2.0
// The load test's parts that do not need a server: the request mix and what each request
// must get back, the tally, reading children's RSS from /proc, the error-log crash check,
// and the verdict. bench/loadtest.test.mjs checks the verdict logic on planted failures.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

// ---- tally ---------------------------------------------------------------------------------

export class Tally {
    constructor() {
        this.total = 0;
        this.byKind = {};
        this.status5xx = 0;
        this.unexpected = [];
        this.retried = 0;
    }

    // One answer: counted by kind, and kept (up to 20) when `problem` says it is wrong.
    record(kind, res, problem) {
        this.total++;
        const k = (this.byKind[kind] = this.byKind[kind] || { n: 0, bad: 0 });
        k.n++;
        if (res && res.status >= 500) this.status5xx++;
        if (res && res.status >= 500 && !problem) problem = `status ${res.status}`;
        if (problem) {
            k.bad++;
            if (this.unexpected.length < 20) {
                this.unexpected.push(`${kind}: ${problem}` +
                    (res ? ` (status ${res.status}, location ${res.headers.location || '-'})` : ''));
            } else {
                this.unexpected.length++; // keep counting past the kept examples
            }
        }
    }

    rate(startedMs) {
        return Math.round(this.total / Math.max(0.001, (Date.now() - startedMs) / 1000));
    }
}

// ---- answers -------------------------------------------------------------------------------

const json = (res) => {
    try { return JSON.parse(res.body); } catch (_) { return undefined; }
};

const setCookies = (res) => [].concat(res.headers['set-cookie'] || []);

export function sessionCookieOf(res) {
    const c = setCookies(res).find((s) => /^next-auth\.session-token=[^;]+/.test(s));
    return c ? c.split(';')[0] : null;
}

function csrfCookieOf(res) {
    const c = setCookies(res).find((s) => /^next-auth\.csrf-token=/.test(s));
    return c ? c.split(';')[0] : null;
}

// Each check returns null when the answer is right, else what is wrong.
const expectStatus = (want) => (res) => (res.status === want ? null : `want ${want}`);
const redirectTo = (re) => (res) => (res.status === 302 && re.test(res.headers.location || '')
    ? null : `want 302 to ${re}`);
const htmlWith = (text) => (res) => (res.status === 200 && /text\/html/.test(res.headers['content-type'])
    && res.body.includes(text) ? null : `want a page with ${JSON.stringify(text)}`);
const emptySession = (res) => (res.status === 200 && res.body.trim() === '{}' ? null : 'want {}');

// ---- the mix -------------------------------------------------------------------------------

const ALICE = 'alice@example.com';

// Tamper with a token without making it invalid base64url: flip one character in the middle
// (the GCM tag check fails), or cut it short.
function flipped(token) {
    const i = Math.floor(token.length / 2);
    const c = token[i] === 'A' ? 'B' : 'A';
    return token.slice(0, i) + c + token.slice(i + 1);
}

function form(fields) {
    return new URLSearchParams(fields).toString();
}

/**
 * The weighted request mix. `client`: { base, origin, fetch(url, opts), oidcLogin(url),
 * mailCount(), mailAt(i), linkOf(msg), confirmFields(html), user: { name, password } }.
 * Resolves { pick() → step }; a step is { kind, requests, run(tally) }.
 */
export async function makeMix(client) {
    const { base, origin } = client;
    const f = client.fetch;
    const HTML = { accept: 'text/html' };

    // A CSRF pair for the forms, and a valid session, made once and renewed by the steps.
    const csrfRes = await f(`${base}/csrf`);
    const csrf = { token: json(csrfRes).csrfToken, cookie: csrfCookieOf(csrfRes) };
    const signin = await f(`${base}/callback/credentials`, formPost(csrf, {
        username: client.user.name, password: client.user.password, json: 'true',
    }));
    const session = sessionCookieOf(signin);
    if (!csrf.token || !csrf.cookie || !session) {
        throw new Error(`could not sign in to start with (csrf ${csrfRes.status}, sign-in ${signin.status})`);
    }
    const token = session.split('=')[1];
    const forged = [
        `next-auth.session-token=${flipped(token)}`,
        `next-auth.session-token=${token.slice(0, token.length - 17)}`,
        `next-auth.session-token=${token.split('.').slice(0, 4).join('.')}`,
        'next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAA.BBBB.CCCC',
        // chunks that do not add up to a token, and a chunk with nothing before it
        `next-auth.session-token.0=${token.slice(0, 100)}; next-auth.session-token.2=${token.slice(100)}`,
        'next-auth.session-token.1=%%%; next-auth.session-token=%zz',
    ];
    const anyForged = () => forged[Math.floor(Math.random() * forged.length)];
    let reused = 0; // magic-link requests for one address: the sixth within the hour is refused

    function formPost(pair, fields, extraHeaders = {}) {
        return {
            method: 'POST',
            headers: {
                'content-type': 'application/x-www-form-urlencoded',
                cookie: [pair.cookie, extraHeaders.cookie].filter(Boolean).join('; '),
                ...(extraHeaders.accept ? { accept: extraHeaders.accept } : {}),
            },
            body: form({ ...fields, csrfToken: pair.token }),
        };
    }

    const get = (kind, url, check, headers = {}) => ({
        kind,
        run: async (t) => {
            const res = await f(url, { headers });
            t.record(kind, res, check(res));
        },
    });

    const steps = [
        [20, get('protected, valid session', `${origin}/protected/file.html`,
            htmlWith('protected page'), { ...HTML, cookie: session })],
        [6, {
            kind: 'protected, forged cookie',
            run: async (t) => {
                const res = await f(`${origin}/protected/file.html`, { headers: { ...HTML, cookie: anyForged() } });
                t.record('protected, forged cookie', res, redirectTo(/\/api\/auth\/signin\?callbackUrl=/)(res));
            },
        }],
        [3, get('protected, no cookie', `${origin}/protected/file.html`,
            redirectTo(/\/api\/auth\/signin\?callbackUrl=/), HTML)],
        [2, get('protected, JSON client', `${origin}/protected/file.html`,
            expectStatus(401), { accept: 'application/json' })],
        [12, get('session, valid', `${base}/session`, (res) => {
            const body = json(res);
            return res.status === 200 && body && body.user && body.user.email === ALICE
                ? null : 'want the user';
        }, { cookie: session })],
        [6, {
            kind: 'session, forged cookie',
            run: async (t) => {
                const res = await f(`${base}/session`, { headers: { cookie: anyForged() } });
                t.record('session, forged cookie', res, emptySession(res));
            },
        }],
        [3, get('session, no cookie', `${base}/session`, emptySession)],
        [6, get('csrf', `${base}/csrf`, (res) => (
            /^[0-9a-f]{64}$/.test((json(res) || {}).csrfToken || '') && csrfCookieOf(res)
                ? null : 'want a token and its cookie'))],
        [3, get('providers', `${base}/providers`, (res) => {
            const body = json(res) || {};
            return body.oidc && body.credentials && body.email ? null : 'want three providers';
        })],
        [3, get('signin page', `${base}/signin`, htmlWith('Load IdP'), HTML)],
        [1, get('signin page, Korean', `${base}/signin`, htmlWith('lang="ko"'),
            { ...HTML, 'accept-language': 'ko-KR,ko;q=0.9' })],
        [1, get('signin page, error', `${base}/signin?error=OAuthSignin&callbackUrl=%2Fx`,
            htmlWith('Load IdP'), HTML)],
        [2, get('signout page', `${base}/signout`, htmlWith('csrfToken'), HTML)],
        [2, get('error page', `${base}/error?error=Verification`, (res) => (
            res.status === 403 && res.body.includes('<html') ? null : 'want the 403 page'), HTML)],
        [1, get('verify-request page', `${base}/verify-request`, htmlWith('<html'), HTML)],
        [2, {
            kind: 'signin/oidc',
            run: async (t) => {
                const res = await f(`${base}/signin/oidc`, formPost(csrf, { callbackUrl: `${origin}/x` }));
                t.record('signin/oidc', res, redirectTo(/\/auth\?.*code_challenge=/)(res));
            },
        }],
        [1, {
            kind: 'signin/oidc, wrong CSRF',
            run: async (t) => {
                const res = await f(`${base}/signin/oidc`, formPost({ ...csrf, token: flipped(csrf.token) }, {}));
                t.record('signin/oidc, wrong CSRF', res, redirectTo(/\/api\/auth\/signin\?csrf=true/)(res));
            },
        }],
        // next-auth sends a failed OAuth callback to the sign-in page, not the error page
        [1, get('callback/oidc, forged state', `${base}/callback/oidc?code=abc&state=def`,
            redirectTo(/\/api\/auth\/signin\?error=OAuthCallback$/), HTML)],
        [2, {
            kind: 'credentials, right password',
            run: async (t) => {
                const res = await f(`${base}/callback/credentials`, formPost(csrf, {
                    username: client.user.name, password: client.user.password, json: 'true',
                }));
                t.record('credentials, right password', res,
                    res.status === 200 && sessionCookieOf(res) ? null : 'want a session');
            },
        }],
        [2, {
            kind: 'credentials, wrong password',
            run: async (t) => {
                // some usernames get throttled along the way: the answer must not change
                const user = `mallory${Math.floor(Math.random() * 4)}@example.com`;
                const res = await f(`${base}/callback/credentials`, formPost(csrf, {
                    username: user, password: 'guess', json: 'true',
                }));
                const url = (json(res) || {}).url || '';
                t.record('credentials, wrong password', res,
                    res.status === 401 && /error=CredentialsSignin/.test(url) && !sessionCookieOf(res)
                        ? null : 'want 401 CredentialsSignin');
            },
        }],
        [1, {
            kind: 'credentials, oversized body',
            run: async (t) => {
                const res = await f(`${base}/callback/credentials`, formPost(csrf, {
                    username: client.user.name, password: 'x'.repeat(100000),
                }));
                t.record('credentials, oversized body', res, expectStatus(413)(res));
            },
        }],
        [2, {
            kind: 'signin/email, new address',
            run: async (t) => {
                const who = `u${crypto.randomBytes(6).toString('hex')}@example.org`;
                const res = await f(`${base}/signin/email`, formPost(csrf, { email: who }));
                t.record('signin/email, new address', res, redirectTo(/\/api\/auth\/verify-request/)(res));
            },
        }],
        [1, {
            kind: 'signin/email, same address',
            run: async (t) => {
                // emailAddress=5/3600: the first five go through, every later one is a 429 page
                const n = ++reused;
                const res = await f(`${base}/signin/email`, formPost(csrf, { email: 'often@example.org' }, HTML));
                const ok = n <= 5 ? redirectTo(/\/api\/auth\/verify-request/)(res)
                    : res.status === 429 && res.headers['retry-after'] ? null : 'want 429 with Retry-After';
                // requests racing for the fifth place may land either way
                t.record('signin/email, same address', res, n > 3 && n < 5 + 16 ? null : ok);
            },
        }],
        [1, get('callback/email GET (scanner)', `${base}/callback/email?token=${'ab'.repeat(32)}&email=x%40example.org`,
            htmlWith('csrfToken'), HTML)],
        [1, {
            kind: 'callback/email, bad token',
            run: async (t) => {
                const res = await f(`${base}/callback/email`, formPost(csrf, {
                    token: 'cd'.repeat(32), email: 'x@example.org', callbackUrl: origin,
                }));
                t.record('callback/email, bad token', res, redirectTo(/error\?error=Verification/)(res));
            },
        }],
        [1, {
            kind: 'signout',
            requests: 2,
            run: async (t) => {
                // A session of its own: sign-out revokes the session it ends (issue 13), so
                // signing out the shared one would end it for every other step.
                const own = sessionCookieOf(await f(`${base}/callback/credentials`, formPost(csrf, {
                    username: client.user.name, password: client.user.password, json: 'true',
                })));
                if (!own) {
                    t.record('signout', { status: 0 }, 'could not sign in a session to sign out');
                    return;
                }
                const res = await f(`${base}/signout`, formPost(csrf, { json: 'true' }, { cookie: own }));
                const cleared = setCookies(res).some((s) => /^next-auth\.session-token=;/.test(s)
                    || /^next-auth\.session-token=[^;]*;.*Max-Age=0/i.test(s));
                t.record('signout', res, res.status === 200 && cleared ? null : 'want the cookie cleared');
            },
        }],
        [1, {
            kind: '_log',
            run: async (t) => {
                const res = await f(`${base}/_log`, {
                    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
                    body: form({ code: 'CLIENT_FETCH_ERROR', message: '<script>x</script>' }),
                });
                t.record('_log', res, expectStatus(200)(res));
            },
        }],
        [1, get('unknown route', `${base}/nope`, expectStatus(404))],
        [1, {
            kind: 'wrong method',
            run: async (t) => {
                const res = await f(`${base}/session`, { method: 'DELETE' });
                t.record('wrong method', res, res.status === 405 && res.headers.allow ? null : 'want 405 + Allow');
            },
        }],
        [1, get('huge cookie header', `${base}/session`, expectStatus(400), { cookie: `x=${'a'.repeat(9000)}` })],
        [0.3, { kind: 'OIDC sign-in', requests: 5, run: (t) => oidcSignin(t) }],
        [0.3, { kind: 'magic link', requests: 5, run: (t) => magicLink(t) }],
    ];

    // Sign in through the provider's login page: signin/oidc → the IdP → callback/oidc →
    // session. The IdP's own requests are not ours and not counted.
    async function oidcSignin(t) {
        const start = await f(`${base}/signin/oidc`, formPost(csrf, { callbackUrl: `${origin}/after` }));
        t.record('OIDC: signin', start, redirectTo(/\/auth\?/)(start));
        if (start.status !== 302) return;
        const checks = setCookies(start).map((s) => s.split(';')[0]).join('; ');
        let back;
        try {
            back = await client.oidcLogin(start.headers.location);
        } catch (err) {
            t.record('OIDC: provider login', null, String(err.message).slice(0, 200));
            return;
        }
        const cb = await f(back, { headers: { ...HTML, cookie: checks } });
        t.record('OIDC: callback', cb, cb.status === 302 && cb.headers.location === `${origin}/after`
            && sessionCookieOf(cb) ? null : 'want a session and the callbackUrl');
        const cookie = sessionCookieOf(cb);
        if (!cookie) return;
        const s = await f(`${base}/session`, { headers: { cookie } });
        t.record('OIDC: session', s, (json(s) || { user: {} }).user?.email === ALICE ? null : 'want alice');
        const p = await f(`${origin}/protected/file.html`, { headers: { ...HTML, cookie } });
        t.record('OIDC: protected', p, htmlWith('protected page')(p));
        const out = await f(`${base}/signout`, formPost(csrf, { json: 'true' }, { cookie }));
        t.record('OIDC: signout', out, expectStatus(200)(out));
    }

    // A magic link end to end: request, the mail, the scanner-safe GET, the POST, the session.
    async function magicLink(t) {
        const who = `m${crypto.randomBytes(6).toString('hex')}@example.org`;
        const res = await f(`${base}/signin/email`, formPost(csrf, { email: who }));
        t.record('magic link: request', res, redirectTo(/\/api\/auth\/verify-request/)(res));
        const msg = await mailTo(who);
        if (!msg) {
            t.record('magic link: mail', null, `no mail for ${who} within 10 s`);
            return;
        }
        const link = client.linkOf(msg);
        // the browser that asked for the link opens it: it has the CSRF cookie already
        const page = await f(link.href, { headers: { ...HTML, cookie: csrf.cookie } });
        t.record('magic link: confirm page', page, htmlWith(who)(page));
        const fields = client.confirmFields(page.body);
        const post = await f(`${base}/callback/email`, formPost(csrf, fields, HTML));
        const cookie = sessionCookieOf(post);
        t.record('magic link: sign-in', post, post.status === 302 && cookie ? null : 'want a session');
        if (!cookie) return;
        const again = await f(`${base}/callback/email`, formPost(csrf, fields, HTML));
        t.record('magic link: replay', again, redirectTo(/error\?error=Verification/)(again));
        const s = await f(`${base}/session`, { headers: { cookie } });
        t.record('magic link: session', s, (json(s) || { user: {} }).user?.email === who ? null : `want ${who}`);
    }

    // The newest message to `who`: other steps send mail meanwhile.
    async function mailTo(who) {
        const deadline = Date.now() + 10000;
        while (Date.now() < deadline) {
            for (let i = client.mailCount() - 1; i >= 0; i--) {
                const m = client.mailAt(i);
                if (String(m.text).includes(encodeURIComponent(who))) return m;
            }
            await new Promise((r) => setTimeout(r, 20));
        }
        return null;
    }

    // LOADTEST_SKIP: a RegExp of step kinds to leave out (to find what a trend comes from)
    const skip = process.env.LOADTEST_SKIP ? new RegExp(process.env.LOADTEST_SKIP) : null;
    if (skip) steps.splice(0, steps.length, ...steps.filter(([, s]) => !skip.test(s.kind)));
    const total = steps.reduce((s, [w]) => s + w, 0);
    return {
        steps: steps.map(([, s]) => s),
        pick() {
            let x = Math.random() * total;
            for (const [w, s] of steps) {
                if ((x -= w) < 0) return s;
            }
            return steps[0][1];
        },
    };
}

// ---- processes -----------------------------------------------------------------------------

/** The pids whose parent is `pid` (httpd's children), sorted. */
export function childrenOf(pid, proc = '/proc') {
    const out = [];
    for (const name of fs.readdirSync(proc)) {
        if (!/^\d+$/.test(name)) continue;
        let stat;
        try { stat = fs.readFileSync(`${proc}/${name}/stat`, 'utf8'); } catch (_) { continue; }
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === pid) out.push(Number(name));
    }
    return out.sort((a, b) => a - b);
}

/** The sum of VmRSS (kB) of the given pids. */
export function rssOf(pids, proc = '/proc') {
    let sum = 0;
    for (const p of pids) {
        const status = fs.readFileSync(`${proc}/${p}/status`, 'utf8');
        const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
        if (!m) throw new Error(`no VmRSS for pid ${p}`);
        sum += Number(m[1]);
    }
    return sum;
}

// ---- verdict -------------------------------------------------------------------------------

/** Error-log lines that mean a crash or worse: a child killed by a signal, [crit] and above,
 *  sanitizer reports, failed assertions. */
export function crashLines(log) {
    const bad = /exit signal|Segmentation fault|AddressSanitizer|runtime error:|Assertion .*failed|\[(?:[\w.-]+:)?(?:crit|alert|emerg)\]/;
    return String(log).split('\n').filter((l) => bad.test(l));
}

/** RSS at the end against the checkpoint: the same children, and end <= limit × checkpoint. */
export function rssVerdict(childrenAtCheckpoint, rssAtCheckpoint, childrenAtEnd, rssAtEnd, limit) {
    if (!childrenAtCheckpoint || rssAtCheckpoint === null || !(rssAtCheckpoint > 0)) {
        return { ok: false, why: 'no checkpoint was taken' };
    }
    const same = childrenAtCheckpoint.length === childrenAtEnd.length
        && childrenAtCheckpoint.every((p, i) => p === childrenAtEnd[i]);
    const ratio = rssAtEnd / rssAtCheckpoint;
    const why = !same ? `the children changed (${childrenAtCheckpoint.join(',')} → ${childrenAtEnd.join(',')})`
        : ratio > limit ? `RSS grew ${ratio.toFixed(3)}× (limit ${limit})` : null;
    return { ok: why === null, why, ratio, atCheckpoint: rssAtCheckpoint, atEnd: rssAtEnd };
}

/** The Markdown report and whether the run passed. */
export function report(v) {
    const unexpected = v.unexpected.length;
    const problems = [];
    if (v.status5xx > 0) problems.push(`${v.status5xx} answers were 5xx`);
    if (unexpected > 0) problems.push(`${unexpected} answers were not the expected ones`);
    if (v.crashes.length > 0) problems.push(`${v.crashes.length} crash lines in the error log`);
    const leaks = v.leaks || [];
    if (leaks.length > 0) problems.push(`${leaks.length} error-log lines hold a secret or token`);
    if (!v.rss.ok) problems.push(v.rss.why);
    const lines = [
        `# Load test (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
        '',
        `${v.total} requests in ${v.seconds.toFixed(1)} s (${v.rate} req/s), event MPM, two children.`,
        '',
        '| check | result |',
        '| --- | --- |',
        `| 5xx answers | ${v.status5xx} |`,
        `| unexpected answers | ${unexpected} |`,
        `| crash lines in the error log | ${v.crashes.length} |`,
        `| error-log lines holding a secret or token | ${leaks.length} |`,
        `| children's RSS after ${v.checkpoint} requests | ${v.rss.atCheckpoint ?? '-'} kB |`,
        `| children's RSS at the end | ${v.rss.atEnd ?? '-'} kB |`,
        `| ratio (limit 1.10) | ${v.rss.ratio !== undefined ? v.rss.ratio.toFixed(3) : '-'} |`,
        `| [error] lines in the error log (not a failure: a peer's refusal is one) | ${v.errorLines} |`,
        `| keep-alive races retried by the client | ${v.retried} |`,
        `| mails captured | ${v.mails} |`,
        '',
        ...(v.trace && v.trace.length ? [
            `Children's RSS under load (kB): ${v.trace.map(([n, kb]) => `${n / 1000}k: ${kb}`).join(', ')}.`,
            '',
        ] : []),
        '| request | count | wrong |',
        '| --- | ---: | ---: |',
        ...Object.entries(v.byKind).sort((a, b) => b[1].n - a[1].n)
            .map(([k, c]) => `| ${k} | ${c.n} | ${c.bad} |`),
        '',
        problems.length ? `**FAILED**: ${problems.join('; ')}` : '**PASSED**',
        ...v.unexpected.filter(Boolean).map((u) => `- ${u}`),
        ...v.crashes.slice(0, 10).map((c) => `- ${c}`),
        ...leaks.slice(0, 10).map((c) => `- ${c}`),
        '',
    ];
    return { text: lines.join('\n'), ok: problems.length === 0 };
}
