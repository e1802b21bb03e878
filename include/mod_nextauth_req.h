/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_REQ_H
#define MOD_NEXTAUTH_REQ_H

/* Glue: src/httpd/mod_nextauth_req.c. */

#include "mod_nextauth.h"

/** Origin, base URL, secure mode and cookie names for r into *out: OK, HTTP_BAD_REQUEST
 *  (the client's Host is no host name) or HTTP_INTERNAL_SERVER_ERROR (no usable origin:
 *  ServerName cannot make one); both logged. */
int nextauth_req_make(request_rec *r, const na_server_conf_t *conf, nextauth_req_t **out);
/** The original request of r's tree (through r->main and r->prev): where what a request
 *  tree shares (its session, its notes) is kept, as mod_session_cookie's load walks it. */
request_rec *nextauth_req_top(request_rec *r);
/** Attributes for the module's cookies on this request (secure, domain). */
na_cookie_attr_t nextauth_req_cookie_attr(const nextauth_req_t *req, apr_int64_t max_age,
                                          apr_time_t expires);
/** What follows the base path in r's URI ("" or "/..."), or NULL when r is not ours. */
const char *nextauth_req_subpath(request_rec *r, const na_server_conf_t *conf);
/** 1 when the POSTed csrfToken matches a valid CSRF cookie (double submit). */
int nextauth_req_csrf_ok(const nextauth_req_t *req);

#endif
