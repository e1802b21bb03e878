// SPDX-License-Identifier: Apache-2.0
// `Require nextauth-claim NAME VALUE…` against group claims shaped as Keycloak, Okta and
// Azure AD send them (three real oidc-provider peers, t/peers/oidc.mjs --groups-shape), with
// the token records in the default shmcb cache: exact values, `*` globs, arrays matching
// any element, nested names (realm_access.roles), inside <RequireAny> and <RequireAll>.
// alice is an admin in every shape (200), bob is not (403); nobody signed in is sent to
// sign in. NextAuthPassClaims cleans control characters out of a claim (mallory's name).
//   node --test t/tokens/claims.test.js
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
    startOp, startBackend, startHost, providerLine, viaProxy, navigate, assertToSignIn, freePort, Agent,
    CRASH, badLogLines,
} = require('./lib/stack');

const AZURE_ADMINS = '5b0a6c47-2a3e-4b7c-9d0e-1f2a3b4c5d6e';

// Per shape: location name → the Require lines inside it (one <Location /SHAPE/NAME>).
const RULES = {
    keycloak: {
        exact: ['Require nextauth-claim groups /admins'],
        glob: ['Require nextauth-claim groups /adm*'],
        nested: ['Require nextauth-claim realm_access.roles admin'],
        any: ['<RequireAny>', '    Require nextauth-claim groups /nope', '    Require nextauth-claim realm_access.roles admin', '</RequireAny>'],
        all: ['<RequireAll>', '    Require nextauth-claim groups /staff', '    Require nextauth-claim realm_access.roles admin uma_nope', '</RequireAll>'],
    },
    okta: {
        exact: ['Require nextauth-claim groups admins'],
        glob: ['Require nextauth-claim groups adm*ns *-admins'],
        any: ['<RequireAny>', '    Require nextauth-claim groups nope', '    Require nextauth-claim groups admins', '</RequireAny>'],
        all: ['<RequireAll>', '    Require nextauth-claim groups Everyone', '    Require nextauth-claim groups admins', '</RequireAll>'],
    },
    azure: {
        exact: [`Require nextauth-claim groups ${AZURE_ADMINS}`],
        glob: ['Require nextauth-claim groups 5b0a6c47-*'],
        roles: ['Require nextauth-claim roles Admin'],
        any: ['<RequireAny>', '    Require nextauth-claim roles Owner', `    Require nextauth-claim groups ${AZURE_ADMINS}`, '</RequireAny>'],
        all: ['<RequireAll>', '    Require valid-user', '    Require nextauth-claim roles Admin', '</RequireAll>'],
    },
};
// The provider id of each shape's OP.
const ID = { keycloak: 'kc', okta: 'okta', azure: 'az' };

function ruleConf() {
    const lines = [];
    for (const [shape, rules] of Object.entries(RULES)) {
        for (const [name, body] of Object.entries(rules)) {
            lines.push(`<Location /${shape}/${name}>`, '    AuthType NextAuth', ...body.map((l) => `    ${l}`), '</Location>');
        }
    }
    return lines;
}

function ruleFiles() {
    const files = {};
    for (const [shape, rules] of Object.entries(RULES)) {
        for (const name of Object.keys(rules)) files[`${shape}/${name}/index.html`] = `${shape} ${name}\n`;
    }
    return files;
}

describe('Require nextauth-claim on Keycloak-, Okta- and Azure-shaped groups', { timeout: 300000 }, () => {
    const ops = {};
    let backend;
    let host;

    before(async () => {
        const port = await freePort();
        await Promise.all(Object.entries(ID).map(async ([shape, id]) => {
            ops[shape] = await startOp({ ports: [port], ids: [id], args: ['--groups-shape', shape] });
        }));
        backend = await startBackend(null);
        host = await startHost({
            name: 'tokens-claims',
            port,
            providers: Object.entries(ID).map(([shape, id]) => providerLine(id, ops[shape])),
            files: ruleFiles(),
            conf: [
                // The default NextAuthTokenCache (shmcb).
                ...ruleConf(),
                '<Location /names>',
                '    AuthType NextAuth',
                '    Require valid-user',
                '    NextAuthPassClaims name,groups,realm_access.roles',
                `    ProxyPass ${backend.url}/names`,
                '</Location>',
            ].join('\n'),
        });
    });

    after(async () => {
        const log = host ? await host.stop('tokens-claims') : '';
        if (backend) await backend.stop();
        await Promise.all(Object.values(ops).map((p) => p.stop()));
        assert.doesNotMatch(log, CRASH);
        // bob's refusals are logged by mod_authz_core (AH01630/AH01631), as they should be.
        assert.deepEqual(badLogLines(log, [/AH0163[01]/]), [], 'error log');
    });

    const agents = {};
    const agentFor = async (shape, user) => {
        const key = `${shape}/${user}`;
        if (!agents[key]) {
            const agent = new Agent(`${host.url}/api/auth`);
            const res = await agent.signInAs(ID[shape], user);
            assert.equal(res.status, 302, `${key}: ${res.status} ${res.location} ${res.body.slice(0, 300)}`);
            agents[key] = agent;
        }
        return agents[key];
    };

    for (const [shape, rules] of Object.entries(RULES)) {
        it(`${shape}: alice 200, bob 403, nobody to sign in, for ${Object.keys(rules).join(', ')}`, async () => {
            const alice = await agentFor(shape, 'alice');
            const bob = await agentFor(shape, 'bob');
            for (const name of Object.keys(rules)) {
                const where = `${host.url}/${shape}/${name}/index.html`;
                const ok = await navigate(alice, where);
                assert.equal(ok.status, 200, `alice at /${shape}/${name}: ${ok.status} ${ok.body.slice(0, 200)}`);
                assert.equal(ok.body, `${shape} ${name}\n`);
                const no = await navigate(bob, where);
                assert.equal(no.status, 403, `bob at /${shape}/${name}: ${no.status}`);
                const anon = await navigate(new Agent(`${host.url}/api/auth`), where);
                assert.equal(anon.status, 302, `nobody at /${shape}/${name}`);
                assert.ok(anon.location.startsWith(`${host.url}/api/auth/signin`), anon.location);
                const api = await navigate(new Agent(`${host.url}/api/auth`), where, { accept: 'application/json' });
                assert.equal(api.status, 401, `nobody (JSON) at /${shape}/${name}`);
            }
        });
    }

    it('a user signed in elsewhere (another provider\'s groups) gets no admin rights here', async () => {
        // Okta's alice has groups "admins": Keycloak's rule wants "/admins".
        const oktaAlice = await agentFor('okta', 'alice');
        assert.equal((await navigate(oktaAlice, `${host.url}/keycloak/exact/index.html`)).status, 403);
        assert.equal((await navigate(oktaAlice, `${host.url}/keycloak/nested/index.html`)).status, 403);
    });

    it('NextAuthPassClaims: arrays comma-joined, nested names, control characters as spaces', async () => {
        const kc = await agentFor('keycloak', 'alice');
        const res = await viaProxy(kc, host, '/names/x', { 'x-nextauth-claim-name': 'forged' });
        assert.equal(res.status, 200, res.body.slice(0, 300));
        assert.equal(res.echo.claims.name, 'Alice Example');
        assert.equal(res.echo.claims.groups, '/admins,/staff');
        // X-NextAuth-Claim-Realm_access-Roles (or -Realm-Access-Roles): the nested name's parts.
        const nested = Object.keys(res.echo.claims).find((k) => /^realm[_-]access-roles$/.test(k));
        assert.ok(nested, `a header for realm_access.roles: ${JSON.stringify(res.echo.claims)}`);
        assert.equal(res.echo.claims[nested], 'admin,offline_access,uma_authorization');

        const mallory = new Agent(`${host.url}/api/auth`);
        const signedIn = await mallory.signInAs('okta', 'mallory');
        assert.equal(signedIn.status, 302);
        const m = await viaProxy(mallory, host, '/names/x');
        assert.equal(m.status, 200, m.body.slice(0, 300));
        assert.equal(m.echo.claims.name, 'Mallory  X-Evil: 1');
        assert.equal(m.echo.headers['x-evil'], undefined, 'no header split');
        assert.equal(m.echo.claims.groups, undefined, 'no groups claim, no header');
        assertToSignIn(await viaProxy(new Agent(`${host.url}/api/auth`), host, '/names/x'), host, 'nobody');
    });
});
