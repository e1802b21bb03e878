// SPDX-License-Identifier: Apache-2.0
// Signs in to mod_nextauth through an OAuth/OIDC provider (t/peers/oidc.mjs's login form) as
// a browser would, and prints the Cookie header of the session:
// `node bench/nextauth-oidc-login.mjs http://127.0.0.1:PORT/api/auth PROVIDER_ID [username]`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Agent, SESSION } = require('../t/oauth/lib/oauth.js');

const [base, provider, username = 'alice'] = process.argv.slice(2);
if (!base || !provider) {
    console.error('usage: nextauth-oidc-login.mjs BASE_URL PROVIDER_ID [username]');
    process.exit(2);
}
const agent = new Agent(base);
const res = await agent.signInAs(provider, username);
if (res.status !== 302 || !agent.hasSession()) {
    console.error(`sign-in through ${provider} answered ${res.status}: ${res.body.slice(0, 300)}`);
    process.exit(1);
}
const cookie = [...agent.cookies].filter(([name]) => name === SESSION || name.startsWith(`${SESSION}.`))
    .map(([name, value]) => `${name}=${value}`).join('; ');
process.stdout.write(cookie);
