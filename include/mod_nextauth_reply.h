/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_REPLY_H
#define MOD_NEXTAUTH_REPLY_H

/* Glue: src/httpd/mod_nextauth_reply.c. */

#include "mod_nextauth.h"

/** HTML page with the headers that keep it from being framed, cached or leaking the URL. */
int nextauth_reply_html(nextauth_req_t *req, int status, const char *html);
/** 302 to url, or {"url": url} with json_status when the client asked for JSON. */
int nextauth_reply_redirect(nextauth_req_t *req, const char *url, int json_status);
/** 302 to url with Cache-Control: no-store; a url with CR or LF is refused (500, logged):
 *  every Location the module sends goes through here. */
int nextauth_reply_location(request_rec *r, const char *url);
int nextauth_reply_json(request_rec *r, int status, const char *body);
int nextauth_reply_text(request_rec *r, int status, const char *type, const char *body);
void nextauth_reply_no_store(request_rec *r);
void nextauth_reply_set_cookie(request_rec *r, const char *set_cookie);
int nextauth_reply_config_error(nextauth_req_t *req, const char *why);

#endif
