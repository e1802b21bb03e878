/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <openssl/evp.h>

#include "na_b64.h"
#include "na_crypto.h"
#include "na_jwe.h"
#include "suites.h"

/* ---- key derivation: SPEC §6.1 vectors (secret "secret") ----------------------------- */

typedef struct na_test_kdf_t {
    const char *salt;
    const char *hex;
} na_test_kdf_t;

static const na_test_kdf_t na_test_kdf[] = {
    {"", "9ab5058ebf5be88f82f4aee99d22cf8be7a34a4af1836299d0668f4d83020f5a"},
    {"next-auth.state", "c01f89640026c3c617ec6a68dc377509d2c405289c116743082c17c9874371a7"},
    {"next-auth.pkce.code_verifier",
     "a0d18a95d87f3d3579beb7a6e07c4d9c80bcef6e5989397e73790dee648b234b"},
    {"next-auth.nonce", "8baf701d7889cd03afe25c9eabf72b19db69aa896b5bd85bb5760cf350d268f4"},
    {"__Secure-next-auth.state",
     "6cbfda1e7b85bf47e179cf470207e45434a413b8deb8e6bf0e1e2d7bc506da4e"},
};

START_TEST(test_jwe_derive_key_vectors)
{
    na_jwe_key_t key;

    ck_assert_int_eq(na_jwe_derive_key("secret", na_test_kdf[_i].salt, &key), NA_OK);
    ck_assert_str_eq(na_crypto_hex(na_test_pool, key.bytes, NA_JWE_KEY_LEN), na_test_kdf[_i].hex);
}
END_TEST

/* A salt too long for the info buffer is refused rather than silently truncated. */
START_TEST(test_jwe_derive_key_long_salt)
{
    char salt[600];
    na_jwe_key_t key;

    memset(salt, 'a', sizeof(salt) - 1);
    salt[sizeof(salt) - 1] = '\0';
    ck_assert_int_eq(na_jwe_derive_key("secret", salt, &key), NA_EINTERNAL);
}
END_TEST

/* A site-bound session key differs from next-auth's and per site, and is deterministic. */
START_TEST(test_jwe_derive_site_key)
{
    na_jwe_key_t plain, a, a2, b, other;

    ck_assert_int_eq(na_jwe_derive_key("secret", "", &plain), NA_OK);
    ck_assert_int_eq(na_jwe_derive_site_key("secret", "https://a.example", &a), NA_OK);
    ck_assert_int_eq(na_jwe_derive_site_key("secret", "https://a.example", &a2), NA_OK);
    ck_assert_int_eq(na_jwe_derive_site_key("secret", "https://b.example", &b), NA_OK);
    ck_assert_int_eq(na_jwe_derive_site_key("other", "https://a.example", &other), NA_OK);
    ck_assert(memcmp(a.bytes, plain.bytes, NA_JWE_KEY_LEN) != 0);
    ck_assert(memcmp(a.bytes, b.bytes, NA_JWE_KEY_LEN) != 0);
    ck_assert(memcmp(a.bytes, other.bytes, NA_JWE_KEY_LEN) != 0);
    ck_assert(memcmp(a.bytes, a2.bytes, NA_JWE_KEY_LEN) == 0);
}
END_TEST

/* ---- a token minted by next-auth 4.24.15 (t/interop/make-vectors.mjs), secret "secret" - */

static const char na_test_nextauth_token[] =
    "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..4jg5Kz7QFawG292z.axGpVCL75LlFBR1NDuhTDdNbfN3_b7"
    "wOJWsenrO2-wCzEbGYcrjUtiDvDaHZbd0nXUYqtUuHMJjVTapG5JvwaluqzJYc0ihj64tacfkhFD3fc0ntuuevcF"
    "GkabXKl_oDNNGZIpPTIWYkeExWNxAV-OoVhCBS8QFqgjLXxQVcSViFNuiyrHLR2ad3E-HgoWX1yWWnm7KRDvQWnn"
    "9rr9yC5yBFkAas-ytb9uutmMWkEIml.hdDGt9ue3Sk8i6LcBwfM5A";

static na_jwe_key_t na_test_session_key(void)
{
    na_jwe_key_t key;

    ck_assert_int_eq(na_jwe_derive_key("secret", "", &key), NA_OK);
    return key;
}

/* Known answer: the exact plaintext next-auth's encode sealed. */
START_TEST(test_jwe_nextauth_token)
{
    na_jwe_key_t key = na_test_session_key();
    na_jwe_plain_t plain;

    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, na_test_nextauth_token, &plain, NULL),
                     NA_OK);
    ck_assert_str_eq((const char *)plain.data,
                     "{\"name\":\"Jane Doe\",\"email\":\"jane@example.com\","
                     "\"picture\":\"https://example.com/jane.png\",\"sub\":\"42\","
                     "\"iat\":1795829417,\"exp\":1798421417,"
                     "\"jti\":\"04de1d42-3104-4740-a833-c6c26173c8e6\"}");
}
END_TEST

/* ---- round trip and the shape of our tokens ------------------------------------------ */

START_TEST(test_jwe_round_trip)
{
    na_jwe_key_t key = na_test_session_key();
    const char *msg = "{\"name\":\"\xea\xb9\x80\xec\xb2\xa0\xec\x88\x98\"}", *token = NULL;
    const char *iv, *ct, *tag;
    na_jwe_plain_t plain;

    ck_assert_int_eq(na_jwe_encrypt(na_test_pool, &key, msg, strlen(msg), &token), NA_OK);
    /* header . (empty key) . 16-char IV . ciphertext . 22-char tag */
    ck_assert_int_eq(strncmp(token, NA_JWE_HEADER_B64 "..", strlen(NA_JWE_HEADER_B64) + 2), 0);
    iv = token + strlen(NA_JWE_HEADER_B64) + 2;
    ct = strchr(iv, '.') + 1;
    tag = strchr(ct, '.') + 1;
    ck_assert_int_eq(ct - iv - 1, 16);
    ck_assert_uint_eq(strlen(tag), 22);
    ck_assert_ptr_null(strchr(tag, '.'));
    ck_assert_int_eq(tag - ct - 1, (int)NA_B64_ENCODED_LEN(strlen(msg)));
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, token, &plain, NULL), NA_OK);
    ck_assert_uint_eq(plain.len, strlen(msg));
    ck_assert_mem_eq(plain.data, msg, plain.len);
    ck_assert_int_eq(plain.data[plain.len], '\0');
}
END_TEST

/* Two encryptions of the same plaintext differ (fresh IV each time). */
START_TEST(test_jwe_fresh_iv)
{
    na_jwe_key_t key = na_test_session_key();
    const char *a, *b;

    ck_assert_int_eq(na_jwe_encrypt(na_test_pool, &key, "{}", 2, &a), NA_OK);
    ck_assert_int_eq(na_jwe_encrypt(na_test_pool, &key, "{}", 2, &b), NA_OK);
    ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_jwe_encrypt_too_big)
{
    na_jwe_key_t key = na_test_session_key();
    apr_size_t n = NA_JWE_MAX_TOKEN / 4 * 3;
    char *big = apr_pcalloc(na_test_pool, n);
    const char *token = NULL;

    memset(big, 'x', n);
    ck_assert_int_eq(na_jwe_encrypt(na_test_pool, &key, big, n, &token), NA_ETOOBIG);
    ck_assert_ptr_null(token);
}
END_TEST

/* ---- hand-sealed tokens with other headers, IV and tag sizes ------------------------- */

typedef struct na_test_seal_t {
    const char *header; /* JSON, base64url-encoded as is */
    const char *ekey;   /* encrypted-key part, as sent */
    int ivlen;
    int taglen; /* how much of the 16-byte tag to send */
} na_test_seal_t;

/* Seal plaintext with AES-256-GCM under key exactly as the header part says, so that the
 * only thing wrong with the token is the policy the case exercises. */
static const char *na_test_seal(const na_jwe_key_t *key, const na_test_seal_t *how,
                                const char *plaintext)
{
    apr_pool_t *p = na_test_pool;
    const char *hdr = na_b64_encode(p, (const unsigned char *)how->header, strlen(how->header));
    unsigned char iv[32] = {1, 2, 3}, tag[16], ct[256];
    int n = 0, fin = 0, len = (int)strlen(plaintext);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

    ck_assert_int_lt(len, (int)sizeof(ct));
    ck_assert(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1);
    ck_assert(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, how->ivlen, NULL) == 1);
    ck_assert(EVP_EncryptInit_ex(ctx, NULL, NULL, key->bytes, iv) == 1);
    ck_assert(EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)hdr, (int)strlen(hdr)));
    ck_assert(EVP_EncryptUpdate(ctx, ct, &n, (const unsigned char *)plaintext, len) == 1);
    ck_assert(EVP_EncryptFinal_ex(ctx, ct + n, &fin) == 1);
    ck_assert(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1);
    EVP_CIPHER_CTX_free(ctx);
    return apr_pstrcat(p, hdr, ".", how->ekey, ".", na_b64_encode(p, iv, (apr_size_t)how->ivlen),
                       ".", na_b64_encode(p, ct, (apr_size_t)len), ".",
                       na_b64_encode(p, tag, (apr_size_t)how->taglen), NULL);
}

#define NA_TEST_HDR "{\"alg\":\"dir\",\"enc\":\"A256GCM\"}"

/* Sanity: the sealer with next-auth's header makes tokens we accept, including the same
 * header spelled with its members swapped (the header is authenticated as AAD). */
static const na_test_seal_t na_test_seal_good[] = {
    {NA_TEST_HDR, "", 12, 16},
    {"{\"enc\":\"A256GCM\",\"alg\":\"dir\"}", "", 12, 16},
    {"{ \"alg\": \"dir\", \"enc\": \"A256GCM\" }\n", "", 12, 16},
};

START_TEST(test_jwe_sealed_good)
{
    na_jwe_key_t key = na_test_session_key();
    const char *token = na_test_seal(&key, &na_test_seal_good[_i], "{\"sub\":\"1\"}");
    na_jwe_plain_t plain;

    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, token, &plain, NULL), NA_OK);
    ck_assert_str_eq((const char *)plain.data, "{\"sub\":\"1\"}");
}
END_TEST

/* Each is correctly encrypted and authenticated under the right key, yet refused. */
static const na_test_seal_t na_test_seal_bad[] = {
    {"{\"alg\":\"dir\",\"enc\":\"A128CBC-HS256\"}", "", 12, 16},
    {"{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"zip\":\"DEF\"}", "", 12, 16},
    {"{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"crit\":[\"exp\"],\"exp\":1}", "", 12, 16},
    {"{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"kid\":\"k1\"}", "", 12, 16},
    {"{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"typ\":\"JWT\"}", "", 12, 16},
    {"{\"alg\":\"none\",\"enc\":\"A256GCM\"}", "", 12, 16},
    {"{\"alg\":\"A256KW\",\"enc\":\"A256GCM\"}", "", 12, 16},
    {"{\"alg\":\"DIR\",\"enc\":\"A256GCM\"}", "", 12, 16},
    {"{\"alg\":\"dir\",\"enc\":\"A128GCM\"}", "", 12, 16},
    {"{\"alg\":\"dir\"}", "", 12, 16},
    {"{\"enc\":\"A256GCM\"}", "", 12, 16},
    {"{\"alg\":\"dir\",\"alg\":\"dir\",\"enc\":\"A256GCM\"}", "", 12, 16},
    {"{\"alg\":[\"dir\"],\"enc\":\"A256GCM\"}", "", 12, 16},
    {"[\"dir\",\"A256GCM\"]", "", 12, 16},
    {"{\"alg\":\"dir\",\"enc\":\"A256GCM\"}x", "", 12, 16},
    {"", "", 12, 16},
    {NA_TEST_HDR, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 12, 16}, /* encrypted key */
    {NA_TEST_HDR, "", 16, 16},                                            /* 16-byte IV */
    {NA_TEST_HDR, "", 8, 16},                                             /* 8-byte IV */
    {NA_TEST_HDR, "", 12, 12},                                            /* truncated tag */
    {NA_TEST_HDR, "", 12, 15},
};

START_TEST(test_jwe_sealed_bad)
{
    na_jwe_key_t key = na_test_session_key();
    const char *token = na_test_seal(&key, &na_test_seal_bad[_i], "{\"sub\":\"1\"}");
    na_jwe_plain_t plain = {NULL, 0};
    na_err_t err = {NULL, NULL, 0};

    ck_assert_msg(na_jwe_decrypt(na_test_pool, &key, token, &plain, &err) == NA_EINPUT,
                  "case %d accepted", _i);
    ck_assert_ptr_null(plain.data);
    ck_assert_ptr_nonnull(err.detail);
    ck_assert_ptr_null(err.code);
}
END_TEST

/* ---- forged, truncated and re-encoded variants of a valid token ---------------------- */

/* The start of part i (0..4) of a well-formed token. */
static const char *na_test_part(const char *token, int i)
{
    while (i-- > 0) {
        token = strchr(token, '.') + 1;
    }
    return token;
}

/* token with the 6-bit value of the character at offset `at` changed. */
static const char *na_test_flip(const char *token, apr_size_t at)
{
    char *t = apr_pstrdup(na_test_pool, token);

    t[at] = t[at] == 'A' ? 'B' : 'A';
    return t;
}

static const char *na_test_cut(const char *token, apr_size_t len)
{
    return apr_pstrmemdup(na_test_pool, token, len);
}

static const char *na_test_with_header(const char *token, const char *json)
{
    return apr_pstrcat(na_test_pool,
                       na_b64_encode(na_test_pool, (const unsigned char *)json, strlen(json)),
                       strchr(token, '.'), NULL);
}

typedef struct na_test_forge_t {
    const char *what;
    const char *(*make)(const char *token);
} na_test_forge_t;

static const char *na_test_f_trunc1(const char *t)
{
    return na_test_cut(t, strlen(t) - 1);
}
static const char *na_test_f_trunc4(const char *t)
{
    return na_test_cut(t, strlen(t) - 4);
}
static const char *na_test_f_no5th(const char *t)
{
    return na_test_cut(t, (apr_size_t)(na_test_part(t, 4) - t - 1));
}
static const char *na_test_f_empty5th(const char *t)
{
    return na_test_cut(t, (apr_size_t)(na_test_part(t, 4) - t));
}
static const char *na_test_f_3parts(const char *t)
{
    return na_test_cut(t, (apr_size_t)(na_test_part(t, 3) - t - 1));
}
static const char *na_test_f_6parts(const char *t)
{
    return apr_pstrcat(na_test_pool, t, ".AAAA", NULL);
}
static const char *na_test_f_dot(const char *t)
{
    return apr_pstrcat(na_test_pool, t, ".", NULL);
}
static const char *na_test_f_nl(const char *t)
{
    return apr_pstrcat(na_test_pool, t, "\n", NULL);
}
static const char *na_test_f_sp(const char *t)
{
    return apr_pstrcat(na_test_pool, " ", t, NULL);
}
static const char *na_test_f_pad(const char *t)
{
    return apr_pstrcat(na_test_pool, t, "==", NULL);
}
static const char *na_test_f_flip_hdr(const char *t)
{
    return na_test_flip(t, 5);
}
static const char *na_test_f_flip_iv(const char *t)
{
    return na_test_flip(t, (apr_size_t)(na_test_part(t, 2) - t) + 3);
}
static const char *na_test_f_flip_ct(const char *t)
{
    return na_test_flip(t, (apr_size_t)(na_test_part(t, 3) - t) + 5);
}
static const char *na_test_f_flip_tag(const char *t)
{
    return na_test_flip(t, (apr_size_t)(na_test_part(t, 4) - t) + 2);
}
static const char *na_test_f_plus(const char *t)
{
    char *c = apr_pstrdup(na_test_pool, t);

    c[na_test_part(t, 4) - t] = '+';
    return c;
}
static const char *na_test_f_no_ct(const char *t)
{
    return apr_pstrcat(na_test_pool, na_test_cut(t, (apr_size_t)(na_test_part(t, 3) - t)),
                       na_test_part(t, 4) - 1, NULL);
}
static const char *na_test_f_ekey(const char *t)
{
    return apr_pstrcat(na_test_pool, NA_JWE_HEADER_B64 ".AAAA", na_test_part(t, 2) - 1, NULL);
}
static const char *na_test_f_swap_iv_tag(const char *t)
{
    return apr_pstrcat(na_test_pool, NA_JWE_HEADER_B64 "..", na_test_part(t, 4), ".",
                       na_test_cut(na_test_part(t, 3), strcspn(na_test_part(t, 3), ".")), ".",
                       na_test_cut(na_test_part(t, 2), 16), NULL);
}
static const char *na_test_f_reenc(const char *t)
{
    return na_test_with_header(t, "{\"alg\":\"dir\", \"enc\":\"A256GCM\"}");
}
static const char *na_test_f_alg_none(const char *t)
{
    return na_test_with_header(t, "{\"alg\":\"none\",\"enc\":\"A256GCM\"}");
}
static const char *na_test_f_cbc(const char *t)
{
    return na_test_with_header(t, "{\"alg\":\"dir\",\"enc\":\"A128CBC-HS256\"}");
}
static const char *na_test_f_zip(const char *t)
{
    return na_test_with_header(t, "{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"zip\":\"DEF\"}");
}
static const char *na_test_f_empty(const char *t)
{
    (void)t;
    return "";
}
static const char *na_test_f_dots(const char *t)
{
    (void)t;
    return "....";
}

static const na_test_forge_t na_test_forges[] = {
    {"truncated by one character", na_test_f_trunc1},
    {"truncated by four characters", na_test_f_trunc4},
    {"5th part missing", na_test_f_no5th},
    {"5th part empty", na_test_f_empty5th},
    {"3 parts", na_test_f_3parts},
    {"6 parts", na_test_f_6parts},
    {"trailing dot", na_test_f_dot},
    {"trailing newline", na_test_f_nl},
    {"leading space", na_test_f_sp},
    {"padded tag", na_test_f_pad},
    {"bit-flipped header", na_test_f_flip_hdr},
    {"bit-flipped IV", na_test_f_flip_iv},
    {"bit-flipped ciphertext", na_test_f_flip_ct},
    {"bit-flipped tag", na_test_f_flip_tag},
    {"plain base64 character", na_test_f_plus},
    {"ciphertext removed", na_test_f_no_ct},
    {"encrypted key added", na_test_f_ekey},
    {"IV and tag swapped", na_test_f_swap_iv_tag},
    {"header re-encoded with a space", na_test_f_reenc},
    {"alg swapped to none", na_test_f_alg_none},
    {"enc swapped to A128CBC-HS256", na_test_f_cbc},
    {"zip header added", na_test_f_zip},
    {"empty string", na_test_f_empty},
    {"only dots", na_test_f_dots},
};

START_TEST(test_jwe_forged)
{
    na_jwe_key_t key = na_test_session_key();
    const char *token = NULL, *bad;
    na_jwe_plain_t plain = {NULL, 0};
    na_err_t err = {NULL, NULL, 0};

    ck_assert_int_eq(na_jwe_encrypt(na_test_pool, &key, "{\"sub\":\"1\"}", 11, &token), NA_OK);
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, token, &plain, NULL), NA_OK);
    plain.data = NULL;
    bad = na_test_forges[_i].make(token);
    ck_assert_msg(na_jwe_decrypt(na_test_pool, &key, bad, &plain, &err) == NA_EINPUT,
                  "%s: accepted", na_test_forges[_i].what);
    ck_assert_ptr_null(plain.data);
    ck_assert_ptr_nonnull(err.detail);
    /* The log detail never carries the token or any part of it. */
    ck_assert_ptr_null(strstr(err.detail, na_test_part(token, 2)));
}
END_TEST

/* A token sealed under one key does not open under another, including the check-cookie
 * keys that share the secret (GHSA-v64w-49xw-qq89). */
START_TEST(test_jwe_wrong_key)
{
    na_jwe_key_t key = na_test_session_key(), other;
    const char *token;
    na_jwe_plain_t plain;

    ck_assert_int_eq(na_jwe_encrypt(na_test_pool, &key, "{}", 2, &token), NA_OK);
    ck_assert_int_eq(na_jwe_derive_key("secret", na_test_kdf[_i].salt, &other), NA_OK);
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &other, token, &plain, NULL),
                     _i == 0 ? NA_OK : NA_EINPUT);
    ck_assert_int_eq(na_jwe_derive_key("Secret", "", &other), NA_OK);
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &other, token, &plain, NULL), NA_EINPUT);
}
END_TEST

/* Over NA_JWE_MAX_TOKEN characters is NA_ETOOBIG before any parsing; at the limit the
 * usual rules apply. */
START_TEST(test_jwe_oversize)
{
    na_jwe_key_t key = na_test_session_key();
    char *big = apr_palloc(na_test_pool, NA_JWE_MAX_TOKEN + 2);
    na_jwe_plain_t plain;
    na_err_t err = {NULL, NULL, 0};
    apr_size_t hl = strlen(NA_JWE_HEADER_B64);

    memset(big, 'A', NA_JWE_MAX_TOKEN + 1);
    memcpy(big, NA_JWE_HEADER_B64 "..AAAAAAAAAAAAAAAA.", hl + 19);
    big[NA_JWE_MAX_TOKEN - 23] = '.';
    big[NA_JWE_MAX_TOKEN + 1] = '\0';
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, big, &plain, &err), NA_ETOOBIG);
    ck_assert_ptr_nonnull(err.detail);
    big[NA_JWE_MAX_TOKEN] = '\0';
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, big, &plain, NULL), NA_EINPUT);
    ck_assert_int_eq(na_jwe_decrypt(na_test_pool, &key, NULL, &plain, NULL), NA_EINPUT);
}
END_TEST

Suite *suite_jwe(void)
{
    Suite *s = suite_create("jwe");
    TCase *tc = na_test_tcase("jwe");

    tcase_add_loop_test(tc, test_jwe_derive_key_vectors, 0, NA_TEST_COUNT(na_test_kdf));
    tcase_add_test(tc, test_jwe_derive_key_long_salt);
    tcase_add_test(tc, test_jwe_derive_site_key);
    tcase_add_test(tc, test_jwe_nextauth_token);
    tcase_add_test(tc, test_jwe_round_trip);
    tcase_add_test(tc, test_jwe_fresh_iv);
    tcase_add_test(tc, test_jwe_encrypt_too_big);
    tcase_add_loop_test(tc, test_jwe_sealed_good, 0, NA_TEST_COUNT(na_test_seal_good));
    tcase_add_loop_test(tc, test_jwe_sealed_bad, 0, NA_TEST_COUNT(na_test_seal_bad));
    tcase_add_loop_test(tc, test_jwe_forged, 0, NA_TEST_COUNT(na_test_forges));
    tcase_add_loop_test(tc, test_jwe_wrong_key, 0, NA_TEST_COUNT(na_test_kdf));
    tcase_add_test(tc, test_jwe_oversize);
    suite_add_tcase(s, tc);
    return s;
}
