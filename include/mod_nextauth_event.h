/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_EVENT_H
#define MOD_NEXTAUTH_EVENT_H

/* Glue: src/httpd/mod_nextauth_event.c. next-auth's events as an audit trail
 * (NextAuthEventLog) and as NEXTAUTH_EVENT in the request's environment and notes. */

#include "mod_nextauth.h"
#include "na_event.h"
#include "na_signin.h"

/** open_logs hook: opens every NextAuthEventLog once, in the parent, so children inherit
 *  it (a file appended to, or a piped logger httpd restarts when it dies). */
int nextauth_event_open_logs(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);

/**
 * One event of r: NEXTAUTH_EVENT in r->subprocess_env and r->notes (the names of this
 * request's events, comma-separated), and a line in the virtual host's NextAuthEventLog
 * when its events= takes `e`. `who` gives userId and email (NULL: no event, as next-auth
 * fires none for a session it could not read); `provider` NULL means who->provider.
 * Never fails the request: a line that cannot be written is dropped with a warning.
 */
void nextauth_event_record(request_rec *r, na_event_e e, const char *provider,
                           const na_session_claims_t *who, int is_new_user);

/** A sign-in's events, in next-auth's order: createUser and linkAccount when the
 *  database resolve (`res`) did that, then signIn with its isNewUser. */
void nextauth_event_signin(request_rec *r, const char *provider, const na_session_claims_t *who,
                           const na_signin_result_t *res);

#endif
