/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_AUTHN_H
#define MOD_NEXTAUTH_AUTHN_H

/* Glue: src/httpd/mod_nextauth_authn.c. */

#include "mod_nextauth.h"

int nextauth_authn_post_read_request(request_rec *r);
int nextauth_authn_check(request_rec *r);
int nextauth_authn_access_ex(request_rec *r);
int nextauth_authn_note_failure(request_rec *r, const char *auth_type);
/** 1 when r is the error route reached for an API client whom a Require line refused. */
int nextauth_authn_denied_json(request_rec *r);
/** 1 when r is the error route reached for a bearer identity a Require line refused. */
int nextauth_authn_denied_bearer(request_rec *r);
int nextauth_authn_fixups(request_rec *r);
/** What an AuthType NextAuth request without a usable session gets: the sign-in page
 *  (a browser's GET, unless NextAuthUnauthenticated says otherwise) or 401. */
int nextauth_authn_refuse(nextauth_req_t *req);
/** REMOTE_USER of a session: its e-mail, else provider:sub; NULL when it names nobody.
 *  Also the user whom sign out everywhere and the revocation list name. */
const char *nextauth_authn_user(request_rec *r, const na_session_claims_t *claims);

#endif
