/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_strings.h>
#include <curl/curl.h>

#include "mod_nextauth_fail.h"
#include "mod_nextauth_metrics.h"
#include "mod_nextauth_oidc.h"
#include "na_cache.h"
#include "na_oauth.h"

/* Per-process memory of each issuer's discovery document and JWKS, so a sign-in does
 * not fetch them every time; and of when each JWKS was last fetched by force. Readers
 * get copies in their request pool; na_cache bounds the memory. */

#define NEXTAUTH_OIDC_TTL apr_time_from_sec(3600)
#define NEXTAUTH_OIDC_REFETCH_GAP apr_time_from_sec(60)
#define NEXTAUTH_OIDC_MAX_ENTRIES 64

static na_cache_t *nextauth_oidc_docs;      /* URL -> the document as fetched */
static na_cache_t *nextauth_oidc_refetched; /* JWKS URL -> "" until a refetch may run again */

int nextauth_oidc_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    (void)pconf;
    (void)plog;
    (void)ptemp;
    /* Once, before any thread exists: libcurl's global set-up is not thread-safe. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, NA_LOGNO(00026) "libcurl cannot start");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return OK;
}

void nextauth_oidc_child_init(apr_pool_t *p, server_rec *s)
{
    nextauth_oidc_docs = na_cache_create(p, NEXTAUTH_OIDC_MAX_ENTRIES);
    nextauth_oidc_refetched = na_cache_create(p, NEXTAUTH_OIDC_MAX_ENTRIES);
    if (nextauth_oidc_docs == NULL || nextauth_oidc_refetched == NULL) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                     NA_LOGNO(00027) "cannot set up the OpenID metadata cache");
        nextauth_oidc_docs = NULL;
        nextauth_oidc_refetched = NULL;
    }
}

static void *nextauth_oidc_copy_text(apr_pool_t *p, const void *text)
{
    return apr_pstrdup(p, text);
}

/* A copy of a cached document younger than the TTL, or NULL. */
static const char *nextauth_oidc_cached(request_rec *r, const char *url)
{
    void *copy = NULL;

    na_cache_get(nextauth_oidc_docs, r->pool, url, strlen(url), r->request_time,
                 nextauth_oidc_copy_text, &copy);
    return copy;
}

void nextauth_oidc_remember(request_rec *r, const char *url, const char *text)
{
    const char *cached = nextauth_oidc_cached(r, url);

    /* Callers remember what the cache just gave them too: renewing that copy would
     * churn a pool per sign-in and keep a document from ever expiring. */
    if (cached && strcmp(cached, text) == 0) {
        return;
    }
    na_cache_put(nextauth_oidc_docs, url, strlen(url), r->request_time,
                 r->request_time + NEXTAUTH_OIDC_TTL, nextauth_oidc_copy_text, text);
}

/* At most one forced JWKS refetch a minute per URL, so a flood of tokens with unknown
 * key ids cannot turn us into a traffic generator against the IdP. */
int nextauth_oidc_may_refetch(request_rec *r, const char *url)
{
    return na_cache_add(nextauth_oidc_refetched, url, strlen(url), r->request_time,
                        r->request_time + NEXTAUTH_OIDC_REFETCH_GAP, nextauth_oidc_copy_text, "");
}

/* One outbound request. A failure is not logged here but described in *err (never with
 * tokens or secrets), so that the step that asked logs it once, with its own context. The
 * URL is the configuration's or the IdP's: no failure here is the browser's. */
na_status_t nextauth_oidc_perform(request_rec *r, const na_http_request_t *hreq,
                                  na_http_response_t *resp, na_err_t *err)
{
    na_status_t rv = nextauth_metrics_http_perform(r->pool, hreq, resp, err);

    if (rv != NA_OK) {
        return na_err_set(r->pool, err, nextauth_fail_upstream(rv), NULL,
                          "request to %s failed: %s", na_http_log_safe(r->pool, hreq->url, 200),
                          err->detail ? err->detail : "error");
    }
    return NA_OK;
}

/* The provider's timeout bounds the whole exchange, connecting included. */
void nextauth_oidc_timeouts(const na_provider_t *prov, na_http_request_t *hreq)
{
    hreq->timeout_ms = prov->timeout * 1000;
    if (hreq->connect_timeout_ms > hreq->timeout_ms) {
        hreq->connect_timeout_ms = hreq->timeout_ms;
    }
}

/* GET url as JSON through the cache; `force` skips the cached copy (key rotation). A
 * fetched document enters the cache only through nextauth_oidc_remember, after it parsed:
 * a maintenance page answered with 200 must not stick for an hour. */
const char *nextauth_oidc_fetch(request_rec *r, const na_provider_t *prov, const char *url,
                                int force, na_err_t *err)
{
    const char *cached = force ? NULL : nextauth_oidc_cached(r, url);
    na_http_request_t hreq;
    na_http_response_t resp;

    if (cached) {
        return cached;
    }
    na_http_request_init(&hreq, NA_HTTP_GET, url);
    nextauth_oidc_timeouts(prov, &hreq);
    if (nextauth_oidc_perform(r, &hreq, &resp, err) != NA_OK) {
        return NULL;
    }
    if (resp.status != 200) {
        na_err_set(r->pool, err, NA_EPEER, NULL, "%s answered HTTP %d",
                   na_http_log_safe(r->pool, url, 200), resp.status);
        return NULL;
    }
    return resp.body; /* remembered by the caller once it parses */
}

/* The provider's endpoints: its own configuration, completed by discovery when it has
 * an issuer (configured URLs win, as in next-auth). */
apr_status_t nextauth_oidc_endpoints(request_rec *r, const na_provider_t *prov,
                                     na_oauth_discovery_t *out)
{
    na_http_response_t doc;
    na_err_t err = {NULL, NULL, 0};
    const char *text;

    memset(out, 0, sizeof(*out));
    out->auth_methods = NA_OAUTH_AUTH_BASIC;
    if (prov->issuer
        && (!prov->authorization || !prov->token
            || (prov->kind == NA_PROVIDER_OIDC && !prov->jwks))) {
        text = nextauth_oidc_fetch(r, prov, na_oauth_discovery_url(r->pool, prov->issuer), 0, &err);
        memset(&doc, 0, sizeof(doc));
        doc.status = 200;
        doc.body = text;
        doc.len = text ? strlen(text) : 0;
        doc.content_type = "application/json";
        if (text == NULL
            || na_oauth_discovery_parse(r->pool, prov->issuer, &doc, out, &err) != NA_OK) {
            nextauth_fail_log(r, NA_LOGNO(00030), NA_EPEER, &err, "OpenID discovery of %s failed",
                              prov->issuer);
            return APR_EGENERAL;
        }
        nextauth_oidc_remember(r, na_oauth_discovery_url(r->pool, prov->issuer), text);
    }
    out->authorization_endpoint =
        prov->authorization ? prov->authorization : out->authorization_endpoint;
    out->token_endpoint = prov->token ? prov->token : out->token_endpoint;
    out->userinfo_endpoint = prov->userinfo ? prov->userinfo : out->userinfo_endpoint;
    out->jwks_uri = prov->jwks ? prov->jwks : out->jwks_uri;
    out->issuer = out->issuer ? out->issuer : prov->issuer;
    if (out->authorization_endpoint == NULL || out->token_endpoint == NULL) {
        /* Callers answer without a line of their own: this one says why. */
        nextauth_fail_log(r, NA_LOGNO(00164), NA_EINTERNAL, NULL,
                          "%s has no authorization or token endpoint", prov->id);
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

na_status_t nextauth_oidc_verify(request_rec *r, const na_provider_t *prov, const char *jwks_uri,
                                 const char *token, na_jws_verified_t *out, na_err_t *err)
{
    na_jws_jwks_t *jwks = NULL;
    const char *text;
    na_status_t rv = NA_EDENIED;
    int attempt;

    if (jwks_uri == NULL) {
        err->detail = "JWKS unavailable or unusable: no jwks_uri";
        return NA_EPEER;
    }
    for (attempt = 0; attempt < 2 && rv == NA_EDENIED; attempt++) {
        if (attempt == 1 && !nextauth_oidc_may_refetch(r, jwks_uri)) {
            break;
        }
        text = nextauth_oidc_fetch(r, prov, jwks_uri, attempt == 1, err);
        if (text == NULL || na_jws_jwks_parse(r->pool, text, strlen(text), &jwks, err) != NA_OK) {
            err->detail = apr_pstrcat(r->pool, "JWKS unavailable or unusable: ",
                                      err->detail ? err->detail : "error", NULL);
            return NA_EPEER;
        }
        nextauth_oidc_remember(r, jwks_uri, text);
        rv = na_jws_verify(r->pool, jwks, token, out, err);
    }
    return rv;
}
