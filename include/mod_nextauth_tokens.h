/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_TOKENS_H
#define MOD_NEXTAUTH_TOKENS_H

/* Glue: src/httpd/mod_nextauth_tokens.c. The IdP's tokens and claims of a session, kept
 * in a mod_socache provider (NextAuthTokenCache) under the session id, refreshed once
 * across threads, processes and hosts, and passed on to backends. */

#include "mod_nextauth.h"

/**
 * What GET session shows under NextAuthSession expose=: the access token of the session's
 * record, and the session error (NA_TOKENS_REFRESH_ERROR once the IdP refused a refresh).
 * Each NULL when there is none (no record, no token, no error).
 */
void nextauth_tokens_exposed(request_rec *r, const na_session_claims_t *claims,
                             const char **access_token, const char **error);

#endif
