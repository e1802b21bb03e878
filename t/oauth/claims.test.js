// SPDX-License-Identifier: Apache-2.0
// The claims an OpenID Provider sends are cleaned before they name anyone (issue 11 item 2),
// against the real oidc-provider peer (t/peers/oidc.mjs) and its hostile test users:
// - an e-mail the IdP marks email_verified=false (carol, mallory) names no session, no
//   Require nextauth-email match and no REMOTE_USER, unless the provider says trustEmail=on;
// - the ID token's e-mail is folded as the e-mail provider folds it (dave's mixed case), and
//   one that is no single address (eve's "a@b@c") is dropped;
// - a name with CR/LF and a javascript: picture never reach the session.
// Before the fix the ID token's claims were taken as sent: mallory, who may register any
// address at her IdP, was "Alice@Example.COM" and passed `Require nextauth-email
// *@example.com`.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startStack, Agent, assertSignedIn, badLogLines } = require('./lib/oauth');

const SECRET = 'claims-test-secret';
const redirects = (httpdUrl, ids) =>
    ids.flatMap((id) => ['--redirect-uri', `${httpdUrl}/api/auth/callback/${id}`]);

describe('OpenID Connect claims: email_verified, folding, hostile values', { timeout: 120000 }, () => {
    let stack;
    let base;
    let site;

    before(async () => {
        stack = await startStack({
            name: 'oauth-claims',
            peers: { idp: { kind: 'oidc', args: (u) => ['--client-id', 'app', '--client-secret',
                SECRET, ...redirects(u, ['oidc', 'trusting'])] } },
            providers: (p) => [
                `oidc type=oidc issuer=${p.idp} clientId=app clientSecret=${SECRET}`,
                `trusting type=oidc issuer=${p.idp} clientId=app clientSecret=${SECRET} trustEmail=on`,
            ],
            files: { 'corp/index.html': 'CORP-ONLY-CONTENT\n' },
            extraConf: [
                '<Location /corp/>',
                '    AuthType NextAuth',
                '    Require nextauth-email *@example.com',
                '</Location>',
            ].join('\n'),
        });
        base = stack.base;
        site = stack.httpd.url;
    });

    after(async () => {
        if (!stack) return;
        const log = await stack.stop();
        // mod_authz_core logs its refusals of signed-in users at error level.
        assert.deepEqual(badLogLines(log, [/AH01631: user oidc:(?:mallory|eve): /]), [],
            'error log');
    });

    async function signedIn(provider, user) {
        const agent = new Agent(base);
        assertSignedIn(await agent.signInAs(provider, user), `${site}/`);
        return { agent, session: await agent.session() };
    }

    async function corp(agent) {
        const res = await agent.request(`${site}/corp/index.html`);
        return { status: res.status, granted: res.body.includes('CORP-ONLY-CONTENT') };
    }

    it('a verified address: kept, and it opens the location that asks for it', async () => {
        const { agent, session } = await signedIn('oidc', 'alice');
        assert.equal(session.user.email, 'alice@example.com');
        assert.deepEqual(await corp(agent), { status: 200, granted: true });
    });

    it('email_verified=false: no e-mail in the session, a log line says why', async () => {
        const mark = stack.httpd.errorLog().length;
        const { session } = await signedIn('oidc', 'carol');
        assert.ok(!session.user.email, `carol's unverified address leaked: ${session.user.email}`);
        assert.equal(session.user.name, 'Carol Mixed-Case');
        assert.match(stack.httpd.errorLog().slice(mark),
            /NA00092: oidc: the e-mail in the ID token of carol is marked email_verified=false/);
    });

    it("someone else's unverified address opens nothing: Require nextauth-email refuses", async () => {
        const { agent, session } = await signedIn('oidc', 'mallory');
        assert.ok(!session.user.email, `mallory became ${session.user.email}`);
        const res = await corp(agent);
        assert.equal(res.granted, false, 'mallory reached the *@example.com location');
        assert.ok([401, 403].includes(res.status), `status ${res.status}`);
    });

    it('hostile name and picture: no CR/LF in the name, no javascript: image', async () => {
        const { session } = await signedIn('oidc', 'mallory');
        assert.doesNotMatch(session.user.name, /[\r\n]/);
        assert.equal(session.user.name, 'Mallory  X-Evil: 1');
        assert.ok(!session.user.image, `image: ${session.user.image}`);
    });

    it('trustEmail=on keeps an unverified address, folded as the e-mail provider folds it',
        async () => {
            const { session } = await signedIn('trusting', 'carol');
            assert.equal(session.user.email, 'carol.mixed@example.com');
        });

    it('a verified mixed-case address is folded (one user however it is spelled)', async () => {
        const { session } = await signedIn('oidc', 'dave');
        assert.equal(session.user.email, 'dave.mixed@example.com');
    });

    it('a claim that is no single address ("a@b@c") is dropped, even verified', async () => {
        const { agent, session } = await signedIn('oidc', 'eve');
        assert.ok(!session.user.email, `eve became ${session.user.email}`);
        assert.equal((await corp(agent)).granted, false);
    });
});
