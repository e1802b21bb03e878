/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_fnmatch.h>
#include <apr_lib.h>

#include "na_policy.h"

int na_policy_email_allowed(const apr_array_header_t *patterns, const char *email)
{
    int i;

    if (patterns == NULL) {
        return 1;
    }
    for (i = 0; i < patterns->nelts; i++) {
        const char *pattern = APR_ARRAY_IDX(patterns, i, const char *);
        if (strcmp(pattern, "*") == 0) {
            return 1;
        }
        if (email && apr_fnmatch(pattern, email, APR_FNM_CASE_BLIND) == APR_SUCCESS) {
            return 1;
        }
    }
    return 0;
}

const char *na_policy_email_of(apr_pool_t *p, const char *username)
{
    const char *at = username ? strchr(username, '@') : NULL;
    char *email, *c;

    if (at == NULL || at == username || at[1] == '\0' || strchr(at + 1, '@')) {
        return NULL;
    }
    email = apr_pstrdup(p, username);
    for (c = email; *c; c++) {
        if ((unsigned char)*c <= 0x20 || strchr("\"(),:;<>[\\]", *c)) {
            return NULL;
        }
        *c = (char)apr_tolower(*c);
    }
    return email;
}
