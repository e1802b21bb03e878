/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_dbd.h>
#include <apr_strings.h>

#include "na_store.h"
#include "na_store_sql.h"

#define NA_STORE_USER_COLS 5

na_store_t *na_store_make(apr_pool_t *p, const apr_dbd_driver_t *driver, apr_dbd_t *handle,
                          apr_pool_t *conn_pool, apr_hash_t *prepared)
{
    na_store_t *s = apr_pcalloc(p, sizeof(*s));
    const char *name = apr_dbd_name(driver);

    s->pool = p;
    s->driver = driver;
    s->handle = handle;
    s->conn_pool = conn_pool;
    s->prepared = prepared ? prepared : apr_hash_make(conn_pool);
    s->sqlite = name != NULL && strcmp(name, "sqlite3") == 0;
    return s;
}

static const char *na_store_driver(const na_store_t *s)
{
    const char *name = apr_dbd_name(s->driver);

    return name ? name : "?";
}

static void na_store_tell(na_store_t *s, na_store_note_e what, const char *text)
{
    if (s->note) {
        s->note(s->baton, what, text);
    }
}

static na_status_t na_store_error(na_err_t *err, na_status_t status, const char *code,
                                  apr_status_t os_status, const char *detail)
{
    if (err) {
        err->code = code;
        err->detail = detail;
        err->os_status = os_status;
    }
    return status;
}

/* Classify a driver failure the way operators need it: a missing table names the schema
 * file to apply; a unique index refusing a row is a race the callers resolve by reading
 * again, not a failure; anything else is the database's. */
static na_status_t na_store_failed(na_store_t *s, int rv, const char *what, na_err_t *err)
{
    const char *msg = apr_dbd_error(s->driver, s->handle, rv);
    const char *text;

    if (msg && (strstr(msg, "no such table") || strstr(msg, "does not exist"))) {
        text = apr_psprintf(s->pool,
                            "database: %s: %s; create the tables with conf/schema/%s.sql "
                            "(see the README)",
                            what, msg, s->sqlite ? "sqlite" : "pgsql");
        na_store_tell(s, NA_STORE_NOTE_SCHEMA, text);
        return na_store_error(err, NA_EPEER, "Configuration", NA_STORE_ESCHEMA, text);
    }
    if (msg && (strstr(msg, "UNIQUE constraint failed") || strstr(msg, "duplicate key"))) {
        text = apr_psprintf(s->pool, "database (%s): %s: the row exists already",
                            na_store_driver(s), what);
        na_store_tell(s, NA_STORE_NOTE_EXISTS, text);
        return na_store_error(err, NA_EDENIED, NULL, APR_EEXIST, text);
    }
    text = apr_psprintf(s->pool, "database (%s): %s failed: %s", na_store_driver(s), what,
                        msg ? msg : "unknown error");
    na_store_tell(s, NA_STORE_NOTE_FAILED, text);
    return na_store_error(err, NA_EPEER, NULL, APR_EGENERAL, text);
}

/* The statement `which` on this connection, prepared on first use. */
static na_status_t na_store_stmt(na_store_t *s, int which, apr_dbd_prepared_t **stmt, na_err_t *err)
{
    const na_store_sql_t *sql = &na_store_sql[which];
    int rv;

    *stmt = apr_hash_get(s->prepared, sql->label, APR_HASH_KEY_STRING);
    if (*stmt) {
        return NA_OK;
    }
    rv = apr_dbd_prepare(s->driver, s->conn_pool, s->handle, s->sqlite ? sql->sqlite : sql->pgsql,
                         sql->label, stmt);
    if (rv != 0 || *stmt == NULL) {
        return na_store_failed(s, rv, apr_pstrcat(s->pool, "preparing ", sql->label, NULL), err);
    }
    apr_hash_set(s->prepared, sql->label, APR_HASH_KEY_STRING, *stmt);
    return NA_OK;
}

/* One statement to run: which, its arguments, and where a select puts its first row. */
typedef struct na_store_run_t {
    int which;
    int nargs;
    const char **args;
    int ncols;
    const char **cols;
} na_store_run_t;

/* Run a statement that changes rows; *nrows (may be NULL) gets how many. */
static na_status_t na_store_exec(na_store_t *s, const na_store_run_t *run, int *nrows,
                                 na_err_t *err)
{
    apr_dbd_prepared_t *stmt;
    na_status_t st;
    int n = 0, rv;

    if (nrows) {
        *nrows = 0;
    }
    if ((st = na_store_stmt(s, run->which, &stmt, err)) != NA_OK) {
        return st;
    }
    rv = apr_dbd_pquery(s->driver, s->pool, s->handle, &n, stmt, run->nargs, run->args);
    if (rv != 0) {
        return na_store_failed(s, rv, na_store_sql[run->which].label, err);
    }
    if (nrows) {
        *nrows = n;
    }
    return NA_OK;
}

/* The columns of a row, copied into the pool; NULL for SQL NULL (datum_get tells it apart,
 * where get_entry gives "" on pgsql). */
static void na_store_columns(na_store_t *s, apr_dbd_row_t *row, int ncols, const char **cols)
{
    int i;

    for (i = 0; i < ncols; i++) {
        const char *v = NULL;
        if (apr_dbd_datum_get(s->driver, row, i, APR_DBD_TYPE_STRING, &v) != APR_SUCCESS) {
            v = NULL;
        }
        cols[i] = v ? apr_pstrdup(s->pool, v) : NULL;
    }
}

/* Run a statement that returns rows; the first row's columns go to run->cols and *got is
 * 1 when there was one. Every row is fetched, so the statement is finished (and a
 * DELETE ... RETURNING is done) before the connection serves anything else. */
static na_status_t na_store_select(na_store_t *s, const na_store_run_t *run, int *got,
                                   na_err_t *err)
{
    const char *label = na_store_sql[run->which].label;
    apr_dbd_prepared_t *stmt;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    na_status_t st;
    int rv;

    *got = 0;
    if ((st = na_store_stmt(s, run->which, &stmt, err)) != NA_OK) {
        return st;
    }
    rv = apr_dbd_pselect(s->driver, s->pool, s->handle, &res, stmt, 1, run->nargs, run->args);
    if (rv != 0) {
        return na_store_failed(s, rv, label, err);
    }
    while ((rv = apr_dbd_get_row(s->driver, s->pool, res, &row, -1)) == 0) {
        if (!*got) {
            na_store_columns(s, row, run->ncols, run->cols);
        }
        *got = 1;
    }
    if (rv != -1) {
        *got = 0;
        return na_store_failed(s, rv, label, err);
    }
    return NA_OK;
}

static const char *na_store_int(na_store_t *s, apr_int64_t v)
{
    return apr_psprintf(s->pool, "%" APR_INT64_T_FMT, v);
}

static apr_int64_t na_store_time(const char *v)
{
    return v && *v ? apr_atoi64(v) : 0;
}

static na_store_user_t *na_store_user_of(na_store_t *s, const char **cols)
{
    na_store_user_t *u = apr_pcalloc(s->pool, sizeof(*u));

    u->id = cols[0];
    u->name = cols[1];
    u->email = cols[2];
    u->image = cols[3];
    u->email_verified = na_store_time(cols[4]);
    return u;
}

static na_status_t na_store_user_query(na_store_t *s, int which, int nargs, const char **args,
                                       na_store_user_t **user, na_err_t *err)
{
    const char *cols[NA_STORE_USER_COLS] = {NULL, NULL, NULL, NULL, NULL};
    na_store_run_t run = {which, nargs, args, NA_STORE_USER_COLS, cols};
    na_status_t st;
    int got = 0;

    *user = NULL;
    st = na_store_select(s, &run, &got, err);
    if (st == NA_OK && got && cols[0] != NULL) {
        *user = na_store_user_of(s, cols);
    }
    return st;
}

int na_store_id_ok(const char *id)
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

na_status_t na_store_user_by_email(na_store_t *s, const char *email, na_store_user_t **user,
                                   na_err_t *err)
{
    const char *args[1] = {email};

    *user = NULL;
    return email ? na_store_user_query(s, NA_SQL_USER_BY_EMAIL, 1, args, user, err) : NA_OK;
}

na_status_t na_store_user_by_id(na_store_t *s, const char *id, na_store_user_t **user,
                                na_err_t *err)
{
    const char *args[1] = {id};

    *user = NULL;
    return na_store_id_ok(id) ? na_store_user_query(s, NA_SQL_USER_BY_ID, 1, args, user, err)
                              : NA_OK;
}

na_status_t na_store_user_by_account(na_store_t *s, const char *provider,
                                     const char *provider_account_id, na_store_user_t **user,
                                     na_err_t *err)
{
    const char *args[2] = {provider, provider_account_id};

    *user = NULL;
    if (provider == NULL || provider_account_id == NULL) {
        return NA_OK;
    }
    return na_store_user_query(s, NA_SQL_USER_BY_ACCOUNT, 2, args, user, err);
}

/* The INSERT was refused or gave no id. When the e-mail's unique index refused it, another
 * request created this e-mail first: only a caller that has proven the address (a magic
 * link) may take that user; anyone else would be handed a stranger's account. 1 when a
 * user with the e-mail exists (then *user is it, or *err says it is not taken). */
static int na_store_user_raced(na_store_t *s, const na_store_user_t *in, int take_existing,
                               na_store_user_t **user, na_err_t *err)
{
    na_store_user_t *existing = NULL;
    const char *text;

    if (in->email == NULL || na_store_user_by_email(s, in->email, &existing, NULL) != NA_OK
        || existing == NULL) {
        return 0;
    }
    text = apr_pstrcat(s->pool, "database: a user with this e-mail was created concurrently; ",
                       take_existing ? "using it" : "not taken", NULL);
    na_store_tell(s, NA_STORE_NOTE_USER_RACE, text);
    if (take_existing) {
        *user = existing;
    }
    else {
        na_store_error(err, NA_EDENIED, NULL, APR_EEXIST, text);
    }
    return 1;
}

na_status_t na_store_user_create(na_store_t *s, const na_store_user_t *in, int take_existing,
                                 na_store_user_t **user, na_err_t *err)
{
    const char *args[4], *id = NULL;
    na_store_run_t run = {NA_SQL_USER_CREATE, 4, args, 1, &id};
    na_err_t failure = {NULL, "database: creating a user gave no id", APR_EGENERAL};
    na_status_t st;
    int got = 0;

    *user = NULL;
    args[0] = in->name;
    args[1] = in->email;
    args[2] = in->image;
    args[3] = in->email_verified ? na_store_int(s, in->email_verified) : NULL;
    st = na_store_select(s, &run, &got, &failure);
    if (st == NA_OK && got && id != NULL) {
        na_store_user_t *u = apr_pcalloc(s->pool, sizeof(*u));
        *u = *in;
        u->id = id;
        *user = u;
        return NA_OK;
    }
    if (failure.os_status != NA_STORE_ESCHEMA
        && na_store_user_raced(s, in, take_existing, user, err)) {
        return take_existing ? NA_OK : NA_EDENIED;
    }
    if (err) {
        *err = failure;
    }
    return st == NA_OK ? NA_EPEER : st;
}

na_status_t na_store_user_verified(na_store_t *s, const char *id, apr_int64_t when, int *nrows,
                                   na_err_t *err)
{
    const char *args[2] = {na_store_int(s, when), id};
    na_store_run_t run = {NA_SQL_USER_VERIFIED, 2, args, 0, NULL};

    if (nrows) {
        *nrows = 0;
    }
    return na_store_id_ok(id) ? na_store_exec(s, &run, nrows, err) : NA_OK;
}

na_status_t na_store_user_delete(na_store_t *s, const char *id, int *nrows, na_err_t *err)
{
    const char *args[1] = {id};
    na_store_run_t run = {NA_SQL_USER_DELETE, 1, args, 0, NULL};

    if (nrows) {
        *nrows = 0;
    }
    return na_store_id_ok(id) ? na_store_exec(s, &run, nrows, err) : NA_OK;
}

na_status_t na_store_account_link(na_store_t *s, const na_store_account_t *a, na_err_t *err)
{
    const char *args[11];
    na_store_run_t run = {NA_SQL_ACCOUNT_LINK, 11, args, 0, NULL};
    const char *text = "database: incomplete account to link";

    if (!na_store_id_ok(a->user_id) || a->provider == NULL || a->type == NULL
        || a->provider_account_id == NULL) {
        na_store_tell(s, NA_STORE_NOTE_INCOMPLETE, text);
        return na_store_error(err, NA_EINPUT, NULL, APR_EINVAL, text);
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
    args[10] = a->expires_at ? na_store_int(s, a->expires_at) : NULL;
    return na_store_exec(s, &run, NULL, err);
}

na_status_t na_store_token_create(na_store_t *s, const na_store_token_t *token, na_err_t *err)
{
    const char *args[3] = {token->identifier, token->hash, na_store_int(s, token->expires)};
    na_store_run_t run = {NA_SQL_TOKEN_CREATE, 3, args, 0, NULL};

    return na_store_exec(s, &run, NULL, err);
}

na_status_t na_store_token_use(na_store_t *s, const char *identifier, const char *hash,
                               na_store_token_t **used, na_err_t *err)
{
    const char *args[2] = {identifier, hash}, *when = NULL;
    na_store_run_t run = {NA_SQL_TOKEN_USE, 2, args, 1, &when};
    na_status_t st;
    int got = 0;

    *used = NULL;
    if (identifier == NULL || hash == NULL) {
        return NA_OK;
    }
    st = na_store_select(s, &run, &got, err);
    if (st == NA_OK && got) {
        na_store_token_t *t = apr_pcalloc(s->pool, sizeof(*t));
        t->identifier = identifier;
        t->hash = hash;
        t->expires = na_store_time(when);
        *used = t;
    }
    return st;
}

na_status_t na_store_session_create(na_store_t *s, const char *user_id, const char *token,
                                    apr_int64_t expires, na_err_t *err)
{
    const char *args[3] = {user_id, token, na_store_int(s, expires)};
    na_store_run_t run = {NA_SQL_SESSION_CREATE, 3, args, 0, NULL};

    if (!na_store_id_ok(user_id)) {
        return na_store_error(err, NA_EINPUT, NULL, APR_EINVAL, "database: no user id");
    }
    return na_store_exec(s, &run, NULL, err);
}

na_status_t na_store_session_get(na_store_t *s, const char *token, na_store_session_t **session,
                                 na_err_t *err)
{
    const char *args[1] = {token};
    const char *cols[NA_STORE_USER_COLS + 1] = {NULL, NULL, NULL, NULL, NULL, NULL};
    na_store_run_t run = {NA_SQL_SESSION_GET, 1, args, NA_STORE_USER_COLS + 1, cols};
    na_status_t st;
    int got = 0;

    *session = NULL;
    if (token == NULL) {
        return NA_OK;
    }
    st = na_store_select(s, &run, &got, err);
    if (st == NA_OK && got && cols[0] != NULL) {
        na_store_session_t *sess = apr_pcalloc(s->pool, sizeof(*sess));
        sess->token = token;
        sess->user = na_store_user_of(s, cols);
        sess->expires = na_store_time(cols[NA_STORE_USER_COLS]);
        *session = sess;
    }
    return st;
}

na_status_t na_store_session_update(na_store_t *s, const char *token, apr_int64_t expires,
                                    int *nrows, na_err_t *err)
{
    const char *args[2] = {na_store_int(s, expires), token};
    na_store_run_t run = {NA_SQL_SESSION_UPDATE, 2, args, 0, NULL};

    return na_store_exec(s, &run, nrows, err);
}

na_status_t na_store_session_delete(na_store_t *s, const char *token, int *nrows, na_err_t *err)
{
    const char *args[1] = {token};
    na_store_run_t run = {NA_SQL_SESSION_DELETE, 1, args, 0, NULL};

    return na_store_exec(s, &run, nrows, err);
}

na_status_t na_store_sessions_delete_user(na_store_t *s, const char *user_id, int *nrows,
                                          na_err_t *err)
{
    const char *args[1] = {user_id};
    na_store_run_t run = {NA_SQL_SESSIONS_DELETE_USER, 1, args, 0, NULL};

    return na_store_exec(s, &run, nrows, err);
}
