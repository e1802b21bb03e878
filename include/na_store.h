/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_STORE_H
#define NA_STORE_H

#include <apr_dbd.h>
#include <apr_hash.h>

#include "na_common.h"

/* Users, accounts, verification tokens and database sessions in next-auth's SQL adapter
 * schema (conf/schema/<driver>.sql) over one apr_dbd connection, with the statements of
 * na_store_sql.h. Every statement is prepared once per connection, on first use, and kept
 * in the connection's hash under a "nextauth_*" label, so persistent and per-request
 * connections both work without DBDPrepareSQL. Times cross the API as epoch seconds:
 * SQLite stores them as INTEGER epoch seconds, PostgreSQL as TIMESTAMPTZ (converted in
 * the SQL).
 *
 * Conventions of every call:
 * - a lookup that matches no row answers NA_OK with its out-parameter NULL;
 * - a change reports how many rows it changed in *nrows (when nrows is not NULL);
 * - a failure answers NA_EINPUT (the input can name no row: incomplete account, a user
 *   id that is no id), NA_EDENIED (a unique index refused a row another request made
 *   first) or NA_EPEER (the database failed). *err (when given) then has code
 *   "Configuration" when a table is missing and NULL otherwise, a log detail, and
 *   os_status the apr_status_t mod_nextauth_db.c answers for it (APR_EINVAL, APR_EEXIST,
 *   NA_STORE_ESCHEMA, APR_EGENERAL);
 * - everything worth a log line is also told, as it happens, to the store's note function;
 *   callers do not log err again.
 * Rows, strings and arguments are allocated from the store's pool. */

/** A users row. */
typedef struct na_store_user_t {
    const char *id; /**< users.id as a string */
    const char *name;
    const char *email;
    const char *image;
    apr_int64_t email_verified; /**< epoch seconds; 0 when NULL */
} na_store_user_t;

/** An accounts row. */
typedef struct na_store_account_t {
    const char *user_id;
    const char *type; /**< "oauth", "oidc", "email" */
    const char *provider;
    const char *provider_account_id;
    const char *access_token;
    const char *refresh_token;
    const char *id_token;
    const char *token_type;
    const char *scope;
    const char *session_state;
    apr_int64_t expires_at; /**< epoch seconds; 0 when absent */
} na_store_account_t;

/** A verification_token row: identifier (the address) and the token's hash. */
typedef struct na_store_token_t {
    const char *identifier;
    const char *hash;
    apr_int64_t expires; /**< epoch seconds */
} na_store_token_t;

/** A sessions row with its user. */
typedef struct na_store_session_t {
    const char *token;
    apr_int64_t expires; /**< epoch seconds */
    na_store_user_t *user;
} na_store_session_t;

/** What a store tells its owner's log. The glue gives each a numbered line. */
typedef enum {
    NA_STORE_NOTE_SCHEMA = 0, /**< a table is missing: conf/schema/ not applied (error) */
    NA_STORE_NOTE_FAILED,     /**< a statement failed (error) */
    NA_STORE_NOTE_EXISTS,     /**< a unique index refused a row made first elsewhere (info) */
    NA_STORE_NOTE_USER_RACE,  /**< a user with this e-mail was made concurrently (info) */
    NA_STORE_NOTE_INCOMPLETE, /**< an account to link lacks a required field (error) */
    NA_STORE_NOTE__COUNT
} na_store_note_e;

/** A note: `text` is the whole log message, without secrets, from the store's pool. */
typedef void na_store_note_fn(void *baton, na_store_note_e what, const char *text);

/** The apr_status_t of a missing table (os_status of the failure). */
#define NA_STORE_ESCHEMA APR_ENOENT

/** One connection, as mod_dbd's ap_dbd_t carries it, plus the pool of one caller. */
typedef struct na_store_t {
    apr_pool_t *pool; /**< rows, arguments and results (a request's pool) */
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    apr_pool_t *conn_pool;  /**< lives as long as the connection: statements */
    apr_hash_t *prepared;   /**< label -> apr_dbd_prepared_t *, the connection's */
    int sqlite;             /**< the sqlite3 dialect (else pgsql's) */
    na_store_note_fn *note; /**< may be NULL: nothing is told */
    void *baton;            /**< passed to note */
} na_store_t;

/**
 * A store over an open connection, allocated from p. prepared is the connection's hash of
 * prepared statements (ap_dbd_t.prepared); NULL makes a new one in conn_pool. Set `note`
 * and `baton` on the result to hear about failures.
 */
na_store_t *na_store_make(apr_pool_t *p, const apr_dbd_driver_t *driver, apr_dbd_t *handle,
                          apr_pool_t *conn_pool, apr_hash_t *prepared);

/** 1 when id can be a users.id (1 to 19 digits): anything else (a credentials sub, a
 *  forged token) matches no row and is never sent to the database. */
int na_store_id_ok(const char *id);

/** The user with this e-mail; *user NULL when none (or email NULL). */
na_status_t na_store_user_by_email(na_store_t *s, const char *email, na_store_user_t **user,
                                   na_err_t *err);
/** The user with this id; *user NULL when none or id is no id (na_store_id_ok). */
na_status_t na_store_user_by_id(na_store_t *s, const char *id, na_store_user_t **user,
                                na_err_t *err);
/** The user the account (provider, provider_account_id) is linked to; *user NULL when the
 *  account is linked to nobody (or either part is NULL). */
na_status_t na_store_user_by_account(na_store_t *s, const char *provider,
                                     const char *provider_account_id, na_store_user_t **user,
                                     na_err_t *err);
/**
 * Create a user from in (id ignored); *user receives it with its new id. When the e-mail's
 * unique index refuses it (a user with this e-mail was made meanwhile elsewhere),
 * take_existing gives that user (NA_OK); without take_existing the answer is NA_EDENIED,
 * as only a caller that has proven the address may take an existing user.
 */
na_status_t na_store_user_create(na_store_t *s, const na_store_user_t *in, int take_existing,
                                 na_store_user_t **user, na_err_t *err);
/** Set the user's emailVerified to `when`; *nrows 0 when no such user. */
na_status_t na_store_user_verified(na_store_t *s, const char *id, apr_int64_t when, int *nrows,
                                   na_err_t *err);
/** Remove a user row that has no account: undoes a half-made sign-in, never a user
 *  another host finished meanwhile. *nrows 0 when nothing was removed. */
na_status_t na_store_user_delete(na_store_t *s, const char *id, int *nrows, na_err_t *err);
/** Link account to account->user_id. NA_EINPUT when the user id, type, provider or
 *  provider account id is missing; NA_EDENIED when the account is linked already. */
na_status_t na_store_account_link(na_store_t *s, const na_store_account_t *account, na_err_t *err);
/** Store a verification token (identifier, hash, expires). */
na_status_t na_store_token_create(na_store_t *s, const na_store_token_t *token, na_err_t *err);
/** Delete the row matching identifier and hash in one statement and give it: single use,
 *  also across hosts. *used NULL when no row matched (or either part is NULL). */
na_status_t na_store_token_use(na_store_t *s, const char *identifier, const char *hash,
                               na_store_token_t **used, na_err_t *err);
/** Create a sessions row for user_id; NA_EINPUT when user_id is no id. */
na_status_t na_store_session_create(na_store_t *s, const char *user_id, const char *token,
                                    apr_int64_t expires, na_err_t *err);
/** The session with this token and its user; *session NULL when none. */
na_status_t na_store_session_get(na_store_t *s, const char *token, na_store_session_t **session,
                                 na_err_t *err);
/** Move the session's expiry; *nrows 0 when no such session. */
na_status_t na_store_session_update(na_store_t *s, const char *token, apr_int64_t expires,
                                    int *nrows, na_err_t *err);
/** Delete the session; *nrows 0 when no such session. */
na_status_t na_store_session_delete(na_store_t *s, const char *token, int *nrows, na_err_t *err);
/** Delete every sessions row of user_id (sign out everywhere); *nrows how many. */
na_status_t na_store_sessions_delete_user(na_store_t *s, const char *user_id, int *nrows,
                                          na_err_t *err);

#endif
