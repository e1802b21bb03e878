/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_CHUNK_H
#define NA_CHUNK_H

#include "na_common.h"

/** next-auth v4's chunk size: 4096 minus 163 bytes kept for the name and attributes. */
#define NA_CHUNK_SIZE 3933
/** Most numbered chunks read; a legitimate session needs five at most. */
#define NA_CHUNK_MAX_READ 16
/** Most characters a reassembled value may have (as NA_JWE_MAX_TOKEN). */
#define NA_CHUNK_MAX_TOTAL 16384
/** Most cookie names reported for clearing in one response. */
#define NA_CHUNK_MAX_CLEAR 32
/** Longest numeric suffix recognised as a chunk name ("<base>.99999"). */
#define NA_CHUNK_MAX_DIGITS 5

/** One cookie to set: its name and its (not yet percent-encoded) value. */
typedef struct na_chunk_t {
    const char *name;
    const char *value;
} na_chunk_t;

/**
 * Cut value as next-auth v4 does: one cookie called base when value has at most
 * NA_CHUNK_SIZE characters, else base.0, base.1, … of NA_CHUNK_SIZE characters each (the
 * last one shorter). Returns an array of na_chunk_t from p, never empty. Values are cut
 * by bytes; next-auth counts UTF-16 units, which agree for a JWE (ASCII only).
 */
apr_array_header_t *na_chunk_split(apr_pool_t *p, const char *base, const char *value);

/**
 * Reassemble the value of base from a Cookie request header (may be NULL), read with the
 * scanner of na_cookie.h (its parsing rule; a header over NA_MAX_COOKIE_HEADER reads as
 * no cookie at all: NA_OK, *value NULL, nothing present). Only cookies named exactly
 * base, or base.N with N a canonical decimal of at most NA_CHUNK_MAX_DIGITS digits, are
 * considered; other names sharing the prefix are ignored. A name sent twice with the same
 * value counts once; with two different values it is refused (cookie tossing). Each value
 * is unquoted and percent-decoded.
 * On NA_OK *value is the value, or NULL when no such cookie was sent or it is empty.
 * NA_EINPUT when the plain name and numbered chunks are both sent, the numbers are not
 * 0..n-1, a name carries two different values, or a value's percent-encoding is
 * malformed; NA_ETOOBIG when a chunk number reaches NA_CHUNK_MAX_READ or the value would
 * exceed NA_CHUNK_MAX_TOTAL characters.
 * Whatever the status, *present (when present is not NULL) is an array of const char *
 * from p naming the distinct matching cookies in header order, at most NA_CHUNK_MAX_CLEAR
 * of them: the names a response may need to clear.
 */
na_status_t na_chunk_read(apr_pool_t *p, const char *header, const char *base, const char **value,
                          apr_array_header_t **present);

/**
 * na_chunk_read, and on failure *why (if why is not NULL) names the reason when one is
 * known, e.g. "sent twice with different values" for a name carrying two different
 * values (cookie tossing); NULL otherwise. Static text, never a cookie value.
 */
na_status_t na_chunk_read_why(apr_pool_t *p, const char *header, const char *base,
                              const char **value, apr_array_header_t **present, const char **why);

/**
 * Names in present (const char *) that the cookies in written (na_chunk_t, may be NULL
 * when nothing is written) do not replace: the ones to clear with Max-Age=0, as next-auth
 * does when the value changes from chunked to single or shrinks. Array from p.
 */
apr_array_header_t *na_chunk_stale(apr_pool_t *p, const apr_array_header_t *present,
                                   const apr_array_header_t *written);

#endif
