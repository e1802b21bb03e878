// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the mod_nextauth authors
//
// Session tokens cross between mod_nextauth's core and the real next-auth v4, both ways.
// Needs build/interop/na_session_tool (t/interop/build.sh) and next-auth@4 in the
// repository's node_modules (npm install), or in NA_NEXTAUTH_DIR/node_modules.
//   t/interop/build.sh && node --test t/interop/jwt.test.js
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const { createRequire } = require("node:module");
const path = require("node:path");

const repo = path.resolve(__dirname, "..", "..");
const tool = path.join(repo, "build", "interop", "na_session_tool");
const from = path.resolve(process.env.NA_NEXTAUTH_DIR || repo);
const { encode, decode } = createRequire(path.join(from, "package.json"))("next-auth/jwt");

const SECRET = "secret";
const people = [
  { name: "Jane Doe", email: "jane@example.com", picture: "https://example.com/j.png", sub: "42" },
  { name: "김철수", email: "chulsoo@example.kr", picture: null, sub: "1001" },
  { name: null, email: null, picture: null, sub: "credentials-user" },
  { name: "Zoë 🚀 \"q\" \\ </script>", email: "z@example.com", picture: null, sub: "8",
    provider: "github" },
  { name: "Long " + "x".repeat(4500), email: "l@example.com", picture: null, sub: "9" },
];

function run(...args) {
  assert.ok(existsSync(tool), `${tool} is missing: run t/interop/build.sh first`);
  return spawnSync(tool, args, { encoding: "utf8" });
}

function ours(...args) {
  const r = run(...args);
  assert.equal(r.status, 0, `na_session_tool ${args[0]} failed: ${r.stderr}`);
  return r.stdout.trim();
}

test("a token from mod_nextauth decodes in next-auth with the same claims", async () => {
  for (const who of people) {
    const before = Math.floor(Date.now() / 1000);
    const token = ours("encode", SECRET, JSON.stringify(who), "3600");
    const got = await decode({ token, secret: SECRET });
    for (const k of ["name", "email", "picture", "sub"]) assert.equal(got[k], who[k], k);
    assert.equal(got.provider, who.provider);
    assert.ok(got.iat >= before && got.iat <= before + 5, "iat is now");
    assert.equal(got.exp - got.iat, 3600);
    assert.match(got.jti, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // our session id and sign-in time (issue 12): what a jwt callback would add
    assert.match(got.sid, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(got.auth_time, got.iat, "auth_time is the sign-in: now");
    // next-auth's key order, so the plaintext reads the same as one next-auth made whose
    // jwt callback added sid and auth_time
    assert.deepEqual(Object.keys(got), Object.keys({ ...who, sid: 0, auth_time: 0, iat: 0, exp: 0, jti: 0 }));
  }
});

test("a token from next-auth decodes in mod_nextauth with the same claims", async () => {
  for (const who of people) {
    const token = await encode({ token: who, secret: SECRET });
    const want = await decode({ token, secret: SECRET });
    assert.deepEqual(JSON.parse(ours("decode", SECRET, token)), want);
  }
});

test("a wrong secret fails both ways", async () => {
  const who = people[0];
  const token = ours("encode", SECRET, JSON.stringify(who), "3600");
  await assert.rejects(decode({ token, secret: "not-the-secret" }));
  const theirs = await encode({ token: who, secret: "not-the-secret" });
  const r = run("decode", SECRET, theirs);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "");
});

test("next-auth's check cookies and laxer tokens are refused", async () => {
  // GHSA-v64w-49xw-qq89: a state cookie (own salt) is never a session.
  const state = await encode({ token: { value: "v", provider: "github" }, secret: SECRET,
                               salt: "next-auth.state", maxAge: 900 });
  assert.equal(run("decode", SECRET, state).status, 1);
  // next-auth itself accepts a token without exp; we do not.
  const jwtEntry = createRequire(path.join(from, "package.json")).resolve("next-auth/jwt");
  const jose = createRequire(jwtEntry)("jose");
  const hkdf = createRequire(jwtEntry)("@panva/hkdf").default;
  const key = await hkdf("sha256", SECRET, "", "NextAuth.js Generated Encryption Key", 32);
  const noExp = await new jose.EncryptJWT({ sub: "1" })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" }).setIssuedAt().encrypt(key);
  assert.ok(await decode({ token: noExp, secret: SECRET }));
  assert.equal(run("decode", SECRET, noExp).status, 1);
});

test("the tool refuses bad usage", () => {
  assert.equal(run().status, 2);
  assert.equal(run("encode", SECRET, "[]", "60").status, 2);
  assert.equal(run("encode", SECRET, "{}", "0").status, 1);
});
