/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_BEARER_H
#define MOD_NEXTAUTH_BEARER_H

/* Glue: src/httpd/mod_nextauth_bearer.c. `Authorization: Bearer` on AuthType NextAuth
 * locations (RFC 6750): this site's own session token, or with NextAuthBearer issuer= a
 * JWT access token (RFC 9068) of that issuer. */

#include "mod_nextauth.h"

/** The bearer token r carries, or NULL when its Authorization is not "Bearer ...". An
 *  empty token is "" (refused as invalid_token). */
const char *nextauth_bearer_token(request_rec *r);

/** 1 when r's identity came from a bearer token (never cookies or redirects then). */
int nextauth_bearer_used(request_rec *r);

/** check_authn for a request with a bearer token: OK (r->user set), or the 401/503
 *  answer with its WWW-Authenticate. */
int nextauth_bearer_authenticate(nextauth_req_t *req, const char *token);

/** The challenge of a 401 without credentials on a location that takes bearer tokens
 *  explicitly (NextAuthBearer on or issuer=): added beside "NextAuth". */
void nextauth_bearer_challenge(nextauth_req_t *req);

/** The answer to a bearer identity a Require line refused: 403 insufficient_scope. */
int nextauth_bearer_forbidden(nextauth_req_t *req);

#endif
