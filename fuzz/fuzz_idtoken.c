/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* ID-token claim checks (na_idtoken_check) on a payload as if its signature verified:
 * a provider's claims are the input. Checked with and without an expected nonce, and with
 * no issuer known (refused, never dereferenced). Then the claim cleaning the sign-in
 * applies (na_oauth_idtoken_user, na_oauth_user_drop_unverified): whatever the token
 * says, the user holds no control character, an e-mail in the e-mail provider's normal
 * form or none, an http(s) picture or none. */
#include <string.h>

#include "na_email.h"
#include "na_fuzz.h"
#include "na_idtoken.h"
#include "na_oauth.h"

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

static int clean(const char *s)
{
    for (; s && *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            return 0;
        }
    }
    return 1;
}

static void check_user(apr_pool_t *p, const char *json, size_t size)
{
    na_oauth_user_t u;
    const char *again = NULL;

    if (na_oauth_idtoken_user(p, json, size, &u, NULL) != NA_OK) {
        return;
    }
    NA_FUZZ_ASSERT(u.id && *u.id && clean(u.id) && strlen(u.id) <= NA_OAUTH_MAX_ID);
    NA_FUZZ_ASSERT(clean(u.name) && (u.name == NULL || strlen(u.name) <= NA_OAUTH_MAX_NAME));
    NA_FUZZ_ASSERT(u.image == NULL || ((strncasecmp(u.image, "https://", 8) == 0 ||
                                        strncasecmp(u.image, "http://", 7) == 0) &&
                                       clean(u.image) && strchr(u.image, ' ') == NULL));
    if (u.email) {
        /* Already in normal form: normalising again changes nothing. */
        NA_FUZZ_ASSERT(na_email_normalize(p, u.email, &again, NULL) == NA_OK);
        NA_FUZZ_ASSERT(strcmp(again, u.email) == 0 && strchr(u.email, '@') == strrchr(u.email, '@'));
    }
    NA_FUZZ_ASSERT(u.email_verified >= -1 && u.email_verified <= 1);
    NA_FUZZ_ASSERT(na_oauth_user_drop_unverified(&u, 0) == (again != NULL && u.email_verified == 0));
    NA_FUZZ_ASSERT(u.email_verified != 0 || u.email == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    na_jws_verified_t v = {na_fuzz_str(p, data, size), size, "RS256", NULL};
    na_idtoken_expect_t expect[2] = {{ISSUER, CLIENT, "n-0S6_WzA2Mj", NOW, NA_IDTOKEN_TOLERANCE},
                                     {ISSUER, CLIENT, NULL, NOW, 0}};
    na_idtoken_expect_t no_issuer = {NULL, CLIENT, NULL, NOW, 0};
    na_idtoken_claims_t nc;
    int i;

    NA_FUZZ_ASSERT(na_idtoken_check(p, &v, &no_issuer, &nc, NULL) == NA_EINTERNAL);
    check_user(p, v.payload, size);

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
