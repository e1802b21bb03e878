/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* Query strings and form bodies: na_form_parse, na_url_decode, and the authorization URL
 * built from a sign-in request's query (its parameters are attacker-chosen and must never
 * replace client_id, redirect_uri, state, PKCE or nonce). Input: the query or body. */
#include <string.h>

#include "na_form.h"
#include "na_fuzz.h"
#include "na_oauth.h"
#include "na_url.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    return 0;
}

/* How often "&name=" or "?name=" occurs in url. */
static int count_param(const char *url, const char *name)
{
    apr_size_t n = strlen(name);
    const char *s;
    int count = 0;

    for (s = strpbrk(url, "?&"); s; s = strpbrk(s + 1, "?&")) {
        count += strncmp(s + 1, name, n) == 0 && s[1 + n] == '=';
    }
    return count;
}

static void authorize(apr_pool_t *p, const apr_table_t *extra)
{
    static const char *const protect[] = {"client_id", "redirect_uri", "response_type", "state",
                                          "code_challenge", "nonce", NULL};
    na_provider_t prov;
    na_oauth_checks_t checks = {"st4te", "v3rifier", "n0nce"};
    na_oauth_authorize_t in = {&prov, "https://idp.example.com/authorize?prompt=login&state=x",
                               "https://app.example.com/api/auth/callback/corp", &checks, extra};
    const char *url = NULL;
    int i;

    memset(&prov, 0, sizeof(prov));
    prov.id = "corp";
    prov.kind = NA_PROVIDER_OIDC;
    prov.client_id = "mod-nextauth";
    NA_FUZZ_ASSERT(na_oauth_authorize_url(p, &in, &url, NULL) == NA_OK);
    for (i = 0; protect[i]; i++) {
        NA_FUZZ_ASSERT(count_param(url, protect[i]) == 1);
    }
    NA_FUZZ_ASSERT(strstr(url, "state=st4te") && strstr(url, "client_id=mod-nextauth&"));
    NA_FUZZ_ASSERT(strpbrk(url, " \r\n#") == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    const char *s = na_fuzz_str(p, data, size), *dec;
    apr_table_t *form = NULL;
    na_status_t rv = na_form_parse(p, s, &form);

    NA_FUZZ_ASSERT(form != NULL && (rv == NA_OK || rv == NA_ETOOBIG));
    if (rv == NA_OK) {
        const apr_array_header_t *arr = apr_table_elts(form);
        int i;
        NA_FUZZ_ASSERT(arr->nelts <= NA_FORM_MAX_FIELDS);
        for (i = 0; i < arr->nelts; i++) {
            const apr_table_entry_t *e = &APR_ARRAY_IDX(arr, i, apr_table_entry_t);
            NA_FUZZ_ASSERT(*e->key && strlen(e->val) <= NA_MAX_PARAM);
        }
        authorize(p, form);
    }
    /* decode(encode(x)) == x, and decoding never grows a string */
    dec = na_url_decode(p, na_url_encode_component(p, s), 0);
    NA_FUZZ_ASSERT(dec && strcmp(dec, s) == 0);
    dec = na_url_decode(p, s, 1);
    NA_FUZZ_ASSERT(dec == NULL || strlen(dec) <= strlen(s));
    na_fuzz_end(p);
    return 0;
}
