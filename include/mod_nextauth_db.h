/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_DB_H
#define MOD_NEXTAUTH_DB_H

/* Glue: src/httpd/mod_nextauth_db.c. The store (na_store.h) on mod_dbd's connection of the
 * request. The rows are the core's. Each nextauth_db_* call answers APR_SUCCESS, APR_NOTFOUND
 * (no such row), or another error that it has logged (a missing table is logged naming the
 * schema file, and answered NEXTAUTH_DB_ESCHEMA). */

#include "mod_nextauth.h"

/** The store on this request's connection, its notes logged against r; NULL (logged)
 *  when mod_dbd gives no connection. */
na_store_t *nextauth_db_store(request_rec *r);
apr_status_t nextauth_db_user_by_id(request_rec *r, const char *id, na_store_user_t **user);
apr_status_t nextauth_db_token_create(request_rec *r, const char *identifier, const char *hash,
                                      apr_int64_t expires);
/** Delete the row matching identifier and hash in one statement and give its expiry:
 *  single use, also across hosts. APR_NOTFOUND when no row matched. */
apr_status_t nextauth_db_token_use(request_rec *r, const char *identifier, const char *hash,
                                   apr_int64_t *expires);
apr_status_t nextauth_db_session_create(request_rec *r, const char *user_id, const char *token,
                                        apr_int64_t expires);
apr_status_t nextauth_db_session_get(request_rec *r, const char *token, apr_int64_t *expires,
                                     na_store_user_t **user);
apr_status_t nextauth_db_session_update(request_rec *r, const char *token, apr_int64_t expires);
apr_status_t nextauth_db_session_delete(request_rec *r, const char *token);
/** Delete every database session of user_id; APR_SUCCESS also when there was none. */
apr_status_t nextauth_db_sessions_delete_user(request_rec *r, const char *user_id);
/** The error every call answers when a table is missing (conf/schema/ not applied):
 *  callers end the request with the Configuration error. */
#define NEXTAUTH_DB_ESCHEMA NA_STORE_ESCHEMA

#endif
