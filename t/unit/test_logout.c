/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "na_b64.h"
#include "na_logout.h"
#include "na_test_json.h"
#include "suites.h"

#define NA_TEST_NOW 1767225600
#define NA_TEST_ISS "https://idp.example.com"
#define NA_TEST_CLIENT "mod-nextauth"
#define NA_TEST_API "https://api.example.com"

/* A logout token as oidc-provider sends it (Back-Channel Logout 1.0 §2.4). */
static const char na_test_logout[] =
    "{\"iss\":\"" NA_TEST_ISS "\",\"aud\":\"" NA_TEST_CLIENT "\",\"iat\":1767225590,"
    "\"exp\":1767225890,\"jti\":\"bWJq\",\"sub\":\"248289761001\","
    "\"sid\":\"08a5019c-17e1-4977-8f42-65a12843ea02\","
    "\"events\":{\"" NA_LOGOUT_EVENT "\":{}}}";

/* A JWT access token as oidc-provider's resource indicators issue it (RFC 9068 §2.2). */
static const char na_test_access[] =
    "{\"iss\":\"" NA_TEST_ISS "\",\"aud\":\"" NA_TEST_API "\",\"iat\":1767225590,"
    "\"exp\":1767229190,\"jti\":\"x1\",\"sub\":\"248289761001\",\"client_id\":\"" NA_TEST_CLIENT
    "\",\"scope\":\"openid api:read\",\"email\":\"jane@example.com\"}";

static na_jws_verified_t na_test_payload(const char *json)
{
    na_jws_verified_t v = {json, strlen(json), "RS256", NULL};
    return v;
}

static na_logout_expect_t na_test_logout_expect(void)
{
    na_logout_expect_t e = {NA_TEST_ISS, NA_TEST_CLIENT, NA_TEST_NOW, 10, NA_LOGOUT_MAX_AGE};
    return e;
}

static na_status_t na_test_logout_check(const char *json, const char *typ, na_logout_claims_t *c,
                                        na_err_t *err)
{
    na_logout_expect_t e = na_test_logout_expect();
    na_jws_verified_t v = na_test_payload(json);

    memset(c, 0, sizeof(*c));
    memset(err, 0, sizeof(*err));
    return na_logout_check(na_test_pool, &v, typ, &e, c, err);
}

START_TEST(test_logout_good)
{
    na_logout_claims_t c;
    na_err_t err;

    ck_assert_int_eq(na_test_logout_check(na_test_logout, "logout+jwt", &c, &err), NA_OK);
    ck_assert_str_eq(c.sub, "248289761001");
    ck_assert_str_eq(c.sid, "08a5019c-17e1-4977-8f42-65a12843ea02");
    ck_assert_str_eq(c.jti, "bWJq");
    ck_assert_int_eq(c.iat, 1767225590);
    ck_assert_int_eq(c.exp, 1767225890);
}
END_TEST

START_TEST(test_logout_sub_or_sid)
{
    na_logout_claims_t c;
    na_err_t err;

    ck_assert_int_eq(
        na_test_logout_check(na_test_json_edit(na_test_logout, NULL, "sid"), NULL, &c, &err),
        NA_OK);
    ck_assert_str_eq(c.sub, "248289761001");
    ck_assert_ptr_null(c.sid);
    ck_assert_int_eq(
        na_test_logout_check(na_test_json_edit(na_test_logout, NULL, "sub"), NULL, &c, &err),
        NA_OK);
    ck_assert_ptr_null(c.sub);
    ck_assert_str_eq(c.sid, "08a5019c-17e1-4977-8f42-65a12843ea02");
    /* exp is optional */
    ck_assert_int_eq(
        na_test_logout_check(na_test_json_edit(na_test_logout, NULL, "exp"), NULL, &c, &err),
        NA_OK);
    ck_assert_int_eq(c.exp, 0);
}
END_TEST

START_TEST(test_logout_aud_array)
{
    na_logout_claims_t c;
    na_err_t err;
    const char *json =
        na_test_json_edit(na_test_logout, "{\"aud\":[\"other\",\"" NA_TEST_CLIENT "\"]}", NULL);

    ck_assert_int_eq(na_test_logout_check(json, "JWT", &c, &err), NA_OK);
}
END_TEST

/* One claim changed (patch) or removed (del) at a time, and what it must give. */
static const struct {
    const char *patch, *del;
    na_status_t want;
    const char *detail; /* a part of err.detail */
} na_test_logout_edits[] = {
    {"{\"iss\":\"https://idp.example.com/\"}", NULL, NA_EINPUT, "iss"},
    {"{\"iss\":\"https://evil.example.com\"}", NULL, NA_EINPUT, "iss"},
    {NULL, "iss", NA_EINPUT, "iss"},
    {"{\"aud\":\"other\"}", NULL, NA_EINPUT, "aud"},
    {"{\"aud\":[\"other\",\"another\"]}", NULL, NA_EINPUT, "aud"},
    {"{\"aud\":[\"" NA_TEST_CLIENT "\",5]}", NULL, NA_EINPUT, "aud"},
    {"{\"aud\":[]}", NULL, NA_EINPUT, "aud"},
    {NULL, "aud", NA_EINPUT, "aud"},
    {NULL, "iat", NA_EINPUT, "iat"},
    {"{\"iat\":\"1767225590\"}", NULL, NA_EINPUT, "iat"},
    {"{\"iat\":1767225590.5}", NULL, NA_EINPUT, "iat"},
    {"{\"iat\":1767224989}", NULL, NA_EEXPIRED, "iat too old"}, /* now - 600 - 10 - 1 */
    {"{\"iat\":1767225611}", NULL, NA_EINPUT, "future"},        /* now + 10 + 1 */
    {"{\"exp\":1767225590}", NULL, NA_EEXPIRED, "expired"},     /* now - 10 */
    {"{\"exp\":\"1767225890\"}", NULL, NA_EINPUT, "exp"},
    {NULL, "jti", NA_EINPUT, "jti"},
    {"{\"jti\":\"\"}", NULL, NA_EINPUT, "jti"},
    {"{\"jti\":17}", NULL, NA_EINPUT, "jti"},
    {"{\"jti\":null}", NULL, NA_EINPUT, "jti"},
    {NULL, "events", NA_EINPUT, "events"},
    {"{\"events\":\"" NA_LOGOUT_EVENT "\"}", NULL, NA_EINPUT, "events"},
    {"{\"events\":{}}", NULL, NA_EINPUT, "events"},
    {"{\"events\":{\"http://schemas.openid.net/event/backchannel-logout/\":{}}}", NULL, NA_EINPUT,
     "events"},
    {"{\"events\":{\"" NA_LOGOUT_EVENT "\":true}}", NULL, NA_EINPUT, "events"},
    {"{\"events\":{\"" NA_LOGOUT_EVENT "\":[]}}", NULL, NA_EINPUT, "events"},
    {"{\"nonce\":\"n-0S6_WzA2Mj\"}", NULL, NA_EINPUT, "nonce present"},
    {"{\"nonce\":null}", NULL, NA_EINPUT, "nonce present"},
    {"{\"nonce\":\"\"}", NULL, NA_EINPUT, "nonce present"},
    {"{\"sub\":\"\"}", NULL, NA_EINPUT, "sub"},
    {"{\"sid\":\"\"}", NULL, NA_EINPUT, "sid"},
    {"{\"sub\":42}", NULL, NA_EINPUT, "sub"},
    {"{\"sid\":null}", NULL, NA_EINPUT, "sid"},
};

START_TEST(test_logout_edits)
{
    const char *json = na_test_json_edit(na_test_logout, na_test_logout_edits[_i].patch,
                                         na_test_logout_edits[_i].del);
    na_logout_claims_t c;
    na_err_t err;

    ck_assert_int_eq(na_test_logout_check(json, "logout+jwt", &c, &err),
                     na_test_logout_edits[_i].want);
    ck_assert_ptr_nonnull(err.detail);
    ck_assert_ptr_null(err.code);
    ck_assert_msg(strstr(err.detail, na_test_logout_edits[_i].detail) != NULL,
                  "detail '%s' does not name '%s'", err.detail, na_test_logout_edits[_i].detail);
    /* no claim value, and no issuer or audience either */
    ck_assert_ptr_null(strstr(err.detail, "248289761001"));
    ck_assert_ptr_null(strstr(err.detail, "example.com"));
}
END_TEST

START_TEST(test_logout_edges_pass)
{
    na_logout_claims_t c;
    na_err_t err;

    /* iat at the edges of [now - max_age - tolerance, now + tolerance], exp just alive */
    ck_assert_int_eq(
        na_test_logout_check(na_test_json_edit(na_test_logout, "{\"iat\":1767224990}", NULL), NULL,
                             &c, &err),
        NA_OK);
    ck_assert_int_eq(
        na_test_logout_check(na_test_json_edit(na_test_logout, "{\"iat\":1767225610}", NULL), NULL,
                             &c, &err),
        NA_OK);
    ck_assert_int_eq(
        na_test_logout_check(na_test_json_edit(na_test_logout, "{\"exp\":1767225591}", NULL), NULL,
                             &c, &err),
        NA_OK);
}
END_TEST

START_TEST(test_logout_lengths)
{
    char big[258];
    na_logout_claims_t c;
    na_err_t err;
    const char *fmt = "{\"%s\":\"%s\"}";

    memset(big, 'j', 256);
    big[256] = '\0';
    ck_assert_int_eq(
        na_test_logout_check(
            na_test_json_edit(na_test_logout, apr_psprintf(na_test_pool, fmt, "jti", big), NULL),
            NULL, &c, &err),
        NA_OK);
    ck_assert_uint_eq(strlen(c.jti), 256);
    big[256] = 'j';
    big[257] = '\0';
    ck_assert_int_eq(
        na_test_logout_check(
            na_test_json_edit(na_test_logout, apr_psprintf(na_test_pool, fmt, "jti", big), NULL),
            NULL, &c, &err),
        NA_EINPUT);
    ck_assert_int_eq(
        na_test_logout_check(
            na_test_json_edit(na_test_logout, apr_psprintf(na_test_pool, fmt, "sub", big), NULL),
            NULL, &c, &err),
        NA_EINPUT);
    ck_assert_int_eq(
        na_test_logout_check(
            na_test_json_edit(na_test_logout, apr_psprintf(na_test_pool, fmt, "sid", big), NULL),
            NULL, &c, &err),
        NA_EINPUT);
}
END_TEST

START_TEST(test_logout_neither_sub_nor_sid)
{
    const char *json =
        na_test_json_edit(na_test_json_edit(na_test_logout, NULL, "sub"), NULL, "sid");
    na_logout_claims_t c;
    na_err_t err;

    ck_assert_int_eq(na_test_logout_check(json, NULL, &c, &err), NA_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.detail, "neither sub nor sid"));
}
END_TEST

static const struct {
    const char *typ;
    na_status_t want;
} na_test_logout_typs[] = {
    {NULL, NA_OK},
    {"logout+jwt", NA_OK},
    {"Logout+JWT", NA_OK},
    {"JWT", NA_OK},
    {"jwt", NA_OK},
    {"at+jwt", NA_EINPUT},
    {"", NA_EINPUT},
    {"logout", NA_EINPUT},
    {"secevent+jwt", NA_EINPUT},
    {"logout+jwt ", NA_EINPUT},
};

START_TEST(test_logout_typ)
{
    na_logout_claims_t c;
    na_err_t err;

    ck_assert_int_eq(na_test_logout_check(na_test_logout, na_test_logout_typs[_i].typ, &c, &err),
                     na_test_logout_typs[_i].want);
}
END_TEST

START_TEST(test_logout_not_an_object)
{
    static const char *const bad[] = {
        "[]", "\"x\"", "", "{", "{\"iss\":\"" NA_TEST_ISS "\",\"iss\":\"" NA_TEST_ISS "\"}",
    };
    na_logout_claims_t c;
    na_err_t err;
    size_t i;
    /* the good token with a second, different sub: two parsers could read either */
    const char *dup =
        apr_pstrcat(na_test_pool, "{\"sub\":\"someone-else\",", na_test_logout + 1, NULL);

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_int_eq(na_test_logout_check(bad[i], NULL, &c, &err), NA_EINPUT);
    }
    ck_assert_int_eq(na_test_logout_check(dup, NULL, &c, &err), NA_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.detail, "repeats a member"));
}
END_TEST

START_TEST(test_logout_no_issuer)
{
    na_logout_expect_t e = na_test_logout_expect();
    na_jws_verified_t v = na_test_payload(na_test_logout);
    na_logout_claims_t c;

    e.issuer = NULL;
    ck_assert_int_eq(na_logout_check(na_test_pool, &v, NULL, &e, &c, NULL), NA_EINTERNAL);
    e = na_test_logout_expect();
    e.client_id = NULL;
    ck_assert_int_eq(na_logout_check(na_test_pool, &v, NULL, &e, &c, NULL), NA_EINTERNAL);
}
END_TEST

/* ---- bearer ------------------------------------------------------------------------- */

static na_bearer_expect_t na_test_bearer_expect(void)
{
    apr_array_header_t *aud = apr_array_make(na_test_pool, 2, sizeof(const char *));
    na_bearer_expect_t e;

    APR_ARRAY_PUSH(aud, const char *) = "https://other.example.com";
    APR_ARRAY_PUSH(aud, const char *) = NA_TEST_API;
    e.issuer = NA_TEST_ISS;
    e.audiences = aud;
    e.now = NA_TEST_NOW;
    e.tolerance = 10;
    return e;
}

static na_status_t na_test_bearer_check(const char *json, const char *typ, na_bearer_claims_t *c,
                                        na_err_t *err)
{
    na_bearer_expect_t e = na_test_bearer_expect();
    na_jws_verified_t v = na_test_payload(json);

    memset(c, 0, sizeof(*c));
    memset(err, 0, sizeof(*err));
    return na_bearer_check(na_test_pool, &v, typ, &e, c, err);
}

START_TEST(test_bearer_good)
{
    na_bearer_claims_t c;
    na_err_t err;

    ck_assert_int_eq(na_test_bearer_check(na_test_access, "at+jwt", &c, &err), NA_OK);
    ck_assert_str_eq(c.sub, "248289761001");
    ck_assert_str_eq(c.email, "jane@example.com");
    ck_assert_str_eq(c.client_id, NA_TEST_CLIENT);
    ck_assert_str_eq(c.scope, "openid api:read");
    ck_assert_int_eq(c.exp, 1767229190);
    ck_assert_str_eq(c.json, na_test_access);
}
END_TEST

START_TEST(test_bearer_aud_array)
{
    na_bearer_claims_t c;
    na_err_t err;
    const char *json =
        na_test_json_edit(na_test_access, "{\"aud\":[\"x\",\"" NA_TEST_API "\"]}", NULL);

    ck_assert_int_eq(na_test_bearer_check(json, "at+jwt", &c, &err), NA_OK);
    /* the first of the configured audiences does as well as the second */
    json = na_test_json_edit(na_test_access, "{\"aud\":\"https://other.example.com\"}", NULL);
    ck_assert_int_eq(na_test_bearer_check(json, "at+jwt", &c, &err), NA_OK);
}
END_TEST

START_TEST(test_bearer_minimal)
{
    const char *json = "{\"iss\":\"" NA_TEST_ISS "\",\"aud\":\"" NA_TEST_API
                       "\",\"exp\":1767225595,\"sub\":\"s\",\"email\":[\"jane@example.com\"]}";
    na_bearer_claims_t c;
    na_err_t err;

    /* exp 5 s ago is within the 10 s tolerance; a non-string email is no email */
    ck_assert_int_eq(na_test_bearer_check(json, "application/AT+JWT", &c, &err), NA_OK);
    ck_assert_ptr_null(c.email);
    ck_assert_ptr_null(c.client_id);
    ck_assert_ptr_null(c.scope);
}
END_TEST

static const struct {
    const char *typ;
    na_status_t want;
} na_test_bearer_typs[] = {
    {"at+jwt", NA_OK},
    {"AT+JWT", NA_OK},
    {"application/at+jwt", NA_OK},
    {"Application/At+Jwt", NA_OK},
    {NULL, NA_EINPUT},
    {"JWT", NA_EINPUT},
    {"", NA_EINPUT},
    {"logout+jwt", NA_EINPUT},
    {"at+jwt;x", NA_EINPUT},
};

START_TEST(test_bearer_typ)
{
    na_bearer_claims_t c;
    na_err_t err;

    ck_assert_int_eq(na_test_bearer_check(na_test_access, na_test_bearer_typs[_i].typ, &c, &err),
                     na_test_bearer_typs[_i].want);
}
END_TEST

static const struct {
    const char *patch, *del;
    na_status_t want;
    const char *detail;
} na_test_bearer_edits[] = {
    {"{\"iss\":\"https://evil.example.com\"}", NULL, NA_EINPUT, "iss"},
    {NULL, "iss", NA_EINPUT, "iss"},
    {"{\"aud\":\"" NA_TEST_CLIENT "\"}", NULL, NA_EINPUT, "aud does not name this resource"},
    {"{\"aud\":[\"a\",\"b\"]}", NULL, NA_EINPUT, "aud"},
    {"{\"aud\":[\"" NA_TEST_API "\",null]}", NULL, NA_EINPUT, "aud"},
    {NULL, "aud", NA_EINPUT, "aud"},
    {NULL, "exp", NA_EINPUT, "exp"},
    {"{\"exp\":\"1767229190\"}", NULL, NA_EINPUT, "exp"},
    {"{\"exp\":1767225590}", NULL, NA_EEXPIRED, "expired"}, /* now - tolerance */
    {"{\"nbf\":1767225611}", NULL, NA_EINPUT, "future"},
    {"{\"iat\":1767225611}", NULL, NA_EINPUT, "future"},
    {"{\"nbf\":\"0\"}", NULL, NA_EINPUT, "nbf"},
    {NULL, "sub", NA_EINPUT, "sub"},
    {"{\"sub\":\"\"}", NULL, NA_EINPUT, "sub"},
    {"{\"sub\":7}", NULL, NA_EINPUT, "sub"},
};

START_TEST(test_bearer_edits)
{
    const char *json = na_test_json_edit(na_test_access, na_test_bearer_edits[_i].patch,
                                         na_test_bearer_edits[_i].del);
    na_bearer_claims_t c;
    na_err_t err;

    ck_assert_int_eq(na_test_bearer_check(json, "at+jwt", &c, &err), na_test_bearer_edits[_i].want);
    ck_assert_ptr_null(err.code);
    ck_assert_msg(strstr(err.detail, na_test_bearer_edits[_i].detail) != NULL,
                  "detail '%s' does not name '%s'", err.detail, na_test_bearer_edits[_i].detail);
    /* no claim value, and no issuer or audience either */
    ck_assert_ptr_null(strstr(err.detail, "248289761001"));
    ck_assert_ptr_null(strstr(err.detail, "example.com"));
}
END_TEST

START_TEST(test_bearer_times_pass)
{
    na_bearer_claims_t c;
    na_err_t err;
    const char *json =
        na_test_json_edit(na_test_access, "{\"nbf\":1767225610,\"iat\":1767225610}", NULL);

    ck_assert_int_eq(na_test_bearer_check(json, "at+jwt", &c, &err), NA_OK);
    json = na_test_json_edit(na_test_access, "{\"exp\":1767225591}", NULL);
    ck_assert_int_eq(na_test_bearer_check(json, "at+jwt", &c, &err), NA_OK);
}
END_TEST

START_TEST(test_bearer_bad_payload)
{
    na_bearer_claims_t c;
    na_err_t err;
    const char *dup = apr_pstrcat(na_test_pool, "{\"sub\":\"admin\",", na_test_access + 1, NULL);

    ck_assert_int_eq(na_test_bearer_check(dup, "at+jwt", &c, &err), NA_EINPUT);
    ck_assert_int_eq(na_test_bearer_check("[1]", "at+jwt", &c, &err), NA_EINPUT);
    ck_assert_int_eq(na_test_bearer_check("not json", "at+jwt", &c, &err), NA_EINPUT);
}
END_TEST

START_TEST(test_bearer_no_audience)
{
    na_bearer_expect_t e = na_test_bearer_expect();
    na_jws_verified_t v = na_test_payload(na_test_access);
    na_bearer_claims_t c;

    e.audiences = apr_array_make(na_test_pool, 1, sizeof(const char *));
    ck_assert_int_eq(na_bearer_check(na_test_pool, &v, "at+jwt", &e, &c, NULL), NA_EINTERNAL);
    e.audiences = NULL;
    ck_assert_int_eq(na_bearer_check(na_test_pool, &v, "at+jwt", &e, &c, NULL), NA_EINTERNAL);
    e = na_test_bearer_expect();
    e.issuer = NULL;
    ck_assert_int_eq(na_bearer_check(na_test_pool, &v, "at+jwt", &e, &c, NULL), NA_EINTERNAL);
}
END_TEST

/* ---- the header's typ --------------------------------------------------------------- */

/* A compact JWS with `header` as its first segment (the rest does not matter here). */
static const char *na_test_jws(const char *header)
{
    return apr_pstrcat(na_test_pool,
                       na_b64_encode(na_test_pool, (const unsigned char *)header, strlen(header)),
                       ".e30.c2ln", NULL);
}

START_TEST(test_jws_header_typ)
{
    ck_assert_str_eq(
        na_jws_header_typ(na_test_pool, na_test_jws("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}")),
        "at+jwt");
    ck_assert_str_eq(
        na_jws_header_typ(na_test_pool, na_test_jws("{\"typ\":\"logout+jwt\",\"alg\":\"ES256\"}")),
        "logout+jwt");
    ck_assert_ptr_null(na_jws_header_typ(na_test_pool, na_test_jws("{\"alg\":\"RS256\"}")));
    /* a typ of another type must not read as "untyped" */
    ck_assert_str_eq(na_jws_header_typ(na_test_pool, na_test_jws("{\"alg\":\"RS256\",\"typ\":5}")),
                     "");
    ck_assert_ptr_null(na_jws_header_typ(na_test_pool, na_test_jws("[\"typ\"]")));
    ck_assert_ptr_null(
        na_jws_header_typ(na_test_pool, na_test_jws("{\"typ\":\"JWT\",\"typ\":\"at+jwt\"}")));
    ck_assert_ptr_null(na_jws_header_typ(na_test_pool, "eyJ0eXAiOiJhdCtqd3QifQ"));
    ck_assert_ptr_null(na_jws_header_typ(na_test_pool, "!!!.e30.c2ln"));
    ck_assert_ptr_null(na_jws_header_typ(na_test_pool, ".e30.c2ln"));
    ck_assert_ptr_null(na_jws_header_typ(na_test_pool, ""));
    ck_assert_ptr_null(na_jws_header_typ(na_test_pool, NULL));
    /* the one-segment token above is a good header with no dot after it */
    ck_assert_str_eq(na_jws_header_typ(na_test_pool, "eyJ0eXAiOiJhdCtqd3QifQ.x"), "at+jwt");
}
END_TEST

Suite *suite_logout(void)
{
    Suite *s = suite_create("logout");
    TCase *tc = na_test_tcase("logout");

    tcase_add_test(tc, test_logout_good);
    tcase_add_test(tc, test_logout_sub_or_sid);
    tcase_add_test(tc, test_logout_aud_array);
    tcase_add_loop_test(tc, test_logout_edits, 0, NA_TEST_COUNT(na_test_logout_edits));
    tcase_add_test(tc, test_logout_edges_pass);
    tcase_add_test(tc, test_logout_lengths);
    tcase_add_test(tc, test_logout_neither_sub_nor_sid);
    tcase_add_loop_test(tc, test_logout_typ, 0, NA_TEST_COUNT(na_test_logout_typs));
    tcase_add_test(tc, test_logout_not_an_object);
    tcase_add_test(tc, test_logout_no_issuer);
    tcase_add_test(tc, test_bearer_good);
    tcase_add_test(tc, test_bearer_aud_array);
    tcase_add_test(tc, test_bearer_minimal);
    tcase_add_loop_test(tc, test_bearer_typ, 0, NA_TEST_COUNT(na_test_bearer_typs));
    tcase_add_loop_test(tc, test_bearer_edits, 0, NA_TEST_COUNT(na_test_bearer_edits));
    tcase_add_test(tc, test_bearer_times_pass);
    tcase_add_test(tc, test_bearer_bad_payload);
    tcase_add_test(tc, test_bearer_no_audience);
    tcase_add_test(tc, test_jws_header_typ);
    suite_add_tcase(s, tc);
    return s;
}
