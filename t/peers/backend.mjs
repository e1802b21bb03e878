#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// A tiny HTTP backend for mod_proxy in the token tests: every request is answered with a JSON
// echo of what reached it (method, path, headers, the X-NextAuth-Claim-* headers, the client
// address and the X-Forwarded-* facts). A request with `Authorization: Bearer <token>` also
// gets the token introspected at the OpenID Provider (RFC 7662, HTTP Basic client
// credentials), the way a resource server checks it: active, sub, client_id, exp.
//
//   node t/peers/backend.mjs --port 8090 [--issuer URL --client-id ID --client-secret SECRET]
//        [--no-test-api]
//
// Prints `ready <url>` on stdout once listening; exits 0 on SIGTERM. GET /__test/stats counts
// the requests (echo, introspection) and keeps the last echo.

import {
    parseArgv, runMain, TestMode, Stats, handleTestApi, sendJson, listen, exitOnSignals,
    announceReady,
} from './lib/common.mjs';

const USAGE = 'usage: backend.mjs --port N [--issuer URL --client-id ID --client-secret SECRET] [--no-test-api]';
const FLAGS = new Set(['no-test-api', 'help']);
const INTROSPECTION_TIMEOUT_MS = 5000;

function parseOptions(argv) {
    const opts = { port: 8090, issuer: undefined, clientId: undefined, clientSecret: undefined, testApi: true };
    for (const [name, value] of parseArgv(argv, FLAGS)) {
        switch (name) {
        case 'port': opts.port = Number(value); break;
        case 'issuer': opts.issuer = value.replace(/\/+$/, ''); break;
        case 'client-id': opts.clientId = value; break;
        case 'client-secret': opts.clientSecret = value; break;
        case 'no-test-api': opts.testApi = false; break;
        case 'help': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
        default: throw new Error(`unknown option --${name}\n${USAGE}`);
        }
    }
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port: 0..65535');
    if (opts.issuer && !(opts.clientId && opts.clientSecret)) {
        throw new Error('--issuer needs --client-id and --client-secret (the introspection credentials)');
    }
    return opts;
}

// The X-NextAuth-Claim-<Name> headers as { name: value } (lower-cased names, as they arrive).
function claimHeaders(headers) {
    const out = {};
    for (const [name, value] of Object.entries(headers)) {
        const m = /^x-nextauth-claim-(.+)$/.exec(name);
        if (m) out[m[1]] = value;
    }
    return out;
}

function bearerOf(headers) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization || '');
    return m ? m[1] : null;
}

class Backend {
    constructor(opts) {
        this.opts = opts;
        this.stats = new Stats();
        this.mode = new TestMode({});
        this.endpoint = null; // the OP's introspection_endpoint, from its discovery, once
    }

    async introspectionEndpoint() {
        if (!this.endpoint) {
            const res = await fetch(`${this.opts.issuer}/.well-known/openid-configuration`,
                { signal: AbortSignal.timeout(INTROSPECTION_TIMEOUT_MS) });
            const disc = await res.json();
            if (!disc.introspection_endpoint) throw new Error('the OP has no introspection_endpoint');
            this.endpoint = disc.introspection_endpoint;
        }
        return this.endpoint;
    }

    // RFC 7662 at the OP. Errors come back as { error } so the echo still answers.
    async introspect(token) {
        if (!this.opts.issuer) return { error: 'no --issuer: introspection is off' };
        this.stats.hit('introspection');
        try {
            const basic = Buffer.from(`${encodeURIComponent(this.opts.clientId)}:`
                + `${encodeURIComponent(this.opts.clientSecret)}`).toString('base64');
            const res = await fetch(await this.introspectionEndpoint(), {
                method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
                body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
                signal: AbortSignal.timeout(INTROSPECTION_TIMEOUT_MS),
            });
            const json = await res.json();
            if (res.status !== 200) return { error: `HTTP ${res.status}: ${json.error}` };
            const { active, sub, client_id: clientId, exp, scope } = json;
            return { active, sub, client_id: clientId, exp, scope };
        } catch (err) {
            return { error: String(err.message || err) };
        }
    }

    async handle(req, res) {
        const url = new URL(req.url, 'http://backend.invalid');
        if (this.opts.testApi && await handleTestApi(req, res, url, { mode: this.mode, stats: this.stats })) return;
        req.resume(); // a body, if any, is not echoed
        const bearer = bearerOf(req.headers);
        const echo = {
            method: req.method,
            path: url.pathname,
            query: url.search,
            httpVersion: req.httpVersion,
            remoteAddress: req.socket.remoteAddress,
            forwarded: {
                for: req.headers['x-forwarded-for'] ?? null,
                host: req.headers['x-forwarded-host'] ?? null,
                server: req.headers['x-forwarded-server'] ?? null,
            },
            headers: req.headers,
            claims: claimHeaders(req.headers),
            bearer,
            introspection: bearer ? await this.introspect(bearer) : null,
        };
        this.stats.hit('echo', { path: echo.path, bearer: bearer !== null });
        sendJson(res, 200, echo);
    }
}

async function main() {
    const opts = parseOptions(process.argv.slice(2));
    const server = await listen(opts.port);
    const backend = new Backend(opts);
    server.on('request', (req, res) => {
        backend.handle(req, res).catch((err) => {
            if (!res.headersSent) sendJson(res, 500, { error: String(err.message || err) });
        });
    });
    exitOnSignals(server);
    announceReady(`http://127.0.0.1:${server.address().port}`);
}

runMain('backend.mjs', main);
