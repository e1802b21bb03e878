/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_SESSION_H
#define MOD_NEXTAUTH_SESSION_H

/* Glue: src/httpd/mod_nextauth_session.c. */

#include "mod_nextauth.h"

int nextauth_session_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s);
/** Child init: the per-process memo of decoded session tokens (na_session_memo.h). */
void nextauth_session_child_init(apr_pool_t *p, server_rec *s);
/**
 * The session of r's request tree (decrypted once, cached on the original request), or
 * NULL; *status is NA_OK, NA_EDENIED when no cookie was sent, or why the cookie failed.
 */
const na_session_claims_t *nextauth_session_load(request_rec *r, const na_server_conf_t *conf,
                                                 const na_cookie_names_t *names, int *status);
/** As nextauth_session_load, for a session token sent as `Authorization: Bearer` by a
 *  request without a session cookie (it replaces what the cookie load found). */
const na_session_claims_t *nextauth_session_load_bearer(request_rec *r,
                                                        const na_server_conf_t *conf,
                                                        const char *token, int *status);
/** Make claims the session of r's request tree (a verified bearer access token). */
void nextauth_session_adopt(request_rec *r, const na_session_claims_t *claims);
/** The session already loaded for r's request tree, or NULL. */
const na_session_claims_t *nextauth_session_cached(request_rec *r);
/** 1 when the browser sent any session cookie chunk (load first). */
int nextauth_session_sent(request_rec *r);
/** Clear every session cookie chunk the browser sent (load first). */
void nextauth_session_clear(nextauth_req_t *req);
/** Write a fresh session cookie for claims; *expires receives its end (epoch seconds). */
apr_status_t nextauth_session_issue(nextauth_req_t *req, na_session_claims_t *claims,
                                    apr_int64_t *expires);
/** 1 when r's session cookie is a database session token (load first); *token and
 *  *expires (either may be NULL) receive it and its row's expiry. */
int nextauth_session_db(request_rec *r, const char **token, apr_int64_t *expires);
/** Create a database session row for user_id and write its cookie; *token is its value. */
apr_status_t nextauth_session_issue_db(nextauth_req_t *req, const char *user_id,
                                       apr_int64_t *expires, const char **token);
/** Re-set the loaded database session's cookie, moving its row's expiry once updateAge
 *  has passed; *expires_before receives the expiry before any move. */
apr_status_t nextauth_session_refresh_db(nextauth_req_t *req, apr_int64_t *expires_before);

#endif
