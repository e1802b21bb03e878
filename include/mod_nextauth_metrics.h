/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_METRICS_H
#define MOD_NEXTAUTH_METRICS_H

/* Glue: src/httpd/mod_nextauth_metrics.c. The counters of na_metrics.h in shared memory
 * made at post_config and inherited by the children; NextAuthMetrics' handler and the
 * mod_status section. Every counting call is one atomic add and a no-op when the shared
 * memory could not be made. */

#include "mod_nextauth.h"
#include "na_metrics.h"

struct na_http_request_t;
struct na_http_response_t;

int nextauth_metrics_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s);
/** The handler of a NextAuthMetrics On directory: GET (and HEAD) get the text format. */
int nextauth_metrics_handler(request_rec *r);
/** mod_status' status_hook: a section in /server-status, key: value lines with ?auto. */
int nextauth_metrics_status(request_rec *r, int flags);

/** A sign-in that created a session, through `provider`. */
void nextauth_metrics_signin(const nextauth_req_t *req, const char *provider);
/** A failure answered with NextAuth `code`; on a callback it is also a failed sign-in. */
void nextauth_metrics_fail(const nextauth_req_t *req, const char *code);
/** A failed CSRF check; on a callback it is also a failed sign-in. */
void nextauth_metrics_csrf(const nextauth_req_t *req);
/** Counts a request refused by rate limit `kind` (nextauth_limit_e); the caller that
 *  refuses counts, so a counter that only records a failure never does. */
void nextauth_metrics_refusal(int kind);
/** One access-token refresh (NA_METRICS_REFRESH_*), one revocation (NA_METRICS_REVOKE_*). */
void nextauth_metrics_refresh(int result);
void nextauth_metrics_revocation(int kind);
/** Counts a session memo hit (`hit` non-zero) or miss; returns `hit`. */
int nextauth_metrics_memo(int hit);
/** na_http_perform, timed into the IdP request latency histogram. */
na_status_t nextauth_metrics_http_perform(apr_pool_t *p, const struct na_http_request_t *hreq,
                                          struct na_http_response_t *resp, na_err_t *err);

#endif
