/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_b64.h"
#include "na_crypto.h"
#include "na_revoke.h"
#include "na_tokens.h"

/* Characters of a hashed key part: 22 base64url characters are 132 bits, far more than a
 * cache will ever hold, and keep every key well under NA_REVOKE_KEY_MAX. */
#define NA_REVOKE_HASH_CHARS 22
/* A time is at most 18 decimal digits, so it always fits an apr_int64_t. */
#define NA_REVOKE_TIME_DIGITS 18

/* prefix + base64url(SHA-256(text))[0..22]; NULL when OpenSSL fails. */
static const char *na_revoke_hashed_key(apr_pool_t *p, const char *prefix, const char *text)
{
    unsigned char digest[NA_SHA256_LEN];
    char *b64;

    if (na_crypto_sha256_2(text, strlen(text), "", 0, digest) != NA_OK) {
        return NULL;
    }
    b64 = na_b64_encode(p, digest, sizeof(digest));
    b64[NA_REVOKE_HASH_CHARS] = '\0';
    return apr_pstrcat(p, prefix, b64, NULL);
}

/* The key of a pair joined by '\n'. A '\n' inside `first` would let two pairs share a key
 * ("a\nb","c" and "a","b\nc"), so it is refused; `second` may hold anything. */
static const char *na_revoke_pair_key(apr_pool_t *p, const char *prefix, const char *first,
                                      const char *second)
{
    if (first == NULL || second == NULL || first[0] == '\0' || second[0] == '\0'
        || strchr(first, '\n') != NULL) {
        return NULL;
    }
    return na_revoke_hashed_key(p, prefix, apr_pstrcat(p, first, "\n", second, NULL));
}

const char *na_revoke_session_key(apr_pool_t *p, const char *sid)
{
    return na_tokens_sid_valid(sid) ? apr_pstrcat(p, "rs:", sid, NULL) : NULL;
}

const char *na_revoke_user_key(apr_pool_t *p, const char *user)
{
    if (user == NULL || user[0] == '\0') {
        return NULL;
    }
    return na_revoke_hashed_key(p, "ru:", user);
}

const char *na_revoke_jti_key(apr_pool_t *p, const char *issuer, const char *jti)
{
    return na_revoke_pair_key(p, "rj:", issuer, jti);
}

const char *na_revoke_idp_session_key(apr_pool_t *p, const char *provider, const char *idp_sid)
{
    return na_revoke_pair_key(p, "ro:", provider, idp_sid);
}

const char *na_revoke_idp_subject_key(apr_pool_t *p, const char *provider, const char *idp_sub)
{
    return na_revoke_pair_key(p, "rp:", provider, idp_sub);
}

const char *na_revoke_time_value(apr_pool_t *p, apr_int64_t now)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT, now);
}

/* A strict decimal time: 1..18 digits and nothing else (no sign, space or NUL). */
static int na_revoke_parse_time(const char *value, apr_size_t len, apr_int64_t *t)
{
    apr_int64_t v = 0;
    apr_size_t i;

    if (value == NULL || len == 0 || len > NA_REVOKE_TIME_DIGITS) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (value[i] < '0' || value[i] > '9') {
            return 0;
        }
        v = v * 10 + (value[i] - '0');
    }
    *t = v;
    return 1;
}

int na_revoke_user_revokes(const char *value, apr_size_t len, apr_int64_t began)
{
    apr_int64_t t;

    if (value == NULL) {
        return 0;
    }
    if (!na_revoke_parse_time(value, len, &t)) {
        return -1;
    }
    return began <= t;
}

apr_int64_t na_revoke_signin_time(const char *value, apr_size_t len, apr_int64_t now)
{
    apr_int64_t t;

    if (!na_revoke_parse_time(value, len, &t) || t < now) {
        return now;
    }
    return t + 1;
}

/* 1 when the array already holds sid. */
static int na_revoke_sids_has(const apr_array_header_t *sids, const char *sid)
{
    int i;

    for (i = 0; i < sids->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(sids, i, const char *), sid) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Append the valid, not yet held session ids of a space-separated list to sids, up to
 * NA_REVOKE_MAP_MAX in all. Anything else between the spaces is dropped. */
static void na_revoke_sids_scan(apr_pool_t *p, const char *list, apr_size_t len,
                                apr_array_header_t *sids)
{
    apr_size_t i = 0, start;

    while (list != NULL && i < len && sids->nelts < NA_REVOKE_MAP_MAX) {
        for (start = i; i < len && list[i] != ' '; i++) {
        }
        if (i - start == NA_TOKENS_SID_LEN) {
            const char *sid = apr_pstrmemdup(p, list + start, NA_TOKENS_SID_LEN);
            if (na_tokens_sid_valid(sid) && !na_revoke_sids_has(sids, sid)) {
                APR_ARRAY_PUSH(sids, const char *) = sid;
            }
        }
        i++;
    }
}

/* An invalid sid is dropped like any junk, so the value only ever holds session ids. */
const char *na_revoke_sids_add(apr_pool_t *p, const char *list, apr_size_t len, const char *sid)
{
    apr_array_header_t *sids = apr_array_make(p, NA_REVOKE_MAP_MAX, sizeof(const char *));

    if (na_tokens_sid_valid(sid)) {
        APR_ARRAY_PUSH(sids, const char *) = sid;
    }
    na_revoke_sids_scan(p, list, len, sids);
    return apr_array_pstrcat(p, sids, ' ');
}

apr_array_header_t *na_revoke_sids_parse(apr_pool_t *p, const char *list, apr_size_t len)
{
    apr_array_header_t *sids = apr_array_make(p, NA_REVOKE_MAP_MAX, sizeof(const char *));

    na_revoke_sids_scan(p, list, len, sids);
    return sids;
}
