/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_OAUTH_H
#define MOD_NEXTAUTH_OAUTH_H

/* Glue: src/httpd/mod_nextauth_oauth.c (sign-in) and mod_nextauth_oauth_callback.c (callback). */

#include "mod_nextauth.h"

#include "na_oauth.h"
int nextauth_oauth_signin(nextauth_req_t *req, const na_provider_t *prov);
int nextauth_oauth_callback(nextauth_req_t *req, const na_provider_t *prov);
/** How a check cookie (NA_CHECK_INDEX_*) of prov is sealed and read on this request. */
na_oauth_check_ctx_t nextauth_oauth_ctx(nextauth_req_t *req, const na_provider_t *prov, int idx);
/** The name of a check cookie (NA_CHECK_INDEX_*) of the flow whose state is `state`. */
const char *nextauth_oauth_cookie_name(nextauth_req_t *req, const na_provider_t *prov, int idx,
                                       const char *state);

#endif
