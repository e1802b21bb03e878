/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_lib.h>

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>

#include "mod_nextauth_authn.h"
#include "mod_nextauth_bearer.h"
#include "mod_nextauth_conf.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_req.h"
#include "mod_nextauth_revoke.h"
#include "mod_nextauth_session.h"
#include "mod_nextauth_tokens.h"

#define NEXTAUTH_HEADER_PREFIX "x-nextauth-"

static const na_dir_conf_t *nextauth_authn_dir(request_rec *r)
{
    return ap_get_module_config(r->per_dir_config, &nextauth_module);
}

static int nextauth_authn_is_ours(request_rec *r)
{
    const char *type = ap_auth_type(r);

    return type && strcasecmp(type, NEXTAUTH_AUTH_TYPE) == 0;
}

/* Collects header names that a backend would read as one of ours: any case, and '_'
 * for '-' (CGI turns both into HTTP_X_NEXTAUTH_...). */
static int nextauth_authn_spoofed(void *rec, const char *key, const char *value)
{
    apr_array_header_t *names = rec;
    apr_size_t i, n = strlen(NEXTAUTH_HEADER_PREFIX);

    (void)value;
    if (strlen(key) < n) {
        return 1;
    }
    for (i = 0; i < n; i++) {
        char c = (char)apr_tolower(key[i]);
        if ((c == '_' ? '-' : c) != NEXTAUTH_HEADER_PREFIX[i]) {
            return 1;
        }
    }
    APR_ARRAY_PUSH(names, const char *) = key;
    return 1;
}

/* Every request, signed in or not, OPTIONS too: identity headers only ever come from
 * us, so whatever the client sent under those names goes before anyone reads it. */
int nextauth_authn_post_read_request(request_rec *r)
{
    apr_array_header_t *names;
    int i;

    if (!nextauth_conf_server(r->server)->touched) {
        return DECLINED;
    }
    names = apr_array_make(r->pool, 2, sizeof(const char *));
    apr_table_do(nextauth_authn_spoofed, names, r->headers_in, NULL);
    for (i = 0; i < names->nelts; i++) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, NA_LOGNO(00024) "removed client-sent header %s",
                      ap_escape_logitem(r->pool, APR_ARRAY_IDX(names, i, const char *)));
        apr_table_unset(r->headers_in, APR_ARRAY_IDX(names, i, const char *));
    }
    return DECLINED;
}

/* Header values come from the session; a control character would split the header. */
static void nextauth_authn_header(request_rec *r, const char *name, const char *value)
{
    char *clean, *c;

    if (value == NULL || *value == '\0') {
        return;
    }
    clean = apr_pstrdup(r->pool, value);
    for (c = clean; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            *c = ' ';
        }
    }
    apr_table_setn(r->headers_in, name, clean);
}

/* The e-mail, else provider:sub. A bare sub is only unique within its provider: GitHub's
 * user 42 and an OIDC provider's user "42" must not be one REMOTE_USER, nor a credentials
 * user name another provider's subject. A session that names no provider (database
 * sessions, tokens made by next-auth) has ":sub", as no provider id is empty. */
const char *nextauth_authn_user(request_rec *r, const na_session_claims_t *claims)
{
    if (claims->email) {
        return apr_pstrdup(r->pool, claims->email);
    }
    /* Tokens of next-auth's jwt callback may leave both out: "provider:" alone would make
     * every such user one. */
    if (claims->sub == NULL || *claims->sub == '\0') {
        return NULL;
    }
    return apr_pstrcat(r->pool, claims->provider ? claims->provider : "", ":", claims->sub, NULL);
}

/* 0 when the session names nobody (no e-mail, no sub): it signs no one in. */
static int nextauth_authn_apply(request_rec *r, const na_session_claims_t *claims)
{
    const na_dir_conf_t *d = nextauth_authn_dir(r);

    if ((r->user = (char *)nextauth_authn_user(r, claims)) == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00093) "session refused: it has neither an e-mail nor a sub");
        return 0;
    }
    r->ap_auth_type = NEXTAUTH_AUTH_TYPE;
    if (d->identity_headers == 0) {
        return 1;
    }
    nextauth_authn_header(r, "X-NextAuth-Email", claims->email);
    nextauth_authn_header(r, "X-NextAuth-Name", claims->name);
    nextauth_authn_header(r, "X-NextAuth-Sub", claims->sub);
    nextauth_authn_header(r, "X-NextAuth-Provider", claims->provider);
    nextauth_authn_header(r, "X-NextAuth-Image", claims->picture);
    return 1;
}

/* API clients cannot follow a redirect to a sign-in page; they get 401. */
static int nextauth_authn_wants_json(request_rec *r)
{
    const char *accept = apr_table_get(r->headers_in, "Accept");
    const char *xrw = apr_table_get(r->headers_in, "X-Requested-With");
    const char *mode = apr_table_get(r->headers_in, "Sec-Fetch-Mode");

    return (accept && ap_strcasestr(accept, "application/json"))
           || (xrw && strcasecmp(xrw, "XMLHttpRequest") == 0)
           || (mode && strcasecmp(mode, "cors") == 0);
}

static int nextauth_authn_unauthorized(request_rec *r)
{
    apr_table_setn(r->err_headers_out, "WWW-Authenticate", "NextAuth");
    return HTTP_UNAUTHORIZED;
}

static int nextauth_authn_redirect(nextauth_req_t *req)
{
    request_rec *r = req->r;
    const char *back = apr_pstrcat(r->pool, req->origin, r->unparsed_uri, NULL);
    const char *page = req->conf->pages.signin;
    const char *url = page ? apr_pstrcat(r->pool, req->origin, page, NULL)
                           : apr_pstrcat(r->pool, req->base_url, "/signin", NULL);

    return nextauth_reply_location(r, na_url_append_query(r->pool, url, "callbackUrl", back));
}

#define NEXTAUTH_NOTE_DENIED "nextauth-access-denied"

/* mod_authz_core answers a refused Require with 401 and asks the auth type to describe
 * itself. A user we signed in is not "unauthenticated" but refused: next-auth's
 * AccessDenied, 403, whether or not the admin knows AuthzSendForbiddenOnFailure. The 401
 * becomes an internal redirect to the error route (ap_die follows a local custom
 * response), which answers 403; nobody else is, so their 401 gets WWW-Authenticate. */
int nextauth_authn_note_failure(request_rec *r, const char *auth_type)
{
    if (auth_type == NULL || strcasecmp(auth_type, NEXTAUTH_AUTH_TYPE) != 0) {
        return DECLINED;
    }
    if (r->user && r->ap_auth_type && strcmp(r->ap_auth_type, NEXTAUTH_AUTH_TYPE) == 0) {
        apr_table_setn(r->notes, NEXTAUTH_NOTE_DENIED, "1");
        ap_custom_response(r, HTTP_UNAUTHORIZED,
                           apr_pstrcat(r->pool,
                                       na_config_base_path(nextauth_conf_server(r->server)),
                                       "/error?error=AccessDenied", NULL));
        return OK;
    }
    apr_table_setn(r->err_headers_out, "WWW-Authenticate", "NextAuth");
    return OK;
}

int nextauth_authn_denied_bearer(request_rec *r)
{
    return r->prev && apr_table_get(r->prev->notes, NEXTAUTH_NOTE_DENIED)
           && nextauth_bearer_used(r->prev);
}

int nextauth_authn_denied_json(request_rec *r)
{
    return r->prev && apr_table_get(r->prev->notes, NEXTAUTH_NOTE_DENIED)
           && nextauth_authn_wants_json(r->prev);
}

/* The sign-in routes must stay reachable inside a location they protect (AuthType
 * NextAuth on "/"), or the sign-in page would redirect to itself. Only the routes: the
 * rest of the base path stays protected like any other path (the handler, which runs
 * before any other, answers those with 404 once signed in). */
int nextauth_authn_access_ex(request_rec *r)
{
    const char *subpath;
    na_route_match_t m;

    if (!nextauth_authn_is_ours(r)
        || (subpath = nextauth_req_subpath(r, nextauth_conf_server(r->server))) == NULL
        || na_route_match(r->pool, r->method, subpath, &m) == NA_ROUTE_NOT_FOUND) {
        return DECLINED;
    }
    return OK;
}

/* NextAuthSession idle=: GET session renews the cookie, a protected request does not,
 * so a user who only browses protected pages would idle out while using the site. Once a
 * quarter of idle has passed since the token's iat, the protected answer carries a
 * renewed cookie (err_headers_out: it survives a proxied or error response). Nothing is
 * measured when idle is unset; database sessions keep their row's own expiry. */
static void nextauth_authn_renew_idle(nextauth_req_t *req, const na_session_claims_t *claims)
{
    apr_int64_t idle = na_config_idle(req->conf), expires;
    na_session_claims_t renewed;

    if (idle == 0 || req->r->main || nextauth_session_db(req->r, NULL, NULL)
        || nextauth_bearer_used(req->r) || apr_time_sec(apr_time_now()) - claims->iat <= idle / 4) {
        return;
    }
    renewed = *claims;
    nextauth_session_issue(req, &renewed, &expires); /* a failure is logged and harmless */
}

int nextauth_authn_check(request_rec *r)
{
    const na_server_conf_t *conf = nextauth_conf_server(r->server);
    const na_session_claims_t *claims;
    const char *token;
    nextauth_req_t *req;
    int status;

    if (!nextauth_authn_is_ours(r)) {
        return DECLINED;
    }
    if (conf->session_nkeys == 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      NA_LOGNO(00025) "AuthType NextAuth needs " NA_DIR_SECRET " on this server");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if ((status = nextauth_req_make(r, conf, &req)) != OK) {
        return status;
    }
    claims = nextauth_session_load(r, conf, &req->names, &status);
    /* next-auth's getToken: the cookie when there is one, else the Authorization header
     * (a client's Authorization beside a cookie is the backend's business). */
    if (claims == NULL && !nextauth_session_sent(r) && (token = nextauth_bearer_token(r)) != NULL) {
        return nextauth_bearer_authenticate(req, token);
    }
    if (claims && nextauth_authn_apply(r, claims)) {
        nextauth_authn_renew_idle(req, claims);
        return OK;
    }
    if (status == NA_EPEER) {
        /* The revocation list (fail closed) or the session database failed (logged). */
        return nextauth_revoke_down(r) ? HTTP_SERVICE_UNAVAILABLE : HTTP_INTERNAL_SERVER_ERROR;
    }
    return nextauth_authn_refuse(req);
}

int nextauth_authn_refuse(nextauth_req_t *req)
{
    request_rec *r = req->r;
    const na_dir_conf_t *d = nextauth_authn_dir(r);
    int status;

    if (d->unauthenticated == NA_UNAUTH_REDIRECT || d->unauthenticated == NA_UNSET) {
        if (!nextauth_authn_wants_json(r) && (r->method_number == M_GET)) {
            return nextauth_authn_redirect(req);
        }
    }
    status = nextauth_authn_unauthorized(r);
    nextauth_bearer_challenge(req);
    return status;
}

/* Remove the module's own cookies from the Cookie header the backend will see. */
static void nextauth_authn_strip_cookies(request_rec *r, const na_cookie_names_t *names)
{
    const char *header = apr_table_get(r->headers_in, "Cookie");
    const char *const ours[] = {names->session, names->callback_url, names->csrf,
                                names->pkce,    names->state,        names->nonce};
    const char *kept;

    if (header == NULL) {
        return;
    }
    kept = na_cookie_strip(r->pool, header, ours, (int)(sizeof(ours) / sizeof(ours[0])));
    if (kept) {
        apr_table_setn(r->headers_in, "Cookie", kept);
    }
    else {
        apr_table_unset(r->headers_in, "Cookie");
    }
}

/* The directory hands the backend tokens or claims of the session's record. */
static int nextauth_authn_passes(const na_dir_conf_t *d)
{
    return d->pass_tokens == NA_PASS_ACCESS || d->pass_tokens == NA_PASS_ID
           || d->pass_claims != NULL;
}

/* Locations whose Require lines need no user never run authentication; they still get
 * the identity when there is a session ("pass"), and the cookie stripping. */
int nextauth_authn_fixups(request_rec *r)
{
    const na_server_conf_t *conf = nextauth_conf_server(r->server);
    const na_dir_conf_t *d = nextauth_authn_dir(r);
    const na_session_claims_t *claims;
    nextauth_req_t *req;
    int status;

    if (!nextauth_authn_is_ours(r) || conf->session_nkeys == 0) {
        return DECLINED;
    }
    /* Signed in by nextauth_authn_check and no cookie to strip: the common protected
     * request needs no second nextauth_req_t (cookie names, origin, tables). */
    if (r->user != NULL && d->strip_cookies != 1) {
        status = nextauth_authn_passes(d) ? nextauth_pass_apply(r, nextauth_session_cached(r)) : OK;
        return status == OK ? DECLINED : status;
    }
    if (nextauth_req_make(r, conf, &req) != OK) {
        return DECLINED;
    }
    if (r->user == NULL
        && (claims = nextauth_session_load(r, conf, &req->names, &status)) != NULL) {
        nextauth_authn_apply(r, claims);
    }
    if (r->user != NULL && nextauth_authn_passes(d)
        && (status = nextauth_pass_apply(r, nextauth_session_cached(r))) != OK) {
        return status;
    }
    if (d->strip_cookies == 1) {
        nextauth_authn_strip_cookies(r, &req->names);
    }
    return DECLINED;
}
