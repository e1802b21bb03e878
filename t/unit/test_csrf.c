/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_csrf.h"
#include "suites.h"

#define NA_TEST_TOKEN_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
/* SPEC.md 4: sha256("a" x 64 + "secret") */
#define NA_TEST_HASH_A "903c1490e042a075338b0e597cd889260f671063edb09ab070d2634e8277cf9c"

static apr_array_header_t *na_test_secrets(const char *first, const char *second)
{
    apr_array_header_t *a = apr_array_make(na_test_pool, 2, sizeof(const char *));

    if (first) {
        APR_ARRAY_PUSH(a, const char *) = first;
    }
    if (second) {
        APR_ARRAY_PUSH(a, const char *) = second;
    }
    return a;
}

START_TEST(test_csrf_spec_vector)
{
    const char *hash = NULL, *token = NULL;
    int current = -1;

    ck_assert_int_eq(na_csrf_hash(na_test_pool, NA_TEST_TOKEN_A, "secret", &hash), NA_OK);
    ck_assert_str_eq(hash, NA_TEST_HASH_A);
    ck_assert_int_eq(na_csrf_verify_cookie(na_test_pool, NA_TEST_TOKEN_A "|" NA_TEST_HASH_A,
                                           na_test_secrets("secret", NULL), &token, &current),
                     NA_OK);
    ck_assert_str_eq(token, NA_TEST_TOKEN_A);
    ck_assert_int_eq(current, 1);
}
END_TEST

START_TEST(test_csrf_issue_verify_round_trip)
{
    const char *token = NULL, *value = NULL, *got = NULL, *other = NULL, *hash = NULL;
    int current = -1;

    ck_assert_int_eq(na_csrf_issue(na_test_pool, "s3cret", &token, &value), NA_OK);
    ck_assert_uint_eq(strlen(token), 2 * NA_CSRF_TOKEN_BYTES);
    ck_assert_uint_eq(strspn(token, "0123456789abcdef"), 2 * NA_CSRF_TOKEN_BYTES);
    ck_assert_int_eq(na_csrf_hash(na_test_pool, token, "s3cret", &hash), NA_OK);
    ck_assert_str_eq(value, apr_pstrcat(na_test_pool, token, "|", hash, NULL));
    ck_assert_int_eq(
        na_csrf_verify_cookie(na_test_pool, value, na_test_secrets("s3cret", NULL), &got, &current),
        NA_OK);
    ck_assert_str_eq(got, token);
    ck_assert_int_eq(current, 1);
    ck_assert_int_eq(na_csrf_issue(na_test_pool, "s3cret", &other, &value), NA_OK);
    ck_assert_str_ne(other, token);
}
END_TEST

/* Rotation: the first secret is current; a cookie made under an older one still verifies,
 * and the caller learns it should be re-issued. */
START_TEST(test_csrf_rotation)
{
    const char *token = NULL, *value = NULL, *got = NULL;
    int current = -1;

    ck_assert_int_eq(na_csrf_issue(na_test_pool, "old", &token, &value), NA_OK);
    ck_assert_int_eq(
        na_csrf_verify_cookie(na_test_pool, value, na_test_secrets("new", "old"), &got, &current),
        NA_OK);
    ck_assert_str_eq(got, token);
    ck_assert_int_eq(current, 0);
    ck_assert_int_eq(
        na_csrf_verify_cookie(na_test_pool, value, na_test_secrets("old", "new"), &got, &current),
        NA_OK);
    ck_assert_int_eq(current, 1);
    ck_assert_int_eq(
        na_csrf_verify_cookie(na_test_pool, value, na_test_secrets("new", NULL), &got, &current),
        NA_EINPUT);
}
END_TEST

typedef struct na_test_bad_cookie_t {
    const char *why;
    const char *value;
} na_test_bad_cookie_t;

#define NA_TEST_HASH_A_UPPER "903C1490E042A075338B0E597CD889260F671063EDB09AB070D2634E8277CF9C"
#define NA_TEST_TOKEN_UPPER "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
/* sha256("A" x 64 + "secret"): the right hash, but our tokens are lower-case hex */
#define NA_TEST_HASH_UPPER "0cce97962733fe30f756b13485e8027c75b458c09bba01ef3e39cddb22f83700"

static const na_test_bad_cookie_t na_test_bad_cookies[] = {
    {"empty", ""},
    {"pipe only", "|"},
    {"missing pipe", NA_TEST_TOKEN_A NA_TEST_HASH_A},
    {"token only", NA_TEST_TOKEN_A},
    {"token and pipe", NA_TEST_TOKEN_A "|"},
    {"hash only", "|" NA_TEST_HASH_A},
    {"forged hash",
     NA_TEST_TOKEN_A "|"
                     "903c1490e042a075338b0e597cd889260f671063edb09ab070d2634e8277cf9d"},
    {"hash of another token",
     "baaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|" NA_TEST_HASH_A},
    {"uppercase hash", NA_TEST_TOKEN_A "|" NA_TEST_HASH_A_UPPER},
    {"uppercase token", NA_TEST_TOKEN_UPPER "|" NA_TEST_HASH_UPPER},
    {"short token", "aaaa|" NA_TEST_HASH_A},
    {"long token", "a" NA_TEST_TOKEN_A "|" NA_TEST_HASH_A},
    {"short hash", NA_TEST_TOKEN_A "|903c1490"},
    {"long hash", NA_TEST_TOKEN_A "|" NA_TEST_HASH_A "0"},
    {"second pipe", NA_TEST_TOKEN_A "|" NA_TEST_HASH_A "|"},
    {"trailing newline", NA_TEST_TOKEN_A "|" NA_TEST_HASH_A "\n"},
    {"leading space", " " NA_TEST_TOKEN_A "|" NA_TEST_HASH_A},
    {"percent-encoded pipe", NA_TEST_TOKEN_A "%7C" NA_TEST_HASH_A},
    {"non-hex token",
     "gaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|" NA_TEST_HASH_A},
    {"swapped halves", NA_TEST_HASH_A "|" NA_TEST_TOKEN_A},
};

START_TEST(test_csrf_bad_cookies)
{
    const na_test_bad_cookie_t *tc = &na_test_bad_cookies[_i];
    const char *token = "untouched";
    int current = 7;

    ck_assert_msg(na_csrf_verify_cookie(na_test_pool, tc->value, na_test_secrets("secret", "other"),
                                        &token, &current)
                      == NA_EINPUT,
                  "%s was accepted", tc->why);
    ck_assert_str_eq(token, "untouched");
    ck_assert_int_eq(current, 7);
}
END_TEST

START_TEST(test_csrf_bad_inputs)
{
    const char *token = NULL, *hash = NULL;
    char *big = apr_palloc(na_test_pool, 100001);
    int current = 0;

    /* the vector's own hash, but with another secret, no secret, or a NULL value */
    ck_assert_int_eq(na_csrf_verify_cookie(na_test_pool, NA_TEST_TOKEN_A "|" NA_TEST_HASH_A,
                                           na_test_secrets("Secret", NULL), &token, &current),
                     NA_EINPUT);
    ck_assert_int_eq(na_csrf_verify_cookie(na_test_pool, NA_TEST_TOKEN_A "|" NA_TEST_HASH_A,
                                           na_test_secrets(NULL, NULL), &token, &current),
                     NA_EINPUT);
    ck_assert_int_eq(na_csrf_verify_cookie(na_test_pool, NA_TEST_TOKEN_A "|" NA_TEST_HASH_A, NULL,
                                           &token, &current),
                     NA_EINPUT);
    ck_assert_int_eq(na_csrf_verify_cookie(na_test_pool, NULL, na_test_secrets("secret", NULL),
                                           &token, &current),
                     NA_EINPUT);
    /* oversize: 100 kB of a token-looking value with a pipe in the middle */
    memset(big, 'a', 100000);
    big[50000] = '|';
    big[100000] = '\0';
    ck_assert_int_eq(
        na_csrf_verify_cookie(na_test_pool, big, na_test_secrets("secret", NULL), &token, &current),
        NA_EINPUT);
    /* the uppercase-token case above is rejected for its shape, not its hash */
    ck_assert_int_eq(na_csrf_hash(na_test_pool, NA_TEST_TOKEN_UPPER, "secret", &hash), NA_OK);
    ck_assert_str_eq(hash, NA_TEST_HASH_UPPER);
    ck_assert_ptr_null(token);
}
END_TEST

START_TEST(test_csrf_matches)
{
    ck_assert_int_eq(na_csrf_matches(NA_TEST_TOKEN_A, NA_TEST_TOKEN_A), 1);
    ck_assert_int_eq(na_csrf_matches(NA_TEST_TOKEN_A, NA_TEST_TOKEN_A "a"), 0);
    ck_assert_int_eq(na_csrf_matches(NA_TEST_TOKEN_A, "aaaa"), 0);
    ck_assert_int_eq(na_csrf_matches(NA_TEST_TOKEN_A, NA_TEST_TOKEN_UPPER), 0);
    ck_assert_int_eq(na_csrf_matches(NA_TEST_TOKEN_A, ""), 0);
    ck_assert_int_eq(na_csrf_matches(NA_TEST_TOKEN_A, NULL), 0);
    ck_assert_int_eq(na_csrf_matches(NULL, NA_TEST_TOKEN_A), 0);
    ck_assert_int_eq(na_csrf_matches(NULL, NULL), 0);
}
END_TEST

Suite *suite_csrf(void)
{
    Suite *s = suite_create("csrf");
    TCase *tc = na_test_tcase("cookie");

    tcase_add_test(tc, test_csrf_spec_vector);
    tcase_add_test(tc, test_csrf_issue_verify_round_trip);
    tcase_add_test(tc, test_csrf_rotation);
    tcase_add_loop_test(tc, test_csrf_bad_cookies, 0, NA_TEST_COUNT(na_test_bad_cookies));
    tcase_add_test(tc, test_csrf_bad_inputs);
    tcase_add_test(tc, test_csrf_matches);
    suite_add_tcase(s, tc);
    return s;
}
