/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "na_claim.h"
#include "na_json.h"

/* Claims for Require nextauth-claim and NextAuthPassClaims (na_claim.h). */

#define NA_CLAIM_MAX_NAME 128
#define NA_CLAIM_MAX_VALUE 4096
#define NA_CLAIM_MAX_DEPTH 8

struct na_claims_t {
    json_t *obj;
};

struct na_claim_rule_t {
    const char *name;
    apr_array_header_t *values; /* const char * */
};

na_claims_t *na_claims_parse(apr_pool_t *p, const char *text)
{
    na_claims_t *c;
    json_t *obj;

    if (text == NULL || (obj = na_json_load(p, text, strlen(text), 0)) == NULL) {
        return NULL;
    }
    c = apr_palloc(p, sizeof(*c));
    c->obj = obj;
    return c;
}

/* A name is parts of [A-Za-z0-9_:-] joined by single dots: "realm_access.roles". */
static int na_claim_name_ok(const char *name)
{
    apr_size_t i, n = strlen(name), depth = 1;

    if (n == 0 || n > NA_CLAIM_MAX_NAME || name[0] == '.' || name[n - 1] == '.') {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char c = name[i];
        if (c == '.') {
            if (name[i + 1] == '.' || ++depth > NA_CLAIM_MAX_DEPTH) {
                return 0;
            }
        }
        else if (!apr_isalnum(c) && c != '_' && c != '-' && c != ':') {
            return 0;
        }
    }
    return 1;
}

/* The member a dotted name points at; NULL when any step is missing or no object. */
static const json_t *na_claim_lookup(const na_claims_t *claims, const char *name)
{
    const json_t *at = claims ? claims->obj : NULL;
    char part[NA_CLAIM_MAX_NAME + 1];

    while (at && *name) {
        apr_size_t n = strcspn(name, ".");
        if (!json_is_object(at) || n > NA_CLAIM_MAX_NAME) {
            return NULL;
        }
        memcpy(part, name, n);
        part[n] = '\0';
        at = json_object_get(at, part);
        name += n + (name[n] == '.');
    }
    return at;
}

/* A scalar as rules and headers compare it: a string as it is, integers and booleans as
 * JSON writes them, reals with 17 digits. NULL for null, objects and arrays. */
static const char *na_claim_scalar_text(const json_t *v, char *buf, apr_size_t n)
{
    if (json_is_string(v)) {
        return json_string_value(v);
    }
    if (json_is_integer(v)) {
        apr_snprintf(buf, n, "%" APR_INT64_T_FMT, (apr_int64_t)json_integer_value(v));
        return buf;
    }
    if (json_is_boolean(v)) {
        return json_is_true(v) ? "true" : "false";
    }
    if (json_is_real(v)) {
        apr_snprintf(buf, n, "%.17g", json_real_value(v));
        return buf;
    }
    return NULL;
}

/* '*' matches any run of characters (none included); everything else itself. */
static int na_claim_glob(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;

    while (*s) {
        if (*pat == '*') {
            star = pat++;
            resume = s;
        }
        else if (*pat == *s) {
            pat++;
            s++;
        }
        else if (star) {
            pat = star + 1;
            s = ++resume;
        }
        else {
            return 0;
        }
    }
    while (*pat == '*') {
        pat++;
    }
    return *pat == '\0';
}

const char *na_claim_rule_parse(apr_pool_t *p, int argc, const char *const *argv,
                                const na_claim_rule_t **out)
{
    na_claim_rule_t *rule;
    int i;

    if (argc < 2) {
        return "needs a claim name and at least one value; accepted: e.g. Require "
               "nextauth-claim groups admins staff";
    }
    if (!na_claim_name_ok(argv[0])) {
        return apr_psprintf(p,
                            "'%s' is no claim name; accepted: letters, digits, '_', '-' and "
                            "':' in parts joined by '.' (realm_access.roles)",
                            argv[0]);
    }
    rule = apr_palloc(p, sizeof(*rule));
    rule->name = apr_pstrdup(p, argv[0]);
    rule->values = apr_array_make(p, argc - 1, sizeof(const char *));
    for (i = 1; i < argc; i++) {
        APR_ARRAY_PUSH(rule->values, const char *) = apr_pstrdup(p, argv[i]);
    }
    *out = rule;
    return NULL;
}

static int na_claim_value_matches(const na_claim_rule_t *rule, const char *value)
{
    int i;

    for (i = 0; value && i < rule->values->nelts; i++) {
        if (na_claim_glob(APR_ARRAY_IDX(rule->values, i, const char *), value)) {
            return 1;
        }
    }
    return 0;
}

int na_claim_rule_match(const na_claim_rule_t *rule, const na_claims_t *claims)
{
    const json_t *v = na_claim_lookup(claims, rule->name);
    char number[32];
    size_t i;

    if (v == NULL) {
        return 0;
    }
    if (!json_is_array(v)) {
        return na_claim_value_matches(rule, na_claim_scalar_text(v, number, sizeof(number)));
    }
    for (i = 0; i < json_array_size(v); i++) {
        const json_t *e = json_array_get(v, i);
        if (na_claim_value_matches(rule, na_claim_scalar_text(e, number, sizeof(number)))) {
            return 1;
        }
    }
    return 0;
}

const char *na_claim_list_parse(apr_pool_t *p, int argc, const char *const *argv,
                                apr_array_header_t **names)
{
    apr_array_header_t *list = apr_array_make(p, 4, sizeof(const char *));
    int i, j;

    for (i = 0; i < argc; i++) {
        char *rest = apr_pstrdup(p, argv[i]), *item, *state = NULL;
        if (*rest == '\0' || rest[0] == ',' || rest[strlen(rest) - 1] == ','
            || strstr(rest, ",,")) {
            return apr_psprintf(p, "'%s': an empty name; accepted: NAME[,NAME...]", argv[i]);
        }
        for (item = apr_strtok(rest, ",", &state); item; item = apr_strtok(NULL, ",", &state)) {
            if (!na_claim_name_ok(item)) {
                return apr_psprintf(p,
                                    "'%s' is no claim name; accepted: letters, digits, '_', "
                                    "'-' and ':' in parts joined by '.' (realm_access.roles)",
                                    item);
            }
            for (j = 0; j < list->nelts && strcmp(APR_ARRAY_IDX(list, j, const char *), item);
                 j++) {
            }
            if (j == list->nelts) {
                APR_ARRAY_PUSH(list, const char *) = item;
            }
        }
    }
    if (list->nelts == 0) {
        return "no claim name; accepted: NAME[,NAME...], e.g. email,groups";
    }
    *names = list;
    return NULL;
}

/* Control characters would split a header or a CGI variable: spaces instead. */
static void na_claim_clean(char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            *s = ' ';
        }
    }
}

/* Append ",text" (or "text" first) to out, never past NA_CLAIM_MAX_VALUE bytes. */
static void na_claim_append(char *out, apr_size_t *len, const char *text)
{
    apr_size_t n = strlen(text), sep = *len ? 1 : 0, room;

    if (*len + sep >= NA_CLAIM_MAX_VALUE) {
        return;
    }
    room = NA_CLAIM_MAX_VALUE - *len - sep;
    n = n < room ? n : room;
    if (sep) {
        out[(*len)++] = ',';
    }
    memcpy(out + *len, text, n);
    *len += n;
    out[*len] = '\0';
}

const char *na_claim_value(apr_pool_t *p, const na_claims_t *claims, const char *name)
{
    const json_t *v = na_claim_lookup(claims, name);
    char number[32], *out;
    apr_size_t len = 0, i;
    const char *text;

    if (v == NULL) {
        return NULL;
    }
    if (!json_is_array(v)) {
        if ((text = na_claim_scalar_text(v, number, sizeof(number))) == NULL) {
            return NULL;
        }
        out = apr_pstrndup(p, text, NA_CLAIM_MAX_VALUE);
        na_claim_clean(out);
        return out;
    }
    out = apr_palloc(p, NA_CLAIM_MAX_VALUE + 1);
    out[0] = '\0';
    for (i = 0; i < json_array_size(v); i++) {
        if ((text = na_claim_scalar_text(json_array_get(v, i), number, sizeof(number))) != NULL) {
            na_claim_append(out, &len, text);
        }
    }
    na_claim_clean(out);
    return out;
}

const char *na_claim_header_name(apr_pool_t *p, const char *name)
{
    char *out = apr_pstrcat(p, "X-NextAuth-Claim-", name, NULL);
    char *c = out + strlen("X-NextAuth-Claim-");
    int start = 1;

    for (; *c; c++) {
        if (*c == '.' || *c == '_') {
            *c = '-';
        }
        *c = start ? (char)apr_toupper(*c) : (char)apr_tolower(*c);
        start = *c == '-' || *c == ':';
    }
    return out;
}

const char *na_claim_env_name(apr_pool_t *p, const char *name)
{
    char *out = apr_pstrcat(p, "NEXTAUTH_CLAIM_", name, NULL);
    char *c;

    for (c = out + strlen("NEXTAUTH_CLAIM_"); *c; c++) {
        *c = apr_isalnum(*c) ? (char)apr_toupper(*c) : '_';
    }
    return out;
}
