/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_TOKENS_H
#define NA_TOKENS_H

#include "na_common.h"
#include "na_jwe.h"

/* The IdP's tokens and claims of one session, kept on the server (a mod_socache entry
 * keyed by the session id) so the cookie stays small. The record is sealed: AES-256-GCM
 * under a key of its own derived from the secret, with the session id inside, so a record
 * copied under another session's key, or forged, does not open. */

/** A session id: 16 random bytes, base64url, 22 characters (plus the NUL). */
#define NA_TOKENS_SID_LEN 22
/** HKDF info of the record key: never one of next-auth's. */
#define NA_TOKENS_INFO "mod_nextauth token record"
/** Biggest sealed record accepted (a cache answer over it is refused unread). */
#define NA_TOKENS_MAX_SEALED 16384
/** The session JSON's error once a refresh was refused (next-auth's docs' name). */
#define NA_TOKENS_REFRESH_ERROR "RefreshAccessTokenError"

typedef struct na_tokens_t {
    const char *sid;      /**< the session it belongs to */
    const char *provider; /**< our provider id */
    const char *sub;      /**< the provider's subject */
    const char *access_token;
    const char *refresh_token;
    const char *id_token;
    const char *token_type;
    const char *scope;
    apr_int64_t expires_at; /**< Unix seconds the access token dies; 0 when unknown */
    const char *claims;     /**< a JSON object (ID token / userinfo claims), or NULL */
    const char *error;      /**< NA_TOKENS_REFRESH_ERROR once the IdP refused a refresh */
    apr_int64_t updated_at; /**< Unix seconds of the last write */
    apr_int64_t version;    /**< 1 at sign-in, +1 on each refresh */
} na_tokens_t;

/** A fresh session id (NA_TOKENS_SID_LEN base64url characters) from p. NA_EINTERNAL on
 *  RNG failure. */
na_status_t na_tokens_sid_new(apr_pool_t *p, const char **sid);

/** The session id of a database session: the first 16 bytes of SHA-256 over a fixed label
 *  and the session token, base64url (so the id names the row without revealing it). From
 *  p; NA_EINTERNAL when hashing fails. */
na_status_t na_tokens_sid_of(apr_pool_t *p, const char *session_token, const char **sid);

/** 1 when s has the shape of a session id (exactly NA_TOKENS_SID_LEN base64url chars). */
int na_tokens_sid_valid(const char *s);

/** The record key of one secret: HKDF-SHA256(secret, salt "", info NA_TOKENS_INFO). */
na_status_t na_tokens_key(const char *secret, na_jwe_key_t *out);

/** Seal t (every string must be UTF-8) under key: *blob (from p, NUL-terminated) and
 *  *len. NA_EINPUT for a missing sid or a non-UTF-8 string, NA_ETOOBIG over
 *  NA_TOKENS_MAX_SEALED, NA_EINTERNAL when OpenSSL or the RNG fails. */
na_status_t na_tokens_seal(apr_pool_t *p, const na_jwe_key_t *key, const na_tokens_t *t,
                           const char **blob, apr_size_t *len);

/** Open a sealed record with any of nkeys keys and check it is the record of `sid`:
 *  NA_EDENIED when it opens but names another session (a record replayed under another
 *  key), NA_ETOOBIG over NA_TOKENS_MAX_SEALED, NA_EINPUT for anything forged, truncated or
 *  malformed. Strings of *out are from p. err gets a log detail free of tokens. */
na_status_t na_tokens_open(apr_pool_t *p, const na_jwe_key_t *keys, int nkeys, const char *sid,
                           const unsigned char *blob, apr_size_t len, na_tokens_t *out,
                           na_err_t *err);

/** 1 when the access token must be refreshed at `now`: it has a refresh token, a known
 *  expires_at, no error, and expires_at - before <= now. */
int na_tokens_due(const na_tokens_t *t, apr_int64_t now, apr_int64_t before);

/** The claims to keep from a sign-in: the ID token's payload (may be NULL) with the
 *  members of the userinfo answer (may be NULL) it lacks; nonce, at_hash and c_hash
 *  dropped. *json is a compact JSON object from p, or NULL when both are NULL.
 *  NA_EINPUT when a given text is not a JSON object. */
na_status_t na_tokens_claims_merge(apr_pool_t *p, const char *id_claims, const char *userinfo,
                                   const char **json);

#endif
