/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_JSON_H
#define NA_JSON_H

#include <jansson.h>

#include "na_common.h"

/** Largest JSON document na_json_load parses when the caller gives no cap. */
#define NA_JSON_MAX_DEFAULT (1024 * 1024)

/**
 * Parse len bytes of JSON whose top level is an object, refusing duplicate members (two
 * parsers reading different values of one member is how claims get smuggled). The object
 * is owned by p: a cleanup on p calls json_decref, as mod_md's md_json.c does. NULL for
 * NULL text, more than `cap` bytes (0: NA_JSON_MAX_DEFAULT), malformed JSON, integers
 * outside json_int_t, or another top-level type.
 */
json_t *na_json_load(apr_pool_t *p, const char *text, apr_size_t len, apr_size_t cap);

/** Hand j (may be NULL) to p: a cleanup on p drops the reference. Returns j. */
json_t *na_json_pool_own(apr_pool_t *p, json_t *j);

/**
 * An integer member (an integer NumericDate, a counter). Reals (1e300, 1.5), strings and
 * other types are refused. *out is 0 unless found. Returns 1 when the member is an
 * integer, or is absent and not `required`; 0 otherwise.
 */
int na_json_get_int(const json_t *obj, const char *key, int required, apr_int64_t *out);

/**
 * A string member copied into p (na_json_load refuses \u0000). *out is NULL
 * unless found. Returns 1 when it is a string, or is absent (or null when `nullable`)
 * and not `required`; 0 otherwise.
 */
int na_json_get_string(apr_pool_t *p, const json_t *obj, const char *key, int required,
                       int nullable, const char **out);

#endif
