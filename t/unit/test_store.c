/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_store.h"
#include "na_test_db.h"
#include "suites.h"

/* na_store on a real SQLite through apr_dbd (in memory, schema from conf/schema/). */

static na_store_user_t *test_store_new_user(na_test_db_t *db, const char *email)
{
    na_store_user_t in = {NULL, "Alice", email, "https://img.example/a.png", 0}, *u = NULL;

    ck_assert_int_eq(na_store_user_create(db->store, &in, 0, &u, NULL), NA_OK);
    ck_assert_ptr_nonnull(u);
    return u;
}

static void test_store_link(na_test_db_t *db, const char *user_id, const char *provider,
                            const char *pid)
{
    na_store_account_t a;

    memset(&a, 0, sizeof(a));
    a.user_id = user_id;
    a.type = "oauth";
    a.provider = provider;
    a.provider_account_id = pid;
    ck_assert_int_eq(na_store_account_link(db->store, &a, NULL), NA_OK);
}

/* ---- ids --------------------------------------------------------------------------- */

static const struct {
    const char *id;
    int ok;
} test_store_ids[] = {
    {"1", 1},
    {"0", 1},
    {"42", 1},
    {"9223372036854775807", 1},  /* 19 digits: the largest users.id */
    {"12345678901234567890", 0}, /* 20 digits */
    {"", 0},
    {NULL, 0},
    {"-1", 0},
    {"+1", 0},
    {" 1", 0},
    {"1 ", 0},
    {"1\n", 0},
    {"0x1f", 0},
    {"1e3", 0},
    {"12a", 0},
    {"\xd9\xa1", 0}, /* ARABIC-INDIC DIGIT ONE */
    {"alice@example.com", 0},
    {"1; DROP TABLE users", 0},
};

START_TEST(test_store_id_ok)
{
    ck_assert_msg(na_store_id_ok(test_store_ids[_i].id) == test_store_ids[_i].ok, "id \"%s\"",
                  test_store_ids[_i].id ? test_store_ids[_i].id : "(null)");
}
END_TEST

/* Odd ids never reach the database: even without tables, nothing fails or is noted. */
START_TEST(test_store_odd_ids_no_query)
{
    na_test_db_t *db = na_test_db_open(NULL, 0);
    na_store_user_t *u = (void *)1;
    int n = -1, i;

    for (i = 0; i < NA_TEST_COUNT(test_store_ids); i++) {
        if (test_store_ids[i].ok) {
            continue;
        }
        ck_assert_int_eq(na_store_user_by_id(db->store, test_store_ids[i].id, &u, NULL), NA_OK);
        ck_assert_ptr_null(u);
        ck_assert_int_eq(na_store_user_verified(db->store, test_store_ids[i].id, 1, &n, NULL),
                         NA_OK);
        ck_assert_int_eq(n, 0);
        ck_assert_int_eq(na_store_user_delete(db->store, test_store_ids[i].id, &n, NULL), NA_OK);
        ck_assert_int_eq(n, 0);
        ck_assert_int_eq(na_store_session_create(db->store, test_store_ids[i].id, "tok", 1, NULL),
                         NA_EINPUT);
    }
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_SCHEMA] + db->notes[NA_STORE_NOTE_FAILED], 0);
}
END_TEST

/* ---- users ------------------------------------------------------------------------- */

START_TEST(test_store_user_round_trip)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t in = {"ignored", "Bob", "bob@example.com", NULL, 1700000000}, *u, *got;

    ck_assert_int_eq(na_store_user_create(db->store, &in, 0, &u, NULL), NA_OK);
    ck_assert_msg(na_store_id_ok(u->id) && strcmp(u->id, "ignored") != 0, "id %s", u->id);
    ck_assert_int_eq(na_store_user_by_id(db->store, u->id, &got, NULL), NA_OK);
    ck_assert_str_eq(got->id, u->id);
    ck_assert_str_eq(got->name, "Bob");
    ck_assert_str_eq(got->email, "bob@example.com");
    ck_assert_ptr_null(got->image); /* SQL NULL stays NULL */
    ck_assert_int_eq(got->email_verified, 1700000000);
    ck_assert_int_eq(na_store_user_by_email(db->store, "bob@example.com", &got, NULL), NA_OK);
    ck_assert_str_eq(got->id, u->id);
    /* e-mails compare exactly, as the adapters' SQL does */
    ck_assert_int_eq(na_store_user_by_email(db->store, "BOB@example.com", &got, NULL), NA_OK);
    ck_assert_ptr_null(got);
    ck_assert_int_eq(na_store_user_by_email(db->store, NULL, &got, NULL), NA_OK);
    ck_assert_ptr_null(got);
    ck_assert_int_eq(na_store_user_by_id(db->store, "987654", &got, NULL), NA_OK);
    ck_assert_ptr_null(got);
}
END_TEST

START_TEST(test_store_user_verified)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t *u = test_store_new_user(db, "v@example.com"), *got;
    int n = 0;

    ck_assert_int_eq(u->email_verified, 0);
    ck_assert_int_eq(na_store_user_verified(db->store, u->id, 1234567890, &n, NULL), NA_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(na_store_user_by_id(db->store, u->id, &got, NULL), NA_OK);
    ck_assert_int_eq(got->email_verified, 1234567890);
    ck_assert_int_eq(na_store_user_verified(db->store, "424242", 1, &n, NULL), NA_OK);
    ck_assert_int_eq(n, 0);
}
END_TEST

/* Two users without an e-mail are two users: NULL meets no unique index. */
START_TEST(test_store_user_without_email)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t *a = test_store_new_user(db, NULL), *b = test_store_new_user(db, NULL);

    ck_assert_str_ne(a->id, b->id);
    ck_assert_int_eq(na_test_db_int(db, "SELECT COUNT(*) FROM users"), 2);
}
END_TEST

/* The e-mail's unique index: a proven address takes the existing user, anyone else is
 * refused (a stranger's account is never handed out). */
START_TEST(test_store_user_create_taken)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t *first = test_store_new_user(db, "dup@example.com"), *u = (void *)1;
    na_store_user_t in = {NULL, "Mallory", "dup@example.com", NULL, 0};
    na_err_t err = {NULL, NULL, 0};

    ck_assert_int_eq(na_store_user_create(db->store, &in, 0, &u, &err), NA_EDENIED);
    ck_assert_ptr_null(u);
    ck_assert_int_eq(err.os_status, APR_EEXIST);
    ck_assert_ptr_null(err.code);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_EXISTS], 1);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_USER_RACE], 1);
    ck_assert_str_eq(db->last_note,
                     "database: a user with this e-mail was created concurrently; not taken");
    ck_assert_int_eq(na_store_user_create(db->store, &in, 1, &u, &err), NA_OK);
    ck_assert_str_eq(u->id, first->id);
    ck_assert_str_eq(u->name, "Alice"); /* the row's, not the request's */
    ck_assert_str_eq(db->last_note,
                     "database: a user with this e-mail was created concurrently; using it");
    ck_assert_int_eq(na_test_db_int(db, "SELECT COUNT(*) FROM users"), 1);
}
END_TEST

/* Only a user without accounts goes: never one another host finished meanwhile. */
START_TEST(test_store_user_delete)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t *linked = test_store_new_user(db, "l@example.com");
    na_store_user_t *bare = test_store_new_user(db, "b@example.com");
    int n = -1;

    test_store_link(db, linked->id, "github", "77");
    ck_assert_int_eq(na_store_user_delete(db->store, linked->id, &n, NULL), NA_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(na_store_user_delete(db->store, bare->id, &n, NULL), NA_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(na_test_db_int(db, "SELECT COUNT(*) FROM users"), 1);
}
END_TEST

/* ---- accounts ---------------------------------------------------------------------- */

START_TEST(test_store_account_link_and_find)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t *u = test_store_new_user(db, "a@example.com"), *got;
    na_store_account_t a = {u->id,        "oauth",       "github",       "12345",
                            "gho_access", "ghr_refresh", "eyJ.id.token", "bearer",
                            "read:user",  "st",          1900000000};

    ck_assert_int_eq(na_store_account_link(db->store, &a, NULL), NA_OK);
    ck_assert_int_eq(na_store_user_by_account(db->store, "github", "12345", &got, NULL), NA_OK);
    ck_assert_str_eq(got->id, u->id);
    ck_assert_int_eq(na_test_db_int(db, "SELECT expires_at FROM accounts WHERE access_token = "
                                        "'gho_access' AND refresh_token = 'ghr_refresh' AND "
                                        "id_token = 'eyJ.id.token' AND token_type = 'bearer' "
                                        "AND scope = 'read:user' AND session_state = 'st'"),
                     1900000000);
    ck_assert_int_eq(na_store_user_by_account(db->store, "google", "12345", &got, NULL), NA_OK);
    ck_assert_ptr_null(got);
    ck_assert_int_eq(na_store_user_by_account(db->store, "github", "123456", &got, NULL), NA_OK);
    ck_assert_ptr_null(got);
    ck_assert_int_eq(na_store_user_by_account(db->store, NULL, "12345", &got, NULL), NA_OK);
    ck_assert_ptr_null(got);
    ck_assert_int_eq(na_store_user_by_account(db->store, "github", NULL, &got, NULL), NA_OK);
    ck_assert_ptr_null(got);
}
END_TEST

START_TEST(test_store_account_link_twice)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t *u = test_store_new_user(db, "a@example.com");
    na_store_user_t *v = test_store_new_user(db, "b@example.com");
    na_store_account_t a = {v->id, "oauth", "github", "1", NULL, NULL, NULL, NULL, NULL, NULL, 0};
    na_err_t err = {NULL, NULL, 0};

    test_store_link(db, u->id, "github", "1");
    ck_assert_int_eq(na_store_account_link(db->store, &a, &err), NA_EDENIED);
    ck_assert_int_eq(err.os_status, APR_EEXIST);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_EXISTS], 1);
    ck_assert_str_eq(db->last_note,
                     "database (sqlite3): nextauth_account_link: the row exists already");
    ck_assert_int_eq(na_test_db_int(db, "SELECT COUNT(*) FROM accounts"), 1);
}
END_TEST

/* Each required field missing in turn, and a user id that is no id. */
START_TEST(test_store_account_incomplete)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_account_t full = {"1", "oauth", "github", "9", NULL, NULL, NULL, NULL, NULL, NULL, 0};
    na_store_account_t a = full;
    na_err_t err = {NULL, NULL, 0};

    switch (_i) {
    case 0:
        a.user_id = NULL;
        break;
    case 1:
        a.user_id = "1x";
        break;
    case 2:
        a.type = NULL;
        break;
    case 3:
        a.provider = NULL;
        break;
    default:
        a.provider_account_id = NULL;
        break;
    }
    ck_assert_int_eq(na_store_account_link(db->store, &a, &err), NA_EINPUT);
    ck_assert_int_eq(err.os_status, APR_EINVAL);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_INCOMPLETE], 1);
    ck_assert_str_eq(db->last_note, "database: incomplete account to link");
    ck_assert_int_eq(na_test_db_int(db, "SELECT COUNT(*) FROM accounts"), 0);
}
END_TEST

/* ---- verification tokens ----------------------------------------------------------- */

START_TEST(test_store_token_single_use)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_token_t t = {"a@example.com", "hash-1", 1700000600}, *used = (void *)1;

    ck_assert_int_eq(na_store_token_create(db->store, &t, NULL), NA_OK);
    /* another address's token, another hash: no row, and the row stays */
    ck_assert_int_eq(na_store_token_use(db->store, "b@example.com", "hash-1", &used, NULL), NA_OK);
    ck_assert_ptr_null(used);
    ck_assert_int_eq(na_store_token_use(db->store, "a@example.com", "hash-2", &used, NULL), NA_OK);
    ck_assert_ptr_null(used);
    ck_assert_int_eq(na_store_token_use(db->store, "a@example.com", "hash-1", &used, NULL), NA_OK);
    ck_assert_ptr_nonnull(used);
    ck_assert_int_eq(used->expires, 1700000600);
    ck_assert_int_eq(na_store_token_use(db->store, "a@example.com", "hash-1", &used, NULL), NA_OK);
    ck_assert_ptr_null(used);
    ck_assert_int_eq(na_store_token_use(db->store, NULL, "hash-1", &used, NULL), NA_OK);
    ck_assert_ptr_null(used);
    ck_assert_int_eq(na_store_token_use(db->store, "a@example.com", NULL, &used, NULL), NA_OK);
    ck_assert_ptr_null(used);
    ck_assert_int_eq(na_test_db_int(db, "SELECT COUNT(*) FROM verification_token"), 0);
}
END_TEST

/* ---- database sessions ------------------------------------------------------------- */

START_TEST(test_store_session_life)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t *u = test_store_new_user(db, "s@example.com");
    na_store_session_t *s = NULL;
    na_err_t err = {NULL, NULL, 0};
    int n = -1;

    ck_assert_int_eq(na_store_session_create(db->store, u->id, "tok-1", 1700001000, NULL), NA_OK);
    ck_assert_int_eq(na_store_session_get(db->store, "tok-1", &s, NULL), NA_OK);
    ck_assert_str_eq(s->token, "tok-1");
    ck_assert_int_eq(s->expires, 1700001000);
    ck_assert_str_eq(s->user->id, u->id);
    ck_assert_str_eq(s->user->email, "s@example.com");
    ck_assert_int_eq(na_store_session_update(db->store, "tok-1", 1700002000, &n, NULL), NA_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(na_store_session_get(db->store, "tok-1", &s, NULL), NA_OK);
    ck_assert_int_eq(s->expires, 1700002000);
    /* the token is unique */
    ck_assert_int_eq(na_store_session_create(db->store, u->id, "tok-1", 1, &err), NA_EDENIED);
    ck_assert_int_eq(err.os_status, APR_EEXIST);
    ck_assert_int_eq(na_store_session_delete(db->store, "tok-1", &n, NULL), NA_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(na_store_session_delete(db->store, "tok-1", &n, NULL), NA_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(na_store_session_update(db->store, "tok-1", 1, &n, NULL), NA_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(na_store_session_get(db->store, "tok-1", &s, NULL), NA_OK);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(na_store_session_get(db->store, NULL, &s, NULL), NA_OK);
    ck_assert_ptr_null(s);
}
END_TEST

/* Sign out everywhere of a database session: every row of the user goes, no one else's. */
START_TEST(test_store_sessions_delete_user)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t *a = test_store_new_user(db, "a@example.com");
    na_store_user_t *b = test_store_new_user(db, "b@example.com");
    na_store_session_t *s = NULL;
    int n = -1;

    ck_assert_int_eq(na_store_session_create(db->store, a->id, "a-1", 1700001000, NULL), NA_OK);
    ck_assert_int_eq(na_store_session_create(db->store, a->id, "a-2", 1700001000, NULL), NA_OK);
    ck_assert_int_eq(na_store_session_create(db->store, b->id, "b-1", 1700001000, NULL), NA_OK);
    ck_assert_int_eq(na_store_sessions_delete_user(db->store, a->id, &n, NULL), NA_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(na_store_session_get(db->store, "a-2", &s, NULL), NA_OK);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(na_store_session_get(db->store, "b-1", &s, NULL), NA_OK);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(na_store_sessions_delete_user(db->store, a->id, &n, NULL), NA_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(na_store_sessions_delete_user(db->store, "no-such-id", &n, NULL), NA_OK);
    ck_assert_int_eq(n, 0);
}
END_TEST

/* ---- failures ---------------------------------------------------------------------- */

/* No tables: every call is the Configuration error, and the note names the schema file. */
START_TEST(test_store_schema_missing)
{
    na_test_db_t *db = na_test_db_open(NULL, 0);
    na_store_user_t *u = (void *)1, in = {NULL, "n", "e@example.com", NULL, 0};
    na_store_token_t t = {"e@example.com", "h", 1};
    na_err_t err = {NULL, NULL, 0};
    na_status_t st;

    switch (_i) {
    case 0:
        st = na_store_user_by_email(db->store, "e@example.com", &u, &err);
        break;
    case 1:
        st = na_store_user_create(db->store, &in, 1, &u, &err);
        break;
    case 2:
        st = na_store_token_create(db->store, &t, &err);
        break;
    default:
        st = na_store_session_delete(db->store, "tok", NULL, &err);
        break;
    }
    ck_assert_int_eq(st, NA_EPEER);
    ck_assert_str_eq(err.code, "Configuration");
    ck_assert_int_eq(err.os_status, NA_STORE_ESCHEMA);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_SCHEMA], 1);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_USER_RACE], 0);
    ck_assert_ptr_nonnull(strstr(db->last_note, "no such table"));
    ck_assert_ptr_nonnull(strstr(db->last_note, "create the tables with conf/schema/sqlite.sql"));
    ck_assert_ptr_eq(err.detail, db->last_note);
}
END_TEST

/* A schema that is not next-auth's (a column gone): the database's error, not the schema
 * hint, and the statement named. */
START_TEST(test_store_statement_fails)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t *u = (void *)1;
    na_err_t err = {NULL, NULL, 0};

    na_test_db_exec(db, "ALTER TABLE users DROP COLUMN image");
    ck_assert_int_eq(na_store_user_by_email(db->store, "x@example.com", &u, &err), NA_EPEER);
    ck_assert_ptr_null(u);
    ck_assert_ptr_null(err.code);
    ck_assert_int_eq(err.os_status, APR_EGENERAL);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_FAILED], 1);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_SCHEMA], 0);
    ck_assert_msg(
        strncmp(db->last_note, "database (sqlite3): preparing nextauth_user_by_email failed: ", 61)
            == 0,
        "%s", db->last_note);
}
END_TEST

/* A statement is prepared once per connection, in the connection's hash. */
START_TEST(test_store_prepared_once)
{
    na_test_db_t *db = na_test_db_open(NULL, 1);
    na_store_user_t *u;
    apr_dbd_prepared_t *first;

    ck_assert_int_eq(apr_hash_count(db->store->prepared), 0);
    ck_assert_int_eq(na_store_user_by_email(db->store, "a@example.com", &u, NULL), NA_OK);
    ck_assert_int_eq(apr_hash_count(db->store->prepared), 1);
    first = apr_hash_get(db->store->prepared, "nextauth_user_by_email", APR_HASH_KEY_STRING);
    ck_assert_ptr_nonnull(first);
    ck_assert_int_eq(na_store_user_by_email(db->store, "b@example.com", &u, NULL), NA_OK);
    ck_assert_int_eq(apr_hash_count(db->store->prepared), 1);
    ck_assert_ptr_eq(
        apr_hash_get(db->store->prepared, "nextauth_user_by_email", APR_HASH_KEY_STRING), first);
    ck_assert_int_eq(db->store->sqlite, 1);
}
END_TEST

/* Without a note function the store still answers. */
START_TEST(test_store_without_note)
{
    na_test_db_t *db = na_test_db_open(NULL, 0);
    na_store_user_t *u = (void *)1;
    na_err_t err = {NULL, NULL, 0};

    db->store->note = NULL;
    ck_assert_int_eq(na_store_user_by_email(db->store, "a@example.com", &u, &err), NA_EPEER);
    ck_assert_str_eq(err.code, "Configuration");
    ck_assert_int_eq(na_store_user_by_email(db->store, "a@example.com", &u, NULL), NA_EPEER);
}
END_TEST

Suite *suite_store(void)
{
    Suite *s = suite_create("store");
    TCase *ids = na_test_tcase("ids");
    TCase *rows = na_test_tcase("rows");
    TCase *fail = na_test_tcase("failures");

    tcase_add_loop_test(ids, test_store_id_ok, 0, NA_TEST_COUNT(test_store_ids));
    tcase_add_test(ids, test_store_odd_ids_no_query);
    suite_add_tcase(s, ids);
    tcase_add_test(rows, test_store_user_round_trip);
    tcase_add_test(rows, test_store_user_verified);
    tcase_add_test(rows, test_store_user_without_email);
    tcase_add_test(rows, test_store_user_create_taken);
    tcase_add_test(rows, test_store_user_delete);
    tcase_add_test(rows, test_store_account_link_and_find);
    tcase_add_test(rows, test_store_account_link_twice);
    tcase_add_loop_test(rows, test_store_account_incomplete, 0, 5);
    tcase_add_test(rows, test_store_token_single_use);
    tcase_add_test(rows, test_store_session_life);
    tcase_add_test(rows, test_store_sessions_delete_user);
    suite_add_tcase(s, rows);
    tcase_add_loop_test(fail, test_store_schema_missing, 0, 4);
    tcase_add_test(fail, test_store_statement_fails);
    tcase_add_test(fail, test_store_prepared_once);
    tcase_add_test(fail, test_store_without_note);
    suite_add_tcase(s, fail);
    return s;
}
