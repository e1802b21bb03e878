/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "na_jwe.h"
#include "na_session.h"
#include "na_tokens.h"
#include "suites.h"

/* The session id and sign-in time (issue 12): set on fresh tokens, kept by renewals,
 * added at the first renewal of a token without them, ignored in a foreign shape. */

#define NA_TEST_NOW ((apr_int64_t)1767225600)

static na_jwe_key_t na_test_stamp_key(void)
{
    na_jwe_key_t key;

    ck_assert_int_eq(na_jwe_derive_key("secret", "", &key), NA_OK);
    return key;
}

static const char *na_test_stamp_seal(const char *json)
{
    na_jwe_key_t key = na_test_stamp_key();
    const char *token = NULL;

    ck_assert_int_eq(na_jwe_encrypt(na_test_pool, &key, json, strlen(json), &token), NA_OK);
    return token;
}

static void na_test_stamp_decode(const char *token, apr_int64_t now, na_session_claims_t *c)
{
    na_jwe_key_t key = na_test_stamp_key();

    ck_assert_int_eq(na_session_decode(na_test_pool, &key, 1, token, now, c, NULL, NULL), NA_OK);
}

/* Renew c at `now` and decode the result; checks the seeded claims agree with it. */
static void na_test_stamp_renew(const na_session_claims_t *c, apr_int64_t now,
                                na_session_claims_t *out)
{
    na_jwe_key_t key = na_test_stamp_key();
    na_session_claims_t issued;
    const char *token = NULL;
    int seeded = 0;

    ck_assert_int_eq(
        na_session_encode_renewal(na_test_pool, &key, c, now, 3600, &token, &issued, &seeded),
        NA_OK);
    ck_assert_int_eq(seeded, 1);
    na_test_stamp_decode(token, now, out);
    ck_assert_str_eq(issued.payload, out->payload);
    if (out->sid) {
        ck_assert_str_eq(issued.sid, out->sid);
    }
    else {
        ck_assert_ptr_null(issued.sid);
    }
    ck_assert_int_eq(issued.auth_time, out->auth_time);
}

START_TEST(test_session_stamp_fresh)
{
    na_jwe_key_t key = na_test_stamp_key();
    na_session_claims_t in = {.email = "a@b.example", .sub = "7"}, c, d;
    const char *token = NULL, *token2 = NULL;

    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &in, NA_TEST_NOW, 60, &token), NA_OK);
    na_test_stamp_decode(token, NA_TEST_NOW, &c);
    ck_assert_ptr_nonnull(c.sid);
    ck_assert_int_eq(na_tokens_sid_valid(c.sid), 1);
    ck_assert_int_eq(c.auth_time, NA_TEST_NOW);
    /* each fresh token is a new session */
    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &in, NA_TEST_NOW, 60, &token2), NA_OK);
    na_test_stamp_decode(token2, NA_TEST_NOW, &d);
    ck_assert_str_ne(c.sid, d.sid);
    /* what the caller set is kept */
    in.sid = "AAAAAAAAAAAAAAAAAAAAAA";
    in.auth_time = NA_TEST_NOW - 500;
    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &in, NA_TEST_NOW, 60, &token), NA_OK);
    na_test_stamp_decode(token, NA_TEST_NOW, &c);
    ck_assert_str_eq(c.sid, "AAAAAAAAAAAAAAAAAAAAAA");
    ck_assert_int_eq(c.auth_time, NA_TEST_NOW - 500);
}
END_TEST

/* A renewal keeps both, however late it comes. */
START_TEST(test_session_stamp_renewal_keeps)
{
    na_jwe_key_t key = na_test_stamp_key();
    na_session_claims_t in = {.email = "a@b.example"}, c, r1, r2;
    const char *token = NULL;

    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &in, NA_TEST_NOW, 3600, &token), NA_OK);
    na_test_stamp_decode(token, NA_TEST_NOW, &c);
    na_test_stamp_renew(&c, NA_TEST_NOW + 100, &r1);
    ck_assert_str_eq(r1.sid, c.sid);
    ck_assert_int_eq(r1.auth_time, NA_TEST_NOW);
    ck_assert_int_eq(r1.iat, NA_TEST_NOW + 100);
    r1.payload_obj = NULL; /* the text-only path says the same */
    na_test_stamp_renew(&r1, NA_TEST_NOW + 200, &r2);
    ck_assert_str_eq(r2.sid, c.sid);
    ck_assert_int_eq(r2.auth_time, NA_TEST_NOW);
    ck_assert_ptr_null(strstr(strstr(r2.payload, "\"sid\"") + 1, "\"sid\""));
}
END_TEST

/* A token of next-auth's (or from before): sid and auth_time = its iat appended after its
 * members at the first renewal, by both writers alike. */
START_TEST(test_session_stamp_legacy)
{
    const char *json = apr_psprintf(na_test_pool,
                                    "{\"name\":\"N\",\"email\":\"a@b.example\",\"sub\":\"7\","
                                    "\"iat\":%d,\"exp\":%d,\"jti\":\"x\"}",
                                    (int)NA_TEST_NOW - 300, (int)NA_TEST_NOW + 60);
    na_session_claims_t c, r, r2;
    const char *tail;

    na_test_stamp_decode(na_test_stamp_seal(json), NA_TEST_NOW, &c);
    ck_assert_ptr_null(c.sid);
    ck_assert_int_eq(c.auth_time, 0);
    na_test_stamp_renew(&c, NA_TEST_NOW, &r);
    ck_assert_int_eq(na_tokens_sid_valid(r.sid), 1);
    ck_assert_int_eq(r.auth_time, NA_TEST_NOW - 300);
    tail = strstr(r.payload, "\"jti\":\"");
    ck_assert_ptr_nonnull(tail);
    ck_assert_ptr_nonnull(strstr(tail, "\",\"sid\":\""));
    ck_assert_ptr_nonnull(strstr(tail, "\",\"auth_time\":1767225300}"));
    /* jansson's writer (a real number in the payload) puts them in the same places */
    json = apr_psprintf(na_test_pool, "{\"sub\":\"7\",\"r\":0.5,\"iat\":%d,\"exp\":%d}",
                        (int)NA_TEST_NOW - 300, (int)NA_TEST_NOW + 60);
    na_test_stamp_decode(na_test_stamp_seal(json), NA_TEST_NOW, &c);
    na_test_stamp_renew(&c, NA_TEST_NOW, &r2);
    ck_assert_ptr_nonnull(strstr(r2.payload, "\"jti\":\""));
    ck_assert_ptr_nonnull(strstr(strstr(r2.payload, "\"jti\":\""), ",\"sid\":\""));
    ck_assert_ptr_nonnull(strstr(r2.payload, ",\"auth_time\":1767225300}"));
}
END_TEST

/* Members of those names in another shape are the app's: kept, not replaced, not read. */
START_TEST(test_session_stamp_foreign)
{
    static const char *const payloads[] = {
        "{\"sub\":\"7\",\"sid\":\"idp-session-3\",\"auth_time\":\"yesterday\",\"exp\":%d}",
        "{\"sub\":\"7\",\"sid\":42,\"auth_time\":-5,\"exp\":%d}",
        "{\"sub\":\"7\",\"sid\":\"AAAAAAAAAAAAAAAAAAAAA!\",\"auth_time\":1.5,\"exp\":%d}",
    };
    na_session_claims_t c, r;
    int i;

    for (i = 0; i < NA_TEST_COUNT(payloads); i++) {
        const char *json = apr_psprintf(na_test_pool, payloads[i], (int)NA_TEST_NOW + 60);
        json_t *before = json_loads(json, 0, NULL), *after;

        na_test_stamp_decode(na_test_stamp_seal(json), NA_TEST_NOW, &c);
        ck_assert_ptr_null(c.sid);
        ck_assert_int_eq(c.auth_time, 0);
        na_test_stamp_renew(&c, NA_TEST_NOW, &r);
        ck_assert_ptr_null(r.sid);
        after = json_loads(r.payload, 0, NULL);
        ck_assert_ptr_nonnull(after);
        ck_assert_int_eq(json_equal(json_object_get(before, "sid"), json_object_get(after, "sid")),
                         1);
        ck_assert_int_eq(
            json_equal(json_object_get(before, "auth_time"), json_object_get(after, "auth_time")),
            1);
        json_decref(before);
        json_decref(after);
    }
}
END_TEST

START_TEST(test_session_stamp_signed_in)
{
    na_session_claims_t c = {.iat = NA_TEST_NOW - 50};

    ck_assert_int_eq(na_session_signed_in(&c, NA_TEST_NOW), NA_TEST_NOW); /* fresh */
    c.payload = "{}";
    ck_assert_int_eq(na_session_signed_in(&c, NA_TEST_NOW), NA_TEST_NOW - 50);
    c.auth_time = NA_TEST_NOW - 900;
    ck_assert_int_eq(na_session_signed_in(&c, NA_TEST_NOW), NA_TEST_NOW - 900);
    c.auth_time = 0;
    c.iat = 0;
    ck_assert_int_eq(na_session_signed_in(&c, NA_TEST_NOW), NA_TEST_NOW);
}
END_TEST

Suite *suite_session_stamp(void)
{
    Suite *s = suite_create("session_stamp");
    TCase *tc = na_test_tcase("core");

    tcase_add_test(tc, test_session_stamp_fresh);
    tcase_add_test(tc, test_session_stamp_renewal_keeps);
    tcase_add_test(tc, test_session_stamp_legacy);
    tcase_add_test(tc, test_session_stamp_foreign);
    tcase_add_test(tc, test_session_stamp_signed_in);
    suite_add_tcase(s, tc);
    return s;
}
