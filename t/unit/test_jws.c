/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "na_b64.h"
#include "na_jws.h"
#include "suites.h"

/* ---- vectors from t/unit/vectors/make-jws-vectors.mjs (jose 4) ------------------------- */

static const char *na_test_jws_read(const char *file)
{
    return na_test_read_vector(apr_pstrcat(na_test_pool, "jws/", file, NULL));
}

static na_jws_jwks_t *na_test_jwks_file(const char *file)
{
    const char *doc = na_test_jws_read(file);
    na_jws_jwks_t *jwks = NULL;

    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, doc, strlen(doc), &jwks, NULL), NA_OK);
    return jwks;
}

/* tokens.json, parsed; the caller decrefs it. */
static json_t *na_test_jws_tokens(void)
{
    json_t *doc = json_loads(na_test_jws_read("tokens.json"), 0, NULL);

    ck_assert_ptr_nonnull(doc);
    ck_assert_int_ge(json_array_size(json_object_get(doc, "cases")), 40);
    return doc;
}

static na_status_t na_test_status(const char *name)
{
    static const struct {
        const char *name;
        na_status_t status;
    } map[] = {{"NA_OK", NA_OK}, {"NA_EINPUT", NA_EINPUT}, {"NA_EDENIED", NA_EDENIED}};
    int i;

    for (i = 0; i < NA_TEST_COUNT(map); i++) {
        if (strcmp(map[i].name, name) == 0) {
            return map[i].status;
        }
    }
    ck_abort_msg("unknown status %s", name);
    return NA_EINTERNAL;
}

/* A case's verdict; on NA_OK the payload is the claims jose signed, alg and kid as sent. */
static void na_test_jws_case(json_t *c, json_t *claims)
{
    const char *name = json_string_value(json_object_get(c, "name"));
    const char *token = json_string_value(json_object_get(c, "token"));
    na_status_t want = na_test_status(json_string_value(json_object_get(c, "want")));
    na_jws_jwks_t *jwks = na_test_jwks_file(json_string_value(json_object_get(c, "jwks")));
    na_jws_verified_t v;
    na_err_t err = {0};
    na_status_t rv = na_jws_verify(na_test_pool, jwks, token, &v, &err);
    json_t *payload;

    ck_assert_msg(rv == want, "%s: got %d, want %d (%s)", name, rv, want,
                  err.detail ? err.detail : "no detail");
    if (rv != NA_OK) {
        ck_assert_msg(err.detail != NULL && err.code == NULL, "%s: err not filled", name);
        return;
    }
    payload = json_loadb(v.payload, v.len, 0, NULL);
    ck_assert_msg(json_equal(payload, claims), "%s: payload differs", name);
    json_decref(payload);
    ck_assert_uint_eq(strlen(v.payload), v.len);
    ck_assert_msg(v.alg != NULL, "%s: no alg", name);
}

START_TEST(test_jws_vectors)
{
    json_t *doc = na_test_jws_tokens(), *cases = json_object_get(doc, "cases");
    apr_size_t i;

    for (i = 0; i < json_array_size(cases); i++) {
        na_test_jws_case(json_array_get(cases, i), json_object_get(doc, "claims"));
    }
    json_decref(doc);
}
END_TEST

/* Each of the nine algs has a vector that verifies, and the result names it and its kid. */
static const struct {
    const char *alg;
    const char *kid;
} na_test_jws_algs[] = {
    {"RS256", "rsa-1"},  {"RS384", "rsa-1"},  {"RS512", "rsa-1"},
    {"PS256", "rsa-1"},  {"PS384", "rsa-1"},  {"PS512", "rsa-1"},
    {"ES256", "ec-256"}, {"ES384", "ec-384"}, {"ES512", "ec-521"},
};

START_TEST(test_jws_every_alg)
{
    json_t *doc = na_test_jws_tokens(), *cases = json_object_get(doc, "cases"), *c = NULL;
    na_jws_jwks_t *jwks = na_test_jwks_file("jwks.json");
    na_jws_verified_t v;
    apr_size_t i;

    for (i = 0; i < json_array_size(cases); i++) {
        c = json_array_get(cases, i);
        if (strcmp(json_string_value(json_object_get(c, "name")), na_test_jws_algs[_i].alg) == 0) {
            break;
        }
    }
    ck_assert_msg(i < json_array_size(cases), "no vector for %s", na_test_jws_algs[_i].alg);
    ck_assert_int_eq(
        na_jws_verify(na_test_pool, jwks, json_string_value(json_object_get(c, "token")), &v, NULL),
        NA_OK);
    ck_assert_str_eq(v.alg, na_test_jws_algs[_i].alg);
    ck_assert_str_eq(v.kid, na_test_jws_algs[_i].kid);
    json_decref(doc);
}
END_TEST

/* Without a kid, every key that fits the alg is tried (RS256: rsa-1 and rsa-alg; PS256: only
 * rsa-1, as rsa-alg names RS256) and the result has no kid. */
START_TEST(test_jws_kidless)
{
    json_t *doc = na_test_jws_tokens(), *cases = json_object_get(doc, "cases"), *c;
    na_jws_jwks_t *jwks = na_test_jwks_file("jwks.json");
    na_jws_verified_t v;
    apr_size_t i;
    int n = 0;

    for (i = 0; i < json_array_size(cases); i++) {
        c = json_array_get(cases, i);
        if (strstr(json_string_value(json_object_get(c, "name")), "without kid") == NULL
            || strcmp(json_string_value(json_object_get(c, "want")), "NA_OK") != 0) {
            continue;
        }
        ck_assert_int_eq(na_jws_verify(na_test_pool, jwks,
                                       json_string_value(json_object_get(c, "token")), &v, NULL),
                         NA_OK);
        ck_assert_ptr_null(v.kid);
        n++;
    }
    ck_assert_int_ge(n, 3);
    json_decref(doc);
}
END_TEST

/* ---- token size and shape --------------------------------------------------------------- */

static char *na_test_filled(apr_size_t n, char c)
{
    char *s = apr_palloc(na_test_pool, n + 1);

    memset(s, c, n);
    s[n] = '\0';
    return s;
}

START_TEST(test_jws_too_big)
{
    na_jws_jwks_t *jwks = na_test_jwks_file("jwks.json");
    na_jws_verified_t v;
    na_err_t err = {0};
    char *big = na_test_filled(NA_JWS_MAX_TOKEN + 1, 'A');

    big[10] = '.';
    big[20] = '.';
    ck_assert_int_eq(na_jws_verify(na_test_pool, jwks, big, &v, &err), NA_ETOOBIG);
    ck_assert_ptr_nonnull(err.detail);
    /* one character less is parsed, and refused for what it is */
    big[NA_JWS_MAX_TOKEN] = '\0';
    ck_assert_int_eq(na_jws_verify(na_test_pool, jwks, big, &v, NULL), NA_EINPUT);
}
END_TEST

static const char *const na_test_jws_shapes[] = {
    NULL,
    "",
    ".",
    "..",
    "...",
    "eyJhbGciOiJSUzI1NiJ9",
    "eyJhbGciOiJSUzI1NiJ9.e30",
    "eyJhbGciOiJSUzI1NiJ9.e30.",
    ".e30.AAAA",
    "eyJhbGciOiJSUzI1NiJ9..AAAA.",
    "eyJhbGciOiJSUzI1NiJ9.e30.AA AA",
    "eyJhbGciOiJSUzI1NiJ9 .e30.AAAA",
    "eyJhbGciOiJSUzI1NiJ9.e30=.AAAA",
    "e30.e30.AAAA",              /* {} */
    "bnVsbA.e30.AAAA",           /* null */
    "eyJhbGciOm51bGx9.e30.AAAA", /* {"alg":null} */
};

START_TEST(test_jws_bad_shapes)
{
    na_jws_jwks_t *jwks = na_test_jwks_file("jwks.json");
    na_jws_verified_t v;

    ck_assert_msg(na_jws_verify(na_test_pool, jwks, na_test_jws_shapes[_i], &v, NULL) == NA_EINPUT,
                  "accepted or misjudged: \"%s\"",
                  na_test_jws_shapes[_i] ? na_test_jws_shapes[_i] : "(null)");
}
END_TEST

/* ---- JWKS documents ---------------------------------------------------------------------- */

START_TEST(test_jwks_vector_counts)
{
    ck_assert_int_eq(na_jws_jwks_count(na_test_jwks_file("jwks.json")), 5);
    ck_assert_int_eq(na_jws_jwks_skipped(na_test_jwks_file("jwks.json")), 3);
    ck_assert_int_eq(na_jws_jwks_count(na_test_jwks_file("jwks-rotated.json")), 6);
    ck_assert_int_eq(na_jws_jwks_count(na_test_jwks_file("jwks-ec256.json")), 1);
}
END_TEST

static const struct {
    const char *doc;
    na_status_t want;
} na_test_jwks_docs[] = {
    {"", NA_EINPUT},
    {"not json", NA_EINPUT},
    {"[]", NA_EINPUT},
    {"{}", NA_EINPUT},
    {"{\"keys\":{}}", NA_EINPUT},
    {"{\"keys\":\"\"}", NA_EINPUT},
    {"{\"keys\":[]}", NA_EINPUT},
    {"{\"keys\":[1,\"a\",null,[],{}]}", NA_EINPUT},
    {"{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}", NA_EINPUT},
    {"{\"keys\":[],\"keys\":[]}", NA_EINPUT},
    {"{\"keys\":[]} trailing", NA_EINPUT},
};

START_TEST(test_jwks_bad_docs)
{
    na_jws_jwks_t *jwks = NULL;
    na_err_t err = {0};

    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, na_test_jwks_docs[_i].doc,
                                       strlen(na_test_jwks_docs[_i].doc), &jwks, &err),
                     na_test_jwks_docs[_i].want);
    ck_assert_ptr_null(jwks);
    ck_assert_ptr_nonnull(err.detail);
}
END_TEST

/* The vector set's key number `key` with `member` replaced by `json` (removed when NULL). */
typedef struct na_test_jwk_edit_t {
    const char *what;
    int key; /* 0 rsa-1, 2 ec-256, 3 ec-384, 4 ec-521 */
    const char *member;
    const char *json;
} na_test_jwk_edit_t;

static const na_test_jwk_edit_t na_test_jwk_bad[] = {
    {"RSA without n", 0, "n", NULL},
    {"RSA without e", 0, "e", NULL},
    {"RSA n padded", 0, "n", "\"AQAB==\""},
    {"RSA n in the + / alphabet", 0, "n", "\"ab+/\""},
    {"RSA n not base64", 0, "n", "\"not base64!\""},
    {"RSA n empty", 0, "n", "\"\""},
    {"RSA n a number", 0, "n", "65537"},
    {"RSA e = 1", 0, "e", "\"AQ\""},
    {"RSA e = 2", 0, "e", "\"Ag\""},
    {"RSA e over 64 bits", 0, "e", "\"AQAAAAAAAAAAAQ\""},
    {"kty lower case", 0, "kty", "\"rsa\""},
    {"kty missing", 0, "kty", NULL},
    {"kty a number", 0, "kty", "1"},
    {"use enc", 0, "use", "\"enc\""},
    {"use a number", 0, "use", "1"},
    {"kid a number", 0, "kid", "7"},
    {"alg a boolean", 0, "alg", "true"},
    {"EC without x", 2, "x", NULL},
    {"EC without y", 2, "y", NULL},
    {"EC without crv", 2, "crv", NULL},
    {"EC crv P-192", 2, "crv", "\"P-192\""},
    {"EC crv secp256k1", 2, "crv", "\"secp256k1\""},
    {"EC crv p-256", 2, "crv", "\"p-256\""},
    {"EC P-256 coordinates as P-384", 2, "crv", "\"P-384\""},
    {"EC P-384 coordinates as P-256", 3, "crv", "\"P-256\""},
    {"EC x short", 2, "x", "\"AAAA\""},
    {"EC x bad base64", 2, "x", "\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVE=\""},
    {"EC x a number", 2, "x", "0"},
    /* 87 characters: 65 bytes, where P-521 needs 66 */
    {"EC P-521 x short by one byte", 4, "x",
     "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\""},
};

static json_t *na_test_jwk_edited(const na_test_jwk_edit_t *e)
{
    json_t *set = json_loads(na_test_jws_read("jwks.json"), 0, NULL);
    json_t *key = json_deep_copy(json_array_get(json_object_get(set, "keys"), (size_t)e->key));

    json_decref(set);
    ck_assert_ptr_nonnull(key);
    if (e->json) {
        json_object_set_new(key, e->member, json_loads(e->json, JSON_DECODE_ANY, NULL));
    }
    else {
        json_object_del(key, e->member);
    }
    return key;
}

/* {"keys": [first, second]} (second may be NULL) as text in the test pool. */
static const char *na_test_jwks_doc(json_t *first, json_t *second)
{
    json_t *doc = json_pack("{s:[O]}", "keys", first);
    char *s;
    const char *out;

    if (second) {
        json_array_append(json_object_get(doc, "keys"), second);
    }
    s = json_dumps(doc, JSON_COMPACT);
    out = apr_pstrdup(na_test_pool, s);
    free(s);
    json_decref(doc);
    return out;
}

/* A bad key is skipped: alone it leaves no usable key, next to a good one it costs nothing. */
START_TEST(test_jwks_bad_keys)
{
    const na_test_jwk_edit_t *e = &na_test_jwk_bad[_i];
    json_t *bad = na_test_jwk_edited(e);
    na_test_jwk_edit_t keep = {"", 3, "kid", "\"good\""};
    json_t *good = na_test_jwk_edited(&keep);
    na_jws_jwks_t *jwks = NULL;
    const char *doc = na_test_jwks_doc(bad, NULL);

    ck_assert_msg(na_jws_jwks_parse(na_test_pool, doc, strlen(doc), &jwks, NULL) == NA_EINPUT,
                  "%s: accepted", e->what);
    doc = na_test_jwks_doc(bad, good);
    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, doc, strlen(doc), &jwks, NULL), NA_OK);
    ck_assert_int_eq(na_jws_jwks_count(jwks), 1);
    ck_assert_int_eq(na_jws_jwks_skipped(jwks), 1);
    json_decref(bad);
    json_decref(good);
}
END_TEST

/* A point that is not on the curve: the vector key's x with its y swapped in. */
START_TEST(test_jwks_off_curve)
{
    na_test_jwk_edit_t e = {"", 2, "x", NULL};
    json_t *key = na_test_jwk_edited(&e), *good = json_object_get(key, "y");
    na_jws_jwks_t *jwks = NULL;
    const char *doc;

    json_object_set(key, "x", good);
    doc = na_test_jwks_doc(key, NULL);
    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, doc, strlen(doc), &jwks, NULL), NA_EINPUT);
    json_decref(key);
}
END_TEST

/* Synthetic moduli: only the size is checked before OpenSSL imports the key. */
static const struct {
    int bytes;
    na_status_t want;
} na_test_rsa_sizes[] = {
    {128, NA_EINPUT}, {255, NA_EINPUT}, {256, NA_OK},
    {512, NA_OK},     {1024, NA_OK},    {1025, NA_EINPUT},
};

START_TEST(test_jwks_rsa_sizes)
{
    unsigned char *n = apr_palloc(na_test_pool, (apr_size_t)na_test_rsa_sizes[_i].bytes);
    const char *doc;
    na_jws_jwks_t *jwks = NULL;

    memset(n, 0xc5, (apr_size_t)na_test_rsa_sizes[_i].bytes);
    doc = apr_psprintf(na_test_pool, "{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"%s\"}]}",
                       na_b64_encode(na_test_pool, n, (apr_size_t)na_test_rsa_sizes[_i].bytes));
    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, doc, strlen(doc), &jwks, NULL),
                     na_test_rsa_sizes[_i].want);
}
END_TEST

/* n keys, each a copy of the vector P-384 key under its own kid. */
static const char *na_test_jwks_many(int n)
{
    na_test_jwk_edit_t e = {"", 3, "kid", NULL};
    json_t *key = na_test_jwk_edited(&e), *keys = json_array(), *doc;
    const char *out;
    char *s;
    int i;

    for (i = 0; i < n; i++) {
        json_t *k = json_copy(key);
        json_object_set_new(k, "kid", json_sprintf("k%d", i));
        json_array_append_new(keys, k);
    }
    doc = json_pack("{s:o}", "keys", keys);
    s = json_dumps(doc, JSON_COMPACT);
    out = apr_pstrdup(na_test_pool, s);
    free(s);
    json_decref(doc);
    json_decref(key);
    return out;
}

START_TEST(test_jwks_key_cap)
{
    const char *doc = na_test_jwks_many(NA_JWS_MAX_KEYS);
    na_jws_jwks_t *jwks = NULL;
    na_err_t err = {0};

    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, doc, strlen(doc), &jwks, NULL), NA_OK);
    ck_assert_int_eq(na_jws_jwks_count(jwks), NA_JWS_MAX_KEYS);
    jwks = NULL;
    doc = na_test_jwks_many(NA_JWS_MAX_KEYS + 1);
    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, doc, strlen(doc), &jwks, &err), NA_ETOOBIG);
    ck_assert_ptr_null(jwks);
    ck_assert_ptr_nonnull(err.detail);
}
END_TEST

/* The size cap counts bytes, whitespace included, before any parsing. */
START_TEST(test_jwks_size_cap)
{
    const char *good = na_test_jws_read("jwks-ec256.json");
    apr_size_t len = strlen(good);
    char *doc = na_test_filled(NA_JWS_MAX_JWKS + 1, ' ');
    na_jws_jwks_t *jwks = NULL;

    memcpy(doc, good, len);
    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, doc, NA_JWS_MAX_JWKS + 1, &jwks, NULL),
                     NA_ETOOBIG);
    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, doc, NA_JWS_MAX_JWKS, &jwks, NULL), NA_OK);
    /* len bounds the read: a cut document is not JSON */
    ck_assert_int_eq(na_jws_jwks_parse(na_test_pool, good, len / 2, &jwks, NULL), NA_EINPUT);
}
END_TEST

/* A JWKS parsed into its own pool lives and dies with it; verification reads it only. */
START_TEST(test_jwks_own_pool)
{
    json_t *doc = na_test_jws_tokens();
    const char *text = na_test_jws_read("jwks.json");
    const char *token = json_string_value(
        json_object_get(json_array_get(json_object_get(doc, "cases"), 0), "token"));
    apr_pool_t *cache;
    na_jws_jwks_t *jwks = NULL;
    na_jws_verified_t v;

    ck_assert_int_eq(apr_pool_create(&cache, NULL), APR_SUCCESS);
    ck_assert_int_eq(na_jws_jwks_parse(cache, text, strlen(text), &jwks, NULL), NA_OK);
    ck_assert_int_eq(na_jws_verify(na_test_pool, jwks, token, &v, NULL), NA_OK);
    ck_assert_int_eq(na_jws_verify(na_test_pool, jwks, token, &v, NULL), NA_OK);
    apr_pool_destroy(cache);
    ck_assert_ptr_nonnull(strstr(v.payload, "\"sub\""));
    json_decref(doc);
}
END_TEST

Suite *suite_jws(void)
{
    Suite *s = suite_create("jws");
    TCase *tc = na_test_tcase("jws");

    tcase_add_test(tc, test_jws_vectors);
    tcase_add_loop_test(tc, test_jws_every_alg, 0, NA_TEST_COUNT(na_test_jws_algs));
    tcase_add_test(tc, test_jws_kidless);
    tcase_add_test(tc, test_jws_too_big);
    tcase_add_loop_test(tc, test_jws_bad_shapes, 0, NA_TEST_COUNT(na_test_jws_shapes));
    tcase_add_test(tc, test_jwks_vector_counts);
    tcase_add_loop_test(tc, test_jwks_bad_docs, 0, NA_TEST_COUNT(na_test_jwks_docs));
    tcase_add_loop_test(tc, test_jwks_bad_keys, 0, NA_TEST_COUNT(na_test_jwk_bad));
    tcase_add_test(tc, test_jwks_off_curve);
    tcase_add_loop_test(tc, test_jwks_rsa_sizes, 0, NA_TEST_COUNT(na_test_rsa_sizes));
    tcase_add_test(tc, test_jwks_key_cap);
    tcase_add_test(tc, test_jwks_size_cap);
    tcase_add_test(tc, test_jwks_own_pool);
    suite_add_tcase(s, tc);
    return s;
}
