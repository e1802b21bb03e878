/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* A credentials sign-in's user name: na_policy_email_of, then NextAuthSignInAllow's
 * patterns (na_policy_email_allowed). Input: the user name as posted. */
#include <string.h>

#include "na_fuzz.h"
#include "na_policy.h"

static apr_array_header_t *patterns;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *const list[] = {"*@example.com", "alice@example.org", "*.admin@*.corp",
                                       "[a-c]*@x.test", NULL};
    int i;

    (void)argc;
    (void)argv;
    patterns = apr_array_make(na_fuzz_global_pool(), 4, sizeof(const char *));
    for (i = 0; list[i]; i++) {
        APR_ARRAY_PUSH(patterns, const char *) = list[i];
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    const char *name = na_fuzz_str(p, data, size);
    const char *email = na_policy_email_of(p, name), *at;

    if (email) {
        at = strchr(email, '@');
        NA_FUZZ_ASSERT(at && at != email && at[1] && strchr(at + 1, '@') == NULL);
        NA_FUZZ_ASSERT(strpbrk(email, " \t\r\n\"<>") == NULL);
        (void)na_policy_email_allowed(patterns, email);
    }
    NA_FUZZ_ASSERT(na_policy_email_allowed(NULL, name) == 1);
    (void)na_policy_email_allowed(patterns, name);
    na_fuzz_end(p);
    return 0;
}
