/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_b64.h"
#include "na_crypto.h"
#include "na_tokens.h"

/* The server-side token record of a session (na_tokens.h). */

#define NA_TOKENS_SID_BYTES 16

na_status_t na_tokens_sid_new(apr_pool_t *p, const char **sid)
{
    unsigned char bytes[NA_TOKENS_SID_BYTES];

    if (na_crypto_random(bytes, sizeof(bytes)) != NA_OK) {
        return NA_EINTERNAL;
    }
    *sid = na_b64_encode(p, bytes, sizeof(bytes));
    return *sid ? NA_OK : NA_EINTERNAL;
}

int na_tokens_sid_valid(const char *s)
{
    apr_size_t n;

    if (s == NULL) {
        return 0;
    }
    for (n = 0; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
              || c == '_')) {
            return 0;
        }
    }
    return n == NA_TOKENS_SID_LEN;
}
