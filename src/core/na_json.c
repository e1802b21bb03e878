/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include "na_json.h"

static apr_status_t na_json_pool_cleanup(void *data)
{
    json_decref(data);
    return APR_SUCCESS;
}

json_t *na_json_pool_own(apr_pool_t *p, json_t *j)
{
    if (j != NULL) {
        apr_pool_cleanup_register(p, j, na_json_pool_cleanup, apr_pool_cleanup_null);
    }
    return j;
}

json_t *na_json_load(apr_pool_t *p, const char *text, apr_size_t len, apr_size_t cap)
{
    json_t *obj;

    if (text == NULL || len > (cap ? cap : NA_JSON_MAX_DEFAULT)) {
        return NULL;
    }
    obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    if (obj != NULL && !json_is_object(obj)) {
        json_decref(obj);
        obj = NULL;
    }
    return na_json_pool_own(p, obj);
}

int na_json_get_int(const json_t *obj, const char *key, int required, apr_int64_t *out)
{
    json_t *v = json_object_get(obj, key);

    *out = 0;
    if (v == NULL) {
        return !required;
    }
    if (!json_is_integer(v)) {
        return 0;
    }
    *out = (apr_int64_t)json_integer_value(v);
    return 1;
}

int na_json_get_string(apr_pool_t *p, const json_t *obj, const char *key, int required,
                       int nullable, const char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (v == NULL || (nullable && json_is_null(v))) {
        return !required;
    }
    if (!json_is_string(v)) {
        return 0;
    }
    *out = apr_pstrmemdup(p, json_string_value(v), json_string_length(v));
    return 1;
}
