/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_OIDC_H
#define MOD_NEXTAUTH_OIDC_H

/* Glue: src/httpd/mod_nextauth_oidc.c. Discovery, JWKS and outbound requests. */

#include "mod_nextauth.h"
#include "na_jws.h"

struct na_oauth_discovery_t;
struct na_http_request_t;
struct na_http_response_t;
int nextauth_oidc_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                              server_rec *s);
void nextauth_oidc_child_init(apr_pool_t *p, server_rec *s);
/** The provider's endpoints, its configuration completed by (cached) discovery. */
apr_status_t nextauth_oidc_endpoints(request_rec *r, const na_provider_t *prov,
                                     struct na_oauth_discovery_t *out);
/** GET a JSON document through the per-process cache (force: skip the cached copy);
 *  NULL with *err filled (not logged) when it cannot be had. */
const char *nextauth_oidc_fetch(request_rec *r, const na_provider_t *prov, const char *url,
                                int force, na_err_t *err);
/** Keep a fetched document that parsed, for later requests of this process. */
void nextauth_oidc_remember(request_rec *r, const char *url, const char *text);
/** 1 when a forced JWKS refetch is allowed now (at most one a minute per URL). */
int nextauth_oidc_may_refetch(request_rec *r, const char *url);
/**
 * Verify a compact JWS (ID token, logout token, access token) with the keys at jwks_uri;
 * a key we do not know yet makes us fetch the set again, once a minute at most (key
 * rotation). NA_OK with *out filled; NA_EPEER when the JWKS cannot be had or used
 * (err->detail "JWKS unavailable or unusable: ..."); else na_jws_verify's answer.
 */
na_status_t nextauth_oidc_verify(request_rec *r, const na_provider_t *prov, const char *jwks_uri,
                                 const char *token, na_jws_verified_t *out, na_err_t *err);
/** Apply the provider's timeout to an outbound request. */
void nextauth_oidc_timeouts(const na_provider_t *prov, struct na_http_request_t *hreq);
/** One outbound request; a failure fills *err ("request to <url> failed: ...", a class
 *  that is never the browser's) for the caller's one log line. The HTTP status is the
 *  caller's to judge. */
na_status_t nextauth_oidc_perform(request_rec *r, const struct na_http_request_t *hreq,
                                  struct na_http_response_t *resp, na_err_t *err);

#endif
