/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* A provider's JWKS document: na_jws_jwks_parse, then a verification against what it
 * gave (an RS256 and an ES256 token from the vectors). Input: the document. */
#include <string.h>

#include "na_fuzz.h"
#include "na_jws.h"

static const char *tokens[3];

/* The first "token" of tokens.json whose case has `name`, found without a JSON parser
 * of our own: jansson is linked anyway. */
#include <jansson.h>

static void load_tokens(void)
{
    apr_size_t len;
    char *text = na_fuzz_slurp(NA_FUZZ_VECTORS "/jws/tokens.json", &len);
    json_t *doc = json_loadb(text, len, 0, NULL), *c;
    size_t i;
    int n = 0;

    json_array_foreach(json_object_get(doc, "cases"), i, c)
    {
        const char *name = json_string_value(json_object_get(c, "name"));
        if (n < 2 && name && (strcmp(name, "RS256") == 0 || strcmp(name, "ES256") == 0)) {
            tokens[n++] = apr_pstrdup(na_fuzz_global_pool(),
                                      json_string_value(json_object_get(c, "token")));
        }
    }
    json_decref(doc);
    if (n != 2) {
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    load_tokens();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    na_jws_jwks_t *jwks = NULL;
    na_err_t err = {0};
    /* not NUL-terminated on purpose: the parser takes a length */
    char *json = apr_palloc(p, size ? size : 1);
    na_status_t rv;
    int i;

    memcpy(json, data, size);
    rv = na_jws_jwks_parse(p, json, size, &jwks, &err);
    NA_FUZZ_ASSERT(rv == NA_OK || err.detail != NULL);
    if (rv == NA_OK) {
        NA_FUZZ_ASSERT(na_jws_jwks_count(jwks) >= 1 && na_jws_jwks_count(jwks) <= NA_JWS_MAX_KEYS);
        NA_FUZZ_ASSERT(na_jws_jwks_count(jwks) + na_jws_jwks_skipped(jwks) <= NA_JWS_MAX_KEYS);
        for (i = 0; tokens[i]; i++) {
            na_jws_verified_t v;
            (void)na_jws_verify(p, jwks, tokens[i], &v, NULL);
        }
    }
    na_fuzz_end(p);
    return 0;
}
