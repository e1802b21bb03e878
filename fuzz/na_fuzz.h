/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_FUZZ_H
#define NA_FUZZ_H

/* What every libFuzzer target shares: APR set up once, a fresh pool per input, and
 * pool allocations that AddressSanitizer can see (na_fuzz.c). */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "na_common.h"

/** apr_initialize once per process; call from LLVMFuzzerInitialize. */
void na_fuzz_init(void);

/**
 * A pool for one input. Until na_fuzz_end, every apr_palloc (ours and APR's own) is a
 * separate malloc of exactly the size asked, so ASan reports an overflow of a pool buffer
 * that APR's block allocator would otherwise hide.
 */
apr_pool_t *na_fuzz_begin(void);

/** Destroy the input's pool and free what it handed out. */
void na_fuzz_end(apr_pool_t *p);

/** data as a NUL-terminated string of exactly size+1 bytes (from the input's pool). */
char *na_fuzz_str(apr_pool_t *p, const uint8_t *data, size_t size);

/** A fixed pool for the whole run (keys, JWKS): not tracked, never destroyed. */
apr_pool_t *na_fuzz_global_pool(void);

/** Read a whole file into the global pool; aborts when it cannot (a build fault). */
char *na_fuzz_slurp(const char *path, apr_size_t *len);

/** A property the code promised does not hold: report and abort, so libFuzzer keeps
 * the input as a crash. */
#define NA_FUZZ_ASSERT(cond)                                                               \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);   \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

#endif
