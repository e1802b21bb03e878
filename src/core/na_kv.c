/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <ctype.h>
#include <string.h>

#include <apr_lib.h>
#include <apr_uri.h>

#include "na_kv.h"
#include "na_secret.h"

#define NA_KV_MAX_SECONDS 315360000 /* ten years */
#define NA_KV_ECHO_MAX 120

/* One validated value, held until every word of the line has passed. */
typedef struct na_kv_value_t {
    const na_kv_spec_t *spec;
    const char *str;
    apr_int64_t num;
    apr_array_header_t *names;
} na_kv_value_t;

int na_kv_has_ctl(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            return 1;
        }
    }
    return 0;
}

const char *na_kv_echo(apr_pool_t *p, const char *s)
{
    apr_size_t n = strlen(s), i, o = 0;
    char *out = apr_palloc(p, 4 * (n < NA_KV_ECHO_MAX ? n : NA_KV_ECHO_MAX) + 4);

    for (i = 0; i < n && i < NA_KV_ECHO_MAX; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            o += (apr_size_t)apr_snprintf(out + o, 5, "\\x%02x", c);
        }
        else {
            out[o++] = (char)c;
        }
    }
    if (i < n) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

static const char *na_kv_read_quoted(const char **pos, char *out, apr_size_t *o)
{
    const char *s = *pos + 1;

    while (*s && *s != '"') {
        if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) {
            s++;
        }
        out[(*o)++] = *s++;
    }
    if (*s != '"') {
        return "unbalanced quote";
    }
    *pos = s + 1;
    return NULL;
}

const char *na_kv_tokenize(apr_pool_t *p, const char *line, apr_array_header_t **out)
{
    apr_array_header_t *words = apr_array_make(p, 8, sizeof(const char *));
    const char *s = line;
    const char *msg;

    while (*s) {
        char *word;
        apr_size_t o = 0;

        while (*s && apr_isspace(*s)) {
            s++;
        }
        if (*s == '\0') {
            break;
        }
        word = apr_palloc(p, strlen(s) + 1);
        while (*s && !apr_isspace(*s)) {
            if (*s == '"') {
                if ((msg = na_kv_read_quoted(&s, word, &o)) != NULL) {
                    return msg;
                }
                continue;
            }
            word[o++] = *s++;
        }
        word[o] = '\0';
        APR_ARRAY_PUSH(words, const char *) = word;
    }
    *out = words;
    return NULL;
}

int na_kv_is_http_url(apr_pool_t *p, const char *s)
{
    apr_uri_t uri;

    if (na_kv_has_ctl(s) || strchr(s, '\\') || strchr(s, ' ')) {
        return 0;
    }
    if (apr_uri_parse(p, s, &uri) != APR_SUCCESS || uri.scheme == NULL || uri.hostname == NULL
        || *uri.hostname == '\0') {
        return 0;
    }
    if (strcasecmp(uri.scheme, "http") != 0 && strcasecmp(uri.scheme, "https") != 0) {
        return 0;
    }
    if (uri.user || uri.password || uri.fragment || strncmp(s + strlen(uri.scheme), "://", 3)) {
        return 0;
    }
    return 1;
}

int na_kv_is_local_path(const char *s)
{
    /* "//host" and "/\host" are network paths to a browser, not local ones. */
    if (s[0] != '/' || s[1] == '/' || s[1] == '\\') {
        return 0;
    }
    return !na_kv_has_ctl(s) && !strchr(s, '\\') && !strchr(s, ' ') && !strchr(s, '#');
}

int na_kv_is_color(const char *s)
{
    apr_size_t n = strlen(s), i;

    if (s[0] != '#' || (n != 4 && n != 5 && n != 7 && n != 9)) {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if (!apr_isxdigit(s[i])) {
            return 0;
        }
    }
    return 1;
}

static int na_kv_is_host(const char *s)
{
    const char *h = (*s == '.') ? s + 1 : s;

    if (*h == '\0' || *h == '.' || strstr(h, "..") || h[strlen(h) - 1] == '.') {
        return 0;
    }
    for (; *h; h++) {
        if (!apr_isalnum(*h) && *h != '-' && *h != '.') {
            return 0;
        }
    }
    return 1;
}

static int na_kv_is_name(const char *s)
{
    if (*s == '\0') {
        return 0;
    }
    for (; *s; s++) {
        if (!apr_isalnum(*s) && *s != '-' && *s != '_') {
            return 0;
        }
    }
    return 1;
}

static const char *na_kv_choices(apr_pool_t *p, const char *const *choices)
{
    const char *list = NULL;

    for (; *choices; choices++) {
        list = list ? apr_pstrcat(p, list, ", ", *choices, NULL) : *choices;
    }
    return list ? list : "";
}

const char *na_kv_accepted(apr_pool_t *p, const na_kv_spec_t *spec, unsigned kind)
{
    const char *list = NULL;

    for (; spec->key; spec++) {
        if (kind && spec->applies && !(spec->applies & kind)) {
            continue;
        }
        list = list ? apr_pstrcat(p, list, ", ", spec->key, NULL) : spec->key;
    }
    return list ? list : "";
}

static int na_kv_choice_index(const char *const *choices, const char *word)
{
    int i;

    for (i = 0; choices[i]; i++) {
        if (strcasecmp(choices[i], word) == 0) {
            return i;
        }
    }
    return -1;
}

/* Comma-separated words: bitmask of choices (LIST) or an array of names (NAMES). */
static const char *na_kv_check_list(apr_pool_t *p, const char *value, na_kv_value_t *v)
{
    char *copy = apr_pstrdup(p, value), *last = NULL, *word;
    int index;

    v->names = apr_array_make(p, 4, sizeof(const char *));
    for (word = apr_strtok(copy, ",", &last); word; word = apr_strtok(NULL, ",", &last)) {
        if (v->spec->type == NA_KV_NAMES) {
            if (!na_kv_is_name(word)) {
                return apr_psprintf(p,
                                    "'%s' is not a name; accepted: letters, digits, '-' "
                                    "and '_'",
                                    na_kv_echo(p, word));
            }
            APR_ARRAY_PUSH(v->names, const char *) = word;
            continue;
        }
        if ((index = na_kv_choice_index(v->spec->choices, word)) < 0) {
            return apr_psprintf(p, "'%s' is not accepted; accepted: %s", na_kv_echo(p, word),
                                na_kv_choices(p, v->spec->choices));
        }
        v->num |= (apr_int64_t)1 << index;
    }
    if (v->names->nelts == 0 && v->spec->type == NA_KV_NAMES) {
        return "an empty list; accepted: comma-separated names";
    }
    /* "checks=," must not quietly turn every OAuth check off. */
    if (v->num == 0 && v->spec->type == NA_KV_LIST) {
        return apr_psprintf(p, "an empty list; accepted: comma-separated values from %s",
                            na_kv_choices(p, v->spec->choices));
    }
    return NULL;
}

static const char *na_kv_check_uint(apr_pool_t *p, const char *value, na_kv_value_t *v)
{
    const char *s;

    (void)p;
    for (s = value; *s; s++) {
        if (!apr_isdigit(*s)) {
            break;
        }
    }
    if (*s || s - value > 9 || (v->num = apr_atoi64(value)) < 1 || v->num > NA_KV_MAX_SECONDS) {
        return "not a whole number of seconds; accepted: 1 to 315360000";
    }
    return NULL;
}

/* Returns NULL when value suits spec (and fills v), else the problem. */
static const char *na_kv_check(apr_pool_t *p, const char *value, na_kv_value_t *v)
{
    int index;

    v->str = value;
    switch (v->spec->type) {
    case NA_KV_SECRET:
        return na_secret_resolve(p, value, &v->str);
    case NA_KV_STRING:
        return na_kv_has_ctl(value) ? "contains control characters" : NULL;
    case NA_KV_URL:
        return na_kv_is_http_url(p, value) ? NULL
                                           : "not an absolute URL; accepted: http:// or https:// "
                                             "URL without user or fragment";
    case NA_KV_PATH:
        return na_kv_is_local_path(value)
                   ? NULL
                   : "not a local path; accepted: a path on this site starting with a single '/'";
    case NA_KV_IMAGE:
        return (na_kv_is_local_path(value) || na_kv_is_http_url(p, value))
                   ? NULL
                   : "not an image address; accepted: a local path or an http(s) URL";
    case NA_KV_COLOR:
        return na_kv_is_color(value) ? NULL
                                     : "not a colour; accepted: #rgb, #rgba, #rrggbb or #rrggbbaa";
    case NA_KV_HOST:
        return na_kv_is_host(value) ? NULL : "not a host name; accepted: e.g. example.com";
    case NA_KV_UINT:
        return na_kv_check_uint(p, value, v);
    case NA_KV_ENUM:
        if ((index = na_kv_choice_index(v->spec->choices, value)) < 0) {
            return apr_pstrcat(p, "accepted: ", na_kv_choices(p, v->spec->choices), NULL);
        }
        v->num = index;
        return NULL;
    case NA_KV_LIST:
    case NA_KV_NAMES:
        return na_kv_check_list(p, value, v);
    }
    return "unsupported key type";
}

static void na_kv_assign(void *target, const na_kv_value_t *v)
{
    char *field = (char *)target + v->spec->offset;

    switch (v->spec->type) {
    case NA_KV_UINT:
        *(apr_int64_t *)field = v->num;
        break;
    case NA_KV_ENUM:
        *(int *)field = (int)v->num;
        break;
    case NA_KV_LIST:
        *(unsigned *)field = (unsigned)v->num;
        break;
    case NA_KV_NAMES:
        *(apr_array_header_t **)field = v->names;
        break;
    default:
        *(const char **)field = v->str;
        break;
    }
}

/* What a type accepts, for the problems that do not say it themselves (an empty value,
 * a control character, a secret file that cannot be read): every message ends with
 * "accepted: ...", as STYLE 2.5 asks. */
static const char *na_kv_hint(apr_pool_t *p, const na_kv_spec_t *spec)
{
    switch (spec->type) {
    case NA_KV_SECRET:
        return "a literal value, file:PATH or env:NAME";
    case NA_KV_URL:
        return "http:// or https:// URL without user or fragment";
    case NA_KV_PATH:
        return "a path on this site starting with a single '/'";
    case NA_KV_COLOR:
        return "#rgb, #rgba, #rrggbb or #rrggbbaa";
    case NA_KV_IMAGE:
        return "a local path or an http(s) URL";
    case NA_KV_UINT:
        return "1 to 315360000";
    case NA_KV_ENUM:
    case NA_KV_LIST:
        return na_kv_choices(p, spec->choices);
    case NA_KV_NAMES:
        return "comma-separated names of letters, digits, '-' and '_'";
    case NA_KV_HOST:
        return "a host name such as example.com";
    default:
        return "text without control characters";
    }
}

static const char *na_kv_head(apr_pool_t *p, const na_kv_call_t *call)
{
    return call->subject ? apr_pstrcat(p, call->directive, " ", call->subject, NULL)
                         : call->directive;
}

/* A secret read from a file every local user can read is accepted, and reported to the
 * caller, which warns (core reports; glue logs). */
static void na_kv_secret_warning(apr_pool_t *p, const na_kv_call_t *call, const na_kv_value_t *v,
                                 const char *value)
{
    const char *text;

    if (v->spec->type != NA_KV_SECRET || call->warning == NULL || *call->warning != NULL) {
        return;
    }
    if ((text = na_secret_warning(p, value)) != NULL) {
        *call->warning = apr_pstrcat(p, v->spec->key, ": ", text, NULL);
    }
}

static apr_size_t na_kv_spec_count(const na_kv_spec_t *spec)
{
    apr_size_t n = 0;

    while (spec[n].key) {
        n++;
    }
    return n;
}

/* The key half of one word: its spec index into *index and its value (unchecked) into
 * *value, or the message. Shared by na_kv_parse and na_kv_match, so that every
 * key=value directive splits its words and names its keys the same way. */
static const char *na_kv_word_key(apr_pool_t *p, const na_kv_call_t *call, const char *word,
                                  int *index, const char **value, apr_uint64_t *given)
{
    const char *eq = strchr(word, '=');
    const na_kv_spec_t *spec;
    const char *key;
    int i;

    if (eq == NULL || eq == word) {
        return apr_psprintf(p, "%s: '%s' is not key=value; accepted keys: %s", na_kv_head(p, call),
                            na_kv_echo(p, word), na_kv_accepted(p, call->spec, call->kind));
    }
    key = apr_pstrmemdup(p, word, (apr_size_t)(eq - word));
    for (i = 0; call->spec[i].key && strcasecmp(call->spec[i].key, key); i++) {
    }
    spec = &call->spec[i];
    if (spec->key == NULL) {
        return apr_psprintf(p, "%s: unknown key '%s'; accepted: %s", na_kv_head(p, call),
                            na_kv_echo(p, key), na_kv_accepted(p, call->spec, call->kind));
    }
    if (spec->applies && call->kind && !(spec->applies & call->kind)) {
        return apr_psprintf(p, "%s: key '%s' does not apply to %s providers; accepted: %s",
                            na_kv_head(p, call), spec->key, call->kind_name,
                            na_kv_accepted(p, call->spec, call->kind));
    }
    if (*given & ((apr_uint64_t)1 << i)) {
        return apr_psprintf(p, "%s: key '%s' is given twice; accepted: each key once",
                            na_kv_head(p, call), spec->key);
    }
    *given |= (apr_uint64_t)1 << i;
    *index = i;
    *value = eq + 1;
    return NULL;
}

/* Checks one word; fills v, or returns the message. */
static const char *na_kv_word(apr_pool_t *p, const na_kv_call_t *call, const char *word,
                              na_kv_value_t *v, apr_uint64_t *given)
{
    const char *value, *problem;
    int i;

    if ((problem = na_kv_word_key(p, call, word, &i, &value, given)) != NULL) {
        return problem;
    }
    v->spec = &call->spec[i];
    problem = *value == '\0' ? "an empty value" : na_kv_check(p, value, v);
    if (problem == NULL) {
        na_kv_secret_warning(p, call, v, value);
        return NULL;
    }
    if (strstr(problem, "accepted: ") == NULL) {
        problem = apr_pstrcat(p, problem, "; accepted: ", na_kv_hint(p, v->spec), NULL);
    }
    if (v->spec->type == NA_KV_SECRET) {
        return apr_psprintf(p, "%s %s: %s", na_kv_head(p, call), v->spec->key, problem);
    }
    return apr_psprintf(p, "%s %s='%s': %s", na_kv_head(p, call), v->spec->key,
                        na_kv_echo(p, value), problem);
}

const char *na_kv_parse(apr_pool_t *p, const na_kv_call_t *call, int argc, const char *const *argv,
                        void *target, apr_uint64_t *seen)
{
    na_kv_value_t *values = apr_pcalloc(p, sizeof(*values) * (apr_size_t)(argc ? argc : 1));
    apr_uint64_t given = 0;
    const char *msg;
    int i;

    for (i = 0; i < argc; i++) {
        if ((msg = na_kv_word(p, call, argv[i], &values[i], &given)) != NULL) {
            return msg;
        }
    }
    for (i = 0; i < argc; i++) {
        na_kv_assign(target, &values[i]);
    }
    if (seen) {
        *seen = given;
    }
    return NULL;
}

const char *na_kv_match(apr_pool_t *p, const na_kv_call_t *call, int argc, const char *const *argv,
                        const char **values)
{
    const char **found = apr_pcalloc(p, sizeof(*found) * na_kv_spec_count(call->spec));
    apr_uint64_t given = 0;
    const char *msg, *value;
    int i, index;

    for (i = 0; i < argc; i++) {
        if ((msg = na_kv_word_key(p, call, argv[i], &index, &value, &given)) != NULL) {
            return msg;
        }
        found[index] = value;
    }
    memcpy(values, found, sizeof(*found) * na_kv_spec_count(call->spec));
    return NULL;
}
