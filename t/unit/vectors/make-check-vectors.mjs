// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the mod_nextauth authors
//
// Writes t/unit/vectors/nextauth-checks.txt: state, PKCE and nonce cookies minted by the
// real next-auth v4 (the `create` functions of core/lib/oauth/checks.js, which seal
// {value, provider} with `encode` from next-auth/jwt, salt = the cookie name), with the
// authorization parameter each one goes with, for t/unit/test_oauth.c to open.
// Each line, fields separated by tabs:
//   COOKIE_NAME PROVIDER PARAM PARAM_VALUE TOKEN PAYLOAD NOW EXPECT
// PARAM is what went into the authorization URL (state, code_challenge or nonce), PAYLOAD
// what next-auth's own `decode` returns for TOKEN, NOW a time (Unix seconds) at which the
// cookie is valid, EXPECT "ok" or "noprovider" (a cookie of next-auth 4.24.5 to 4.24.14,
// sealed without the provider, which 4.24.15 and the module refuse). Secret "secret".
// Lines starting with '#' are comments.
//
// Usage (from the repository root, after `npm install`):
//   node t/unit/vectors/make-check-vectors.mjs [DIR]
// where DIR holds node_modules/next-auth@4 (default: the repository root).
// Cookies carry a random IV, value and jti and the time of the run, so every run gives
// new lines; the tests only need each line to be self-consistent.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..", "..");
const from = resolve(process.argv[2] ?? repo);
const require = createRequire(join(from, "package.json"));
const jwtEntry = require.resolve("next-auth/jwt");
const nextAuthDir = join(dirname(jwtEntry), "..");
const { encode, decode } = require("next-auth/jwt");
// Not in next-auth's "exports": load the files themselves, by path.
const checks = require(join(nextAuthDir, "core", "lib", "oauth", "checks.js"));
const { defaultCookies } = require(join(nextAuthDir, "core", "lib", "cookie.js"));
const version = JSON.parse(readFileSync(join(nextAuthDir, "package.json"))).version;

const SECRET = "secret";
const logger = { debug() {}, error() {}, warn() {} };

// The options next-auth's authorization-url.ts hands to checks.*.create.
function options(providerId, providerChecks, secure) {
  return {
    provider: { id: providerId, checks: providerChecks },
    cookies: defaultCookies(secure),
    jwt: { secret: SECRET },
    logger,
  };
}

const lines = [
  `# next-auth ${version} check cookies, secret "${SECRET}"; ` +
    "made by t/unit/vectors/make-check-vectors.mjs",
  "# COOKIE_NAME\tPROVIDER\tPARAM\tPARAM_VALUE\tTOKEN\tPAYLOAD\tNOW\tEXPECT",
];

async function add(name, provider, param, paramValue, token, expect) {
  const payload = await decode({ token, secret: SECRET, salt: name });
  lines.push([name, provider, param, paramValue, token, JSON.stringify(payload),
              payload.iat + 30, expect].join("\t"));
}

const cases = [
  ["github", ["state"], false],
  ["google", ["pkce", "state"], true],
  ["keycloak", ["pkce", "state", "nonce"], false],
  ["oidc-test", ["nonce"], true],
];
const paramOf = { state: "state", pkceCodeVerifier: "code_challenge", nonce: "nonce" };
for (const [id, providerChecks, secure] of cases) {
  const opts = options(id, providerChecks, secure);
  const cookies = [];
  const params = {};
  await checks.state.create(opts, cookies, params);
  await checks.pkce.create(opts, cookies, params);
  await checks.nonce.create(opts, cookies, params);
  for (const c of cookies) {
    const type = Object.keys(opts.cookies).find((k) => opts.cookies[k].name === c.name);
    await add(c.name, id, paramOf[type], params[paramOf[type]], c.value, "ok");
  }
}

// What 4.24.5 to 4.24.14 sealed: the same key, no provider member.
for (const name of ["next-auth.state", "__Secure-next-auth.pkce.code_verifier"]) {
  const token = await encode({ token: { value: "legacy-value" }, secret: SECRET, maxAge: 900,
                               salt: name });
  await add(name, "github", "-", "-", token, "noprovider");
}

const out = join(here, "nextauth-checks.txt");
writeFileSync(out, lines.join("\n") + "\n");
console.log(`wrote ${lines.length - 2} check cookies to ${out} (next-auth ${version})`);
