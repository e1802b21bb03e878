/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* Userinfo answers mapped to a user (na_oauth_userinfo_parse, every profile mapping) and
 * GitHub's /user/emails answer (na_oauth_github_email). Input: the body. */
#include <string.h>

#include "na_fuzz.h"
#include "na_oauth.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    return 0;
}

/* What a page or an identity header may carry: no control character, no CR or LF. */
static int clean(const char *s)
{
    for (; s && *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            return 0;
        }
    }
    return 1;
}

static void check_email(const char *email)
{
    const char *at;

    if (email == NULL) {
        return;
    }
    at = strchr(email, '@');
    NA_FUZZ_ASSERT(at && at != email && at[1] && strchr(at + 1, '@') == NULL);
    NA_FUZZ_ASSERT(clean(email) && strchr(email, ' ') == NULL);
    NA_FUZZ_ASSERT(strlen(email) <= NA_OAUTH_MAX_EMAIL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    na_http_response_t resp = {200, na_fuzz_str(p, data, size), size, "application/json"};
    const char *email = NULL;
    int profile;

    for (profile = NA_OAUTH_PROFILE_OIDC; profile <= NA_OAUTH_PROFILE_DISCORD; profile++) {
        na_oauth_user_t u;
        if (na_oauth_userinfo_parse(p, profile, &resp, &u, NULL) != NA_OK) {
            continue;
        }
        NA_FUZZ_ASSERT(u.id && *u.id && strlen(u.id) <= NA_OAUTH_MAX_ID && clean(u.id));
        NA_FUZZ_ASSERT(u.name == NULL || (strlen(u.name) <= NA_OAUTH_MAX_NAME && clean(u.name)));
        NA_FUZZ_ASSERT(u.image == NULL || ((strncmp(u.image, "https://", 8) == 0 ||
                                            strncasecmp(u.image, "http://", 7) == 0 ||
                                            strncasecmp(u.image, "https://", 8) == 0) &&
                                           clean(u.image) && strlen(u.image) <= NA_OAUTH_MAX_IMAGE));
        check_email(u.email);
    }
    if (na_oauth_github_email(p, &resp, &email, NULL) == NA_OK) {
        check_email(email);
    }
    na_fuzz_end(p);
    return 0;
}
