/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_chunk.h"
#include "na_url.h"

/* What one pass over the Cookie header found for a base name. Values are raw spans into
 * the header; they are decoded only once the set of chunks is known to be sane. */
typedef struct na_chunk_scan_t {
    const char *plain; /* value span of the cookie named base */
    apr_size_t plain_len;
    const char *val[NA_CHUNK_MAX_READ]; /* value spans of base.0 … base.15 */
    apr_size_t len[NA_CHUNK_MAX_READ];
    int numbered; /* distinct base.N names with N < MAX_READ */
    int over;     /* a base.N with N >= NA_CHUNK_MAX_READ */
    int conflict; /* one name sent twice with different values */
    apr_array_header_t *present;
} na_chunk_scan_t;

apr_array_header_t *na_chunk_split(apr_pool_t *p, const char *base, const char *value)
{
    apr_size_t len = strlen(value), off;
    apr_array_header_t *out = apr_array_make(p, (int)(len / NA_CHUNK_SIZE) + 1, sizeof(na_chunk_t));
    na_chunk_t *c;
    int i = 0;

    if (len <= NA_CHUNK_SIZE) {
        c = apr_array_push(out);
        c->name = base;
        c->value = value;
        return out;
    }
    for (off = 0; off < len; off += NA_CHUNK_SIZE, i++) {
        apr_size_t n = len - off < NA_CHUNK_SIZE ? len - off : NA_CHUNK_SIZE;
        c = apr_array_push(out);
        c->name = apr_psprintf(p, "%s.%d", base, i);
        c->value = apr_pstrmemdup(p, value + off, n);
    }
    return out;
}

/* The chunk number of name (len bytes) for base: -1 for base itself, the number for
 * base.N, -2 for any other name. N must be canonical ("7", not "07") and short, so one
 * chunk has one name and junk like base.99999999999 cannot overflow anything. */
static long na_chunk_index(const char *name, apr_size_t len, const char *base, apr_size_t blen)
{
    apr_size_t i, nd;
    long n = 0;

    if (len < blen || memcmp(name, base, blen) != 0) {
        return -2;
    }
    if (len == blen) {
        return -1;
    }
    nd = len - blen - 1;
    if (name[blen] != '.' || nd == 0 || nd > NA_CHUNK_MAX_DIGITS ||
        (nd > 1 && name[blen + 1] == '0')) {
        return -2;
    }
    for (i = blen + 1; i < len; i++) {
        if (name[i] < '0' || name[i] > '9') {
            return -2;
        }
        n = n * 10 + (name[i] - '0');
    }
    return n;
}

/* Note a matching name once, up to the clearing cap. */
static void na_chunk_note(apr_pool_t *p, na_chunk_scan_t *scan, const char *name, apr_size_t len)
{
    int i;

    for (i = 0; i < scan->present->nelts; i++) {
        const char *seen = APR_ARRAY_IDX(scan->present, i, const char *);
        if (strlen(seen) == len && memcmp(seen, name, len) == 0) {
            return;
        }
    }
    if (scan->present->nelts < NA_CHUNK_MAX_CLEAR) {
        APR_ARRAY_PUSH(scan->present, const char *) = apr_pstrmemdup(p, name, len);
    }
}

/* Whether a second value span for an already filed name differs from the first. */
static int na_chunk_differs(const char *a, apr_size_t alen, const char *b, apr_size_t blen)
{
    return alen != blen || memcmp(a, b, alen) != 0;
}

/* File one "name=value" pair. A name sent twice with two different values is refused:
 * a sibling subdomain can toss a Domain= cookie that the browser sends before or after
 * ours, so "first wins" would let it pick the session (cookie tossing). Byte-identical
 * duplicates are accepted: whichever one is read, the session is the same, and a cookie
 * set once per path or once host-only and once by a Domain= attribute legitimately
 * arrives twice with the same value. */
static void na_chunk_take(apr_pool_t *p, na_chunk_scan_t *scan, long idx, const char *name,
                          apr_size_t nlen, const char *v, apr_size_t vlen)
{
    na_chunk_note(p, scan, name, nlen);
    if (idx == -1 && scan->plain == NULL) {
        scan->plain = v;
        scan->plain_len = vlen;
    }
    else if (idx == -1) {
        scan->conflict |= na_chunk_differs(scan->plain, scan->plain_len, v, vlen);
    }
    else if (idx >= NA_CHUNK_MAX_READ) {
        scan->over = 1;
    }
    else if (idx >= 0 && scan->val[idx] == NULL) {
        scan->val[idx] = v;
        scan->len[idx] = vlen;
        scan->numbered++;
    }
    else if (idx >= 0) {
        scan->conflict |= na_chunk_differs(scan->val[idx], scan->len[idx], v, vlen);
    }
}

static void na_chunk_trim(const char **s, apr_size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) {
        (*len)--;
    }
}

static void na_chunk_scan(apr_pool_t *p, const char *header, const char *base,
                          na_chunk_scan_t *scan)
{
    apr_size_t blen = strlen(base);
    const char *s = header;

    while (s && *s) {
        const char *end = s + strcspn(s, ";"), *eq = memchr(s, '=', (apr_size_t)(end - s));
        if (eq) {
            const char *name = s, *v = eq + 1;
            apr_size_t nlen = (apr_size_t)(eq - s), vlen = (apr_size_t)(end - v);
            long idx;
            na_chunk_trim(&name, &nlen);
            na_chunk_trim(&v, &vlen);
            idx = na_chunk_index(name, nlen, base, blen);
            if (idx != -2) {
                na_chunk_take(p, scan, idx, name, nlen, v, vlen);
            }
        }
        s = *end ? end + 1 : end;
    }
}

/* Unquote and percent-decode one value span onto the end of buf. */
static na_status_t na_chunk_append(apr_pool_t *p, const char *v, apr_size_t len, const char **buf)
{
    const char *dec;

    /* A quoted value is legal in RFC 6265; the quotes are not part of it. */
    if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
        v++;
        len -= 2;
    }
    dec = na_url_decode(p, apr_pstrmemdup(p, v, len), 0);
    if (dec == NULL) {
        return NA_EINPUT;
    }
    *buf = *buf ? apr_pstrcat(p, *buf, dec, NULL) : dec;
    return strlen(*buf) > NA_CHUNK_MAX_TOTAL ? NA_ETOOBIG : NA_OK;
}

static na_status_t na_chunk_assemble(apr_pool_t *p, const na_chunk_scan_t *scan, const char **value)
{
    const char *buf = NULL;
    na_status_t rv = NA_OK;
    int i;

    if (scan->over) {
        return NA_ETOOBIG;
    }
    if (scan->conflict) {
        return NA_EINPUT;
    }
    /* Both forms at once is what a lost deletion leaves behind; next-auth would glue
     * them into garbage. Treat it as no session, and let the caller clear them all. */
    if (scan->plain && scan->numbered > 0) {
        return NA_EINPUT;
    }
    if (scan->plain) {
        return na_chunk_append(p, scan->plain, scan->plain_len, value);
    }
    for (i = 0; i < scan->numbered && rv == NA_OK; i++) {
        if (scan->val[i] == NULL) {
            return NA_EINPUT; /* a gap: the numbers are not 0..n-1 */
        }
        rv = na_chunk_append(p, scan->val[i], scan->len[i], &buf);
    }
    if (rv == NA_OK) {
        *value = buf;
    }
    return rv;
}

na_status_t na_chunk_read(apr_pool_t *p, const char *header, const char *base, const char **value,
                          apr_array_header_t **present)
{
    return na_chunk_read_why(p, header, base, value, present, NULL);
}

na_status_t na_chunk_read_why(apr_pool_t *p, const char *header, const char *base,
                              const char **value, apr_array_header_t **present, const char **why)
{
    na_chunk_scan_t scan;
    const char *v = NULL;
    na_status_t rv;

    memset(&scan, 0, sizeof(scan));
    scan.present = apr_array_make(p, 4, sizeof(const char *));
    na_chunk_scan(p, header, base, &scan);
    rv = na_chunk_assemble(p, &scan, &v);
    if (why) {
        *why = rv == NA_OK ? NULL
               : scan.over ? "too many chunks"
               : scan.conflict ? "sent twice with different values"
               : NULL;
    }
    if (present) {
        *present = scan.present;
    }
    /* An empty value is no value, as next-auth's falsy check has it. */
    *value = rv == NA_OK && v && *v ? v : NULL;
    return rv;
}

apr_array_header_t *na_chunk_stale(apr_pool_t *p, const apr_array_header_t *present,
                                   const apr_array_header_t *written)
{
    apr_array_header_t *out = apr_array_make(p, present->nelts + 1, sizeof(const char *));
    int i, j;

    for (i = 0; i < present->nelts; i++) {
        const char *name = APR_ARRAY_IDX(present, i, const char *);
        int replaced = 0;
        for (j = 0; written && j < written->nelts && !replaced; j++) {
            replaced = strcmp(APR_ARRAY_IDX(written, j, na_chunk_t).name, name) == 0;
        }
        if (!replaced) {
            APR_ARRAY_PUSH(out, const char *) = name;
        }
    }
    return out;
}
