/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* Compact JWE decoding (dir/A256GCM) as a session or check cookie arrives: na_jwe_decrypt
 * and na_oauth_check_decode under fixed keys (secret "secret", as the vectors).
 * Input: the token. */
#include <string.h>

#include "na_fuzz.h"
#include "na_jwe.h"
#include "na_oauth.h"

static na_jwe_key_t session_key, state_key[2];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    if (na_jwe_derive_key("secret", "", &session_key) != NA_OK ||
        na_jwe_derive_key("secret", "next-auth.state", &state_key[0]) != NA_OK ||
        na_jwe_derive_key("old secret", "next-auth.state", &state_key[1]) != NA_OK) {
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    const char *token = na_fuzz_str(p, data, size), *value = NULL;
    na_oauth_check_ctx_t ctx = {state_key, 2, "github", 1795830812};
    na_jwe_plain_t plain;
    na_err_t err = {0};
    na_status_t rv;

    rv = na_jwe_decrypt(p, &session_key, token, &plain, &err);
    NA_FUZZ_ASSERT(rv == NA_OK || rv == NA_EINPUT || rv == NA_ETOOBIG);
    NA_FUZZ_ASSERT(rv == NA_OK || err.detail != NULL);
    if (rv == NA_OK) {
        NA_FUZZ_ASSERT(plain.data[plain.len] == '\0' && plain.len < size);
    }
    rv = na_oauth_check_decode(p, &ctx, token, &value, &err);
    NA_FUZZ_ASSERT(rv != NA_OK || (value && *value));
    na_fuzz_end(p);
    return 0;
}
