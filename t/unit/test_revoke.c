/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_revoke.h"
#include "na_tokens.h"
#include "suites.h"

#define NA_TEST_SID_A "AAAAAAAAAAAAAAAAAAAAAA"
#define NA_TEST_SID_B "BBBBBBBBBBBBBBBBBBBBBB"
#define NA_TEST_T 1767225600

/* A key's shape: the prefix, then base64url characters, at most NA_REVOKE_KEY_MAX. */
static void na_test_assert_key(const char *key, const char *prefix, apr_size_t body)
{
    apr_size_t i;

    ck_assert_ptr_nonnull(key);
    ck_assert_uint_le(strlen(key), NA_REVOKE_KEY_MAX);
    ck_assert_uint_eq(strlen(key), strlen(prefix) + body);
    ck_assert_int_eq(strncmp(key, prefix, strlen(prefix)), 0);
    for (i = strlen(prefix); key[i]; i++) {
        ck_assert_msg(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", key[i])
                != NULL,
            "key %s has a non-base64url character", key);
    }
}

START_TEST(test_revoke_session_key)
{
    ck_assert_str_eq(na_revoke_session_key(na_test_pool, NA_TEST_SID_A), "rs:" NA_TEST_SID_A);
    na_test_assert_key(na_revoke_session_key(na_test_pool, NA_TEST_SID_B), "rs:", 22);
    ck_assert_ptr_null(na_revoke_session_key(na_test_pool, NULL));
    ck_assert_ptr_null(na_revoke_session_key(na_test_pool, ""));
    ck_assert_ptr_null(na_revoke_session_key(na_test_pool, NA_TEST_SID_A "A"));
    ck_assert_ptr_null(na_revoke_session_key(na_test_pool, "AAAAAAAAAAAAAAAAAAAAA="));
    ck_assert_ptr_null(na_revoke_session_key(na_test_pool, "AAAAAAAAAAA AAAAAAAAAA"));
}
END_TEST

START_TEST(test_revoke_user_key)
{
    const char *a = na_revoke_user_key(na_test_pool, "jane@example.com");

    na_test_assert_key(a, "ru:", 22);
    ck_assert_str_eq(a, na_revoke_user_key(na_test_pool, "jane@example.com"));
    ck_assert_str_ne(a, na_revoke_user_key(na_test_pool, "Jane@example.com"));
    ck_assert_str_ne(a, na_revoke_user_key(na_test_pool, "jane@example.co"));
    ck_assert_ptr_null(na_revoke_user_key(na_test_pool, NULL));
    ck_assert_ptr_null(na_revoke_user_key(na_test_pool, ""));
}
END_TEST

START_TEST(test_revoke_user_key_vector)
{
    /* printf 'a' | openssl dgst -sha256 -binary | basenc --base64url: ypeBEsobvcr6wjGzmiPcTa... */
    ck_assert_str_eq(na_revoke_user_key(na_test_pool, "a"), "ru:ypeBEsobvcr6wjGzmiPcTa");
    /* the pair joined by one '\n': printf 'keycloak\nabc' | ... the same */
    ck_assert_str_eq(na_revoke_idp_session_key(na_test_pool, "keycloak", "abc"),
                     "ro:w2J3ampBpbtVw6UX_rL_Gi");
}
END_TEST

typedef const char *(*na_test_pair_key_fn)(apr_pool_t *, const char *, const char *);

static const struct {
    na_test_pair_key_fn fn;
    const char *prefix;
} na_test_pair_keys[] = {
    {na_revoke_jti_key, "rj:"},
    {na_revoke_idp_session_key, "ro:"},
    {na_revoke_idp_subject_key, "rp:"},
};

START_TEST(test_revoke_pair_keys)
{
    na_test_pair_key_fn fn = na_test_pair_keys[_i].fn;
    const char *k = fn(na_test_pool, "keycloak", "abc");

    na_test_assert_key(k, na_test_pair_keys[_i].prefix, 22);
    ck_assert_str_eq(k, fn(na_test_pool, "keycloak", "abc"));
    ck_assert_str_ne(k, fn(na_test_pool, "keycloak", "abd"));
    ck_assert_str_ne(k, fn(na_test_pool, "keycloaK", "abc"));
    /* the join cannot be moved: ("ab","c") and ("a","bc") differ */
    ck_assert_str_ne(fn(na_test_pool, "ab", "c"), fn(na_test_pool, "a", "bc"));
    ck_assert_str_ne(k, fn(na_test_pool, "abc", "keycloak"));
    /* a '\n' in the second string is data; in the first it is refused */
    ck_assert_ptr_nonnull(fn(na_test_pool, "a", "b\nc"));
    ck_assert_ptr_null(fn(na_test_pool, "a\nb", "c"));
    ck_assert_ptr_null(fn(na_test_pool, NULL, "abc"));
    ck_assert_ptr_null(fn(na_test_pool, "keycloak", NULL));
    ck_assert_ptr_null(fn(na_test_pool, "", "abc"));
    ck_assert_ptr_null(fn(na_test_pool, "keycloak", ""));
}
END_TEST

START_TEST(test_revoke_kinds_differ)
{
    /* one pair under each kind of entry gives three different keys */
    const char *j = na_revoke_jti_key(na_test_pool, "x", "y");
    const char *o = na_revoke_idp_session_key(na_test_pool, "x", "y");
    const char *s = na_revoke_idp_subject_key(na_test_pool, "x", "y");

    ck_assert_str_ne(j, o);
    ck_assert_str_ne(o, s);
    ck_assert_str_eq(j + 3, o + 3); /* same hash, the prefix keeps them apart */
}
END_TEST

START_TEST(test_revoke_time_value)
{
    ck_assert_str_eq(na_revoke_time_value(na_test_pool, NA_TEST_T), "1767225600");
    ck_assert_str_eq(na_revoke_time_value(na_test_pool, 0), "0");
}
END_TEST

static const struct {
    const char *value;
    int revokes; /* of a session that began at NA_TEST_T */
} na_test_times[] = {
    {"1767225600", 1},
    {"1767225601", 1},
    {"1767225599", 0},
    {"999999999999999999", 1}, /* 18 digits */
    {"0001767225600", 1},
    {"1000000000000000000", -1}, /* 19 digits */
    {"-1", -1},
    {" 5", -1},
    {"5 ", -1},
    {"+5", -1},
    {"", -1},
    {"17672256x0", -1},
    {"1767225600\n", -1},
    {"0x10", -1},
};

START_TEST(test_revoke_user_revokes)
{
    const char *v = na_test_times[_i].value;

    ck_assert_int_eq(na_revoke_user_revokes(v, strlen(v), NA_TEST_T), na_test_times[_i].revokes);
}
END_TEST

START_TEST(test_revoke_user_revokes_edges)
{
    const char *v = "1767225600";

    ck_assert_int_eq(na_revoke_user_revokes(v, strlen(v), NA_TEST_T - 1), 1);
    ck_assert_int_eq(na_revoke_user_revokes(v, strlen(v), NA_TEST_T), 1);
    ck_assert_int_eq(na_revoke_user_revokes(v, strlen(v), NA_TEST_T + 1), 0);
    ck_assert_int_eq(na_revoke_user_revokes(NULL, 0, NA_TEST_T), 0);
    /* len counts: a prefix of the digits is a different time, a NUL inside is junk */
    ck_assert_int_eq(na_revoke_user_revokes(v, 4, NA_TEST_T), 0);
    ck_assert_int_eq(na_revoke_user_revokes("17\0"
                                            "5",
                                            4, NA_TEST_T),
                     -1);
}
END_TEST

START_TEST(test_revoke_signin_time)
{
    const char *same = "1767225600", *later = "1767225700", *earlier = "1767225500";

    ck_assert_int_eq(na_revoke_signin_time(same, strlen(same), NA_TEST_T), NA_TEST_T + 1);
    ck_assert_int_eq(na_revoke_signin_time(later, strlen(later), NA_TEST_T), 1767225701);
    ck_assert_int_eq(na_revoke_signin_time(earlier, strlen(earlier), NA_TEST_T), NA_TEST_T);
    ck_assert_int_eq(na_revoke_signin_time(NULL, 0, NA_TEST_T), NA_TEST_T);
    ck_assert_int_eq(na_revoke_signin_time("-1", 2, NA_TEST_T), NA_TEST_T);
    ck_assert_int_eq(na_revoke_signin_time("junk", 4, NA_TEST_T), NA_TEST_T);
    /* the promise: a session signed in now is not revoked by the entry */
    ck_assert_int_eq(na_revoke_user_revokes(same, strlen(same),
                                            na_revoke_signin_time(same, strlen(same), NA_TEST_T)),
                     0);
}
END_TEST

/* Session id number i: 22 characters, valid. */
static const char *na_test_sid(int i)
{
    return apr_psprintf(na_test_pool, "sid%019d", i);
}

START_TEST(test_revoke_sids_add)
{
    const char *list = NA_TEST_SID_B " " NA_TEST_SID_A;

    ck_assert_str_eq(na_revoke_sids_add(na_test_pool, NULL, 0, NA_TEST_SID_A), NA_TEST_SID_A);
    ck_assert_str_eq(na_revoke_sids_add(na_test_pool, "", 0, NA_TEST_SID_A), NA_TEST_SID_A);
    /* newest first; sid is not repeated */
    ck_assert_str_eq(na_revoke_sids_add(na_test_pool, NA_TEST_SID_B, 22, NA_TEST_SID_A),
                     NA_TEST_SID_A " " NA_TEST_SID_B);
    ck_assert_str_eq(na_revoke_sids_add(na_test_pool, list, strlen(list), NA_TEST_SID_A),
                     NA_TEST_SID_A " " NA_TEST_SID_B);
    /* len bounds the list */
    ck_assert_str_eq(na_revoke_sids_add(na_test_pool, list, 22, NA_TEST_SID_A),
                     NA_TEST_SID_A " " NA_TEST_SID_B);
}
END_TEST

START_TEST(test_revoke_sids_add_junk)
{
    const char *list = "junk " NA_TEST_SID_B "  AAAAAAAAAAAAAAAAAAAAA= " NA_TEST_SID_B
                       " BBBBBBBBBBBBBBBBBBBBBBB\t" NA_TEST_SID_A;

    ck_assert_str_eq(na_revoke_sids_add(na_test_pool, list, strlen(list), NA_TEST_SID_A),
                     NA_TEST_SID_A " " NA_TEST_SID_B);
    /* an invalid sid is not written */
    ck_assert_str_eq(na_revoke_sids_add(na_test_pool, NA_TEST_SID_B, 22, "bad sid"), NA_TEST_SID_B);
    ck_assert_str_eq(na_revoke_sids_add(na_test_pool, NULL, 0, NULL), "");
}
END_TEST

START_TEST(test_revoke_sids_add_cap)
{
    const char *list = "", *out;
    apr_array_header_t *sids;
    int i;

    for (i = 0; i < 12; i++) {
        list = na_revoke_sids_add(na_test_pool, list, strlen(list), na_test_sid(i));
    }
    sids = na_revoke_sids_parse(na_test_pool, list, strlen(list));
    ck_assert_int_eq(sids->nelts, NA_REVOKE_MAP_MAX);
    ck_assert_str_eq(APR_ARRAY_IDX(sids, 0, const char *), na_test_sid(11));
    ck_assert_str_eq(APR_ARRAY_IDX(sids, 7, const char *), na_test_sid(4));
    ck_assert_uint_eq(strlen(list), NA_REVOKE_MAP_MAX * 23 - 1);
    /* adding one already held moves it to the front, still 8 */
    out = na_revoke_sids_add(na_test_pool, list, strlen(list), na_test_sid(4));
    sids = na_revoke_sids_parse(na_test_pool, out, strlen(out));
    ck_assert_int_eq(sids->nelts, NA_REVOKE_MAP_MAX);
    ck_assert_str_eq(APR_ARRAY_IDX(sids, 0, const char *), na_test_sid(4));
    ck_assert_str_eq(APR_ARRAY_IDX(sids, 1, const char *), na_test_sid(11));
    ck_assert_str_eq(APR_ARRAY_IDX(sids, 7, const char *), na_test_sid(5));
}
END_TEST

START_TEST(test_revoke_sids_parse)
{
    const char *list = NA_TEST_SID_B " junk " NA_TEST_SID_A " " NA_TEST_SID_B;
    apr_array_header_t *sids = na_revoke_sids_parse(na_test_pool, list, strlen(list));

    ck_assert_int_eq(sids->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(sids, 0, const char *), NA_TEST_SID_B);
    ck_assert_str_eq(APR_ARRAY_IDX(sids, 1, const char *), NA_TEST_SID_A);
    ck_assert_int_eq(na_revoke_sids_parse(na_test_pool, NULL, 0)->nelts, 0);
    ck_assert_int_eq(na_revoke_sids_parse(na_test_pool, "", 0)->nelts, 0);
    ck_assert_int_eq(na_revoke_sids_parse(na_test_pool, "junk", 4)->nelts, 0);
    ck_assert_int_eq(na_revoke_sids_parse(na_test_pool, list, 21)->nelts, 0);
    ck_assert_int_eq(na_revoke_sids_parse(na_test_pool, list, 22)->nelts, 1);
}
END_TEST

START_TEST(test_revoke_sids_parse_cap)
{
    const char *list = "";
    int i;

    for (i = 0; i < 10; i++) {
        list = apr_pstrcat(na_test_pool, list, i ? " " : "", na_test_sid(i), NULL);
    }
    ck_assert_int_eq(na_revoke_sids_parse(na_test_pool, list, strlen(list))->nelts,
                     NA_REVOKE_MAP_MAX);
    ck_assert_str_eq(
        APR_ARRAY_IDX(na_revoke_sids_parse(na_test_pool, list, strlen(list)), 7, const char *),
        na_test_sid(7));
}
END_TEST

Suite *suite_revoke(void)
{
    Suite *s = suite_create("revoke");
    TCase *tc = na_test_tcase("revoke");

    tcase_add_test(tc, test_revoke_session_key);
    tcase_add_test(tc, test_revoke_user_key);
    tcase_add_test(tc, test_revoke_user_key_vector);
    tcase_add_loop_test(tc, test_revoke_pair_keys, 0, NA_TEST_COUNT(na_test_pair_keys));
    tcase_add_test(tc, test_revoke_kinds_differ);
    tcase_add_test(tc, test_revoke_time_value);
    tcase_add_loop_test(tc, test_revoke_user_revokes, 0, NA_TEST_COUNT(na_test_times));
    tcase_add_test(tc, test_revoke_user_revokes_edges);
    tcase_add_test(tc, test_revoke_signin_time);
    tcase_add_test(tc, test_revoke_sids_add);
    tcase_add_test(tc, test_revoke_sids_add_junk);
    tcase_add_test(tc, test_revoke_sids_add_cap);
    tcase_add_test(tc, test_revoke_sids_parse);
    tcase_add_test(tc, test_revoke_sids_parse_cap);
    suite_add_tcase(s, tc);
    return s;
}
