/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>

#include <apr_strings.h>

#include <check.h>
#include <jansson.h>

#include "na_test_json.h"
#include "suites.h"

const char *na_test_json_edit(const char *base, const char *patch, const char *del)
{
    json_t *c = json_loads(base, 0, NULL), *p;
    const char *out;
    char *s;

    ck_assert_ptr_nonnull(c);
    if (patch) {
        p = json_loads(patch, 0, NULL);
        ck_assert_msg(p != NULL, "bad patch %s", patch);
        json_object_update(c, p);
        json_decref(p);
    }
    if (del) {
        json_object_del(c, del);
    }
    s = json_dumps(c, JSON_COMPACT);
    out = apr_pstrdup(na_test_pool, s);
    free(s);
    json_decref(c);
    return out;
}
