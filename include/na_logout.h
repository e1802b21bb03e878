/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_LOGOUT_H
#define NA_LOGOUT_H

/* Checks of the two JWTs an IdP hands us after its signature was verified by
 * na_jws_verify: the logout token of OpenID Connect Back-Channel Logout 1.0 (§2.4, §2.6),
 * and a JWT access token (RFC 9068) presented as a Bearer token (RFC 6750). */

#include "na_common.h"
#include "na_jws.h"

/** The member of `events` that makes a JWT a logout token. */
#define NA_LOGOUT_EVENT "http://schemas.openid.net/event/backchannel-logout"
/** Logout tokens issued longer ago than this are refused (iat), in seconds. */
#define NA_LOGOUT_MAX_AGE 600
/** The longest logout token read from a POST body, in characters. */
#define NA_LOGOUT_MAX_TOKEN 16384

typedef struct na_logout_expect_t {
    const char *issuer;    /**< `iss` must equal it; not NULL */
    const char *client_id; /**< `aud` must be it or an array holding it; not NULL */
    apr_int64_t now;
    apr_int64_t tolerance; /**< clock skew allowed on iat and exp, seconds */
    apr_int64_t max_age;   /**< iat must be >= now - max_age - tolerance */
} na_logout_expect_t;

typedef struct na_logout_claims_t {
    const char *sub; /**< NULL when absent; sub or sid is always set */
    const char *sid; /**< NULL when absent */
    const char *jti; /**< never NULL */
    apr_int64_t iat;
    apr_int64_t exp; /**< 0 when absent */
} na_logout_claims_t;

/**
 * Check a verified logout token (Back-Channel Logout 1.0 §2.6) and fill *out from p:
 * - the header's `typ`, when present, is "logout+jwt" or "JWT" (case-insensitive; the
 *   header is not visible here, so verified->typ is passed by the caller: may be NULL);
 * - the payload is a JSON object without duplicate member names;
 * - `iss` equals expect->issuer; `aud` equals client_id or is an array of strings
 *   holding it;
 * - `iat` is an integer in [now - max_age - tolerance, now + tolerance];
 * - `exp`, when present, is an integer > now - tolerance;
 * - `jti` is a non-empty string (at most 256 bytes);
 * - `events` is an object with member NA_LOGOUT_EVENT whose value is an object;
 * - `nonce` is absent (any value refuses);
 * - `sub` and/or `sid` present, each a non-empty string of at most 256 bytes when present.
 * NA_OK; NA_EEXPIRED (exp past, or iat too old); NA_EINPUT for anything else;
 * NA_EINTERNAL when issuer or client_id is NULL. err (may be NULL) gets a log-only detail
 * naming the failed check (never a claim's value) and a NULL code.
 */
na_status_t na_logout_check(apr_pool_t *p, const na_jws_verified_t *token, const char *typ,
                            const na_logout_expect_t *expect, na_logout_claims_t *out,
                            na_err_t *err);

typedef struct na_bearer_expect_t {
    const char *issuer;                  /**< `iss` must equal it; not NULL */
    const apr_array_header_t *audiences; /**< const char *; `aud` must hold one; not empty */
    apr_int64_t now;
    apr_int64_t tolerance; /**< clock skew allowed on exp, nbf and iat, seconds */
} na_bearer_expect_t;

typedef struct na_bearer_claims_t {
    const char *sub;       /**< never NULL */
    const char *email;     /**< NULL when absent or not a string */
    const char *client_id; /**< NULL when absent */
    const char *scope;     /**< NULL when absent */
    apr_int64_t exp;
    const char *json; /**< the whole payload, NUL-terminated (for claim rules) */
} na_bearer_claims_t;

/**
 * Check a verified JWT access token (RFC 9068 §4) and fill *out from p:
 * - typ (the header's, passed by the caller; may be NULL) is "at+jwt" or
 *   "application/at+jwt", case-insensitive: an ID token (typ JWT or none) is refused, so
 *   it cannot stand in for an access token;
 * - the payload is a JSON object without duplicate members;
 * - `iss` equals expect->issuer; `aud` is a string or array of strings holding one of
 *   expect->audiences;
 * - `exp` is an integer > now - tolerance; `nbf` and `iat`, when present, integers
 *   <= now + tolerance;
 * - `sub` is a non-empty string.
 * NA_OK; NA_EEXPIRED for a past exp; NA_EINPUT for anything else; NA_EINTERNAL when
 * issuer or audiences are missing. err as for na_logout_check.
 */
na_status_t na_bearer_check(apr_pool_t *p, const na_jws_verified_t *token, const char *typ,
                            const na_bearer_expect_t *expect, na_bearer_claims_t *out,
                            na_err_t *err);

/**
 * The header's `typ` of a compact JWS (the first segment, base64url JSON), from p, or
 * NULL when it has none or the header does not parse (na_jws_verify refuses those).
 * A typ that is not a string gives "", which both checks refuse (NULL would pass as an
 * untyped logout token).
 */
const char *na_jws_header_typ(apr_pool_t *p, const char *token);

#endif
