/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* ID tokens as a provider's token endpoint returns them: na_jws_verify against the test
 * JWKS (RSA and EC P-256 keys of t/unit/vectors/jws), then na_idtoken_check on what
 * verifies. Input: the compact JWS. */
#include <string.h>

#include "na_fuzz.h"
#include "na_idtoken.h"
#include "na_jws.h"

static na_jws_jwks_t *rsa, *ec;

static na_jws_jwks_t *load(const char *name)
{
    apr_size_t len;
    char *json = na_fuzz_slurp(apr_pstrcat(na_fuzz_global_pool(), NA_FUZZ_VECTORS "/jws/", name,
                                           NULL),
                               &len);
    na_jws_jwks_t *jwks = NULL;

    if (na_jws_jwks_parse(na_fuzz_global_pool(), json, len, &jwks, NULL) != NA_OK) {
        abort();
    }
    return jwks;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    rsa = load("jwks.json");
    ec = load("jwks-ec256.json");
    return 0;
}

static void verify(apr_pool_t *p, const na_jws_jwks_t *jwks, const char *token)
{
    na_idtoken_expect_t expect = {"https://idp.example.com", "mod-nextauth", "n-0S6_WzA2Mj",
                                  1767225600, NA_IDTOKEN_TOLERANCE};
    na_idtoken_claims_t claims;
    na_jws_verified_t v;
    na_err_t err = {0};
    na_status_t rv = na_jws_verify(p, jwks, token, &v, &err);

    NA_FUZZ_ASSERT(rv == NA_OK || err.detail != NULL);
    if (rv != NA_OK) {
        return;
    }
    NA_FUZZ_ASSERT(v.payload[v.len] == '\0' && v.alg != NULL);
    NA_FUZZ_ASSERT(strcmp(v.alg, "none") != 0 && strncmp(v.alg, "HS", 2) != 0);
    if (na_idtoken_check(p, &v, &expect, &claims, &err) == NA_OK) {
        NA_FUZZ_ASSERT(claims.sub && *claims.sub);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    const char *token = na_fuzz_str(p, data, size);

    verify(p, rsa, token);
    verify(p, ec, token);
    na_fuzz_end(p);
    return 0;
}
