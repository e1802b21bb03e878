#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// A real OpenID Provider on loopback for mod_nextauth's tests and `make run` demo: npm
// `oidc-provider` (v8) with confidential clients, an in-memory account store, signing keys made
// at start, RP-initiated logout and a minimal login page of our own (devInteractions off).
// Test-only switches (see README.md) bend single endpoints into bad responses; without them
// this is a standard oidc-provider.
//
//   node t/peers/oidc.mjs --port 8082 [--issuer URL] [--alg RS256|PS256|ES256]
//        [--client-id ID --client-secret SECRET --redirect-uri URI ... [--auth-method M]
//         [--post-logout-redirect-uri URI ...]] ... [--no-iss] [--require-pkce]
//        [--rotate-after N] [--post-logout-same-origin] [--strict-auth-method]
//        [--access-token-ttl SECONDS] [--rotate-refresh] [--introspection]
//        [--introspector ID:SECRET] [--groups-shape keycloak|okta|azure]
//        [--mode NAME=VALUE ...] [--no-test-api]
//        [--backchannel-logout-uri URI (after a --client-id)] [--no-backchannel-advertised]
//        [--resource URL ...]
//
// Refresh tokens come with every authorization code (offline_access or not), so a relying
// party can refresh; --rotate-refresh makes each refresh hand out a new one, and oidc-provider
// then refuses a used one with invalid_grant (and revokes the grant), as strict IdPs do.
//
// Prints `ready <issuer>` on stdout once listening; exits 0 on SIGTERM.

import * as crypto from 'node:crypto';
import { promisify } from 'node:util';
import { AsyncLocalStorage } from 'node:async_hooks';

import {
    parseArgv, runMain, TestMode, Stats, FAILURES, sendFailure, needsRealResponse, escapeHtml,
    readBody, parseBody, handleTestApi, sendJson, recordHeaders, avatarSvg, listen,
    exitOnSignals, announceReady,
} from './lib/common.mjs';

// oidc-provider prints notices with console.info; stdout is reserved for the `ready` line.
console.info = (...args) => console.error(...args);
// Its in-memory store is the point of a throw-away test provider: drop that one warning.
const warn = console.warn;
// The token endpoint's body is read here first (to tell a refresh from a code exchange), and
// oidc-provider warns once that it then takes the parsed one: that is intended.
console.warn = (...args) => {
    if (!/in-memory adapter|already parsed request body/.test(String(args[0]))) warn(...args);
};
// Loaded in main(), while the first signing key is being generated (both take a while).
let Provider;
let ProviderErrors;

// ---------------------------------------------------------------------------------------------
// Test users (no passwords: this is a fixture; the login form asks for a username only)

const USERS = {
    alice: {
        email: 'alice@example.com', email_verified: true, name: 'Alice Example',
        given_name: 'Alice', family_name: 'Example', preferred_username: 'alice', avatar: true,
    },
    bob: {
        email: 'bob@example.com', email_verified: true, name: 'Bob Example',
        given_name: 'Bob', family_name: 'Example', preferred_username: 'bob', avatar: true,
    },
    // Mixed-case, unverified e-mail and no picture: the edges of the profile mapping.
    carol: {
        email: 'Carol.Mixed@Example.COM', email_verified: false, name: 'Carol Mixed-Case',
        preferred_username: 'carol', avatar: false,
    },
    // Mixed-case and verified: the same person however the IdP spells the address.
    dave: {
        email: 'Dave.Mixed@Example.COM', email_verified: true, name: 'Dave Mixed-Case',
        preferred_username: 'dave', avatar: false,
    },
    // Hostile claims from an IdP anyone can register at: someone else's address, not
    // verified; a name that would split a header; a script as the picture.
    mallory: {
        email: 'Alice@Example.COM', email_verified: false, name: 'Mallory\r\nX-Evil: 1',
        preferred_username: 'mallory', avatar: false, picture: 'javascript:alert(1)',
    },
    // A verified claim that is no single address.
    eve: {
        email: 'eve@example.com@evil.example', email_verified: true, name: 'Eve',
        preferred_username: 'eve', avatar: false,
    },
};

// Group claims as three IdPs shape them (--groups-shape), for alice (an admin) and bob (not).
// Keycloak: group paths plus realm roles; Okta: group names; Azure AD: group object ids and
// app roles.
export const AZURE_GROUPS = {
    admins: '5b0a6c47-2a3e-4b7c-9d0e-1f2a3b4c5d6e',
    staff: '9e8d7c6b-5a49-4838-a726-15f4e3d2c1b0',
};
const GROUP_SHAPES = {
    keycloak: {
        alice: { groups: ['/admins', '/staff'], realm_access: { roles: ['admin', 'offline_access', 'uma_authorization'] } },
        bob: { groups: ['/staff'], realm_access: { roles: ['offline_access', 'uma_authorization'] } },
    },
    okta: {
        alice: { groups: ['admins', 'Everyone'] },
        bob: { groups: ['Everyone'] },
    },
    azure: {
        alice: { groups: [AZURE_GROUPS.admins, AZURE_GROUPS.staff], roles: ['Admin'] },
        bob: { groups: [AZURE_GROUPS.staff], roles: ['Reader'] },
    },
};
const GROUP_CLAIMS = ['groups', 'realm_access', 'roles'];

// The scopes of every --resource (its access tokens carry those the client asked for).
const RESOURCE_SCOPES = 'api:read api:write';

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// extraTokenClaims: the user's e-mail in an access token for a resource (none for
// client_credentials, none in the relying party's opaque tokens).
function resourceTokenClaims(token) {
    if (!token.resourceServer || !token.accountId || !USERS[token.accountId]) return undefined;
    return { email: USERS[token.accountId].email };
}

const SCOPE_CLAIMS = {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'picture'],
};

function userClaims(sub, issuer, groupsShape) {
    const { avatar, ...user } = USERS[sub];
    const claims = { sub, ...user };
    if (avatar) claims.picture = `${issuer}/avatars/${sub}.svg`;
    if (groupsShape) Object.assign(claims, GROUP_SHAPES[groupsShape][sub] || {});
    return claims;
}

// The scopes' claims; with a groups shape, the profile scope carries the group claims too
// (in the ID token and at userinfo, like the Keycloak/Okta/Azure mappers that add them).
function scopeClaims(groupsShape) {
    if (!groupsShape) return SCOPE_CLAIMS;
    return { ...SCOPE_CLAIMS, profile: [...SCOPE_CLAIMS.profile, ...GROUP_CLAIMS] };
}

// ---------------------------------------------------------------------------------------------
// Switches (README.md lists them with what each does)

const ID_TOKEN_MODES = [
    'wrong-iss', 'wrong-aud', 'wrong-azp', 'multi-aud-no-azp', 'expired', 'iat-future',
    'alg-none', 'unknown-key', 'hmac-pubkey', 'tampered', 'wrong-nonce', 'no-nonce',
];
const SWITCHES = {
    discovery: [...FAILURES, 'wrong-issuer'],
    jwks: [...FAILURES, 'flood', 'no-keys'],
    token: [...FAILURES],
    // Only the refresh_token grant, which is then not run (the OP's tokens stay as they were).
    refresh: [...FAILURES],
    userinfo: [...FAILURES, 'wrong-sub'],
    id_token: ID_TOKEN_MODES,
    authorize: ['error', 'wrong-iss', 'no-iss'],
};

// ---------------------------------------------------------------------------------------------
// Command line

const USAGE = 'usage: oidc.mjs --port N [--issuer URL] [--alg RS256|PS256|ES256] '
    + '[--client-id ID --client-secret S --redirect-uri URI... [--auth-method M] '
    + '[--post-logout-redirect-uri URI...]]... [--no-iss] [--require-pkce] [--rotate-after N] '
    + '[--post-logout-same-origin] [--strict-auth-method] [--advertise-auth-method M]... '
    + '[--access-token-ttl SECONDS] [--rotate-refresh] [--introspection] [--introspector ID:SECRET] '
    + '[--groups-shape keycloak|okta|azure] [--mode NAME=VALUE]... [--no-test-api] '
    + '[--backchannel-logout-uri URI] [--no-backchannel-advertised] [--resource URL]...';
const FLAGS = new Set(['no-iss', 'require-pkce', 'post-logout-same-origin', 'strict-auth-method', 'no-test-api', 'help',
    'rotate-refresh', 'introspection', 'no-backchannel-advertised']);
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];
const ALGS = ['RS256', 'PS256', 'ES256'];

// The demo's client when none is given: mod_nextauth on http://127.0.0.1:8080 (conf/demo.conf).
const DEFAULT_CLIENT = {
    client_id: 'mod_nextauth-demo',
    client_secret: 'mod_nextauth-demo-secret',
    redirect_uris: ['http://127.0.0.1:8080/api/auth/callback/oidc'],
};

function parseOptions(argv) {
    const opts = {
        port: 8082, issuer: undefined, alg: 'RS256', authMethod: 'client_secret_basic',
        clients: [], iss: true, requirePkce: false, rotateAfter: 0, postLogoutSameOrigin: false, strictAuth: false,
        advertised: [], accessTokenTtl: 3600, rotateRefresh: false, introspection: false,
        introspectors: [], groupsShape: undefined,
        mode: new TestMode(SWITCHES), testApi: true, backchannelAdvertised: true, resources: [],
    };
    let client = null;
    const needClient = (name) => {
        if (!client) throw new Error(`--${name} must follow a --client-id`);
        return client;
    };
    for (const [name, value] of parseArgv(argv, FLAGS)) {
        switch (name) {
        case 'port': opts.port = Number(value); break;
        case 'issuer': opts.issuer = value.replace(/\/+$/, ''); break;
        case 'alg':
            if (!ALGS.includes(value)) throw new Error(`--alg must be one of ${ALGS.join(', ')}`);
            opts.alg = value;
            break;
        case 'client-id':
            client = { client_id: value, redirect_uris: [], post_logout_redirect_uris: [] };
            opts.clients.push(client);
            break;
        case 'client-secret': needClient(name).client_secret = value; break;
        case 'redirect-uri': needClient(name).redirect_uris.push(value); break;
        case 'post-logout-redirect-uri': needClient(name).post_logout_redirect_uris.push(value); break;
        case 'backchannel-logout-uri': needClient(name).backchannel_logout_uri = absoluteUrl(name, value); break;
        case 'no-backchannel-advertised': opts.backchannelAdvertised = false; break;
        case 'resource': opts.resources.push(absoluteUrl(name, value)); break;
        case 'auth-method':
            if (!AUTH_METHODS.includes(value)) throw new Error(`--auth-method: ${AUTH_METHODS.join(' or ')}`);
            // After a --client-id it is that client's; before any, the default for all.
            if (client) client.token_endpoint_auth_method = value; else opts.authMethod = value;
            break;
        case 'no-iss': opts.iss = false; break;
        case 'require-pkce': opts.requirePkce = true; break;
        case 'rotate-after': opts.rotateAfter = Number(value); break;
        case 'post-logout-same-origin': opts.postLogoutSameOrigin = true; break;
        case 'strict-auth-method': opts.strictAuth = true; break;
        case 'advertise-auth-method':
            // Repeatable: discovery's token_endpoint_auth_methods_supported becomes exactly
            // these (e.g. only client_secret_post, which a relying party must then use).
            if (!AUTH_METHODS.includes(value)) throw new Error(`--advertise-auth-method: ${AUTH_METHODS.join(' or ')}`);
            opts.advertised.push(value);
            break;
        case 'access-token-ttl': opts.accessTokenTtl = Number(value); break;
        case 'rotate-refresh': opts.rotateRefresh = true; break;
        case 'introspection': opts.introspection = true; break;
        case 'introspector': opts.introspectors.push(parseIntrospector(value)); opts.introspection = true; break;
        case 'groups-shape':
            if (!GROUP_SHAPES[value]) throw new Error(`--groups-shape: ${Object.keys(GROUP_SHAPES).join(', ')}`);
            opts.groupsShape = value;
            break;
        case 'mode': opts.mode.setFromArg(value); break;
        case 'no-test-api': opts.testApi = false; break;
        case 'help': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
        default: throw new Error(`unknown option --${name}\n${USAGE}`);
        }
    }
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port: 0..65535');
    if (!Number.isInteger(opts.rotateAfter) || opts.rotateAfter < 0) throw new Error('--rotate-after: N >= 0');
    if (!Number.isInteger(opts.accessTokenTtl) || opts.accessTokenTtl < 1) throw new Error('--access-token-ttl: SECONDS >= 1');
    if (opts.clients.length === 0) opts.clients.push({ ...DEFAULT_CLIENT, post_logout_redirect_uris: [] });
    for (const c of opts.clients) {
        if (!c.client_secret) throw new Error(`client ${c.client_id} needs --client-secret`);
        if (c.redirect_uris.length === 0) throw new Error(`client ${c.client_id} needs --redirect-uri`);
    }
    return opts;
}

// An absolute http(s) URL without a fragment (what oidc-provider accepts as a resource
// indicator or a back-channel logout URI).
function absoluteUrl(name, value) {
    let url;
    try { url = new URL(value); } catch { throw new Error(`--${name} wants an absolute URL`); }
    if (!/^https?:$/.test(url.protocol) || url.hash) throw new Error(`--${name} wants an http(s) URL without #`);
    return value;
}

// --introspector ID:SECRET: a resource server's credentials, good for nothing but introspection.
function parseIntrospector(value) {
    const colon = value.indexOf(':');
    if (colon <= 0 || colon === value.length - 1) throw new Error('--introspector wants ID:SECRET');
    return { client_id: value.slice(0, colon), client_secret: value.slice(colon + 1) };
}

// A resource server's registration: no redirect URIs, no grants, client_secret_basic.
function introspectorMetadata(c) {
    return {
        ...c, client_name: c.client_id, redirect_uris: [], response_types: [], grant_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
    };
}

// The registered client metadata. Without an explicit post-logout URI, each redirect URI's
// origin + "/" is registered, which is where mod_nextauth's default callbackUrl points.
function clientMetadata(c, opts) {
    const postLogout = c.post_logout_redirect_uris.length > 0
        ? c.post_logout_redirect_uris
        : [...new Set(c.redirect_uris.map((u) => `${new URL(u).origin}/`))];
    return {
        client_id: c.client_id,
        client_secret: c.client_secret,
        client_name: c.client_id,
        redirect_uris: c.redirect_uris,
        post_logout_redirect_uris: postLogout,
        response_types: ['code'],
        // With resource servers, a client may also get tokens for itself (client_credentials).
        grant_types: ['authorization_code', 'refresh_token', ...(opts.resources.length ? ['client_credentials'] : [])],
        token_endpoint_auth_method: c.token_endpoint_auth_method || opts.authMethod,
        id_token_signed_response_alg: opts.alg,
        ...(c.backchannel_logout_uri
            ? { backchannel_logout_uri: c.backchannel_logout_uri, backchannel_logout_session_required: true }
            : {}),
    };
}

// ---------------------------------------------------------------------------------------------
// Keys

const generateKeyPair = promisify(crypto.generateKeyPair);

// A private signing key as a JWK with a fresh kid, plus its node KeyObject for our own signing.
// Generated off the main thread: an RSA key can take most of a second on a busy machine.
async function makeKey(alg) {
    const pair = alg === 'ES256'
        ? await generateKeyPair('ec', { namedCurve: 'P-256' })
        : await generateKeyPair('rsa', { modulusLength: 2048 });
    const kid = `${alg.toLowerCase()}-${crypto.randomBytes(6).toString('base64url')}`;
    return {
        kid, alg, privateKey: pair.privateKey, publicKey: pair.publicKey,
        jwk: { ...pair.privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
    };
}

const b64u = (value) => Buffer.from(value).toString('base64url');

// Compact JWS over `header`/`payload`, done here (not by oidc-provider) for the id_token switches.
function signJws(header, payload, alg, key) {
    const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
    const data = Buffer.from(input);
    let sig;
    switch (alg) {
    case 'RS256': sig = crypto.sign('sha256', data, key); break;
    case 'PS256':
        sig = crypto.sign('sha256', data, {
            key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32,
        });
        break;
    case 'ES256': sig = crypto.sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }); break;
    case 'HS256': sig = crypto.createHmac('sha256', key).update(data).digest(); break;
    case 'none': sig = Buffer.alloc(0); break;
    default: throw new Error(`cannot sign ${alg}`);
    }
    return `${input}.${b64u(sig)}`;
}

function decodeJws(jws) {
    const [h, p, s] = jws.split('.');
    return {
        header: JSON.parse(Buffer.from(h, 'base64url')),
        payload: JSON.parse(Buffer.from(p, 'base64url')),
        parts: [h, p, s],
    };
}

// ---------------------------------------------------------------------------------------------
// The peer

class OidcPeer {
    constructor(opts, port, firstKey) {
        this.opts = opts;
        this.issuer = opts.issuer || `http://127.0.0.1:${port}`;
        this.mount = new URL(this.issuer).pathname.replace(/\/+$/, '');
        this.clients = opts.clients.map((c) => clientMetadata(c, opts));
        this.introspectors = opts.introspectors.map(introspectorMetadata);
        // Grant ids per account, from the code exchanges: POST /__test/revoke ends them.
        this.grants = new Map();
        this.keys = [firstKey];
        // Signs the id_token=unknown-key tokens. Made in the background from the start: an
        // RSA key made on first use can take longer than a relying party's timeout on a
        // loaded machine, and the test would then see a slow token endpoint instead.
        this.strangerKey = null;
        this.strangerKeyMade = makeKey(opts.alg);
        this.strangerKeyMade.catch(() => {});
        this.floodKeys = null;
        this.cookieKeys = [crypto.randomBytes(32).toString('base64url')];
        this.mode = opts.mode;
        this.stats = new Stats();
        this.idTokensIssued = 0;
        this.build();
    }

    // (Re)builds the oidc-provider instance from the current keys. Rotation builds a new one
    // with the new key first (oidc-provider signs with the first key that fits the alg) and the
    // old ones still published; sessions, interactions and codes live in oidc-provider's
    // module-wide memory adapter and cookies use the same keys, so flows in progress go on.
    build() {
        const provider = new Provider(this.issuer, this.configuration());
        provider.proxy = false;
        if (this.opts.postLogoutSameOrigin) allowSameOriginPostLogout(provider);
        if (this.opts.strictAuth) strictClientAuthMethod(provider);
        provider.use(this.middleware());
        provider.on('server_error', (ctx, err) => console.error(`oidc peer: server_error: ${err.stack || err}`));
        this.countBackchannel(provider);
        this.provider = provider;
        this.handler = provider.callback();
    }

    // The logout tokens oidc-provider POSTs when an OP session ends, counted so that a test can
    // wait for the delivery: backchannel_ok (the client answered 200/204), backchannel_error.
    countBackchannel(provider) {
        provider.on('backchannel.success', (ctx, client, sub, sid) => {
            this.stats.hit('backchannel_ok', { client_id: client.clientId, sub, sid });
        });
        provider.on('backchannel.error', (ctx, err, client, sub, sid) => {
            console.error(`oidc peer: back-channel logout to ${client.backchannelLogoutUri}: ${err.message}`);
            this.stats.hit('backchannel_error', { client_id: client.clientId, sub, sid, error: err.message });
        });
    }

    async rotate() {
        this.keys.unshift(await makeKey(this.opts.alg));
        this.keys.length = Math.min(this.keys.length, 5);
        this.build();
        return { kid: this.keys[0].kid, kids: this.keys.map((k) => k.kid) };
    }

    configuration() {
        return {
            clients: [...this.clients, ...this.introspectors],
            ...(this.opts.advertised.length > 0 ? { clientAuthMethods: this.opts.advertised } : {}),
            clientDefaults: {
                grant_types: ['authorization_code', 'refresh_token'],
                response_types: ['code'],
                id_token_signed_response_alg: this.opts.alg,
                token_endpoint_auth_method: this.opts.authMethod,
            },
            jwks: { keys: this.keys.map((k) => k.jwk) },
            cookies: {
                keys: this.cookieKeys,
                // Lax (not oidc-provider's default None): browsers drop SameSite=None cookies
                // that are not Secure, and this peer speaks plain HTTP on loopback.
                long: { httpOnly: true, sameSite: 'lax', signed: true },
                short: { httpOnly: true, sameSite: 'lax', signed: true },
            },
            scopes: ['openid', 'email', 'profile'],
            responseTypes: ['code'],
            claims: scopeClaims(this.opts.groupsShape),
            // Put the scope's claims in the ID token too (as Google, Keycloak and Auth0 do), since
            // next-auth reads the profile from the ID token when there is one.
            conformIdTokenClaims: false,
            pkce: { methods: ['S256'], required: () => this.opts.requirePkce },
            features: {
                devInteractions: { enabled: false },
                rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
                userinfo: { enabled: true },
                introspection: {
                    enabled: this.opts.introspection,
                    // Any confidential client (the relying party, a resource server) may ask.
                    allowedPolicy: async (ctx, client) => client.clientAuthMethod !== 'none',
                },
                // On as soon as one client has a back-channel logout URI: discovery then says
                // backchannel_logout_supported and ID tokens carry sid.
                backchannelLogout: { enabled: this.clients.some((c) => c.backchannel_logout_uri) },
                clientCredentials: { enabled: this.opts.resources.length > 0 },
                resourceIndicators: this.resourceIndicators(),
            },
            // The user's e-mail in a JWT access token for a resource (RFC 9068 allows any claim).
            extraTokenClaims: async (ctx, token) => resourceTokenClaims(token),
            // A refresh token with every code, offline_access or not (Keycloak, Okta and Azure
            // hand one out to a confidential web client), living as long as the grant.
            issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
            expiresWithSession: async () => false,
            rotateRefreshToken: this.opts.rotateRefresh,
            interactions: { url: (ctx, interaction) => `${this.mount}/interaction/${interaction.uid}` },
            // First-party test clients: grant the requested scopes without a consent screen.
            loadExistingGrant: (ctx) => loadOrGrant(ctx),
            findAccount: (ctx, sub) => (USERS[sub]
                ? { accountId: sub, claims: async () => userClaims(sub, this.issuer, this.opts.groupsShape) }
                : undefined),
            renderError,
            ttl: {
                AccessToken: this.opts.accessTokenTtl, AuthorizationCode: 600, IdToken: 3600, Interaction: 3600,
                Session: 14 * 24 * 3600, Grant: 14 * 24 * 3600,
            },
        };
    }

    // --resource URL: JWT access tokens (RFC 9068, typ at+jwt, signed with the OP's key) for
    // that audience, asked for with resource= (authorization request, token request or
    // client_credentials). No default resource: a client that names none (the relying party)
    // keeps getting opaque tokens that work at userinfo.
    resourceIndicators() {
        return {
            enabled: true,
            useGrantedResource: async () => true,
            getResourceServerInfo: async (ctx, indicator) => {
                if (!this.opts.resources.includes(indicator)) throw new ProviderErrors.InvalidTarget();
                return {
                    scope: RESOURCE_SCOPES, audience: indicator, accessTokenTTL: this.opts.accessTokenTtl,
                    accessTokenFormat: 'jwt', jwt: { sign: { alg: this.opts.alg } },
                };
            },
        };
    }

    // POST /__test/sign {header, payload[, key: "stranger"]}: the compact JWS of `payload`
    // signed with the current signing key (or a key not in the JWKS), header's alg and kid
    // filled in unless given; alg "none" gets no kid unless given. For forging tokens that are
    // validly signed but wrong in some other way (a logout token with a nonce, say).
    async signForTest(req) {
        const { header = {}, payload, key: which } = parseBody(await readBody(req), req.headers['content-type']);
        if (!isObject(header) || !isObject(payload)) throw new Error('sign wants {"header": {...}, "payload": {...}}');
        if (which !== undefined && which !== 'stranger') throw new Error('key: only "stranger"');
        const key = which === 'stranger' ? await this.strangerKeyMade : this.keys[0];
        const alg = header.alg ?? key.alg;
        if (alg !== key.alg && alg !== 'none') throw new Error(`alg: ${key.alg} or none`);
        const full = alg === 'none' ? { alg, ...header } : { alg, kid: key.kid, ...header };
        return { jws: signJws(full, payload, alg, key.privateKey), header: full };
    }

    // Koa middleware in front of oidc-provider's router: our own login pages, the avatars,
    // the /__test API and the switches.
    middleware() {
        return async (ctx, next) => {
            const path = ctx.path;
            if (path.startsWith('/__test/')) {
                if (!this.opts.testApi) return next();
                ctx.respond = false;
                await handleTestApi(ctx.req, ctx.res, new URL(ctx.href), {
                    mode: this.mode, stats: this.stats,
                    extra: {
                        'POST /__test/rotate': async () => this.rotate(),
                        'POST /__test/revoke': async (req, url) => this.revoke(req, url),
                        'POST /__test/sign': async (req) => this.signForTest(req),
                    },
                });
                return undefined;
            }
            const avatar = /^\/avatars\/([a-z]+)\.svg$/.exec(path);
            if (avatar && USERS[avatar[1]]) {
                ctx.type = 'image/svg+xml';
                ctx.body = avatarSvg(avatar[1]);
                return undefined;
            }
            if (path.startsWith('/interaction/')) {
                this.stats.hit('interaction');
                return this.interaction(ctx);
            }
            await this.route(ctx, next);
            // Whichever endpoint ends the flow (authorization, its resume, an abort) sends the
            // authorization response as a redirect to the client; adjust its iss there.
            if (ctx.respond !== false) this.adjustAuthorizationResponse(ctx);
            return undefined;
        };
    }

    route(ctx, next) {
        switch (this.routeOf(ctx.path)) {
        case 'discovery': return this.discovery(ctx, next);
        case 'jwks': return this.jwks(ctx, next);
        case 'authorization': return this.authorization(ctx, next);
        case 'token': return this.token(ctx, next);
        case 'userinfo': return this.userinfo(ctx, next);
        case 'end_session':
            this.stats.hit('end_session', { query: { ...ctx.query } });
            return next();
        default: return next();
        }
    }

    routeOf(path) {
        if (path === '/.well-known/openid-configuration') return 'discovery';
        for (const name of ['jwks', 'authorization', 'token', 'userinfo', 'end_session']) {
            if (path === this.provider.pathFor(name, { mountPath: '' })) return name;
        }
        return null;
    }

    // ---- endpoints with switches --------------------------------------------------------

    async discovery(ctx, next) {
        this.stats.hit('discovery');
        await next();
        if (ctx.status !== 200 || !ctx.body) return;
        if (!this.opts.iss) ctx.body.authorization_response_iss_parameter_supported = false;
        if (!this.opts.backchannelAdvertised) {
            delete ctx.body.backchannel_logout_supported;
            delete ctx.body.backchannel_logout_session_supported;
        }
        const kind = this.mode.get('discovery');
        if (kind === 'wrong-issuer') ctx.body.issuer = `${this.issuer}/not-this-issuer`;
        else if (kind) this.fail(ctx, kind);
    }

    async jwks(ctx, next) {
        this.stats.hit('jwks');
        const kind = this.mode.get('jwks');
        if (kind && !needsRealResponse(kind) && FAILURES.includes(kind)) return this.fail(ctx, kind);
        await next();
        if (kind === 'flood') ctx.body = { keys: [...ctx.body.keys, ...this.flood()] };
        else if (kind === 'no-keys') ctx.body = { keys: [] };
        else if (kind) this.fail(ctx, kind);
        return undefined;
    }

    // `keys` public EC keys with kids nobody signs with (made once per count, then reused).
    flood() {
        const count = this.mode.get('keys');
        if (!this.floodKeys || this.floodKeys.length !== count) {
            this.floodKeys = Array.from({ length: count }, (_, i) => {
                const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
                return { ...publicKey.export({ format: 'jwk' }), kid: `flood-${i}`, alg: 'ES256', use: 'sig' };
            });
        }
        return this.floodKeys;
    }

    async authorization(ctx, next) {
        this.stats.hit('authorization', { query: { ...ctx.query } });
        if (this.mode.get('authorize') === 'error') return this.authorizationError(ctx, next);
        return next();
    }

    // authorize=error: answer the authorization request at once with error= (default
    // access_denied) and an error_description carrying markup, as a hostile or broken IdP might.
    // Only to a registered redirect_uri, like a real error response.
    async authorizationError(ctx, next) {
        const { client_id: clientId, redirect_uri: redirectUri, state } = ctx.query;
        const client = this.clients.find((c) => c.client_id === clientId);
        if (!client || !client.redirect_uris.includes(redirectUri)) return next();
        const target = new URL(redirectUri);
        target.searchParams.set('error', this.mode.get('error') || 'access_denied');
        target.searchParams.set('error_description', this.mode.get('error_description')
            ?? '<script>alert("xss")</script>The user denied the request');
        if (state !== undefined) target.searchParams.set('state', state);
        target.searchParams.set('iss', this.issuer);
        this.rewriteIss(target);
        ctx.status = 303;
        ctx.redirect(target.href);
        return undefined;
    }

    // The authorization response (success or error) leaves through a 303 to a registered
    // redirect_uri from whichever endpoint finished the flow; this adjusts its RFC 9207 iss.
    adjustAuthorizationResponse(ctx) {
        const location = ctx.response.get('Location');
        if (ctx.status < 300 || ctx.status > 399 || !location) return;
        let target;
        try { target = new URL(location); } catch { return; }
        const bare = `${target.origin}${target.pathname}`;
        if (!this.clients.some((c) => c.redirect_uris.includes(bare))) return;
        if (this.rewriteIss(target)) ctx.set('Location', target.href);
    }

    rewriteIss(target) {
        const kind = this.mode.get('authorize');
        if (!this.opts.iss || kind === 'no-iss') {
            target.searchParams.delete('iss');
            return true;
        }
        if (kind === 'wrong-iss') {
            target.searchParams.set('iss', 'http://127.0.0.1:1/not-the-issuer');
            return true;
        }
        return false;
    }

    async token(ctx, next) {
        const refreshing = (await peekGrantType(ctx)) === 'refresh_token';
        const fault = refreshing ? this.mode.get('refresh') : undefined;
        const kind = this.mode.get('token');
        if (fault) return this.refreshFault(ctx, fault);
        if (kind && !needsRealResponse(kind)) {
            this.stats.hit('token', { headers: recordHeaders(ctx.headers) });
            if (refreshing) this.stats.hit('refresh', { headers: recordHeaders(ctx.headers), fault: kind });
            return this.fail(ctx, kind);
        }
        await requestContext.run(ctx, next);
        this.stats.hit('token', { headers: recordHeaders(ctx.headers), body: ctx.oidc?.body, status: ctx.status });
        if (refreshing) this.countRefresh(ctx); else this.noteGrant(ctx);
        const body = ctx.body;
        if (ctx.status === 200 && body && typeof body.id_token === 'string') {
            const idMode = this.mode.get('id_token');
            if (idMode) body.id_token = await this.badIdToken(body.id_token, idMode);
            this.idTokensIssued += 1;
            if (this.opts.rotateAfter && this.idTokensIssued % this.opts.rotateAfter === 0) await this.rotate();
        }
        if (kind) this.fail(ctx, kind);
        return undefined;
    }

    // The refresh switch: the failure, the grant left unrun so the refresh token stays good
    // (the answers that need a body get one with an access token this OP never issued).
    refreshFault(ctx, kind) {
        const headers = recordHeaders(ctx.headers);
        this.stats.hit('token', { headers });
        this.stats.hit('refresh', { headers, fault: kind });
        const fake = {
            access_token: `fault-${crypto.randomBytes(16).toString('base64url')}`,
            token_type: 'Bearer', expires_in: this.opts.accessTokenTtl, scope: 'openid email profile',
        };
        return this.fail(ctx, kind, { status: 200, body: JSON.stringify(fake) });
    }

    // counts.refresh: refresh_token grants; counts.refresh_refused: those refused with
    // invalid_grant (a used, revoked or unknown refresh token).
    countRefresh(ctx) {
        const body = ctx.body || {};
        const detail = {
            headers: recordHeaders(ctx.headers), status: ctx.status, error: body.error,
            error_description: body.error_description, rotated: typeof body.refresh_token === 'string',
        };
        this.stats.hit('refresh', detail);
        if (ctx.status === 400 && body.error === 'invalid_grant') this.stats.hit('refresh_refused', detail);
    }

    // Remembers the grant of a code exchange under its account, for POST /__test/revoke.
    noteGrant(ctx) {
        const grant = ctx.oidc?.entities?.Grant;
        if (ctx.status !== 200 || !grant) return;
        if (!this.grants.has(grant.accountId)) this.grants.set(grant.accountId, new Set());
        this.grants.get(grant.accountId).add(grant.jti);
    }

    // POST /__test/revoke?sub=alice: ends every grant of that user made here, with its
    // access and refresh tokens, as an admin revoking a session at the IdP would; the next
    // refresh is refused with invalid_grant.
    async revoke(req, url) {
        const body = parseBody(await readBody(req), req.headers['content-type']);
        const sub = url.searchParams.get('sub') || body.sub;
        if (!sub || !USERS[sub]) throw new Error('revoke wants sub=<a test user>');
        const ids = [...(this.grants.get(sub) || [])];
        await Promise.all(ids.map((id) => revokeGrant(this.provider, id)));
        this.grants.delete(sub);
        return { sub, revoked: ids.length };
    }

    async userinfo(ctx, next) {
        this.stats.hit('userinfo', { headers: recordHeaders(ctx.headers) });
        const kind = this.mode.get('userinfo');
        if (kind && FAILURES.includes(kind) && !needsRealResponse(kind)) return this.fail(ctx, kind);
        await next();
        if (kind === 'wrong-sub' && ctx.status === 200 && ctx.body) ctx.body = { ...ctx.body, sub: 'mallory' };
        else if (kind && kind !== 'wrong-sub') this.fail(ctx, kind);
        return undefined;
    }

    // Re-issues the provider's ID token with one defect (id_token switch).
    async badIdToken(idToken, kind) {
        const { header, payload, parts } = decodeJws(idToken);
        const key = this.keys[0];
        const now = Math.floor(Date.now() / 1000);
        const resign = (p, h = header) => signJws(h, p, key.alg, key.privateKey);
        switch (kind) {
        case 'wrong-iss': return resign({ ...payload, iss: 'http://127.0.0.1:1/not-the-issuer' });
        case 'wrong-aud': return resign({ ...payload, aud: 'another-client' });
        case 'wrong-azp': return resign({ ...payload, aud: [payload.aud, 'another-client'], azp: 'another-client' });
        case 'multi-aud-no-azp': {
            const { azp, ...rest } = payload;
            return resign({ ...rest, aud: [payload.aud, 'another-client'] });
        }
        case 'expired': return resign({ ...payload, iat: now - 7200, exp: now - 3600 });
        case 'iat-future': return resign({ ...payload, iat: now + 3600, exp: now + 7200 });
        case 'wrong-nonce': return resign({ ...payload, nonce: 'not-the-nonce-you-sent' });
        case 'no-nonce': {
            const { nonce, ...rest } = payload;
            return resign(rest);
        }
        case 'alg-none': {
            const { kid, ...rest } = header;
            return signJws({ ...rest, alg: 'none' }, payload, 'none');
        }
        case 'unknown-key': {
            // A fresh kid every time, so a relying party that refetches the JWKS on an unknown
            // kid can be shown to throttle (GET /__test/stats counts the JWKS fetches).
            if (!this.strangerKey) {
                this.strangerKey = key.alg === this.opts.alg ? await this.strangerKeyMade
                    : await makeKey(key.alg);
            }
            const kid = `unknown-${crypto.randomBytes(6).toString('base64url')}`;
            return signJws({ ...header, kid }, payload, key.alg, this.strangerKey.privateKey);
        }
        case 'hmac-pubkey': {
            // The classic key-confusion token: HS256 keyed with the real public key (PEM).
            const pem = key.publicKey.export({ type: 'spki', format: 'pem' });
            return signJws({ ...header, alg: 'HS256' }, payload, 'HS256', pem);
        }
        case 'tampered': {
            // Someone else's identity under the original signature.
            const forged = { ...payload, sub: 'mallory', email: 'mallory@example.com', name: 'Mallory' };
            return `${parts[0]}.${b64u(JSON.stringify(forged))}.${parts[2]}`;
        }
        default: throw new Error(`unknown id_token mode ${kind}`);
        }
    }

    // Replaces the response with failure `kind`, written straight to the socket.
    fail(ctx, kind, real = { status: ctx.status, body: ctx.body === undefined ? undefined : JSON.stringify(ctx.body) }) {
        ctx.respond = false;
        for (const name of ctx.res.getHeaderNames()) ctx.res.removeHeader(name);
        sendFailure(ctx.res, kind, this.mode, real);
    }

    // ---- login page -------------------------------------------------------------------------

    // GET /interaction/:uid          the login form (or, for consent, an automatic grant)
    // POST /interaction/:uid/login   username=<user> finishes the login
    // POST /interaction/:uid/abort   the user cancels: error=access_denied to the client
    async interaction(ctx) {
        const m = /^\/interaction\/([^/]+)(?:\/(login|abort))?$/.exec(ctx.path);
        if (!m) ctx.throw(404);
        const [, uid, action] = m;
        let details;
        try {
            details = await this.provider.interactionDetails(ctx.req, ctx.res);
        } catch (err) {
            return sendPage(ctx, 400, 'Sign-in expired', `<p>${escapeHtml(err.message)}. `
                + 'Start again from the application.</p>');
        }
        if (details.uid !== uid) return sendPage(ctx, 400, 'Sign-in expired', '<p>Unknown interaction.</p>');
        const client = await this.provider.Client.find(details.params.client_id);

        if (ctx.method === 'GET' && !action) {
            if (details.prompt.name === 'consent') return this.finish(ctx, await consentResult(this.provider, details));
            return sendPage(ctx, 200, 'Sign in', loginForm(this.mount, uid, client));
        }
        if (ctx.method === 'POST' && action === 'abort') {
            return this.finish(ctx, { error: 'access_denied', error_description: 'End-User aborted interaction' }, false);
        }
        if (ctx.method === 'POST' && action === 'login') {
            const form = parseBody(await readBody(ctx.req), ctx.get('content-type'));
            const login = String(form.login || '').trim().toLowerCase();
            if (!USERS[login]) {
                return sendPage(ctx, 200, 'Sign in', loginForm(this.mount, uid, client, `Unknown user "${login}".`));
            }
            return this.finish(ctx, { login: { accountId: login } }, false);
        }
        return ctx.throw(405);
    }

    async finish(ctx, result, merge = true) {
        const returnTo = await this.provider.interactionResult(ctx.req, ctx.res, result,
            { mergeWithLastSubmission: merge });
        ctx.status = 303;
        ctx.redirect(returnTo);
    }
}

// ---------------------------------------------------------------------------------------------
// Grants, logout pages

// A grant for the scopes (and claims) this request asks for, reused when one exists: the
// clients here are first-party, so there is no consent screen.
async function loadOrGrant(ctx) {
    const { oidc } = ctx;
    const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
    let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
    if (!grant) grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
    grant.addOIDCScope(String(oidc.params.scope || 'openid'));
    // resource=: the resource scopes asked for, so the code gives a token for that audience.
    const asked = new Set(String(oidc.params.scope || '').split(' '));
    for (const [indicator, server] of Object.entries(oidc.resourceServers || {})) {
        const scopes = server.scope.split(' ').filter((s) => asked.has(s));
        if (scopes.length) grant.addResourceScope(indicator, scopes.join(' '));
    }
    if (oidc.claims) {
        const names = Object.values(oidc.claims).flatMap((c) => Object.keys(c || {}));
        if (names.length) grant.addOIDCClaims(names);
    }
    await grant.save();
    return grant;
}

// Consent still asked for (e.g. a claims parameter the grant lacks): grant what is missing.
async function consentResult(provider, details) {
    const { prompt: { details: missing }, params, session, grantId } = details;
    const grant = grantId
        ? await provider.Grant.find(grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scope] of Object.entries(missing.missingResourceScopes || {})) {
        grant.addResourceScope(indicator, scope.join(' '));
    }
    return { consent: { grantId: await grant.save() } };
}

// The token request's grant_type, read ahead of oidc-provider: the body is read here and left
// in req.body, which oidc-provider's body parser takes when the stream is used up.
async function peekGrantType(ctx) {
    if (ctx.method !== 'POST' || !ctx.req.readable || !ctx.is('application/x-www-form-urlencoded')) return undefined;
    let text;
    try {
        text = await readBody(ctx.req, 56 * 1024);
    } catch {
        return undefined;
    }
    ctx.req.body = text;
    return new URLSearchParams(text).get('grant_type') || undefined;
}

// Every token of a grant, and the grant itself.
async function revokeGrant(provider, grantId) {
    await Promise.all(['AccessToken', 'RefreshToken', 'AuthorizationCode']
        .map((model) => provider[model].adapter.revokeByGrantId(grantId)));
    await provider.Grant.adapter.destroy(grantId);
}

// The token request being served, for strictClientAuthMethod (oidc-provider v8 passes no
// context to the Client methods).
const requestContext = new AsyncLocalStorage();

// --strict-auth-method: oidc-provider accepts client_secret_basic and client_secret_post
// interchangeably for a client registered with either; some providers do not, and
// mod_nextauth must use the method configured for the provider. The secret check is where
// both methods meet, so it also checks the method: a client_secret in the body is _post.
function strictClientAuthMethod(provider) {
    const { prototype } = provider.Client;
    const compare = prototype.compareClientSecret;
    prototype.compareClientSecret = function sameMethod(actual) {
        const ctx = requestContext.getStore();
        if (ctx?.oidc?.params) {
            const used = ctx.oidc.params.client_secret !== undefined ? 'client_secret_post' : 'client_secret_basic';
            if (used !== this.clientAuthMethod) return false;
        }
        return compare.call(this, actual);
    };
}

// post_logout_redirect_uri may be any URL on the origin of a registered one (opt-in,
// --post-logout-same-origin): mod_nextauth sends the validated callbackUrl, which can be any
// page of the site, and registering each page would make the tests brittle.
function allowSameOriginPostLogout(provider) {
    const { prototype } = provider.Client;
    const exact = prototype.postLogoutRedirectUriAllowed;
    prototype.postLogoutRedirectUriAllowed = function sameOrigin(value) {
        if (exact.call(this, value)) return true;
        let origin;
        try { origin = new URL(value).origin; } catch { return false; }
        return this.postLogoutRedirectUris.some((u) => new URL(u).origin === origin);
    };
}

const STYLE = 'body{font-family:system-ui,sans-serif;background:#f4f4f5;margin:0;padding:48px 16px}'
    + 'main{max-width:340px;margin:0 auto;background:#fff;border-radius:8px;padding:24px 28px;'
    + 'box-shadow:0 1px 4px rgba(0,0,0,.15)}h1{font-size:1.4em;margin:0 0 8px}'
    + 'label{display:block;margin:16px 0 4px}input{width:100%;box-sizing:border-box;padding:8px;'
    + 'font-size:1em}button{margin-top:16px;width:100%;padding:10px;font-size:1em;border:0;'
    + 'border-radius:4px;background:#2563eb;color:#fff;cursor:pointer}button.secondary{'
    + 'background:#e4e4e7;color:#111}.hint{color:#555;font-size:.9em}.error{color:#b91c1c}';

function sendPage(ctx, status, title, body) {
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page(title, body);
}

function page(title, body) {
    return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">`
        + `<meta name="viewport" content="width=device-width, initial-scale=1">`
        + `<title>${escapeHtml(title)} · Test OpenID Provider</title><style>${STYLE}</style></head>`
        + `<body><main>${body}</main></body></html>\n`;
}

function loginForm(mount, uid, client, error) {
    const base = `${mount}/interaction/${encodeURIComponent(uid)}`;
    const who = client ? escapeHtml(client.clientName || client.clientId) : 'the application';
    return `<h1>Sign in</h1><p>to continue to <b>${who}</b></p>`
        + (error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '')
        + `<form method="post" action="${base}/login" id="login-form">`
        + '<label for="login">Username</label>'
        + '<input id="login" name="login" autocomplete="username" autofocus required>'
        + `<p class="hint">Test users: ${Object.keys(USERS).join(', ')}</p>`
        + '<button type="submit" id="login-submit">Sign in</button></form>'
        + `<form method="post" action="${base}/abort" id="abort-form">`
        + '<button type="submit" class="secondary" id="abort">Cancel</button></form>';
}

// The RP-initiated logout confirmation. `form` is oidc-provider's hidden form (xsrf); the
// "Yes" button sits inside it with logout=yes so a scripted client can submit it as is.
async function logoutSource(ctx, form) {
    const yes = '<button type="submit" name="logout" value="yes" id="logout-yes" autofocus>'
        + 'Yes, sign me out</button>';
    const inner = form.replace('</form>', `${yes}</form>`);
    ctx.body = page('Sign out', `<h1>Sign out</h1><p>Do you want to sign out of ${escapeHtml(ctx.host)}?</p>`
        + `${inner}<form method="post" action="${escapeHtml(new URL(ctx.oidc.urlFor('end_session_confirm')).pathname)}">`
        + `<input type="hidden" name="xsrf" value="${escapeHtml(ctx.oidc.session.state.secret)}">`
        + '<button type="submit" class="secondary" id="logout-no">No, stay signed in</button></form>');
}

async function postLogoutSuccessSource(ctx) {
    ctx.body = page('Signed out', '<h1>Signed out</h1><p>You have been signed out.</p>');
}

async function renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error', `<h1>Error</h1>${Object.entries(out)
        .map(([k, v]) => `<p><b>${escapeHtml(k)}</b>: <span class="${escapeHtml(k)}">${escapeHtml(v)}</span></p>`)
        .join('')}`);
}

// ---------------------------------------------------------------------------------------------

async function main() {
    const opts = parseOptions(process.argv.slice(2));
    const [server, firstKey, module] = await Promise.all([
        listen(opts.port), makeKey(opts.alg), import('oidc-provider'),
    ]);
    Provider = module.default;
    ProviderErrors = module.errors;
    const peer = new OidcPeer(opts, server.address().port, firstKey);
    server.on('request', (req, res) => {
        // An issuer with a path (http://127.0.0.1:8082/realms/test) is served as a mount point,
        // the way express mounts oidc-provider: it sees the rest of the path, and builds its
        // URLs with the mount from req.originalUrl.
        if (peer.mount) {
            if (req.url !== peer.mount && !req.url.startsWith(`${peer.mount}/`)) {
                sendJson(res, 404, { error: 'not_found' });
                return;
            }
            req.originalUrl = req.url;
            req.url = req.url.slice(peer.mount.length) || '/';
        }
        peer.handler(req, res);
    });
    exitOnSignals(server);
    announceReady(peer.issuer);
}

runMain('oidc.mjs', main);
