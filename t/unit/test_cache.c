/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_thread_proc.h>

#include "na_cache.h"
#include "suites.h"

static int na_test_copies; /* how often na_test_copy ran */

static void *na_test_copy(apr_pool_t *p, const void *value)
{
    na_test_copies++;
    return apr_pstrdup(p, value);
}

/* No shared counter: for the threads. */
static void *na_test_copy_quiet(apr_pool_t *p, const void *value)
{
    return apr_pstrdup(p, value);
}

static void *na_test_refuse(apr_pool_t *p, const void *value)
{
    (void)p;
    (void)value;
    return NULL;
}

static int na_test_get(na_cache_t *c, const char *key, apr_int64_t now, const char **got)
{
    void *v = NULL;
    int hit = na_cache_get(c, na_test_pool, key, strlen(key), now, na_test_copy, &v);

    *got = v;
    return hit;
}

static void na_test_put(na_cache_t *c, const char *key, apr_int64_t now, apr_int64_t expires,
                        const char *value)
{
    na_cache_put(c, key, strlen(key), now, expires, na_test_copy, value);
}

START_TEST(test_cache_get_gives_copies)
{
    na_cache_t *c = na_cache_create(na_test_pool, 8);
    char value[] = "the document";
    const char *got = NULL;

    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(na_test_get(c, "https://a/", 0, &got), 0);
    ck_assert_ptr_null(got);
    na_test_put(c, "https://a/", 0, 100, value);
    value[0] = 'X'; /* the cache kept its own copy */
    ck_assert_int_eq(na_test_get(c, "https://a/", 99, &got), 1);
    ck_assert_str_eq(got, "the document");
    /* a key that is a prefix, or longer, is another key */
    ck_assert_int_eq(na_test_get(c, "https://a", 0, &got), 0);
    ck_assert_int_eq(na_test_get(c, "https://a/x", 0, &got), 0);
    /* the same key replaces its value, and is counted once */
    na_test_put(c, "https://a/", 0, 100, "newer");
    ck_assert_int_eq(na_test_get(c, "https://a/", 0, &got), 1);
    ck_assert_str_eq(got, "newer");
    ck_assert_int_eq(na_cache_count(c), 1);
}
END_TEST

START_TEST(test_cache_expiry)
{
    na_cache_t *c = na_cache_create(na_test_pool, 4);
    const char *got = NULL;

    na_test_put(c, "k", 0, 50, "v");
    ck_assert_int_eq(na_test_get(c, "k", 49, &got), 1);
    ck_assert_int_eq(na_test_get(c, "k", 50, &got), 0);
    ck_assert_int_eq(na_test_get(c, "k", 51, &got), 0);
    /* a new put brings it back */
    na_test_put(c, "k", 51, 60, "w");
    ck_assert_int_eq(na_test_get(c, "k", 55, &got), 1);
    ck_assert_str_eq(got, "w");
}
END_TEST

/* Never more entries than slots, however many keys come. */
START_TEST(test_cache_capacity)
{
    na_cache_t *c = na_cache_create(na_test_pool, 16);
    const char *got = NULL;
    int i, hits = 0;

    for (i = 0; i < 1000; i++) {
        char key[48];

        snprintf(key, sizeof(key), "https://issuer-%d.example/", i);
        na_test_put(c, key, 0, 1000 + i, key);
        ck_assert_int_le(na_cache_count(c), 16);
    }
    ck_assert_int_gt(na_cache_count(c), 4); /* the keys spread over the buckets */
    for (i = 0; i < 1000; i++) {
        char key[48];

        snprintf(key, sizeof(key), "https://issuer-%d.example/", i);
        if (na_test_get(c, key, 0, &got)) {
            ck_assert_str_eq(got, key);
            hits++;
        }
    }
    ck_assert_int_eq(hits, na_cache_count(c));
}
END_TEST

/* With one bucket of four: a free slot first, then an expired one, then the least
 * recently used entry (stored or found longest ago) gives way; the others stay. */
START_TEST(test_cache_eviction)
{
    na_cache_t *c = na_cache_create(na_test_pool, NA_CACHE_WAYS);
    const char *got = NULL;

    na_test_put(c, "a", 0, 400, "A");
    na_test_put(c, "b", 0, 100, "B");
    na_test_put(c, "c", 0, 300, "C");
    na_test_put(c, "d", 0, 200, "D");
    ck_assert_int_eq(na_cache_count(c), 4);
    ck_assert_int_eq(na_test_get(c, "a", 0, &got), 1); /* a is used again: b is the oldest */
    na_test_put(c, "e", 0, 500, "E");
    ck_assert_int_eq(na_test_get(c, "b", 0, &got), 0);
    ck_assert_int_eq(na_test_get(c, "a", 0, &got), 1);
    ck_assert_int_eq(na_test_get(c, "c", 0, &got), 1);
    ck_assert_int_eq(na_test_get(c, "d", 0, &got), 1);
    ck_assert_int_eq(na_test_get(c, "e", 0, &got), 1);
    /* found in the order a, c, d, e: a is now the least recent */
    na_test_put(c, "f", 0, 600, "F");
    ck_assert_int_eq(na_test_get(c, "a", 0, &got), 0);
    ck_assert_int_eq(na_test_get(c, "f", 0, &got), 1);
    /* at 450, c (300) and d (200) have expired: one of them takes the new key, although
     * e and f are older than neither */
    na_test_put(c, "g", 450, 900, "G");
    ck_assert_int_eq(na_test_get(c, "g", 450, &got), 1);
    ck_assert_int_eq(na_test_get(c, "e", 450, &got), 1);
    ck_assert_int_eq(na_test_get(c, "f", 450, &got), 1);
    ck_assert_int_eq(na_test_get(c, "c", 0, &got) + na_test_get(c, "d", 0, &got), 1);
    ck_assert_int_eq(na_cache_count(c), 4);
    /* one slot: every new key replaces the last */
    c = na_cache_create(na_test_pool, 1);
    na_test_put(c, "a", 0, 900, "A");
    na_test_put(c, "b", 0, 100, "B");
    ck_assert_int_eq(na_test_get(c, "a", 0, &got), 0);
    ck_assert_int_eq(na_test_get(c, "b", 0, &got), 1);
}
END_TEST

START_TEST(test_cache_add_once_per_period)
{
    na_cache_t *c = na_cache_create(na_test_pool, 4);
    const char *got = NULL;

    ck_assert_int_eq(na_cache_add(c, "jwks", 4, 0, 60, na_test_copy, "t0"), 1);
    na_test_copies = 0;
    ck_assert_int_eq(na_cache_add(c, "jwks", 4, 59, 119, na_test_copy, "t59"), 0);
    ck_assert_int_eq(na_test_copies, 0); /* nothing copied for a refused add */
    ck_assert_int_eq(na_test_get(c, "jwks", 59, &got), 1);
    ck_assert_str_eq(got, "t0"); /* a refused add leaves the entry alone */
    ck_assert_int_eq(na_cache_add(c, "jwks", 4, 60, 120, na_test_copy, "t60"), 1);
    ck_assert_int_eq(na_test_get(c, "jwks", 60, &got), 1);
    ck_assert_str_eq(got, "t60");
}
END_TEST

START_TEST(test_cache_nothing_to_keep)
{
    na_cache_t *c = na_cache_create(na_test_pool, 4);
    const char *got = NULL;
    void *v = NULL;

    /* a copy that fails keeps nothing, and drops the key's old value */
    na_test_put(c, "k", 0, 100, "v");
    na_cache_put(c, "k", 1, 0, 100, na_test_refuse, "w");
    ck_assert_int_eq(na_test_get(c, "k", 0, &got), 0);
    ck_assert_int_eq(na_cache_count(c), 0);
    ck_assert_int_eq(na_cache_add(c, "k", 1, 0, 100, na_test_refuse, "w"), 0);
    /* a reader's copy that fails is a miss */
    na_test_put(c, "k", 0, 100, "v");
    ck_assert_int_eq(na_cache_get(c, na_test_pool, "k", 1, 0, na_test_refuse, &v), 0);
    ck_assert_ptr_null(v);
    /* no cache: every call a miss, and none fails */
    ck_assert_ptr_null(na_cache_create(na_test_pool, 0));
    ck_assert_int_eq(na_test_get(NULL, "k", 0, &got), 0);
    na_test_put(NULL, "k", 0, 100, "v");
    ck_assert_int_eq(na_cache_add(NULL, "k", 1, 0, 100, na_test_copy, "v"), 0);
    ck_assert_int_eq(na_cache_count(NULL), 0);
}
END_TEST

/* Replacing values drops the old ones: the entry pools do not grow with churn. */
static apr_status_t na_test_count_release(void *data)
{
    (*(int *)data)++;
    return APR_SUCCESS;
}

static int na_test_released;

static void *na_test_copy_counted(apr_pool_t *p, const void *value)
{
    apr_pool_cleanup_register(p, &na_test_released, na_test_count_release, apr_pool_cleanup_null);
    return apr_pstrdup(p, value);
}

START_TEST(test_cache_replaced_values_released)
{
    na_cache_t *c = na_cache_create(na_test_pool, 2);
    int i;

    na_test_released = 0;
    for (i = 0; i < 50; i++) {
        na_cache_put(c, "k", 1, 0, 100, na_test_copy_counted, "v");
    }
    ck_assert_int_eq(na_test_released, 49);
}
END_TEST

/* Threads putting and getting overlapping keys in few slots: every hit is the value
 * its key was stored with (under ASan, make test-asan, a freed read would show). */
typedef struct {
    na_cache_t *cache;
    apr_pool_t *pool;
    unsigned seed;
    int hits;
    int failures;
} na_cache_race_t;

static void *APR_THREAD_FUNC na_cache_racer(apr_thread_t *t, void *data)
{
    na_cache_race_t *race = data;
    int i;

    (void)t;
    for (i = 0; i < 5000; i++) {
        char key[16], want[32];
        void *got = NULL;
        unsigned k = ((unsigned)i * 7u + race->seed) % 23u;

        snprintf(key, sizeof(key), "key-%u", k);
        snprintf(want, sizeof(want), "value of key-%u", k);
        if (na_cache_get(race->cache, race->pool, key, strlen(key), i, na_test_copy_quiet, &got)) {
            race->hits++;
            race->failures += strcmp(got, want) != 0;
        }
        else if (i % 3 == 0) {
            na_cache_add(race->cache, key, strlen(key), i, i + 50, na_test_copy_quiet, want);
        }
        else {
            na_cache_put(race->cache, key, strlen(key), i, i + 50, na_test_copy_quiet, want);
        }
        if (i % 100 == 99) {
            apr_pool_clear(race->pool);
        }
    }
    return NULL;
}

START_TEST(test_cache_threads)
{
    enum { NTHREADS = 4 };
    na_cache_race_t race[NTHREADS];
    apr_thread_t *threads[NTHREADS];
    na_cache_t *c = na_cache_create(na_test_pool, 8); /* collisions on purpose */
    int i, hits = 0;

    for (i = 0; i < NTHREADS; i++) {
        race[i] = (na_cache_race_t){c, NULL, (unsigned)i * 5u, 0, 0};
        ck_assert_int_eq(apr_pool_create_unmanaged_ex(&race[i].pool, NULL, NULL), APR_SUCCESS);
        ck_assert_int_eq(
            apr_thread_create(&threads[i], NULL, na_cache_racer, &race[i], na_test_pool),
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
    ck_assert_int_le(na_cache_count(c), 8);
}
END_TEST

Suite *suite_cache(void)
{
    Suite *s = suite_create("cache");
    TCase *tc = na_test_tcase("cache");

    tcase_add_test(tc, test_cache_get_gives_copies);
    tcase_add_test(tc, test_cache_expiry);
    tcase_add_test(tc, test_cache_capacity);
    tcase_add_test(tc, test_cache_eviction);
    tcase_add_test(tc, test_cache_add_once_per_period);
    tcase_add_test(tc, test_cache_nothing_to_keep);
    tcase_add_test(tc, test_cache_replaced_values_released);
    tcase_add_test(tc, test_cache_threads);
    suite_add_tcase(s, tc);
    return s;
}
