/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_json_compact.h"

#define NA_JSON_COMPACT_MAX_DEPTH 64

typedef struct na_jw_t {
    apr_pool_t *p;
    char *s;
    apr_size_t len;
    apr_size_t cap;
} na_jw_t;

static void na_jw_put(na_jw_t *w, const char *s, apr_size_t n)
{
    if (w->len + n > w->cap) {
        apr_size_t cap = (w->cap + n) * 2;
        char *grown = apr_palloc(w->p, cap);

        memcpy(grown, w->s, w->len);
        w->s = grown;
        w->cap = cap;
    }
    memcpy(w->s + w->len, s, n);
    w->len += n;
}

apr_size_t na_json_int_text(char buf[21], apr_int64_t v)
{
    char digits[20];
    apr_uint64_t u = v < 0 ? 0 - (apr_uint64_t)v : (apr_uint64_t)v;
    apr_size_t n = 0, len = 0;

    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        buf[len++] = '-';
    }
    while (n) {
        buf[len++] = digits[--n];
    }
    return len;
}

/* One character as jansson escapes it: the short forms, else \u00XX (upper case). */
static void na_jw_escape(na_jw_t *w, unsigned char ch)
{
    static const char hex[] = "0123456789ABCDEF";
    char u[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
    const char *named = ch == '"'    ? "\\\""
                        : ch == '\\' ? "\\\\"
                        : ch == '\b' ? "\\b"
                        : ch == '\f' ? "\\f"
                        : ch == '\n' ? "\\n"
                        : ch == '\r' ? "\\r"
                        : ch == '\t' ? "\\t"
                                     : NULL;

    na_jw_put(w, named ? named : u, named ? 2 : sizeof(u));
}

/* jansson's escaping without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH: its strings are
 * valid UTF-8, so bytes >= 0x80 pass as they are. */
static void na_jw_string(na_jw_t *w, const char *s, apr_size_t n)
{
    apr_size_t i, run = 0;

    na_jw_put(w, "\"", 1);
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            continue;
        }
        na_jw_put(w, s + run, i - run);
        na_jw_escape(w, ch);
        run = i + 1;
    }
    na_jw_put(w, s + run, n - run);
    na_jw_put(w, "\"", 1);
}

static int na_jw_value(na_jw_t *w, const json_t *v, int depth);

#define NA_JW_MAX_OVER 8

/* The JSON given for the member `key` (klen bytes), which is then marked used; else NULL. */
static const char *na_jw_override(const na_json_member_t *over, int nover, int *used,
                                  const char *key, apr_size_t klen)
{
    int i;

    for (i = 0; i < nover; i++) {
        if (strlen(over[i].key) == klen && memcmp(over[i].key, key, klen) == 0) {
            used[i] = 1;
            return over[i].json;
        }
    }
    return NULL;
}

/* '{' before the first member, ',' before the others, then "key":. */
static void na_jw_key(na_jw_t *w, int *members, const char *key, apr_size_t klen)
{
    na_jw_put(w, (*members)++ ? "," : "{", 1);
    na_jw_string(w, key, klen);
    na_jw_put(w, ":", 1);
}

static int na_jw_object(na_jw_t *w, const json_t *obj, const na_json_member_t *over, int nover,
                        int depth)
{
    int i, members = 0, used[NA_JW_MAX_OVER] = {0};
    void *it;

    if (nover > NA_JW_MAX_OVER) {
        return 0;
    }
    for (it = json_object_iter((json_t *)obj); it; it = json_object_iter_next((json_t *)obj, it)) {
        const char *key = json_object_iter_key(it);
        apr_size_t klen = json_object_iter_key_len(it);
        const char *text = na_jw_override(over, nover, used, key, klen);

        na_jw_key(w, &members, key, klen);
        if (text) {
            na_jw_put(w, text, strlen(text));
        }
        else if (!na_jw_value(w, json_object_iter_value(it), depth + 1)) {
            return 0;
        }
    }
    for (i = 0; i < nover; i++) {
        if (!used[i]) {
            na_jw_key(w, &members, over[i].key, strlen(over[i].key));
            na_jw_put(w, over[i].json, strlen(over[i].json));
        }
    }
    na_jw_put(w, members ? "}" : "{}", members ? 1 : 2);
    return 1;
}

static int na_jw_array(na_jw_t *w, const json_t *arr, int depth)
{
    size_t i, n = json_array_size(arr);

    na_jw_put(w, "[", 1);
    for (i = 0; i < n; i++) {
        if (i) {
            na_jw_put(w, ",", 1);
        }
        if (!na_jw_value(w, json_array_get(arr, i), depth + 1)) {
            return 0;
        }
    }
    na_jw_put(w, "]", 1);
    return 1;
}

static int na_jw_value(na_jw_t *w, const json_t *v, int depth)
{
    char digits[21];

    if (depth > NA_JSON_COMPACT_MAX_DEPTH) {
        return 0;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return na_jw_object(w, v, NULL, 0, depth);
    case JSON_ARRAY:
        return na_jw_array(w, v, depth);
    case JSON_STRING:
        na_jw_string(w, json_string_value(v), json_string_length(v));
        return 1;
    case JSON_INTEGER:
        na_jw_put(w, digits, na_json_int_text(digits, json_integer_value(v)));
        return 1;
    case JSON_TRUE:
        na_jw_put(w, "true", 4);
        return 1;
    case JSON_FALSE:
        na_jw_put(w, "false", 5);
        return 1;
    case JSON_NULL:
        na_jw_put(w, "null", 4);
        return 1;
    default: /* JSON_REAL: jansson's %.17g and its ".0" rules are its own */
        return 0;
    }
}

char *na_json_compact(apr_pool_t *p, const json_t *obj, const na_json_member_t *over, int nover,
                      apr_size_t *len)
{
    na_jw_t w = {p, NULL, 0, 512};

    if (!json_is_object(obj)) {
        return NULL;
    }
    w.s = apr_palloc(p, w.cap);
    if (!na_jw_object(&w, obj, over, nover, 0)) {
        return NULL;
    }
    na_jw_put(&w, "", 1);
    *len = w.len - 1;
    return w.s;
}
