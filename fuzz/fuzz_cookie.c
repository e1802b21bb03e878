/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* Cookie request header parsing: na_cookie_get, as every route reads the CSRF,
 * callback-url and check cookies. Input: the whole Cookie header. */
#include <string.h>

#include "na_cookie.h"
#include "na_fuzz.h"

static const char *const names[] = {
    "next-auth.session-token", "__Secure-next-auth.session-token", "__Host-next-auth.csrf-token",
    "next-auth.callback-url",  "next-auth.state",                  "a",
    "",                        NULL};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    const char *header = na_fuzz_str(p, data, size);
    int i;

    for (i = 0; names[i]; i++) {
        const char *v = na_cookie_get(p, header, names[i]);
        /* Decoding only shrinks, and an over-long header is never read. */
        NA_FUZZ_ASSERT(v == NULL || strlen(v) <= strlen(header));
        NA_FUZZ_ASSERT(v == NULL || strlen(header) <= NA_MAX_COOKIE_HEADER);
    }
    na_fuzz_end(p);
    return 0;
}
