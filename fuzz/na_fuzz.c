/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <string.h>

#include <apr_general.h>

#include "na_fuzz.h"

/* APR carves pool allocations out of 8 KiB blocks, so a write past a pool buffer lands in
 * the next allocation and ASan never sees it. While an input runs, apr_palloc is taken
 * over here (libapr calls it through the PLT, so APR's own apr_pstrdup, apr_array_push,
 * ... come here too): each allocation is its own malloc, remembered and freed once the
 * input's pool is gone. Outside an input the real allocator serves. */

typedef void *(*na_fuzz_palloc_fn)(apr_pool_t *, apr_size_t);

static na_fuzz_palloc_fn na_fuzz_real_palloc;
static int na_fuzz_tracking;
static void **na_fuzz_chunks;
static size_t na_fuzz_nchunks, na_fuzz_cap;
static apr_pool_t *na_fuzz_global;

static void *na_fuzz_real(apr_pool_t *p, apr_size_t size)
{
    if (na_fuzz_real_palloc == NULL) {
        na_fuzz_real_palloc = (na_fuzz_palloc_fn)dlsym(RTLD_NEXT, "apr_palloc");
        if (na_fuzz_real_palloc == NULL) {
            abort();
        }
    }
    return na_fuzz_real_palloc(p, size);
}

void *apr_palloc(apr_pool_t *p, apr_size_t size)
{
    void *m;

    if (!na_fuzz_tracking) {
        return na_fuzz_real(p, size);
    }
    if (na_fuzz_nchunks == na_fuzz_cap) {
        na_fuzz_cap = na_fuzz_cap ? 2 * na_fuzz_cap : 1024;
        na_fuzz_chunks = realloc(na_fuzz_chunks, na_fuzz_cap * sizeof(void *));
        if (na_fuzz_chunks == NULL) {
            abort();
        }
    }
    /* malloc(0) is a valid zero-byte buffer: writing into it is the bug to catch. */
    m = malloc(size);
    if (m == NULL && size) {
        abort();
    }
    na_fuzz_chunks[na_fuzz_nchunks++] = m;
    return m;
}

#undef apr_pcalloc
void *apr_pcalloc(apr_pool_t *p, apr_size_t size)
{
    void *m = apr_palloc(p, size);

    memset(m, 0, size);
    return m;
}

/* APR may keep pool blocks in mmap'd memory, which LeakSanitizer does not scan: what
 * only the global pool points to (the parsed JWKS's OpenSSL keys) would be reported at
 * exit. Destroying it first runs its cleanups. */
static void na_fuzz_exit(void)
{
    na_fuzz_tracking = 0;
    apr_terminate();
}

void na_fuzz_init(void)
{
    static int done;

    if (!done) {
        done = 1;
        if (apr_initialize() != APR_SUCCESS || apr_pool_create(&na_fuzz_global, NULL)) {
            abort();
        }
        atexit(na_fuzz_exit);
    }
}

apr_pool_t *na_fuzz_global_pool(void)
{
    na_fuzz_init();
    return na_fuzz_global;
}

apr_pool_t *na_fuzz_begin(void)
{
    apr_pool_t *p;

    na_fuzz_init();
    if (apr_pool_create(&p, NULL) != APR_SUCCESS) {
        abort();
    }
    na_fuzz_tracking = getenv("NA_FUZZ_APR_POOLS") == NULL;
    return p;
}

void na_fuzz_end(apr_pool_t *p)
{
    size_t i;

    apr_pool_destroy(p);
    na_fuzz_tracking = 0;
    for (i = 0; i < na_fuzz_nchunks; i++) {
        free(na_fuzz_chunks[i]);
    }
    na_fuzz_nchunks = 0;
}

char *na_fuzz_str(apr_pool_t *p, const uint8_t *data, size_t size)
{
    char *s = apr_palloc(p, size + 1);

    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

char *na_fuzz_slurp(const char *path, apr_size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        fprintf(stderr, "cannot read %s\n", path);
        abort();
    }
    buf = apr_palloc(na_fuzz_global_pool(), (apr_size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        abort();
    }
    fclose(f);
    buf[n] = '\0';
    if (len) {
        *len = (apr_size_t)n;
    }
    return buf;
}
