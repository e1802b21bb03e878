#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// GitHub's OAuth web flow on loopback, for mod_nextauth's `github` preset (GitHub itself is out
// of reach here). It answers the way GitHub's documentation says github.com and api.github.com
// answer (docs.github.com: "Authorizing OAuth apps", "Troubleshooting authorization request
// errors", "Troubleshooting OAuth app access token request errors", REST "Users" and
// "Emails"), with both hosts served from this one origin:
//   GET  /login/oauth/authorize      the consent page (or auto-approve with ?login=<user>)
//   POST /login/oauth/access_token   code -> token; JSON, form-encoded or XML per Accept
//   GET  /user, GET /user/emails     the REST API, with `Authorization: token|Bearer <t>`
//
//   node t/peers/github.mjs --port 8083 [--client-id ID --client-secret S [--callback-url URL]]...
//        [--mode NAME=VALUE ...] [--no-auto-approve] [--no-user-agent-check] [--no-test-api]
//
// Prints `ready http://127.0.0.1:<port>` on stdout once listening; exits 0 on SIGTERM.

import * as crypto from 'node:crypto';

import {
    parseArgv, runMain, TestMode, Stats, FAILURES, sendFailure, needsRealResponse, escapeHtml,
    readBody, parseBody, handleTestApi, sendJson, recordHeaders, avatarSvg, listen,
    exitOnSignals, announceReady,
} from './lib/common.mjs';

// ---------------------------------------------------------------------------------------------
// Test users

const USERS = {
    // Public e-mail on the profile.
    alice: {
        id: 1001, name: 'Alice Example', email: 'alice@example.com', company: 'Example Corp',
        emails: [
            { email: 'alice@example.com', primary: true, verified: true, visibility: 'public' },
            { email: '1001+alice@users.noreply.github.com', primary: false, verified: true, visibility: null },
        ],
    },
    // No public e-mail and no display name: the address comes from /user/emails (the primary,
    // verified one, listed second), the name falls back to the login.
    bob: {
        id: 1002, name: null, email: null, company: null,
        emails: [
            { email: 'bob-old@example.com', primary: false, verified: true, visibility: null },
            { email: 'bob@example.com', primary: true, verified: true, visibility: 'private' },
            { email: 'bob-unverified@example.com', primary: false, verified: false, visibility: null },
        ],
    },
    // No public e-mail, and the only address is primary but unverified.
    carol: {
        id: 1003, name: 'Carol Unverified', email: null, company: null,
        emails: [{ email: 'carol@example.com', primary: true, verified: false, visibility: 'private' }],
    },
};

const DOCS = 'https://docs.github.com';
const AUTHZ_ERRORS = `${DOCS}/apps/managing-oauth-apps/troubleshooting-authorization-request-errors`;
const TOKEN_ERRORS = `${DOCS}/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors`;

// Token endpoint errors: GitHub answers them with HTTP 200 and these bodies.
const TOKEN_ERROR = {
    incorrect_client_credentials: {
        error_description: 'The client_id and/or client_secret passed are incorrect.',
        error_uri: `${TOKEN_ERRORS}/#incorrect-client-credentials`,
    },
    redirect_uri_mismatch: {
        error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
        error_uri: `${TOKEN_ERRORS}/#redirect-uri-mismatch`,
    },
    bad_verification_code: {
        error_description: 'The code passed is incorrect or expired.',
        error_uri: `${TOKEN_ERRORS}/#bad-verification-code`,
    },
};

const SWITCHES = {
    authorize: ['error'],
    token: [...FAILURES],
    user: [...FAILURES],
    emails: [...FAILURES],
};

const CODE_TTL_MS = 10 * 60 * 1000; // GitHub: "The code expires after 10 minutes"

// ---------------------------------------------------------------------------------------------
// Command line

const USAGE = 'usage: github.mjs --port N [--client-id ID --client-secret S [--callback-url URL]]... '
    + '[--mode NAME=VALUE]... [--no-auto-approve] [--no-user-agent-check] [--no-test-api]';
const FLAGS = new Set(['no-auto-approve', 'no-user-agent-check', 'no-test-api', 'help']);

// The demo's app when none is given: mod_nextauth on http://127.0.0.1:8080 (conf/demo.conf).
const DEFAULT_APP = {
    clientId: 'mod_nextauth-demo-github',
    clientSecret: 'mod_nextauth-demo-github-secret',
    callbackUrl: 'http://127.0.0.1:8080/api/auth/callback/github',
};

function parseOptions(argv) {
    const opts = {
        port: 8083, apps: [], mode: new TestMode(SWITCHES), autoApprove: true, userAgentCheck: true, testApi: true,
    };
    let app = null;
    for (const [name, value] of parseArgv(argv, FLAGS)) {
        switch (name) {
        case 'port': opts.port = Number(value); break;
        case 'client-id':
            app = { clientId: value, clientSecret: undefined, callbackUrl: undefined };
            opts.apps.push(app);
            break;
        case 'client-secret':
        case 'callback-url':
        case 'redirect-uri':
            if (!app) throw new Error(`--${name} must follow a --client-id`);
            if (name === 'client-secret') app.clientSecret = value; else app.callbackUrl = value;
            break;
        case 'mode': opts.mode.setFromArg(value); break;
        case 'no-auto-approve': opts.autoApprove = false; break;
        case 'no-user-agent-check': opts.userAgentCheck = false; break;
        case 'no-test-api': opts.testApi = false; break;
        case 'help': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
        default: throw new Error(`unknown option --${name}\n${USAGE}`);
        }
    }
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port: 0..65535');
    if (opts.apps.length === 0) opts.apps.push({ ...DEFAULT_APP });
    for (const a of opts.apps) if (!a.clientSecret) throw new Error(`client ${a.clientId} needs --client-secret`);
    return opts;
}

// GitHub's redirect_uri rule: same scheme, host and port as the app's callback URL, and a path
// at or below the callback's path. An app registered without a callback URL (a convenience of
// this peer) accepts any loopback redirect_uri.
function redirectUriAllowed(app, redirectUri) {
    let uri;
    try { uri = new URL(redirectUri); } catch { return false; }
    if (!app.callbackUrl) return ['127.0.0.1', 'localhost', '[::1]'].includes(uri.hostname);
    const cb = new URL(app.callbackUrl);
    if (uri.protocol !== cb.protocol || uri.host !== cb.host) return false;
    const base = cb.pathname.endsWith('/') ? cb.pathname : `${cb.pathname}/`;
    return uri.pathname === cb.pathname || uri.pathname.startsWith(base);
}

// ---------------------------------------------------------------------------------------------
// The peer

class GitHubPeer {
    constructor(opts, port) {
        this.opts = opts;
        this.base = `http://127.0.0.1:${port}`;
        this.codes = new Map(); // code -> {app, redirectUri, login, scope, challenge, expires}
        this.tokens = new Map(); // access token -> {login, scope}
        this.mode = opts.mode;
        this.stats = new Stats();
    }

    app(clientId) {
        return this.opts.apps.find((a) => a.clientId === clientId);
    }

    async handle(req, res) {
        const url = new URL(req.url, this.base);
        if (this.opts.testApi && await handleTestApi(req, res, url, { mode: this.mode, stats: this.stats })) return;
        const route = `${req.method} ${url.pathname}`;
        const avatar = /^\/avatars\/u\/(\d+)$/.exec(url.pathname);
        if (req.method === 'GET' && avatar) return this.avatar(res, Number(avatar[1]));
        switch (route) {
        case 'GET /login/oauth/authorize':
            return this.authorize(req, res, Object.fromEntries(url.searchParams));
        case 'POST /login/oauth/authorize':
            return this.authorize(req, res, parseBody(await readBody(req), req.headers['content-type']), true);
        case 'POST /login/oauth/access_token': return this.accessToken(req, res, url);
        case 'GET /user': return this.api(req, res, 'user', (who) => this.userJson(who));
        case 'GET /user/emails': return this.api(req, res, 'emails', (who, grant) => this.emailsJson(who, grant));
        default:
            return sendJson(res, 404, { message: 'Not Found', documentation_url: `${DOCS}/rest`, status: '404' });
        }
    }

    // ---- github.com/login/oauth/authorize ----------------------------------------------------

    // GET: validate, then the consent page, or straight back to the app when ?login= names a
    // test user (auto-approve, for scripted tests). POST: the consent page's answer.
    authorize(req, res, params, submitted = false) {
        this.stats.hit('authorize', { params: { ...params } });
        const app = this.app(params.client_id);
        if (!app) return sendPage(res, 404, 'Not Found', '<h1>404</h1><p>This is not the web page you are looking for.</p>');
        const redirectUri = params.redirect_uri || app.callbackUrl;
        if (!redirectUri || !redirectUriAllowed(app, redirectUri)) {
            // GitHub sends the user to the app's registered callback URL with the error.
            if (!app.callbackUrl) return sendPage(res, 400, 'Bad redirect_uri', '<p>redirect_uri is not allowed.</p>');
            return this.redirectError(res, app.callbackUrl, params.state, 'redirect_uri_mismatch',
                'The redirect_uri MUST match the registered callback URL for this application.',
                `${AUTHZ_ERRORS}/#redirect-uri-mismatch`);
        }
        if (params.code_challenge && (params.code_challenge_method || 'plain') !== 'S256') {
            return sendPage(res, 400, 'Bad request', '<p>code_challenge_method must be S256.</p>');
        }
        if (this.mode.get('authorize') === 'error') {
            return this.redirectError(res, redirectUri, params.state, this.mode.get('error') || 'access_denied',
                this.mode.get('error_description') ?? '<script>alert("xss")</script>The user has denied your application access.',
                `${AUTHZ_ERRORS}/#access-denied`);
        }
        const login = String(params.login || '').trim().toLowerCase();
        if (submitted && params.authorize !== '1') {
            return this.redirectError(res, redirectUri, params.state, 'access_denied',
                'The user has denied your application access.', `${AUTHZ_ERRORS}/#access-denied`);
        }
        if ((submitted || this.opts.autoApprove) && USERS[login]) {
            return this.approve(res, app, redirectUri, params, login);
        }
        const error = submitted ? `Unknown user "${login}".` : null;
        return sendPage(res, 200, 'Authorize application', consentPage(app, params, error));
    }

    approve(res, app, redirectUri, params, login) {
        const code = crypto.randomBytes(10).toString('hex'); // GitHub codes: 20 hex characters
        this.codes.set(code, {
            app, redirectUri: params.redirect_uri || null, login,
            scope: normalizeScope(params.scope), challenge: params.code_challenge || null,
            expires: Date.now() + CODE_TTL_MS,
        });
        const target = new URL(redirectUri);
        target.searchParams.set('code', code);
        if (params.state !== undefined) target.searchParams.set('state', params.state);
        return redirect(res, target.href);
    }

    redirectError(res, redirectUri, state, error, description, uri) {
        const target = new URL(redirectUri);
        target.searchParams.set('error', error);
        target.searchParams.set('error_description', description);
        target.searchParams.set('error_uri', uri);
        if (state !== undefined) target.searchParams.set('state', state);
        return redirect(res, target.href);
    }

    // ---- github.com/login/oauth/access_token -------------------------------------------------

    async accessToken(req, res, url) {
        const kind = this.mode.get('token');
        let params;
        try {
            // Parameters may come in the query string, a form body or a JSON body.
            params = { ...Object.fromEntries(url.searchParams), ...parseBody(await readBody(req), req.headers['content-type']) };
        } catch {
            params = Object.fromEntries(url.searchParams);
        }
        this.stats.hit('token', { headers: recordHeaders(req.headers), body: { ...params } });
        if (kind && !needsRealResponse(kind)) return sendFailure(res, kind, this.mode);

        const result = this.exchange(params, basicCredentials(req.headers.authorization));
        const { type, body } = formatTokenResponse(result, req.headers.accept);
        if (kind) return sendFailure(res, kind, this.mode, { status: 200, type, body });
        res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
        return res.end(body);
    }

    // The token response as an object: {access_token, token_type, scope} or {error, ...}.
    exchange(params, basic) {
        const clientId = basic ? basic.id : params.client_id;
        const clientSecret = basic ? basic.secret : params.client_secret;
        const app = this.app(clientId);
        if (!app || !safeEqual(app.clientSecret, clientSecret)) return tokenError('incorrect_client_credentials');
        const grant = this.codes.get(params.code);
        if (grant) this.codes.delete(params.code); // single use, even when the rest is wrong
        if (!grant || grant.expires < Date.now() || grant.app !== app) return tokenError('bad_verification_code');
        if (params.redirect_uri !== undefined) {
            const ok = grant.redirectUri ? params.redirect_uri === grant.redirectUri : redirectUriAllowed(app, params.redirect_uri);
            if (!ok) return tokenError('redirect_uri_mismatch');
        }
        if (grant.challenge) {
            const verifier = String(params.code_verifier || '');
            const computed = crypto.createHash('sha256').update(verifier).digest('base64url');
            if (!safeEqual(computed, grant.challenge)) return tokenError('bad_verification_code');
        }
        const token = `gho_${randomAlnum(36)}`;
        this.tokens.set(token, { login: grant.login, scope: grant.scope });
        // GitHub's documented field order: access_token, scope, token_type.
        return { access_token: token, scope: grant.scope.join(','), token_type: 'bearer' };
    }

    // ---- api.github.com ------------------------------------------------------------------------

    // Authenticates an API request and answers with build(user, grant), or GitHub's errors.
    api(req, res, name, build) {
        this.stats.hit(name, { headers: recordHeaders(req.headers) });
        if (this.opts.userAgentCheck && !req.headers['user-agent']) {
            // api.github.com refuses requests without a User-Agent header.
            const text = 'Request forbidden by administrative rules. Please make sure your request has a '
                + `User-Agent header (${DOCS}/en/rest/overview/resources-in-the-rest-api#user-agent-required). `
                + 'Check https://developer.github.com for other possible causes.\n';
            res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
            return res.end(text);
        }
        const m = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization || '');
        if (!m) {
            return sendJson(res, 401, {
                message: 'Requires authentication',
                documentation_url: `${DOCS}/rest/users/users#get-the-authenticated-user`, status: '401',
            });
        }
        const grant = this.tokens.get(m[1]);
        if (!grant) return sendJson(res, 401, { message: 'Bad credentials', documentation_url: `${DOCS}/rest`, status: '401' });
        const body = build(grant.login, grant);
        const headers = {
            'X-OAuth-Scopes': grant.scope.join(', '),
            'X-GitHub-Media-Type': 'github.v3; format=json',
            'X-RateLimit-Limit': '5000',
            'X-RateLimit-Remaining': '4999',
        };
        if (body === null) {
            return sendJson(res, 404, {
                message: 'Not Found',
                documentation_url: `${DOCS}/rest/users/emails#list-email-addresses-for-the-authenticated-user`, status: '404',
            }, headers);
        }
        const kind = this.mode.get(name);
        if (kind) return sendFailure(res, kind, this.mode, { status: 200, body: JSON.stringify(body) });
        return sendJson(res, 200, body, headers);
    }

    // GET /user: the authenticated user (public profile fields; `email` is the public e-mail).
    userJson(login) {
        const u = USERS[login];
        const api = `${this.base}/users/${login}`;
        return {
            login, id: u.id, node_id: Buffer.from(`04:User${u.id}`).toString('base64'),
            avatar_url: `${this.base}/avatars/u/${u.id}?v=4`, gravatar_id: '',
            url: api, html_url: `${this.base}/${login}`,
            followers_url: `${api}/followers`, following_url: `${api}/following{/other_user}`,
            gists_url: `${api}/gists{/gist_id}`, starred_url: `${api}/starred{/owner}{/repo}`,
            subscriptions_url: `${api}/subscriptions`, organizations_url: `${api}/orgs`,
            repos_url: `${api}/repos`, events_url: `${api}/events{/privacy}`,
            received_events_url: `${api}/received_events`,
            type: 'User', user_view_type: 'public', site_admin: false,
            name: u.name, company: u.company, blog: '', location: null, email: u.email,
            hireable: null, bio: null, twitter_username: null, notification_email: u.email,
            public_repos: 2, public_gists: 0, followers: 1, following: 0,
            created_at: '2015-03-04T05:06:07Z', updated_at: '2024-01-02T03:04:05Z',
        };
    }

    // GET /user/emails: needs the user:email (or user) scope, else 404 like GitHub.
    emailsJson(login, grant) {
        if (!grant.scope.includes('user:email') && !grant.scope.includes('user')) return null;
        return USERS[login].emails.map((e) => ({ ...e }));
    }

    avatar(res, id) {
        const login = Object.keys(USERS).find((k) => USERS[k].id === id);
        if (!login) return sendJson(res, 404, { message: 'Not Found' });
        const svg = avatarSvg(login);
        res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Content-Length': Buffer.byteLength(svg) });
        return res.end(svg);
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function tokenError(code) {
    return { error: code, ...TOKEN_ERROR[code] };
}

// GitHub answers form-encoded unless asked for JSON (or XML) with Accept.
function formatTokenResponse(result, accept = '') {
    if (/application\/json/i.test(accept)) return { type: 'application/json; charset=utf-8', body: JSON.stringify(result) };
    if (/application\/xml/i.test(accept)) {
        const inner = Object.entries(result).map(([k, v]) => `<${k}>${escapeHtml(v)}</${k}>`).join('');
        return { type: 'application/xml; charset=utf-8', body: `<OAuth>${inner}</OAuth>` };
    }
    return { type: 'application/x-www-form-urlencoded; charset=utf-8', body: new URLSearchParams(result).toString() };
}

function basicCredentials(header) {
    const m = /^basic\s+(\S+)$/i.exec(header || '');
    if (!m) return null;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    const unescape = (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };
    return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}

// Scopes may be space- or comma-separated; GitHub reports them comma-separated, de-duplicated.
function normalizeScope(scope) {
    return [...new Set(String(scope || '').split(/[\s,]+/).filter(Boolean))];
}

function safeEqual(a, b) {
    const x = Buffer.from(String(a ?? ''));
    const y = Buffer.from(String(b ?? ''));
    return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function randomAlnum(n) {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from(crypto.randomBytes(n), (b) => chars[b % chars.length]).join('');
}

function redirect(res, location) {
    res.writeHead(302, { Location: location, 'Content-Length': 0, 'Cache-Control': 'no-store' });
    res.end();
}

const STYLE = 'body{font-family:system-ui,sans-serif;background:#f6f8fa;margin:0;padding:48px 16px}'
    + 'main{max-width:360px;margin:0 auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;'
    + 'padding:24px}h1{font-size:1.3em;margin:0 0 12px}label{display:block;margin:16px 0 4px}'
    + 'input{width:100%;box-sizing:border-box;padding:6px 8px;font-size:1em}button{margin-top:16px;'
    + 'width:100%;padding:8px;font-size:1em;border-radius:6px;border:1px solid #1f883d;background:#1f883d;'
    + 'color:#fff;cursor:pointer}button.secondary{background:#f6f8fa;color:#24292f;border-color:#d0d7de}'
    + '.hint{color:#57606a;font-size:.9em}.error{color:#cf222e}';

function sendPage(res, status, title, body) {
    const html = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">`
        + `<meta name="viewport" content="width=device-width, initial-scale=1">`
        + `<title>${escapeHtml(title)} · GitHub (test)</title><style>${STYLE}</style></head>`
        + `<body><main>${body}</main></body></html>\n`;
    res.writeHead(status, {
        'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-store',
    });
    res.end(html);
}

// The "Authorize <app>" page: the request's parameters ride along as hidden fields.
function consentPage(app, params, error) {
    const keep = ['client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'];
    const hidden = keep.filter((k) => params[k] !== undefined)
        .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params[k])}">`).join('');
    const scopes = normalizeScope(params.scope);
    return `<h1>Authorize ${escapeHtml(app.clientId)}</h1>`
        + `<p class="hint">wants access to: ${scopes.length ? escapeHtml(scopes.join(', ')) : 'public information only'}</p>`
        + (error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '')
        + `<form method="post" action="/login/oauth/authorize" id="authorize-form">${hidden}`
        + '<label for="login">Username</label>'
        + `<input id="login" name="login" value="${escapeHtml(params.login || '')}" autocomplete="username" autofocus required>`
        + `<p class="hint">Test users: ${Object.keys(USERS).join(', ')}</p>`
        + '<button type="submit" name="authorize" value="1" id="authorize">Authorize</button></form>'
        + `<form method="post" action="/login/oauth/authorize" id="cancel-form">${hidden}`
        + '<button type="submit" name="authorize" value="0" class="secondary" id="cancel">Cancel</button></form>';
}

// ---------------------------------------------------------------------------------------------

async function main() {
    const opts = parseOptions(process.argv.slice(2));
    const server = await listen(opts.port);
    const peer = new GitHubPeer(opts, server.address().port);
    server.on('request', (req, res) => {
        peer.handle(req, res).catch((err) => {
            console.error(`github peer: ${err.stack || err}`);
            if (!res.headersSent) sendJson(res, 500, { message: 'Server Error' });
            else res.destroy();
        });
    });
    exitOnSignals(server);
    announceReady(peer.base);
}

runMain('github.mjs', main);
