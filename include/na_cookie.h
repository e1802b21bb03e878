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
    apr_int64_t max_age;   /**< seconds; NA_UNSET for none, 0 to delete */
    apr_time_t expires;    /**< 0 for none */
    const char *domain;    /**< NULL for none; never on __Host- cookies */
    int secure;
} na_cookie_attr_t;

/**
 * next-auth v4's names: "<prefix>.session-token" etc., with "__Secure-" (and "__Host-"
 * for the CSRF cookie) in secure mode.
 */
void na_cookie_names(apr_pool_t *p, const char *prefix, int secure, na_cookie_names_t *out);

/**
 * Value of the first cookie called `name` in a Cookie request header, percent-decoded
 * as next-auth does. NULL when absent, when its encoding is malformed, or when the
 * header is over NA_MAX_COOKIE_HEADER.
 */
const char *na_cookie_get(apr_pool_t *p, const char *header, const char *name);

/**
 * "Name=value; Max-Age=N; Domain=D; Path=/; Expires=...; HttpOnly; Secure; SameSite=Lax",
 * next-auth's attribute order, the value encoded as encodeURIComponent does.
 */
const char *na_cookie_serialize(apr_pool_t *p, const char *name, const char *value,
                                const na_cookie_attr_t *attr);

#endif
