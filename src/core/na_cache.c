/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_allocator.h>
#include <apr_thread_mutex.h>

#include "na_cache.h"
#include "na_crypto.h"

typedef struct na_cache_entry_t {
    apr_pool_t *pool; /* made on first use, cleared when another value takes the slot */
    void *key;        /* NULL: free */
    apr_size_t klen;
    apr_uint64_t hash; /* of the key: most entries of a bucket differ here already */
    apr_int64_t expires;
    apr_uint64_t used; /* c->clock when last stored or found */
    void *value;
} na_cache_entry_t;

struct na_cache_t {
    apr_pool_t *pool; /* on the cache's own allocator */
    apr_thread_mutex_t *lock;
    na_cache_entry_t *entries;
    int nbuckets;
    int ways;
    apr_uint64_t clock; /* counts stores and hits, under lock */
};

/* Entry pools are made and cleared by request threads under c->lock alone, so they draw
 * on an allocator of their own: the parent's (httpd's pchild) takes no lock, and other
 * code allocating from it would race with them. */
static apr_pool_t *na_cache_private_pool(apr_pool_t *parent)
{
    apr_allocator_t *allocator;
    apr_pool_t *pool;

    if (apr_allocator_create(&allocator) != APR_SUCCESS) {
        return NULL;
    }
    if (apr_pool_create_ex(&pool, parent, NULL, allocator) != APR_SUCCESS) {
        apr_allocator_destroy(allocator);
        return NULL;
    }
    apr_allocator_owner_set(allocator, pool);
    return pool;
}

na_cache_t *na_cache_create(apr_pool_t *p, int slots)
{
    na_cache_t *c;

    if (slots <= 0) {
        return NULL;
    }
    c = apr_pcalloc(p, sizeof(*c));
    c->ways = slots < NA_CACHE_WAYS ? slots : NA_CACHE_WAYS;
    c->nbuckets = slots / c->ways;
    if (apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS
        || (c->pool = na_cache_private_pool(p)) == NULL) {
        return NULL;
    }
    c->entries = apr_pcalloc(p, sizeof(*c->entries) * (apr_size_t)(c->nbuckets * c->ways));
    return c;
}

/* FNV-1a over 8-byte words: a session token is a kilobyte or more, hashed every request. */
static apr_uint64_t na_cache_hash(const void *key, apr_size_t klen)
{
    const unsigned char *s = key;
    apr_uint64_t h = 14695981039346656037ull ^ klen, w;
    apr_size_t i = 0;

    for (; i + 8 <= klen; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 1099511628211ull;
    }
    for (; i < klen; i++) {
        h = (h ^ s[i]) * 1099511628211ull;
    }
    return h ^ (h >> 29); /* the multiply leaves the low bits weakest */
}

static na_cache_entry_t *na_cache_bucket(const na_cache_t *c, apr_uint64_t h)
{
    return &c->entries[(h % (apr_uint64_t)c->nbuckets) * (apr_uint64_t)c->ways];
}

/* The hashes are compared first: tokens of one length would otherwise cost a constant-time
 * compare each. That says only whether a 64-bit hash matched, nothing of a key's bytes. */
static na_cache_entry_t *na_cache_find(const na_cache_t *c, na_cache_entry_t *bucket,
                                       apr_uint64_t h, const void *key, apr_size_t klen)
{
    int i;

    for (i = 0; i < c->ways; i++) {
        if (bucket[i].key && bucket[i].hash == h
            && na_crypto_ct_equal(bucket[i].key, bucket[i].klen, key, klen)) {
            return &bucket[i];
        }
    }
    return NULL;
}

/* For a key not in the bucket: a free or expired entry, else the least recently used
 * (a session cookie sent with every request stays; the token a renewal replaced goes). */
static na_cache_entry_t *na_cache_victim(const na_cache_t *c, na_cache_entry_t *bucket,
                                         apr_int64_t now)
{
    na_cache_entry_t *best = &bucket[0];
    int i;

    for (i = 0; i < c->ways; i++) {
        if (bucket[i].key == NULL || bucket[i].expires <= now) {
            return &bucket[i];
        }
        if (bucket[i].used < best->used) {
            best = &bucket[i];
        }
    }
    return best;
}

int na_cache_get(na_cache_t *c, apr_pool_t *p, const void *key, apr_size_t klen, apr_int64_t now,
                 na_cache_copy_fn *copy, void **value)
{
    apr_uint64_t h = na_cache_hash(key, klen);
    na_cache_entry_t *e;
    void *got = NULL;

    if (c == NULL || apr_thread_mutex_lock(c->lock) != APR_SUCCESS) {
        return 0;
    }
    e = na_cache_find(c, na_cache_bucket(c, h), h, key, klen);
    if (e && e->expires > now) {
        got = copy(p, e->value);
        e->used = ++c->clock;
    }
    apr_thread_mutex_unlock(c->lock);
    if (got) {
        *value = got;
    }
    return got != NULL;
}

/* Under c->lock: the entry's pool is cleared first (the old value's cleanups run). */
static int na_cache_store(na_cache_t *c, na_cache_entry_t *e, apr_uint64_t h, const void *key,
                          apr_size_t klen, apr_int64_t expires, na_cache_copy_fn *copy,
                          const void *value)
{
    if (e->pool == NULL && apr_pool_create(&e->pool, c->pool) != APR_SUCCESS) {
        e->pool = NULL;
        return 0;
    }
    apr_pool_clear(e->pool);
    e->key = apr_pmemdup(e->pool, key, klen);
    e->klen = klen;
    e->hash = h;
    e->expires = expires;
    e->used = ++c->clock;
    e->value = copy(e->pool, value);
    if (e->value == NULL) {
        apr_pool_clear(e->pool);
        e->key = NULL;
        return 0;
    }
    return 1;
}

static int na_cache_insert(na_cache_t *c, int only_if_absent, const void *key, apr_size_t klen,
                           apr_int64_t now, apr_int64_t expires, na_cache_copy_fn *copy,
                           const void *value)
{
    apr_uint64_t h = na_cache_hash(key, klen);
    na_cache_entry_t *bucket, *e;
    int stored = 0;

    if (c == NULL || apr_thread_mutex_lock(c->lock) != APR_SUCCESS) {
        return 0;
    }
    bucket = na_cache_bucket(c, h);
    e = na_cache_find(c, bucket, h, key, klen);
    if (!(only_if_absent && e && e->expires > now)) {
        stored = na_cache_store(c, e ? e : na_cache_victim(c, bucket, now), h, key, klen, expires,
                                copy, value);
    }
    apr_thread_mutex_unlock(c->lock);
    return stored;
}

void na_cache_put(na_cache_t *c, const void *key, apr_size_t klen, apr_int64_t now,
                  apr_int64_t expires, na_cache_copy_fn *copy, const void *value)
{
    na_cache_insert(c, 0, key, klen, now, expires, copy, value);
}

int na_cache_add(na_cache_t *c, const void *key, apr_size_t klen, apr_int64_t now,
                 apr_int64_t expires, na_cache_copy_fn *copy, const void *value)
{
    return na_cache_insert(c, 1, key, klen, now, expires, copy, value);
}

int na_cache_count(na_cache_t *c)
{
    int i, n = 0;

    if (c == NULL || apr_thread_mutex_lock(c->lock) != APR_SUCCESS) {
        return 0;
    }
    for (i = 0; i < c->nbuckets * c->ways; i++) {
        n += c->entries[i].key != NULL;
    }
    apr_thread_mutex_unlock(c->lock);
    return n;
}
