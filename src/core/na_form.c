/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_form.h"
#include "na_url.h"

na_status_t na_form_parse(apr_pool_t *p, const char *s, apr_table_t **out)
{
    apr_table_t *form = apr_table_make(p, 8);
    char *copy, *pair, *last = NULL;
    int n = 0;

    *out = form;
    if (s == NULL || *s == '\0') {
        return NA_OK;
    }
    copy = apr_pstrdup(p, s);
    for (pair = apr_strtok(copy, "&", &last); pair; pair = apr_strtok(NULL, "&", &last)) {
        char *eq = strchr(pair, '=');
        const char *key, *value;

        if (++n > NA_FORM_MAX_FIELDS) {
            return NA_ETOOBIG;
        }
        if (eq) {
            *eq = '\0';
        }
        key = na_url_decode(p, pair, 1);
        value = na_url_decode(p, eq ? eq + 1 : "", 1);
        if (key == NULL || value == NULL || *key == '\0') {
            continue;
        }
        if (strlen(value) > NA_MAX_PARAM) {
            return NA_ETOOBIG;
        }
        apr_table_add(form, key, value);
    }
    return NA_OK;
}
