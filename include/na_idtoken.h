/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_IDTOKEN_H
#define NA_IDTOKEN_H

#include "na_common.h"
#include "na_jws.h"

/** next-auth v4 sets openid-client's clock tolerance to 10 s (core/lib/oauth/client.ts). */
#define NA_IDTOKEN_TOLERANCE 10
/** The NextAuth error code of every ID token failure (SPEC §9). */
#define NA_IDTOKEN_ERROR "OAuthCallback"

/** What the ID token must say. Strings are compared exactly (no case folding, no trimming). */
typedef struct na_idtoken_expect_t {
    const char *issuer;    /**< the provider's issuer: `iss` must equal it; not NULL */
    const char *client_id; /**< `aud` must be it or hold it; `azp` must equal it; not NULL */
    const char *nonce;     /**< the nonce cookie's value; NULL when nonce is not a check */
    apr_int64_t now;       /**< the current time, seconds since the epoch */
    apr_int64_t tolerance; /**< clock skew allowed on exp, iat and nbf, in seconds */
} na_idtoken_expect_t;

/** The checked claims the profile is built from; strings are from the caller's pool. */
typedef struct na_idtoken_claims_t {
    const char *sub;   /**< never NULL or empty */
    const char *name;  /**< NULL when absent or not a string, as the rest */
    const char *email; /**< as sent; the caller lower-cases it (SPEC §9) */
    const char *picture;
    const char *preferred_username;
    const char *sid;    /**< the IdP's session id (Back-Channel Logout 1.0), or NULL */
    int email_verified; /**< 1 true, 0 false, -1 absent or unreadable */
    apr_int64_t iat;
    apr_int64_t exp;
    const char *json; /**< the whole payload, NUL-terminated */
} na_idtoken_claims_t;

/**
 * Check the claims of an ID token whose signature na_jws_verify() has verified, as OpenID
 * Connect Core §3.1.3.7 and openid-client 5 do for next-auth, and fill *out from p:
 * - the payload is a JSON object without duplicate member names;
 * - `iss` is a string equal to expect->issuer;
 * - `aud` is a string equal to expect->client_id, or an array of strings holding it; an array
 *   (of any length) needs `azp` (SPEC §16), and `azp`, when present, must equal client_id;
 * - `exp` and `iat` are integers; exp > now - tolerance, iat <= now + tolerance, and `nbf`,
 *   when present, is an integer <= now + tolerance;
 * - when expect->nonce is set, `nonce` is present and equal to it (a nonce in the token is
 *   not compared when none is expected);
 * - `sub` is a non-empty string.
 * NA_EINTERNAL: expect->issuer or client_id is NULL (nothing to check against: refused).
 * NA_OK: *out is filled. NA_EEXPIRED: exp is past, beyond the tolerance. NA_EINPUT: anything
 * else above fails (malformed, missing, wrong type, mismatch, issued or valid only in the
 * future). err (may be NULL) gets code NA_IDTOKEN_ERROR and a log-only detail.
 */
na_status_t na_idtoken_check(apr_pool_t *p, const na_jws_verified_t *token,
                             const na_idtoken_expect_t *expect, na_idtoken_claims_t *out,
                             na_err_t *err);

#endif
