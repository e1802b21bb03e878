/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* Cookie request header parsing: the one scanner (na_cookie_iter_*), na_cookie_get as
 * every route reads the CSRF, callback-url and check cookies, and na_cookie_strip as
 * NextAuthStripCookies hides them from a backend. Input: the whole Cookie header. */
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

/* Every pair lies inside the header, has a '=' right after its name and no ';' in it,
 * and the value has no blank at either end. */
static void scan(const char *header)
{
    na_cookie_iter_t it;
    na_cookie_pair_t pair;
    const char *end = header + strlen(header);
    na_status_t rv = na_cookie_iter_init(&it, header);

    NA_FUZZ_ASSERT(rv == (strlen(header) > NA_MAX_COOKIE_HEADER ? NA_ETOOBIG : NA_OK));
    while (na_cookie_iter_next(&it, &pair)) {
        NA_FUZZ_ASSERT(rv == NA_OK);
        NA_FUZZ_ASSERT(pair.name >= header && pair.value + pair.value_len <= end);
        NA_FUZZ_ASSERT(pair.name[pair.name_len] == '=' && pair.value > pair.name + pair.name_len);
        NA_FUZZ_ASSERT(memchr(pair.name, ';', pair.name_len) == NULL);
        NA_FUZZ_ASSERT(memchr(pair.value, ';', pair.value_len) == NULL);
        NA_FUZZ_ASSERT(pair.value_len == 0
                       || (pair.value[0] != ' ' && pair.value[0] != '\t'
                           && pair.value[pair.value_len - 1] != ' '
                           && pair.value[pair.value_len - 1] != '\t'));
    }
}

/* What is stripped never holds one of the names, and stripping twice changes nothing. */
static void strip(apr_pool_t *p, const char *header)
{
    const char *kept = na_cookie_strip(p, header, names, 6);
    na_cookie_iter_t it;
    na_cookie_pair_t pair;
    int i;

    if (kept == NULL) {
        return;
    }
    NA_FUZZ_ASSERT(*kept && strlen(kept) <= 2 * strlen(header));
    NA_FUZZ_ASSERT(strcmp(na_cookie_strip(p, kept, names, 6), kept) == 0);
    if (na_cookie_iter_init(&it, kept) != NA_OK) {
        return;
    }
    while (na_cookie_iter_next(&it, &pair)) {
        for (i = 0; i < 6; i++) {
            NA_FUZZ_ASSERT(pair.name_len != strlen(names[i])
                           || memcmp(pair.name, names[i], pair.name_len) != 0);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    const char *header = na_fuzz_str(p, data, size);
    int i;

    scan(header);
    strip(p, header);

    for (i = 0; names[i]; i++) {
        const char *v = na_cookie_get(p, header, names[i]);
        /* Decoding only shrinks, and an over-long header is never read. */
        NA_FUZZ_ASSERT(v == NULL || strlen(v) <= strlen(header));
        NA_FUZZ_ASSERT(v == NULL || strlen(header) <= NA_MAX_COOKIE_HEADER);
    }
    na_fuzz_end(p);
    return 0;
}
