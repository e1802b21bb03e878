/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_form.h"
#include "suites.h"

START_TEST(test_form_basic)
{
    apr_table_t *t = NULL;

    ck_assert_int_eq(
        na_form_parse(na_test_pool, "csrfToken=abc&callbackUrl=%2Fdashboard%3Fa%3D1&json=true", &t),
        NA_OK);
    ck_assert_int_eq(apr_table_elts(t)->nelts, 3);
    ck_assert_str_eq(apr_table_get(t, "csrfToken"), "abc");
    ck_assert_str_eq(apr_table_get(t, "callbackUrl"), "/dashboard?a=1");
    ck_assert_str_eq(apr_table_get(t, "json"), "true");
}
END_TEST

START_TEST(test_form_empty)
{
    apr_table_t *t = NULL;

    ck_assert_int_eq(na_form_parse(na_test_pool, "", &t), NA_OK);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(apr_table_elts(t)->nelts, 0);
    t = NULL;
    ck_assert_int_eq(na_form_parse(na_test_pool, NULL, &t), NA_OK);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(apr_table_elts(t)->nelts, 0);
}
END_TEST

typedef struct na_test_pair_t {
    const char *body;
    const char *key; /* the one field the body should give, or NULL for none */
    const char *value;
} na_test_pair_t;

static const na_test_pair_t na_test_pairs[] = {
    {"email=a+b%40example.com", "email", "a b@example.com"},
    {"e%6Dail=x", "email", "x"},
    {"a+b=c+d", "a b", "c d"},
    {"k=%2B", "k", "+"},
    {"k=a%26b%3Dc", "k", "a&b=c"},
    {"k=%E2%9C%93", "k", "\xe2\x9c\x93"},
    {"k=%0D%0A", "k", "\r\n"},
    {"k", "k", ""},
    {"k=", "k", ""},
    {"k==v", "k", "=v"},
    {"&&k=v&&", "k", "v"},
    /* malformed pairs are dropped */
    {"=v", NULL, NULL},
    {"k=%zz", NULL, NULL},
    {"k=%", NULL, NULL},
    {"k=%4", NULL, NULL},
    {"%zz=v", NULL, NULL},
    {"k=a%00b", NULL, NULL},
    {"k%00=v", NULL, NULL},
    {"%=v", NULL, NULL},
    {"&", NULL, NULL},
};

START_TEST(test_form_pairs)
{
    const na_test_pair_t *tc = &na_test_pairs[_i];
    apr_table_t *t = NULL;

    ck_assert_int_eq(na_form_parse(na_test_pool, tc->body, &t), NA_OK);
    if (tc->key == NULL) {
        ck_assert_msg(apr_table_elts(t)->nelts == 0, "'%s' gave a field", tc->body);
        return;
    }
    ck_assert_int_eq(apr_table_elts(t)->nelts, 1);
    ck_assert_pstr_eq(apr_table_get(t, tc->key), tc->value);
}
END_TEST

/* A malformed pair does not take its neighbours with it. */
START_TEST(test_form_malformed_among_good)
{
    apr_table_t *t = NULL;

    ck_assert_int_eq(na_form_parse(na_test_pool, "a=1&b=%zz&c=3&=4&d=%00&e=5", &t), NA_OK);
    ck_assert_int_eq(apr_table_elts(t)->nelts, 3);
    ck_assert_str_eq(apr_table_get(t, "a"), "1");
    ck_assert_ptr_null(apr_table_get(t, "b"));
    ck_assert_str_eq(apr_table_get(t, "c"), "3");
    ck_assert_ptr_null(apr_table_get(t, "d"));
    ck_assert_str_eq(apr_table_get(t, "e"), "5");
}
END_TEST

START_TEST(test_form_repeated_keys)
{
    apr_table_t *t = NULL;

    ck_assert_int_eq(na_form_parse(na_test_pool, "k=first&k=second", &t), NA_OK);
    ck_assert_int_eq(apr_table_elts(t)->nelts, 2);
    ck_assert_str_eq(apr_table_get(t, "k"), "first");
}
END_TEST

static const char *na_test_fields(int n)
{
    const char *body = "";
    int i;

    for (i = 0; i < n; i++) {
        body = apr_psprintf(na_test_pool, "%s%sf%d=%d", body, i ? "&" : "", i, i);
    }
    return body;
}

START_TEST(test_form_field_limit)
{
    apr_table_t *t = NULL;

    ck_assert_int_eq(na_form_parse(na_test_pool, na_test_fields(NA_FORM_MAX_FIELDS), &t), NA_OK);
    ck_assert_int_eq(apr_table_elts(t)->nelts, NA_FORM_MAX_FIELDS);
    ck_assert_int_eq(na_form_parse(na_test_pool, na_test_fields(NA_FORM_MAX_FIELDS + 1), &t),
                     NA_ETOOBIG);
    /* empty segments between '&' are not fields */
    ck_assert_int_eq(na_form_parse(na_test_pool,
                                   apr_pstrcat(na_test_pool, "&&&",
                                               na_test_fields(NA_FORM_MAX_FIELDS), "&&&", NULL),
                                   &t),
                     NA_OK);
}
END_TEST

START_TEST(test_form_value_limit)
{
    char *v = apr_palloc(na_test_pool, 3 * (NA_MAX_PARAM + 1) + 1);
    apr_table_t *t = NULL;
    int i;

    memset(v, 'v', NA_MAX_PARAM);
    v[NA_MAX_PARAM] = '\0';
    ck_assert_int_eq(na_form_parse(na_test_pool, apr_pstrcat(na_test_pool, "k=", v, NULL), &t),
                     NA_OK);
    ck_assert_uint_eq(strlen(apr_table_get(t, "k")), NA_MAX_PARAM);
    v[NA_MAX_PARAM] = 'v';
    v[NA_MAX_PARAM + 1] = '\0';
    ck_assert_int_eq(na_form_parse(na_test_pool, apr_pstrcat(na_test_pool, "k=", v, NULL), &t),
                     NA_ETOOBIG);
    /* the cap is on the decoded value: 4096 "%41" are 4096 bytes, fine */
    for (i = 0; i < NA_MAX_PARAM; i++) {
        memcpy(v + 3 * i, "%41", 3);
    }
    v[3 * NA_MAX_PARAM] = '\0';
    ck_assert_int_eq(na_form_parse(na_test_pool, apr_pstrcat(na_test_pool, "k=", v, NULL), &t),
                     NA_OK);
    ck_assert_uint_eq(strlen(apr_table_get(t, "k")), NA_MAX_PARAM);
}
END_TEST

Suite *suite_form(void)
{
    Suite *s = suite_create("form");
    TCase *tc = na_test_tcase("parse");

    tcase_add_test(tc, test_form_basic);
    tcase_add_test(tc, test_form_empty);
    tcase_add_loop_test(tc, test_form_pairs, 0, NA_TEST_COUNT(na_test_pairs));
    tcase_add_test(tc, test_form_malformed_among_good);
    tcase_add_test(tc, test_form_repeated_keys);
    tcase_add_test(tc, test_form_field_limit);
    tcase_add_test(tc, test_form_value_limit);
    suite_add_tcase(s, tc);
    return s;
}
