/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* A token endpoint's answer: na_oauth_token_parse. Input: the body, answered with HTTP
 * 200 and again with 400. */
#include <string.h>

#include "na_fuzz.h"
#include "na_oauth.h"

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
    na_http_response_t resp = {200, na_fuzz_str(p, data, size), size, "application/json"};
    na_oauth_tokens_t t;
    na_err_t err = {0};
    na_status_t rv = na_oauth_token_parse(p, &resp, &t, &err);

    if (rv == NA_OK) {
        NA_FUZZ_ASSERT(t.access_token && *t.access_token && t.expires_in >= -1);
    }
    else {
        NA_FUZZ_ASSERT(rv == NA_EPEER && t.access_token == NULL && err.detail);
        NA_FUZZ_ASSERT(strpbrk(err.detail, "\r\n") == NULL);
    }
    resp.status = 400;
    resp.content_type = NULL;
    NA_FUZZ_ASSERT(na_oauth_token_parse(p, &resp, &t, NULL) == NA_EPEER);
    na_fuzz_end(p);
    return 0;
}
