/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_lib.h>
#include <jansson.h>

#include "na_claim.h"
#include "na_directives.h"
#include "na_http.h"
#include "na_json.h"

/* Claims for Require nextauth-claim and NextAuthPassClaims (na_claim.h). */

/* Longest claim name accepted in a directive, and most names one NextAuthPassClaims
 * passes on: far beyond any real claim, small enough to bound a request's work. */
#define NA_CLAIM_MAX_NAME 128
#define NA_CLAIM_MAX_LIST 64
/* Longest value passed on (header and env alike); longer ones are cut. */
#define NA_CLAIM_MAX_VALUE 4096

#define NA_CLAIM_HEADER_PREFIX "X-NextAuth-Claim-"
#define NA_CLAIM_ENV_PREFIX "NEXTAUTH_CLAIM_"

#define NA_CLAIM_REQUIRE "Require nextauth-claim"
#define NA_CLAIM_PASS NA_DIR_PASS_CLAIMS
#define NA_CLAIM_NAME_RULE "a claim name of letters, digits, '_' and '-'"

struct na_claims_t {
    json_t *obj;
};

struct na_claim_rule_t {
    const char *name;
    int nvalues;
    const char *const *values;
};

na_claims_t *na_claims_parse(apr_pool_t *p, const char *text)
{
    na_claims_t *claims;
    json_t *obj;

    if (text == NULL || (obj = na_json_load(p, text, strlen(text), 0)) == NULL) {
        return NULL;
    }
    claims = apr_palloc(p, sizeof(*claims));
    claims->obj = obj;
    return claims;
}

/* ---- names ----------------------------------------------------------------------------- */

/* A refused word as a message may show it: one line of printable ASCII. */
static const char *na_claim_echo(apr_pool_t *p, const char *word)
{
    return na_http_log_safe(p, word, 200);
}

/* 1 when c may stand in a name part; ':' only in a Require rule (URN-style claim names),
 * never in a name passed on, where it would end the header name. */
static int na_claim_name_char(char c, int colon)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
           || c == '-' || (colon && c == ':');
}

/* 1 when name is non-empty parts of name characters joined by single dots. */
static int na_claim_name_ok(const char *name, int colon)
{
    apr_size_t i, len = strlen(name);

    if (len == 0 || len > NA_CLAIM_MAX_NAME || name[0] == '.' || name[len - 1] == '.') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (name[i] == '.' ? name[i + 1] == '.' : !na_claim_name_char(name[i], colon)) {
            return 0;
        }
    }
    return 1;
}

/* The value at a '.'-nested name: each part but the last must name an object. */
static const json_t *na_claim_lookup(const na_claims_t *claims, const char *name)
{
    const json_t *v = claims ? claims->obj : NULL;
    char part[NA_CLAIM_MAX_NAME + 1];

    while (v != NULL && *name) {
        apr_size_t n = strcspn(name, ".");
        if (!json_is_object(v) || n > NA_CLAIM_MAX_NAME) {
            return NULL;
        }
        memcpy(part, name, n);
        part[n] = '\0';
        v = json_object_get(v, part);
        name += n + (name[n] == '.');
    }
    return v;
}

/* Room for the text of any number (a 64-bit integer, or %.17g of a double). */
#define NA_CLAIM_NUM_TEXT 32

/* The shortest %g text that reads back as d: what a JavaScript IdP wrote (1.5, 0.1, 1e+21),
 * where jansson's 17 digits would turn 0.1 into 0.10000000000000001. */
static const char *na_claim_real_text(char buf[NA_CLAIM_NUM_TEXT], double d)
{
    int prec;

    for (prec = 1; prec < 17; prec++) {
        snprintf(buf, NA_CLAIM_NUM_TEXT, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) {
            return buf;
        }
    }
    snprintf(buf, NA_CLAIM_NUM_TEXT, "%.17g", d);
    return buf;
}

/* The JSON text a scalar compares and passes as: a string as is, a number or boolean as
 * JSON writes it ("true", "42", "1.5"; numbers into buf). NULL for null, arrays and
 * objects. */
static const char *na_claim_scalar_text(char buf[NA_CLAIM_NUM_TEXT], const json_t *v)
{
    if (json_is_string(v)) {
        return json_string_value(v);
    }
    if (json_is_true(v) || json_is_false(v)) {
        return json_is_true(v) ? "true" : "false";
    }
    if (json_is_integer(v)) {
        snprintf(buf, NA_CLAIM_NUM_TEXT, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
    }
    return json_is_real(v) ? na_claim_real_text(buf, json_real_value(v)) : NULL;
}

/* ---- rules ----------------------------------------------------------------------------- */

/* '*' matches any run of characters (none too); every other character only itself. Not
 * fnmatch(3): '?', '[' and '\' are literal in a group name. Greedy with one backtrack
 * point, so the work is at most len(s) * len(pattern). */
static int na_claim_glob(const char *pattern, const char *s)
{
    const char *star = NULL, *resume = NULL;

    while (*s) {
        if (*pattern == '*') {
            star = pattern++;
            resume = s;
        }
        else if (*pattern == *s) {
            pattern++;
            s++;
        }
        else if (star) {
            pattern = star + 1;
            s = ++resume;
        }
        else {
            return 0;
        }
    }
    while (*pattern == '*') {
        pattern++;
    }
    return *pattern == '\0';
}

const char *na_claim_rule_parse(apr_pool_t *p, int argc, const char *const *argv,
                                const na_claim_rule_t **out)
{
    na_claim_rule_t *rule;
    const char **values;
    int i;

    *out = NULL;
    if (argc < 2) {
        return NA_CLAIM_REQUIRE " needs a claim name and a value; accepted: NAME VALUE... "
                                "(such as: groups admins)";
    }
    if (!na_claim_name_ok(argv[0], 1)) {
        return apr_psprintf(p,
                            NA_CLAIM_REQUIRE " '%s': accepted: " NA_CLAIM_NAME_RULE
                                             ", ':' too, with '.' between nested names",
                            na_claim_echo(p, argv[0]));
    }
    rule = apr_palloc(p, sizeof(*rule));
    rule->name = apr_pstrdup(p, argv[0]);
    rule->nvalues = argc - 1;
    values = apr_palloc(p, sizeof(const char *) * (apr_size_t)(argc - 1));
    for (i = 1; i < argc; i++) {
        values[i - 1] = apr_pstrdup(p, argv[i]);
    }
    rule->values = values;
    *out = rule;
    return NULL;
}

static int na_claim_rule_match_scalar(const na_claim_rule_t *rule, const json_t *v)
{
    char buf[NA_CLAIM_NUM_TEXT];
    const char *text = na_claim_scalar_text(buf, v);
    int i;

    for (i = 0; text && i < rule->nvalues; i++) {
        if (na_claim_glob(rule->values[i], text)) {
            return 1;
        }
    }
    return 0;
}

int na_claim_rule_match(const na_claim_rule_t *rule, const na_claims_t *claims)
{
    const json_t *v, *item;
    size_t i;

    if (rule == NULL || (v = na_claim_lookup(claims, rule->name)) == NULL) {
        return 0;
    }
    if (!json_is_array(v)) {
        return na_claim_rule_match_scalar(rule, v);
    }
    json_array_foreach(v, i, item)
    {
        if (na_claim_rule_match_scalar(rule, item)) {
            return 1;
        }
    }
    return 0;
}

/* ---- NextAuthPassClaims ---------------------------------------------------------------- */

/* Names equal once '.', '_' and '-' are one character and case is ignored: they would
 * pass as the same header (and the same env variable), one hiding the other. */
static int na_claim_same_header(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int sep_a = *a == '.' || *a == '_' || *a == '-',
            sep_b = *b == '.' || *b == '_' || *b == '-';
        if (sep_a != sep_b || (!sep_a && apr_tolower(*a) != apr_tolower(*b))) {
            return 0;
        }
    }
    return *a == *b;
}

/* Add one item of the list; NULL, or the message refusing it. */
static const char *na_claim_list_add(apr_pool_t *p, apr_array_header_t *names, const char *name)
{
    int i;

    if (!na_claim_name_ok(name, 0)) {
        return apr_psprintf(p,
                            NA_CLAIM_PASS " '%s': accepted: " NA_CLAIM_NAME_RULE
                                          ", with '.' between nested names, separated by commas",
                            na_claim_echo(p, name));
    }
    for (i = 0; i < names->nelts; i++) {
        const char *seen = APR_ARRAY_IDX(names, i, const char *);
        if (strcmp(seen, name) == 0) {
            return NULL; /* named twice: passed once */
        }
        if (na_claim_same_header(seen, name)) {
            return apr_psprintf(p,
                                NA_CLAIM_PASS " '%s' and '%s' would pass as one header; "
                                              "accepted: names that differ in more than "
                                              "case or '.', '_', '-'",
                                seen, name);
        }
    }
    if (names->nelts >= NA_CLAIM_MAX_LIST) {
        return apr_psprintf(p, NA_CLAIM_PASS " '%s': more than %d claims; accepted: at most %d",
                            na_claim_echo(p, name), NA_CLAIM_MAX_LIST, NA_CLAIM_MAX_LIST);
    }
    APR_ARRAY_PUSH(names, const char *) = name;
    return NULL;
}

#define NA_CLAIM_SPACE " \t"

/* One comma-separated item: one or more names separated by spaces (a quoted word such as
 * "name, groups" holds both); an item of nothing but spaces is refused. */
static const char *na_claim_list_item(apr_pool_t *p, apr_array_header_t *names, const char *word,
                                      const char *item, apr_size_t len)
{
    const char *end = item + len, *msg;

    item += strspn(item, NA_CLAIM_SPACE);
    if (item >= end) {
        return apr_psprintf(p,
                            NA_CLAIM_PASS " '%s': empty name; accepted: names separated by "
                                          "commas, such as name,groups",
                            na_claim_echo(p, word));
    }
    while (item < end) {
        apr_size_t n = strcspn(item, NA_CLAIM_SPACE);
        n = item + n > end ? (apr_size_t)(end - item) : n;
        if ((msg = na_claim_list_add(p, names, apr_pstrmemdup(p, item, n))) != NULL) {
            return msg;
        }
        item += n;
        item += strspn(item, NA_CLAIM_SPACE);
    }
    return NULL;
}

/* The comma-separated items of the directive's words joined by spaces. */
static const char *na_claim_list_word(apr_pool_t *p, apr_array_header_t *names, const char *word)
{
    const char *item = word, *msg;

    for (;;) {
        apr_size_t n = strcspn(item, ",");
        if ((msg = na_claim_list_item(p, names, word, item, n)) != NULL) {
            return msg;
        }
        if (item[n] == '\0') {
            return NULL;
        }
        item += n + 1;
    }
}

const char *na_claim_list_parse(apr_pool_t *p, int argc, const char *const *argv,
                                apr_array_header_t **names)
{
    apr_array_header_t *list = apr_array_make(p, 4, sizeof(const char *));
    const char *line = "", *msg;
    int i;

    *names = NULL;
    if (argc < 1) {
        return NA_CLAIM_PASS " needs claim names; accepted: names separated by commas, such as "
                             "name,groups";
    }
    /* Words are one more separator: "name, groups" and name groups read alike, while a
     * comma with nothing after it ("name,") is still an empty item. */
    for (i = 0; i < argc; i++) {
        line = i ? apr_pstrcat(p, line, " ", argv[i], NULL) : argv[i];
    }
    if ((msg = na_claim_list_word(p, list, line)) != NULL) {
        return msg;
    }
    *names = list;
    return NULL;
}

/* ---- values and names passed on -------------------------------------------------------- */

/* Bytes of the UTF-8 character a lead byte starts (jansson only holds valid UTF-8). */
static apr_size_t na_claim_utf8_len(unsigned char c)
{
    return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Append s to the value being built, with control characters as spaces, stopping at
 * NA_CLAIM_MAX_VALUE bytes before a character that would not fit whole. 0 once full. */
static int na_claim_value_put(char *buf, apr_size_t *len, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c & 0xc0) != 0x80 && *len + na_claim_utf8_len(c) > NA_CLAIM_MAX_VALUE) {
            return 0;
        }
        buf[(*len)++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    return 1;
}

const char *na_claim_value(apr_pool_t *p, const na_claims_t *claims, const char *name)
{
    const json_t *v = name ? na_claim_lookup(claims, name) : NULL, *item;
    char *buf = apr_palloc(p, NA_CLAIM_MAX_VALUE + 1), num[NA_CLAIM_NUM_TEXT];
    apr_size_t len = 0;
    size_t i;
    int room = 1, first = 1;

    if (v == NULL || json_is_null(v) || json_is_object(v)) {
        return NULL;
    }
    if (!json_is_array(v)) {
        room = na_claim_value_put(buf, &len, na_claim_scalar_text(num, v));
    }
    json_array_foreach(v, i, item)
    {
        const char *text = na_claim_scalar_text(num, item);
        if (text == NULL) {
            continue; /* null, nested arrays and objects have no text to join */
        }
        if (!room || (!first && !(room = na_claim_value_put(buf, &len, ",")))
            || !(room = na_claim_value_put(buf, &len, text))) {
            break;
        }
        first = 0;
    }
    buf[len] = '\0';
    return buf;
}

const char *na_claim_header_name(apr_pool_t *p, const char *name)
{
    apr_size_t plen = sizeof(NA_CLAIM_HEADER_PREFIX) - 1, i, n = strlen(name);
    char *out = apr_palloc(p, plen + n + 1);
    int start = 1;

    memcpy(out, NA_CLAIM_HEADER_PREFIX, plen);
    for (i = 0; i < n; i++) {
        char c = name[i];
        /* anything but a letter or digit is '-', so no name can make a bad header name */
        if (!apr_isalnum(c)) {
            out[plen + i] = '-';
            start = 1;
            continue;
        }
        out[plen + i] = start ? (char)apr_toupper(c) : c;
        start = 0;
    }
    out[plen + n] = '\0';
    return out;
}

const char *na_claim_env_name(apr_pool_t *p, const char *name)
{
    char *out = apr_pstrcat(p, NA_CLAIM_ENV_PREFIX, name, NULL);
    char *c;

    for (c = out + sizeof(NA_CLAIM_ENV_PREFIX) - 1; *c; c++) {
        *c = apr_isalnum(*c) ? (char)apr_toupper(*c) : '_';
    }
    return out;
}
