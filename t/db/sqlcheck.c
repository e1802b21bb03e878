/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors
 *
 * The module's own SQL (include/na_store_sql.h) through apr_dbd, as mod_dbd runs
 * it, on one database: `sqlcheck sqlite3 FILE` or `sqlcheck pgsql "host=... dbname=..."`
 * (tables from conf/schema/ already made, empty). Prints TAP; exits 1 on any failure.
 * t/db/sql.test.js builds and runs it on SQLite and PostgreSQL. Covers what the httpd
 * tests do not reach yet: verification tokens (single use), user updates and deletes. */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include <apr_dbd.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "na_store_sql.h"

static apr_pool_t *pool;
static const apr_dbd_driver_t *drv;
static apr_dbd_t *db;
static apr_dbd_prepared_t *stmts[NA_SQL__COUNT];
static int n_test, n_fail;

static void ok(int cond, const char *what)
{
    n_test++;
    if (!cond) {
        n_fail++;
    }
    printf("%s %d - %s\n", cond ? "ok" : "not ok", n_test, what);
}

/* Rows changed, or -1 on error. */
static int run(int which, int nargs, const char **args)
{
    int n = 0;

    if (apr_dbd_pquery(drv, pool, db, &n, stmts[which], nargs, args) != 0) {
        return -1;
    }
    return n;
}

/* Rows returned (every row fetched), the first one's columns in cols; -1 on error. */
static int get(int which, int nargs, const char **args, int ncols, const char **cols)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int n = 0, i, rv;

    if (apr_dbd_pselect(drv, pool, db, &res, stmts[which], 1, nargs, args) != 0) {
        return -1;
    }
    while ((rv = apr_dbd_get_row(drv, pool, res, &row, -1)) == 0) {
        for (i = 0; n == 0 && i < ncols; i++) {
            const char *v = NULL;
            if (apr_dbd_datum_get(drv, row, i, APR_DBD_TYPE_STRING, &v) != APR_SUCCESS) {
                v = NULL; /* SQL NULL */
            }
            cols[i] = v ? apr_pstrdup(pool, v) : NULL;
        }
        n++;
    }
    return rv == -1 ? n : -1;
}

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

int main(int argc, char **argv)
{
    const char *err = NULL, *c[6], *id, *id2;
    char now[32], later[32], soon[32];
    apr_int64_t t = (apr_int64_t)time(NULL);
    int i, sqlite;

    if (argc != 3) {
        fprintf(stderr, "usage: sqlcheck sqlite3|pgsql PARAMS\n");
        return 2;
    }
    apr_initialize();
    apr_pool_create(&pool, NULL);
    apr_dbd_init(pool);
    if (apr_dbd_get_driver(pool, argv[1], &drv) != APR_SUCCESS
        || apr_dbd_open_ex(drv, pool, argv[2], &db, &err) != APR_SUCCESS) {
        printf("Bail out! cannot open %s: %s\n", argv[1], err ? err : "?");
        return 1;
    }
    sqlite = strcmp(apr_dbd_name(drv), "sqlite3") == 0;
    for (i = 0; i < NA_SQL__COUNT; i++) {
        int rv =
            apr_dbd_prepare(drv, pool, db, sqlite ? na_store_sql[i].sqlite : na_store_sql[i].pgsql,
                            na_store_sql[i].label, &stmts[i]);
        ok(rv == 0, apr_psprintf(pool, "prepare %s%s%s", na_store_sql[i].label, rv ? ": " : "",
                                 rv ? apr_dbd_error(drv, db, rv) : ""));
        if (rv) {
            return 1;
        }
    }
    snprintf(now, sizeof(now), "%" APR_INT64_T_FMT, t);
    snprintf(soon, sizeof(soon), "%" APR_INT64_T_FMT, t + 100);
    snprintf(later, sizeof(later), "%" APR_INT64_T_FMT, t + 600);

    { /* users */
        const char *a[4] = {"Test User", "t@example.com", NULL, NULL};
        ok(get(NA_SQL_USER_CREATE, 4, a, 1, c) == 1 && c[0] && atoi(c[0]) > 0,
           "createUser answers the new id");
        id = c[0];
        ok(get(NA_SQL_USER_CREATE, 4, a, 1, c) == -1, "a second user with that e-mail is refused");
        ok(get(NA_SQL_USER_BY_EMAIL, 1, (const char *[]){"t@example.com"}, 5, c) == 1
               && same(c[0], id) && same(c[1], "Test User") && c[3] == NULL && c[4] == NULL,
           "getUserByEmail: id, name, image NULL, emailVerified NULL");
        ok(get(NA_SQL_USER_BY_EMAIL, 1, (const char *[]){"T@example.com"}, 5, c) == 0,
           "getUserByEmail is exact, as next-auth's adapters");
        ok(run(NA_SQL_USER_VERIFIED, 2, (const char *[]){now, id}) == 1, "emailVerified set");
        ok(get(NA_SQL_USER_BY_ID, 1, (const char *[]){id}, 5, c) == 1 && same(c[4], now),
           "getUser reads emailVerified back as epoch seconds");
        ok(get(NA_SQL_USER_BY_ID, 1, (const char *[]){"999999"}, 5, c) == 0, "unknown id: no row");
    }
    { /* accounts */
        const char *a[11] = {id,   "oauth",  "prov",   "pid-1", "at",        "rt",
                             "it", "Bearer", "openid", NULL,    "1700000000"};
        ok(run(NA_SQL_ACCOUNT_LINK, 11, a) == 1, "linkAccount");
        ok(run(NA_SQL_ACCOUNT_LINK, 11, a) == -1, "the same provider account twice is refused");
        ok(get(NA_SQL_USER_BY_ACCOUNT, 2, (const char *[]){"prov", "pid-1"}, 5, c) == 1
               && same(c[0], id),
           "getUserByAccount");
        ok(get(NA_SQL_USER_BY_ACCOUNT, 2, (const char *[]){"prov", "pid-2"}, 5, c) == 0,
           "getUserByAccount: another account id, no row");
        ok(run(NA_SQL_USER_DELETE, 1, (const char *[]){id}) == 0,
           "a user with an account is never deleted by the undo statement");
    }
    { /* an undone half-made user */
        const char *a[4] = {NULL, NULL, NULL, NULL};
        ok(get(NA_SQL_USER_CREATE, 4, a, 1, c) == 1, "a user without e-mail");
        id2 = c[0];
        ok(get(NA_SQL_USER_CREATE, 4, a, 1, c) == 1 && !same(c[0], id2),
           "several users without e-mail (NULLs are not unique)");
        ok(run(NA_SQL_USER_DELETE, 1, (const char *[]){id2}) == 1, "a user without account goes");
    }
    { /* verification tokens */
        const char *tok[3] = {"t@example.com", "hash-1", later};
        ok(run(NA_SQL_TOKEN_CREATE, 3, tok) == 1, "createVerificationToken");
        ok(run(NA_SQL_TOKEN_CREATE, 3, tok) == -1, "the same (identifier, token) twice is refused");
        ok(get(NA_SQL_TOKEN_USE, 2, (const char *[]){"x@example.com", "hash-1"}, 1, c) == 0,
           "useVerificationToken with another identifier: no row");
        ok(get(NA_SQL_TOKEN_USE, 2, (const char *[]){"t@example.com", "hash-1"}, 1, c) == 1
               && same(c[0], later),
           "useVerificationToken answers the expiry");
        ok(get(NA_SQL_TOKEN_USE, 2, (const char *[]){"t@example.com", "hash-1"}, 1, c) == 0,
           "useVerificationToken again: gone (single use)");
    }
    { /* sessions */
        ok(run(NA_SQL_SESSION_CREATE, 3, (const char *[]){id, "sess-1", soon}) == 1,
           "createSession");
        ok(run(NA_SQL_SESSION_CREATE, 3, (const char *[]){id, "sess-1", soon}) == -1,
           "the same session token twice is refused");
        ok(get(NA_SQL_SESSION_GET, 1, (const char *[]){"sess-1"}, 6, c) == 1 && same(c[0], id)
               && same(c[2], "t@example.com") && same(c[5], soon),
           "getSessionAndUser: the user and the expiry");
        ok(run(NA_SQL_SESSION_UPDATE, 2, (const char *[]){later, "sess-1"}) == 1, "updateSession");
        ok(get(NA_SQL_SESSION_GET, 1, (const char *[]){"sess-1"}, 6, c) == 1 && same(c[5], later),
           "the new expiry reads back");
        ok(get(NA_SQL_SESSION_GET, 1, (const char *[]){"' OR '1'='1"}, 6, c) == 0,
           "a token with SQL in it is only a string");
        ok(run(NA_SQL_SESSION_DELETE, 1, (const char *[]){"sess-1"}) == 1, "deleteSession");
        ok(get(NA_SQL_SESSION_GET, 1, (const char *[]){"sess-1"}, 6, c) == 0, "deleted");
    }
    printf("1..%d\n", n_test);
    apr_dbd_close(drv, db);
    apr_terminate();
    return n_fail ? 1 : 0;
}
