/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* Session cookie chunk reassembly: na_chunk_read on a Cookie header, and na_chunk_stale
 * on what it reports. First byte even: the rest is a Cookie header. Odd: the rest is a
 * value, which must survive na_chunk_split, encoding into a header and na_chunk_read. */
#include <string.h>

#include "na_chunk.h"
#include "na_fuzz.h"
#include "na_url.h"

#define BASE "next-auth.session-token"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    return 0;
}

static void read_header(apr_pool_t *p, const char *header)
{
    apr_array_header_t *present = NULL, *stale;
    const char *value = NULL, *why = NULL;
    na_status_t rv = na_chunk_read_why(p, header, BASE, &value, &present, &why);
    int i;

    NA_FUZZ_ASSERT(present != NULL && present->nelts <= NA_CHUNK_MAX_CLEAR);
    /* a reason only with a refusal, and static text: never a piece of the header */
    NA_FUZZ_ASSERT(why == NULL || (rv != NA_OK && (strcmp(why, "too many chunks") == 0 ||
                                                   strcmp(why, "sent twice with different values") == 0)));
    NA_FUZZ_ASSERT(rv == NA_OK || value == NULL);
    NA_FUZZ_ASSERT(value == NULL || (*value && strlen(value) <= NA_CHUNK_MAX_TOTAL));
    for (i = 0; i < present->nelts; i++) {
        const char *name = APR_ARRAY_IDX(present, i, const char *);
        NA_FUZZ_ASSERT(strncmp(name, BASE, strlen(BASE)) == 0);
    }
    stale = na_chunk_stale(p, present, value ? na_chunk_split(p, BASE, value) : NULL);
    NA_FUZZ_ASSERT(stale->nelts <= present->nelts);
    /* the same header for another base name, as the check cookies are read */
    (void)na_chunk_read(p, header, "x", &value, NULL);
}

static void round_trip(apr_pool_t *p, const char *value)
{
    apr_array_header_t *chunks, *present = NULL;
    const char *header = "other=1", *back = NULL;
    na_status_t rv;
    int i;

    if (*value == '\0' || strlen(value) > NA_CHUNK_MAX_TOTAL) {
        return;
    }
    chunks = na_chunk_split(p, BASE, value);
    for (i = 0; i < chunks->nelts; i++) {
        const na_chunk_t *c = &APR_ARRAY_IDX(chunks, i, na_chunk_t);
        NA_FUZZ_ASSERT(strlen(c->value) <= NA_CHUNK_SIZE);
        header = apr_pstrcat(p, header, "; ", c->name, "=",
                             na_url_encode_component(p, c->value), NULL);
    }
    rv = na_chunk_read(p, header, BASE, &back, &present);
    /* a header over the one Cookie cap (na_cookie.h) is not read: no session */
    if (strlen(header) > NA_MAX_COOKIE_HEADER) {
        NA_FUZZ_ASSERT(rv == NA_OK && back == NULL && present->nelts == 0);
        return;
    }
    NA_FUZZ_ASSERT(rv == NA_OK && back && strcmp(back, value) == 0);
    NA_FUZZ_ASSERT(present->nelts == chunks->nelts);
    NA_FUZZ_ASSERT(na_chunk_stale(p, present, chunks)->nelts == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;

    if (size == 0) {
        return 0;
    }
    p = na_fuzz_begin();
    if (data[0] & 1) {
        round_trip(p, na_fuzz_str(p, data + 1, size - 1));
    }
    else {
        read_header(p, na_fuzz_str(p, data + 1, size - 1));
    }
    na_fuzz_end(p);
    return 0;
}
