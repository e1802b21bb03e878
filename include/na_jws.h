/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_JWS_H
#define NA_JWS_H

#include "na_common.h"

/** Longest JWKS document parsed; longer ones are NA_ETOOBIG before any parsing. */
#define NA_JWS_MAX_JWKS 65536
/** Most entries in a JWKS "keys" array (usable or not); more is NA_ETOOBIG. */
#define NA_JWS_MAX_KEYS 32
/** Longest compact JWS verified; longer ones are NA_ETOOBIG before any parsing. */
#define NA_JWS_MAX_TOKEN 16384
/** Smallest and largest RSA modulus accepted, in bits (jose 4 refuses under 2048). */
#define NA_JWS_RSA_MIN_BITS 2048
#define NA_JWS_RSA_MAX_BITS 8192

/**
 * A parsed JWKS: the RSA and EC (P-256, P-384, P-521) signing keys it holds, as OpenSSL
 * keys owned by the pool it was parsed into (a pool cleanup frees them). Opaque; read-only
 * once parsed, so one set may be shared by concurrent verifications.
 */
typedef struct na_jws_jwks_t na_jws_jwks_t;

/** What a successful na_jws_verify() returns; every string is from the caller's pool. */
typedef struct na_jws_verified_t {
    const char *payload; /**< the decoded payload, NUL-terminated (not counted in len) */
    apr_size_t len;      /**< payload length in bytes */
    const char *alg;     /**< the header's alg, one of the nine accepted */
    const char *kid;     /**< the header's kid, or NULL when it had none */
} na_jws_verified_t;

/**
 * Parse `len` bytes of a JWKS document ({"keys": [...]}) into *out, allocated from p.
 * Kept: keys with kty "RSA" (n, e; modulus NA_JWS_RSA_MIN_BITS..NA_JWS_RSA_MAX_BITS bits)
 * and kty "EC" (crv P-256, P-384 or P-521; x and y of the curve's full length, on the curve),
 * whose `use` is absent or "sig", with an optional string `kid` and `alg`. Skipped: other
 * uses and key types (oct, OKP, …), and keys whose members are missing, of the wrong type or
 * not strict base64url; a skipped key does not spoil the others.
 * NA_ETOOBIG: the document is over NA_JWS_MAX_JWKS bytes or has over NA_JWS_MAX_KEYS keys.
 * NA_EINPUT: not JSON (duplicate member names included), no "keys" array, or no usable key.
 * NA_EINTERNAL: OpenSSL failed. err (may be NULL) gets a log-only detail and a NULL code.
 */
na_status_t na_jws_jwks_parse(apr_pool_t *p, const char *json, apr_size_t len, na_jws_jwks_t **out,
                              na_err_t *err);

/** Number of usable keys in a parsed set (at least 1). */
int na_jws_jwks_count(const na_jws_jwks_t *jwks);

/** Number of entries of the "keys" array that were skipped (for the log). */
int na_jws_jwks_skipped(const na_jws_jwks_t *jwks);

/**
 * Verify a compact JWS (an OIDC ID token) against a parsed JWKS. Accepted algs: RS256,
 * RS384, RS512, PS256, PS384, PS512 (salt length = digest length), ES256, ES384, ES512
 * (raw r||s). Everything else, alg "none" and the HS* family above all, is refused before
 * any key is looked at, as is a header with `crit` or duplicate members. The header's
 * jwk, jku, x5u and x5c are ignored: keys come from the JWKS only.
 * Key choice: with a kid, the keys with that kid; without one, every key. Of those, the
 * keys whose type fits the alg (RSA for RS/PS, EC on the alg's curve for ES) and whose own
 * alg, when set, equals the header's are tried in turn.
 * NA_OK: a key verified the signature; *out is filled from p.
 * NA_EDENIED: the token is well formed but the set has no key with its kid (or, without a
 * kid, no key that fits its alg): the IdP may have rotated its keys, so the caller may
 * refetch the JWKS once and call again.
 * NA_ETOOBIG: the token is over NA_JWS_MAX_TOKEN characters.
 * NA_EINPUT: malformed, refused alg, a kid whose keys do not fit the alg, or no fitting key
 * verifies the signature (forged, tampered or truncated).
 * NA_EINTERNAL: OpenSSL failed. err (may be NULL) gets a log-only detail and a NULL code.
 */
na_status_t na_jws_verify(apr_pool_t *p, const na_jws_jwks_t *jwks, const char *token,
                          na_jws_verified_t *out, na_err_t *err);

#endif
