/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_b64.h"
#include "na_jwe.h"
#include "na_tokens.h"
#include "suites.h"

#define NA_TEST_SID "AAECAwQFBgcICQoLDA0ODw"
#define NA_TEST_SID_B "_-_-_-_-_-_-_-_-_-_-_w"

static na_jwe_key_t na_test_key(const char *secret)
{
    na_jwe_key_t key;

    ck_assert_int_eq(na_tokens_key(secret, &key), NA_OK);
    return key;
}

static na_tokens_t na_test_record(void)
{
    na_tokens_t t;

    memset(&t, 0, sizeof(t));
    t.sid = NA_TEST_SID;
    t.provider = "keycloak";
    t.sub = "f:1234";
    t.access_token = "eyJ.access.token";
    t.refresh_token = "eyJ.refresh.token";
    t.id_token = "eyJ.id.token";
    t.token_type = "Bearer";
    t.scope = "openid email profile";
    t.expires_at = 1795830000;
    t.claims = "{\"sub\":\"f:1234\",\"groups\":[\"/admins\"],\"ratio\":0.5,\"n\":{\"x\":null}}";
    t.updated_at = 1795829400;
    t.version = 3;
    return t;
}

static na_status_t na_test_open(const na_jwe_key_t *keys, int nkeys, const char *sid,
                                const char *blob, apr_size_t len, na_tokens_t *out, na_err_t *err)
{
    return na_tokens_open(na_test_pool, keys, nkeys, sid, (const unsigned char *)blob, len, out,
                          err);
}

/* A record sealed by the code under test, as a cache would hand it back. */
static const char *na_test_seal(const na_jwe_key_t *key, const na_tokens_t *t, apr_size_t *len)
{
    const char *blob = NULL;

    ck_assert_int_eq(na_tokens_seal(na_test_pool, key, t, &blob, len), NA_OK);
    ck_assert_ptr_nonnull(blob);
    ck_assert_uint_eq(strlen(blob), *len);
    return blob;
}

/* ---- key --------------------------------------------------------------------------------- */

/* Stable per secret, and never the session token's key of the same secret. */
START_TEST(test_tokens_key)
{
    na_jwe_key_t a = na_test_key("secret"), b = na_test_key("secret"), c = na_test_key("other");
    na_jwe_key_t session;

    ck_assert_int_eq(memcmp(a.bytes, b.bytes, NA_JWE_KEY_LEN), 0);
    ck_assert_int_ne(memcmp(a.bytes, c.bytes, NA_JWE_KEY_LEN), 0);
    ck_assert_int_eq(na_jwe_derive_key("secret", "", &session), NA_OK);
    ck_assert_int_ne(memcmp(a.bytes, session.bytes, NA_JWE_KEY_LEN), 0);
}
END_TEST

/* ---- seal and open ----------------------------------------------------------------------- */

START_TEST(test_tokens_round_trip)
{
    na_jwe_key_t key = na_test_key("secret");
    na_tokens_t t = na_test_record(), out;
    apr_size_t len;
    const char *blob = na_test_seal(&key, &t, &len);

    ck_assert_ptr_eq(strstr(blob, "eyJ.access"), NULL);
    ck_assert_int_eq(strncmp(blob, NA_JWE_HEADER_B64 "..", strlen(NA_JWE_HEADER_B64) + 2), 0);
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, blob, len, &out, NULL), NA_OK);
    ck_assert_str_eq(out.sid, NA_TEST_SID);
    ck_assert_str_eq(out.provider, "keycloak");
    ck_assert_str_eq(out.sub, "f:1234");
    ck_assert_str_eq(out.access_token, "eyJ.access.token");
    ck_assert_str_eq(out.refresh_token, "eyJ.refresh.token");
    ck_assert_str_eq(out.id_token, "eyJ.id.token");
    ck_assert_str_eq(out.token_type, "Bearer");
    ck_assert_str_eq(out.scope, "openid email profile");
    ck_assert_int_eq(out.expires_at, 1795830000);
    ck_assert_str_eq(out.claims, t.claims);
    ck_assert_ptr_null(out.error);
    ck_assert_int_eq(out.updated_at, 1795829400);
    ck_assert_int_eq(out.version, 3);
}
END_TEST

/* Only a sid: every other string reads back NULL, every number 0; an error survives. */
START_TEST(test_tokens_round_trip_minimal)
{
    na_jwe_key_t key = na_test_key("secret");
    na_tokens_t t, out;
    apr_size_t len;
    const char *blob;

    memset(&t, 0, sizeof(t));
    t.sid = NA_TEST_SID;
    t.error = NA_TOKENS_REFRESH_ERROR;
    t.access_token = "";
    blob = na_test_seal(&key, &t, &len);
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, blob, len, &out, NULL), NA_OK);
    ck_assert_str_eq(out.error, "RefreshAccessTokenError");
    ck_assert_str_eq(out.access_token, "");
    ck_assert_ptr_null(out.refresh_token);
    ck_assert_ptr_null(out.provider);
    ck_assert_ptr_null(out.claims);
    ck_assert_int_eq(out.expires_at, 0);
    ck_assert_int_eq(out.version, 0);
}
END_TEST

START_TEST(test_tokens_seal_refused)
{
    na_jwe_key_t key = na_test_key("secret");
    na_tokens_t t = na_test_record(), out;
    const char *blob = "x";
    apr_size_t len = 1;
    char *big = apr_palloc(na_test_pool, NA_TOKENS_MAX_SEALED + 1);

    t.sid = NULL;
    ck_assert_int_eq(na_tokens_seal(na_test_pool, &key, &t, &blob, &len), NA_EINPUT);
    ck_assert_ptr_null(blob);
    ck_assert_uint_eq(len, 0);
    t.sid = "";
    ck_assert_int_eq(na_tokens_seal(na_test_pool, &key, &t, &blob, &len), NA_EINPUT);
    t = na_test_record();
    t.scope = "openid \xc3\x28";
    ck_assert_int_eq(na_tokens_seal(na_test_pool, &key, &t, &blob, &len), NA_EINPUT);
    t = na_test_record();
    t.claims = "[\"not an object\"]";
    ck_assert_int_eq(na_tokens_seal(na_test_pool, &key, &t, &blob, &len), NA_EINPUT);
    t.claims = "{\"truncated\":";
    ck_assert_int_eq(na_tokens_seal(na_test_pool, &key, &t, &blob, &len), NA_EINPUT);
    /* an IdP's 16 KiB access token: refused, since the record could never be read back */
    t = na_test_record();
    memset(big, 'a', NA_TOKENS_MAX_SEALED);
    big[NA_TOKENS_MAX_SEALED] = '\0';
    t.access_token = big;
    ck_assert_int_eq(na_tokens_seal(na_test_pool, &key, &t, &blob, &len), NA_ETOOBIG);
    ck_assert_ptr_null(blob);
    /* about 3/4 of the cap in plaintext: just over once sealed (base64url, IV, tag) */
    big[NA_TOKENS_MAX_SEALED / 4 * 3] = '\0';
    ck_assert_int_eq(na_tokens_seal(na_test_pool, &key, &t, &blob, &len), NA_ETOOBIG);
    /* half the cap: sealed, and read back whole */
    big[NA_TOKENS_MAX_SEALED / 2] = '\0';
    blob = na_test_seal(&key, &t, &len);
    ck_assert_uint_le(len, NA_TOKENS_MAX_SEALED);
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, blob, len, &out, NULL), NA_OK);
    ck_assert_uint_eq(strlen(out.access_token), NA_TOKENS_MAX_SEALED / 2);
}
END_TEST

/* Plaintexts sealed with the record key (as only we can) that must still not open: every
 * member of the wrong type, a null, a missing required member, another format. */
static const char *const na_test_bad_plain[] = {
    "{\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":2,\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":\"1\",\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1.0,\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":5,\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":null,\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":[\"" NA_TEST_SID "\"],\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"prov\":5,\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"sub\":[],\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"at\":{},\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"at\":null,\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"rt\":true,\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"it\":1.5,\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"tt\":7,\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"scope\":[\"a\"],\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"err\":false,\"exp\":0,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":\"1\",\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":-1,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":1e9,\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"upd\":0,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":null,\"ver\":1}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0,\"ver\":true}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0,\"ver\":1,\"claims\":\"{}\"}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0,\"ver\":1,\"claims\":[]}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0,\"ver\":1,\"claims\":null}",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0,\"ver\":1,\"at\":\"a\",\"at\":\"b\"}",
    "[1]",
    "\"" NA_TEST_SID "\"",
    "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",",
    "",
};

START_TEST(test_tokens_open_bad_members)
{
    na_jwe_key_t key = na_test_key("secret");
    const char *plain = na_test_bad_plain[_i], *blob;
    na_tokens_t out;
    na_err_t err = {0};

    ck_assert_int_eq(na_jwe_encrypt(na_test_pool, &key, plain, strlen(plain), &blob), NA_OK);
    ck_assert_msg(na_test_open(&key, 1, NA_TEST_SID, blob, strlen(blob), &out, &err) == NA_EINPUT,
                  "%s", plain);
    ck_assert_ptr_nonnull(err.detail);
    ck_assert_ptr_null(out.sid);
    ck_assert_ptr_null(out.access_token);
}
END_TEST

/* The same plaintext shape, right: what the table above varies really is what fails. */
START_TEST(test_tokens_open_good_members)
{
    static const char plain[] = "{\"v\":1,\"sid\":\"" NA_TEST_SID "\",\"exp\":0,\"upd\":0,"
                                "\"ver\":1,\"future\":[1,2],\"claims\":{\"a\":1e2}}";
    na_jwe_key_t key = na_test_key("secret");
    const char *blob;
    na_tokens_t out;

    ck_assert_int_eq(na_jwe_encrypt(na_test_pool, &key, plain, strlen(plain), &blob), NA_OK);
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, blob, strlen(blob), &out, NULL), NA_OK);
    ck_assert_int_eq(out.version, 1);
    ck_assert_str_eq(out.claims, "{\"a\":100.0}");
}
END_TEST

/* A record copied under another session's cache key opens but is refused by its sid. */
START_TEST(test_tokens_open_other_session)
{
    na_jwe_key_t key = na_test_key("secret");
    na_tokens_t t = na_test_record(), out;
    na_err_t err = {0};
    apr_size_t len;
    const char *blob = na_test_seal(&key, &t, &len);

    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID_B, blob, len, &out, &err), NA_EDENIED);
    ck_assert_ptr_null(out.access_token);
    ck_assert_ptr_null(out.sid);
    ck_assert_ptr_null(strstr(err.detail, NA_TEST_SID));
    /* a prefix of the right sid is another sid too */
    ck_assert_int_eq(na_test_open(&key, 1, "AAECAwQFBgcICQoLDA0OD", blob, len, &out, NULL),
                     NA_EDENIED);
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, blob, len, &out, NULL), NA_OK);
}
END_TEST

/* Truncated, bit-flipped, empty, NUL-laced and not-JWE blobs: NA_EINPUT, never a crash. */
START_TEST(test_tokens_open_forged)
{
    na_jwe_key_t key = na_test_key("secret");
    na_tokens_t t = na_test_record(), out;
    na_err_t err = {0};
    apr_size_t len, i;
    const char *blob = na_test_seal(&key, &t, &len);
    char *copy = apr_pstrmemdup(na_test_pool, blob, len);
    static const char *const junk[] = {"x", "....", "a.b.c.d.e", "{\"v\":1}", NA_JWE_HEADER_B64};

    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, blob, len - 1, &out, &err), NA_EINPUT);
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, blob, len / 2, &out, &err), NA_EINPUT);
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, blob, 0, &out, &err), NA_EINPUT);
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, NULL, 0, &out, &err), NA_EINPUT);
    for (i = 0; i < len; i += 7) {
        char saved = copy[i];
        copy[i] = saved == 'A' ? 'B' : 'A';
        ck_assert_msg(na_test_open(&key, 1, NA_TEST_SID, copy, len, &out, &err) == NA_EINPUT,
                      "flip at %lu", (unsigned long)i);
        copy[i] = saved;
    }
    copy[len - 3] = '\0';
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, copy, len, &out, &err), NA_EINPUT);
    for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
        ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, junk[i], strlen(junk[i]), &out, &err),
                         NA_EINPUT);
    }
    ck_assert_ptr_null(strstr(err.detail, "eyJ"));
    ck_assert_ptr_null(out.access_token);
}
END_TEST

START_TEST(test_tokens_open_oversize)
{
    na_jwe_key_t key = na_test_key("secret");
    char *big = apr_palloc(na_test_pool, NA_TOKENS_MAX_SEALED + 2);
    na_tokens_t out;

    memset(big, 'A', NA_TOKENS_MAX_SEALED + 1);
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, big, NA_TOKENS_MAX_SEALED + 1, &out, NULL),
                     NA_ETOOBIG);
    ck_assert_int_eq(na_test_open(&key, 1, NA_TEST_SID, big, NA_TOKENS_MAX_SEALED, &out, NULL),
                     NA_EINPUT);
}
END_TEST

/* A record sealed under the old secret: refused by the new key alone, opened once the old
 * one is listed too (NextAuthSecret rotation), whatever the order. */
START_TEST(test_tokens_open_rotated)
{
    na_jwe_key_t keys[3] = {na_test_key("new"), na_test_key("middle"), na_test_key("old")};
    na_tokens_t t = na_test_record(), out;
    apr_size_t len;
    const char *blob = na_test_seal(&keys[2], &t, &len);

    ck_assert_int_eq(na_test_open(keys, 1, NA_TEST_SID, blob, len, &out, NULL), NA_EINPUT);
    ck_assert_int_eq(na_test_open(keys, 2, NA_TEST_SID, blob, len, &out, NULL), NA_EINPUT);
    ck_assert_int_eq(na_test_open(keys, 3, NA_TEST_SID, blob, len, &out, NULL), NA_OK);
    ck_assert_str_eq(out.access_token, "eyJ.access.token");
    ck_assert_int_eq(na_test_open(&keys[2], 1, NA_TEST_SID, blob, len, &out, NULL), NA_OK);
    ck_assert_int_eq(na_test_open(keys, 0, NA_TEST_SID, blob, len, &out, NULL), NA_EINPUT);
}
END_TEST

/* ---- due, tag, merge --------------------------------------------------------------------- */

START_TEST(test_tokens_due)
{
    na_tokens_t t = na_test_record();

    t.expires_at = 1000;
    ck_assert_int_eq(na_tokens_due(&t, 939, 60), 0);
    ck_assert_int_eq(na_tokens_due(&t, 940, 60), 1);
    ck_assert_int_eq(na_tokens_due(&t, 2000, 60), 1);
    /* before=0: only once it really expired */
    ck_assert_int_eq(na_tokens_due(&t, 999, 0), 0);
    ck_assert_int_eq(na_tokens_due(&t, 1000, 0), 1);
    ck_assert_int_eq(na_tokens_due(&t, 999, -5), 0);
    t.refresh_token = NULL;
    ck_assert_int_eq(na_tokens_due(&t, 2000, 60), 0);
    t.refresh_token = "";
    ck_assert_int_eq(na_tokens_due(&t, 2000, 60), 0);
    t.refresh_token = "rt";
    t.error = NA_TOKENS_REFRESH_ERROR;
    ck_assert_int_eq(na_tokens_due(&t, 2000, 60), 0);
    t.error = NULL;
    t.expires_at = 0;
    ck_assert_int_eq(na_tokens_due(&t, 2000, 60), 0);
    ck_assert_int_eq(na_tokens_due(NULL, 2000, 60), 0);
}
END_TEST

START_TEST(test_tokens_claims_merge)
{
    const char *json = "x";

    ck_assert_int_eq(
        na_tokens_claims_merge(na_test_pool,
                               "{\"sub\":\"1\",\"email\":\"a@id.example\",\"nonce\":\"n\","
                               "\"at_hash\":\"h\",\"c_hash\":\"c\",\"groups\":[\"a\"]}",
                               "{\"sub\":\"2\",\"email\":\"b@ui.example\",\"nonce\":\"u\","
                               "\"roles\":[\"r\"],\"picture\":null}",
                               &json),
        NA_OK);
    ck_assert_str_eq(json, "{\"sub\":\"1\",\"email\":\"a@id.example\",\"groups\":[\"a\"],"
                           "\"roles\":[\"r\"],\"picture\":null}");
    ck_assert_int_eq(na_tokens_claims_merge(na_test_pool, NULL, "{\"a\":1,\"c_hash\":2}", &json),
                     NA_OK);
    ck_assert_str_eq(json, "{\"a\":1}");
    ck_assert_int_eq(na_tokens_claims_merge(na_test_pool, "{\"r\":0.25}", NULL, &json), NA_OK);
    ck_assert_str_eq(json, "{\"r\":0.25}");
    ck_assert_int_eq(na_tokens_claims_merge(na_test_pool, NULL, NULL, &json), NA_OK);
    ck_assert_ptr_null(json);
}
END_TEST

START_TEST(test_tokens_claims_merge_bad)
{
    static const char *const bad[] = {"[]", "\"s\"", "{", "", "{\"a\":1,\"a\":2}", "null"};
    const char *json = "x";
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_int_eq(na_tokens_claims_merge(na_test_pool, bad[i], "{}", &json), NA_EINPUT);
        ck_assert_ptr_null(json);
        ck_assert_int_eq(na_tokens_claims_merge(na_test_pool, "{}", bad[i], &json), NA_EINPUT);
        ck_assert_int_eq(na_tokens_claims_merge(na_test_pool, NULL, bad[i], &json), NA_EINPUT);
    }
}
END_TEST

/* A database session's id: stable for its token, distinct between tokens, a valid sid,
 * and not the token (nor any part of it) in the clear. */
START_TEST(test_tokens_sid_of_database_session)
{
    const char *token = "0f1e2d3c-4b5a-4697-8877-665544332211";
    const char *a = NULL, *b = NULL, *c = NULL;

    ck_assert_int_eq(na_tokens_sid_of(na_test_pool, token, &a), NA_OK);
    ck_assert_int_eq(na_tokens_sid_of(na_test_pool, token, &b), NA_OK);
    ck_assert_int_eq(na_tokens_sid_of(na_test_pool, "0f1e2d3c-4b5a-4697-8877-665544332212", &c),
                     NA_OK);
    ck_assert(na_tokens_sid_valid(a));
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    ck_assert_ptr_null(strstr(token, a));
    ck_assert_ptr_null(strstr(a, "0f1e2d3c"));
}
END_TEST

Suite *suite_tokens(void)
{
    Suite *s = suite_create("tokens");
    TCase *tc = na_test_tcase("record");

    tcase_add_test(tc, test_tokens_key);
    tcase_add_test(tc, test_tokens_sid_of_database_session);
    tcase_add_test(tc, test_tokens_round_trip);
    tcase_add_test(tc, test_tokens_round_trip_minimal);
    tcase_add_test(tc, test_tokens_seal_refused);
    tcase_add_loop_test(tc, test_tokens_open_bad_members, 0, NA_TEST_COUNT(na_test_bad_plain));
    tcase_add_test(tc, test_tokens_open_good_members);
    tcase_add_test(tc, test_tokens_open_other_session);
    tcase_add_test(tc, test_tokens_open_forged);
    tcase_add_test(tc, test_tokens_open_oversize);
    tcase_add_test(tc, test_tokens_open_rotated);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("policy");
    tcase_add_test(tc, test_tokens_due);
    tcase_add_test(tc, test_tokens_claims_merge);
    tcase_add_test(tc, test_tokens_claims_merge_bad);
    suite_add_tcase(s, tc);
    return s;
}
