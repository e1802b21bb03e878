/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_JSON_COMPACT_H
#define NA_JSON_COMPACT_H

#include <apr_pools.h>
#include <jansson.h>

/**
 * A member written with its JSON text as given: in the place of the object's member of
 * the same name, or after all of them when the object has none (what json_object_set_new
 * on a copy would do). `json` must be valid JSON; it is not checked.
 */
typedef struct na_json_member_t {
    const char *key;
    const char *json;
} na_json_member_t;

/**
 * Exactly what json_dumps(obj with `over` set, JSON_COMPACT) writes, without copying obj,
 * without jansson's loop detection (a decoded document has no loops) and without malloc:
 * the session cookie is re-encrypted on every request. Into p, *len its length; NULL
 * when obj is not an object, holds a real number, is nested over 64 deep or `over` has
 * more than 8 members (the caller then asks jansson).
 */
char *na_json_compact(apr_pool_t *p, const json_t *obj, const na_json_member_t *over, int nover,
                      apr_size_t *len);

/** The decimal text of v into buf (21 bytes are enough); returns its length. */
apr_size_t na_json_int_text(char buf[21], apr_int64_t v);

#endif
