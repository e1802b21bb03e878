/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>

#include "mod_nextauth_complete.h"
#include "mod_nextauth_db.h"
#include "mod_nextauth_fail.h"
#include "mod_nextauth_oauth.h"
#include "mod_nextauth_oidc.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_req.h"
#include "na_crypto.h"
#include "na_idtoken.h"
#include "na_jws.h"
#include "na_oauth.h"
#include "na_tokens.h"

/* callback/<id> of an OAuth or OIDC provider. */

typedef struct nextauth_cb_t {
    nextauth_req_t *req;
    const na_provider_t *prov;
    const apr_table_t *params; /* query, or the form of a form_post response */
    na_oauth_discovery_t ep;
    na_oauth_checks_t stored; /* values from the check cookies */
    na_oauth_tokens_t tokens;
    na_oauth_user_t user;
    const char *id_claims; /* the ID token's payload, kept with the tokens */
    const char *userinfo;  /* the userinfo answer, kept with the tokens */
    na_err_t err;          /* why a step failed */
} nextauth_cb_t;

/* The callback's failure: logged once with its reason at its class's level, the user
 * sent to OAuthCallback. */
static int nextauth_cb_fail(nextauth_cb_t *cb, na_status_t status)
{
    return nextauth_fail_with(cb->req, NA_LOGNO(00032), status, &cb->err, NA_OAUTH_ERR_CALLBACK,
                              "OAuth callback of %s refused", cb->prov->id);
}

/* A failure met before the back channel: what the browser brought. */
static int nextauth_cb_refuse(nextauth_cb_t *cb, const char *why)
{
    na_err_set(cb->req->r->pool, &cb->err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK, "%s", why);
    return nextauth_cb_fail(cb, NA_EINPUT);
}

/* A failure of the back channel (token endpoint, JWKS, ID token, userinfo): what the IdP
 * sent, or how we asked for it, so never the browser's fault (logged at ERR). */
static na_status_t nextauth_cb_peer(nextauth_cb_t *cb, na_status_t status, const char *why)
{
    if (cb->err.detail == NULL || why != NULL) {
        na_err_set(cb->req->r->pool, &cb->err, status, NA_OAUTH_ERR_CALLBACK, "%s",
                   why ? why : "refused");
    }
    return nextauth_fail_upstream(status == NA_OK ? NA_EPEER : status);
}

static int nextauth_cb_count(void *rec, const char *key, const char *value)
{
    (void)key;
    (void)value;
    ++*(int *)rec;
    return 1;
}

/* One value of a parameter, or NULL when it is absent or repeated (a repeated state or
 * code is someone trying which copy we read). */
static const char *nextauth_cb_param(const nextauth_cb_t *cb, const char *key, int *repeated)
{
    int n = 0;

    apr_table_do(nextauth_cb_count, &n, cb->params, key, NULL);
    if (n > 1) {
        *repeated = 1;
        return NULL;
    }
    return apr_table_get(cb->params, key);
}

/* Read, clear (single use) and check each configured check cookie. */
static const char *nextauth_cb_checks(nextauth_cb_t *cb, const char *state)
{
    nextauth_req_t *req = cb->req;
    static const unsigned bits[3] = {NA_CHECK_STATE, NA_CHECK_PKCE, NA_CHECK_NONCE};
    const char **values[3] = {&cb->stored.state, &cb->stored.code_verifier, &cb->stored.nonce};
    const char *header = apr_table_get(req->r->headers_in, "Cookie");
    na_cookie_attr_t gone = nextauth_req_cookie_attr(req, 0, 0);
    int idx;

    for (idx = 0; idx < 3; idx++) {
        const char *name = nextauth_oauth_cookie_name(req, cb->prov, idx, state);
        na_oauth_check_ctx_t ctx = nextauth_oauth_ctx(req, cb->prov, idx);
        const char *token;

        if (!(cb->prov->checks & bits[idx])) {
            continue;
        }
        if ((token = na_cookie_get(req->r->pool, header, name)) == NULL) {
            return apr_psprintf(req->r->pool, "check cookie %s missing", name);
        }
        nextauth_reply_set_cookie(req->r, na_cookie_serialize(req->r->pool, name, "", &gone));
        if (na_oauth_check_decode(req->r->pool, &ctx, token, values[idx], NULL) != NA_OK) {
            return apr_psprintf(req->r->pool,
                                "check cookie %s invalid, expired or minted "
                                "for another provider",
                                name);
        }
    }
    if ((cb->prov->checks & NA_CHECK_STATE)
        && (state == NULL
            || !na_crypto_ct_equal(state, strlen(state), cb->stored.state,
                                   strlen(cb->stored.state)))) {
        return "state does not match";
    }
    return NULL;
}

static na_status_t nextauth_cb_exchange(nextauth_cb_t *cb, const char *code)
{
    request_rec *r = cb->req->r;
    na_oauth_token_req_t treq;
    na_http_request_t hreq;
    na_http_response_t resp;
    na_status_t st;

    treq.provider = cb->prov;
    treq.endpoint = cb->ep.token_endpoint;
    treq.auth_method = na_oauth_discovery_auth_method(&cb->ep);
    treq.code = code;
    treq.redirect_uri = apr_pstrcat(r->pool, cb->req->base_url, "/callback/", cb->prov->id, NULL);
    treq.code_verifier = cb->stored.code_verifier;
    if ((st = na_oauth_token_request(r->pool, &treq, &hreq, &cb->err)) != NA_OK) {
        return nextauth_cb_peer(cb, st, NULL);
    }
    nextauth_oidc_timeouts(cb->prov, &hreq);
    if ((st = nextauth_oidc_perform(r, &hreq, &resp, &cb->err)) != NA_OK) {
        return nextauth_cb_peer(cb, st, NULL);
    }
    if ((st = na_oauth_token_parse(r->pool, &resp, &cb->tokens, &cb->err)) != NA_OK) {
        return nextauth_cb_peer(cb, st, NULL);
    }
    return NA_OK;
}

/* Verify the ID token with the issuer's keys (nextauth_oidc_verify). */
static na_status_t nextauth_cb_verify(nextauth_cb_t *cb, na_jws_verified_t *out)
{
    request_rec *r = cb->req->r;
    na_err_t err = {NULL, NULL, 0};
    na_status_t rv;

    if (cb->ep.jwks_uri == NULL) {
        return nextauth_cb_peer(cb, NA_EPEER, "no jwks_uri for this provider");
    }
    rv = nextauth_oidc_verify(r, cb->prov, cb->ep.jwks_uri, cb->tokens.id_token, out, &err);
    if (rv == NA_EPEER) {
        return nextauth_cb_peer(cb, NA_EPEER, err.detail);
    }
    if (rv != NA_OK) {
        return nextauth_cb_peer(cb, rv,
                                apr_pstrcat(r->pool, "ID token signature: ",
                                            err.detail ? err.detail : "no matching key", NULL));
    }
    return NA_OK;
}

/* An address the IdP itself calls unverified is not the user's to claim (issue 11): it
 * names no session, matches no Require and links no account, unless trustEmail=on. */
static void nextauth_cb_trust(nextauth_cb_t *cb, na_oauth_user_t *user, const char *source)
{
    if (na_oauth_user_drop_unverified(user, cb->prov->trust_email)) {
        ap_log_rerror(
            APLOG_MARK, APLOG_INFO, 0, cb->req->r,
            NA_LOGNO(00092) "%s: the e-mail in the %s of %s is marked email_verified=false and is "
                            "not used (trustEmail=on would keep it)",
            cb->prov->id, source, ap_escape_logitem(cb->req->r->pool, user->id));
    }
}

/* userinfo with the access token; for an OIDC provider its sub must be the ID token's. */
static na_status_t nextauth_cb_userinfo(nextauth_cb_t *cb, const char *id_sub)
{
    request_rec *r = cb->req->r;
    int profile = na_oauth_profile_for(cb->prov);
    na_http_request_t hreq;
    na_http_response_t resp;
    na_oauth_user_t user;
    na_status_t st;

    if (cb->ep.userinfo_endpoint == NULL) {
        return id_sub ? NA_OK : nextauth_cb_peer(cb, NA_EPEER, "no userinfo endpoint");
    }
    na_oauth_userinfo_request(cb->prov, cb->ep.userinfo_endpoint, cb->tokens.access_token, &hreq);
    nextauth_oidc_timeouts(cb->prov, &hreq);
    if ((st = nextauth_oidc_perform(r, &hreq, &resp, &cb->err)) != NA_OK) {
        return nextauth_cb_peer(cb, st, NULL);
    }
    if ((st = na_oauth_userinfo_parse(r->pool, profile, &resp, &user, &cb->err)) != NA_OK) {
        return nextauth_cb_peer(cb, st, NULL);
    }
    cb->userinfo = resp.body;
    if (id_sub && strcmp(user.id, id_sub) != 0) {
        return nextauth_cb_peer(cb, NA_EPEER, "userinfo sub differs from the ID token's");
    }
    nextauth_cb_trust(cb, &user, "userinfo");
    if (id_sub) {
        cb->user.email = cb->user.email ? cb->user.email : user.email;
        cb->user.name = cb->user.name ? cb->user.name : user.name;
        cb->user.image = cb->user.image ? cb->user.image : user.image;
        return NA_OK;
    }
    cb->user = user;
    return NA_OK;
}

/* GitHub keeps a private address out of /user; its /user/emails has it. */
static void nextauth_cb_github_email(nextauth_cb_t *cb)
{
    request_rec *r = cb->req->r;
    na_http_request_t hreq;
    na_http_response_t resp;
    na_err_t err = {NULL, NULL, 0};
    const char *email = NULL;
    na_status_t st;

    if (cb->user.email || na_oauth_profile_for(cb->prov) != NA_OAUTH_PROFILE_GITHUB) {
        return;
    }
    na_oauth_userinfo_request(cb->prov,
                              apr_pstrcat(r->pool, cb->ep.userinfo_endpoint, "/emails", NULL),
                              cb->tokens.access_token, &hreq);
    nextauth_oidc_timeouts(cb->prov, &hreq);
    if ((st = nextauth_oidc_perform(r, &hreq, &resp, &err)) == NA_OK && resp.status >= 200
        && resp.status <= 299
        && (st = na_oauth_github_email(r->pool, &resp, &email, &err)) == NA_OK) {
        cb->user.email = email;
        return;
    }
    /* As next-auth, the sign-in goes on without the address; the operator hears why. */
    if (st == NA_OK) {
        na_err_set(r->pool, &err, NA_EPEER, NULL, "HTTP %d", resp.status);
        st = NA_EPEER;
    }
    nextauth_fail_log(r, NA_LOGNO(00166), nextauth_fail_upstream(st), &err,
                      "%s: no address from /user/emails", cb->prov->id);
}

static na_status_t nextauth_cb_profile_oidc(nextauth_cb_t *cb)
{
    request_rec *r = cb->req->r;
    na_jws_verified_t verified;
    na_idtoken_expect_t expect;
    na_idtoken_claims_t claims;
    na_status_t st;

    if (cb->tokens.id_token == NULL) {
        return nextauth_cb_peer(cb, NA_EPEER, "no id_token in the token response");
    }
    if ((st = nextauth_cb_verify(cb, &verified)) != NA_OK) {
        return st;
    }
    expect.issuer = cb->ep.issuer;
    expect.client_id = cb->prov->client_id;
    expect.nonce = (cb->prov->checks & NA_CHECK_NONCE) ? cb->stored.nonce : NULL;
    expect.now = apr_time_sec(r->request_time);
    expect.tolerance = NA_IDTOKEN_TOLERANCE;
    if ((st = na_idtoken_check(r->pool, &verified, &expect, &claims, &cb->err)) != NA_OK) {
        return nextauth_cb_peer(cb, st, NULL);
    }
    /* The claims are cleaned exactly as userinfo's are: the token is the IdP's word on who
     * signed in, not on what is safe to show or to match. */
    if ((st = na_oauth_idtoken_user(r->pool, claims.json, strlen(claims.json), &cb->user, &cb->err))
        != NA_OK) {
        return nextauth_cb_peer(cb, st, NULL);
    }
    cb->id_claims = claims.json;
    cb->req->idp_sid = claims.sid;
    nextauth_cb_trust(cb, &cb->user, "ID token");
    return cb->user.email ? NA_OK : nextauth_cb_userinfo(cb, cb->user.id);
}

/* The claims kept with the tokens: the ID token's, completed by userinfo's. A userinfo
 * answer that is no JSON object (GitHub's /user is one; others may not be) is left out. */
static void nextauth_cb_keep_claims(nextauth_cb_t *cb)
{
    const char *json = NULL;

    if (na_tokens_claims_merge(cb->req->r->pool, cb->id_claims, cb->userinfo, &json) != NA_OK
        && na_tokens_claims_merge(cb->req->r->pool, cb->id_claims, NULL, &json) != NA_OK) {
        json = NULL;
    }
    cb->req->idp_claims = json;
}

static int nextauth_cb_finish(nextauth_cb_t *cb)
{
    na_session_claims_t claims;
    na_store_account_t account;

    memset(&claims, 0, sizeof(claims));
    claims.name = cb->user.name;
    claims.email = cb->user.email;
    claims.picture = cb->user.image;
    claims.sub = cb->user.id;
    claims.provider = cb->prov->id;
    cb->req->idp_sub = cb->user.id;
    /* Kept only when sign-out at the provider needs it as id_token_hint (and only in the
     * cookie when there is no token record to keep it in). */
    claims.id_token = cb->prov->logout ? cb->tokens.id_token : NULL;
    nextauth_cb_keep_claims(cb);
    ap_log_rerror(
        APLOG_MARK, APLOG_INFO, 0, cb->req->r, NA_LOGNO(00033) "signed in through %s as %s",
        cb->prov->id,
        ap_escape_logitem(cb->req->r->pool, cb->user.email ? cb->user.email : cb->user.id));
    /* next-auth's account: the token response, keyed by the profile id. */
    memset(&account, 0, sizeof(account));
    account.type = "oauth"; /* v4 writes "oauth" for OpenID providers too */
    account.provider = cb->prov->id;
    account.provider_account_id = cb->user.id;
    account.access_token = cb->tokens.access_token;
    account.refresh_token = cb->tokens.refresh_token;
    account.id_token = cb->tokens.id_token;
    account.token_type = cb->tokens.token_type;
    account.scope = cb->tokens.scope;
    account.session_state = cb->tokens.session_state;
    account.expires_at = cb->tokens.expires_in >= 0
                             ? apr_time_sec(cb->req->r->request_time) + cb->tokens.expires_in
                             : 0;
    return nextauth_signin_complete(cb->req, cb->prov, &claims, &account);
}

/* An authorization response with error= (the user cancelled, the IdP refused):
 * next-auth's Callback error; the IdP's own text only reaches the log, escaped. */
static int nextauth_cb_provider_error(nextauth_cb_t *cb, const char *error)
{
    const char *desc = apr_table_get(cb->params, "error_description");

    /* It came through the browser, and is most often the user cancelling: INFO. */
    return nextauth_fail_with(
        cb->req, NA_LOGNO(00034), NA_EINPUT, NULL, "Callback", "%s answered error=%s (%s)",
        cb->prov->id,
        ap_escape_logitem(cb->req->r->pool, apr_pstrndup(cb->req->r->pool, error, 64)),
        desc ? ap_escape_logitem(cb->req->r->pool, apr_pstrndup(cb->req->r->pool, desc, 200))
             : "-");
}

static int nextauth_cb_run(nextauth_cb_t *cb)
{
    int repeated = 0;
    const char *code = nextauth_cb_param(cb, "code", &repeated);
    const char *state = nextauth_cb_param(cb, "state", &repeated);
    const char *iss = nextauth_cb_param(cb, "iss", &repeated);
    const char *error = apr_table_get(cb->params, "error");
    const char *why;
    na_status_t st;

    if (repeated) {
        return nextauth_cb_refuse(cb, "a parameter was repeated");
    }
    /* As next-auth: the provider's error= is read before the checks (Callback, not
     * OAuthCallback); the flow's check cookies are spent either way. */
    why = nextauth_cb_checks(cb, state);
    if (error) {
        return nextauth_cb_provider_error(cb, error);
    }
    if (why != NULL) {
        return nextauth_cb_refuse(cb, why);
    }
    if (code == NULL || *code == '\0') {
        return nextauth_cb_refuse(cb, "no code");
    }
    if (nextauth_oidc_endpoints(cb->req->r, cb->prov, &cb->ep) != APR_SUCCESS) {
        /* Discovery logged why (NA00030, or NA00164 without endpoints). */
        return nextauth_fail_logged(cb->req, NA_EPEER, NULL, NA_OAUTH_ERR_CALLBACK);
    }
    /* RFC 9207: an iss the IdP sends must be the issuer we talk to (mix-up defence). */
    if (iss && (cb->ep.issuer == NULL || strcmp(iss, cb->ep.issuer) != 0)) {
        return nextauth_cb_refuse(cb, "iss parameter is not the provider's issuer");
    }
    if ((st = nextauth_cb_exchange(cb, code)) != NA_OK
        || (st = cb->prov->kind == NA_PROVIDER_OIDC ? nextauth_cb_profile_oidc(cb)
                                                    : nextauth_cb_userinfo(cb, NULL))
               != NA_OK) {
        return nextauth_cb_fail(cb, st);
    }
    nextauth_cb_github_email(cb);
    return nextauth_cb_finish(cb);
}

int nextauth_oauth_callback(nextauth_req_t *req, const na_provider_t *prov)
{
    nextauth_cb_t *cb = apr_pcalloc(req->r->pool, sizeof(*cb));

    cb->req = req;
    cb->prov = prov;
    /* form_post providers (Apple) answer with a POST; everyone else with a GET. */
    cb->params = req->r->method_number == M_POST ? req->form : req->query;
    return nextauth_cb_run(cb);
}
