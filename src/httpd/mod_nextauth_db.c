/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_dbd.h>
#include <apr_optional.h>
#include <apr_strings.h>
#include <mod_dbd.h>

#include "mod_nextauth.h"

/* Users, accounts, verification tokens and database sessions in next-auth's SQL adapter
 * schema (conf/schema/<driver>.sql), through mod_dbd's connections. Every statement is
 * prepared once per connection, on first use, and kept in the connection's `prepared`
 * hash under a "nextauth_*" label, so persistent and per-request connections both work
 * without DBDPrepareSQL. Times cross the API as epoch seconds: SQLite stores them as
 * INTEGER epoch seconds, PostgreSQL as TIMESTAMPTZ (converted in the SQL). */

#include "mod_nextauth_db_sql.h"

static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *nextauth_dbd_acquire;
/* The missing-schema hint is logged once per process. */
static int nextauth_db_schema_logged;

static const char *nextauth_db_driver(const ap_dbd_t *dbd)
{
    const char *name = apr_dbd_name(dbd->driver);

    return name ? name : "?";
}

static int nextauth_db_is_sqlite(const ap_dbd_t *dbd)
{
    return strcmp(nextauth_db_driver(dbd), "sqlite3") == 0;
}

static apr_status_t nextauth_db_failed(request_rec *r, const ap_dbd_t *dbd, int rv,
                                       const char *what)
{
    const char *msg = apr_dbd_error(dbd->driver, dbd->handle, rv);
    const char *driver = nextauth_db_driver(dbd);

    if (msg && (strstr(msg, "no such table") || strstr(msg, "does not exist"))) {
        if (!nextauth_db_schema_logged) {
            nextauth_db_schema_logged = 1;
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00040)
                          "database: %s: %s; create the tables with conf/schema/%s.sql "
                          "(see the README)", what, msg,
                          strcmp(driver, "sqlite3") == 0 ? "sqlite" : "pgsql");
        }
        return NEXTAUTH_DB_ESCHEMA;
    }
    /* A unique index refused a row another request made first: the callers re-read. */
    if (msg && (strstr(msg, "UNIQUE constraint failed") || strstr(msg, "duplicate key"))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, NA_LOGNO(00052)
                      "database (%s): %s: the row exists already", driver, what);
        return APR_EEXIST;
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00041) "database (%s): %s failed: %s",
                  driver, what, msg ? msg : "unknown error");
    return APR_EGENERAL;
}

/* The connection of this request, or NULL (logged) when mod_dbd gives none. */
static ap_dbd_t *nextauth_db_conn(request_rec *r)
{
    ap_dbd_t *dbd;

    if (nextauth_dbd_acquire == NULL) {
        nextauth_dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    }
    if (nextauth_dbd_acquire == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00042)
                      "database: mod_dbd is not loaded");
        return NULL;
    }
    dbd = nextauth_dbd_acquire(r);
    if (dbd == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00043)
                      "database: no connection from mod_dbd (check DBDriver and DBDParams)");
    }
    return dbd;
}

/* The statement `which` on this connection, prepared on first use. */
static apr_status_t nextauth_db_stmt(request_rec *r, ap_dbd_t *dbd, int which,
                                     apr_dbd_prepared_t **stmt)
{
    const nextauth_sql_t *sql = &nextauth_sql[which];
    int rv;

    if (dbd->prepared == NULL) {
        dbd->prepared = apr_hash_make(dbd->pool);
    }
    *stmt = apr_hash_get(dbd->prepared, sql->label, APR_HASH_KEY_STRING);
    if (*stmt) {
        return APR_SUCCESS;
    }
    rv = apr_dbd_prepare(dbd->driver, dbd->pool, dbd->handle,
                         nextauth_db_is_sqlite(dbd) ? sql->sqlite : sql->pgsql, sql->label, stmt);
    if (rv != 0 || *stmt == NULL) {
        return nextauth_db_failed(r, dbd, rv, apr_pstrcat(r->pool, "preparing ", sql->label,
                                                          NULL));
    }
    apr_hash_set(dbd->prepared, sql->label, APR_HASH_KEY_STRING, *stmt);
    return APR_SUCCESS;
}

/* Run a statement that changes rows; *nrows (may be NULL) gets how many. */
static apr_status_t nextauth_db_exec(request_rec *r, int which, int nargs, const char **args,
                                     int *nrows)
{
    ap_dbd_t *dbd = nextauth_db_conn(r);
    apr_dbd_prepared_t *stmt;
    apr_status_t st;
    int n = 0, rv;

    if (dbd == NULL) {
        return APR_EGENERAL;
    }
    if ((st = nextauth_db_stmt(r, dbd, which, &stmt)) != APR_SUCCESS) {
        return st;
    }
    rv = apr_dbd_pquery(dbd->driver, r->pool, dbd->handle, &n, stmt, nargs, args);
    if (rv != 0) {
        return nextauth_db_failed(r, dbd, rv, nextauth_sql[which].label);
    }
    if (nrows) {
        *nrows = n;
    }
    return APR_SUCCESS;
}

/* Run a statement that returns rows; the first row's columns (copied into r->pool, NULL
 * for SQL NULL) go to cols[0..ncols). Every row is fetched, so the statement is finished
 * (and a DELETE ... RETURNING is done) before the connection serves anything else. */
static apr_status_t nextauth_db_select(request_rec *r, int which, int nargs, const char **args,
                                       int ncols, const char **cols)
{
    ap_dbd_t *dbd = nextauth_db_conn(r);
    apr_dbd_prepared_t *stmt;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    apr_status_t st;
    int rv, got = 0, i;

    if (dbd == NULL) {
        return APR_EGENERAL;
    }
    if ((st = nextauth_db_stmt(r, dbd, which, &stmt)) != APR_SUCCESS) {
        return st;
    }
    rv = apr_dbd_pselect(dbd->driver, r->pool, dbd->handle, &res, stmt, 1, nargs, args);
    if (rv != 0) {
        return nextauth_db_failed(r, dbd, rv, nextauth_sql[which].label);
    }
    while ((rv = apr_dbd_get_row(dbd->driver, r->pool, res, &row, -1)) == 0) {
        if (!got) {
            for (i = 0; i < ncols; i++) {
                /* datum_get tells SQL NULL apart (get_entry gives "" on pgsql). */
                const char *v = NULL;
                if (apr_dbd_datum_get(dbd->driver, row, i, APR_DBD_TYPE_STRING, &v)
                    != APR_SUCCESS) {
                    v = NULL;
                }
                cols[i] = v ? apr_pstrdup(r->pool, v) : NULL;
            }
        }
        got = 1;
    }
    if (rv != -1) {
        return nextauth_db_failed(r, dbd, rv, nextauth_sql[which].label);
    }
    return got ? APR_SUCCESS : APR_NOTFOUND;
}

static const char *nextauth_db_int(request_rec *r, apr_int64_t v)
{
    return apr_psprintf(r->pool, "%" APR_INT64_T_FMT, v);
}

static apr_int64_t nextauth_db_time(const char *v)
{
    return v && *v ? apr_atoi64(v) : 0;
}

static nextauth_user_t *nextauth_db_user_of(request_rec *r, const char **cols)
{
    nextauth_user_t *u = apr_pcalloc(r->pool, sizeof(*u));

    u->id = cols[0];
    u->name = cols[1];
    u->email = cols[2];
    u->image = cols[3];
    u->email_verified = nextauth_db_time(cols[4]);
    return u;
}

static apr_status_t nextauth_db_user_query(request_rec *r, int which, int nargs,
                                           const char **args, nextauth_user_t **user)
{
    const char *cols[5] = {NULL, NULL, NULL, NULL, NULL};
    apr_status_t st = nextauth_db_select(r, which, nargs, args, 5, cols);

    if (st == APR_SUCCESS && cols[0] == NULL) {
        st = APR_NOTFOUND;
    }
    *user = st == APR_SUCCESS ? nextauth_db_user_of(r, cols) : NULL;
    return st;
}

apr_status_t nextauth_db_user_by_email(request_rec *r, const char *email, nextauth_user_t **user)
{
    const char *args[1] = {email};

    *user = NULL;
    return email ? nextauth_db_user_query(r, NA_SQL_USER_BY_EMAIL, 1, args, user)
                 : APR_NOTFOUND;
}

/* An id is digits: anything else (a credentials sub, a forged token) matches no row. */
static int nextauth_db_id_ok(const char *id)
{
    const char *c;

    if (id == NULL || *id == '\0' || strlen(id) > 19) {
        return 0;
    }
    for (c = id; *c; c++) {
        if (*c < '0' || *c > '9') {
            return 0;
        }
    }
    return 1;
}

apr_status_t nextauth_db_user_by_id(request_rec *r, const char *id, nextauth_user_t **user)
{
    const char *args[1] = {id};

    *user = NULL;
    return nextauth_db_id_ok(id) ? nextauth_db_user_query(r, NA_SQL_USER_BY_ID, 1, args, user)
                                 : APR_NOTFOUND;
}

apr_status_t nextauth_db_user_by_account(request_rec *r, const char *provider,
                                         const char *provider_account_id, nextauth_user_t **user)
{
    const char *args[2] = {provider, provider_account_id};

    *user = NULL;
    if (provider == NULL || provider_account_id == NULL) {
        return APR_NOTFOUND;
    }
    return nextauth_db_user_query(r, NA_SQL_USER_BY_ACCOUNT, 2, args, user);
}

apr_status_t nextauth_db_user_create(request_rec *r, const nextauth_user_t *in,
                                     int take_existing, nextauth_user_t **user)
{
    nextauth_user_t *existing = NULL;
    const char *args[4];
    const char *id = NULL;
    apr_status_t st;

    *user = NULL;
    args[0] = in->name;
    args[1] = in->email;
    args[2] = in->image;
    args[3] = in->email_verified ? nextauth_db_int(r, in->email_verified) : NULL;
    st = nextauth_db_select(r, NA_SQL_USER_CREATE, 4, args, 1, &id);
    if (st == APR_SUCCESS && id != NULL) {
        nextauth_user_t *u = apr_pcalloc(r->pool, sizeof(*u));
        *u = *in;
        u->id = id;
        *user = u;
        return APR_SUCCESS;
    }
    /* Another request created the same e-mail first (unique index). Only the caller that
     * has proven the address (a magic link) may take that user; anyone else would be
     * handed a stranger's account. */
    if (st != NEXTAUTH_DB_ESCHEMA && in->email
        && nextauth_db_user_by_email(r, in->email, &existing) == APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, NA_LOGNO(00044)
                      "database: a user with this e-mail was created concurrently; %s",
                      take_existing ? "using it" : "not taken");
        *user = take_existing ? existing : NULL;
        return take_existing ? APR_SUCCESS : APR_EEXIST;
    }
    return st == APR_SUCCESS || st == APR_NOTFOUND ? APR_EGENERAL : st;
}

apr_status_t nextauth_db_user_delete(request_rec *r, const char *id)
{
    const char *args[1] = {id};

    return nextauth_db_id_ok(id) ? nextauth_db_exec(r, NA_SQL_USER_DELETE, 1, args, NULL)
                                 : APR_NOTFOUND;
}

apr_status_t nextauth_db_user_verified(request_rec *r, const char *id, apr_int64_t when)
{
    const char *args[2];
    int n = 0;
    apr_status_t st;

    if (!nextauth_db_id_ok(id)) {
        return APR_NOTFOUND;
    }
    args[0] = nextauth_db_int(r, when);
    args[1] = id;
    st = nextauth_db_exec(r, NA_SQL_USER_VERIFIED, 2, args, &n);
    return st == APR_SUCCESS && n == 0 ? APR_NOTFOUND : st;
}

apr_status_t nextauth_db_account_link(request_rec *r, const nextauth_account_t *a)
{
    const char *args[11];

    if (!nextauth_db_id_ok(a->user_id) || a->provider == NULL || a->type == NULL
        || a->provider_account_id == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00045)
                      "database: incomplete account to link");
        return APR_EINVAL;
    }
    args[0] = a->user_id;
    args[1] = a->type;
    args[2] = a->provider;
    args[3] = a->provider_account_id;
    args[4] = a->access_token;
    args[5] = a->refresh_token;
    args[6] = a->id_token;
    args[7] = a->token_type;
    args[8] = a->scope;
    args[9] = a->session_state;
    args[10] = a->expires_at ? nextauth_db_int(r, a->expires_at) : NULL;
    return nextauth_db_exec(r, NA_SQL_ACCOUNT_LINK, 11, args, NULL);
}

apr_status_t nextauth_db_token_create(request_rec *r, const char *identifier, const char *hash,
                                      apr_int64_t expires)
{
    const char *args[3] = {identifier, hash, nextauth_db_int(r, expires)};

    return nextauth_db_exec(r, NA_SQL_TOKEN_CREATE, 3, args, NULL);
}

apr_status_t nextauth_db_token_use(request_rec *r, const char *identifier, const char *hash,
                                   apr_int64_t *expires)
{
    const char *args[2] = {identifier, hash};
    const char *when = NULL;
    apr_status_t st;

    *expires = 0;
    if (identifier == NULL || hash == NULL) {
        return APR_NOTFOUND;
    }
    st = nextauth_db_select(r, NA_SQL_TOKEN_USE, 2, args, 1, &when);
    if (st == APR_SUCCESS) {
        *expires = nextauth_db_time(when);
    }
    return st;
}

apr_status_t nextauth_db_session_create(request_rec *r, const char *user_id, const char *token,
                                        apr_int64_t expires)
{
    const char *args[3] = {user_id, token, nextauth_db_int(r, expires)};

    if (!nextauth_db_id_ok(user_id)) {
        return APR_EINVAL;
    }
    return nextauth_db_exec(r, NA_SQL_SESSION_CREATE, 3, args, NULL);
}

apr_status_t nextauth_db_session_get(request_rec *r, const char *token, apr_int64_t *expires,
                                     nextauth_user_t **user)
{
    const char *args[1] = {token};
    const char *cols[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    apr_status_t st;

    *user = NULL;
    *expires = 0;
    if (token == NULL) {
        return APR_NOTFOUND;
    }
    st = nextauth_db_select(r, NA_SQL_SESSION_GET, 1, args, 6, cols);
    if (st == APR_SUCCESS && cols[0] == NULL) {
        st = APR_NOTFOUND;
    }
    if (st == APR_SUCCESS) {
        *user = nextauth_db_user_of(r, cols);
        *expires = nextauth_db_time(cols[5]);
    }
    return st;
}

apr_status_t nextauth_db_session_update(request_rec *r, const char *token, apr_int64_t expires)
{
    const char *args[2] = {nextauth_db_int(r, expires), token};
    int n = 0;
    apr_status_t st = nextauth_db_exec(r, NA_SQL_SESSION_UPDATE, 2, args, &n);

    return st == APR_SUCCESS && n == 0 ? APR_NOTFOUND : st;
}

apr_status_t nextauth_db_session_delete(request_rec *r, const char *token)
{
    const char *args[1] = {token};
    int n = 0;
    apr_status_t st = nextauth_db_exec(r, NA_SQL_SESSION_DELETE, 1, args, &n);

    return st == APR_SUCCESS && n == 0 ? APR_NOTFOUND : st;
}
