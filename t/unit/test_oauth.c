/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "na_b64.h"
#include "na_jwe.h"
#include "na_oauth.h"
#include "suites.h"

/* RFC 7636 appendix B. */
#define NA_TEST_VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define NA_TEST_CHALLENGE "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
/* A fixed clock: 2026-01-01T00:00:00Z. */
#define NA_TEST_NOW ((apr_int64_t)1767225600)

/* ---- PKCE, state, nonce ---------------------------------------------------------------- */

START_TEST(test_oauth_pkce_vector)
{
    ck_assert_str_eq(na_oauth_pkce_challenge(na_test_pool, NA_TEST_VERIFIER), NA_TEST_CHALLENGE);
}
END_TEST

START_TEST(test_oauth_random)
{
    const char *a, *b;
    unsigned char *raw;
    apr_size_t n;

    ck_assert_int_eq(na_oauth_random(na_test_pool, &a), NA_OK);
    ck_assert_int_eq(na_oauth_random(na_test_pool, &b), NA_OK);
    ck_assert_uint_eq(strlen(a), NA_OAUTH_RANDOM_LEN);
    ck_assert_str_ne(a, b);
    ck_assert_int_eq(na_b64_decode(na_test_pool, a, strlen(a), &raw, &n), NA_OK);
    ck_assert_uint_eq(n, NA_OAUTH_RANDOM_BYTES);
}
END_TEST

START_TEST(test_oauth_checks_new)
{
    na_oauth_checks_t ck;

    ck_assert_int_eq(na_oauth_checks_new(na_test_pool, NA_CHECK_STATE, &ck), NA_OK);
    ck_assert_uint_eq(strlen(ck.state), NA_OAUTH_RANDOM_LEN);
    ck_assert_ptr_null(ck.code_verifier);
    ck_assert_ptr_null(ck.nonce);
    ck_assert_int_eq(
        na_oauth_checks_new(na_test_pool, NA_CHECK_STATE | NA_CHECK_PKCE | NA_CHECK_NONCE, &ck),
        NA_OK);
    ck_assert_uint_eq(strlen(ck.code_verifier), NA_OAUTH_RANDOM_LEN);
    ck_assert_uint_eq(strlen(ck.nonce), NA_OAUTH_RANDOM_LEN);
    ck_assert_str_ne(ck.state, ck.nonce);
    ck_assert_int_eq(na_oauth_checks_new(na_test_pool, 0, &ck), NA_OK);
    ck_assert_ptr_null(ck.state);
}
END_TEST

/* ---- authorization URL ----------------------------------------------------------------- */

static na_provider_t na_test_github(void)
{
    na_provider_t prov;

    memset(&prov, 0, sizeof(prov));
    prov.id = "github";
    prov.kind = NA_PROVIDER_OAUTH;
    prov.client_id = "Iv1.abc";
    prov.client_secret = "gh-secret";
    prov.scope = "read:user user:email";
    prov.checks = NA_CHECK_STATE;
    return prov;
}

static na_provider_t na_test_oidc(void)
{
    na_provider_t prov;

    memset(&prov, 0, sizeof(prov));
    prov.id = "oidc";
    prov.kind = NA_PROVIDER_OIDC;
    prov.client_id = "app";
    prov.checks = NA_CHECK_STATE | NA_CHECK_PKCE | NA_CHECK_NONCE;
    return prov;
}

/* The exact URL openid-client 5 builds for next-auth (checked with node). */
START_TEST(test_oauth_authorize_github)
{
    na_provider_t prov = na_test_github();
    na_oauth_checks_t ck = {"S", NULL, NULL};
    na_oauth_authorize_t in = {&prov, "https://github.com/login/oauth/authorize",
                               "http://localhost:3000/api/auth/callback/github", &ck, NULL};
    const char *url;

    ck_assert_int_eq(na_oauth_authorize_url(na_test_pool, &in, &url, NULL), NA_OK);
    ck_assert_str_eq(url, "https://github.com/login/oauth/authorize?client_id=Iv1.abc&scope="
                          "read%3Auser%20user%3Aemail&response_type=code&redirect_uri=http%3A%2F"
                          "%2Flocalhost%3A3000%2Fapi%2Fauth%2Fcallback%2Fgithub&state=S");
}
END_TEST

/* The endpoint's own query stays in place (a repeated name is replaced where it stands),
 * its fragment goes, scope defaults to openid, and the extras come before the checks. */
START_TEST(test_oauth_authorize_oidc)
{
    na_provider_t prov = na_test_oidc();
    na_oauth_checks_t ck = {"S", NA_TEST_VERIFIER, "N"};
    apr_table_t *extra = apr_table_make(na_test_pool, 4);
    na_oauth_authorize_t in = {&prov, "https://idp.example.com/auth?prompt=consent&kc_idp_hint=x#f",
                               "http://localhost:3000/api/auth/callback/oidc", &ck, extra};
    const char *url;

    apr_table_add(extra, "prompt", "login");
    apr_table_add(extra, "ui_locales", "ko");
    apr_table_add(extra, "odd", "!'()~ *");
    ck_assert_int_eq(na_oauth_authorize_url(na_test_pool, &in, &url, NULL), NA_OK);
    ck_assert_str_eq(url, "https://idp.example.com/auth?prompt=login&kc_idp_hint=x&client_id=app"
                          "&scope=openid&response_type=code&redirect_uri=http%3A%2F%2Flocalhost"
                          "%3A3000%2Fapi%2Fauth%2Fcallback%2Foidc&ui_locales=ko&odd=%21%27%28%29"
                          "%7E%20*&state=S&code_challenge=" NA_TEST_CHALLENGE
                          "&code_challenge_method=S256&nonce=N");
}
END_TEST

/* A plain OAuth 2 provider without a scope sends none (no "openid" default). */
START_TEST(test_oauth_authorize_no_scope)
{
    na_provider_t prov = na_test_github();
    na_oauth_authorize_t in = {&prov, "http://127.0.0.1:9/authorize", "http://l/cb", NULL, NULL};
    const char *url;

    prov.scope = NULL;
    ck_assert_int_eq(na_oauth_authorize_url(na_test_pool, &in, &url, NULL), NA_OK);
    ck_assert_str_eq(url, "http://127.0.0.1:9/authorize?client_id=Iv1.abc&response_type=code"
                          "&redirect_uri=http%3A%2F%2Fl%2Fcb");
}
END_TEST

static int na_test_count(const char *hay, const char *needle)
{
    int n = 0;

    for (; (hay = strstr(hay, needle)) != NULL; hay++) {
        n++;
    }
    return n;
}

/* The sign-in query is attacker-chosen: it can add parameters (as next-auth allows) but
 * never replace one that binds the flow, even when that check is off. */
START_TEST(test_oauth_authorize_protected)
{
    static const char *const evil[][2] = {
        {"client_id", "evil"},       {"redirect_uri", "https://evil.example/cb"},
        {"response_type", "token"},  {"state", "fixed"},
        {"code_challenge", "known"}, {"code_challenge_method", "plain"},
        {"nonce", "fixed"},          {"scope", "openid email"},
        {"", "empty-name"},
    };
    na_provider_t prov = na_test_oidc();
    na_oauth_checks_t ck = {"S", NULL, NULL};
    apr_table_t *extra = apr_table_make(na_test_pool, 8);
    na_oauth_authorize_t in = {&prov, "https://idp.example.com/auth", "https://app/cb", &ck, extra};
    const char *url;
    int i;

    for (i = 0; i < NA_TEST_COUNT(evil); i++) {
        apr_table_add(extra, evil[i][0], evil[i][1]);
    }
    ck_assert_int_eq(na_oauth_authorize_url(na_test_pool, &in, &url, NULL), NA_OK);
    ck_assert_str_eq(url, "https://idp.example.com/auth?client_id=app&scope=openid%20email"
                          "&response_type=code&redirect_uri=https%3A%2F%2Fapp%2Fcb&state=S");
    ck_assert_int_eq(na_test_count(url, "evil"), 0);
    ck_assert_int_eq(na_test_count(url, "fixed"), 0);
    ck_assert_int_eq(na_test_count(url, "code_challenge"), 0);
}
END_TEST

START_TEST(test_oauth_authorize_errors)
{
    na_provider_t prov = na_test_github();
    na_oauth_authorize_t in = {&prov, "javascript:alert(1)", "https://app/cb", NULL, NULL};
    na_err_t err = {0};
    const char *url = NULL;

    ck_assert_int_eq(na_oauth_authorize_url(na_test_pool, &in, &url, &err), NA_EINPUT);
    ck_assert_str_eq(err.code, "OAuthSignin");
    ck_assert_ptr_null(url);
    in.endpoint = NULL;
    ck_assert_int_eq(na_oauth_authorize_url(na_test_pool, &in, &url, &err), NA_EINPUT);
    in.endpoint = "https://idp.example.com/auth?a=%zz";
    ck_assert_int_eq(na_oauth_authorize_url(na_test_pool, &in, &url, &err), NA_EINPUT);
    in.endpoint = "https://idp.example.com/auth";
    prov.client_id = "";
    ck_assert_int_eq(na_oauth_authorize_url(na_test_pool, &in, &url, &err), NA_EINPUT);
    prov.client_id = "x";
    in.redirect_uri = NULL;
    ck_assert_int_eq(na_oauth_authorize_url(na_test_pool, &in, &url, &err), NA_EINPUT);
}
END_TEST

/* ---- check cookies --------------------------------------------------------------------- */

static na_jwe_key_t na_test_key(const char *secret, const char *salt)
{
    na_jwe_key_t key;

    ck_assert_int_eq(na_jwe_derive_key(secret, salt, &key), NA_OK);
    return key;
}

START_TEST(test_oauth_check_round_trip)
{
    na_jwe_key_t key = na_test_key("secret", "next-auth.state");
    na_oauth_check_ctx_t ctx = {&key, 1, "github", NA_TEST_NOW};
    const char *token, *value = NULL, *want;
    na_jwe_plain_t plain;

    ck_assert_int_eq(na_oauth_check_encode(na_test_pool, &ctx, "abc", &token), NA_OK);
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, token, &value, NULL), NA_OK);
    ck_assert_str_eq(value, "abc");
    /* next-auth's payload, member for member and in its order */
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, token, &plain, NULL), NA_OK);
    want = "{\"value\":\"abc\",\"provider\":\"github\",\"iat\":1767225600,\"exp\":1767226500,"
           "\"jti\":\"";
    ck_assert_int_eq(strncmp((const char *)plain.data, want, strlen(want)), 0);
    ck_assert_uint_eq(plain.len, strlen(want) + 36 + 2);
    /* valid through the lifetime and the tolerance, then expired */
    ctx.now = NA_TEST_NOW + NA_OAUTH_CHECK_MAX_AGE + 14;
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, token, &value, NULL), NA_OK);
    ctx.now = NA_TEST_NOW + NA_OAUTH_CHECK_MAX_AGE + 15;
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, token, &value, NULL), NA_EEXPIRED);
}
END_TEST

/* A cookie minted for provider A is refused on provider B's callback. */
START_TEST(test_oauth_check_wrong_provider)
{
    na_jwe_key_t key = na_test_key("secret", "next-auth.state");
    na_oauth_check_ctx_t ctx = {&key, 1, "github", NA_TEST_NOW};
    const char *token, *value = NULL;
    na_err_t err = {0};

    ck_assert_int_eq(na_oauth_check_encode(na_test_pool, &ctx, "abc", &token), NA_OK);
    ctx.provider = "gitlab";
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, token, &value, &err), NA_EDENIED);
    ck_assert_ptr_null(value);
    ck_assert_str_eq(err.code, "OAuthCallback");
    ck_assert_ptr_nonnull(strstr(err.detail, "'github'"));
    ck_assert_ptr_null(strstr(err.detail, "abc")); /* never the value */
}
END_TEST

/* The key is per cookie name: a state cookie is not a PKCE cookie, nor a session. */
START_TEST(test_oauth_check_wrong_key)
{
    na_jwe_key_t state = na_test_key("secret", "next-auth.state");
    na_jwe_key_t pkce = na_test_key("secret", "next-auth.pkce.code_verifier");
    na_jwe_key_t keys[2] = {na_test_key("new", "next-auth.state"), state};
    na_oauth_check_ctx_t ctx = {&state, 1, "github", NA_TEST_NOW};
    const char *token, *value;

    ck_assert_int_eq(na_oauth_check_encode(na_test_pool, &ctx, "abc", &token), NA_OK);
    ctx.keys = &pkce;
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, token, &value, NULL), NA_EINPUT);
    /* a rotated secret: the old key still opens it */
    ctx.keys = keys;
    ctx.nkeys = 2;
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, token, &value, NULL), NA_OK);
    ctx.nkeys = 0;
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, token, &value, NULL), NA_EINPUT);
}
END_TEST

START_TEST(test_oauth_check_tampered)
{
    na_jwe_key_t key = na_test_key("secret", "next-auth.state");
    na_oauth_check_ctx_t ctx = {&key, 1, "github", NA_TEST_NOW};
    const char *token, *value;
    char *bad;
    apr_size_t mid;

    ck_assert_int_eq(na_oauth_check_encode(na_test_pool, &ctx, "abc", &token), NA_OK);
    bad = apr_pstrdup(na_test_pool, token);
    mid = strlen(NA_JWE_HEADER_B64) + 2 + 16 + 1 + 3; /* inside the ciphertext */
    bad[mid] = bad[mid] == 'A' ? 'B' : 'A';
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, bad, &value, NULL), NA_EINPUT);
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, "", &value, NULL), NA_EINPUT);
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, NULL, &value, NULL), NA_EINPUT);
}
END_TEST

/* Payloads sealed with the right key that are still not acceptable. */
START_TEST(test_oauth_check_bad_payloads)
{
    static const struct {
        const char *json;
        na_status_t want;
    } cases[] = {
        {"{\"value\":\"v\",\"iat\":1767225600,\"exp\":1767226500}", NA_EINPUT}, /* pre-4.24.15 */
        {"{\"value\":\"v\",\"provider\":5,\"exp\":1767226500}", NA_EINPUT},
        {"{\"value\":\"\",\"provider\":\"github\",\"exp\":1767226500}", NA_EINPUT},
        {"{\"value\":7,\"provider\":\"github\",\"exp\":1767226500}", NA_EINPUT},
        {"{\"provider\":\"github\",\"exp\":1767226500}", NA_EINPUT},
        {"{\"value\":\"v\",\"provider\":\"github\"}", NA_EINPUT},
        {"{\"value\":\"v\",\"provider\":\"github\",\"exp\":1767226500.5}", NA_EINPUT},
        {"{\"value\":\"v\",\"provider\":\"github\",\"exp\":1767312000}", NA_EINPUT}, /* +1 day */
        {"{\"value\":\"v\",\"provider\":\"github\",\"exp\":1767226500,\"iat\":1767229200}",
         NA_EINPUT},
        {"{\"value\":\"v\",\"provider\":\"github\",\"exp\":1767225000}", NA_EEXPIRED},
        {"{\"value\":\"v\",\"value\":\"w\",\"provider\":\"github\",\"exp\":1767226500}", NA_EINPUT},
        {"[\"v\"]", NA_EINPUT},
        {"{\"value\":\"v\",\"provider\":\"github\",\"exp\":1767226500}", NA_OK},
    };
    na_jwe_key_t key = na_test_key("secret", "next-auth.state");
    na_oauth_check_ctx_t ctx = {&key, 1, "github", NA_TEST_NOW};
    const char *token, *value;
    int i;

    for (i = 0; i < NA_TEST_COUNT(cases); i++) {
        ck_assert_int_eq(
            na_jwe_encrypt(na_test_pool, &key, cases[i].json, strlen(cases[i].json), &token),
            NA_OK);
        ck_assert_msg(na_oauth_check_decode(na_test_pool, &ctx, token, &value, NULL)
                          == cases[i].want,
                      "case %d: %s", i, cases[i].json);
    }
}
END_TEST

START_TEST(test_oauth_check_encode_errors)
{
    na_jwe_key_t key = na_test_key("secret", "next-auth.state");
    na_oauth_check_ctx_t ctx = {&key, 1, "github", NA_TEST_NOW};
    const char *token;

    ck_assert_int_eq(na_oauth_check_encode(na_test_pool, &ctx, "", &token), NA_EINPUT);
    ck_assert_int_eq(na_oauth_check_encode(na_test_pool, &ctx, NULL, &token), NA_EINPUT);
    ck_assert_int_eq(na_oauth_check_encode(na_test_pool, &ctx, "\xff\xfe", &token), NA_EINPUT);
    ctx.provider = NULL;
    ck_assert_int_eq(na_oauth_check_encode(na_test_pool, &ctx, "abc", &token), NA_EINPUT);
}
END_TEST

/* ---- cookies minted by the real next-auth (t/unit/vectors/make-check-vectors.mjs) ----- */

#define NA_TEST_CHECK_FIELDS 8

static apr_array_header_t *na_test_check_vectors(void)
{
    apr_array_header_t *out = apr_array_make(na_test_pool, 16, sizeof(char **));
    char *buf = apr_pstrdup(na_test_pool, na_test_read_vector("nextauth-checks.txt"));
    char *line, *last, *l2;
    int i;

    for (line = apr_strtok(buf, "\n", &last); line; line = apr_strtok(NULL, "\n", &last)) {
        char **fields = apr_pcalloc(na_test_pool, NA_TEST_CHECK_FIELDS * sizeof(char *));
        if (line[0] == '#') {
            continue;
        }
        for (i = 0; i < NA_TEST_CHECK_FIELDS; i++) {
            fields[i] = apr_strtok(i ? NULL : line, "\t", &l2);
            ck_assert_msg(fields[i] != NULL, "nextauth-checks.txt: a line without %d fields",
                          NA_TEST_CHECK_FIELDS);
        }
        APR_ARRAY_PUSH(out, char **) = fields;
    }
    return out;
}

/* Open one next-auth cookie with the key derived from its name, and check that its value
 * is what went into the authorization URL. */
static void na_test_check_vector(char **f)
{
    na_jwe_key_t key = na_test_key("secret", f[0]);
    na_oauth_check_ctx_t ctx = {&key, 1, f[1], apr_atoi64(f[6])};
    json_t *payload = json_loads(f[5], 0, NULL);
    const char *value = NULL;

    ck_assert_ptr_nonnull(payload);
    if (strcmp(f[7], "noprovider") == 0) {
        ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, f[4], &value, NULL), NA_EINPUT);
        json_decref(payload);
        return;
    }
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, f[4], &value, NULL), NA_OK);
    ck_assert_str_eq(value, json_string_value(json_object_get(payload, "value")));
    ck_assert_str_eq(f[2], strstr(f[0], "pkce")    ? "code_challenge"
                           : strstr(f[0], "nonce") ? "nonce"
                                                   : "state");
    ck_assert_str_eq(
        strcmp(f[2], "code_challenge") == 0 ? na_oauth_pkce_challenge(na_test_pool, value) : value,
        f[3]);
    /* 15 minutes, as next-auth's STATE/PKCE/NONCE_MAX_AGE */
    ck_assert_int_eq(json_integer_value(json_object_get(payload, "exp"))
                         - json_integer_value(json_object_get(payload, "iat")),
                     NA_OAUTH_CHECK_MAX_AGE);
    json_decref(payload);
    ctx.provider = "another";
    ck_assert_int_eq(na_oauth_check_decode(na_test_pool, &ctx, f[4], &value, NULL), NA_EDENIED);
}

START_TEST(test_oauth_check_nextauth_vectors)
{
    apr_array_header_t *v = na_test_check_vectors();
    int i;

    ck_assert_int_ge(v->nelts, 9);
    for (i = 0; i < v->nelts; i++) {
        na_test_check_vector(APR_ARRAY_IDX(v, i, char **));
    }
}
END_TEST

/* Our cookie has the same shape as next-auth's: the members of its payload, in order. */
START_TEST(test_oauth_check_same_shape)
{
    apr_array_header_t *v = na_test_check_vectors();
    char **f = APR_ARRAY_IDX(v, 0, char **);
    na_jwe_key_t key = na_test_key("secret", f[0]);
    na_oauth_check_ctx_t ctx = {&key, 1, f[1], apr_atoi64(f[6]) - 30};
    json_t *theirs = json_loads(f[5], 0, NULL), *ours;
    const char *token, *k1, *k2;
    na_jwe_plain_t plain;
    void *i1, *i2;

    ck_assert_int_eq(na_oauth_check_encode(na_test_pool, &ctx,
                                           json_string_value(json_object_get(theirs, "value")),
                                           &token),
                     NA_OK);
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, token, &plain, NULL), NA_OK);
    ours = json_loads((const char *)plain.data, JSON_PRESERVE_ORDER, NULL);
    ck_assert_ptr_nonnull(ours);
    for (i1 = json_object_iter(ours), i2 = json_object_iter(theirs); i1 && i2;
         i1 = json_object_iter_next(ours, i1), i2 = json_object_iter_next(theirs, i2)) {
        k1 = json_object_iter_key(i1);
        k2 = json_object_iter_key(i2);
        ck_assert_str_eq(k1, k2);
        if (strcmp(k1, "jti") != 0) {
            ck_assert(json_equal(json_object_iter_value(i1), json_object_iter_value(i2)));
        }
    }
    ck_assert_ptr_null(i1);
    ck_assert_ptr_null(i2);
    json_decref(ours);
    json_decref(theirs);
}
END_TEST

Suite *suite_oauth(void)
{
    Suite *s = suite_create("oauth");
    TCase *tc = na_test_tcase("checks");

    tcase_add_test(tc, test_oauth_pkce_vector);
    tcase_add_test(tc, test_oauth_random);
    tcase_add_test(tc, test_oauth_checks_new);
    tcase_add_test(tc, test_oauth_check_round_trip);
    tcase_add_test(tc, test_oauth_check_wrong_provider);
    tcase_add_test(tc, test_oauth_check_wrong_key);
    tcase_add_test(tc, test_oauth_check_tampered);
    tcase_add_test(tc, test_oauth_check_bad_payloads);
    tcase_add_test(tc, test_oauth_check_encode_errors);
    tcase_add_test(tc, test_oauth_check_nextauth_vectors);
    tcase_add_test(tc, test_oauth_check_same_shape);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("authorize");
    tcase_add_test(tc, test_oauth_authorize_github);
    tcase_add_test(tc, test_oauth_authorize_oidc);
    tcase_add_test(tc, test_oauth_authorize_no_scope);
    tcase_add_test(tc, test_oauth_authorize_protected);
    tcase_add_test(tc, test_oauth_authorize_errors);
    suite_add_tcase(s, tc);
    return s;
}
