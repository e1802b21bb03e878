/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_CACHE_H
#define NA_CACHE_H

#include <apr_pools.h>

/**
 * A bounded, per-process store of values by key, with expiry; safe to share between
 * threads (one mutex). The session memo and the OpenID document cache are built on it.
 *
 * `slots` entries at most, in buckets of NA_CACHE_WAYS: a key goes to one bucket by its
 * hash, and when the bucket is full the least recently used entry gives way. Keys are
 * bytes compared in constant time (a session token is a secret). Each entry owns a pool
 * from an allocator of the cache's own, cleared when another value takes its place, so
 * memory stays bounded by what the entries hold. Values go in and out through a copy
 * function: readers keep copies in their own pool, never the cache's memory.
 *
 * Times are whatever unit the caller uses (seconds, apr_time_t), the same for every call.
 */
typedef struct na_cache_t na_cache_t;

/** Entries per bucket (fewer when the cache has fewer slots). */
#define NA_CACHE_WAYS 4

/**
 * A copy of `value` allocated in p, or NULL when it cannot be kept. It may register
 * cleanups on p (they run when the entry is replaced, or when a reader's pool goes).
 */
typedef void *na_cache_copy_fn(apr_pool_t *p, const void *value);

/** A cache of `slots` entries living as long as p, or NULL when APR cannot make one. */
na_cache_t *na_cache_create(apr_pool_t *p, int slots);

/**
 * 1 when `key` has an entry that expires after `now`: *value is copy(p, stored value).
 * 0 otherwise (no cache, absent, expired, or copy gave NULL), *value untouched.
 */
int na_cache_get(na_cache_t *c, apr_pool_t *p, const void *key, apr_size_t klen, apr_int64_t now,
                 na_cache_copy_fn *copy, void **value);

/**
 * Keep copy(entry pool, value) under `key` until `expires`, replacing the key's entry if
 * there is one, else taking a free or expired slot of its bucket, else evicting the
 * bucket's least recently used entry (stored or found longest ago). Nothing is kept when copy gives
 * NULL. `now` says which entries have expired.
 */
void na_cache_put(na_cache_t *c, const void *key, apr_size_t klen, apr_int64_t now,
                  apr_int64_t expires, na_cache_copy_fn *copy, const void *value);

/**
 * Like na_cache_put, but only when `key` has no entry expiring after `now`: 1 when it
 * was added, 0 when a live entry was already there (or nothing could be kept). The test
 * and the insertion are one step under the lock ("at most once per period").
 */
int na_cache_add(na_cache_t *c, const void *key, apr_size_t klen, apr_int64_t now,
                 apr_int64_t expires, na_cache_copy_fn *copy, const void *value);

/** Entries kept now, expired ones included (for tests and diagnostics). */
int na_cache_count(na_cache_t *c);

#endif
