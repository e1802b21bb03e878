/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "na_jwe.h"
#include "na_session.h"
#include "na_tokens.h"
#include "suites.h"

/* A fixed clock: 2026-01-01T00:00:00Z. */
#define NA_TEST_NOW ((apr_int64_t)1767225600)

static na_jwe_key_t na_test_key(const char *secret, const char *salt)
{
    na_jwe_key_t key;

    ck_assert_int_eq(na_jwe_derive_key(secret, salt, &key), NA_OK);
    return key;
}

static const na_session_claims_t na_test_jane = {
    .name = "Jane Doe",
    .email = "jane@example.com",
    .picture = "https://example.com/jane.png",
    .sub = "42",
    .provider = "github",
};

/* Seal an arbitrary payload as a session token would be. */
static const char *na_test_seal(const na_jwe_key_t *key, const char *json)
{
    const char *token = NULL;

    ck_assert_int_eq(na_jwe_encrypt(na_test_pool, key, json, strlen(json), &token), NA_OK);
    return token;
}

static na_status_t na_test_decode1(const char *token, apr_int64_t now, na_session_claims_t *c)
{
    na_jwe_key_t key = na_test_key("secret", "");

    return na_session_decode(na_test_pool, &key, 1, token, now, c, NULL, NULL);
}

static void na_test_str_eq(const char *got, const char *want)
{
    if (want == NULL) {
        ck_assert_ptr_null(got);
    }
    else {
        ck_assert_ptr_nonnull(got);
        ck_assert_str_eq(got, want);
    }
}

/* ---- encode ------------------------------------------------------------------------- */

START_TEST(test_session_round_trip)
{
    na_jwe_key_t key = na_test_key("secret", "");
    na_session_claims_t c;
    const char *token;
    int idx = -1;

    ck_assert_int_eq(
        na_session_encode(na_test_pool, &key, &na_test_jane, NA_TEST_NOW, 3600, &token), NA_OK);
    ck_assert_int_eq(na_session_decode(na_test_pool, &key, 1, token, NA_TEST_NOW, &c, &idx, NULL),
                     NA_OK);
    ck_assert_int_eq(idx, 0);
    ck_assert_str_eq(c.name, "Jane Doe");
    ck_assert_str_eq(c.email, "jane@example.com");
    ck_assert_str_eq(c.picture, "https://example.com/jane.png");
    ck_assert_str_eq(c.sub, "42");
    ck_assert_str_eq(c.provider, "github");
    ck_assert_int_eq(c.iat, NA_TEST_NOW);
    ck_assert_int_eq(c.exp, NA_TEST_NOW + 3600);
    ck_assert_ptr_nonnull(c.jti);
    ck_assert_uint_eq(strlen(c.jti), 36);
}
END_TEST

/* The plaintext is next-auth's: its member order, nulls kept, sub and provider dropped
 * when NULL, our sid and auth_time before iat/exp/jti, which the encoder sets whatever
 * the caller put there. */
START_TEST(test_session_payload_order)
{
    na_jwe_key_t key = na_test_key("secret", "");
    na_session_claims_t in = na_test_jane, nulls = {.iat = 5, .exp = 6, .jti = "x"};
    const char *token, *want, *tail;
    na_jwe_plain_t plain;

    in.iat = 1;
    in.exp = 2;
    in.jti = "caller's";
    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &in, NA_TEST_NOW, 60, &token), NA_OK);
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, token, &plain, NULL), NA_OK);
    want = "{\"name\":\"Jane Doe\",\"email\":\"jane@example.com\",\"picture\":"
           "\"https://example.com/jane.png\",\"sub\":\"42\",\"provider\":\"github\","
           "\"sid\":\"";
    ck_assert_int_eq(strncmp((const char *)plain.data, want, strlen(want)), 0);
    /* the session id (22 characters), then the sign-in time, then next-auth's three */
    tail = (const char *)plain.data + strlen(want) + NA_TOKENS_SID_LEN;
    want = "\",\"auth_time\":1767225600,\"iat\":1767225600,\"exp\":1767225660,\"jti\":\"";
    ck_assert_int_eq(strncmp(tail, want, strlen(want)), 0);
    ck_assert_uint_eq(plain.len,
                      (apr_size_t)(tail - (const char *)plain.data) + strlen(want) + 36 + 2);

    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &nulls, NA_TEST_NOW, 60, &token), NA_OK);
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, token, &plain, NULL), NA_OK);
    want = "{\"name\":null,\"email\":null,\"picture\":null,\"sid\":\"";
    ck_assert_int_eq(strncmp((const char *)plain.data, want, strlen(want)), 0);
}
END_TEST

START_TEST(test_session_uuid)
{
    char a[NA_SESSION_UUID_LEN], b[NA_SESSION_UUID_LEN];
    int i;

    ck_assert_int_eq(na_session_uuid(a), NA_OK);
    ck_assert_int_eq(na_session_uuid(b), NA_OK);
    ck_assert_str_ne(a, b);
    ck_assert_uint_eq(strlen(a), 36);
    for (i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            ck_assert_int_eq(a[i], '-');
        }
        else {
            ck_assert_ptr_nonnull(strchr("0123456789abcdef", a[i]));
        }
    }
    ck_assert_int_eq(a[14], '4');
    ck_assert_ptr_nonnull(strchr("89ab", a[19]));
}
END_TEST

START_TEST(test_session_encode_bad)
{
    na_jwe_key_t key = na_test_key("secret", "");
    na_session_claims_t c = na_test_jane;
    const char *token = NULL;
    char *big = apr_palloc(na_test_pool, 20000);

    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &c, NA_TEST_NOW, 0, &token), NA_EINPUT);
    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &c, NA_TEST_NOW, -5, &token), NA_EINPUT);
    ck_assert_int_eq(
        na_session_encode(na_test_pool, &key, &c, NA_TEST_NOW, NA_SESSION_MAX_LIFETIME + 1, &token),
        NA_EINPUT);
    c.name = "bad \xff utf-8";
    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &c, NA_TEST_NOW, 60, &token), NA_EINPUT);
    memset(big, 'x', 19999);
    big[19999] = '\0';
    c.name = big;
    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &c, NA_TEST_NOW, 60, &token),
                     NA_ETOOBIG);
    ck_assert_ptr_null(token);
}
END_TEST

/* ---- decode: rotation, time rules, payload shape ------------------------------------ */

START_TEST(test_session_rotation)
{
    na_jwe_key_t keys[3] = {na_test_key("new", ""), na_test_key("old", ""),
                            na_test_key("older", "")};
    na_session_claims_t c;
    const char *token;
    int idx = -1;

    ck_assert_int_eq(
        na_session_encode(na_test_pool, &keys[2], &na_test_jane, NA_TEST_NOW, 60, &token), NA_OK);
    ck_assert_int_eq(na_session_decode(na_test_pool, keys, 3, token, NA_TEST_NOW, &c, &idx, NULL),
                     NA_OK);
    ck_assert_int_eq(idx, 2);
    idx = -1;
    ck_assert_int_eq(na_session_decode(na_test_pool, keys, 2, token, NA_TEST_NOW, &c, &idx, NULL),
                     NA_EINPUT);
    ck_assert_int_eq(idx, -1);
    ck_assert_int_eq(na_session_decode(na_test_pool, keys, 0, token, NA_TEST_NOW, &c, &idx, NULL),
                     NA_EINPUT);
}
END_TEST

/* jose's rule with next-auth's 15 s tolerance: valid while exp > now - 15. */
START_TEST(test_session_expiry)
{
    na_jwe_key_t key = na_test_key("secret", "");
    na_session_claims_t c;
    na_err_t err = {NULL, NULL, 0};
    const char *token;
    apr_int64_t exp = NA_TEST_NOW + 60;

    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &na_test_jane, NA_TEST_NOW, 60, &token),
                     NA_OK);
    ck_assert_int_eq(na_test_decode1(token, exp, &c), NA_OK);
    ck_assert_int_eq(na_test_decode1(token, exp + 14, &c), NA_OK);
    ck_assert_int_eq(na_session_decode(na_test_pool, &key, 1, token, exp + 15, &c, NULL, &err),
                     NA_EEXPIRED);
    ck_assert_ptr_nonnull(err.detail);
    ck_assert_int_eq(na_test_decode1(token, exp + 86400, &c), NA_EEXPIRED);
    /* iat = now: 15 s of our clock lagging the issuer's is tolerated, 16 s is not */
    ck_assert_int_eq(na_test_decode1(token, NA_TEST_NOW - 15, &c), NA_OK);
    ck_assert_int_eq(na_test_decode1(token, NA_TEST_NOW - 16, &c), NA_EINPUT);
}
END_TEST

typedef struct na_test_payload_t {
    const char *json; /* %1$lld is NA_TEST_NOW + 3600 */
    na_status_t want;
} na_test_payload_t;

#define NA_TEST_J(x) "{\"name\":null,\"email\":null,\"picture\":null,\"sub\":\"1\"," x "}"

static const na_test_payload_t na_test_payloads[] = {
    /* accepted: the edges of every rule, and extra claims */
    {NA_TEST_J("\"exp\":%1$lld"), NA_OK},
    {NA_TEST_J("\"exp\":%1$lld,\"iat\":1767225600,\"nbf\":1767225600,\"role\":\"admin\""), NA_OK},
    {"{\"exp\":%1$lld}", NA_OK},
    {NA_TEST_J("\"exp\":1767225586"), NA_OK},       /* now - 14 */
    {NA_TEST_J("\"exp\":1767225585"), NA_EEXPIRED}, /* now - 15 */
    {NA_TEST_J("\"exp\":0"), NA_EEXPIRED},
    {NA_TEST_J("\"exp\":-1"), NA_EEXPIRED},
    {NA_TEST_J("\"exp\":2083449600"), NA_OK},     /* now + 10 * 366 days */
    {NA_TEST_J("\"exp\":2083449601"), NA_EINPUT}, /* one second more */
    {NA_TEST_J("\"exp\":9223372036854775807"), NA_EINPUT},
    {NA_TEST_J("\"exp\":1e300"), NA_EINPUT},
    {NA_TEST_J("\"exp\":1767229200.5"), NA_EINPUT},
    {NA_TEST_J("\"exp\":1767229200.0"), NA_EINPUT},
    {NA_TEST_J("\"exp\":\"1767229200\""), NA_EINPUT},
    {NA_TEST_J("\"exp\":null"), NA_EINPUT},
    {NA_TEST_J("\"exp\":true"), NA_EINPUT},
    {NA_TEST_J("\"exp\":[1767229200]"), NA_EINPUT},
    {NA_TEST_J("\"iat\":1767225600"), NA_EINPUT},                /* exp missing */
    {NA_TEST_J("\"exp\":%1$lld,\"iat\":1767225615"), NA_OK},     /* now + 15 */
    {NA_TEST_J("\"exp\":%1$lld,\"iat\":1767225616"), NA_EINPUT}, /* future-dated */
    {NA_TEST_J("\"exp\":%1$lld,\"iat\":\"1767225600\""), NA_EINPUT},
    {NA_TEST_J("\"exp\":%1$lld,\"nbf\":1767225615"), NA_OK},
    {NA_TEST_J("\"exp\":%1$lld,\"nbf\":1767225616"), NA_EINPUT},
    {NA_TEST_J("\"exp\":%1$lld,\"nbf\":1.5"), NA_EINPUT},
    /* shape */
    {"{\"name\":7,\"exp\":%1$lld}", NA_EINPUT},
    {"{\"email\":[\"a@b\"],\"exp\":%1$lld}", NA_EINPUT},
    {"{\"picture\":{},\"exp\":%1$lld}", NA_EINPUT},
    {"{\"name\":false,\"exp\":%1$lld}", NA_EINPUT},
    {"{\"sub\":null,\"exp\":%1$lld}", NA_EINPUT},
    {"{\"sub\":42,\"exp\":%1$lld}", NA_EINPUT},
    {"{\"sub\":\"1\",\"provider\":1,\"exp\":%1$lld}", NA_EINPUT},
    {"{\"sub\":\"1\",\"jti\":1,\"exp\":%1$lld}", NA_EINPUT},
    {"{\"sub\":\"1\",\"sub\":\"2\",\"exp\":%1$lld}", NA_EINPUT}, /* duplicate member */
    {"{\"name\":\"a\\u0000b\",\"exp\":%1$lld}", NA_EINPUT},      /* NUL in a string */
    {"[{\"exp\":%1$lld}]", NA_EINPUT},
    {"\"session\"", NA_EINPUT},
    {"null", NA_EINPUT},
    {"{}", NA_EINPUT},
    {"", NA_EINPUT},
    {"{\"exp\":%1$lld} trailing", NA_EINPUT},
    {"{\"exp\":%1$lld", NA_EINPUT},
    /* a check cookie's payload, sealed with the session key as next-auth < 4.24.5 did */
    {"{\"value\":\"abc\",\"provider\":\"github\",\"iat\":1767225600,\"exp\":%1$lld}", NA_EINPUT},
    {"{\"value\":\"abc\",\"iat\":1767225600,\"exp\":%1$lld,\"jti\":\"x\"}", NA_EINPUT},
    /* ...but a session that happens to carry a "value" claim is still a session */
    {NA_TEST_J("\"value\":\"abc\",\"exp\":%1$lld"), NA_OK},
};

START_TEST(test_session_payloads)
{
    const na_test_payload_t *tc = &na_test_payloads[_i];
    na_jwe_key_t key = na_test_key("secret", "");
    char *json = apr_palloc(na_test_pool, 512);
    na_session_claims_t c = {.name = "untouched"};
    na_err_t err = {NULL, NULL, 0};
    na_status_t rv;

    /* %1$lld is now + 1 h; the literal times are absolute. glibc's snprintf, not
     * apr_psprintf: APR's formatter has no positional arguments. */
    snprintf(json, 512, tc->json, (long long)NA_TEST_NOW + 3600);
    rv = na_session_decode(na_test_pool, &key, 1, na_test_seal(&key, json), NA_TEST_NOW, &c, NULL,
                           &err);
    ck_assert_msg(rv == tc->want, "%s: status %d, want %d", json, rv, tc->want);
    if (rv != NA_OK) {
        ck_assert_str_eq(c.name, "untouched");
        ck_assert_ptr_nonnull(err.detail);
        ck_assert_ptr_null(err.code);
    }
}
END_TEST

static const char *const na_test_check_salts[] = {
    "next-auth.state",
    "__Secure-next-auth.state",
    "next-auth.pkce.code_verifier",
    "next-auth.nonce",
};

/* GHSA-v64w-49xw-qq89: a check cookie is sealed with its own key (salt = cookie name), so
 * neither its payload nor even a session-shaped payload under that key opens as a session. */
START_TEST(test_session_check_cookie_key)
{
    na_jwe_key_t session = na_test_key("secret", "");
    na_jwe_key_t state = na_test_key("secret", na_test_check_salts[_i]);
    na_session_claims_t c;
    const char *check, *shaped;
    char json[128];

    snprintf(json, sizeof(json),
             "{\"value\":\"abc\",\"provider\":\"github\",\"iat\":%lld,"
             "\"exp\":%lld}",
             (long long)NA_TEST_NOW, (long long)NA_TEST_NOW + 900);
    check = na_test_seal(&state, json);
    ck_assert_int_eq(
        na_session_encode(na_test_pool, &state, &na_test_jane, NA_TEST_NOW, 900, &shaped), NA_OK);
    ck_assert_int_eq(
        na_session_decode(na_test_pool, &session, 1, check, NA_TEST_NOW, &c, NULL, NULL),
        NA_EINPUT);
    ck_assert_int_eq(
        na_session_decode(na_test_pool, &session, 1, shaped, NA_TEST_NOW, &c, NULL, NULL),
        NA_EINPUT);
    /* the same token does open under the key it was made with */
    ck_assert_int_eq(
        na_session_decode(na_test_pool, &state, 1, shaped, NA_TEST_NOW, &c, NULL, NULL), NA_OK);
}
END_TEST

START_TEST(test_session_oversize)
{
    na_jwe_key_t keys[2] = {na_test_key("a", ""), na_test_key("b", "")};
    char *big = apr_palloc(na_test_pool, NA_JWE_MAX_TOKEN + 2);
    na_session_claims_t c;

    memset(big, 'A', NA_JWE_MAX_TOKEN + 1);
    big[NA_JWE_MAX_TOKEN + 1] = '\0';
    ck_assert_int_eq(na_session_decode(na_test_pool, keys, 2, big, NA_TEST_NOW, &c, NULL, NULL),
                     NA_ETOOBIG);
    ck_assert_int_eq(na_session_decode(na_test_pool, keys, 2, NULL, NA_TEST_NOW, &c, NULL, NULL),
                     NA_EINPUT);
}
END_TEST

/* ---- tokens from the real next-auth (t/interop/make-vectors.mjs) --------------------- */

/* The lines of a vector file, comments dropped; each line split on tabs into 3 fields. */
static apr_array_header_t *na_test_vectors(const char *file)
{
    apr_array_header_t *out = apr_array_make(na_test_pool, 16, sizeof(char **));
    char *buf = apr_pstrdup(na_test_pool, na_test_read_vector(file)), *line, *last;

    for (line = apr_strtok(buf, "\n", &last); line; line = apr_strtok(NULL, "\n", &last)) {
        char **fields = apr_pcalloc(na_test_pool, 3 * sizeof(char *)), *l2;
        if (line[0] == '#') {
            continue;
        }
        fields[0] = apr_strtok(line, "\t", &l2);
        fields[1] = apr_strtok(NULL, "\t", &l2);
        fields[2] = apr_strtok(NULL, "\t", &l2);
        ck_assert_msg(fields[2] != NULL, "%s: a line without 3 fields", file);
        APR_ARRAY_PUSH(out, char **) = fields;
    }
    return out;
}

static const char *na_test_json_str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* Our decode agrees with next-auth's on every member we read. */
static void na_test_check_vector(const char *token, const char *want_json, apr_int64_t now)
{
    json_t *want = json_loads(want_json, 0, NULL);
    na_session_claims_t c;

    ck_assert_ptr_nonnull(want);
    ck_assert_int_eq(na_test_decode1(token, now, &c), NA_OK);
    na_test_str_eq(c.name, na_test_json_str(want, "name"));
    na_test_str_eq(c.email, na_test_json_str(want, "email"));
    na_test_str_eq(c.picture, na_test_json_str(want, "picture"));
    na_test_str_eq(c.sub, na_test_json_str(want, "sub"));
    na_test_str_eq(c.provider, na_test_json_str(want, "provider"));
    na_test_str_eq(c.jti, na_test_json_str(want, "jti"));
    ck_assert_int_eq(c.iat, json_integer_value(json_object_get(want, "iat")));
    ck_assert_int_eq(c.exp, json_integer_value(json_object_get(want, "exp")));
    json_decref(want);
    ck_assert_int_eq(na_test_decode1(token, c.exp + 15, &c), NA_EEXPIRED);
}

/* A refresh keeps claims a Next.js app added and the absence of missing ones. */
START_TEST(test_session_refresh_keeps_payload)
{
    na_jwe_key_t key = na_test_key("secret", "");
    const char *json = apr_psprintf(na_test_pool,
                                    "{\"email\":\"a@b.example\",\"sub\":\"7\","
                                    "\"role\":\"admin\",\"iat\":%d,\"exp\":%d}",
                                    (int)NA_TEST_NOW, (int)NA_TEST_NOW + 60);
    na_session_claims_t c, again;
    const char *token = NULL;

    ck_assert_int_eq(na_session_decode(na_test_pool, &key, 1, na_test_seal(&key, json), NA_TEST_NOW,
                                       &c, NULL, NULL),
                     NA_OK);
    ck_assert_uint_eq(c.present, NA_CLAIM_EMAIL);
    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &c, NA_TEST_NOW + 10, 3600, &token),
                     NA_OK);
    ck_assert_int_eq(
        na_session_decode(na_test_pool, &key, 1, token, NA_TEST_NOW + 10, &again, NULL, NULL),
        NA_OK);
    ck_assert_ptr_nonnull(strstr(again.payload, "\"role\":\"admin\""));
    ck_assert_ptr_null(strstr(again.payload, "\"name\""));
    ck_assert_uint_eq(again.present, NA_CLAIM_EMAIL);
    ck_assert_int_eq(again.exp, NA_TEST_NOW + 10 + 3600);
    ck_assert_str_ne(again.jti, c.jti ? c.jti : "");
    /* the refresh renewed a copy: the decoded object still says what the token said */
    ck_assert_ptr_nonnull(c.payload_obj);
    ck_assert_int_eq(json_integer_value(json_object_get(c.payload_obj, "exp")), NA_TEST_NOW + 60);
    /* and the payload text alone (no parsed object) refreshes to the same claims */
    c.payload_obj = NULL;
    ck_assert_int_eq(na_session_encode(na_test_pool, &key, &c, NA_TEST_NOW + 10, 3600, &token),
                     NA_OK);
    ck_assert_int_eq(
        na_session_decode(na_test_pool, &key, 1, token, NA_TEST_NOW + 10, &again, NULL, NULL),
        NA_OK);
    ck_assert_ptr_nonnull(strstr(again.payload, "\"role\":\"admin\""));
    ck_assert_int_eq(again.exp, NA_TEST_NOW + 10 + 3600);
}
END_TEST

START_TEST(test_session_nextauth_vectors)
{
    apr_array_header_t *v = na_test_vectors("nextauth-jwe.txt");
    na_jwe_key_t keys[2] = {na_test_key("new secret", ""), na_test_key("secret", "")};
    na_session_claims_t c;
    int i, idx;

    ck_assert_int_ge(v->nelts, 8);
    for (i = 0; i < v->nelts; i++) {
        char **f = APR_ARRAY_IDX(v, i, char **);
        apr_int64_t now = apr_atoi64(f[2]);
        na_test_check_vector(f[0], f[1], now);
        /* the secret rotated since: found as the second key, and refused without it */
        ck_assert_int_eq(na_session_decode(na_test_pool, keys, 2, f[0], now, &c, &idx, NULL),
                         NA_OK);
        ck_assert_int_eq(idx, 1);
        ck_assert_int_eq(na_session_decode(na_test_pool, keys, 1, f[0], now, &c, &idx, NULL),
                         NA_EINPUT);
    }
}
END_TEST

/* Tokens under the same secret that next-auth (sometimes) takes and we must not. */
START_TEST(test_session_nextauth_reject_vectors)
{
    apr_array_header_t *v = na_test_vectors("nextauth-jwe-reject.txt");
    na_session_claims_t c;
    int i;

    ck_assert_int_ge(v->nelts, 10);
    for (i = 0; i < v->nelts; i++) {
        char **f = APR_ARRAY_IDX(v, i, char **);
        na_status_t rv = na_test_decode1(f[0], apr_atoi64(f[1]), &c);
        ck_assert_msg(rv != NA_OK, "accepted: %s", f[2]);
    }
}
END_TEST

Suite *suite_session(void)
{
    Suite *s = suite_create("session");
    TCase *tc = na_test_tcase("session");

    tcase_add_test(tc, test_session_round_trip);
    tcase_add_test(tc, test_session_payload_order);
    tcase_add_test(tc, test_session_uuid);
    tcase_add_test(tc, test_session_encode_bad);
    tcase_add_test(tc, test_session_rotation);
    tcase_add_test(tc, test_session_expiry);
    tcase_add_loop_test(tc, test_session_payloads, 0, NA_TEST_COUNT(na_test_payloads));
    tcase_add_loop_test(tc, test_session_check_cookie_key, 0, NA_TEST_COUNT(na_test_check_salts));
    tcase_add_test(tc, test_session_oversize);
    tcase_add_test(tc, test_session_refresh_keeps_payload);
    tcase_add_test(tc, test_session_nextauth_vectors);
    tcase_add_test(tc, test_session_nextauth_reject_vectors);
    suite_add_tcase(s, tc);
    return s;
}
