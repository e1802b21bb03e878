/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_COMMON_H
#define NA_COMMON_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_strings.h>

/** Outcome of a core function: NA_OK, or the class of what went wrong. */
typedef enum {
    NA_OK = 0,
    NA_EINPUT,   /**< malformed or forged input from a client or peer */
    NA_EEXPIRED, /**< well-formed but past its lifetime */
    NA_EDENIED,  /**< refused by policy */
    NA_ETOOBIG,  /**< over a size cap */
    NA_EPEER,    /**< an IdP, SMTP server or database failed */
    NA_ETIMEOUT, /**< a peer did not answer in time */
    NA_EINTERNAL /**< our own bug or a library failure */
} na_status_t;

/**
 * What a failing core call tells its caller. `code` is the NextAuth error code the user
 * may see; `detail` is for the log only and never reaches a page or a JSON body.
 */
typedef struct na_err_t {
    const char *code;
    const char *detail;
    int os_status;
} na_err_t;

/** Sentinel for "not configured here" in integer config fields. */
#define NA_UNSET (-1)

/* Caps on everything read from the network, each applied in one place:
 * - NA_MAX_COOKIE_HEADER: the Cookie header, by na_cookie_iter_init (na_cookie.h), the
 *   scanner every Cookie reader goes through (core and glue); over it, no cookie is read;
 * - NA_MAX_FORM_BODY: a request body, by the glue's bounded reader (mod_nextauth_body.c);
 * - NA_MAX_PARAM: one form or query value (na_form), a callback URL (na_url), the
 *   Accept-Language header (na_i18n) and an IdP's strings (na_oauth), each by its parser. */
#define NA_MAX_COOKIE_HEADER 16384
#define NA_MAX_FORM_BODY 65536
#define NA_MAX_PARAM 4096

/** Fill *err (when given) and return status; detail is formatted in pool p. */
na_status_t na_err_set(apr_pool_t *p, na_err_t *err, na_status_t status, const char *code,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
