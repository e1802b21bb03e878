/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_LIMIT_H
#define NA_LIMIT_H

#include "na_common.h"

/* Rate limits (NextAuthRateLimit): the httpd-free parts. Fixed windows of `seconds`;
 * the counters themselves live in a mod_socache provider (mod_nextauth_limit.c). */

/** What is counted; the order of nextauth_limit_e in mod_nextauth.h. */
typedef enum {
    NA_LIMIT_EMAIL_ADDR = 0, /**< magic-link requests per address (emailAddress) */
    NA_LIMIT_EMAIL_IP,       /**< magic-link requests per client IP (emailIp) */
    NA_LIMIT_CRED_USER,      /**< failed credentials sign-ins per username (credentialsUser) */
    NA_LIMIT_CRED_IP,        /**< failed credentials sign-ins per client IP (credentialsIp) */
    NA_LIMIT_BACKCHANNEL_IP, /**< back-channel logout requests per client IP (backchannelIp) */
    NA_LIMIT_KINDS
} na_limit_kind_e;

/** N events per `seconds`. count: NA_UNSET inherits, 0 is "off". */
typedef struct na_rate_t {
    apr_int64_t count;
    apr_int64_t seconds;
} na_rate_t;

#define NA_LIMIT_MAX_COUNT 1000000
#define NA_LIMIT_MAX_SECONDS 604800 /* a week */

/** Bytes of a cache id: "na", kind, SHA-256 of the key, window length, window number. */
#define NA_LIMIT_ID_LEN (2 + 1 + 32 + 4 + 8)

/** The directive key of kind ("credentialsUser"), or NULL for an unknown kind. */
const char *na_limit_key_name(int kind);

/** The rate that applies to kind: the configured one, else the built-in default. */
na_rate_t na_limit_effective(const na_rate_t *rates, int kind);

/** "5/3600" or "off" (allocated from p). */
const char *na_limit_rate_text(apr_pool_t *p, na_rate_t rate);

/**
 * Parse one value of NextAuthRateLimit: "N/SECONDS" (N 1..NA_LIMIT_MAX_COUNT, SECONDS
 * 1..NA_LIMIT_MAX_SECONDS, digits only) or "off". NULL, or the problem (from p).
 */
const char *na_limit_parse_rate(apr_pool_t *p, const char *value, na_rate_t *out);

/**
 * NextAuthRateLimit key=N/SECONDS ...: validates every word, then assigns into
 * rates[NA_LIMIT_KINDS]. NULL, or one line "NextAuthRateLimit ...; accepted: ...".
 */
const char *na_limit_parse_directive(apr_pool_t *p, const char *directive, na_rate_t *rates,
                                     int argc, const char *const *argv);

/**
 * NextAuthRateLimitCache PROVIDER[:ARGS]: splits and checks the provider name
 * (letters, digits, '_' and '-'). *args is NULL when there is no ':'.
 */
const char *na_limit_parse_cache(apr_pool_t *p, const char *directive, const char *value,
                                 const char **provider, const char **args);

/**
 * The counter id of key in the window holding `now` (epoch seconds): "na", kind, SHA-256
 * of the key lower-cased (never the key itself), the window length and number, big-endian.
 * *window_end receives the first second of the next window. NA_EINTERNAL when hashing fails.
 */
na_status_t na_limit_cache_id(int kind, const char *key, na_rate_t rate, apr_int64_t now,
                              unsigned char id[NA_LIMIT_ID_LEN], apr_int64_t *window_end);

/**
 * The key of a client IP: IPv4 as is; IPv6 reduced to its /64 (one subscriber's
 * prefix, which an attacker rotates through for free), IPv4-mapped IPv6 as IPv4.
 */
const char *na_limit_ip_key(apr_pool_t *p, const char *ip);

/** Longest username key accepted (bytes of the input, before folding). */
#define NA_LIMIT_MAX_USER 4096

/**
 * The key that counts failed sign-ins of `user` (credentialsUser): full case folding
 * with NFKC (u8_casefold), then surrounding white space (Unicode White_Space) removed,
 * so that "Alice", " alice ", fullwidth "ＡＬＩＣＥ" and a decomposed "alicé" count as
 * the one account that LDAP or a case-insensitive SQL collation sees. Accents and
 * inner characters are kept: "alice" and "alicé" are two keys. *out (from p) is the
 * key, possibly empty. NA_EINPUT (and *out NULL) when user is NULL, not valid UTF-8 or
 * longer than NA_LIMIT_MAX_USER bytes; NA_EINTERNAL when libunistring fails.
 */
na_status_t na_limit_user_key(apr_pool_t *p, const char *user, const char **out);

/** A stored count ("17"): its value, or -1 when the bytes are not a count. */
apr_int64_t na_limit_count_decode(const unsigned char *data, apr_size_t len);

/** Moving average (1/8 weight) of failed check durations in microseconds; 0 = none yet. */
apr_uint32_t na_limit_average(apr_uint32_t average, apr_int64_t sample_usec);

/** How long a throttled answer waits: the average, or `fallback` before any sample,
 *  never more than `cap` (microseconds). */
apr_int64_t na_limit_delay(apr_uint32_t average, apr_int64_t fallback, apr_int64_t cap);

#endif
