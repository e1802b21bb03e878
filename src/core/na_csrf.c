/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_crypto.h"
#include "na_csrf.h"

#define NA_CSRF_HEX_LEN (2 * NA_CSRF_TOKEN_BYTES)

na_status_t na_csrf_hash(apr_pool_t *p, const char *token, const char *secret, const char **hash)
{
    unsigned char digest[NA_SHA256_LEN];

    if (na_crypto_sha256_2(token, strlen(token), secret, strlen(secret), digest) != NA_OK) {
        return NA_EINTERNAL;
    }
    *hash = na_crypto_hex(p, digest, sizeof(digest));
    return NA_OK;
}

/* Our own tokens are 64 lower-case hex digits; next-auth's are too. Anything else in a
 * cookie is not ours, whatever its hash says. */
static int na_csrf_token_shape(const char *s, apr_size_t n)
{
    apr_size_t i;

    if (n != NA_CSRF_HEX_LEN) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

na_status_t na_csrf_verify_cookie(apr_pool_t *p, const char *value,
                                  const apr_array_header_t *secrets, const char **token,
                                  int *current)
{
    const char *bar = value ? strchr(value, '|') : NULL;
    const char *tok, *hash;
    int i;

    if (bar == NULL || secrets == NULL || !na_csrf_token_shape(value, (apr_size_t)(bar - value))
        || strlen(bar + 1) != NA_CSRF_HEX_LEN) {
        return NA_EINPUT;
    }
    tok = apr_pstrmemdup(p, value, (apr_size_t)(bar - value));
    for (i = 0; i < secrets->nelts; i++) {
        if (na_csrf_hash(p, tok, APR_ARRAY_IDX(secrets, i, const char *), &hash) != NA_OK) {
            return NA_EINTERNAL;
        }
        if (na_crypto_ct_equal(hash, NA_CSRF_HEX_LEN, bar + 1, NA_CSRF_HEX_LEN)) {
            *token = tok;
            *current = (i == 0);
            return NA_OK;
        }
    }
    return NA_EINPUT;
}

na_status_t na_csrf_issue(apr_pool_t *p, const char *secret, const char **token,
                          const char **cookie_value)
{
    char *tok;
    const char *hash;

    if (na_crypto_random_hex(p, NA_CSRF_TOKEN_BYTES, &tok) != NA_OK
        || na_csrf_hash(p, tok, secret, &hash) != NA_OK) {
        return NA_EINTERNAL;
    }
    *token = tok;
    *cookie_value = apr_pstrcat(p, tok, "|", hash, NULL);
    return NA_OK;
}

int na_csrf_matches(const char *cookie_token, const char *submitted)
{
    if (cookie_token == NULL || submitted == NULL) {
        return 0;
    }
    return na_crypto_ct_equal(cookie_token, strlen(cookie_token), submitted, strlen(submitted));
}
