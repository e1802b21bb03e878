/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* The key=value directive tokenizer and parser (na_kv_tokenize, na_kv_parse, na_kv_match)
 * on one configuration line, against a table with every value type but SECRET (which
 * reads files), and the same words as NextAuthRateLimit arguments (na_limit, on
 * na_kv_match). Config input, so trusted, but a crash would still be a crash at startup. */
#include <stddef.h>
#include <string.h>

#include "na_fuzz.h"
#include "na_kv.h"
#include "na_limit.h"

typedef struct target_t {
    const char *str, *url, *path, *color, *image, *host;
    apr_int64_t secs;
    int mode;
    unsigned checks;
    apr_array_header_t *names;
} target_t;

static const char *const modes[] = {"auto", "light", "dark", NULL};
static const char *const checks[] = {"state", "pkce", "nonce", "none", NULL};

static const na_kv_spec_t spec[] = {
    {"name", NA_KV_STRING, NULL, 0, offsetof(target_t, str)},
    {"issuer", NA_KV_URL, NULL, 1, offsetof(target_t, url)},
    {"signIn", NA_KV_PATH, NULL, 0, offsetof(target_t, path)},
    {"brandColor", NA_KV_COLOR, NULL, 0, offsetof(target_t, color)},
    {"logo", NA_KV_IMAGE, NULL, 0, offsetof(target_t, image)},
    {"domain", NA_KV_HOST, NULL, 0, offsetof(target_t, host)},
    {"maxAge", NA_KV_UINT, NULL, 2, offsetof(target_t, secs)},
    {"colorScheme", NA_KV_ENUM, modes, 0, offsetof(target_t, mode)},
    {"checks", NA_KV_LIST, checks, 1, offsetof(target_t, checks)},
    {"authn", NA_KV_NAMES, NULL, 0, offsetof(target_t, names)},
    {NULL, NA_KV_STRING, NULL, 0, 0}};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    return 0;
}

/* The key half refuses no line na_kv_parse accepts and accepts none it refuses for a
 * key; NextAuthRateLimit, built on it, only ever stores rates within their bounds. */
static void match_and_limit(apr_pool_t *p, const na_kv_call_t *call,
                            const apr_array_header_t *words, const char *parse_msg)
{
    const char *values[sizeof(spec) / sizeof(spec[0])];
    const char *msg = na_kv_match(p, call, words->nelts, (const char *const *)words->elts, values);
    na_rate_t rates[NA_LIMIT_KINDS];
    int k;

    NA_FUZZ_ASSERT(msg == NULL || parse_msg != NULL);
    for (k = 0; k < NA_LIMIT_KINDS; k++) {
        rates[k].count = rates[k].seconds = NA_UNSET;
    }
    if (na_limit_parse_directive(p, "NextAuthRateLimit", rates, words->nelts,
                                 (const char *const *)words->elts)
        != NULL) {
        return;
    }
    for (k = 0; k < NA_LIMIT_KINDS; k++) {
        NA_FUZZ_ASSERT(rates[k].count == NA_UNSET || rates[k].count == 0
                       || (rates[k].count <= NA_LIMIT_MAX_COUNT && rates[k].seconds >= 1
                           && rates[k].seconds <= NA_LIMIT_MAX_SECONDS));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    apr_array_header_t *words = NULL;
    na_kv_call_t call = {"NextAuthProvider", "corp", spec, 1, "oauth", NULL};
    target_t t;
    apr_uint64_t seen = 0;
    const char *msg;

    if (na_kv_tokenize(p, na_fuzz_str(p, data, size), &words) == NULL) {
        memset(&t, 0, sizeof(t));
        msg = na_kv_parse(p, &call, words->nelts, (const char *const *)words->elts, &t, &seen);
        if (msg == NULL) {
            NA_FUZZ_ASSERT(t.secs == 0 || (t.secs >= 1 && t.secs <= 315360000));
            NA_FUZZ_ASSERT(t.mode >= 0 && t.mode <= 2 && (t.checks >> 4) == 0);
            NA_FUZZ_ASSERT(t.url == NULL || na_kv_is_http_url(p, t.url));
        }
        else {
            /* messages go to the console on one line */
            NA_FUZZ_ASSERT(strpbrk(msg, "\r\n") == NULL);
        }
        match_and_limit(p, &call, words, msg);
    }
    na_fuzz_end(p);
    return 0;
}
