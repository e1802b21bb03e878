/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <jansson.h>

#include <http_protocol.h>

#include "mod_nextauth_backchannel.h"
#include "mod_nextauth_conf.h"
#include "mod_nextauth_limit.h"
#include "mod_nextauth_metrics.h"
#include "mod_nextauth_oidc.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_revoke.h"
#include "na_idtoken.h"
#include "na_logout.h"
#include "na_oauth.h"

/* OpenID Connect Back-Channel Logout 1.0: the IdP POSTs a logout token (a JWT signed with
 * its ID-token keys) to {base}/backchannel-logout/{provider} when the user's session ends
 * there, and we revoke our sessions of that IdP session (sid) or user (sub) in the shared
 * revocation list, so every host refuses them at their next request. §2.8: 200 when done,
 * 400 for a token we refuse; Cache-Control: no-store on both. The work per request is
 * bounded: one form of 16 KiB, one JWKS (cached), a per-IP rate limit. */

static int nextauth_backchannel_refuse(request_rec *r, int status, const char *why)
{
    json_t *body = json_pack("{s:s, s:s}", "error", "invalid_request", "error_description", why);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    int rv;

    json_decref(body);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, NA_LOGNO(00272) "back-channel logout refused: %s",
                  why);
    nextauth_reply_no_store(r);
    rv = nextauth_reply_json(r, status, text ? apr_pstrdup(r->pool, text) : "{}");
    free(text);
    return rv;
}

/* Our fault or a peer's (JWKS, revocation list): 503, so the IdP may try again. why
 * NULL: the failure was logged already (discovery). */
static int nextauth_backchannel_unavailable(request_rec *r, const char *why)
{
    if (why) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00273) "back-channel logout failed: %s",
                      why);
    }
    apr_table_setn(r->err_headers_out, "Retry-After", "10");
    nextauth_reply_no_store(r);
    return nextauth_reply_json(r, HTTP_SERVICE_UNAVAILABLE,
                               "{\"error\":\"temporarily_unavailable\"}");
}

static int nextauth_backchannel_limited(nextauth_req_t *req)
{
    apr_int64_t wait = 0;

    if (!nextauth_limit_hit(req->r, NEXTAUTH_LIMIT_BACKCHANNEL_IP, req->r->useragent_ip, &wait)) {
        return 0;
    }
    nextauth_metrics_refusal(NEXTAUTH_LIMIT_BACKCHANNEL_IP);
    apr_table_setn(req->r->err_headers_out, "Retry-After",
                   apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT, wait > 0 ? wait : 1));
    return 1;
}

/* The token's signature, header type and claims (§2.6). NA_OK, NA_EPEER (keys could not
 * be had), anything else a refusal; *why says which. */
static na_status_t nextauth_backchannel_check(request_rec *r, const na_provider_t *prov,
                                              const na_oauth_discovery_t *ep, const char *token,
                                              na_logout_claims_t *claims, const char **why)
{
    na_logout_expect_t expect = {ep->issuer, prov->client_id, 0, NA_IDTOKEN_TOLERANCE,
                                 NA_LOGOUT_MAX_AGE};
    na_err_t err = {NULL, NULL, 0};
    na_jws_verified_t verified;
    na_status_t st;

    st = nextauth_oidc_verify(r, prov, ep->jwks_uri, token, &verified, &err);
    if (st == NA_OK) {
        expect.now = apr_time_sec(r->request_time);
        st = na_logout_check(r->pool, &verified, na_jws_header_typ(r->pool, token), &expect, claims,
                             &err);
    }
    else if (st != NA_EPEER) {
        err.detail = apr_pstrcat(r->pool, "signature: ", err.detail ? err.detail : "refused", NULL);
    }
    *why = err.detail ? err.detail : "logout token refused";
    return st;
}

/* The provider's endpoints, and whether it says it sends logout tokens at all: 1 when
 * they are usable; 0 when the request was answered (*answered: the handler's status). */
static int nextauth_backchannel_endpoints(nextauth_req_t *req, const na_provider_t *prov,
                                          na_oauth_discovery_t *ep, int *answered)
{
    request_rec *r = req->r;

    if (nextauth_oidc_endpoints(r, prov, ep) != APR_SUCCESS) {
        *answered = nextauth_backchannel_unavailable(r, NULL); /* logged there */
        return 0;
    }
    if (ep->jwks_uri == NULL) {
        *answered = nextauth_backchannel_unavailable(
            r, apr_psprintf(r->pool, "%s has no jwks_uri", prov->id));
        return 0;
    }
    if (!ep->backchannel_logout) {
        *answered = nextauth_backchannel_refuse(r, HTTP_BAD_REQUEST,
                                                "the provider's discovery does not say "
                                                "backchannel_logout_supported");
        return 0;
    }
    return 1;
}

int nextauth_route_backchannel(nextauth_req_t *req)
{
    request_rec *r = req->r;
    const na_provider_t *prov = na_config_provider(req->conf, req->route.param);
    const char *token = apr_table_get(req->form, "logout_token"), *why = NULL;
    na_oauth_discovery_t ep;
    na_logout_claims_t claims;
    na_status_t st;
    int rv, count = 0;

    if (prov == NULL || prov->kind != NA_PROVIDER_OIDC) {
        return nextauth_backchannel_refuse(r, HTTP_NOT_FOUND,
                                           "no OpenID Connect provider of "
                                           "that id");
    }
    if (nextauth_backchannel_limited(req)) {
        return nextauth_backchannel_refuse(r, HTTP_TOO_MANY_REQUESTS, "rate limited");
    }
    if (token == NULL || *token == '\0') {
        return nextauth_backchannel_refuse(r, HTTP_BAD_REQUEST, "no logout_token form field");
    }
    if (strlen(token) > NA_LOGOUT_MAX_TOKEN) {
        return nextauth_backchannel_refuse(r, HTTP_REQUEST_ENTITY_TOO_LARGE,
                                           "logout_token too long");
    }
    if (!nextauth_backchannel_endpoints(req, prov, &ep, &rv)) {
        return rv;
    }
    if ((st = nextauth_backchannel_check(r, prov, &ep, token, &claims, &why)) != NA_OK) {
        return st == NA_EPEER ? nextauth_backchannel_unavailable(r, why)
                              : nextauth_backchannel_refuse(r, HTTP_BAD_REQUEST, why);
    }
    if ((st = nextauth_revoke_jti_once(r, ep.issuer, claims.jti)) != NA_OK) {
        return st == NA_EDENIED
                   ? nextauth_backchannel_refuse(r, HTTP_BAD_REQUEST, "jti already used (replay)")
                   : nextauth_backchannel_unavailable(r, "the revocation list failed");
    }
    if (nextauth_revoke_idp(r, prov->id, claims.sid, claims.sub, &count) != NA_OK) {
        return nextauth_backchannel_unavailable(r, "the revocation list failed");
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  NA_LOGNO(00274) "back-channel logout from %s: %s, %d revoked", prov->id,
                  claims.sid ? "by IdP session" : "by IdP subject", count);
    nextauth_reply_no_store(r);
    return nextauth_reply_text(r, HTTP_OK, "text/plain", "");
}
