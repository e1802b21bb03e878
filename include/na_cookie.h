/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_COOKIE_H
#define NA_COOKIE_H

#include "na_common.h"

/** The names of next-auth's cookies for one prefix and secure mode. */
typedef struct na_cookie_names_t {
    const char *session;
    const char *callback_url;
    const char *csrf;
    const char *pkce;
    const char *state;
    const char *nonce;
} na_cookie_names_t;

/** Attributes of one Set-Cookie. */
typedef struct na_cookie_attr_t {
    apr_int64_t max_age; /**< seconds; NA_UNSET for none, 0 to delete */
    apr_time_t expires;  /**< 0 for none */
    const char *domain;  /**< NULL for none; never on __Host- cookies */
    int secure;
} na_cookie_attr_t;

/**
 * next-auth v4's names: "<prefix>.session-token" etc., with "__Secure-" (and "__Host-"
 * for the CSRF cookie) in secure mode.
 */
void na_cookie_names(apr_pool_t *p, const char *prefix, int secure, na_cookie_names_t *out);

/*
 * Reading a Cookie request header: the one scanner every reader goes through (the
 * readers below, the session chunk reader in na_chunk.h, and the glue).
 *
 * The rule, one for all (RFC 6265 4.2.1, read leniently as next-auth's `cookie` package
 * does):
 * - pairs are separated by ';'; blanks (space, tab) and empty pieces between them are
 *   skipped; a ';' always separates, even inside quotes;
 * - a piece without '=' is not a pair and is skipped;
 * - the name is every byte from the first non-blank to the first '=', with nothing
 *   trimmed: "name =v" is a cookie called "name " (as today's tests pin it); names are
 *   case-sensitive and may be empty ("=v");
 * - the value is the rest of the piece with blanks trimmed at both ends; a value in
 *   double quotes loses them, and it is then percent-decoded (na_cookie_value);
 * - the header is a C string: a NUL ends it;
 * - a header over NA_MAX_COOKIE_HEADER bytes is not read at all: it yields no pair.
 *   This is the one place that cap is applied.
 * Duplicate names are left to the reader: na_cookie_get takes the first, the session
 * chunk reader (na_chunk_read) refuses a name sent twice with two values.
 */

/** One name=value pair: spans into the header (not NUL-terminated), never copies. */
typedef struct na_cookie_pair_t {
    const char *name;
    apr_size_t name_len;
    const char *value; /**< raw: quotes and percent-encoding still in */
    apr_size_t value_len;
} na_cookie_pair_t;

/** Where a scan of one Cookie header stands. */
typedef struct na_cookie_iter_t {
    const char *pos;
} na_cookie_iter_t;

/**
 * Start scanning header (may be NULL: no pairs). NA_OK, or NA_ETOOBIG when header is
 * over NA_MAX_COOKIE_HEADER bytes, in which case the scan yields no pair.
 */
na_status_t na_cookie_iter_init(na_cookie_iter_t *it, const char *header);

/** The next pair into *pair: 1, or 0 when the header has no more. Allocates nothing. */
int na_cookie_iter_next(na_cookie_iter_t *it, na_cookie_pair_t *pair);

/**
 * The value of pair unquoted and percent-decoded as next-auth does ('+' stays '+'),
 * from p. NULL when the encoding is malformed or decodes to a NUL.
 */
const char *na_cookie_value(apr_pool_t *p, const na_cookie_pair_t *pair);

/**
 * Value of the first cookie called `name` in a Cookie request header, percent-decoded
 * as next-auth does. NULL when absent, when its encoding is malformed, or when the
 * header is over NA_MAX_COOKIE_HEADER. A later cookie of the same name is never
 * consulted, even when the first one's encoding is malformed.
 */
const char *na_cookie_get(apr_pool_t *p, const char *header, const char *name);

/**
 * header without the cookies called one of names[0..n-1] or "<name>.<anything>" (their
 * chunks and per-flow check cookies), for the backend's eyes. Every other piece is kept
 * byte for byte (pieces without '=' too), joined by "; ", from p; NULL when nothing is
 * left or header is NULL. Unlike the readers it applies no size cap: hiding the module's
 * cookies from a backend must not depend on how big the header is.
 */
const char *na_cookie_strip(apr_pool_t *p, const char *header, const char *const *names, int n);

/**
 * "Name=value; Max-Age=N; Domain=D; Path=/; Expires=...; HttpOnly; Secure; SameSite=Lax",
 * next-auth's attribute order, the value encoded as encodeURIComponent does.
 */
const char *na_cookie_serialize(apr_pool_t *p, const char *name, const char *value,
                                const na_cookie_attr_t *attr);

#endif
