/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_REVOKE_H
#define NA_REVOKE_H

/* The revocation list (issue 13): entries kept in a mod_socache provider, so that every
 * host sharing the cache refuses a session that was signed out, signed out everywhere or
 * logged out by its IdP's back channel. This unit only names and encodes the entries and
 * decides on them; the glue (mod_nextauth_revoke.c) stores and reads them. Every key is
 * printable ASCII, at most NA_REVOKE_KEY_MAX characters; every value a short string. */

#include "na_common.h"

#define NA_REVOKE_KEY_MAX 40
/** Most of our session ids kept under one IdP session (newest first). */
#define NA_REVOKE_MAP_MAX 8

/** "rs:" + sid: one session is revoked; its value is the time of revocation
 *  (na_revoke_time_value). NULL when sid is not of na_tokens_sid_valid's shape. */
const char *na_revoke_session_key(apr_pool_t *p, const char *sid);

/** "ru:" + base64url(SHA-256(user))[0..22]: every session of this user (the identity
 *  REMOTE_USER gets, e.g. the e-mail) that began at or before the value's time is revoked.
 *  NULL for a NULL or empty user. */
const char *na_revoke_user_key(apr_pool_t *p, const char *user);

/** "rj:" + hash of issuer and jti: a logout token's jti already used. NULL when either is
 *  NULL or empty, or issuer holds a '\n' (the pair is hashed joined by one '\n'). */
const char *na_revoke_jti_key(apr_pool_t *p, const char *issuer, const char *jti);

/** "ro:" + hash of provider id and the IdP's session id (the ID token's `sid`): the value is
 *  a list of our session ids (na_revoke_sids_add). NULL when either is NULL or empty, or
 *  provider holds a '\n' (the pair is hashed joined by one '\n'). */
const char *na_revoke_idp_session_key(apr_pool_t *p, const char *provider, const char *idp_sid);

/** "rp:" + hash of provider id and the IdP's subject (`sub`): the value is the user
 *  (as given to na_revoke_user_key). NULL when either is NULL or empty, or provider
 *  holds a '\n'. */
const char *na_revoke_idp_subject_key(apr_pool_t *p, const char *provider, const char *idp_sub);

/** The value of a session or user entry: `now` as decimal seconds, from p. */
const char *na_revoke_time_value(apr_pool_t *p, apr_int64_t now);

/**
 * Whether a user entry's value revokes a session that began at `began` (its auth_time,
 * else its iat): 1 when value is a decimal time T (1..18 digits, nothing else) and
 * began <= T; 0 when began > T; -1 when value is not such a time (the caller treats a
 * damaged entry as revoking: fail closed). value may be NULL (0: no entry).
 */
int na_revoke_user_revokes(const char *value, apr_size_t len, apr_int64_t began);

/**
 * The auth_time a new session of a user must carry so that a user entry written in the
 * same second does not revoke it: now, or T + 1 when the entry's time T >= now.
 * value NULL or unreadable: now.
 */
apr_int64_t na_revoke_signin_time(const char *value, apr_size_t len, apr_int64_t now);

/**
 * A map entry's new value: sid first, then the session ids of `list` (len bytes, may be
 * NULL/0) that are valid (na_tokens_sid_valid) and not sid, at most NA_REVOKE_MAP_MAX in
 * all, each once, separated by single spaces. From p. A sid that is not valid is dropped
 * like any other junk, so the value only ever holds session ids ("" when none is left).
 */
const char *na_revoke_sids_add(apr_pool_t *p, const char *list, apr_size_t len, const char *sid);

/** The valid session ids of a map entry's value, in order, each once (const char *, from
 *  p); an empty array for NULL or junk. At most NA_REVOKE_MAP_MAX. */
apr_array_header_t *na_revoke_sids_parse(apr_pool_t *p, const char *list, apr_size_t len);

#endif
