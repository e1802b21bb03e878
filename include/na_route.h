/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_ROUTE_H
#define NA_ROUTE_H

#include "na_common.h"

/** The routes under the base path (next-auth v4's actions). */
typedef enum {
    NA_ROUTE_SIGNIN = 0,
    NA_ROUTE_SIGNIN_PROVIDER,
    NA_ROUTE_CALLBACK,
    NA_ROUTE_SIGNOUT,
    NA_ROUTE_SESSION,
    NA_ROUTE_CSRF,
    NA_ROUTE_PROVIDERS,
    NA_ROUTE_VERIFY_REQUEST,
    NA_ROUTE_ERROR,
    NA_ROUTE_LOG,
    NA_ROUTE_LOGO,
    NA_ROUTE_BACKCHANNEL, /**< POST backchannel-logout/:provider (OIDC Back-Channel Logout) */
    NA_ROUTE__COUNT
} na_route_id_e;

/** What na_route_match decided. */
typedef enum {
    NA_ROUTE_FOUND = 0,
    NA_ROUTE_NOT_FOUND, /**< 404 */
    NA_ROUTE_BAD_METHOD /**< 405; allow holds the Allow header */
} na_route_result_e;

typedef struct na_route_match_t {
    na_route_id_e id;
    const char *param; /**< the segment after the action ("github"), or NULL */
    const char *allow; /**< for NA_ROUTE_BAD_METHOD: "GET, HEAD" etc. */
} na_route_match_t;

/**
 * Match `method` ("GET", "HEAD", "POST", ...) and `subpath` (what follows the base path,
 * "" or starting with '/') against the route table.
 */
na_route_result_e na_route_match(apr_pool_t *p, const char *method, const char *subpath,
                                 na_route_match_t *out);

#endif
