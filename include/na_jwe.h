/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_JWE_H
#define NA_JWE_H

#include "na_common.h"

#define NA_JWE_KEY_LEN 32
#define NA_JWE_IV_LEN 12
#define NA_JWE_TAG_LEN 16
/** Longest compact token decrypted; longer ones are NA_ETOOBIG before any parsing. */
#define NA_JWE_MAX_TOKEN 16384
/** The only protected header issued: base64url of {"alg":"dir","enc":"A256GCM"}. */
#define NA_JWE_HEADER_B64 "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0"
/** HKDF info for the session token; check cookies append " (<salt>)". */
#define NA_JWE_INFO "NextAuth.js Generated Encryption Key"

/** A derived AES-256-GCM key. A struct, so arrays of keys type-check without casts. */
typedef struct na_jwe_key_t {
    unsigned char bytes[NA_JWE_KEY_LEN];
} na_jwe_key_t;

/** Decrypted bytes, allocated from the pool; data[len] is an extra NUL. */
typedef struct na_jwe_plain_t {
    const unsigned char *data;
    apr_size_t len;
} na_jwe_plain_t;

/**
 * next-auth v4's key: HKDF-SHA256 with IKM = secret, salt = salt, 32 bytes, and info
 * NA_JWE_INFO for an empty salt (the session token) or NA_JWE_INFO " (<salt>)" otherwise
 * (a check cookie, salted with its full cookie name). NA_EINTERNAL when OpenSSL fails, in
 * which case *out is wiped.
 */
na_status_t na_jwe_derive_key(const char *secret, const char *salt, na_jwe_key_t *out);

/** Not next-auth's: a session-token key bound to `site` (an origin such as
 *  https://a.example or "host:port"), HKDF salt NA_JWE_SITE_SALT + site, so a cookie of
 *  one site does not open on another sharing the secret (NextAuthCookie shared=off/auto). */
#define NA_JWE_SITE_SALT "mod_nextauth site "
na_status_t na_jwe_derive_site_key(const char *secret, const char *site, na_jwe_key_t *out);

/**
 * Compact JWE of `len` bytes of plaintext: header NA_JWE_HEADER_B64, empty encrypted key,
 * a fresh random 12-byte IV, AES-256-GCM with the header as AAD. *token is from p.
 * NA_EINTERNAL when the RNG or OpenSSL fails; NA_ETOOBIG when the token would exceed
 * NA_JWE_MAX_TOKEN (it could never be read back).
 */
na_status_t na_jwe_encrypt(apr_pool_t *p, const na_jwe_key_t *key, const void *plaintext,
                           apr_size_t len, const char **token);

/**
 * na_jwe_encrypt with the IV given: for a caller that draws the IV together with other
 * random bytes in one RNG call. The IV must be fresh random bytes, never reused under a
 * key (GCM's nonce).
 */
na_status_t na_jwe_encrypt_iv(apr_pool_t *p, const na_jwe_key_t *key,
                              const unsigned char iv[NA_JWE_IV_LEN], const void *plaintext,
                              apr_size_t len, const char **token);

/**
 * Decrypt a compact JWE issued as above. Only alg "dir" with enc "A256GCM" and no other
 * header member is accepted (no zip, crit, kid, …), with an empty encrypted-key part, a
 * 12-byte IV and a 16-byte tag, all strictly base64url. On NA_OK *out points into p.
 * NA_ETOOBIG for a token over NA_JWE_MAX_TOKEN characters, NA_EINPUT for everything else
 * (malformed, forged, wrong key). err (may be NULL) gets a log-only detail and a NULL code:
 * the caller knows whether this means "no session" or an OAuthCallback failure.
 */
na_status_t na_jwe_decrypt(apr_pool_t *p, const na_jwe_key_t *key, const char *token,
                           na_jwe_plain_t *out, na_err_t *err);

/** Free the cipher fetched once per process (before the module is unloaded); later
 *  calls fall back to OpenSSL's implicit lookup. */
void na_jwe_release(void);

#endif
