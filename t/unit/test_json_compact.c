/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>
#include <jansson.h>

#include "na_json_compact.h"
#include "na_session.h"
#include "suites.h"

/* What the refresh wrote before na_json_compact: copy, set, json_dumps. */
static char *na_test_reference(const json_t *obj)
{
    json_t *copy = json_copy((json_t *)obj);
    char *s, *out;

    json_object_set_new(copy, "iat", json_integer(1767225600));
    json_object_set_new(copy, "exp", json_integer(-42));
    json_object_set_new(copy, "jti", json_string("6f1c-ab"));
    s = json_dumps(copy, JSON_COMPACT);
    out = apr_pstrdup(na_test_pool, s);
    free(s);
    json_decref(copy);
    return out;
}

static const char *const na_test_payloads[] = {
    "{}",
    "{\"name\":\"Jane\",\"email\":null,\"picture\":null,\"sub\":\"42\",\"iat\":1,\"exp\":2,\"jti\":"
    "\"x\"}",
    "{\"jti\":\"old\",\"sub\":\"1\",\"exp\":5}", /* members replaced in their places */
    "{\"sub\":\"no times, no jti\"}",            /* appended in iat, exp, jti order */
    "{\"user\":{\"id\":7,\"roles\":[\"a\",\"b\",[],{}],\"ok\":true,\"no\":false,\"n\":null},"
    "\"list\":[1,-2,9223372036854775807,-9223372036854775808]}",
    "{\"esc\":\"quote \\\" backslash \\\\ slash / \\b\\f\\n\\r\\t \\u0001\\u001f\\u007f\"}",
    "{\"utf8\":\"caf\\u00e9 \\u2028 \\ud83d\\ude00 \xed\x95\x9c\"}",
    "{\"k\\ney\":1,\"iatx\":2,\"\\\"\":\"\"}", /* keys with escapes, near names */
    "{\"a\":[[[[[[[[[[1]]]]]]]]]]}",
};

START_TEST(test_json_compact_matches_jansson)
{
    const na_json_member_t over[3] = {
        {"iat", "1767225600"},
        {"exp", "-42"},
        {"jti", "\"6f1c-ab\""},
    };
    json_error_t jerr;
    json_t *obj = json_loads(na_test_payloads[_i], JSON_ALLOW_NUL, &jerr);
    apr_size_t len = 0;
    char *got;

    ck_assert_msg(obj != NULL, "payload %d: %s", _i, jerr.text);
    got = na_json_compact(na_test_pool, obj, over, 3, &len);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, na_test_reference(obj));
    ck_assert_uint_eq(len, strlen(got));
    json_decref(obj);
}
END_TEST

/* Every control and ASCII character, one string each, as jansson writes it. */
START_TEST(test_json_compact_every_ascii_byte)
{
    json_t *obj = json_object();
    char text[4] = {'<', (char)_i, '>', '\0'};
    apr_size_t len = 0;
    char *want;

    json_object_set_new(obj, "s", json_string(text));
    want = json_dumps(obj, JSON_COMPACT);
    ck_assert_str_eq(na_json_compact(na_test_pool, obj, NULL, 0, &len), want);
    free(want);
    json_decref(obj);
}
END_TEST

START_TEST(test_json_compact_declines)
{
    const char *deep = "{\"a\":"
                       "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1"
                       "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}";
    json_t *real = json_loads("{\"r\":1.5}", 0, NULL), *arr = json_loads("[1]", 0, NULL);
    json_t *nested = json_loads(deep, 0, NULL);
    apr_size_t len = 0;

    ck_assert_ptr_nonnull(nested);
    ck_assert_ptr_null(na_json_compact(na_test_pool, real, NULL, 0, &len));
    ck_assert_ptr_null(na_json_compact(na_test_pool, arr, NULL, 0, &len));
    ck_assert_ptr_null(na_json_compact(na_test_pool, nested, NULL, 0, &len));
    ck_assert_ptr_null(na_json_compact(na_test_pool, NULL, NULL, 0, &len));
    json_decref(real);
    json_decref(arr);
    json_decref(nested);
}
END_TEST

START_TEST(test_json_int_text)
{
    char buf[21];

    buf[na_json_int_text(buf, 0)] = '\0';
    ck_assert_str_eq(buf, "0");
    buf[na_json_int_text(buf, -7)] = '\0';
    ck_assert_str_eq(buf, "-7");
    buf[na_json_int_text(buf, INT64_C(9223372036854775807))] = '\0';
    ck_assert_str_eq(buf, "9223372036854775807");
    ck_assert_uint_eq(na_json_int_text(buf, INT64_MIN), 20);
    buf[20] = '\0';
    ck_assert_str_eq(buf, "-9223372036854775808");
}
END_TEST

/* The session refresh writes what jansson wrote, with a real number (jansson's own
 * path) and without one (ours). */
START_TEST(test_json_compact_session_refresh)
{
    const char *payloads[] = {"{\"sub\":\"1\",\"score\":0.1,\"exp\":1}",
                              "{\"sub\":\"1\",\"n\":\"\\u00e9\\n\",\"exp\":1,\"iat\":0}"};
    int i;

    for (i = 0; i < 2; i++) {
        json_t *obj = json_loads(payloads[i], 0, NULL);
        na_session_claims_t c = {
            .payload = payloads[i], .iat = 1767225600, .exp = -42, .jti = "6f1c-ab"};
        const char *json = NULL;

        ck_assert_int_eq(na_session_claims_json(na_test_pool, &c, &json), NA_OK);
        ck_assert_str_eq(json, na_test_reference(obj));
        c.payload_obj = obj;
        ck_assert_int_eq(na_session_claims_json(na_test_pool, &c, &json), NA_OK);
        ck_assert_str_eq(json, na_test_reference(obj));
        json_decref(obj);
    }
}
END_TEST

/* A renewal's sid and auth_time, appended after the payload's members when it has none
 * and left alone when it has them, exactly as jansson's set on a copy would. */
START_TEST(test_json_compact_session_stamp)
{
    const char *payloads[] = {"{\"sub\":\"1\",\"exp\":1,\"jti\":\"x\"}",
                              "{\"sid\":\"theirs\",\"sub\":\"1\",\"auth_time\":3}",
                              "{\"auth_time\":null,\"sub\":\"1\"}"};
    int i;

    for (i = 0; i < 3; i++) {
        json_t *obj = json_loads(payloads[i], 0, NULL), *want = json_copy(obj);
        na_session_claims_t c = {.payload = payloads[i],
                                 .iat = 1767225600,
                                 .exp = -42,
                                 .jti = "6f1c-ab",
                                 .sid = "Zm9vYmFyYmF6cXV4cXV1eA",
                                 .auth_time = 1767225000};
        const char *json = NULL;
        char *ref;

        json_object_set_new(want, "iat", json_integer(1767225600));
        json_object_set_new(want, "exp", json_integer(-42));
        json_object_set_new(want, "jti", json_string("6f1c-ab"));
        if (json_object_get(obj, "sid") == NULL) {
            json_object_set_new(want, "sid", json_string(c.sid));
        }
        if (json_object_get(obj, "auth_time") == NULL) {
            json_object_set_new(want, "auth_time", json_integer(c.auth_time));
        }
        ref = json_dumps(want, JSON_COMPACT);
        ck_assert_int_eq(na_session_claims_json(na_test_pool, &c, &json), NA_OK);
        ck_assert_str_eq(json, ref);
        c.payload_obj = obj;
        ck_assert_int_eq(na_session_claims_json(na_test_pool, &c, &json), NA_OK);
        ck_assert_str_eq(json, ref);
        free(ref);
        json_decref(want);
        json_decref(obj);
    }
}
END_TEST

Suite *suite_json_compact(void)
{
    Suite *s = suite_create("json_compact");
    TCase *tc = na_test_tcase("json_compact");

    tcase_add_loop_test(tc, test_json_compact_matches_jansson, 0, NA_TEST_COUNT(na_test_payloads));
    tcase_add_loop_test(tc, test_json_compact_every_ascii_byte, 1, 128);
    tcase_add_test(tc, test_json_compact_declines);
    tcase_add_test(tc, test_json_int_text);
    tcase_add_test(tc, test_json_compact_session_refresh);
    tcase_add_test(tc, test_json_compact_session_stamp);
    suite_add_tcase(s, tc);
    return s;
}
