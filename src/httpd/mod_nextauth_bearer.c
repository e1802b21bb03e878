/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_lib.h>

#include <http_protocol.h>

#include "mod_nextauth_authn.h"
#include "mod_nextauth_bearer.h"
#include "mod_nextauth_conf.h"
#include "mod_nextauth_oidc.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_req.h"
#include "mod_nextauth_revoke.h"
#include "mod_nextauth_session.h"
#include "mod_nextauth_tokens.h"
#include "na_idtoken.h"
#include "na_logout.h"
#include "na_oauth.h"

/* Bearer requests are API calls: they get 401 or 403 with a WWW-Authenticate that says
 * why (RFC 6750 §3), never a redirect to a page, and never a cookie (a session token used
 * as a bearer is not renewed: the client holds it, not a browser). */

#define NEXTAUTH_NOTE_BEARER "nextauth-bearer"

const char *nextauth_bearer_token(request_rec *r)
{
    const char *h = apr_table_get(r->headers_in, "Authorization");

    if (h == NULL || strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\0')) {
        return NULL;
    }
    for (h += 6; *h == ' '; h++) {
    }
    return h;
}

int nextauth_bearer_used(request_rec *r)
{
    return apr_table_get(nextauth_req_top(r)->notes, NEXTAUTH_NOTE_BEARER) != NULL;
}

/* A quoted-string of RFC 7235 holds no '"', '\\' or control character: our texts don't. */
static const char *nextauth_bearer_header(nextauth_req_t *req, const char *error,
                                          const char *description)
{
    apr_pool_t *p = req->r->pool;
    const char *h = apr_pstrcat(p, "Bearer realm=\"", req->origin, "\"", NULL);

    if (error) {
        h = apr_pstrcat(p, h, ", error=\"", error, "\"", NULL);
    }
    if (description) {
        h = apr_pstrcat(p, h, ", error_description=\"", description, "\"", NULL);
    }
    return h;
}

static int nextauth_bearer_invalid(nextauth_req_t *req, const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, NA_LOGNO(00275) "bearer token refused: %s",
                  why);
    apr_table_setn(req->r->err_headers_out, "WWW-Authenticate",
                   nextauth_bearer_header(req, "invalid_token", why));
    return HTTP_UNAUTHORIZED;
}

static int nextauth_bearer_signed_in(nextauth_req_t *req, const na_session_claims_t *claims)
{
    request_rec *r = req->r;

    if (!nextauth_authn_apply(r, claims)) {
        return nextauth_bearer_invalid(req, "the token names nobody");
    }
    apr_table_setn(nextauth_req_top(r)->notes, NEXTAUTH_NOTE_BEARER, "1");
    return OK;
}

/* This site's session token, as next-auth's getToken reads it from the header. */
static int nextauth_bearer_session(nextauth_req_t *req, const char *token)
{
    int status;
    const na_session_claims_t *claims =
        nextauth_session_load_bearer(req->r, req->conf, token, &status);

    if (claims) {
        return nextauth_bearer_signed_in(req, claims);
    }
    if (status == NA_EPEER && nextauth_revoke_down(req->r)) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    return nextauth_bearer_invalid(req, status == NA_EEXPIRED ? "the session expired"
                                                              : "not a valid session");
}

/* A JWT access token of the configured issuer, verified with its JWKS. */
static int nextauth_bearer_jwt(nextauth_req_t *req, const na_dir_conf_t *d, const char *token)
{
    request_rec *r = req->r;
    na_bearer_expect_t expect = {NULL, d->bearer_audiences, apr_time_sec(r->request_time),
                                 NA_IDTOKEN_TOLERANCE};
    na_oauth_discovery_t ep;
    na_jws_verified_t verified;
    na_bearer_claims_t out;
    na_session_claims_t claims;
    na_err_t err = {NULL, NULL, 0};
    na_status_t st;

    if (nextauth_oidc_endpoints(r, d->bearer_issuer, &ep) != APR_SUCCESS || ep.jwks_uri == NULL) {
        if (ep.issuer && ep.jwks_uri == NULL) { /* discovery failures are logged there */
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          NA_LOGNO(00276) "bearer: issuer %s has no jwks_uri",
                          d->bearer_issuer->issuer);
        }
        apr_table_setn(r->err_headers_out, "Retry-After", "10");
        return HTTP_SERVICE_UNAVAILABLE;
    }
    expect.issuer = ep.issuer;
    if ((st = nextauth_oidc_verify(r, d->bearer_issuer, ep.jwks_uri, token, &verified, &err))
            != NA_OK
        || (st = na_bearer_check(r->pool, &verified, na_jws_header_typ(r->pool, token), &expect,
                                 &out, &err))
               != NA_OK) {
        return nextauth_bearer_invalid(req, st == NA_EEXPIRED ? "the token expired"
                                                              : "not a valid access token");
    }
    memset(&claims, 0, sizeof(claims));
    claims.sub = out.sub;
    claims.email = out.email;
    claims.provider = "bearer";
    claims.exp = out.exp;
    nextauth_session_adopt(r, &claims);
    nextauth_tokens_claims_set(r, out.json);
    return nextauth_bearer_signed_in(req, &claims);
}

/* Compact JWS has three parts, our JWE session tokens five, database tokens one. */
static int nextauth_bearer_parts(const char *token)
{
    int n = 1;

    for (; *token; token++) {
        n += *token == '.';
    }
    return n;
}

int nextauth_bearer_authenticate(nextauth_req_t *req, const char *token)
{
    const na_dir_conf_t *d = ap_get_module_config(req->r->per_dir_config, &nextauth_module);

    if (d->bearer == 0) {
        return nextauth_bearer_invalid(req, "bearer tokens are not accepted here");
    }
    if (*token == '\0' || strlen(token) > NA_JWS_MAX_TOKEN) {
        return nextauth_bearer_invalid(req, "empty or oversized token");
    }
    if (d->bearer_issuer && nextauth_bearer_parts(token) == 3) {
        return nextauth_bearer_jwt(req, d, token);
    }
    return nextauth_bearer_session(req, token);
}

void nextauth_bearer_challenge(nextauth_req_t *req)
{
    const na_dir_conf_t *d = ap_get_module_config(req->r->per_dir_config, &nextauth_module);

    if (d->bearer == 1) {
        apr_table_addn(req->r->err_headers_out, "WWW-Authenticate",
                       nextauth_bearer_header(req, NULL, NULL));
    }
}

int nextauth_bearer_forbidden(nextauth_req_t *req)
{
    apr_table_setn(req->r->err_headers_out, "WWW-Authenticate",
                   nextauth_bearer_header(req, "insufficient_scope", NULL));
    return nextauth_reply_json(req->r, HTTP_FORBIDDEN,
                               "{\"error\":\"insufficient_scope\",\"message\":\"AccessDenied\"}");
}
