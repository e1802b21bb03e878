/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>

#include "mod_nextauth_api.h"
#include "mod_nextauth_authn.h"
#include "mod_nextauth_backchannel.h"
#include "mod_nextauth_bearer.h"
#include "mod_nextauth_body.h"
#include "mod_nextauth_callback.h"
#include "mod_nextauth_conf.h"
#include "mod_nextauth_handler.h"
#include "mod_nextauth_pages.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_req.h"
#include "mod_nextauth_signin.h"
#include "mod_nextauth_signout.h"
#include "na_csrf.h"
#include "na_form.h"

/* Route id -> glue function, for GET (and HEAD) and for POST. na_route's table says which
 * methods each route takes; every route it finds has an entry here. */
static const nextauth_route_fn nextauth_get_routes[NA_ROUTE__COUNT] = {
    [NA_ROUTE_SIGNIN] = nextauth_route_signin_page,
    [NA_ROUTE_CALLBACK] = nextauth_route_callback,
    [NA_ROUTE_SIGNOUT] = nextauth_route_signout_page,
    [NA_ROUTE_SESSION] = nextauth_route_session,
    [NA_ROUTE_CSRF] = nextauth_route_csrf,
    [NA_ROUTE_PROVIDERS] = nextauth_route_providers,
    [NA_ROUTE_VERIFY_REQUEST] = nextauth_route_verify_request,
    [NA_ROUTE_ERROR] = nextauth_route_error,
    [NA_ROUTE_LOGO] = nextauth_route_logo,
};

static const nextauth_route_fn nextauth_post_routes[NA_ROUTE__COUNT] = {
    [NA_ROUTE_SIGNIN] = nextauth_route_signin_post,
    [NA_ROUTE_SIGNIN_PROVIDER] = nextauth_route_signin_post,
    [NA_ROUTE_CALLBACK] = nextauth_route_callback,
    [NA_ROUTE_SIGNOUT] = nextauth_route_signout_post,
    [NA_ROUTE_SESSION] = nextauth_route_session,
    [NA_ROUTE_LOG] = nextauth_route_log,
    [NA_ROUTE_BACKCHANNEL] = nextauth_route_backchannel,
};

/* next-auth checks or mints the CSRF cookie on every request to its routes. */
static apr_status_t nextauth_handler_csrf(nextauth_req_t *req)
{
    request_rec *r = req->r;
    const char *value =
        na_cookie_get(r->pool, apr_table_get(r->headers_in, "Cookie"), req->names.csrf);
    const char *token = NULL, *cookie = NULL;
    int current = 0;
    /* Host-only, as its __Host- name demands: never a Domain attribute. */
    na_cookie_attr_t attr = {NA_UNSET, 0, NULL, req->secure};

    if (value
        && na_csrf_verify_cookie(r->pool, value, req->conf->secrets, &token, &current) == NA_OK
        && current) {
        req->csrf_token = token;
        req->csrf_valid = 1;
        return APR_SUCCESS;
    }
    if (value) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00003) "CSRF cookie not valid under the current secret, replaced");
    }
    if (na_csrf_issue(r->pool, APR_ARRAY_IDX(req->conf->secrets, 0, const char *), &token, &cookie)
        != NA_OK) {
        return APR_EGENERAL;
    }
    req->csrf_token = token;
    nextauth_reply_set_cookie(r, na_cookie_serialize(r->pool, req->names.csrf, cookie, &attr));
    return APR_SUCCESS;
}

/* next-auth resolves the callback URL on every request: the body's or the query's
 * callbackUrl, else the callback-url cookie, else the origin; each candidate goes
 * through the redirect check, and the cookie follows the result. */
static void nextauth_handler_callback_url(nextauth_req_t *req)
{
    request_rec *r = req->r;
    const char *given = apr_table_get(req->form, "callbackUrl");
    const char *cookie =
        na_cookie_get(r->pool, apr_table_get(r->headers_in, "Cookie"), req->names.callback_url);
    const char *url = NULL;
    na_cookie_attr_t attr = nextauth_req_cookie_attr(req, NA_UNSET, 0);

    if (given == NULL) {
        given = apr_table_get(req->query, "callbackUrl");
    }
    if (given || cookie) {
        url = na_url_check_callback(r->pool, req->origin, req->conf->redirect_allow,
                                    given ? given : cookie);
        if (url == NULL) {
            ap_log_rerror(
                APLOG_MARK, APLOG_INFO, 0, r,
                NA_LOGNO(00009) "callbackUrl refused (not on this site or an allowed origin)");
        }
    }
    req->callback_url = url ? url : req->origin;
    if (cookie == NULL || strcmp(cookie, req->callback_url) != 0) {
        nextauth_reply_set_cookie(
            r, na_cookie_serialize(r->pool, req->names.callback_url, req->callback_url, &attr));
    }
}

static int nextauth_handler_reject(request_rec *r, na_route_result_e result,
                                   const na_route_match_t *m)
{
    if (result == NA_ROUTE_BAD_METHOD) {
        /* httpd builds the Allow header of a 405 from r->allowed_methods. */
        if (strcmp(m->allow, "POST") == 0) {
            ap_allow_methods(r, REPLACE_ALLOW, "POST", NULL);
        }
        else if (strstr(m->allow, "POST")) {
            ap_allow_methods(r, REPLACE_ALLOW, "GET", "HEAD", "POST", NULL);
        }
        else {
            ap_allow_methods(r, REPLACE_ALLOW, "GET", "HEAD", NULL);
        }
        r->allowed = 0;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    return HTTP_NOT_FOUND;
}

static int nextauth_handler_is(const apr_table_t *t, const char *key, const char *want)
{
    const char *value = apr_table_get(t, key);

    return value && strcmp(value, want) == 0;
}

static int nextauth_handler_setup(nextauth_req_t *req)
{
    request_rec *r = req->r;
    int rv;

    if (na_form_parse(r->pool, r->args, &req->query) != NA_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00004) "client sent an oversized query string");
        return HTTP_REQUEST_URI_TOO_LARGE;
    }
    if ((rv = nextauth_body_read(r, &req->form)) != OK) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00010) "client sent an unreadable or oversized body (%d)", rv);
        return rv;
    }
    /* next-auth v4's client sends json=true; Auth.js v5's sends this header. */
    req->json = r->method_number == M_POST
                && (nextauth_handler_is(req->form, "json", "true")
                    || nextauth_handler_is(r->headers_in, "X-Auth-Return-Redirect", "1"));
    return OK;
}

int nextauth_handler(request_rec *r)
{
    const na_server_conf_t *conf = nextauth_conf_server(r->server);
    nextauth_req_t *req;
    na_route_result_e result;
    nextauth_route_fn route;
    na_route_match_t route_match;
    const char *subpath;
    int rv;

    if ((subpath = nextauth_req_subpath(r, conf)) == NULL) {
        return DECLINED;
    }
    result = na_route_match(r->pool, r->method, subpath, &route_match);
    if (result == NA_ROUTE_BAD_METHOD && strncmp(subpath, "/callback/", 10) == 0) {
        const na_provider_t *prov = na_config_provider(conf, subpath + 10);
        /* Credentials take only POST, whatever other providers' callbacks take. */
        if (prov && prov->kind == NA_PROVIDER_CREDENTIALS) {
            route_match.allow = "POST";
        }
    }
    if (result != NA_ROUTE_FOUND) {
        return nextauth_handler_reject(r, result, &route_match);
    }
    if ((rv = nextauth_req_make(r, conf, &req)) != OK) {
        return rv;
    }
    req->route = route_match;
    if ((rv = nextauth_handler_setup(req)) != OK) {
        return rv;
    }
    if (conf->secrets == NULL || conf->secrets->nelts == 0) {
        return nextauth_reply_config_error(req, NA_DIR_SECRET " is not set for this server");
    }
    route =
        (r->method_number == M_POST ? nextauth_post_routes : nextauth_get_routes)[req->route.id];
    if (route == NULL) {
        /* The two tables disagree: our bug, never a feature still to come. */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00131) "route %d has no %s function",
                      (int)req->route.id, r->method);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    /* next-auth answers providers without the cookies its init made; the badge is static;
     * an IdP's back channel is no browser. */
    if (req->route.id == NA_ROUTE_LOGO || req->route.id == NA_ROUTE_PROVIDERS
        || req->route.id == NA_ROUTE_BACKCHANNEL) {
        return route(req);
    }
    /* A bearer identity refused by a Require line: an API answer, without cookies. */
    if (nextauth_authn_denied_bearer(r)) {
        return nextauth_bearer_forbidden(req);
    }
    if (nextauth_handler_csrf(req) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00005) "cannot mint a CSRF token");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    nextauth_handler_callback_url(req);
    return route(req);
}
