/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_KV_H
#define NA_KV_H

#include <stddef.h>

#include "na_common.h"

/** How the value of one key is checked and stored. */
typedef enum {
    NA_KV_STRING, /**< any non-empty text without control characters -> const char * */
    NA_KV_SECRET, /**< like STRING, resolved by na_secret (file:/env:), never echoed */
    NA_KV_URL,    /**< absolute http(s) URL -> const char * */
    NA_KV_PATH,   /**< local path starting with one '/' -> const char * */
    NA_KV_COLOR,  /**< #rgb, #rgba, #rrggbb or #rrggbbaa -> const char * */
    NA_KV_IMAGE,  /**< absolute http(s) URL or local path -> const char * */
    NA_KV_UINT,   /**< whole number of seconds, 1..10 years -> apr_int64_t */
    NA_KV_ENUM,   /**< one of `choices` -> int (index) */
    NA_KV_LIST,   /**< comma-separated words from `choices` -> unsigned bitmask */
    NA_KV_NAMES,  /**< comma-separated names -> apr_array_header_t * of const char * */
    NA_KV_HOST    /**< cookie domain: host name, optional leading dot -> const char * */
} na_kv_type_e;

/** One accepted key of a key=value directive. */
typedef struct na_kv_spec_t {
    const char *key;
    na_kv_type_e type;
    const char *const *choices; /**< NULL-terminated, for ENUM and LIST */
    unsigned applies;           /**< bitmask of subject kinds the key is valid for; 0 = all */
    size_t offset;              /**< where the value goes in the target struct */
} na_kv_spec_t;

/** One call of na_kv_parse: which directive, for what, with which table. */
typedef struct na_kv_call_t {
    const char *directive;    /**< e.g. "NextAuthProvider" */
    const char *subject;      /**< e.g. the provider id; NULL when none */
    const na_kv_spec_t *spec; /**< terminated by an entry with key NULL */
    unsigned kind;            /**< the subject's kind bit, matched against `applies` */
    const char *kind_name;    /**< e.g. "oauth", for "does not apply to" messages */
    const char **warning;     /**< NULL, or receives the first NA_KV_SECRET value's
                                   na_secret_warning ("KEY: text", from p) */
} na_kv_call_t;

/**
 * Split a directive's raw argument line into words. A word may be quoted as a whole
 * ("a b") or after its '=' (name="Staff login"); \" and \\ escape inside quotes.
 * Words are allocated from p. Returns NULL, or an error message (unbalanced quote).
 */
const char *na_kv_tokenize(apr_pool_t *p, const char *line, apr_array_header_t **out);

/**
 * Parse key=value words against call->spec into target. Validates every word before it
 * assigns anything, so a rejected line leaves target untouched. `seen`, when not NULL,
 * receives a bitmask of the spec indexes that were given. Returns NULL, or a one-line
 * message "<Directive> [subject ]<key>=<value>: <problem>; accepted: <list>" from p.
 * SECRET values are never part of a message.
 */
const char *na_kv_parse(apr_pool_t *p, const na_kv_call_t *call, int argc, const char *const *argv,
                        void *target, apr_uint64_t *seen);

/**
 * The key half of na_kv_parse, for a directive whose values no na_kv_type_e describes
 * (NextAuthRateLimit's N/SECONDS): every word is split at its first '=' and its key
 * matched against call->spec (case-insensitively; `type` and `offset` are not used), with
 * na_kv_parse's messages for a word without '=', an unknown key, a key that does not
 * apply and a key given twice. On success values[i] (one slot per spec entry before the
 * terminator) is the text after '=' of the word naming spec[i], possibly empty and not
 * checked, or NULL when that key was not given; values is untouched on failure. Returns
 * NULL or the message, from p.
 */
const char *na_kv_match(apr_pool_t *p, const na_kv_call_t *call, int argc, const char *const *argv,
                        const char **values);

/** s as a message may echo it: control characters as \xNN, cut after 120 bytes, from p. */
const char *na_kv_echo(apr_pool_t *p, const char *s);

/** Comma-separated list of the keys in spec that apply to kind (0 = all), from p. */
const char *na_kv_accepted(apr_pool_t *p, const na_kv_spec_t *spec, unsigned kind);

/** Checks shared with other parsers: 1 when s is acceptable, else 0. */
int na_kv_is_http_url(apr_pool_t *p, const char *s);
int na_kv_is_local_path(const char *s);
int na_kv_is_color(const char *s);
int na_kv_has_ctl(const char *s);

#endif
