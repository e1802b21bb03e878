/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* The route table (na_route_match) on the path below the base path. First byte: the
 * method; the rest: the subpath. */
#include <string.h>

#include "na_fuzz.h"
#include "na_route.h"

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "get",
                                      ""};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    na_route_match_t m;
    const char *sub;
    na_route_result_e r;

    if (size == 0) {
        return 0;
    }
    p = na_fuzz_begin();
    sub = na_fuzz_str(p, data + 1, size - 1);
    memset(&m, 0, sizeof(m));
    r = na_route_match(p, methods[data[0] % 8], sub, &m);
    if (r == NA_ROUTE_FOUND) {
        NA_FUZZ_ASSERT(m.id < NA_ROUTE__COUNT);
        NA_FUZZ_ASSERT(m.param == NULL || (*m.param && strchr(m.param, '/') == NULL));
    }
    else if (r == NA_ROUTE_BAD_METHOD) {
        NA_FUZZ_ASSERT(m.allow != NULL);
    }
    na_fuzz_end(p);
    return 0;
}
