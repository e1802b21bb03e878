/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_TOKENS_H
#define MOD_NEXTAUTH_TOKENS_H

/* Glue: src/httpd/mod_nextauth_tokens.c (the record store and the single-flight lock),
 * mod_nextauth_refresh.c (refreshing an access token once) and mod_nextauth_pass.c (what
 * a directory hands its backend). The IdP's tokens and claims of a session live in a
 * mod_socache provider (NextAuthTokenCache) under the session id. */

#include "mod_nextauth.h"
#include "na_tokens.h"

int nextauth_tokens_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
int nextauth_tokens_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s);
int nextauth_tokens_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s);
void nextauth_tokens_child_init(apr_pool_t *p, server_rec *s);

/** 1 when records can be kept in this process (a cache was set up and attached). */
int nextauth_tokens_ready(void);

/** The record of sid: NA_OK, NA_EDENIED when there is none, NA_EINPUT when what the
 *  cache holds is forged or another session's, NA_EPEER when the cache failed (each
 *  logged). Strings of *out from r->pool. */
na_status_t nextauth_tokens_read(request_rec *r, const na_server_conf_t *conf, const char *sid,
                                 na_tokens_t *out);
/** As nextauth_tokens_read, but always from the shared cache, never from this process's
 *  memo: what the refresh lock's owner and its waiters must see. */
na_status_t nextauth_tokens_read_shared(request_rec *r, const na_server_conf_t *conf,
                                        const char *sid, na_tokens_t *out);
/** Store t under t->sid for `lifetime` seconds. NA_OK or the failure (logged). */
na_status_t nextauth_tokens_write(request_rec *r, const na_server_conf_t *conf,
                                  const na_tokens_t *t, apr_int64_t lifetime);
/** Remove the record of sid (sign-out); failures are logged and otherwise ignored. */
void nextauth_tokens_forget(request_rec *r, const char *sid);

/** The single-flight lock of one refresh (sid, version), held `lease` seconds at most. */
typedef enum {
    NEXTAUTH_LOCK_OWNED = 0, /**< this request refreshes */
    NEXTAUTH_LOCK_BUSY,      /**< another request (any host) is refreshing */
    NEXTAUTH_LOCK_FAILED,    /**< the last attempt failed; no retry before the lease ends */
    NEXTAUTH_LOCK_ERROR      /**< the cache failed (logged): nobody may refresh */
} nextauth_lock_e;

nextauth_lock_e nextauth_tokens_lock(request_rec *r, const char *sid, apr_int64_t version,
                                     apr_int64_t lease);
/** How the lock looks to a waiter: BUSY while held, FAILED when the owner gave up,
 *  OWNED when it is free again (the owner finished or died: try to take it). */
nextauth_lock_e nextauth_tokens_lock_state(request_rec *r, const char *sid, apr_int64_t version);
/** Release after success (the record was written), or mark the attempt failed for the
 *  rest of the lease. */
void nextauth_tokens_unlock(request_rec *r, const char *sid, apr_int64_t version, int failed,
                            apr_int64_t lease);

/** The record of r's session, read once per request tree; NULL when there is none. */
na_tokens_t *nextauth_tokens_of(request_rec *r, const na_session_claims_t *claims);
/** For a bearer JWT access token: its payload is the request's claims (claim rules,
 *  NextAuthPassClaims), not a record's. */
void nextauth_tokens_claims_set(request_rec *r, const char *json);
/** Its claims, parsed once per request tree; NULL when there are none. */
const struct na_claims_t *nextauth_tokens_claims(request_rec *r, const na_session_claims_t *claims);

/**
 * After a provider accepted the user and before the session is issued: keep the token
 * response (account) and req->idp_claims under a fresh session id put into claims->sid.
 * 1 when kept (the cookie then need not carry the ID token), 0 when not (no cache, no
 * access token, a cache failure: logged, the sign-in goes on without tokens).
 */
int nextauth_tokens_signin(nextauth_req_t *req, const na_provider_t *prov,
                           na_session_claims_t *claims, const struct na_store_account_t *account);

/**
 * What GET session shows under NextAuthSession expose=: the access token of the session's
 * record (refreshed first when due), and the session error (NA_TOKENS_REFRESH_ERROR once
 * the IdP refused a refresh). Each NULL when there is none.
 */
void nextauth_tokens_exposed(request_rec *r, const na_session_claims_t *claims,
                             const char **access_token, const char **error);

/** Refresh the access token of t when it is due (mod_nextauth_refresh.c): NA_OK with *t
 *  current, NA_EDENIED when the IdP refused (t->error is then set and stored), NA_EPEER or
 *  NA_ETIMEOUT when the IdP or the cache failed (*t is the old record; logged). */
na_status_t nextauth_refresh_if_due(request_rec *r, const na_server_conf_t *conf, na_tokens_t *t);

/** Fixups of an AuthType NextAuth request with a user: the tokens and claims this
 *  directory passes on (mod_nextauth_pass.c). OK, or the status to answer. */
int nextauth_pass_apply(request_rec *r, const na_session_claims_t *claims);

#endif
