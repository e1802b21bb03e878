/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_REVOKE_H
#define MOD_NEXTAUTH_REVOKE_H

/* Glue: src/httpd/mod_nextauth_revoke.c. The revocation list (NextAuthRevocation): entries
 * of na_revoke.h in a mod_socache provider, read on every session load. */

#include "mod_nextauth.h"

int nextauth_revoke_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
int nextauth_revoke_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s);
int nextauth_revoke_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s);
void nextauth_revoke_child_init(apr_pool_t *p, server_rec *s);

/** 1 when this process keeps the list (sessions can be revoked). */
int nextauth_revoke_ready(void);

/** The note set on r when the list could not be read and the session was refused for
 *  it (fail closed): the answer is then 503, not a sign-in. */
#define NEXTAUTH_REVOKE_NOTE_DOWN "nextauth-revocation-unavailable"

/**
 * Whether the session of claims may be used: NA_OK; NA_EDENIED when it, or every session
 * of its user up to its sign-in, was revoked (logged at INFO); NA_EPEER when the list
 * cannot be read and NextAuthRevocation failOpen is off (logged once a minute, note set).
 * `db`: a database session, which has no sign-in time; only its own entry counts.
 */
na_status_t nextauth_revoke_check(request_rec *r, const na_session_claims_t *claims, int db);

/** 1 when r's session was refused because the list could not be read: Retry-After is
 *  then set, and the answer is to be 503. */
int nextauth_revoke_down(request_rec *r);

/** Revoke one session (sign-out). NA_OK, or NA_EPEER (logged). */
na_status_t nextauth_revoke_session(request_rec *r, const char *sid);

/** Revoke every session of user that began up to now (sign out everywhere). */
na_status_t nextauth_revoke_user(request_rec *r, const char *user);

/** The auth_time a new session of user must carry (na_revoke_signin_time). */
apr_int64_t nextauth_revoke_signin_time(request_rec *r, const char *user, apr_int64_t now);

/** After an OIDC sign-in: remember which of our sessions (sid) and which user belong to
 *  the IdP's session and subject, for its back-channel logout. Failures are logged. */
void nextauth_revoke_remember(request_rec *r, const char *provider, const char *idp_sid,
                              const char *idp_sub, const char *sid, const char *user);

/** A logout token's jti: NA_OK the first time, NA_EDENIED when seen before, NA_EPEER
 *  when the list failed (logged). */
na_status_t nextauth_revoke_jti_once(request_rec *r, const char *issuer, const char *jti);

/** The back channel's logout: with idp_sid, our sessions signed in under it; with idp_sub
 *  only (or an idp_sid we never saw), every session of its user. *count: sessions or
 *  users revoked. NA_OK, or NA_EPEER (logged). */
na_status_t nextauth_revoke_idp(request_rec *r, const char *provider, const char *idp_sid,
                                const char *idp_sub, int *count);

#endif
