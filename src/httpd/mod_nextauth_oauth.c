/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>

#include "mod_nextauth_fail.h"
#include "mod_nextauth_oauth.h"
#include "mod_nextauth_oidc.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_req.h"
#include "na_crypto.h"
#include "na_idtoken.h"
#include "na_jws.h"
#include "na_oauth.h"

/* The OAuth 2 / OpenID Connect sign-in: POST signin/<id> sets the check cookies and
 * sends the browser to the provider; callback/<id> checks them, exchanges the code and
 * signs the user in. Every failure is OAuthSignin or OAuthCallback for the user, and
 * the reason goes to the log. */

/* A few sign-ins in parallel tabs each keep their own check cookies; more than this and
 * the older ones are dropped, so cookies cannot pile up. */
#define NEXTAUTH_OAUTH_MAX_FLOWS 4
#define NEXTAUTH_OAUTH_TAG_LEN 8

static const char *nextauth_oauth_base(const nextauth_req_t *req, int idx)
{
    return idx == NA_CHECK_INDEX_STATE  ? req->names.state
           : idx == NA_CHECK_INDEX_PKCE ? req->names.pkce
                                        : req->names.nonce;
}

/* A flow's cookies are named "<name>.<tag>", the tag taken from its state, which the
 * callback gets back; without a state check, next-auth's plain names (one flow). */
static const char *nextauth_oauth_tag(apr_pool_t *p, const char *state)
{
    unsigned char digest[NA_SHA256_LEN];

    if (state == NULL || na_crypto_sha256_2(state, strlen(state), "", 0, digest) != NA_OK) {
        return NULL;
    }
    return na_crypto_hex(p, digest, NEXTAUTH_OAUTH_TAG_LEN / 2);
}

static const char *nextauth_oauth_name(nextauth_req_t *req, int idx, const char *tag)
{
    const char *base = nextauth_oauth_base(req, idx);

    return tag ? apr_pstrcat(req->r->pool, base, ".", tag, NULL) : base;
}

const char *nextauth_oauth_cookie_name(nextauth_req_t *req, const na_provider_t *prov, int idx,
                                       const char *state)
{
    const char *tag =
        (prov->checks & NA_CHECK_STATE) ? nextauth_oauth_tag(req->r->pool, state) : NULL;

    return nextauth_oauth_name(req, idx, tag);
}

na_oauth_check_ctx_t nextauth_oauth_ctx(nextauth_req_t *req, const na_provider_t *prov, int idx)
{
    na_oauth_check_ctx_t ctx;

    ctx.keys = req->conf->check_keys[req->secure ? 1 : 0][idx];
    ctx.nkeys = req->conf->session_nkeys;
    ctx.provider = prov->id;
    ctx.now = apr_time_sec(req->r->request_time);
    return ctx;
}

static void nextauth_oauth_clear(nextauth_req_t *req, const char *tag)
{
    na_cookie_attr_t gone = nextauth_req_cookie_attr(req, 0, 0);
    int idx;

    for (idx = 0; idx < 3; idx++) {
        nextauth_reply_set_cookie(
            req->r,
            na_cookie_serialize(req->r->pool, nextauth_oauth_name(req, idx, tag), "", &gone));
    }
}

/* Whether a cookie name is "<state>.<tag>", tag being NEXTAUTH_OAUTH_TAG_LEN hex digits. */
static int nextauth_oauth_is_flow(const na_cookie_pair_t *pair, const char *base, apr_size_t n)
{
    apr_size_t i;

    if (pair->name_len != n + 1 + NEXTAUTH_OAUTH_TAG_LEN || memcmp(pair->name, base, n) != 0
        || pair->name[n] != '.') {
        return 0;
    }
    for (i = n + 1; i < pair->name_len; i++) {
        if (!strchr("0123456789abcdef", pair->name[i])) {
            return 0;
        }
    }
    return 1;
}

/* Collects the tags of the state cookies a browser sends ("<state>.<tag>="). A header
 * too big to read (na_cookie.h) has none: nothing is read from it, nothing pruned. */
static apr_array_header_t *nextauth_oauth_tags(nextauth_req_t *req)
{
    const char *base = req->names.state;
    apr_size_t n = strlen(base);
    apr_array_header_t *tags = apr_array_make(req->r->pool, 4, sizeof(const char *));
    na_cookie_iter_t it;
    na_cookie_pair_t pair;

    if (na_cookie_iter_init(&it, apr_table_get(req->r->headers_in, "Cookie")) != NA_OK) {
        return tags;
    }
    while (tags->nelts < 2 * NEXTAUTH_OAUTH_MAX_FLOWS && na_cookie_iter_next(&it, &pair)) {
        if (nextauth_oauth_is_flow(&pair, base, n)) {
            APR_ARRAY_PUSH(tags, const char *) =
                apr_pstrmemdup(req->r->pool, pair.name + n + 1, NEXTAUTH_OAUTH_TAG_LEN);
        }
    }
    return tags;
}

static void nextauth_oauth_prune(nextauth_req_t *req)
{
    apr_array_header_t *tags = nextauth_oauth_tags(req);
    int i;

    if (tags->nelts < NEXTAUTH_OAUTH_MAX_FLOWS) {
        return;
    }
    for (i = 0; i < tags->nelts; i++) {
        nextauth_oauth_clear(req, APR_ARRAY_IDX(tags, i, const char *));
    }
}

static apr_status_t nextauth_oauth_set_checks(nextauth_req_t *req, const na_provider_t *prov,
                                              const na_oauth_checks_t *checks, const char *tag)
{
    const char *values[3] = {checks->state, checks->code_verifier, checks->nonce};
    apr_int64_t now = apr_time_sec(req->r->request_time);
    int idx;

    for (idx = 0; idx < 3; idx++) {
        na_oauth_check_ctx_t ctx = nextauth_oauth_ctx(req, prov, idx);
        /* next-auth gives state and PKCE a Max-Age and all three an Expires. */
        na_cookie_attr_t attr = nextauth_req_cookie_attr(
            req, idx == NA_CHECK_INDEX_NONCE ? NA_UNSET : NA_OAUTH_CHECK_MAX_AGE,
            apr_time_from_sec(now + NA_OAUTH_CHECK_MAX_AGE));
        const char *token;

        if (values[idx] == NULL) {
            continue;
        }
        if (na_oauth_check_encode(req->r->pool, &ctx, values[idx], &token) != NA_OK) {
            return APR_EGENERAL;
        }
        nextauth_reply_set_cookie(
            req->r,
            na_cookie_serialize(req->r->pool, nextauth_oauth_name(req, idx, tag), token, &attr));
    }
    return APR_SUCCESS;
}

static const char *nextauth_oauth_redirect_uri(nextauth_req_t *req, const na_provider_t *prov)
{
    return apr_pstrcat(req->r->pool, req->base_url, "/callback/", prov->id, NULL);
}

/* POST signin/<id> for an OAuth or OIDC provider. */
int nextauth_oauth_signin(nextauth_req_t *req, const na_provider_t *prov)
{
    request_rec *r = req->r;
    na_oauth_discovery_t ep;
    na_oauth_checks_t checks;
    na_oauth_authorize_t az;
    na_err_t err = {NULL, NULL, 0};
    const char *url = NULL, *tag;
    na_status_t st;

    if (nextauth_oidc_endpoints(r, prov, &ep) != APR_SUCCESS) {
        /* Discovery logged why (NA00030, or NA00164 without endpoints). */
        return nextauth_fail_logged(req, NA_EPEER, NULL, NA_OAUTH_ERR_SIGNIN);
    }
    if ((st = na_oauth_checks_new(r->pool, prov->checks, &checks)) != NA_OK) {
        return nextauth_fail_with(req, NA_LOGNO(00162), st, NULL, NA_OAUTH_ERR_SIGNIN,
                                  "%s: cannot make the state, PKCE or nonce", prov->id);
    }
    az.provider = prov;
    az.endpoint = ep.authorization_endpoint;
    az.redirect_uri = nextauth_oauth_redirect_uri(req, prov);
    az.checks = &checks;
    az.extra = req->query;
    /* The endpoint is the configuration's or the IdP's: a refusal is not the user's. */
    if ((st = na_oauth_authorize_url(r->pool, &az, &url, &err)) != NA_OK) {
        return nextauth_fail_with(req, NA_LOGNO(00031), nextauth_fail_upstream(st), &err,
                                  NA_OAUTH_ERR_SIGNIN, "cannot build the authorization URL of %s",
                                  prov->id);
    }
    tag = nextauth_oauth_tag(r->pool, checks.state);
    if (tag) {
        nextauth_oauth_prune(req);
    }
    if (nextauth_oauth_set_checks(req, prov, &checks, tag) != APR_SUCCESS) {
        return nextauth_fail_with(req, NA_LOGNO(00163), NA_EINTERNAL, NULL, NA_OAUTH_ERR_SIGNIN,
                                  "%s: cannot seal the check cookies", prov->id);
    }
    return nextauth_reply_redirect(req, url, HTTP_OK);
}
