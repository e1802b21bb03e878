/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_allocator.h>
#include <apr_hash.h>
#include <apr_thread_mutex.h>
#include <curl/curl.h>

#include "mod_nextauth_fail.h"
#include "mod_nextauth_oidc.h"
#include "na_oauth.h"

/* Per-process memory of each issuer's discovery document and JWKS, so a sign-in does
 * not fetch them every time. Readers copy what they need into their request pool under
 * the lock; a refresh replaces an entry's pool, so memory stays bounded. */

#define NEXTAUTH_OIDC_TTL apr_time_from_sec(3600)
#define NEXTAUTH_OIDC_REFETCH_GAP apr_time_from_sec(60)
#define NEXTAUTH_OIDC_MAX_ENTRIES 64

typedef struct nextauth_oidc_entry_t {
    apr_pool_t *pool;
    apr_time_t fetched;
    const char *text;          /* the document as fetched */
} nextauth_oidc_entry_t;

static apr_pool_t *nextauth_oidc_pool;
static apr_thread_mutex_t *nextauth_oidc_lock;
static apr_hash_t *nextauth_oidc_docs;      /* URL -> entry */
static apr_hash_t *nextauth_oidc_refetched; /* JWKS URL -> apr_time_t * of the last forced refetch */

int nextauth_oidc_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                              server_rec *s)
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
    apr_allocator_t *allocator;

    /* Entry pools are made by request threads under nextauth_oidc_lock alone: an allocator
     * of the cache's own, since pchild's takes no lock and is not ours. */
    nextauth_oidc_pool = NULL;
    if (apr_allocator_create(&allocator) == APR_SUCCESS) {
        if (apr_pool_create_ex(&nextauth_oidc_pool, p, NULL, allocator) == APR_SUCCESS) {
            apr_allocator_owner_set(allocator, nextauth_oidc_pool);
        }
        else {
            nextauth_oidc_pool = NULL;
            apr_allocator_destroy(allocator);
        }
    }
    if (nextauth_oidc_pool == NULL
        || apr_thread_mutex_create(&nextauth_oidc_lock, APR_THREAD_MUTEX_DEFAULT, p)
               != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, NA_LOGNO(00027)
                     "cannot set up the OpenID metadata cache");
        nextauth_oidc_lock = NULL;
        return;
    }
    nextauth_oidc_docs = apr_hash_make(nextauth_oidc_pool);
    nextauth_oidc_refetched = apr_hash_make(nextauth_oidc_pool);
}

/* A copy of a cached document younger than the TTL, or NULL. */
static const char *nextauth_oidc_cached(request_rec *r, const char *url)
{
    const nextauth_oidc_entry_t *e;
    const char *copy = NULL;

    if (nextauth_oidc_lock == NULL || apr_thread_mutex_lock(nextauth_oidc_lock) != APR_SUCCESS) {
        return NULL;
    }
    e = apr_hash_get(nextauth_oidc_docs, url, APR_HASH_KEY_STRING);
    if (e && r->request_time - e->fetched < NEXTAUTH_OIDC_TTL) {
        copy = apr_pstrdup(r->pool, e->text);
    }
    apr_thread_mutex_unlock(nextauth_oidc_lock);
    return copy;
}

void nextauth_oidc_remember(request_rec *r, const char *url, const char *text)
{
    nextauth_oidc_entry_t *old, *e;
    apr_pool_t *pool;

    if (nextauth_oidc_lock == NULL || apr_thread_mutex_lock(nextauth_oidc_lock) != APR_SUCCESS) {
        return;
    }
    old = apr_hash_get(nextauth_oidc_docs, url, APR_HASH_KEY_STRING);
    if (old && strcmp(old->text, text) == 0) {
        /* Callers remember what the cache just gave them too: renewing that copy would
         * churn a pool per sign-in and keep a document from ever expiring. An identical
         * document fetched after expiry only renews the time. */
        if (r->request_time - old->fetched >= NEXTAUTH_OIDC_TTL) {
            old->fetched = r->request_time;
        }
    }
    else if ((old || apr_hash_count(nextauth_oidc_docs) < NEXTAUTH_OIDC_MAX_ENTRIES)
        && apr_pool_create(&pool, nextauth_oidc_pool) == APR_SUCCESS) {
        e = apr_pcalloc(pool, sizeof(*e));
        e->pool = pool;
        e->fetched = r->request_time;
        e->text = apr_pstrdup(pool, text);
        /* apr_hash_set keeps an existing entry's key, which lives in the old pool: drop
         * the entry first so the new one is keyed by memory that outlives it. */
        apr_hash_set(nextauth_oidc_docs, url, APR_HASH_KEY_STRING, NULL);
        apr_hash_set(nextauth_oidc_docs, apr_pstrdup(pool, url), APR_HASH_KEY_STRING, e);
        if (old) {
            apr_pool_destroy(old->pool); /* readers only ever hold copies */
        }
    }
    apr_thread_mutex_unlock(nextauth_oidc_lock);
}

/* At most one forced JWKS refetch a minute per URL, so a flood of tokens with unknown
 * key ids cannot turn us into a traffic generator against the IdP. */
int nextauth_oidc_may_refetch(request_rec *r, const char *url)
{
    apr_time_t *last;
    int ok = 0;

    if (nextauth_oidc_lock == NULL || apr_thread_mutex_lock(nextauth_oidc_lock) != APR_SUCCESS) {
        return 0;
    }
    last = apr_hash_get(nextauth_oidc_refetched, url, APR_HASH_KEY_STRING);
    if (last == NULL && apr_hash_count(nextauth_oidc_refetched) < NEXTAUTH_OIDC_MAX_ENTRIES) {
        last = apr_pcalloc(nextauth_oidc_pool, sizeof(*last));
        apr_hash_set(nextauth_oidc_refetched, apr_pstrdup(nextauth_oidc_pool, url),
                     APR_HASH_KEY_STRING, last);
    }
    if (last && r->request_time - *last >= NEXTAUTH_OIDC_REFETCH_GAP) {
        *last = r->request_time;
        ok = 1;
    }
    apr_thread_mutex_unlock(nextauth_oidc_lock);
    return ok;
}

/* One outbound request. A failure is not logged here but described in *err (never with
 * tokens or secrets), so that the step that asked logs it once, with its own context. The
 * URL is the configuration's or the IdP's: no failure here is the browser's. */
na_status_t nextauth_oidc_perform(request_rec *r, const na_http_request_t *hreq,
                                  na_http_response_t *resp, na_err_t *err)
{
    na_status_t rv = na_http_perform(r->pool, hreq, resp, err);

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
    if (prov->issuer && (!prov->authorization || !prov->token
                         || (prov->kind == NA_PROVIDER_OIDC && !prov->jwks))) {
        text = nextauth_oidc_fetch(r, prov, na_oauth_discovery_url(r->pool, prov->issuer), 0, &err);
        memset(&doc, 0, sizeof(doc));
        doc.status = 200;
        doc.body = text;
        doc.len = text ? strlen(text) : 0;
        doc.content_type = "application/json";
        if (text == NULL || na_oauth_discovery_parse(r->pool, prov->issuer, &doc, out, &err)
                                != NA_OK) {
            nextauth_fail_log(r, NA_LOGNO(00030), NA_EPEER, &err, "OpenID discovery of %s failed",
                              prov->issuer);
            return APR_EGENERAL;
        }
        nextauth_oidc_remember(r, na_oauth_discovery_url(r->pool, prov->issuer), text);
    }
    out->authorization_endpoint = prov->authorization ? prov->authorization
                                                      : out->authorization_endpoint;
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
