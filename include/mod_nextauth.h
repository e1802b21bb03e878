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
    const char *origin;      /**< "https://example.com" */
    const char *base_url;    /**< origin + base path */
    int secure;              /**< secure cookies and name prefixes */
    na_cookie_names_t names;
    const char *csrf_token;  /**< the token of a valid (or freshly minted) CSRF cookie */
    int csrf_valid;          /**< the request carried a valid CSRF cookie */
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

/* mod_nextauth_req.c */
/** Origin, base URL, secure mode and cookie names for r into *out: OK, HTTP_BAD_REQUEST
 *  (the client's Host is no host name) or HTTP_INTERNAL_SERVER_ERROR (no usable origin:
 *  ServerName cannot make one); both logged. */
int nextauth_req_make(request_rec *r, const na_server_conf_t *conf, nextauth_req_t **out);
/** Attributes for the module's cookies on this request (secure, domain). */
na_cookie_attr_t nextauth_req_cookie_attr(const nextauth_req_t *req, apr_int64_t max_age,
                                          apr_time_t expires);
/** What follows the base path in r's URI ("" or "/..."), or NULL when r is not ours. */
const char *nextauth_req_subpath(request_rec *r, const na_server_conf_t *conf);
/** 1 when the POSTed csrfToken matches a valid CSRF cookie (double submit). */
int nextauth_req_csrf_ok(const nextauth_req_t *req);

/* mod_nextauth_session.c */
int nextauth_session_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s);
/** Child init: the per-process memo of decoded session tokens (na_session_memo.h). */
void nextauth_session_child_init(apr_pool_t *p, server_rec *s);
/**
 * The session of r's request tree (decrypted once, cached on the original request), or
 * NULL; *status is NA_OK, NA_EDENIED when no cookie was sent, or why the cookie failed.
 */
const na_session_claims_t *nextauth_session_load(request_rec *r, const na_server_conf_t *conf,
                                                 const na_cookie_names_t *names, int *status);
/** The session already loaded for r's request tree, or NULL. */
const na_session_claims_t *nextauth_session_cached(request_rec *r);
/** 1 when the browser sent any session cookie chunk (load first). */
int nextauth_session_sent(request_rec *r);
/** Clear every session cookie chunk the browser sent (load first). */
void nextauth_session_clear(nextauth_req_t *req);
/** Write a fresh session cookie for claims; *expires receives its end (epoch seconds). */
apr_status_t nextauth_session_issue(nextauth_req_t *req, na_session_claims_t *claims,
                                    apr_int64_t *expires);
/** 1 when r's session cookie is a database session token (load first); *token and
 *  *expires (either may be NULL) receive it and its row's expiry. */
int nextauth_session_db(request_rec *r, const char **token, apr_int64_t *expires);
/** Create a database session row for user_id and write its cookie. */
apr_status_t nextauth_session_issue_db(nextauth_req_t *req, const char *user_id,
                                       apr_int64_t *expires);
/** Re-set the loaded database session's cookie, moving its row's expiry once updateAge
 *  has passed; *expires_before receives the expiry before any move. */
apr_status_t nextauth_session_refresh_db(nextauth_req_t *req, apr_int64_t *expires_before);

/* mod_nextauth_signin.c: POST signin/:provider */
int nextauth_route_signin_post(nextauth_req_t *req);

/* mod_nextauth_callback.c: GET|POST callback/:provider (credentials sign-in included) */
int nextauth_route_callback(nextauth_req_t *req);

/* mod_nextauth_signout.c: POST signout (and sign-out at the provider) */
int nextauth_route_signout_post(nextauth_req_t *req);

/* mod_nextauth_complete.c */
/** Sign the user in: policy check, with NextAuthDatabase the user and account (found,
 *  linked or created; account may be NULL for credentials), session cookie or database
 *  session, redirect to NextAuthPages newUser (new users) or the callback URL. */
int nextauth_signin_complete(nextauth_req_t *req, const na_provider_t *prov,
                             na_session_claims_t *claims, const na_store_account_t *account);

/* mod_nextauth_oauth.c, mod_nextauth_oauth_callback.c, mod_nextauth_oidc.c */
#include "na_oauth.h"
struct na_oauth_discovery_t;
struct na_http_request_t;
struct na_http_response_t;
int nextauth_oauth_signin(nextauth_req_t *req, const na_provider_t *prov);
int nextauth_oauth_callback(nextauth_req_t *req, const na_provider_t *prov);
/** How a check cookie (NA_CHECK_INDEX_*) of prov is sealed and read on this request. */
na_oauth_check_ctx_t nextauth_oauth_ctx(nextauth_req_t *req, const na_provider_t *prov, int idx);
/** The name of a check cookie (NA_CHECK_INDEX_*) of the flow whose state is `state`. */
const char *nextauth_oauth_cookie_name(nextauth_req_t *req, const na_provider_t *prov, int idx,
                                       const char *state);
int nextauth_oidc_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                              server_rec *s);
void nextauth_oidc_child_init(apr_pool_t *p, server_rec *s);
/** The provider's endpoints, its configuration completed by (cached) discovery. */
apr_status_t nextauth_oidc_endpoints(request_rec *r, const na_provider_t *prov,
                                     struct na_oauth_discovery_t *out);
/** GET a JSON document through the per-process cache (force: skip the cached copy);
 *  NULL with *err filled (not logged) when it cannot be had. */
const char *nextauth_oidc_fetch(request_rec *r, const na_provider_t *prov, const char *url,
                                int force, na_err_t *err);
/** Keep a fetched document that parsed, for later requests of this process. */
void nextauth_oidc_remember(request_rec *r, const char *url, const char *text);
/** 1 when a forced JWKS refetch is allowed now (at most one a minute per URL). */
int nextauth_oidc_may_refetch(request_rec *r, const char *url);
/** Apply the provider's timeout to an outbound request. */
void nextauth_oidc_timeouts(const na_provider_t *prov, struct na_http_request_t *hreq);
/** One outbound request; a failure fills *err ("request to <url> failed: ...", a class
 *  that is never the browser's) for the caller's one log line. The HTTP status is the
 *  caller's to judge. */
na_status_t nextauth_oidc_perform(request_rec *r, const struct na_http_request_t *hreq,
                                  struct na_http_response_t *resp, na_err_t *err);

/* mod_nextauth_db.c: the store (na_store.h) on mod_dbd's connection of the request. The
 * rows are the core's. Each nextauth_db_* call answers APR_SUCCESS, APR_NOTFOUND (no such
 * row), or another error that it has logged (a missing table is logged naming the schema
 * file, and answered NEXTAUTH_DB_ESCHEMA). */
typedef na_store_user_t nextauth_user_t;
typedef na_store_account_t nextauth_account_t;

/** The store on this request's connection, its notes logged against r; NULL (logged)
 *  when mod_dbd gives no connection. */
na_store_t *nextauth_db_store(request_rec *r);
apr_status_t nextauth_db_user_by_id(request_rec *r, const char *id, nextauth_user_t **user);
apr_status_t nextauth_db_token_create(request_rec *r, const char *identifier, const char *hash,
                                      apr_int64_t expires);
/** Delete the row matching identifier and hash in one statement and give its expiry:
 *  single use, also across hosts. APR_NOTFOUND when no row matched. */
apr_status_t nextauth_db_token_use(request_rec *r, const char *identifier, const char *hash,
                                   apr_int64_t *expires);
apr_status_t nextauth_db_session_create(request_rec *r, const char *user_id, const char *token,
                                        apr_int64_t expires);
apr_status_t nextauth_db_session_get(request_rec *r, const char *token, apr_int64_t *expires,
                                     nextauth_user_t **user);
apr_status_t nextauth_db_session_update(request_rec *r, const char *token, apr_int64_t expires);
apr_status_t nextauth_db_session_delete(request_rec *r, const char *token);
/** The error every call answers when a table is missing (conf/schema/ not applied):
 *  callers end the request with the Configuration error. */
#define NEXTAUTH_DB_ESCHEMA NA_STORE_ESCHEMA

/* mod_nextauth_email.c */
int nextauth_email_signin(nextauth_req_t *req, const na_provider_t *prov);
int nextauth_email_callback(nextauth_req_t *req, const na_provider_t *prov);

/* mod_nextauth_limit.c: counters shared through mod_socache (NextAuthRateLimit). */
typedef enum {
    NEXTAUTH_LIMIT_EMAIL_ADDR = 0, /**< magic-link requests per address */
    NEXTAUTH_LIMIT_EMAIL_IP,       /**< magic-link requests per client IP */
    NEXTAUTH_LIMIT_CRED_USER,      /**< failed credentials sign-ins per username */
    NEXTAUTH_LIMIT_CRED_IP,        /**< failed credentials sign-ins per client IP */
    NEXTAUTH_LIMIT__COUNT
} nextauth_limit_e;

/** Count one event for key (stored hashed, never raw); 1 when this event is over the
 *  limit (refuse it), 0 otherwise. *retry_after: seconds until the window ends. */
int nextauth_limit_hit(request_rec *r, nextauth_limit_e kind, const char *key,
                       apr_int64_t *retry_after);
/** 1 when key is already over the limit, without counting. */
int nextauth_limit_over(request_rec *r, nextauth_limit_e kind, const char *key,
                        apr_int64_t *retry_after);
/** "credentialsUser=3/60" (or "=off"): the limit of kind on r's server, for log lines. */
const char *nextauth_limit_describe(request_rec *r, nextauth_limit_e kind);
int nextauth_limit_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
int nextauth_limit_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s);
int nextauth_limit_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                               server_rec *s);
void nextauth_limit_child_init(apr_pool_t *p, server_rec *s);

/* mod_nextauth_credentials.c */
/** Check username/password through the provider's Apache authn providers. */
authn_status nextauth_credentials_check(request_rec *r, const na_provider_t *prov,
                                        const char *user, const char *password);

/* mod_nextauth_authn.c */
int nextauth_authn_post_read_request(request_rec *r);
int nextauth_authn_check(request_rec *r);
int nextauth_authn_access_ex(request_rec *r);
int nextauth_authn_note_failure(request_rec *r, const char *auth_type);
/** 1 when r is the error route reached for an API client whom a Require line refused. */
int nextauth_authn_denied_json(request_rec *r);
int nextauth_authn_fixups(request_rec *r);
void nextauth_authz_register(apr_pool_t *p);

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
/** "<origin><page>", with "?key=value" when key is given (custom pages; page is local). */
const char *nextauth_pages_custom(nextauth_req_t *req, const char *page, const char *key,
                                  const char *value);
/** NextAuthPages signIn with the callbackUrl and, when given, the error value. */
const char *nextauth_pages_signin_url(nextauth_req_t *req, const char *error);
struct na_page_view_t;
/** What a built-in page shows for this request: language, theme, CSRF token, URLs. */
struct na_page_view_t *nextauth_pages_view(nextauth_req_t *req);

/* mod_nextauth_fail.c: one way from a failure to its log line and its answer. The
 * class (na_status_t) picks the log level (client faults at INFO, ours and our peers' at
 * ERR), the JSON status and the default NextAuth code, in one table; the call site gives
 * its own log number, NA_LOGNO(n), so each line still names where it was written. */
/**
 * Log a failure once, at its class's level: "<logno><what>: <err->detail>" (err may be
 * NULL; the detail is for the log only).
 */
void nextauth_fail_log(request_rec *r, const char *logno, na_status_t status,
                       const na_err_t *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
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

/* mod_nextauth_body.c */
/** Read a bounded urlencoded or JSON POST body into *form; OK or an HTTP status. */
int nextauth_body_read(request_rec *r, apr_table_t **form);

/* mod_nextauth_reply.c */
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
