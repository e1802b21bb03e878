/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "na_test_json.h"
#include "na_idtoken.h"
#include "suites.h"

#define NA_TEST_NOW 1767225600
#define NA_TEST_ISS "https://idp.example.com"
#define NA_TEST_CLIENT "mod-nextauth"
#define NA_TEST_NONCE "n-0S6_WzA2Mj"

/* What a Keycloak or oidc-provider ID token for a code flow with a nonce carries. */
static const char na_test_claims[] =
    "{\"iss\":\"" NA_TEST_ISS "\",\"sub\":\"248289761001\",\"aud\":\"" NA_TEST_CLIENT "\","
    "\"exp\":1767229200,\"iat\":1767225600,\"nonce\":\"" NA_TEST_NONCE "\",\"name\":\"Jane Doe\","
    "\"email\":\"Jane@Example.com\",\"email_verified\":true,"
    "\"picture\":\"https://example.com/jane.png\",\"preferred_username\":\"jane\"}";

static na_idtoken_expect_t na_test_expect(void)
{
    na_idtoken_expect_t e = {NA_TEST_ISS, NA_TEST_CLIENT, NA_TEST_NONCE, NA_TEST_NOW,
                             NA_IDTOKEN_TOLERANCE};
    return e;
}

static na_jws_verified_t na_test_payload(const char *json)
{
    na_jws_verified_t v = {json, strlen(json), "RS256", NULL};
    return v;
}

/* The base claims with `patch` merged in (may be NULL) and `del` removed (may be NULL). */
static const char *na_test_claims_edit(const char *patch, const char *del)
{
    return na_test_json_edit(na_test_claims, patch, del);
}

static na_status_t na_test_check(const char *json, const na_idtoken_expect_t *e,
                                 na_idtoken_claims_t *out, na_err_t *err)
{
    na_jws_verified_t v = na_test_payload(json);

    return na_idtoken_check(na_test_pool, &v, e, out, err);
}

START_TEST(test_idtoken_good)
{
    na_idtoken_expect_t e = na_test_expect();
    na_idtoken_claims_t c;

    ck_assert_int_eq(na_test_check(na_test_claims, &e, &c, NULL), NA_OK);
    ck_assert_str_eq(c.sub, "248289761001");
    ck_assert_str_eq(c.name, "Jane Doe");
    ck_assert_str_eq(c.email, "Jane@Example.com");
    ck_assert_int_eq(c.email_verified, 1);
    ck_assert_str_eq(c.picture, "https://example.com/jane.png");
    ck_assert_str_eq(c.preferred_username, "jane");
    ck_assert_int_eq(c.iat, 1767225600);
    ck_assert_int_eq(c.exp, 1767229200);
    ck_assert_str_eq(c.json, na_test_claims);
}
END_TEST

/* No issuer (or client id) to check against: refused, never a NULL dereference (an OIDC
 * provider configured with endpoints and no issuer crashed the child at every sign-in). */
START_TEST(test_idtoken_no_issuer)
{
    na_idtoken_expect_t e = na_test_expect();
    na_idtoken_claims_t c;
    na_err_t err = {0};

    e.issuer = NULL;
    ck_assert_int_eq(na_test_check(na_test_claims, &e, &c, &err), NA_EINTERNAL);
    ck_assert_str_eq(err.code, NA_IDTOKEN_ERROR);
    e = na_test_expect();
    e.client_id = NULL;
    ck_assert_int_eq(na_test_check(na_test_claims, &e, &c, NULL), NA_EINTERNAL);
}
END_TEST

/* One edit of the good claims, at now + dnow, with or without an expected nonce. */
typedef struct na_test_edit_t {
    const char *what;
    const char *patch;
    const char *del;
    apr_int64_t dnow;
    int nonce;
    na_status_t want;
} na_test_edit_t;

static const na_test_edit_t na_test_edits[] = {
    /* iss */
    {"wrong iss", "{\"iss\":\"https://evil.example.com\"}", NULL, 0, 1, NA_EINPUT},
    {"iss with a trailing slash", "{\"iss\":\"" NA_TEST_ISS "/\"}", NULL, 0, 1, NA_EINPUT},
    {"iss in upper case", "{\"iss\":\"HTTPS://IDP.EXAMPLE.COM\"}", NULL, 0, 1, NA_EINPUT},
    {"iss missing", NULL, "iss", 0, 1, NA_EINPUT},
    {"iss a number", "{\"iss\":1}", NULL, 0, 1, NA_EINPUT},
    /* aud and azp */
    {"aud mismatch", "{\"aud\":\"other-client\"}", NULL, 0, 1, NA_EINPUT},
    {"aud a prefix", "{\"aud\":\"mod-next\"}", NULL, 0, 1, NA_EINPUT},
    {"aud missing", NULL, "aud", 0, 1, NA_EINPUT},
    {"aud a number", "{\"aud\":1}", NULL, 0, 1, NA_EINPUT},
    {"aud null", "{\"aud\":null}", NULL, 0, 1, NA_EINPUT},
    {"aud array of one without azp", "{\"aud\":[\"" NA_TEST_CLIENT "\"]}", NULL, 0, 1, NA_EINPUT},
    {"aud array of two without azp", "{\"aud\":[\"" NA_TEST_CLIENT "\",\"other\"]}", NULL, 0, 1,
     NA_EINPUT},
    {"aud array without the client", "{\"aud\":[\"a\",\"b\"],\"azp\":\"" NA_TEST_CLIENT "\"}", NULL,
     0, 1, NA_EINPUT},
    {"aud empty array", "{\"aud\":[],\"azp\":\"" NA_TEST_CLIENT "\"}", NULL, 0, 1, NA_EINPUT},
    {"aud array with a number",
     "{\"aud\":[1,\"" NA_TEST_CLIENT "\"],\"azp\":\"" NA_TEST_CLIENT "\"}", NULL, 0, 1, NA_EINPUT},
    {"azp mismatch", "{\"azp\":\"other\"}", NULL, 0, 1, NA_EINPUT},
    {"azp mismatch, aud array", "{\"aud\":[\"" NA_TEST_CLIENT "\",\"other\"],\"azp\":\"other\"}",
     NULL, 0, 1, NA_EINPUT},
    {"azp null", "{\"azp\":null}", NULL, 0, 1, NA_EINPUT},
    {"aud array with azp",
     "{\"aud\":[\"other\",\"" NA_TEST_CLIENT "\"],\"azp\":\"" NA_TEST_CLIENT "\"}", NULL, 0, 1,
     NA_OK},
    {"aud string with azp", "{\"azp\":\"" NA_TEST_CLIENT "\"}", NULL, 0, 1, NA_OK},
    /* exp: expired when now - 10 >= exp (exp is now + 3600) */
    {"expired by an hour", NULL, NULL, 7200, 1, NA_EEXPIRED},
    {"expired beyond tolerance", NULL, NULL, 3611, 1, NA_EEXPIRED},
    {"expired at the tolerance", NULL, NULL, 3610, 1, NA_EEXPIRED},
    {"expired within tolerance", NULL, NULL, 3609, 1, NA_OK},
    {"exactly at exp", NULL, NULL, 3600, 1, NA_OK},
    {"exp missing", NULL, "exp", 0, 1, NA_EINPUT},
    {"exp a string", "{\"exp\":\"1767229200\"}", NULL, 0, 1, NA_EINPUT},
    {"exp a real", "{\"exp\":1767229200.0}", NULL, 0, 1, NA_EINPUT},
    {"exp huge real", "{\"exp\":1e300}", NULL, 0, 1, NA_EINPUT},
    {"exp null", "{\"exp\":null}", NULL, 0, 1, NA_EINPUT},
    /* iat: not after now + 10 */
    {"iat in the future", "{\"iat\":1767225611}", NULL, 0, 1, NA_EINPUT},
    {"iat far in the future", "{\"iat\":4102444800}", NULL, 0, 1, NA_EINPUT},
    {"iat at the tolerance", "{\"iat\":1767225610}", NULL, 0, 1, NA_OK},
    {"iat long ago", "{\"iat\":1000000000}", NULL, 0, 1, NA_OK},
    {"iat missing", NULL, "iat", 0, 1, NA_EINPUT},
    {"iat a string", "{\"iat\":\"now\"}", NULL, 0, 1, NA_EINPUT},
    /* nbf: optional, not after now + 10 */
    {"nbf in the future", "{\"nbf\":1767225611}", NULL, 0, 1, NA_EINPUT},
    {"nbf at the tolerance", "{\"nbf\":1767225610}", NULL, 0, 1, NA_OK},
    {"nbf a string", "{\"nbf\":\"0\"}", NULL, 0, 1, NA_EINPUT},
    /* nonce */
    {"nonce missing when expected", NULL, "nonce", 0, 1, NA_EINPUT},
    {"nonce mismatch", "{\"nonce\":\"n-other\"}", NULL, 0, 1, NA_EINPUT},
    {"nonce a prefix", "{\"nonce\":\"n-0S6_WzA2M\"}", NULL, 0, 1, NA_EINPUT},
    {"nonce longer", "{\"nonce\":\"" NA_TEST_NONCE "x\"}", NULL, 0, 1, NA_EINPUT},
    {"nonce empty", "{\"nonce\":\"\"}", NULL, 0, 1, NA_EINPUT},
    {"nonce a number", "{\"nonce\":1}", NULL, 0, 1, NA_EINPUT},
    {"nonce not expected, present", NULL, NULL, 0, 0, NA_OK},
    {"nonce not expected, absent", NULL, "nonce", 0, 0, NA_OK},
    /* sub */
    {"sub missing", NULL, "sub", 0, 1, NA_EINPUT},
    {"sub empty", "{\"sub\":\"\"}", NULL, 0, 1, NA_EINPUT},
    {"sub a number", "{\"sub\":248289761001}", NULL, 0, 1, NA_EINPUT},
    {"sub null", "{\"sub\":null}", NULL, 0, 1, NA_EINPUT},
};

START_TEST(test_idtoken_edits)
{
    const na_test_edit_t *t = &na_test_edits[_i];
    na_idtoken_expect_t e = na_test_expect();
    na_idtoken_claims_t c;
    na_err_t err = {0};
    na_status_t rv;

    e.now += t->dnow;
    e.nonce = t->nonce ? NA_TEST_NONCE : NULL;
    rv = na_test_check(na_test_claims_edit(t->patch, t->del), &e, &c, &err);
    ck_assert_msg(rv == t->want, "%s: got %d, want %d (%s)", t->what, rv, t->want,
                  err.detail ? err.detail : "no detail");
    if (rv != NA_OK) {
        ck_assert_str_eq(err.code, NA_IDTOKEN_ERROR);
        ck_assert_ptr_nonnull(err.detail);
    }
}
END_TEST

static const char *const na_test_bad_payloads[] = {
    "",
    "not json",
    "[]",
    "null",
    "\"" NA_TEST_ISS "\"",
    "{\"iss\":\"" NA_TEST_ISS "\",\"iss\":\"https://evil.example.com\"}",
    "{\"sub\":\"a\",\"sub\":\"b\"}",
};

START_TEST(test_idtoken_bad_payloads)
{
    na_idtoken_expect_t e = na_test_expect();
    na_idtoken_claims_t c;

    ck_assert_int_eq(na_test_check(na_test_bad_payloads[_i], &e, &c, NULL), NA_EINPUT);
}
END_TEST

/* A repeated claim is refused even when both values would pass: parsers disagree on which
 * one wins, and the signature covers the ambiguity. */
START_TEST(test_idtoken_duplicate_claim)
{
    na_idtoken_expect_t e = na_test_expect();
    na_idtoken_claims_t c;
    const char *json =
        apr_pstrcat(na_test_pool, "{\"sub\":\"248289761001\",", na_test_claims + 1, NULL);

    ck_assert_int_eq(na_test_check(json, &e, &c, NULL), NA_EINPUT);
}
END_TEST

/* The profile strings: absent, null or of another type read as NULL; email_verified also
 * reads the strings "true" and "false". */
static const struct {
    const char *patch;
    const char *del;
    int email_verified;
    int has_name;
} na_test_profiles[] = {
    {NULL, "email_verified", -1, 1},
    {"{\"email_verified\":false}", NULL, 0, 1},
    {"{\"email_verified\":\"true\"}", NULL, 1, 1},
    {"{\"email_verified\":\"false\"}", NULL, 0, 1},
    {"{\"email_verified\":\"yes\"}", NULL, -1, 1},
    {"{\"email_verified\":1}", NULL, -1, 1},
    {"{\"name\":null}", NULL, 1, 0},
    {"{\"name\":[\"Jane\"]}", NULL, 1, 0},
    {NULL, "name", 1, 0},
};

START_TEST(test_idtoken_profile)
{
    na_idtoken_expect_t e = na_test_expect();
    na_idtoken_claims_t c;

    ck_assert_int_eq(
        na_test_check(na_test_claims_edit(na_test_profiles[_i].patch, na_test_profiles[_i].del), &e,
                      &c, NULL),
        NA_OK);
    ck_assert_int_eq(c.email_verified, na_test_profiles[_i].email_verified);
    ck_assert_int_eq(c.name != NULL, na_test_profiles[_i].has_name);
}
END_TEST

START_TEST(test_idtoken_minimal)
{
    na_idtoken_expect_t e = na_test_expect();
    na_idtoken_claims_t c;
    const char *json = "{\"iss\":\"" NA_TEST_ISS "\",\"sub\":\"1\",\"aud\":\"" NA_TEST_CLIENT
                       "\",\"exp\":1767229200,\"iat\":1767225600}";

    e.nonce = NULL;
    ck_assert_int_eq(na_test_check(json, &e, &c, NULL), NA_OK);
    ck_assert_str_eq(c.sub, "1");
    ck_assert_ptr_null(c.name);
    ck_assert_ptr_null(c.email);
    ck_assert_ptr_null(c.picture);
    ck_assert_ptr_null(c.preferred_username);
    ck_assert_int_eq(c.email_verified, -1);
}
END_TEST

/* A zero tolerance is exact. */
START_TEST(test_idtoken_zero_tolerance)
{
    na_idtoken_expect_t e = na_test_expect();
    na_idtoken_claims_t c;

    e.tolerance = 0;
    e.now = 1767229199;
    ck_assert_int_eq(na_test_check(na_test_claims, &e, &c, NULL), NA_OK);
    e.now = 1767229200;
    ck_assert_int_eq(na_test_check(na_test_claims, &e, &c, NULL), NA_EEXPIRED);
    e.now = 1767225599;
    ck_assert_int_eq(na_test_check(na_test_claims, &e, &c, NULL), NA_EINPUT);
}
END_TEST

/* ---- end to end: tokens jose signed, verified, then checked ------------------------------ */

static const char *na_test_idtoken_read(const char *file)
{
    return na_test_read_vector(apr_pstrcat(na_test_pool, "jws/", file, NULL));
}

static na_jws_jwks_t *na_test_idtoken_jwks(const char *file)
{
    const char *doc = na_test_idtoken_read(file);
    na_jws_jwks_t *jwks = NULL;

    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, doc, strlen(doc), &jwks, NULL), NA_OK);
    return jwks;
}

/* Every vector that verifies passes the claim checks at the vector's `now`, and fails them
 * an hour and ten seconds later. */
static void na_test_idtoken_vector(json_t *doc, json_t *c, int *n)
{
    na_idtoken_expect_t e = {json_string_value(json_object_get(doc, "issuer")),
                             json_string_value(json_object_get(doc, "client_id")),
                             json_string_value(json_object_get(doc, "nonce")),
                             json_integer_value(json_object_get(doc, "now")), NA_IDTOKEN_TOLERANCE};
    na_jws_jwks_t *jwks = na_test_idtoken_jwks(json_string_value(json_object_get(c, "jwks")));
    na_jws_verified_t v;
    na_idtoken_claims_t claims;

    if (na_jws_verify(na_test_pool, jwks, json_string_value(json_object_get(c, "token")), &v, NULL)
        != NA_OK) {
        return;
    }
    ck_assert_int_eq(na_idtoken_check(na_test_pool, &v, &e, &claims, NULL), NA_OK);
    ck_assert_str_eq(claims.sub, "248289761001");
    ck_assert_str_eq(claims.name, "J\xc3\xb6hn D\xc5\x93");
    ck_assert_int_eq(claims.email_verified, 1);
    e.now += 3610;
    ck_assert_int_eq(na_idtoken_check(na_test_pool, &v, &e, &claims, NULL), NA_EEXPIRED);
    e.now -= 3610;
    e.client_id = "another-client";
    ck_assert_int_eq(na_idtoken_check(na_test_pool, &v, &e, &claims, NULL), NA_EINPUT);
    (*n)++;
}

START_TEST(test_idtoken_vectors)
{
    json_t *doc = json_loads(na_test_idtoken_read("tokens.json"), 0, NULL);
    json_t *cases = json_object_get(doc, "cases");
    apr_size_t i;
    int n = 0;

    ck_assert_ptr_nonnull(doc);
    for (i = 0; i < json_array_size(cases); i++) {
        na_test_idtoken_vector(doc, json_array_get(cases, i), &n);
    }
    ck_assert_int_ge(n, 14);
    json_decref(doc);
}
END_TEST

Suite *suite_idtoken(void)
{
    Suite *s = suite_create("idtoken");
    TCase *tc = na_test_tcase("idtoken");

    tcase_add_test(tc, test_idtoken_good);
    tcase_add_test(tc, test_idtoken_no_issuer);
    tcase_add_loop_test(tc, test_idtoken_edits, 0, NA_TEST_COUNT(na_test_edits));
    tcase_add_loop_test(tc, test_idtoken_bad_payloads, 0, NA_TEST_COUNT(na_test_bad_payloads));
    tcase_add_test(tc, test_idtoken_duplicate_claim);
    tcase_add_loop_test(tc, test_idtoken_profile, 0, NA_TEST_COUNT(na_test_profiles));
    tcase_add_test(tc, test_idtoken_minimal);
    tcase_add_test(tc, test_idtoken_zero_tolerance);
    tcase_add_test(tc, test_idtoken_vectors);
    suite_add_tcase(s, tc);
    return s;
}
