/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_dbd.h>
#include <apr_optional.h>
#include <apr_strings.h>
#include <mod_dbd.h>

#include "mod_nextauth_db.h"

/* The store (src/core/na_store.c) on mod_dbd's connection of the request: this file only
 * acquires the connection, turns what the store notes into numbered log lines, and keeps
 * the apr_status_t answers of the nextauth_db_* calls the other glue files make. */

static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) * nextauth_dbd_acquire;
/* The missing-schema hint is logged once per process. */
static int nextauth_db_schema_logged;

/* The log line of each store note: its number and level. */
static const struct {
    int level;
    const char *tag;
} nextauth_db_notes[NA_STORE_NOTE__COUNT] = {
    [NA_STORE_NOTE_SCHEMA] = {APLOG_ERR, NA_LOGNO(00040)},
    [NA_STORE_NOTE_FAILED] = {APLOG_ERR, NA_LOGNO(00041)},
    [NA_STORE_NOTE_EXISTS] = {APLOG_INFO, NA_LOGNO(00052)},
    [NA_STORE_NOTE_USER_RACE] = {APLOG_INFO, NA_LOGNO(00044)},
    [NA_STORE_NOTE_INCOMPLETE] = {APLOG_ERR, NA_LOGNO(00045)},
};

static void nextauth_db_note(void *baton, na_store_note_e what, const char *text)
{
    request_rec *r = baton;

    if (what == NA_STORE_NOTE_SCHEMA) {
        if (nextauth_db_schema_logged) {
            return;
        }
        nextauth_db_schema_logged = 1;
    }
    ap_log_rerror(APLOG_MARK, nextauth_db_notes[what].level, 0, r, "%s%s",
                  nextauth_db_notes[what].tag, text);
}

/* The connection of this request, or NULL (logged) when mod_dbd gives none. */
static ap_dbd_t *nextauth_db_conn(request_rec *r)
{
    ap_dbd_t *dbd;

    if (nextauth_dbd_acquire == NULL) {
        nextauth_dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    }
    if (nextauth_dbd_acquire == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      NA_LOGNO(00042) "database: mod_dbd is not loaded");
        return NULL;
    }
    dbd = nextauth_dbd_acquire(r);
    if (dbd == NULL) {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            NA_LOGNO(00043) "database: no connection from mod_dbd (check DBDriver and DBDParams)");
    }
    return dbd;
}

na_store_t *nextauth_db_store(request_rec *r)
{
    ap_dbd_t *dbd = nextauth_db_conn(r);
    na_store_t *store;

    if (dbd == NULL) {
        return NULL;
    }
    /* Statements live with the connection, under mod_dbd's own hash of them. */
    if (dbd->prepared == NULL) {
        dbd->prepared = apr_hash_make(dbd->pool);
    }
    store = na_store_make(r->pool, dbd->driver, dbd->handle, dbd->pool, dbd->prepared);
    store->note = nextauth_db_note;
    store->baton = r;
    return store;
}

/* The answer of a call: its failure's apr_status_t (already logged), else whether a row
 * was there. */
static apr_status_t nextauth_db_answer(na_status_t st, const na_err_t *err, int found)
{
    if (st != NA_OK) {
        return err->os_status ? err->os_status : APR_EGENERAL;
    }
    return found ? APR_SUCCESS : APR_NOTFOUND;
}

apr_status_t nextauth_db_user_by_id(request_rec *r, const char *id, na_store_user_t **user)
{
    na_store_t *store;
    na_err_t err = {NULL, NULL, 0};
    na_status_t st;

    *user = NULL;
    /* Not an id (a credentials sub, a forged token): no row, and no connection needed. */
    if (!na_store_id_ok(id)) {
        return APR_NOTFOUND;
    }
    if ((store = nextauth_db_store(r)) == NULL) {
        return APR_EGENERAL;
    }
    st = na_store_user_by_id(store, id, user, &err);
    return nextauth_db_answer(st, &err, *user != NULL);
}

apr_status_t nextauth_db_token_create(request_rec *r, const char *identifier, const char *hash,
                                      apr_int64_t expires)
{
    na_store_t *store = nextauth_db_store(r);
    na_store_token_t token = {identifier, hash, expires};
    na_err_t err = {NULL, NULL, 0};

    if (store == NULL) {
        return APR_EGENERAL;
    }
    return nextauth_db_answer(na_store_token_create(store, &token, &err), &err, 1);
}

apr_status_t nextauth_db_token_use(request_rec *r, const char *identifier, const char *hash,
                                   apr_int64_t *expires)
{
    na_store_t *store = nextauth_db_store(r);
    na_store_token_t *used = NULL;
    na_err_t err = {NULL, NULL, 0};
    na_status_t st;

    *expires = 0;
    if (identifier == NULL || hash == NULL) {
        return APR_NOTFOUND;
    }
    if (store == NULL) {
        return APR_EGENERAL;
    }
    st = na_store_token_use(store, identifier, hash, &used, &err);
    if (used) {
        *expires = used->expires;
    }
    return nextauth_db_answer(st, &err, used != NULL);
}

apr_status_t nextauth_db_session_create(request_rec *r, const char *user_id, const char *token,
                                        apr_int64_t expires)
{
    na_store_t *store;
    na_err_t err = {NULL, NULL, 0};

    if (!na_store_id_ok(user_id)) {
        return APR_EINVAL;
    }
    if ((store = nextauth_db_store(r)) == NULL) {
        return APR_EGENERAL;
    }
    return nextauth_db_answer(na_store_session_create(store, user_id, token, expires, &err), &err,
                              1);
}

apr_status_t nextauth_db_session_get(request_rec *r, const char *token, apr_int64_t *expires,
                                     na_store_user_t **user)
{
    na_store_t *store;
    na_store_session_t *session = NULL;
    na_err_t err = {NULL, NULL, 0};
    na_status_t st;

    *user = NULL;
    *expires = 0;
    if (token == NULL) {
        return APR_NOTFOUND;
    }
    if ((store = nextauth_db_store(r)) == NULL) {
        return APR_EGENERAL;
    }
    st = na_store_session_get(store, token, &session, &err);
    if (session) {
        *user = session->user;
        *expires = session->expires;
    }
    return nextauth_db_answer(st, &err, session != NULL);
}

apr_status_t nextauth_db_session_update(request_rec *r, const char *token, apr_int64_t expires)
{
    na_store_t *store = nextauth_db_store(r);
    na_err_t err = {NULL, NULL, 0};
    int n = 0;

    if (store == NULL) {
        return APR_EGENERAL;
    }
    return nextauth_db_answer(na_store_session_update(store, token, expires, &n, &err), &err,
                              n > 0);
}

apr_status_t nextauth_db_session_delete(request_rec *r, const char *token)
{
    na_store_t *store = nextauth_db_store(r);
    na_err_t err = {NULL, NULL, 0};
    int n = 0;

    if (store == NULL) {
        return APR_EGENERAL;
    }
    return nextauth_db_answer(na_store_session_delete(store, token, &n, &err), &err, n > 0);
}

apr_status_t nextauth_db_sessions_delete_user(request_rec *r, const char *user_id)
{
    na_store_t *store = nextauth_db_store(r);
    na_err_t err = {NULL, NULL, 0};
    int n = 0;

    if (store == NULL) {
        return APR_EGENERAL;
    }
    return nextauth_db_answer(na_store_sessions_delete_user(store, user_id, &n, &err), &err, 1);
}
