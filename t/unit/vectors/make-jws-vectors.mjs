// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the mod_nextauth authors
//
// Writes t/unit/vectors/jws/*.json for t/unit/test_jws.c and t/unit/test_idtoken.c:
//   jwks.json          the identity provider's public JWKS: RSA 2048 "rsa-1" (no alg),
//                      RSA 2048 "rsa-alg" (alg RS256), P-256 "ec-256", P-384 "ec-384",
//                      P-521 "ec-521", plus keys the module must skip: an RSA key with
//                      use "enc", an Ed25519 (OKP) key and an oct (HMAC) key;
//   jwks-rotated.json  the same set after the IdP added RSA 2048 "rsa-2";
//   jwks-ec256.json    only "ec-256" (kid-less tokens for algs without a fitting key);
//   tokens.json        { issuer, client_id, nonce, now, claims, cases: [{ name, jwks, token,
//                      want }] } where `want` is the na_status_t name the C verifier must return
//                      (NA_OK, NA_EINPUT or NA_EDENIED) and `now` is a time at which the
//                      claims are valid.
// Tokens are signed with the `jose` package next-auth installs (node_modules/jose, 4.x) or
// with node:crypto for the forgeries jose refuses to make. Every case is also run through
// jose's own verifier against the same JWKS as a sanity check: the valid ones must pass
// and the forged ones must fail, or this script stops.
//
// Usage (from the repository root, after `npm install`):
//   node t/unit/vectors/make-jws-vectors.mjs
// Keys are fresh on every run, so every run gives new files; the tests only need the files
// to be consistent with each other.
import { createRequire } from "node:module";
import { constants, createHmac, sign as nodeSign } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const require = createRequire(join(repo, "package.json"));
const jose = require("jose");
const out = join(repo, "t", "unit", "vectors", "jws");

const ISSUER = "https://idp.example.com";
const CLIENT_ID = "mod-nextauth";
const NONCE = "n-0S6_WzA2Mj";
const NOW = 1767225600; // 2026-01-01T00:00:00Z

const claims = {
  iss: ISSUER,
  sub: "248289761001",
  aud: CLIENT_ID,
  exp: NOW + 3600,
  iat: NOW,
  nonce: NONCE,
  name: "Jöhn Dœ",
  email: "john@example.com",
  email_verified: true,
  picture: "https://example.com/john.png",
  preferred_username: "john",
};

const b64u = (buf) => Buffer.from(buf).toString("base64url");
const b64json = (obj) => b64u(JSON.stringify(obj));

async function keyPair(alg, opts = {}) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, opts);
  return { publicKey, privateKey, jwk: await jose.exportJWK(publicKey) };
}

const rsa1 = await keyPair("RS256", { modulusLength: 2048 });
const rsaAlg = await keyPair("RS256", { modulusLength: 2048 });
const rsa2 = await keyPair("RS256", { modulusLength: 2048 });
const rsaEnc = await keyPair("RS256", { modulusLength: 2048 });
const ec256 = await keyPair("ES256");
const ec384 = await keyPair("ES384");
const ec521 = await keyPair("ES512");
const ed = await keyPair("EdDSA", { crv: "Ed25519" });
const evilRsa = await keyPair("RS256", { modulusLength: 2048 });
const evil256 = await keyPair("ES256");

const publicKeys = [
  { ...rsa1.jwk, kid: "rsa-1", use: "sig" },
  { ...rsaAlg.jwk, kid: "rsa-alg", use: "sig", alg: "RS256" },
  { ...ec256.jwk, kid: "ec-256", use: "sig" },
  { ...ec384.jwk, kid: "ec-384", use: "sig" },
  { ...ec521.jwk, kid: "ec-521" },
  { ...rsaEnc.jwk, kid: "rsa-enc", use: "enc" },
  { ...ed.jwk, kid: "ed", use: "sig" },
  { kty: "oct", kid: "hmac", k: b64u(Buffer.from("a shared secret the IdP leaked")) },
];
const jwksFiles = {
  "jwks.json": { keys: publicKeys },
  "jwks-rotated.json": { keys: [...publicKeys, { ...rsa2.jwk, kid: "rsa-2", use: "sig" }] },
  "jwks-ec256.json": { keys: [publicKeys[2]] },
};

// A signed token through jose; `header` lands in the protected header as given.
async function jws(key, header, payload = claims) {
  return new jose.CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader(header)
    .sign(key);
}

// The classic key-confusion forgery: HMAC keyed with the public key's bytes.
function hmac(alg, secret, header, payload = claims) {
  const input = `${b64json({ ...header, alg })}.${b64json(payload)}`;
  const hash = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }[alg];
  return `${input}.${b64u(createHmac(hash, secret).update(input).digest())}`;
}

// RS256 by hand, for headers jose will not sign (crit, duplicate members, odd kid types).
function rs256Raw(headerText, payload = claims) {
  const input = `${b64u(headerText)}.${b64json(payload)}`;
  return `${input}.${b64u(nodeSign("sha256", Buffer.from(input), rsa1.privateKey))}`;
}

const rsa1Pem = rsa1.publicKey.export({ type: "spki", format: "pem" });
const rsa1Pkcs1 = rsa1.publicKey.export({ type: "pkcs1", format: "pem" });
const swapPayload = (token, payload) => {
  const [h, , s] = token.split(".");
  return `${h}.${b64json(payload)}.${s}`;
};
const swapHeader = (token, header) => {
  const [, p, s] = token.split(".");
  return `${b64json(header)}.${p}.${s}`;
};

const cases = [];
const add = (name, token, want, jwks = "jwks.json") => cases.push({ name, jwks, token, want });
// Correctly signed by rsa-1, refused by us only for the header: jose's verdict may differ.
const stricter = new Set();
const addStrict = (name, header, want) => {
  stricter.add(name);
  add(name, rs256Raw(header), want);
};

// ---- valid: every accepted alg, by kid and without one ---------------------------------
for (const alg of ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]) {
  add(alg, await jws(rsa1.privateKey, { alg, kid: "rsa-1", typ: "JWT" }), "NA_OK");
}
add("ES256", await jws(ec256.privateKey, { alg: "ES256", kid: "ec-256" }), "NA_OK");
add("ES384", await jws(ec384.privateKey, { alg: "ES384", kid: "ec-384" }), "NA_OK");
add("ES512", await jws(ec521.privateKey, { alg: "ES512", kid: "ec-521" }), "NA_OK");
add("RS256 on a key with alg RS256", await jws(rsaAlg.privateKey, { alg: "RS256", kid: "rsa-alg" }),
  "NA_OK");
add("RS256 without kid", await jws(rsa1.privateKey, { alg: "RS256" }), "NA_OK");
add("PS256 without kid", await jws(rsa1.privateKey, { alg: "PS256" }), "NA_OK");
add("ES384 without kid", await jws(ec384.privateKey, { alg: "ES384" }), "NA_OK");
const rotated = await jws(rsa2.privateKey, { alg: "RS256", kid: "rsa-2" });
add("rotated key, new JWKS", rotated, "NA_OK", "jwks-rotated.json");

// ---- key not in the set: the caller refetches the JWKS once ----------------------------
add("rotated key, old JWKS", rotated, "NA_EDENIED");
add("unknown kid", await jws(rsa1.privateKey, { alg: "RS256", kid: "nope" }), "NA_EDENIED");
add("kid of a use=enc key", await jws(rsaEnc.privateKey, { alg: "RS256", kid: "rsa-enc" }),
  "NA_EDENIED");
add("kid of an OKP key", await jws(rsa1.privateKey, { alg: "RS256", kid: "ed" }), "NA_EDENIED");
add("ES512 without kid, no P-521 key", await jws(ec521.privateKey, { alg: "ES512" }),
  "NA_EDENIED", "jwks-ec256.json");

// ---- forged or malformed ---------------------------------------------------------------
const good = await jws(rsa1.privateKey, { alg: "RS256", kid: "rsa-1" });
const goodEs = await jws(ec256.privateKey, { alg: "ES256", kid: "ec-256" });
for (const alg of ["none", "None", "NONE"]) {
  add(`alg ${alg}`, `${b64json({ alg, kid: "rsa-1" })}.${b64json(claims)}.`, "NA_EINPUT");
}
add("alg none with a signature", swapHeader(good, { alg: "none", kid: "rsa-1" }), "NA_EINPUT");
for (const alg of ["HS256", "HS384", "HS512"]) {
  add(`${alg} keyed with the SPKI PEM`, hmac(alg, rsa1Pem, { kid: "rsa-1" }), "NA_EINPUT");
}
add("HS256 keyed with the PKCS#1 PEM", hmac("HS256", rsa1Pkcs1, { kid: "rsa-1" }), "NA_EINPUT");
add("HS256 keyed with the JWK JSON", hmac("HS256", JSON.stringify(publicKeys[0]), { kid: "rsa-1" }),
  "NA_EINPUT");
add("HS256 keyed with the modulus", hmac("HS256", Buffer.from(rsa1.jwk.n, "base64url"), {}),
  "NA_EINPUT");
add("HS256 keyed with the oct key", hmac("HS256", Buffer.from("a shared secret the IdP leaked"),
  { kid: "hmac" }), "NA_EINPUT");
add("tampered payload", swapPayload(good, { ...claims, sub: "admin" }), "NA_EINPUT");
add("tampered payload, ES256", swapPayload(goodEs, { ...claims, email: "evil@example.com" }),
  "NA_EINPUT");
add("another RSA key claiming kid rsa-1",
  await jws(evilRsa.privateKey, { alg: "RS256", kid: "rsa-1" }), "NA_EINPUT");
add("another P-256 key claiming kid ec-256",
  await jws(evil256.privateKey, { alg: "ES256", kid: "ec-256" }), "NA_EINPUT");
add("another RSA key, no kid", await jws(evilRsa.privateKey, { alg: "RS256" }), "NA_EINPUT");
add("attacker key embedded as jwk",
  await jws(evilRsa.privateKey, { alg: "RS256", jwk: evilRsa.jwk }), "NA_EINPUT");
add("attacker jku", await jws(evilRsa.privateKey,
  { alg: "RS256", kid: "rsa-1", jku: "https://evil.example/jwks" }), "NA_EINPUT");
add("truncated signature", good.slice(0, -4), "NA_EINPUT");
add("truncated to two parts", good.slice(0, good.lastIndexOf(".")), "NA_EINPUT");
add("truncated mid-payload", good.slice(0, good.indexOf(".") + 20), "NA_EINPUT");
add("empty signature", good.slice(0, good.lastIndexOf(".") + 1), "NA_EINPUT");
add("extra part", `${good}.AAAA`, "NA_EINPUT");
// jose's base64url decoder takes padding (and other sloppiness); JOSE forbids it.
stricter.add("padded signature");
add("padded signature", `${good}==`, "NA_EINPUT");
add("RS256 signature relabelled PS256", swapHeader(good, { alg: "PS256", kid: "rsa-1" }),
  "NA_EINPUT");
add("ES256 header on an RSA kid", await jws(ec256.privateKey, { alg: "ES256", kid: "rsa-1" }),
  "NA_EINPUT");
add("RS256 header on an EC kid", swapHeader(good, { alg: "RS256", kid: "ec-256" }), "NA_EINPUT");
add("ES256 on the P-384 kid", await jws(ec256.privateKey, { alg: "ES256", kid: "ec-384" }),
  "NA_EINPUT");
add("PS256 on a key whose alg is RS256",
  await jws(rsaAlg.privateKey, { alg: "PS256", kid: "rsa-alg" }), "NA_EINPUT");
add("EdDSA", await jws(ed.privateKey, { alg: "EdDSA", kid: "ed" }), "NA_EINPUT");
add("ES256K", `${b64json({ alg: "ES256K", kid: "ec-256" })}.${b64json(claims)}.AAAA`, "NA_EINPUT");
add("RSA1_5 (an encryption alg)", swapHeader(good, { alg: "RSA1_5", kid: "rsa-1" }), "NA_EINPUT");
addStrict("crit header", '{"alg":"RS256","kid":"rsa-1","crit":["exp"],"exp":1}', "NA_EINPUT");
addStrict("b64=false", '{"alg":"RS256","kid":"rsa-1","b64":false,"crit":["b64"]}', "NA_EINPUT");
addStrict("kid is a number", '{"alg":"RS256","kid":1}', "NA_EINPUT");
addStrict("alg is missing", '{"kid":"rsa-1"}', "NA_EINPUT");
addStrict("alg is lower case", '{"alg":"rs256","kid":"rsa-1"}', "NA_EINPUT");
addStrict("duplicate alg member", '{"alg":"none","alg":"RS256","kid":"rsa-1"}', "NA_EINPUT");
addStrict("duplicate kid member", '{"alg":"RS256","kid":"nope","kid":"rsa-1"}', "NA_EINPUT");
addStrict("header not JSON", '{"alg":"RS256",', "NA_EINPUT");
add("header is an array", `${b64json(["RS256"])}.${good.split(".")[1]}.${good.split(".")[2]}`,
  "NA_EINPUT");
{
  // ECDSA as DER (what OpenSSL emits) instead of JOSE's fixed-width r||s.
  const input = goodEs.split(".").slice(0, 2).join(".");
  const der = nodeSign("sha256", Buffer.from(input), { key: ec256.privateKey, dsaEncoding: "der" });
  add("ES256 signature in DER", `${input}.${b64u(der)}`, "NA_EINPUT");
  add("ES256 r = s = 0", `${input}.${b64u(Buffer.alloc(64))}`, "NA_EINPUT");
  const raw = Buffer.from(goodEs.split(".")[2], "base64url");
  const trailing = b64u(Buffer.concat([raw, Buffer.alloc(1)]));
  add("ES256 signature with a trailing byte", `${input}.${trailing}`, "NA_EINPUT");
}
{
  // RFC 7518 §3.5: the PSS salt is as long as the hash; a salt-less PS256 is not PS256.
  const input = `${b64json({ alg: "PS256", kid: "rsa-1" })}.${b64json(claims)}`;
  const sig = nodeSign("sha256", Buffer.from(input),
    { key: rsa1.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 0 });
  add("PS256 with an empty salt", `${input}.${b64u(sig)}`, "NA_EINPUT");
}

// ---- sanity: jose agrees with every verdict --------------------------------------------
for (const c of cases) {
  const keyset = jose.createLocalJWKSet({
    keys: jwksFiles[c.jwks].keys.filter((k) => k.kty !== "oct"),
  });
  let ok = false;
  try {
    await jose.compactVerify(c.token, keyset, {
      algorithms: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"],
    });
    ok = true;
  } catch {
    ok = false;
  }
  // jose 4 picks a kid-less token's key only when exactly one key fits; ours tries them all.
  const kidlessMulti = c.want === "NA_OK" && !jose.decodeProtectedHeader(c.token).kid;
  if (ok !== (c.want === "NA_OK") && !kidlessMulti && !stricter.has(c.name)) {
    throw new Error(`jose disagrees on "${c.name}": verified=${ok}, want ${c.want}`);
  }
}

const josePkg = join(dirname(require.resolve("jose")), "..", "..", "..", "package.json");
const version = JSON.parse(readFileSync(josePkg)).version;
mkdirSync(out, { recursive: true });
for (const [file, doc] of Object.entries(jwksFiles)) {
  writeFileSync(join(out, file), JSON.stringify(doc, null, 1) + "\n");
}
writeFileSync(join(out, "tokens.json"), JSON.stringify({
  generator: `t/unit/vectors/make-jws-vectors.mjs with jose ${version}, node ${process.version}`,
  issuer: ISSUER, client_id: CLIENT_ID, nonce: NONCE, now: NOW, claims, cases,
}, null, 1) + "\n");
console.log(`wrote ${cases.length} cases and ${Object.keys(jwksFiles).length} JWKS to ${out}`);
