/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_H
#define MOD_NEXTAUTH_H

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <mod_auth.h>

#include "na_config.h"
#include "na_cookie.h"
#include "na_directives.h" /* every glue file reports with the directive names */
#include "na_route.h"
#include "na_session.h"
#include "na_store.h"

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
    const char *origin;   /**< "https://example.com" */
    const char *base_url; /**< origin + base path */
    int secure;           /**< secure cookies and name prefixes */
    na_cookie_names_t names;
    const char *csrf_token;   /**< the token of a valid (or freshly minted) CSRF cookie */
    int csrf_valid;           /**< the request carried a valid CSRF cookie */
    apr_table_t *query;       /**< decoded query parameters */
    apr_table_t *form;        /**< decoded POST body (empty for other methods) */
    const char *callback_url; /**< validated callbackUrl (body, query, cookie or origin) */
    int json;                 /**< the POST asked for {"url": ...} instead of a redirect */
    na_route_match_t route;
    const char *idp_claims; /**< sign-in: the IdP's claims (JSON) to keep with its tokens */
    const char *idp_sid;    /**< OIDC sign-in: the ID token's sid (its back-channel logout) */
    const char *idp_sub;    /**< OAuth sign-in: the IdP's subject */
} nextauth_req_t;

typedef int (*nextauth_route_fn)(nextauth_req_t *req);

#endif
