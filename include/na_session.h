/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_SESSION_H
#define NA_SESSION_H

#include "na_common.h"
#include "na_jwe.h"

/** Seconds of clock skew allowed on exp, nbf and iat, as next-auth's decode allows. */
#define NA_SESSION_CLOCK_TOLERANCE 15
/** An exp further ahead than this (ten years) is refused, and so is such a max_age. */
#define NA_SESSION_MAX_LIFETIME ((apr_int64_t)10 * 366 * 86400)
/** next-auth's session.maxAge default: 30 days. */
#define NA_SESSION_DEFAULT_MAX_AGE ((apr_int64_t)30 * 86400)
/** "xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx" plus the NUL. */
#define NA_SESSION_UUID_LEN 37

/**
 * The claims of a v4 session token. NULL strings are JSON null (name, email, picture) or
 * absent members (sub, provider, jti). Times are Unix seconds.
 */
typedef struct na_session_claims_t {
    const char *name;
    const char *email;
    const char *picture;  /**< next-auth's name for user.image */
    const char *sub;      /**< the user id as a string */
    const char *provider; /**< id of our provider that signed the user in; next-auth ignores it */
    const char *id_token; /**< the IdP's ID token, kept only for sign-out at the provider */
    apr_int64_t iat;      /**< 0 when absent on decode */
    apr_int64_t exp;
    const char *jti;
    const char *sid;       /**< the session id (na_tokens.h), kept across renewals; NULL in
                                tokens made before it existed or by next-auth */
    apr_int64_t auth_time; /**< Unix seconds of the sign-in, kept across renewals; 0 when
                                absent (a token from before, or next-auth's) */
    unsigned present;      /**< NA_CLAIM_* bits: which of name/email/picture the token has */
    const char *payload;   /**< on decode: the whole payload JSON, so a refresh keeps every
                                claim a Next.js app added; on encode: when set, the claims
                                to keep (only iat, exp and jti are renewed) */
    void *payload_obj;     /**< on decode: the parsed payload (a jansson object released with
                                the pool), so a refresh need not parse it again; on encode:
                                used instead of payload when set */
} na_session_claims_t;

#define NA_CLAIM_NAME 1u
#define NA_CLAIM_EMAIL 2u
#define NA_CLAIM_PICTURE 4u

/**
 * Mint a session token under `key` (derived with an empty salt): the JSON members name,
 * email, picture, sub, provider, id_token, sid, auth_time, iat, exp, jti in that order
 * (next-auth's, with ours where a jwt callback would add claims), sub, provider and
 * id_token only when non-NULL, the other strings as null when NULL; sid a fresh session
 * id (na_tokens_sid_new) and auth_time = now unless claims set them; iat = now, exp = now
 * + max_age and jti = a fresh UUID v4, whatever claims holds there. A renewal (payload or
 * payload_obj set) keeps the payload's members and places, renews iat, exp and jti, and
 * appends sid (new) and auth_time (na_session_signed_in) when it has no member of either
 * name, so a token of next-auth's, or from before, gets them at its first renewal. *token
 * is from p.
 * NA_EINPUT when a string is not UTF-8 or max_age is not in 1..NA_SESSION_MAX_LIFETIME,
 * NA_ETOOBIG when the claims do not fit a token, NA_EINTERNAL when the RNG or OpenSSL fails.
 */
na_status_t na_session_encode(apr_pool_t *p, const na_jwe_key_t *key,
                              const na_session_claims_t *claims, apr_int64_t now,
                              apr_int64_t max_age, const char **token);

/**
 * na_session_encode, and when the claims are a refresh (payload or payload_obj set), the
 * claims that na_session_decode would give for the new token into *issued (strings from
 * p), so the caller can remember the token without decoding it: the same members, the
 * new iat, exp and jti, payload the new JSON; payload_obj stays the object it was renewed
 * from (its iat, exp and jti are the old ones: every refresh overwrites those three).
 * *seeded says whether *issued was set (not for fresh claims).
 */
na_status_t na_session_encode_renewal(apr_pool_t *p, const na_jwe_key_t *key,
                                      const na_session_claims_t *claims, apr_int64_t now,
                                      apr_int64_t max_age, const char **token,
                                      na_session_claims_t *issued, int *seeded);

/**
 * Read a session token with any of `nkeys` keys (key 0 is the current secret's; the
 * others are older secrets still accepted). On NA_OK, *claims holds copies in p and
 * *key_index (may be NULL) says which key decrypted it. Beyond decryption the payload must
 * be a JSON object whose name, email and picture are strings or null, whose sub, provider
 * and jti are strings when present, with an integer exp in (now - 15 s, now + ten years],
 * an integer iat (when present) no later than now + 15 s, and an integer nbf (when
 * present) no later than now + 15 s. sid is taken when it is a string of
 * na_tokens_sid_valid's shape and auth_time when it is a positive integer; either in
 * another shape is ignored (left NULL / 0), not refused. Returns NA_EEXPIRED for a past exp,
 * NA_ETOOBIG for an oversize token, NA_EINPUT for anything else. err (may be NULL) gets a log-only
 * detail that never holds the token, a claim or a key, and a NULL code (no session is not an error
 * page).
 */
na_status_t na_session_decode(apr_pool_t *p, const na_jwe_key_t *keys, int nkeys, const char *token,
                              apr_int64_t now, na_session_claims_t *claims, int *key_index,
                              na_err_t *err);

/**
 * When the session's user signed in, as na_session_encode writes it for a token without
 * auth_time: claims->auth_time when set, else the iat of a renewed token (payload or
 * payload_obj set) when it has one, else now.
 */
apr_int64_t na_session_signed_in(const na_session_claims_t *claims, apr_int64_t now);

/**
 * The compact JSON that na_session_encode encrypts, for the claims as given (iat, exp
 * and jti included as they are; jti omitted when NULL). *json is from p. NA_EINPUT when a
 * string is not valid UTF-8.
 */
na_status_t na_session_claims_json(apr_pool_t *p, const na_session_claims_t *claims,
                                   const char **json);

/** A random UUID v4 in lower case, as next-auth's jti, into out. NA_EINTERNAL on RNG failure. */
na_status_t na_session_uuid(char out[NA_SESSION_UUID_LEN]);

#endif
