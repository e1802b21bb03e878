/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* Claim rules and pass-on values: na_claim_rule_parse, na_claim_list_parse, na_claims_parse,
 * na_claim_rule_match, na_claim_value and the header and env names. Input: a Require
 * nextauth-claim line (words split at spaces), a newline, a NextAuthPassClaims line, a
 * newline, then the claims JSON. */
#include <string.h>

#include "na_claim.h"
#include "na_fuzz.h"

#define MAX_WORDS 16

/* The words of one line, split at spaces as a simple ap_getword_conf would. */
static int words(char *line, const char **argv)
{
    int argc = 0;
    char *last, *w;

    for (w = apr_strtok(line, " ", &last); w && argc < MAX_WORDS;
         w = apr_strtok(NULL, " ", &last)) {
        argv[argc++] = w;
    }
    return argc;
}

static int header_char_ok(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* What a value and its names promise: short, no control characters, valid names. */
static void pass_on(apr_pool_t *p, const na_claims_t *claims, const char *name)
{
    const char *v = na_claim_value(p, claims, name), *h = na_claim_header_name(p, name);
    const char *e = na_claim_env_name(p, name), *c;

    if (v) {
        NA_FUZZ_ASSERT(strlen(v) <= 4096);
        for (c = v; *c; c++) {
            NA_FUZZ_ASSERT((unsigned char)*c >= 0x20 && *c != 0x7f);
        }
    }
    for (c = h; *c; c++) {
        NA_FUZZ_ASSERT(header_char_ok(*c));
    }
    for (c = e; *c; c++) {
        NA_FUZZ_ASSERT((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    char *text = na_fuzz_str(p, data, size), *list, *json;
    const char *argv[MAX_WORDS], *msg;
    const na_claim_rule_t *rule = NULL;
    apr_array_header_t *names = NULL;
    na_claims_t *claims;
    int argc, i;

    list = strchr(text, '\n');
    json = list ? strchr(list + 1, '\n') : NULL;
    if (list == NULL || json == NULL) {
        na_fuzz_end(p);
        return 0;
    }
    *list++ = '\0';
    *json++ = '\0';
    claims = na_claims_parse(p, json);
    argc = words(text, argv);
    msg = na_claim_rule_parse(p, argc, argv, &rule);
    NA_FUZZ_ASSERT((msg == NULL) == (rule != NULL));
    NA_FUZZ_ASSERT(msg == NULL || strpbrk(msg, "\r\n") == NULL);
    if (rule) {
        int m = na_claim_rule_match(rule, claims);
        NA_FUZZ_ASSERT(m == 0 || m == 1);
        NA_FUZZ_ASSERT(claims != NULL || m == 0);
        pass_on(p, claims, argv[0]);
    }
    argc = words(list, argv);
    msg = na_claim_list_parse(p, argc, argv, &names);
    NA_FUZZ_ASSERT((msg == NULL) == (names != NULL));
    for (i = 0; names && i < names->nelts; i++) {
        pass_on(p, claims, APR_ARRAY_IDX(names, i, const char *));
    }
    na_fuzz_end(p);
    return 0;
}
