/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* The CSRF cookie's value ("token|hash"): na_csrf_verify_cookie under a current and an
 * older secret, and na_csrf_matches against a submitted token. Input: the decoded value;
 * after a newline, the csrfToken a form submitted. */
#include <string.h>

#include "na_csrf.h"
#include "na_fuzz.h"

static apr_array_header_t *secrets;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    secrets = apr_array_make(na_fuzz_global_pool(), 2, sizeof(const char *));
    APR_ARRAY_PUSH(secrets, const char *) = "secret";
    APR_ARRAY_PUSH(secrets, const char *) = "old secret";
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    char *value = na_fuzz_str(p, data, size), *nl = strchr(value, '\n');
    const char *submitted = "", *token = NULL;
    int current = -1;

    if (nl) {
        *nl = '\0';
        submitted = nl + 1;
    }
    if (na_csrf_verify_cookie(p, value, secrets, &token, &current) == NA_OK) {
        NA_FUZZ_ASSERT(token && strlen(token) == 2 * NA_CSRF_TOKEN_BYTES);
        NA_FUZZ_ASSERT(current == 0 || current == 1);
        NA_FUZZ_ASSERT(na_csrf_matches(token, submitted) == (strcmp(token, submitted) == 0));
    }
    NA_FUZZ_ASSERT(na_csrf_matches(value, submitted) == (strcmp(value, submitted) == 0));
    na_fuzz_end(p);
    return 0;
}
