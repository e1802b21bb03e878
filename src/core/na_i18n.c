/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include <apr_lib.h>

#include "na_i18n.h"

/* A language is one catalogue file (na_i18n_<tag>.c) plus its line here. */
extern const na_catalog_t na_catalog_en;
extern const na_catalog_t na_catalog_ko;

static const na_catalog_t *const na_i18n_catalogs[] = {&na_catalog_en, &na_catalog_ko, NULL};

#define NA_I18N_MAX_RANGES 32

const na_catalog_t *na_i18n_default(void)
{
    return &na_catalog_en;
}

const na_catalog_t *na_i18n_find(const char *tag)
{
    int i;

    for (i = 0; na_i18n_catalogs[i]; i++) {
        if (strcasecmp(na_i18n_catalogs[i]->tag, tag) == 0) {
            return na_i18n_catalogs[i];
        }
    }
    return NULL;
}

const char *na_i18n_msg(const na_catalog_t *cat, na_msg_e id)
{
    if (id >= NA_MSG__COUNT) {
        return "";
    }
    if (cat && cat->msg[id]) {
        return cat->msg[id];
    }
    return na_catalog_en.msg[id] ? na_catalog_en.msg[id] : "";
}

/* "q=0.8" -> 800; anything malformed counts as 0, which means "not acceptable". */
static int na_i18n_weight(const char *params)
{
    const char *q = strstr(params, "q=");
    char *end = NULL;
    double w;

    if (q == NULL) {
        return 1000;
    }
    w = strtod(q + 2, &end);
    /* Written so that NaN ("q=nan", which strtod accepts) fails too: converting it to an
     * int below would be undefined (found by fuzz_i18n). */
    if (end == q + 2 || !(w >= 0.0 && w <= 1.0)) {
        return 0;
    }
    return (int)(w * 1000.0 + 0.5);
}

/* The primary subtag of a language range: "ko-KR" -> catalogue "ko". */
static const na_catalog_t *na_i18n_range(apr_pool_t *p, const char *range, apr_size_t n)
{
    char *tag, *dash;

    while (n > 0 && apr_isspace(*range)) {
        range++;
        n--;
    }
    while (n > 0 && apr_isspace(range[n - 1])) {
        n--;
    }
    tag = apr_pstrmemdup(p, range, n);
    if ((dash = strchr(tag, '-')) != NULL) {
        *dash = '\0';
    }
    return na_i18n_find(tag);
}

const na_catalog_t *na_i18n_negotiate(apr_pool_t *p, const char *accept_language)
{
    const na_catalog_t *best = NULL;
    int best_w = 0, count = 0;
    char *copy, *item, *last = NULL;

    if (accept_language == NULL || strlen(accept_language) > NA_MAX_PARAM) {
        return &na_catalog_en;
    }
    copy = apr_pstrdup(p, accept_language);
    for (item = apr_strtok(copy, ",", &last); item && count < NA_I18N_MAX_RANGES;
         item = apr_strtok(NULL, ",", &last), count++) {
        apr_size_t n = strcspn(item, ";");
        const na_catalog_t *cat = na_i18n_range(p, item, n);
        int w = na_i18n_weight(item + n);
        if (cat && w > best_w) {
            best = cat;
            best_w = w;
        }
    }
    return best ? best : &na_catalog_en;
}
