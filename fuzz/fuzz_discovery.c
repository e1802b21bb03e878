/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* OpenID Provider Configuration documents: na_oauth_discovery_parse for an https and a
 * loopback http issuer. Input: the body. */
#include <string.h>

#include "na_fuzz.h"
#include "na_oauth.h"

static const char *const issuers[] = {"https://idp.example.com", "http://127.0.0.1:8082", NULL};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    return 0;
}

static void endpoint(const char *url, int https)
{
    const unsigned char *c;

    NA_FUZZ_ASSERT(url != NULL);
    NA_FUZZ_ASSERT(strncasecmp(url, "https://", 8) == 0 ||
                   (!https && strncasecmp(url, "http://", 7) == 0));
    for (c = (const unsigned char *)url; *c; c++) {
        NA_FUZZ_ASSERT(*c > 0x20 && *c < 0x7f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    na_http_response_t resp = {200, na_fuzz_str(p, data, size), size, "application/json"};
    int i;

    for (i = 0; issuers[i]; i++) {
        na_oauth_discovery_t d;
        int https = strncmp(issuers[i], "https", 5) == 0;
        if (na_oauth_discovery_parse(p, issuers[i], &resp, &d, NULL) != NA_OK) {
            continue;
        }
        NA_FUZZ_ASSERT(strcmp(d.issuer, issuers[i]) == 0);
        endpoint(d.authorization_endpoint, https);
        endpoint(d.token_endpoint, https);
        endpoint(d.jwks_uri, https);
        if (d.userinfo_endpoint) {
            endpoint(d.userinfo_endpoint, https);
        }
        if (d.end_session_endpoint) {
            endpoint(d.end_session_endpoint, https);
        }
        NA_FUZZ_ASSERT(na_oauth_discovery_auth_method(&d) == NA_OAUTH_AUTH_BASIC ||
                       na_oauth_discovery_auth_method(&d) == NA_OAUTH_AUTH_POST);
    }
    na_fuzz_end(p);
    return 0;
}
