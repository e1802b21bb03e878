/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_PAGES_H
#define MOD_NEXTAUTH_PAGES_H

/* Glue: src/httpd/mod_nextauth_pages.c. */

#include "mod_nextauth.h"

int nextauth_route_signin_page(nextauth_req_t *req);
int nextauth_route_signout_page(nextauth_req_t *req);
int nextauth_route_verify_request(nextauth_req_t *req);
int nextauth_route_error(nextauth_req_t *req);
int nextauth_route_logo(nextauth_req_t *req);
/** "<origin><page>", with "?key=value" when key is given (custom pages; page is local). */
const char *nextauth_pages_custom(nextauth_req_t *req, const char *page, const char *key,
                                  const char *value);
/** NextAuthPages signIn with the callbackUrl and, when given, the error value. */
const char *nextauth_pages_signin_url(nextauth_req_t *req, const char *error);
struct na_page_view_t;
/** What a built-in page shows for this request: language, theme, CSRF token, URLs. */
struct na_page_view_t *nextauth_pages_view(nextauth_req_t *req);

#endif
