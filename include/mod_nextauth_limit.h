/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_LIMIT_H
#define MOD_NEXTAUTH_LIMIT_H

/* Glue: src/httpd/mod_nextauth_limit.c. Counters shared through mod_socache
 * (NextAuthRateLimit). */

#include "mod_nextauth.h"

typedef enum {
    NEXTAUTH_LIMIT_EMAIL_ADDR = 0, /**< magic-link requests per address */
    NEXTAUTH_LIMIT_EMAIL_IP,       /**< magic-link requests per client IP */
    NEXTAUTH_LIMIT_CRED_USER,      /**< failed credentials sign-ins per username */
    NEXTAUTH_LIMIT_CRED_IP,        /**< failed credentials sign-ins per client IP */
    NEXTAUTH_LIMIT_BACKCHANNEL_IP, /**< back-channel logout requests per client IP */
    NEXTAUTH_LIMIT__COUNT
} nextauth_limit_e;

/** Count one event for key (stored hashed, never raw); 1 when this event is over the
 *  limit (refuse it), 0 otherwise. *retry_after: seconds until the window ends. */
int nextauth_limit_hit(request_rec *r, nextauth_limit_e kind, const char *key,
                       apr_int64_t *retry_after);
/** 1 when key is already over the limit, without counting. */
int nextauth_limit_over(request_rec *r, nextauth_limit_e kind, const char *key,
                        apr_int64_t *retry_after);
/** "credentialsUser=3/60" (or "=off"): the limit of kind on r's server, for log lines. */
const char *nextauth_limit_describe(request_rec *r, nextauth_limit_e kind);
int nextauth_limit_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
int nextauth_limit_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s);
int nextauth_limit_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                               server_rec *s);
void nextauth_limit_child_init(apr_pool_t *p, server_rec *s);

#endif
