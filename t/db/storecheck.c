/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors
 *
 * The core's store and account linking (na_store.c, na_signin.c from build/libnextauth.a)
 * on one real database: `storecheck sqlite3 FILE` or `storecheck pgsql "host=..."` (tables
 * from conf/schema/ made, empty). The unit tests run these on SQLite only; this is where
 * PostgreSQL's answers (its "duplicate key" and foreign-key errors, TIMESTAMPTZ times) meet
 * the same code. Prints TAP; exits 1 on any failure. Run by t/db/sql.test.js. */
#include <stdio.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "na_signin.h"
#include "na_store.h"

static apr_pool_t *pool;
static na_store_t *store;
static int n_test, n_fail;
static int notes[NA_STORE_NOTE__COUNT];
static int pgsql;

static void ok(int cond, const char *what)
{
    n_test++;
    if (!cond) {
        n_fail++;
    }
    printf("%s %d - %s\n", cond ? "ok" : "not ok", n_test, what);
}

static void note(void *baton, na_store_note_e what, const char *text)
{
    (void)baton;
    notes[what]++;
    printf("# note %d: %s\n", (int)what, text);
}

static na_signin_t oauth_signin(const char *email, na_store_account_t *a, const char *pid)
{
    na_signin_t in;

    memset(a, 0, sizeof(*a));
    a->type = "oauth";
    a->provider = "github";
    a->provider_account_id = pid;
    a->expires_at = 1900000000;
    memset(&in, 0, sizeof(in));
    in.store = store;
    in.provider = "github";
    in.profile.name = "Octo";
    in.profile.email = email;
    in.account = a;
    in.now = 1700000000;
    return in;
}

static void check_users(void)
{
    na_store_user_t in = {NULL, "Store User", "store@example.com", NULL, 1700000000};
    na_store_user_t *u = NULL, *got = NULL;
    na_err_t err = {NULL, NULL, 0};
    int n = 0;

    ok(na_store_user_create(store, &in, 0, &u, NULL) == NA_OK && u && na_store_id_ok(u->id),
       "user created with a numeric id");
    ok(na_store_user_by_email(store, "store@example.com", &got, NULL) == NA_OK && got
           && strcmp(got->id, u->id) == 0 && got->email_verified == 1700000000,
       "user by e-mail, emailVerified as epoch seconds");
    ok(na_store_user_create(store, &in, 0, &got, &err) == NA_EDENIED && err.os_status == APR_EEXIST
           && notes[NA_STORE_NOTE_EXISTS] == 1 && notes[NA_STORE_NOTE_USER_RACE] == 1,
       "the same e-mail again: refused, noted as a row that exists and a concurrent user");
    ok(na_store_user_create(store, &in, 1, &got, NULL) == NA_OK && strcmp(got->id, u->id) == 0,
       "a proven address takes the existing user");
    ok(na_store_user_verified(store, u->id, 1700000100, &n, NULL) == NA_OK && n == 1,
       "emailVerified moved");
    ok(na_store_user_by_id(store, "123456789", &got, NULL) == NA_OK && got == NULL,
       "unknown id: no user");
}

static void check_sessions(void)
{
    na_store_user_t in = {NULL, NULL, "sess@example.com", NULL, 0}, *u = NULL;
    na_store_token_t tok = {"sess@example.com", "hash", 1700000600}, *used = NULL;
    na_store_session_t *s = NULL;
    na_err_t err = {NULL, NULL, 0};
    int n = 0;

    ok(na_store_user_create(store, &in, 0, &u, NULL) == NA_OK, "a session's user");
    ok(na_store_session_create(store, u->id, "st-1", 1700000300, NULL) == NA_OK, "session made");
    ok(na_store_session_get(store, "st-1", &s, NULL) == NA_OK && s && s->expires == 1700000300
           && strcmp(s->user->email, "sess@example.com") == 0,
       "session and user read back");
    ok(na_store_session_update(store, "st-1", 1700000900, &n, NULL) == NA_OK && n == 1,
       "session moved");
    ok(na_store_session_delete(store, "st-1", &n, NULL) == NA_OK && n == 1, "session deleted");
    /* SQLite as apr_dbd opens it does not enforce foreign keys; PostgreSQL does. */
    if (pgsql) {
        ok(na_store_session_create(store, "987654321", "st-2", 1, &err) == NA_EPEER
               && err.os_status == APR_EGENERAL && notes[NA_STORE_NOTE_FAILED] == 1,
           "PostgreSQL: a session of no user is refused by the foreign key, noted");
    }
    ok(na_store_token_create(store, &tok, NULL) == NA_OK
           && na_store_token_use(store, "sess@example.com", "hash", &used, NULL) == NA_OK && used
           && used->expires == 1700000600,
       "verification token used once with its expiry");
    ok(na_store_token_use(store, "sess@example.com", "hash", &used, NULL) == NA_OK && !used,
       "and not twice");
}

static void check_linking(void)
{
    na_store_account_t a;
    na_signin_t in = oauth_signin("link@example.com", &a, "gh-1");
    na_signin_result_t out;
    na_err_t err = {NULL, NULL, 0};
    na_store_user_t *current = NULL;
    const char *first;

    ok(na_signin_resolve(&in, &out, &err) == NA_OK && out.is_new, "OAuth: a new user, linked");
    first = out.user->id;
    ok(na_signin_resolve(&in, &out, &err) == NA_OK && !out.is_new
           && strcmp(out.user->id, first) == 0,
       "OAuth again: the linked user");
    in = oauth_signin("link@example.com", &a, "gh-2");
    ok(na_signin_resolve(&in, &out, &err) == NA_EDENIED
           && strcmp(err.code, "OAuthAccountNotLinked") == 0,
       "another account with that e-mail: OAuthAccountNotLinked");
    ok(na_store_user_by_id(store, first, &current, NULL) == NA_OK && current, "the user");
    in.current = current;
    ok(na_signin_resolve(&in, &out, &err) == NA_OK && out.keep && strcmp(out.user->id, first) == 0,
       "signed in: the other account is linked to the current user");
    in = oauth_signin("mail@example.com", &a, NULL);
    in.email_provider = 1;
    in.provider = "email";
    ok(na_signin_resolve(&in, &out, &err) == NA_OK && out.is_new
           && out.user->email_verified == 1700000000,
       "magic link: a new, verified user");
    ok(na_signin_resolve(&in, &out, &err) == NA_OK && !out.is_new, "magic link again: that user");
}

int main(int argc, char **argv)
{
    const apr_dbd_driver_t *drv = NULL;
    apr_dbd_t *db = NULL;
    const char *err = NULL;

    if (argc != 3) {
        fprintf(stderr, "usage: storecheck sqlite3|pgsql PARAMS\n");
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
    pgsql = strcmp(apr_dbd_name(drv), "pgsql") == 0;
    store = na_store_make(pool, drv, db, pool, NULL);
    store->note = note;
    check_users();
    check_sessions();
    check_linking();
    printf("1..%d\n", n_test);
    apr_dbd_close(drv, db);
    apr_terminate();
    return n_fail ? 1 : 0;
}
