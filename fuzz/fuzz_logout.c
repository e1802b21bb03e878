/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* The logout token and JWT access token checks (na_logout_check, na_bearer_check), the
 * header's typ (na_jws_header_typ) and the revocation list's map values (na_revoke_sids_*).
 * Input: the header's typ, a newline, then the payload as the JWS verifier would hand it
 * over; without a newline, the whole input is the payload and there is no typ. */
#include <string.h>

#include "na_fuzz.h"
#include "na_logout.h"
#include "na_revoke.h"
#include "na_tokens.h"

#define ISSUER "https://idp.example.com"
#define CLIENT "mod-nextauth"
#define NOW 1767225600
#define TOLERANCE 10

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    return 0;
}

static void logout(apr_pool_t *p, const na_jws_verified_t *v, const char *typ)
{
    na_logout_expect_t e = {ISSUER, CLIENT, NOW, TOLERANCE, NA_LOGOUT_MAX_AGE};
    na_logout_claims_t c;
    na_err_t err = {0};

    if (na_logout_check(p, v, typ, &e, &c, &err) != NA_OK) {
        NA_FUZZ_ASSERT(err.detail != NULL && err.code == NULL);
        return;
    }
    NA_FUZZ_ASSERT(c.jti != NULL && c.jti[0] != '\0' && strlen(c.jti) <= 256);
    NA_FUZZ_ASSERT(c.sub != NULL || c.sid != NULL);
    NA_FUZZ_ASSERT(c.sub == NULL || c.sub[0] != '\0');
    NA_FUZZ_ASSERT(c.sid == NULL || c.sid[0] != '\0');
    NA_FUZZ_ASSERT(c.iat >= NOW - NA_LOGOUT_MAX_AGE - TOLERANCE && c.iat <= NOW + TOLERANCE);
}

static void bearer(apr_pool_t *p, const na_jws_verified_t *v, const char *typ)
{
    apr_array_header_t *aud = apr_array_make(p, 2, sizeof(const char *));
    na_bearer_expect_t e = {ISSUER, aud, NOW, TOLERANCE};
    na_bearer_claims_t c;
    na_err_t err = {0};

    APR_ARRAY_PUSH(aud, const char *) = "https://api.example.com";
    APR_ARRAY_PUSH(aud, const char *) = CLIENT;
    if (na_bearer_check(p, v, typ, &e, &c, &err) != NA_OK) {
        NA_FUZZ_ASSERT(err.detail != NULL && err.code == NULL);
        return;
    }
    NA_FUZZ_ASSERT(c.sub != NULL && c.sub[0] != '\0');
    NA_FUZZ_ASSERT(c.exp > NOW - TOLERANCE);
    NA_FUZZ_ASSERT(c.json != NULL && strlen(c.json) <= v->len);
}

/* A map value read back holds only valid, distinct session ids, at most NA_REVOKE_MAP_MAX. */
static void sids(apr_pool_t *p, const char *text, size_t len)
{
    apr_array_header_t *a = na_revoke_sids_parse(p, text, len);
    const char *added;
    int i;

    NA_FUZZ_ASSERT(a->nelts <= NA_REVOKE_MAP_MAX);
    for (i = 0; i < a->nelts; i++) {
        NA_FUZZ_ASSERT(na_tokens_sid_valid(APR_ARRAY_IDX(a, i, const char *)));
    }
    added = na_revoke_sids_add(p, text, len, "AAAAAAAAAAAAAAAAAAAAAA");
    a = na_revoke_sids_parse(p, added, strlen(added));
    NA_FUZZ_ASSERT(a->nelts >= 1 && a->nelts <= NA_REVOKE_MAP_MAX);
    NA_FUZZ_ASSERT(strcmp(APR_ARRAY_IDX(a, 0, const char *), "AAAAAAAAAAAAAAAAAAAAAA") == 0);
    NA_FUZZ_ASSERT(strlen(added) == (size_t)a->nelts * (NA_TOKENS_SID_LEN + 1) - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    char *text = na_fuzz_str(p, data, size), *nl = memchr(text, '\n', size);
    const char *typ = NULL, *payload = text;
    na_jws_verified_t v;

    if (nl != NULL) {
        *nl = '\0';
        typ = text;
        payload = nl + 1;
    }
    v.payload = payload;
    v.len = size - (size_t)(payload - text);
    v.alg = "RS256";
    v.kid = NULL;
    logout(p, &v, typ);
    bearer(p, &v, typ);
    (void)na_jws_header_typ(p, text);
    sids(p, payload, v.len);
    na_revoke_user_revokes(payload, v.len, NOW);
    na_fuzz_end(p);
    return 0;
}
