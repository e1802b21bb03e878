/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include "na_json.h"
#include "suites.h"

static json_t *na_test_json(const char *text)
{
    json_t *obj = na_json_load(na_test_pool, text, strlen(text), 0);

    ck_assert_ptr_nonnull(obj);
    return obj;
}

/* ---- na_json_load --------------------------------------------------------------------- */

static const char *const na_test_bad_json[] = {
    "",
    "{",
    "{\"a\":}",
    "{\"a\":1,}",
    "[1,2]", /* not an object */
    "\"text\"",
    "42",
    "null",
    "{\"a\":1,\"a\":2}",               /* a repeated member */
    "{\"a\":99999999999999999999999}", /* over json_int_t */
    "{\"a\":-99999999999999999999999}",
    "{\"a\":1} trailing",
    "{\"a\":\"\\ud800\"}",   /* a lone surrogate */
    "{\"a\":\"\xff\"}",      /* not UTF-8 */
    "{\"a\":\"a\\u0000b\"}", /* an escaped NUL */
};

START_TEST(test_json_load_bad)
{
    const char *text = na_test_bad_json[_i];

    ck_assert_ptr_null(na_json_load(na_test_pool, text, strlen(text), 0));
}
END_TEST

START_TEST(test_json_load_cap)
{
    const char *text = "{\"a\":\"0123456789\"}";
    size_t len = strlen(text);
    char *big;

    ck_assert_ptr_nonnull(na_json_load(na_test_pool, text, len, len));
    ck_assert_ptr_null(na_json_load(na_test_pool, text, len, len - 1));
    ck_assert_ptr_null(na_json_load(na_test_pool, NULL, 0, 0));
    /* Over the default cap, however well-formed. */
    big = apr_palloc(na_test_pool, NA_JSON_MAX_DEFAULT + 16);
    memset(big, ' ', NA_JSON_MAX_DEFAULT + 16);
    memcpy(big, "{}", 2);
    ck_assert_ptr_null(na_json_load(na_test_pool, big, NA_JSON_MAX_DEFAULT + 16, 0));
    ck_assert_ptr_nonnull(na_json_load(na_test_pool, big, NA_JSON_MAX_DEFAULT, 0));
}
END_TEST

static int na_test_json_freed;

static void na_test_json_count_free(void *ptr)
{
    na_test_json_freed++;
    free(ptr);
}

START_TEST(test_json_pool_owns)
{
    apr_pool_t *sub;
    json_t *obj;

    json_set_alloc_funcs(malloc, na_test_json_count_free);
    apr_pool_create(&sub, na_test_pool);
    na_test_json_freed = 0;
    obj = na_json_load(sub, "{\"a\":[1,2]}", 11, 0);
    ck_assert_ptr_nonnull(obj);
    na_test_json_freed = 0; /* the parser's own scratch is freed as it goes */
    apr_pool_destroy(sub);
    ck_assert_int_gt(na_test_json_freed, 0);
    json_set_alloc_funcs(malloc, free);
    ck_assert_ptr_null(na_json_pool_own(na_test_pool, NULL));
}
END_TEST

/* ---- na_json_get_int ------------------------------------------------------------------ */

START_TEST(test_json_get_int)
{
    json_t *obj = na_test_json("{\"n\":1700000000,\"neg\":-5,\"big\":9223372036854775807,"
                               "\"real\":1.5,\"huge\":1e300,\"s\":\"12\",\"nul\":null,"
                               "\"t\":true,\"o\":{},\"a\":[1]}");
    apr_int64_t v = 7;

    ck_assert_int_eq(na_json_get_int(obj, "n", 1, &v), 1);
    ck_assert(v == 1700000000);
    ck_assert_int_eq(na_json_get_int(obj, "neg", 1, &v), 1);
    ck_assert(v == -5);
    ck_assert_int_eq(na_json_get_int(obj, "big", 1, &v), 1);
    ck_assert(v == APR_INT64_MAX);
    /* Missing: fine unless required, and *out is 0 either way. */
    v = 7;
    ck_assert_int_eq(na_json_get_int(obj, "missing", 0, &v), 1);
    ck_assert(v == 0);
    v = 7;
    ck_assert_int_eq(na_json_get_int(obj, "missing", 1, &v), 0);
    ck_assert(v == 0);
    /* Wrong types, present or not required. */
    ck_assert_int_eq(na_json_get_int(obj, "real", 0, &v), 0);
    ck_assert_int_eq(na_json_get_int(obj, "huge", 0, &v), 0);
    ck_assert_int_eq(na_json_get_int(obj, "s", 0, &v), 0);
    ck_assert_int_eq(na_json_get_int(obj, "nul", 0, &v), 0);
    ck_assert_int_eq(na_json_get_int(obj, "t", 0, &v), 0);
    ck_assert_int_eq(na_json_get_int(obj, "o", 0, &v), 0);
    ck_assert_int_eq(na_json_get_int(obj, "a", 1, &v), 0);
    ck_assert(v == 0);
    /* Not an object at all. */
    ck_assert_int_eq(na_json_get_int(NULL, "n", 1, &v), 0);
    ck_assert_int_eq(na_json_get_int(NULL, "n", 0, &v), 1);
}
END_TEST

/* ---- na_json_get_string --------------------------------------------------------------- */

START_TEST(test_json_get_string)
{
    json_t *obj = na_test_json("{\"s\":\"hello\",\"e\":\"\",\"n\":1,"
                               "\"nul\":null,\"a\":[\"x\"]}");
    const char *v = "x";

    ck_assert_int_eq(na_json_get_string(na_test_pool, obj, "s", 1, 0, &v), 1);
    ck_assert_str_eq(v, "hello");
    ck_assert_int_eq(na_json_get_string(na_test_pool, obj, "e", 1, 0, &v), 1);
    ck_assert_str_eq(v, "");
    /* Missing. */
    ck_assert_int_eq(na_json_get_string(na_test_pool, obj, "missing", 0, 0, &v), 1);
    ck_assert_ptr_null(v);
    ck_assert_int_eq(na_json_get_string(na_test_pool, obj, "missing", 1, 1, &v), 0);
    ck_assert_ptr_null(v);
    /* null only when nullable, and then only when not required. */
    ck_assert_int_eq(na_json_get_string(na_test_pool, obj, "nul", 0, 1, &v), 1);
    ck_assert_ptr_null(v);
    ck_assert_int_eq(na_json_get_string(na_test_pool, obj, "nul", 0, 0, &v), 0);
    ck_assert_int_eq(na_json_get_string(na_test_pool, obj, "nul", 1, 1, &v), 0);
    /* Wrong types. */
    ck_assert_int_eq(na_json_get_string(na_test_pool, obj, "n", 0, 1, &v), 0);
    ck_assert_int_eq(na_json_get_string(na_test_pool, obj, "a", 0, 1, &v), 0);
    ck_assert_ptr_null(v);
}
END_TEST

Suite *suite_json(void)
{
    Suite *s = suite_create("json");
    TCase *tc = na_test_tcase("load");

    tcase_add_loop_test(tc, test_json_load_bad, 0, NA_TEST_COUNT(na_test_bad_json));
    tcase_add_test(tc, test_json_load_cap);
    tcase_add_test(tc, test_json_pool_owns);
    suite_add_tcase(s, tc);

    tc = na_test_tcase("get");
    tcase_add_test(tc, test_json_get_int);
    tcase_add_test(tc, test_json_get_string);
    suite_add_tcase(s, tc);
    return s;
}
