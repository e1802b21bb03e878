/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_H
#define MOD_NEXTAUTH_H

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>

#include "na_config.h"
#include "na_cookie.h"
#include "na_route.h"

/* Glue-private declarations: only src/httpd and mod_nextauth.c include this. */

extern module AP_MODULE_DECLARE_DATA nextauth_module;
APLOG_USE_MODULE(nextauth);

/** Log message tag, as APLOGNO does for httpd: "NA00012: ". */
#define NA_LOGNO(n) "NA" #n ": "

#define NEXTAUTH_AUTH_TYPE "NextAuth"

/** Everything one request to a route needs, built once by the handler. */
typedef struct nextauth_req_t {
    request_rec *r;
    const na_server_conf_t *conf;
    const char *origin;      /**< "https://example.com" */
    const char *base_url;    /**< origin + base path */
    int secure;              /**< secure cookies and name prefixes */
    na_cookie_names_t names;
    const char *csrf_token;  /**< the token of a valid (or freshly minted) CSRF cookie */
    apr_table_t *query;      /**< decoded query parameters */
    apr_table_t *form;       /**< decoded POST body (empty for other methods) */
    const char *callback_url;/**< validated callbackUrl (body, query, cookie or origin) */
    int json;                /**< the POST asked for {"url": ...} instead of a redirect */
    na_route_match_t route;
} nextauth_req_t;

typedef int (*nextauth_route_fn)(nextauth_req_t *req);

/* mod_nextauth_cmds.c */
extern const command_rec nextauth_cmds[];

/* mod_nextauth_conf.c */
void *nextauth_conf_create_server(apr_pool_t *p, server_rec *s);
void *nextauth_conf_merge_server(apr_pool_t *p, void *base, void *add);
void *nextauth_conf_create_dir(apr_pool_t *p, char *dir);
void *nextauth_conf_merge_dir(apr_pool_t *p, void *base, void *add);
int nextauth_conf_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
const na_server_conf_t *nextauth_conf_server(const server_rec *s);

/* mod_nextauth_handler.c */
int nextauth_handler(request_rec *r);

/* mod_nextauth_api.c */
int nextauth_route_providers(nextauth_req_t *req);
int nextauth_route_csrf(nextauth_req_t *req);
int nextauth_route_session(nextauth_req_t *req);
int nextauth_route_log(nextauth_req_t *req);

/* mod_nextauth_pages.c */
int nextauth_route_signin_page(nextauth_req_t *req);
int nextauth_route_signout_page(nextauth_req_t *req);
int nextauth_route_verify_request(nextauth_req_t *req);
int nextauth_route_error(nextauth_req_t *req);
int nextauth_route_logo(nextauth_req_t *req);
/**
 * Send the user where next-auth sends a failure with this error code: sign-in page
 * codes to the sign-in page (or NextAuthPages signIn), all others to the error page
 * (or NextAuthPages error). In JSON mode the answer is {"url": ...} with json_status.
 */
int nextauth_fail(nextauth_req_t *req, const char *code, int json_status);
/** The URL nextauth_fail sends the user to. */
const char *nextauth_error_url(nextauth_req_t *req, const char *code);

/* mod_nextauth_body.c */
/** Read a bounded urlencoded or JSON POST body into *form; OK or an HTTP status. */
int nextauth_body_read(request_rec *r, apr_table_t **form);

/* mod_nextauth_reply.c */
/** HTML page with the headers that keep it from being framed, cached or leaking the URL. */
int nextauth_reply_html(nextauth_req_t *req, int status, const char *html);
/** 302 to url, or {"url": url} with json_status when the client asked for JSON. */
int nextauth_reply_redirect(nextauth_req_t *req, const char *url, int json_status);
int nextauth_reply_json(request_rec *r, int status, const char *body);
int nextauth_reply_text(request_rec *r, int status, const char *type, const char *body);
void nextauth_reply_no_store(request_rec *r);
void nextauth_reply_set_cookie(request_rec *r, const char *set_cookie);
int nextauth_reply_config_error(nextauth_req_t *req, const char *why);

#endif
