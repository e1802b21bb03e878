/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <apr_lib.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "na_crypto.h"
#include "na_kv.h"
#include "na_limit.h"

static const char *const na_limit_names[NA_LIMIT_KINDS] = {
    "emailAddress", "emailIp", "credentialsUser", "credentialsIp", "backchannelIp"};

/* Defaults: 5 magic links per address an hour, 30 per IP; at most 100 failed sign-ins
 * per account an hour (OWASP ASVS 2.2.1), 300 per IP. */
static const na_rate_t na_limit_defaults[NA_LIMIT_KINDS] = {
    {5, 3600},   {30, 3600}, {100, 3600},
    {300, 3600}, {60, 60}, /* an IdP logs out a few users a second at most; a flood is bounded here
                            */
};

static const char *const na_limit_accepted =
    "N/SECONDS (e.g. 5/3600; N 1 to 1000000, SECONDS 1 to 604800) or off";

const char *na_limit_key_name(int kind)
{
    return kind >= 0 && kind < NA_LIMIT_KINDS ? na_limit_names[kind] : NULL;
}

na_rate_t na_limit_effective(const na_rate_t *rates, int kind)
{
    na_rate_t none = {0, 0};

    if (kind < 0 || kind >= NA_LIMIT_KINDS) {
        return none;
    }
    if (rates == NULL || rates[kind].count == NA_UNSET) {
        return na_limit_defaults[kind];
    }
    return rates[kind];
}

const char *na_limit_rate_text(apr_pool_t *p, na_rate_t rate)
{
    if (rate.count <= 0) {
        return "off";
    }
    return apr_psprintf(p, "%" APR_INT64_T_FMT "/%" APR_INT64_T_FMT, rate.count, rate.seconds);
}

/* Digits only, 1..max; -1 otherwise. */
static apr_int64_t na_limit_number(const char *s, apr_size_t n, apr_int64_t max)
{
    apr_int64_t v = 0;
    apr_size_t i;

    if (n == 0 || n > 9) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (!apr_isdigit(s[i])) {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v >= 1 && v <= max ? v : -1;
}

const char *na_limit_parse_rate(apr_pool_t *p, const char *value, na_rate_t *out)
{
    const char *slash = strchr(value, '/');
    na_rate_t rate;

    if (strcasecmp(value, "off") == 0) {
        out->count = 0;
        out->seconds = 0;
        return NULL;
    }
    if (slash == NULL) {
        return apr_pstrcat(p, "not N/SECONDS; accepted: ", na_limit_accepted, NULL);
    }
    rate.count = na_limit_number(value, (apr_size_t)(slash - value), NA_LIMIT_MAX_COUNT);
    rate.seconds = na_limit_number(slash + 1, strlen(slash + 1), NA_LIMIT_MAX_SECONDS);
    if (rate.count < 0) {
        return apr_pstrcat(
            p, "N is not a whole number from 1 to 1000000; accepted: ", na_limit_accepted, NULL);
    }
    if (rate.seconds < 0) {
        return apr_pstrcat(p, "SECONDS is not a whole number from 1 to 604800; accepted: ",
                           na_limit_accepted, NULL);
    }
    *out = rate;
    return NULL;
}

/* The directive's keys for na_kv_match, in na_limit_kind_e order (type and offset unused:
 * na_kv has no type for N/SECONDS, so the values are parsed here). */
static const na_kv_spec_t na_limit_specs[NA_LIMIT_KINDS + 1] = {
    {"emailAddress", NA_KV_STRING, NULL, 0, 0},    {"emailIp", NA_KV_STRING, NULL, 0, 0},
    {"credentialsUser", NA_KV_STRING, NULL, 0, 0}, {"credentialsIp", NA_KV_STRING, NULL, 0, 0},
    {"backchannelIp", NA_KV_STRING, NULL, 0, 0},   {NULL, 0, NULL, 0, 0},
};

const char *na_limit_parse_directive(apr_pool_t *p, const char *directive, na_rate_t *rates,
                                     int argc, const char *const *argv)
{
    na_kv_call_t call = {directive, NULL, na_limit_specs, 0, NULL, NULL};
    const char *values[NA_LIMIT_KINDS], *problem;
    na_rate_t parsed[NA_LIMIT_KINDS];
    int k;

    if (argc < 1) {
        return apr_psprintf(p, "%s needs key=N/SECONDS arguments; accepted keys: %s", directive,
                            na_kv_accepted(p, na_limit_specs, 0));
    }
    if ((problem = na_kv_match(p, &call, argc, argv, values)) != NULL) {
        return problem;
    }
    /* Every value is checked before any is assigned: a bad line changes nothing. */
    for (k = 0; k < NA_LIMIT_KINDS; k++) {
        if (values[k] && (problem = na_limit_parse_rate(p, values[k], &parsed[k])) != NULL) {
            return apr_psprintf(p, "%s %s='%s': %s", directive, na_limit_names[k],
                                na_kv_echo(p, values[k]), problem);
        }
    }
    for (k = 0; k < NA_LIMIT_KINDS; k++) {
        if (values[k]) {
            rates[k] = parsed[k];
        }
    }
    return NULL;
}

static int na_limit_is_provider_name(const char *s, apr_size_t n)
{
    apr_size_t i;

    if (n == 0 || n > 32) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!apr_isalnum(s[i]) && s[i] != '_' && s[i] != '-') {
            return 0;
        }
    }
    return 1;
}

const char *na_limit_parse_cache(apr_pool_t *p, const char *directive, const char *value,
                                 const char **provider, const char **args)
{
    const char *colon = strchr(value, ':');
    apr_size_t n = colon ? (apr_size_t)(colon - value) : strlen(value);

    if (!na_limit_is_provider_name(value, n) || na_kv_has_ctl(value)) {
        return apr_psprintf(p,
                            "%s '%s': not PROVIDER[:ARGS]; accepted: a mod_socache "
                            "provider such as shmcb, redis:HOST:PORT or memcache:HOST:PORT",
                            directive, na_kv_echo(p, value));
    }
    *provider = apr_pstrmemdup(p, value, n);
    *args = colon ? apr_pstrdup(p, colon + 1) : NULL;
    return NULL;
}

static void na_limit_put_be(unsigned char *out, apr_uint64_t v, int bytes)
{
    int i;

    for (i = bytes - 1; i >= 0; i--) {
        out[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

na_status_t na_limit_cache_id(int kind, const char *key, na_rate_t rate, apr_int64_t now,
                              unsigned char id[NA_LIMIT_ID_LEN], apr_int64_t *window_end)
{
    apr_size_t n = strlen(key), i, folded = n < 1024 ? n : 1024;
    char lower[1024];
    unsigned char *at = id;
    apr_int64_t seconds = rate.seconds > 0 ? rate.seconds : 1;
    apr_int64_t window = now / seconds;

    /* Keys are case-folded so that "Alice" and "alice" share one counter (callers cap
     * keys far below 1024 bytes; anything beyond is hashed as it is). */
    memset(id, 0, NA_LIMIT_ID_LEN);
    *at++ = 'n';
    *at++ = 'a';
    *at++ = (unsigned char)('0' + kind);
    for (i = 0; i < folded; i++) {
        lower[i] = (char)apr_tolower(key[i]);
    }
    if (na_crypto_sha256_2(lower, folded, key + folded, n - folded, at) != NA_OK) {
        return NA_EINTERNAL;
    }
    at += NA_SHA256_LEN;
    na_limit_put_be(at, (apr_uint64_t)seconds, 4);
    at += 4;
    na_limit_put_be(at, (apr_uint64_t)window, 8);
    if (window_end) {
        *window_end = (window + 1) * seconds;
    }
    return NA_OK;
}

const char *na_limit_ip_key(apr_pool_t *p, const char *ip)
{
    unsigned char a[16];
    char text[INET6_ADDRSTRLEN];
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

    if (ip == NULL || strchr(ip, ':') == NULL || inet_pton(AF_INET6, ip, a) != 1) {
        return ip ? ip : "";
    }
    if (memcmp(a, mapped, sizeof(mapped)) == 0) {
        return inet_ntop(AF_INET, a + 12, text, sizeof(text)) ? apr_pstrdup(p, text) : ip;
    }
    memset(a + 8, 0, 8);
    if (inet_ntop(AF_INET6, a, text, sizeof(text)) == NULL) {
        return ip;
    }
    return apr_pstrcat(p, text, "/64", NULL);
}

/* [start, end) of s (valid UTF-8) without the leading and trailing white space. */
static void na_limit_trim(const uint8_t *s, size_t n, size_t *start, size_t *end)
{
    size_t i = 0;
    ucs4_t uc;
    int len;

    *start = *end = 0;
    while (i < n) {
        len = u8_mbtouc(&uc, s + i, n - i);
        if (!uc_is_property_white_space(uc)) {
            if (*end == 0) {
                *start = i;
            }
            *end = i + (size_t)len;
        }
        i += (size_t)len;
    }
    if (*end == 0) {
        *start = 0;
    }
}

na_status_t na_limit_user_key(apr_pool_t *p, const char *user, const char **out)
{
    size_t n, start, end, flen = 0;
    uint8_t *folded;
    const uint8_t *u = (const uint8_t *)user;

    *out = NULL;
    /* The sign-in refuses such names earlier, but a key built from bytes that are not
     * UTF-8 would fold differently from what any backend compares: refuse, never guess. */
    if (user == NULL || (n = strnlen(user, NA_LIMIT_MAX_USER + 1)) > NA_LIMIT_MAX_USER
        || u8_check(u, n) != NULL) {
        return NA_EINPUT;
    }
    if (n == 0) {
        *out = "";
        return NA_OK;
    }
    /* Fold first, then trim: NFKC turns U+3000, U+00A0 and friends into U+0020, and
     * some compatibility characters (U+00A8) into a space and a combining mark. */
    folded = u8_casefold(u, n, NULL, UNINORM_NFKC, NULL, &flen);
    if (folded == NULL) {
        return NA_EINTERNAL;
    }
    na_limit_trim(folded, flen, &start, &end);
    *out = apr_pstrmemdup(p, (const char *)folded + start, end - start);
    free(folded);
    return NA_OK;
}

apr_int64_t na_limit_count_decode(const unsigned char *data, apr_size_t len)
{
    apr_int64_t v = 0;
    apr_size_t i;

    if (len == 0 || len > 12) {
        return -1;
    }
    for (i = 0; i < len; i++) {
        if (data[i] < '0' || data[i] > '9') {
            return -1;
        }
        v = v * 10 + (data[i] - '0');
    }
    return v;
}

apr_uint32_t na_limit_average(apr_uint32_t average, apr_int64_t sample_usec)
{
    apr_uint64_t s;

    if (sample_usec < 0) {
        return average;
    }
    s = sample_usec > 60000000 ? 60000000 : (apr_uint64_t)sample_usec;
    if (average == 0) {
        return s ? (apr_uint32_t)s : 1;
    }
    s = ((apr_uint64_t)average * 7 + s) / 8;
    return s ? (apr_uint32_t)s : 1;
}

apr_int64_t na_limit_delay(apr_uint32_t average, apr_int64_t fallback, apr_int64_t cap)
{
    apr_int64_t d = average ? (apr_int64_t)average : fallback;

    return d > cap ? cap : d < 0 ? 0 : d;
}
