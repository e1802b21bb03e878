/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* ID-token claim checks (na_idtoken_check) on a payload as if its signature verified:
 * a provider's claims are the input. Checked with and without an expected nonce. */
#include <string.h>

#include "na_fuzz.h"
#include "na_idtoken.h"

#define ISSUER "https://idp.example.com"
#define CLIENT "mod-nextauth"
#define NOW 1767225600

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
    na_jws_verified_t v = {na_fuzz_str(p, data, size), size, "RS256", NULL};
    na_idtoken_expect_t expect[2] = {{ISSUER, CLIENT, "n-0S6_WzA2Mj", NOW, NA_IDTOKEN_TOLERANCE},
                                     {ISSUER, CLIENT, NULL, NOW, 0}};
    int i;

    for (i = 0; i < 2; i++) {
        na_idtoken_claims_t c;
        na_err_t err = {0};
        na_status_t rv = na_idtoken_check(p, &v, &expect[i], &c, &err);
        if (rv == NA_OK) {
            NA_FUZZ_ASSERT(c.sub && *c.sub && c.json);
            NA_FUZZ_ASSERT(c.exp > NOW - expect[i].tolerance);
            NA_FUZZ_ASSERT(c.iat <= NOW + expect[i].tolerance);
            NA_FUZZ_ASSERT(c.email_verified >= -1 && c.email_verified <= 1);
        }
        else {
            NA_FUZZ_ASSERT(err.code && strcmp(err.code, NA_IDTOKEN_ERROR) == 0);
        }
    }
    na_fuzz_end(p);
    return 0;
}
