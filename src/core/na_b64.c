/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include "na_b64.h"

static const char na_b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *na_b64_encode(apr_pool_t *p, const unsigned char *data, apr_size_t n)
{
    char *out = apr_palloc(p, NA_B64_ENCODED_LEN(n) + 1), *o = out;
    apr_size_t i;

    for (i = 0; i + 2 < n; i += 3) {
        apr_uint32_t v =
            ((apr_uint32_t)data[i] << 16) | ((apr_uint32_t)data[i + 1] << 8) | data[i + 2];
        *o++ = na_b64_alphabet[(v >> 18) & 0x3f];
        *o++ = na_b64_alphabet[(v >> 12) & 0x3f];
        *o++ = na_b64_alphabet[(v >> 6) & 0x3f];
        *o++ = na_b64_alphabet[v & 0x3f];
    }
    if (n - i == 1) {
        *o++ = na_b64_alphabet[data[i] >> 2];
        *o++ = na_b64_alphabet[(data[i] & 0x03) << 4];
    }
    else if (n - i == 2) {
        *o++ = na_b64_alphabet[data[i] >> 2];
        *o++ = na_b64_alphabet[((data[i] & 0x03) << 4) | (data[i + 1] >> 4)];
        *o++ = na_b64_alphabet[(data[i + 1] & 0x0f) << 2];
    }
    *o = '\0';
    return out;
}

/* The 6-bit value of one base64url character, or -1. A switch on ranges rather than a
 * 256-entry table keeps '+', '/' and '=' (plain base64) visibly out. */
static int na_b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '-') {
        return 62;
    }
    return c == '_' ? 63 : -1;
}

/* Decode 2, 3 or 4 characters into 1, 2 or 3 bytes. -1 on a bad character, or when the
 * bits a short group leaves unused are not zero: a second spelling of the same bytes
 * would let a re-encoded token pass as a different string. */
static int na_b64_group(const char *s, apr_size_t n, unsigned char *o)
{
    apr_uint32_t v = 0;
    apr_size_t i;

    for (i = 0; i < 4; i++) {
        int d = i < n ? na_b64_value((unsigned char)s[i]) : 0;
        if (d < 0) {
            return -1;
        }
        v = (v << 6) | (apr_uint32_t)d;
    }
    if ((n == 2 && (v & 0xffff) != 0) || (n == 3 && (v & 0xff) != 0)) {
        return -1;
    }
    o[0] = (unsigned char)(v >> 16);
    if (n > 2) {
        o[1] = (unsigned char)(v >> 8);
    }
    if (n > 3) {
        o[2] = (unsigned char)v;
    }
    return (int)n - 1;
}

na_status_t na_b64_decode(apr_pool_t *p, const char *s, apr_size_t len, unsigned char **out,
                          apr_size_t *outlen)
{
    unsigned char *buf, *o;
    apr_size_t i;

    if (s == NULL || len % 4 == 1) {
        return NA_EINPUT;
    }
    buf = apr_palloc(p, len / 4 * 3 + 3);
    o = buf;
    for (i = 0; i < len; i += 4) {
        int got = na_b64_group(s + i, len - i < 4 ? len - i : 4, o);
        if (got < 0) {
            return NA_EINPUT;
        }
        o += got;
    }
    *o = '\0';
    *out = buf;
    *outlen = (apr_size_t)(o - buf);
    return NA_OK;
}
