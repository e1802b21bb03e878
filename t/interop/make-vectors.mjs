// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the mod_nextauth authors
//
// Writes t/unit/vectors/nextauth-jwe.txt: session tokens minted by the real next-auth v4
// (`encode` from next-auth/jwt, secret "secret", empty salt, as a sign-in does), for
// t/unit/test_session.c to decode. Each line is TOKEN<TAB>CLAIMS<TAB>NOW, where CLAIMS is
// what next-auth's own `decode` returns for TOKEN and NOW is a time (Unix seconds) at
// which the token is valid. Lines starting with '#' are comments.
// Also writes t/unit/vectors/nextauth-jwe-reject.txt: TOKEN<TAB>NOW<TAB>WHAT, tokens under
// the same secret that the module must refuse (other enc, zip, bad exp/iat/nbf, check
// cookies), each noting whether next-auth's own decode accepts it.
//
// Usage (from the repository root):
//   node t/interop/make-vectors.mjs [DIR]
// where DIR is a directory whose node_modules holds next-auth@4 (default: the repository
// root, i.e. after `npm install`). For example, from a scratch install:
//   mkdir /tmp/na && cd /tmp/na && npm init -y && npm install next-auth@4 next react react-dom
//   cd - && node t/interop/make-vectors.mjs /tmp/na
// Tokens carry a random IV and jti and the time of the run, so every run gives new lines;
// the tests only need each line to be self-consistent.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const from = resolve(process.argv[2] ?? repo);
const require = createRequire(join(from, "package.json"));
const { encode, decode } = require("next-auth/jwt");
// package.json is not in next-auth's "exports"; read it next to the jwt entry point.
const jwtEntry = require.resolve("next-auth/jwt");
const version = JSON.parse(readFileSync(join(dirname(jwtEntry), "..", "package.json"))).version;

const SECRET = "secret";

// The payloads next-auth's sign-in builds (name, email, picture, sub), plus the cases that
// stress the C side: UTF-8 in two, three and four bytes, nulls, a value long enough to be
// chunked (over 3933 characters), our extra `provider` claim, and a short maxAge.
const cases = [
  { token: { name: "Jane Doe", email: "jane@example.com",
             picture: "https://example.com/jane.png", sub: "42" } },
  { token: { name: "김철수", email: "chulsoo@example.kr", picture: null, sub: "1001" } },
  { token: { name: "No Picture", email: "np@example.com", picture: null, sub: "7" } },
  { token: { name: null, email: null, picture: null, sub: "credentials-user" } },
  { token: { name: "Zoë 🚀 \"quoted\" \\ / \u0001", email: "zoe@example.com",
             picture: null, sub: "8" } },
  { token: { name: "Long " + "x".repeat(4500), email: "long@example.com",
             picture: "https://example.com/p.png", sub: "9" } },
  { token: { name: "Via GitHub", email: "gh@example.com", picture: null, sub: "10",
             provider: "github" } },
  { token: { name: "Short", email: "s@example.com", picture: null, sub: "11" }, maxAge: 60 },
];

const lines = [
  `# next-auth ${version} encode, secret "${SECRET}"; made by t/interop/make-vectors.mjs`,
  "# TOKEN<TAB>CLAIMS (next-auth decode of TOKEN)<TAB>NOW (Unix seconds, token valid)",
];
for (const c of cases) {
  const token = await encode({ token: c.token, secret: SECRET, maxAge: c.maxAge });
  const claims = await decode({ token, secret: SECRET });
  lines.push(`${token}\t${JSON.stringify(claims)}\t${claims.iat + 30}`);
}

// Tokens the module must refuse although next-auth's decode takes some of them (SPEC §16),
// made with the jose that next-auth itself uses and the same session key.
const jose = createRequire(jwtEntry)("jose");
const hkdf = createRequire(jwtEntry)("@panva/hkdf").default;
const key = await hkdf("sha256", SECRET, "", "NextAuth.js Generated Encryption Key", 32);
const now = Math.floor(Date.now() / 1000);
const user = { name: "Mallory", email: "m@example.com", picture: null, sub: "666" };
const jwt = (payload, header) => new jose.EncryptJWT(payload).setProtectedHeader(header);
const std = { alg: "dir", enc: "A256GCM" };
const reject = [
  ["enc A128CBC-HS256 with the session key",
   jwt(user, { alg: "dir", enc: "A128CBC-HS256" }).setIssuedAt(now)
     .setExpirationTime(now + 3600).encrypt(key)],
  ["zip DEF (deflated plaintext)",
   jwt(user, { ...std, zip: "DEF" }).setIssuedAt(now).setExpirationTime(now + 3600)
     .encrypt(key)],
  ["no exp", jwt(user, std).setIssuedAt(now).encrypt(key)],
  ["iat one hour in the future",
   jwt(user, std).setIssuedAt(now + 3600).setExpirationTime(now + 7200).encrypt(key)],
  ["exp 1e300", jwt({ ...user, exp: 1e300 }, std).setIssuedAt(now).encrypt(key)],
  ["exp 20 years ahead",
   jwt(user, std).setIssuedAt(now).setExpirationTime(now + 20 * 366 * 86400).encrypt(key)],
  ["exp not an integer", jwt({ ...user, exp: now + 3600.5 }, std).setIssuedAt(now).encrypt(key)],
  ["expired an hour ago",
   jwt(user, std).setIssuedAt(now - 7200).setExpirationTime(now - 3600).encrypt(key)],
  ["nbf one hour ahead",
   jwt(user, std).setIssuedAt(now).setNotBefore(now + 3600).setExpirationTime(now + 7200)
     .encrypt(key)],
  ["payload is a JSON array",
   new jose.CompactEncrypt(new TextEncoder().encode("[1,2]")).setProtectedHeader(std)
     .encrypt(key)],
  ["name is a number", jwt({ ...user, name: 5 }, std).setIssuedAt(now)
     .setExpirationTime(now + 3600).encrypt(key)],
  // Before 4.24.5 the check cookies shared the session key (GHSA-v64w-49xw-qq89).
  ["state check cookie payload under the session key (pre-4.24.5)",
   encode({ token: { value: "abc", provider: "github" }, secret: SECRET, maxAge: 900 })],
  ["state check cookie under its own key (salt next-auth.state)",
   encode({ token: { value: "abc", provider: "github" }, secret: SECRET, maxAge: 900,
            salt: "next-auth.state" })],
  ["session token under secret \"not-the-secret\"",
   encode({ token: user, secret: "not-the-secret" })],
];
const rlines = [
  `# next-auth ${version} / jose; tokens mod_nextauth refuses; made by t/interop/make-vectors.mjs`,
  "# TOKEN<TAB>NOW<TAB>WHAT (and whether next-auth's own decode accepts it)",
];
for (const [what, promise] of reject) {
  const token = await promise;
  const theirs = await decode({ token, secret: SECRET }).then(() => "accepts", () => "rejects");
  rlines.push(`${token}\t${now}\t${what}; next-auth ${theirs}`);
}

const dir = join(repo, "t", "unit", "vectors");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "nextauth-jwe.txt"), lines.join("\n") + "\n");
writeFileSync(join(dir, "nextauth-jwe-reject.txt"), rlines.join("\n") + "\n");
console.log(`wrote ${cases.length} + ${reject.length} vectors to ${dir} (next-auth ${version})`);
