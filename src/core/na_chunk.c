/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_chunk.h"
#include "na_cookie.h"

/* What one pass over the Cookie header found for a base name. Values are raw pairs in
 * the header (value NULL when not sent); they are decoded only once the set of chunks is
 * known to be sane. */
typedef struct na_chunk_scan_t {
    na_cookie_pair_t plain;                    /* the cookie named base */
    na_cookie_pair_t chunk[NA_CHUNK_MAX_READ]; /* base.0 … base.15 */
    int numbered;                              /* distinct base.N names with N < MAX_READ */
    int over;                                  /* a base.N with N >= NA_CHUNK_MAX_READ */
    int conflict;                              /* one name sent twice with different values */
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
    if (name[blen] != '.' || nd == 0 || nd > NA_CHUNK_MAX_DIGITS
        || (nd > 1 && name[blen + 1] == '0')) {
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

/* Whether a second value for an already filed name differs from the first. */
static int na_chunk_differs(const na_cookie_pair_t *a, const na_cookie_pair_t *b)
{
    return a->value_len != b->value_len || memcmp(a->value, b->value, a->value_len) != 0;
}

/* File one pair into its slot. A name sent twice with two different values is refused:
 * a sibling subdomain can toss a Domain= cookie that the browser sends before or after
 * ours, so "first wins" would let it pick the session (cookie tossing). Byte-identical
 * duplicates are accepted: whichever one is read, the session is the same, and a cookie
 * set once per path or once host-only and once by a Domain= attribute legitimately
 * arrives twice with the same value. */
static int na_chunk_file(na_chunk_scan_t *scan, na_cookie_pair_t *slot,
                         const na_cookie_pair_t *pair)
{
    if (slot->value != NULL) {
        scan->conflict |= na_chunk_differs(slot, pair);
        return 0;
    }
    *slot = *pair;
    return 1;
}

static void na_chunk_take(apr_pool_t *p, na_chunk_scan_t *scan, long idx,
                          const na_cookie_pair_t *pair)
{
    na_chunk_note(p, scan, pair->name, pair->name_len);
    if (idx >= NA_CHUNK_MAX_READ) {
        scan->over = 1;
    }
    else if (idx == -1) {
        na_chunk_file(scan, &scan->plain, pair);
    }
    else {
        scan->numbered += na_chunk_file(scan, &scan->chunk[idx], pair);
    }
}

/* One pass with the shared scanner (na_cookie.h): its parsing rule and its header cap.
 * A header over the cap yields nothing, so it reads as no session at all. */
static void na_chunk_scan(apr_pool_t *p, const char *header, const char *base,
                          na_chunk_scan_t *scan)
{
    apr_size_t blen = strlen(base);
    na_cookie_iter_t it;
    na_cookie_pair_t pair;

    if (na_cookie_iter_init(&it, header) != NA_OK) {
        return;
    }
    while (na_cookie_iter_next(&it, &pair)) {
        long idx = na_chunk_index(pair.name, pair.name_len, base, blen);
        if (idx != -2) {
            na_chunk_take(p, scan, idx, &pair);
        }
    }
}

/* Unquote and percent-decode one value onto the end of buf. */
static na_status_t na_chunk_append(apr_pool_t *p, const na_cookie_pair_t *pair, const char **buf)
{
    const char *dec = na_cookie_value(p, pair);

    if (dec == NULL) {
        return NA_EINPUT;
    }
    *buf = *buf ? apr_pstrcat(p, *buf, dec, NULL) : dec;
    /* Implied by the header cap today (decoding only shrinks); kept should that cap grow. */
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
    if (scan->plain.value && scan->numbered > 0) {
        return NA_EINPUT;
    }
    if (scan->plain.value) {
        return na_chunk_append(p, &scan->plain, value);
    }
    for (i = 0; i < scan->numbered && rv == NA_OK; i++) {
        if (scan->chunk[i].value == NULL) {
            return NA_EINPUT; /* a gap: the numbers are not 0..n-1 */
        }
        rv = na_chunk_append(p, &scan->chunk[i], &buf);
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
        *why = rv == NA_OK     ? NULL
               : scan.over     ? "too many chunks"
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
