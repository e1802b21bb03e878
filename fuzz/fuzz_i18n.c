/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* Accept-Language negotiation (na_i18n_negotiate). Input: the header value. */
#include <string.h>

#include "na_fuzz.h"
#include "na_i18n.h"

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
    const na_catalog_t *cat = na_i18n_negotiate(p, na_fuzz_str(p, data, size));

    NA_FUZZ_ASSERT(cat == na_i18n_find("en") || cat == na_i18n_find("ko"));
    NA_FUZZ_ASSERT(*na_i18n_msg(cat, NA_MSG_TITLE_SIGNIN) != '\0');
    na_fuzz_end(p);
    return 0;
}
