/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_FAIL_H
#define MOD_NEXTAUTH_FAIL_H

/* Glue: src/httpd/mod_nextauth_fail.c. One way from a failure to its log line and its answer.
 * The class (na_status_t) picks the log level (client faults at INFO, ours and our peers' at
 * ERR), the JSON status and the default NextAuth code, in one table; the call site gives its
 * own log number, NA_LOGNO(n), so each line still names where it was written. */

#include "mod_nextauth.h"

/**
 * Log a failure once, at its class's level: "<logno><what>: <err->detail>" (err may be
 * NULL; the detail is for the log only).
 */
void nextauth_fail_log(request_rec *r, const char *logno, na_status_t status, const na_err_t *err,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/**
 * Log a failed step (as nextauth_fail_log) and answer it as next-auth does: the user goes
 * to the page of the NextAuth code (err->code when the core set one, else code, else the
 * class's), in JSON mode {"url": ...} with the class's status.
 */
int nextauth_fail_with(nextauth_req_t *req, const char *logno, na_status_t status,
                       const na_err_t *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/** Answer as nextauth_fail_with, without a log line: the callee logged the cause already
 *  (the database layer, an outbound request), and one event gets one line. */
int nextauth_fail_logged(nextauth_req_t *req, na_status_t status, const na_err_t *err,
                         const char *code);
/** A failed CSRF check on a POST (a client fault, logged at INFO under logno): back to
 *  base_url + page with csrf=true, or that URL as JSON with status 200. */
int nextauth_fail_csrf(nextauth_req_t *req, const char *logno, const char *page);
/** What a core function refused came from a peer or from our configuration, not from the
 *  browser: a client class becomes NA_EPEER (logged at ERR); others are kept. */
na_status_t nextauth_fail_upstream(na_status_t status);
/** The log level of a class. */
int nextauth_fail_level(na_status_t status);
/** Answer a failure its caller has logged already, with a JSON status fixed by the route
 *  (the credentials callback's 401, a Configuration failure's 500). */
int nextauth_fail_answer(nextauth_req_t *req, const char *code, int json_status);
/** Where next-auth sends a failure with this code: sign-in page codes to the sign-in
 *  page (or NextAuthPages signIn), all others to the error page (or NextAuthPages error). */
const char *nextauth_error_url(nextauth_req_t *req, const char *code);

#endif
