/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_time.h>

#include "na_signin.h"
#include "na_test_db.h"
#include "suites.h"

/* na_signin_resolve, next-auth's account-linking table, on a real SQLite through
 * apr_dbd; the races play another request's statements on a second connection at the
 * exact point where they interleave (na_test_db_meanwhile). */

#define TEST_NOW 1700000000

typedef struct test_signin_t {
    na_test_db_t *db;
    na_signin_t in;
    na_store_account_t account;
    na_signin_result_t out;
    na_err_t err;
    int notes[NA_SIGNIN_NOTE__COUNT];
    const char *last_note;
} test_signin_t;

static void test_signin_note(void *baton, na_signin_note_e what, const char *text)
{
    test_signin_t *t = baton;

    ck_assert_int_lt(what, NA_SIGNIN_NOTE__COUNT);
    t->notes[what]++;
    t->last_note = text;
}

/* A GitHub sign-in of account 4242 with the profile's e-mail (NULL: none). */
static test_signin_t *test_signin_oauth(na_test_db_t *db, const char *email)
{
    test_signin_t *t = apr_pcalloc(na_test_pool, sizeof(*t));

    t->db = db ? db : na_test_db_open(NULL, 1);
    t->account.type = "oauth";
    t->account.provider = "github";
    t->account.provider_account_id = "4242";
    t->account.access_token = "gho_token";
    t->in.store = t->db->store;
    t->in.provider = "github";
    t->in.profile.name = "Octo Cat";
    t->in.profile.email = email;
    t->in.profile.image = "https://img.example/o.png";
    t->in.account = &t->account;
    t->in.now = TEST_NOW;
    t->in.note = test_signin_note;
    t->in.baton = t;
    return t;
}

/* A magic link of the e-mail provider "email" for address. */
static test_signin_t *test_signin_email(na_test_db_t *db, const char *address)
{
    test_signin_t *t = test_signin_oauth(db, address);

    t->in.provider = "email";
    t->in.email_provider = 1;
    t->in.profile.name = NULL;
    t->in.profile.image = NULL;
    t->account.type = "email";
    t->account.provider = "email";
    t->account.provider_account_id = address;
    t->account.access_token = NULL;
    return t;
}

static na_status_t test_signin_run(test_signin_t *t)
{
    memset(&t->err, 0, sizeof(t->err));
    return na_signin_resolve(&t->in, &t->out, &t->err);
}

static na_store_user_t *test_signin_user(na_test_db_t *db, const char *email)
{
    na_store_user_t in = {NULL, "Existing", email, NULL, 0}, *u = NULL;

    ck_assert_int_eq(na_store_user_create(db->store, &in, 0, &u, NULL), NA_OK);
    return u;
}

static void test_signin_link(na_test_db_t *db, const char *user_id, const char *provider,
                             const char *pid)
{
    na_store_account_t a = {user_id, "oauth", provider, pid, NULL, NULL, NULL, NULL, NULL, NULL, 0};

    ck_assert_int_eq(na_store_account_link(db->store, &a, NULL), NA_OK);
}

static long long test_signin_count(na_test_db_t *db, const char *table)
{
    return na_test_db_int(db, apr_pstrcat(na_test_pool, "SELECT COUNT(*) FROM ", table, NULL));
}

static void test_signin_failed(test_signin_t *t, na_status_t want, const char *code)
{
    ck_assert_int_eq(test_signin_run(t), want);
    ck_assert_str_eq(t->err.code, code);
}

/* ---- e-mail (magic link) ----------------------------------------------------------- */

START_TEST(test_signin_email_new_user)
{
    test_signin_t *t = test_signin_email(NULL, "new@example.com");

    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(t->out.is_new, 1);
    ck_assert_int_eq(t->out.keep, 0);
    /* createUser; the e-mail account is no linkAccount (as in next-auth) */
    ck_assert_int_eq(t->out.created_user, 1);
    ck_assert_int_eq(t->out.linked_account, 0);
    ck_assert_str_eq(t->out.user->email, "new@example.com");
    ck_assert_int_eq(t->out.user->email_verified, TEST_NOW);
    ck_assert_int_eq(na_test_db_int(t->db, "SELECT \"emailVerified\" FROM users"), TEST_NOW);
    ck_assert_int_eq(na_test_db_int(t->db, "SELECT COUNT(*) FROM accounts WHERE type = 'email' "
                                           "AND provider = 'email' AND \"providerAccountId\" = "
                                           "'new@example.com'"),
                     1);
}
END_TEST

/* The user exists: emailVerified moves to now, and the e-mail account is linked once. */
START_TEST(test_signin_email_existing_user)
{
    test_signin_t *t = test_signin_email(NULL, "old@example.com");
    na_store_user_t *u = test_signin_user(t->db, "old@example.com");

    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_str_eq(t->out.user->id, u->id);
    ck_assert_int_eq(t->out.is_new, 0);
    ck_assert_int_eq(t->out.created_user, 0);
    ck_assert_int_eq(t->out.linked_account, 0);
    ck_assert_int_eq(t->out.user->email_verified, TEST_NOW);
    t->in.now = TEST_NOW + 60;
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_str_eq(t->out.user->id, u->id);
    ck_assert_int_eq(na_test_db_int(t->db, "SELECT \"emailVerified\" FROM users"), TEST_NOW + 60);
    ck_assert_int_eq(test_signin_count(t->db, "accounts"), 1);
    ck_assert_int_eq(test_signin_count(t->db, "users"), 1);
}
END_TEST

/* Without a profile e-mail, the account's id is the address (next-auth's email account). */
START_TEST(test_signin_email_address_from_account)
{
    test_signin_t *t = test_signin_email(NULL, "acct@example.com");

    t->in.profile.email = NULL;
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_str_eq(t->out.user->email, "acct@example.com");
}
END_TEST

START_TEST(test_signin_email_without_address)
{
    test_signin_t *t = test_signin_email(NULL, NULL);

    if (_i == 1) {
        t->in.profile.email = "";
        t->account.provider_account_id = "";
    }
    else if (_i == 2) {
        t->in.account = NULL;
    }
    test_signin_failed(t, NA_EINTERNAL, "Callback");
    ck_assert_int_eq(t->notes[NA_SIGNIN_NOTE_NO_EMAIL], 1);
    ck_assert_str_eq(t->last_note, "e-mail sign-in through email without an address");
    ck_assert_int_eq(test_signin_count(t->db, "users"), 0);
}
END_TEST

/* Signed in as someone else in a database session: that session ends; as the same user,
 * it stays. */
START_TEST(test_signin_email_ends_other_session)
{
    test_signin_t *t = test_signin_email(NULL, "me@example.com");
    na_store_user_t *other = test_signin_user(t->db, "other@example.com");
    na_store_user_t *me = test_signin_user(t->db, "me@example.com");

    ck_assert_int_eq(na_store_session_create(t->db->store, other->id, "s-other", 9000000000, NULL),
                     NA_OK);
    ck_assert_int_eq(na_store_session_create(t->db->store, me->id, "s-me", 9000000000, NULL),
                     NA_OK);
    t->in.current = me;
    t->in.current_db_token = "s-me";
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(test_signin_count(t->db, "sessions"), 2);
    t->in.current = other;
    t->in.current_db_token = "s-other";
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_str_eq(t->out.user->id, me->id);
    ck_assert_int_eq(na_test_db_int(t->db, "SELECT COUNT(*) FROM sessions WHERE "
                                           "\"sessionToken\" = 's-other'"),
                     0);
    ck_assert_int_eq(test_signin_count(t->db, "sessions"), 1);
}
END_TEST

START_TEST(test_signin_email_schema_missing)
{
    test_signin_t *t = test_signin_email(na_test_db_open(NULL, 0), "x@example.com");

    test_signin_failed(t, NA_EPEER, "Configuration");
    ck_assert_int_eq(t->db->notes[NA_STORE_NOTE_SCHEMA], 1);
}
END_TEST

/* ---- OAuth: the table of SPEC 9, row by row ---------------------------------------- */

/* linked to the signed-in user: no-op, keep the session */
START_TEST(test_signin_oauth_linked_to_current)
{
    test_signin_t *t = test_signin_oauth(NULL, "o@example.com");
    na_store_user_t *u = test_signin_user(t->db, "o@example.com");

    test_signin_link(t->db, u->id, "github", "4242");
    t->in.current = u;
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_str_eq(t->out.user->id, u->id);
    ck_assert_int_eq(t->out.keep, 1);
    ck_assert_int_eq(t->out.is_new, 0);
    ck_assert_int_eq(test_signin_count(t->db, "accounts"), 1);
}
END_TEST

/* linked to a different user while signed in: OAuthAccountNotLinked */
START_TEST(test_signin_oauth_linked_to_other)
{
    test_signin_t *t = test_signin_oauth(NULL, "o@example.com");
    na_store_user_t *owner = test_signin_user(t->db, "o@example.com");
    na_store_user_t *me = test_signin_user(t->db, "me@example.com");

    test_signin_link(t->db, owner->id, "github", "4242");
    t->in.current = me;
    test_signin_failed(t, NA_EDENIED, "OAuthAccountNotLinked");
    ck_assert_int_eq(test_signin_count(t->db, "accounts"), 1);
}
END_TEST

/* linked, nobody signed in: that user (the profile does not change it) */
START_TEST(test_signin_oauth_linked)
{
    test_signin_t *t = test_signin_oauth(NULL, "changed@example.com");
    na_store_user_t *u = test_signin_user(t->db, "o@example.com");

    test_signin_link(t->db, u->id, "github", "4242");
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_str_eq(t->out.user->id, u->id);
    ck_assert_str_eq(t->out.user->email, "o@example.com");
    ck_assert_int_eq(t->out.keep, 0);
    ck_assert_int_eq(t->out.is_new, 0);
    ck_assert_int_eq(t->out.created_user, 0);
    ck_assert_int_eq(t->out.linked_account, 0);
}
END_TEST

/* not linked, signed in: link to the current user, keep the session */
START_TEST(test_signin_oauth_link_to_current)
{
    test_signin_t *t = test_signin_oauth(NULL, "other-address@example.com");
    na_store_user_t *me = test_signin_user(t->db, "me@example.com");
    na_store_user_t *got = NULL;

    t->in.current = me;
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_str_eq(t->out.user->id, me->id);
    ck_assert_int_eq(t->out.keep, 1);
    ck_assert_int_eq(t->out.is_new, 0);
    ck_assert_int_eq(t->out.created_user, 0);
    ck_assert_int_eq(t->out.linked_account, 1);
    ck_assert_int_eq(t->notes[NA_SIGNIN_NOTE_LINKED], 1);
    ck_assert_str_eq(t->last_note,
                     apr_pstrcat(na_test_pool, "linked a github account to user ", me->id, NULL));
    ck_assert_int_eq(na_store_user_by_account(t->db->store, "github", "4242", &got, NULL), NA_OK);
    ck_assert_str_eq(got->id, me->id);
    ck_assert_int_eq(test_signin_count(t->db, "users"), 1);
}
END_TEST

/* not linked, nobody signed in, the e-mail is an existing user's: OAuthAccountNotLinked,
 * after the short wait for a link that never comes */
START_TEST(test_signin_oauth_email_taken)
{
    test_signin_t *t = test_signin_oauth(NULL, "taken@example.com");
    apr_time_t started;

    test_signin_user(t->db, "taken@example.com");
    started = apr_time_now();
    test_signin_failed(t, NA_EDENIED, "OAuthAccountNotLinked");
    ck_assert_int_ge(apr_time_now() - started, apr_time_from_msec(150));
    ck_assert_int_eq(test_signin_count(t->db, "accounts"), 0);
    ck_assert_int_eq(test_signin_count(t->db, "users"), 1);
}
END_TEST

/* ... and with allowDangerousEmailAccountLinking: linked to that user, isNewUser true */
START_TEST(test_signin_oauth_email_linking_allowed)
{
    test_signin_t *t = test_signin_oauth(NULL, "taken@example.com");
    na_store_user_t *owner = test_signin_user(t->db, "taken@example.com");

    t->in.allow_email_linking = 1;
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_str_eq(t->out.user->id, owner->id);
    ck_assert_int_eq(t->out.is_new, 1);
    ck_assert_int_eq(t->out.keep, 0);
    ck_assert_int_eq(t->out.created_user, 0);
    ck_assert_int_eq(t->out.linked_account, 1);
    ck_assert_int_eq(t->notes[NA_SIGNIN_NOTE_LINKED], 1);
    ck_assert_int_eq(test_signin_count(t->db, "accounts"), 1);
    ck_assert_int_eq(test_signin_count(t->db, "users"), 1);
}
END_TEST

/* not linked, nobody, no e-mail match: a new user from the profile, the account linked */
START_TEST(test_signin_oauth_new_user)
{
    test_signin_t *t = test_signin_oauth(NULL, "fresh@example.com");

    test_signin_user(t->db, "someone-else@example.com");
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(t->out.is_new, 1);
    ck_assert_int_eq(t->out.keep, 0);
    ck_assert_int_eq(t->out.created_user, 1);
    ck_assert_int_eq(t->out.linked_account, 1);
    ck_assert_str_eq(t->out.user->name, "Octo Cat");
    ck_assert_str_eq(t->out.user->email, "fresh@example.com");
    ck_assert_str_eq(t->out.user->image, "https://img.example/o.png");
    ck_assert_int_eq(t->out.user->email_verified, 0); /* next-auth: emailVerified null */
    ck_assert_int_eq(na_test_db_int(t->db, "SELECT COUNT(*) FROM users WHERE email = "
                                           "'fresh@example.com' AND \"emailVerified\" IS NULL"),
                     1);
    ck_assert_int_eq(na_test_db_int(t->db, "SELECT COUNT(*) FROM accounts WHERE "
                                           "access_token = 'gho_token'"),
                     1);
    /* the second sign-in finds it */
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(t->out.is_new, 0);
    ck_assert_int_eq(t->out.created_user, 0);
    ck_assert_int_eq(t->out.linked_account, 0);
    ck_assert_int_eq(test_signin_count(t->db, "users"), 2);
}
END_TEST

/* No e-mail (none sent, or not verified): nothing to meet by, each account its own user. */
START_TEST(test_signin_oauth_without_email)
{
    test_signin_t *t = test_signin_oauth(NULL, NULL);

    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(t->out.is_new, 1);
    ck_assert_ptr_null(t->out.user->email);
    t->account.provider_account_id = "4343";
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(t->out.is_new, 1);
    ck_assert_int_eq(test_signin_count(t->db, "users"), 2);
}
END_TEST

START_TEST(test_signin_oauth_without_account)
{
    test_signin_t *t = test_signin_oauth(NULL, "a@example.com");

    if (_i == 0) {
        t->in.account = NULL;
    }
    else {
        t->account.provider_account_id = NULL;
    }
    test_signin_failed(t, NA_EINTERNAL, "Callback");
    ck_assert_int_eq(t->notes[NA_SIGNIN_NOTE_NO_ACCOUNT], 1);
    ck_assert_str_eq(t->last_note, "sign-in through github without an account");
    ck_assert_int_eq(test_signin_count(t->db, "users"), 0);
}
END_TEST

START_TEST(test_signin_oauth_schema_missing)
{
    test_signin_t *t = test_signin_oauth(na_test_db_open(NULL, 0), "x@example.com");

    test_signin_failed(t, NA_EPEER, "Configuration");
}
END_TEST

/* An odd account id is just an account id (bound as a string, never SQL). */
START_TEST(test_signin_oauth_odd_account_id)
{
    test_signin_t *t = test_signin_oauth(NULL, NULL);
    char *big = apr_palloc(na_test_pool, 4097);
    na_store_user_t *got = NULL;

    memset(big, 'x', 4096);
    big[4096] = '\0';
    t->account.provider_account_id = _i == 0 ? "1' OR '1'='1" : big;
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(t->out.is_new, 1);
    ck_assert_int_eq(na_store_user_by_account(t->db->store, "github",
                                              t->account.provider_account_id, &got, NULL),
                     NA_OK);
    ck_assert_str_eq(got->id, t->out.user->id);
    ck_assert_int_eq(na_store_user_by_account(t->db->store, "github", "1", &got, NULL), NA_OK);
    ck_assert_ptr_null(got);
}
END_TEST

/* ---- races ------------------------------------------------------------------------- */

/* The other request's first sign-in of the same account: its user and its link. */
#define TEST_SIGNIN_OTHER_FIRST(email)                                                             \
    "INSERT INTO users (id, name, email) VALUES (900, 'First', " email ");"                        \
    "INSERT INTO accounts (\"userId\", type, provider, \"providerAccountId\") "                    \
    "VALUES (900, 'oauth', 'github', '4242');"

/* Two first sign-ins of one account with an e-mail: ours finds no user and no account,
 * then the other one makes both; our INSERT meets the e-mail's unique index, and the
 * link shows the user is the other one's: the same person, signed in as that user. */
START_TEST(test_signin_race_same_account)
{
    na_test_db_t *db = na_test_db_open_shared();
    test_signin_t *t = test_signin_oauth(db, "twice@example.com");

    na_test_db_meanwhile(db, "INSERT INTO users", 0,
                         TEST_SIGNIN_OTHER_FIRST("'twice@example.com'"));
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(db->fired, 1);
    ck_assert_int_eq(db->other_rc, SQLITE_OK);
    ck_assert_str_eq(t->out.user->id, "900");
    ck_assert_int_eq(t->out.is_new, 0);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_EXISTS], 1);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_USER_RACE], 1);
    ck_assert_int_eq(test_signin_count(db, "users"), 1);
    ck_assert_int_eq(test_signin_count(db, "accounts"), 1);
}
END_TEST

/* The same without an e-mail: both make a user (nothing unique to meet on), the other
 * links first; ours meets the account's unique index, takes the other's user and
 * removes its own. */
START_TEST(test_signin_race_same_account_no_email)
{
    na_test_db_t *db = na_test_db_open_shared();
    test_signin_t *t = test_signin_oauth(db, NULL);

    na_test_db_meanwhile(db, "INSERT INTO accounts", 0, TEST_SIGNIN_OTHER_FIRST("NULL"));
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(db->fired, 1);
    ck_assert_int_eq(db->other_rc, SQLITE_OK);
    ck_assert_str_eq(t->out.user->id, "900");
    ck_assert_int_eq(t->out.is_new, 0);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_EXISTS], 1);
    ck_assert_int_eq(test_signin_count(db, "users"), 1);
    ck_assert_int_eq(test_signin_count(db, "accounts"), 1);
}
END_TEST

/* Someone else (another account) took the e-mail between our lookup and our INSERT: their
 * user is not ours to take, and no link of ours appears: OAuthAccountNotLinked. */
START_TEST(test_signin_race_email_taken_by_other)
{
    na_test_db_t *db = na_test_db_open_shared();
    test_signin_t *t = test_signin_oauth(db, "contested@example.com");

    na_test_db_meanwhile(db, "INSERT INTO users", 0,
                         "INSERT INTO users (id, email) VALUES (901, 'contested@example.com');"
                         "INSERT INTO accounts (\"userId\", type, provider, "
                         "\"providerAccountId\") VALUES (901, 'oauth', 'google', 'g-1');");
    test_signin_failed(t, NA_EDENIED, "OAuthAccountNotLinked");
    ck_assert_int_eq(db->fired, 1);
    ck_assert_int_eq(test_signin_count(db, "users"), 1);
    ck_assert_int_eq(na_test_db_int(db, "SELECT COUNT(*) FROM accounts WHERE provider = "
                                        "'github'"),
                     0);
}
END_TEST

/* The e-mail's user exists unlinked (the other request made it and links just after):
 * the link appears during our wait, to that same user: signed in as it. */
START_TEST(test_signin_race_link_appears)
{
    na_test_db_t *db = na_test_db_open_shared();
    test_signin_t *t = test_signin_oauth(db, "soon@example.com");
    na_store_user_t *u = test_signin_user(db, "soon@example.com");

    /* the first by-account lookup is the table's; the second is the wait's first look */
    na_test_db_meanwhile(db, "JOIN accounts", 1,
                         apr_pstrcat(na_test_pool,
                                     "INSERT INTO accounts (\"userId\", type, provider, "
                                     "\"providerAccountId\") VALUES (",
                                     u->id, ", 'oauth', 'github', '4242')", NULL));
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(db->fired, 1);
    ck_assert_int_eq(db->other_rc, SQLITE_OK);
    ck_assert_str_eq(t->out.user->id, u->id);
    ck_assert_int_eq(t->out.is_new, 0);
}
END_TEST

/* A user deleted between the lookup and the update of a magic-link sign-in: Callback,
 * and nothing is made for the vanished user. */
START_TEST(test_signin_race_user_deleted_email)
{
    na_test_db_t *db = na_test_db_open_shared();
    test_signin_t *t = test_signin_email(db, "gone@example.com");

    test_signin_user(db, "gone@example.com");
    na_test_db_meanwhile(db, "UPDATE users", 0, "DELETE FROM users");
    test_signin_failed(t, NA_EPEER, "Callback");
    ck_assert_int_eq(db->fired, 1);
    ck_assert_int_eq(db->other_rc, SQLITE_OK);
    ck_assert_int_eq(test_signin_count(db, "users"), 0);
    ck_assert_int_eq(test_signin_count(db, "accounts"), 0);
}
END_TEST

/* A user deleted between the lookup and the link while signed in, where the database
 * enforces the accounts -> users key (PostgreSQL always; SQLite with foreign_keys on):
 * the link is refused, Callback, and nothing is linked. */
START_TEST(test_signin_race_user_deleted_link)
{
    na_test_db_t *db = na_test_db_open_shared();
    test_signin_t *t = test_signin_oauth(db, NULL);
    na_store_user_t *me = test_signin_user(db, "me@example.com");

    na_test_db_exec(db, "PRAGMA foreign_keys = ON");
    t->in.current = me;
    na_test_db_meanwhile(db, "INSERT INTO accounts", 0, "DELETE FROM users");
    test_signin_failed(t, NA_EPEER, "Callback");
    ck_assert_int_eq(db->fired, 1);
    ck_assert_int_eq(db->other_rc, SQLITE_OK);
    ck_assert_int_eq(db->notes[NA_STORE_NOTE_FAILED], 1);
    ck_assert_ptr_nonnull(strstr(db->last_note, "FOREIGN KEY constraint failed"));
    ck_assert_int_eq(test_signin_count(db, "accounts"), 0);
    ck_assert_int_eq(test_signin_count(db, "users"), 0);
}
END_TEST

/* The user just made is deleted before its link, on SQLite as apr_dbd opens it (foreign
 * keys not enforced): the link goes in and the sign-in answers the vanished user. This
 * pins today's behaviour; PostgreSQL refuses the link (the test above). */
START_TEST(test_signin_race_user_deleted_link_sqlite)
{
    na_test_db_t *db = na_test_db_open_shared();
    test_signin_t *t = test_signin_oauth(db, "new@example.com");

    na_test_db_meanwhile(db, "INSERT INTO accounts", 0, "DELETE FROM users");
    ck_assert_int_eq(test_signin_run(t), NA_OK);
    ck_assert_int_eq(db->fired, 1);
    ck_assert_int_eq(db->other_rc, SQLITE_OK);
    ck_assert_int_eq(t->out.is_new, 1);
    ck_assert_int_eq(test_signin_count(db, "users"), 0);
    ck_assert_int_eq(test_signin_count(db, "accounts"), 1);
}
END_TEST

Suite *suite_signin(void)
{
    Suite *s = suite_create("signin");
    TCase *email = na_test_tcase("email");
    TCase *oauth = na_test_tcase("oauth");
    TCase *races = na_test_tcase("races");

    tcase_add_test(email, test_signin_email_new_user);
    tcase_add_test(email, test_signin_email_existing_user);
    tcase_add_test(email, test_signin_email_address_from_account);
    tcase_add_loop_test(email, test_signin_email_without_address, 0, 3);
    tcase_add_test(email, test_signin_email_ends_other_session);
    tcase_add_test(email, test_signin_email_schema_missing);
    suite_add_tcase(s, email);
    tcase_add_test(oauth, test_signin_oauth_linked_to_current);
    tcase_add_test(oauth, test_signin_oauth_linked_to_other);
    tcase_add_test(oauth, test_signin_oauth_linked);
    tcase_add_test(oauth, test_signin_oauth_link_to_current);
    tcase_add_test(oauth, test_signin_oauth_email_taken);
    tcase_add_test(oauth, test_signin_oauth_email_linking_allowed);
    tcase_add_test(oauth, test_signin_oauth_new_user);
    tcase_add_test(oauth, test_signin_oauth_without_email);
    tcase_add_loop_test(oauth, test_signin_oauth_without_account, 0, 2);
    tcase_add_test(oauth, test_signin_oauth_schema_missing);
    tcase_add_loop_test(oauth, test_signin_oauth_odd_account_id, 0, 2);
    suite_add_tcase(s, oauth);
    tcase_add_test(races, test_signin_race_same_account);
    tcase_add_test(races, test_signin_race_same_account_no_email);
    tcase_add_test(races, test_signin_race_email_taken_by_other);
    tcase_add_test(races, test_signin_race_link_appears);
    tcase_add_test(races, test_signin_race_user_deleted_email);
    tcase_add_test(races, test_signin_race_user_deleted_link);
    tcase_add_test(races, test_signin_race_user_deleted_link_sqlite);
    suite_add_tcase(s, races);
    return s;
}
