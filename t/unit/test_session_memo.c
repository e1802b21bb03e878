/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <jansson.h>

#include "na_jwe.h"
#include "na_session.h"
#include "na_session_memo.h"
#include "suites.h"

#define NA_TEST_NOW ((apr_int64_t)1767225600)

static na_jwe_key_t na_memo_key;
static const char *na_memo_keys = "key set A"; /* a key set's identity is its address */

/* A real token and what na_session_decode makes of it. */
static const char *na_memo_token(apr_int64_t max_age, na_session_claims_t *decoded)
{
    const na_session_claims_t claims = {
        .name = "Jane Doe",
        .email = "jane@example.com",
        .sub = "42",
        .provider = "github",
    };
    const char *token = NULL;

    ck_assert_int_eq(na_jwe_derive_key("secret", "", &na_memo_key), NA_OK);
    ck_assert_int_eq(
        na_session_encode(na_test_pool, &na_memo_key, &claims, NA_TEST_NOW, max_age, &token),
        NA_OK);
    ck_assert_int_eq(
        na_session_decode(na_test_pool, &na_memo_key, 1, token, NA_TEST_NOW, decoded, NULL, NULL),
        NA_OK);
    return token;
}

START_TEST(test_memo_hit_gives_copies)
{
    na_session_memo_t *m = na_session_memo_create(na_test_pool, 8);
    na_session_claims_t decoded, got;
    const char *token = na_memo_token(3600, &decoded);
    char *same = apr_pstrdup(na_test_pool, token);
    int key_index = -1;

    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(
        na_session_memo_get(m, na_test_pool, na_memo_keys, token, NA_TEST_NOW, &got, &key_index),
        0);
    na_session_memo_put(m, na_memo_keys, token, &decoded, 1);
    ck_assert_int_eq(na_session_memo_get(m, na_test_pool, na_memo_keys, same, NA_TEST_NOW + 60,
                                         &got, &key_index),
                     1);
    ck_assert_int_eq(key_index, 1);
    ck_assert_str_eq(got.email, "jane@example.com");
    ck_assert_str_eq(got.name, "Jane Doe");
    ck_assert_ptr_null(got.picture);
    ck_assert_str_eq(got.jti, decoded.jti);
    ck_assert_str_eq(got.payload, decoded.payload);
    ck_assert_uint_eq(got.present, decoded.present);
    ck_assert_int_eq(got.exp, decoded.exp);
    ck_assert_str_eq(got.sid, decoded.sid);
    ck_assert_int_eq(got.auth_time, decoded.auth_time);
    /* copies, not the memo's own strings */
    ck_assert_ptr_ne(got.email, decoded.email);
    ck_assert_ptr_ne(got.sid, decoded.sid);
    /* the parsed payload is the same object, and a refresh from it renews a copy */
    ck_assert_ptr_eq(got.payload_obj, decoded.payload_obj);
    {
        const char *again = NULL;
        na_session_claims_t refreshed;

        ck_assert_int_eq(
            na_session_encode(na_test_pool, &na_memo_key, &got, NA_TEST_NOW + 60, 3600, &again),
            NA_OK);
        ck_assert_int_eq(na_session_decode(na_test_pool, &na_memo_key, 1, again, NA_TEST_NOW + 60,
                                           &refreshed, NULL, NULL),
                         NA_OK);
        ck_assert_str_eq(refreshed.email, "jane@example.com");
        ck_assert_int_eq(json_integer_value(json_object_get(got.payload_obj, "exp")), decoded.exp);
    }
}
END_TEST

START_TEST(test_memo_misses)
{
    na_session_memo_t *m = na_session_memo_create(na_test_pool, 1); /* every token, one slot */
    na_session_claims_t decoded, other_decoded, got;
    const char *token = na_memo_token(3600, &decoded);
    const char *other = na_memo_token(3600, &other_decoded);
    char *flipped = apr_pstrdup(na_test_pool, token);
    char *longer = apr_pstrcat(na_test_pool, token, "A", NULL);

    flipped[strlen(flipped) / 2] ^= 1; /* same length, same tail: same slot */
    na_session_memo_put(m, na_memo_keys, token, &decoded, 0);
    ck_assert_int_eq(
        na_session_memo_get(m, na_test_pool, na_memo_keys, flipped, NA_TEST_NOW, &got, NULL), 0);
    ck_assert_int_eq(
        na_session_memo_get(m, na_test_pool, na_memo_keys, longer, NA_TEST_NOW, &got, NULL), 0);
    /* another key set (a virtual host with its own secret) never sees it */
    ck_assert_int_eq(
        na_session_memo_get(m, na_test_pool, "key set B", token, NA_TEST_NOW, &got, NULL), 0);
    /* a newer token takes the slot */
    na_session_memo_put(m, na_memo_keys, other, &other_decoded, 0);
    ck_assert_int_eq(
        na_session_memo_get(m, na_test_pool, na_memo_keys, token, NA_TEST_NOW, &got, NULL), 0);
    ck_assert_int_eq(
        na_session_memo_get(m, na_test_pool, na_memo_keys, other, NA_TEST_NOW, &got, NULL), 1);
    /* no memo: always a miss */
    ck_assert_int_eq(
        na_session_memo_get(NULL, na_test_pool, na_memo_keys, other, NA_TEST_NOW, &got, NULL), 0);
    na_session_memo_put(NULL, na_memo_keys, other, &other_decoded, 0);
    ck_assert_ptr_null(na_session_memo_create(na_test_pool, 0));
}
END_TEST

/* The same tolerance as na_session_decode: remembered tokens expire when decoded ones do. */
START_TEST(test_memo_expiry)
{
    na_session_memo_t *m = na_session_memo_create(na_test_pool, 4);
    na_session_claims_t decoded, got;
    const char *token = na_memo_token(60, &decoded);
    apr_int64_t last_ok = decoded.exp + NA_SESSION_CLOCK_TOLERANCE - 1;

    na_session_memo_put(m, na_memo_keys, token, &decoded, 0);
    ck_assert_int_eq(na_session_memo_get(m, na_test_pool, na_memo_keys, token, last_ok, &got, NULL),
                     1);
    ck_assert_int_eq(
        na_session_decode(na_test_pool, &na_memo_key, 1, token, last_ok, &got, NULL, NULL), NA_OK);
    ck_assert_int_eq(
        na_session_memo_get(m, na_test_pool, na_memo_keys, token, last_ok + 1, &got, NULL), 0);
    ck_assert_int_eq(
        na_session_decode(na_test_pool, &na_memo_key, 1, token, last_ok + 1, &got, NULL, NULL),
        NA_EEXPIRED);
}
END_TEST

START_TEST(test_memo_long_tokens_not_kept)
{
    na_session_memo_t *m = na_session_memo_create(na_test_pool, 4);
    na_session_claims_t decoded, got;
    char *big = apr_palloc(na_test_pool, NA_SESSION_MEMO_MAX_TOKEN + 2);

    na_memo_token(3600, &decoded);
    memset(big, 'x', NA_SESSION_MEMO_MAX_TOKEN + 1);
    big[NA_SESSION_MEMO_MAX_TOKEN + 1] = '\0';
    na_session_memo_put(m, na_memo_keys, big, &decoded, 0);
    ck_assert_int_eq(
        na_session_memo_get(m, na_test_pool, na_memo_keys, big, NA_TEST_NOW, &got, NULL), 0);
}
END_TEST

/* A session of three cookie chunks (some 10 kB) is remembered like a small one. */
START_TEST(test_memo_chunked_sessions_kept)
{
    na_session_memo_t *m = na_session_memo_create(na_test_pool, 4);
    char *name = apr_palloc(na_test_pool, 7001);
    na_session_claims_t claims = {.email = "jane@example.com", .sub = "42"}, decoded, got;
    const char *token = NULL;

    memset(name, 'n', 7000);
    name[7000] = '\0';
    claims.name = name;
    ck_assert_int_eq(na_jwe_derive_key("secret", "", &na_memo_key), NA_OK);
    ck_assert_int_eq(
        na_session_encode(na_test_pool, &na_memo_key, &claims, NA_TEST_NOW, 3600, &token), NA_OK);
    ck_assert_uint_gt(strlen(token), 2 * 3933);
    ck_assert_int_eq(
        na_session_decode(na_test_pool, &na_memo_key, 1, token, NA_TEST_NOW, &decoded, NULL, NULL),
        NA_OK);
    na_session_memo_put(m, na_memo_keys, token, &decoded, 0);
    ck_assert_int_eq(
        na_session_memo_get(m, na_test_pool, na_memo_keys, token, NA_TEST_NOW, &got, NULL), 1);
    ck_assert_str_eq(got.name, name);
}
END_TEST

/* A renewal's claims, remembered without decoding, are what decoding the new token gives;
 * and renewing a hit renews to the same token text as renewing the decoded token. */
START_TEST(test_memo_renewal_seeds_as_decode)
{
    na_session_memo_t *m = na_session_memo_create(na_test_pool, 8);
    na_session_claims_t decoded, issued, redecoded, got;
    const char *token = na_memo_token(3600, &decoded), *renewed = NULL, *json_a, *json_b;
    int seeded = -1, key_index = -1;

    ck_assert_int_eq(na_session_encode_renewal(na_test_pool, &na_memo_key, &decoded,
                                               NA_TEST_NOW + 10, 600, &renewed, &issued, &seeded),
                     NA_OK);
    ck_assert_int_eq(seeded, 1);
    ck_assert_str_ne(renewed, token);
    ck_assert_int_eq(na_session_decode(na_test_pool, &na_memo_key, 1, renewed, NA_TEST_NOW + 10,
                                       &redecoded, NULL, NULL),
                     NA_OK);
    ck_assert_str_eq(issued.name, redecoded.name);
    ck_assert_str_eq(issued.email, redecoded.email);
    ck_assert_str_eq(issued.sub, redecoded.sub);
    ck_assert_str_eq(issued.provider, redecoded.provider);
    ck_assert_ptr_null(redecoded.picture);
    ck_assert_ptr_null(issued.picture);
    ck_assert_uint_eq(issued.present, redecoded.present);
    ck_assert_int_eq(issued.iat, redecoded.iat);
    ck_assert_int_eq(issued.exp, NA_TEST_NOW + 610);
    ck_assert_int_eq(issued.exp, redecoded.exp);
    ck_assert_str_eq(issued.jti, redecoded.jti);
    ck_assert_str_eq(issued.payload, redecoded.payload);
    /* through the memo, the next renewal writes what it writes from a real decode */
    na_session_memo_put(m, na_memo_keys, renewed, &issued, 0);
    ck_assert_int_eq(na_session_memo_get(m, na_test_pool, na_memo_keys, renewed, NA_TEST_NOW + 20,
                                         &got, &key_index),
                     1);
    ck_assert_int_eq(key_index, 0);
    got.jti = redecoded.jti = "0000-1111";
    got.iat = redecoded.iat = NA_TEST_NOW + 20;
    ck_assert_int_eq(na_session_claims_json(na_test_pool, &got, &json_a), NA_OK);
    ck_assert_int_eq(na_session_claims_json(na_test_pool, &redecoded, &json_b), NA_OK);
    ck_assert_str_eq(json_a, json_b);
    /* fresh claims (a sign-in) are not a renewal */
    decoded.payload = NULL;
    decoded.payload_obj = NULL;
    ck_assert_int_eq(na_session_encode_renewal(na_test_pool, &na_memo_key, &decoded, NA_TEST_NOW,
                                               600, &renewed, &issued, &seeded),
                     NA_OK);
    ck_assert_int_eq(seeded, 0);
}
END_TEST

/* Threads putting, getting and refreshing from shared slots: under ASan (make test-asan)
 * a payload released while another thread still reads it would be reported. */
typedef struct {
    na_session_memo_t *memo;
    apr_pool_t *pool; /* the thread's own, with its own allocator */
    const char **tokens;
    na_session_claims_t *decoded;
    int ntokens;
    unsigned seed; /* where in the token list this thread starts */
    int hits;
    int failures;
} na_memo_race_t;

static void *APR_THREAD_FUNC na_memo_racer(apr_thread_t *t, void *data)
{
    (void)t;
    na_memo_race_t *race = data;
    apr_pool_t *p = race->pool;
    int i;

    for (i = 0; i < 3000; i++) {
        int k = (int)(((unsigned)i * 7u + race->seed) % (unsigned)race->ntokens);
        na_session_claims_t got;
        const char *token = NULL;

        if (na_session_memo_get(race->memo, p, na_memo_keys, race->tokens[k], NA_TEST_NOW, &got,
                                NULL)) {
            race->hits++;
            if (strcmp(got.jti, race->decoded[k].jti) != 0
                || na_session_encode(p, &na_memo_key, &got, NA_TEST_NOW, 60, &token) != NA_OK) {
                race->failures++;
            }
        }
        else {
            na_session_memo_put(race->memo, na_memo_keys, race->tokens[k], &race->decoded[k], 0);
        }
        if (i % 100 == 99) {
            apr_pool_clear(p);
        }
    }
    /* no apr_thread_exit: it would destroy the thread's subpool of the test pool, whose
     * allocator the other threads share */
    return NULL;
}

START_TEST(test_memo_threads)
{
    enum { NTHREADS = 4, NTOKENS = 12 };
    na_memo_race_t race[NTHREADS];
    apr_thread_t *threads[NTHREADS];
    const char *tokens[NTOKENS];
    na_session_claims_t decoded[NTOKENS];
    na_session_memo_t *m = na_session_memo_create(na_test_pool, 5); /* collisions on purpose */
    int i, hits = 0;

    for (i = 0; i < NTOKENS; i++) {
        tokens[i] = na_memo_token(3600, &decoded[i]);
    }
    for (i = 0; i < NTHREADS; i++) {
        race[i] = (na_memo_race_t){m, NULL, tokens, decoded, NTOKENS, (unsigned)i * 5u, 0, 0};
        ck_assert_int_eq(apr_pool_create_unmanaged_ex(&race[i].pool, NULL, NULL), APR_SUCCESS);
        ck_assert_int_eq(
            apr_thread_create(&threads[i], NULL, na_memo_racer, &race[i], na_test_pool),
            APR_SUCCESS);
    }
    for (i = 0; i < NTHREADS; i++) {
        apr_status_t rv;

        apr_thread_join(&rv, threads[i]);
        ck_assert_int_eq(race[i].failures, 0);
        hits += race[i].hits;
        apr_pool_destroy(race[i].pool);
    }
    ck_assert_int_gt(hits, 0);
}
END_TEST

Suite *suite_session_memo(void)
{
    Suite *s = suite_create("session_memo");
    TCase *tc = na_test_tcase("session_memo");

    tcase_add_test(tc, test_memo_hit_gives_copies);
    tcase_add_test(tc, test_memo_misses);
    tcase_add_test(tc, test_memo_expiry);
    tcase_add_test(tc, test_memo_long_tokens_not_kept);
    tcase_add_test(tc, test_memo_chunked_sessions_kept);
    tcase_add_test(tc, test_memo_renewal_seeds_as_decode);
    tcase_add_test(tc, test_memo_threads);
    suite_add_tcase(s, tc);
    return s;
}
