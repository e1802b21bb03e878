/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_time.h>

#include <http_protocol.h>

#include "mod_nextauth_metrics.h"
#include "mod_nextauth_fail.h"
#include "mod_nextauth_oidc.h"
#include "mod_nextauth_tokens.h"
#include "na_oauth.h"

/* Refreshing an access token once (issue 12). next-auth leaves this to the app's jwt
 * callback, where tabs and servers race and lose the rotated refresh token. Here one
 * request (of any thread, process or host) takes the lock of the record's current
 * version, reads the record again (someone may have just finished), and only then asks
 * the IdP; everyone else waits for the record's version to move. A rotated refresh token
 * is written before the lock is let go, so no one ever presents a spent one. */

#define NEXTAUTH_REFRESH_POLL apr_time_from_msec(25)
#define NEXTAUTH_REFRESH_SLACK 5 /* seconds of lease beyond the provider's timeout */

static apr_int64_t nextauth_refresh_lease(const na_provider_t *prov)
{
    return (prov && prov->timeout > 0 ? prov->timeout : 10) + NEXTAUTH_REFRESH_SLACK;
}

/* The refresh grant at the provider's token endpoint: NA_OK and *tokens, NA_EDENIED
 * (invalid_grant), or the IdP's failure with *err filled. */
static na_status_t nextauth_refresh_ask(request_rec *r, const na_provider_t *prov,
                                        const char *refresh_token, na_oauth_tokens_t *tokens,
                                        na_err_t *err)
{
    na_oauth_discovery_t ep;
    na_oauth_token_req_t treq;
    na_http_request_t hreq;
    na_http_response_t resp;
    na_status_t st;

    if (nextauth_oidc_endpoints(r, prov, &ep) != APR_SUCCESS) {
        return na_err_set(r->pool, err, NA_EPEER, NULL, "no token endpoint (discovery failed)");
    }
    memset(&treq, 0, sizeof(treq));
    treq.provider = prov;
    treq.endpoint = ep.token_endpoint;
    treq.auth_method = na_oauth_discovery_auth_method(&ep);
    if ((st = na_oauth_refresh_request(r->pool, &treq, refresh_token, &hreq, err)) != NA_OK) {
        return st;
    }
    nextauth_oidc_timeouts(prov, &hreq);
    if ((st = nextauth_oidc_perform(r, &hreq, &resp, err)) != NA_OK) {
        return st;
    }
    return na_oauth_refresh_parse(r->pool, &resp, tokens, err);
}

/* The new record after a successful refresh: what the IdP sent, the rest kept. */
static void nextauth_refresh_apply(na_tokens_t *t, const na_oauth_tokens_t *in)
{
    apr_int64_t now = apr_time_sec(apr_time_now());

    t->access_token = in->access_token;
    t->refresh_token = in->refresh_token ? in->refresh_token : t->refresh_token;
    t->id_token = in->id_token ? in->id_token : t->id_token;
    t->token_type = in->token_type ? in->token_type : t->token_type;
    t->scope = in->scope ? in->scope : t->scope;
    t->expires_at = in->expires_in >= 0 ? now + in->expires_in : 0;
    t->error = NULL;
    t->updated_at = now;
    t->version++;
}

/* The owner's part: ask, write, let go. */
static na_status_t nextauth_refresh_owned(request_rec *r, const na_server_conf_t *conf,
                                          const na_provider_t *prov, na_tokens_t *t)
{
    apr_int64_t version = t->version, lease = nextauth_refresh_lease(prov);
    na_oauth_tokens_t tokens;
    na_err_t err = {NULL, NULL, 0};
    na_status_t st = nextauth_refresh_ask(r, prov, t->refresh_token, &tokens, &err);

    if (st == NA_OK) {
        nextauth_refresh_apply(t, &tokens);
    }
    else if (st == NA_EDENIED) {
        t->error = NA_TOKENS_REFRESH_ERROR;
        t->updated_at = apr_time_sec(apr_time_now());
        t->version++;
    }
    if (st == NA_OK || st == NA_EDENIED) {
        na_status_t wst = nextauth_tokens_write(r, conf, t, na_config_max_age(conf));
        nextauth_tokens_unlock(r, t->sid, version, wst != NA_OK, lease);
        nextauth_metrics_refresh(st == NA_OK ? NA_METRICS_REFRESH_OK : NA_METRICS_REFRESH_REFUSED);
        if (st == NA_OK) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          NA_LOGNO(00258) "access token of %s refreshed", prov->id);
        }
        else {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          NA_LOGNO(00259) "%s refused the refresh (%s): the session ends", prov->id,
                          err.detail ? err.detail : "invalid_grant");
        }
        return wst != NA_OK ? NA_EPEER : st;
    }
    nextauth_tokens_unlock(r, t->sid, version, 1, lease);
    nextauth_metrics_refresh(NA_METRICS_REFRESH_FAILED);
    nextauth_fail_log(r, NA_LOGNO(00260), nextauth_fail_upstream(st), &err,
                      "refresh of the access token of %s failed; retried in %" APR_INT64_T_FMT " s",
                      prov->id, lease);
    return nextauth_fail_upstream(st);
}

/* A waiter's part: the record's version moves when the owner is done. */
static na_status_t nextauth_refresh_wait(request_rec *r, const na_server_conf_t *conf,
                                         const na_provider_t *prov, na_tokens_t *t, int *retake)
{
    apr_time_t until = apr_time_now() + apr_time_from_sec(nextauth_refresh_lease(prov));
    na_tokens_t now;

    *retake = 0;
    while (apr_time_now() < until) {
        apr_sleep(NEXTAUTH_REFRESH_POLL);
        if (nextauth_tokens_read_shared(r, conf, t->sid, &now) != NA_OK) {
            return NA_EPEER;
        }
        if (now.version != t->version) {
            *t = now;
            return t->error ? NA_EDENIED : NA_OK;
        }
        switch (nextauth_tokens_lock_state(r, t->sid, t->version)) {
        case NEXTAUTH_LOCK_BUSY:
            continue;
        case NEXTAUTH_LOCK_OWNED: /* let go without a new version: the owner died */
            *retake = 1;
            return NA_OK;
        default:
            return NA_EPEER;
        }
    }
    return NA_ETIMEOUT;
}

/* Taken the lock: is the refresh still to do? Someone may have finished just before. */
static na_status_t nextauth_refresh_locked(request_rec *r, const na_server_conf_t *conf,
                                           const na_provider_t *prov, na_tokens_t *t)
{
    na_tokens_t again;

    if (nextauth_tokens_read_shared(r, conf, t->sid, &again) != NA_OK) {
        nextauth_tokens_unlock(r, t->sid, t->version, 1, nextauth_refresh_lease(prov));
        return NA_EPEER;
    }
    if (again.version != t->version) {
        nextauth_tokens_unlock(r, t->sid, t->version, 0, 0);
        *t = again;
        return t->error ? NA_EDENIED : NA_OK;
    }
    return nextauth_refresh_owned(r, conf, prov, t);
}

na_status_t nextauth_refresh_if_due(request_rec *r, const na_server_conf_t *conf, na_tokens_t *t)
{
    const na_provider_t *prov = t->provider ? na_config_provider(conf, t->provider) : NULL;
    apr_int64_t before = na_config_refresh_before(conf, prov);
    int attempt, retake = 1;
    na_status_t st = NA_OK;

    if (t->error) {
        return NA_EDENIED;
    }
    if (prov == NULL || before == NA_REFRESH_OFF
        || !na_tokens_due(t, apr_time_sec(apr_time_now()), before)) {
        return NA_OK;
    }
    for (attempt = 0; attempt < 3 && retake; attempt++) {
        switch (nextauth_tokens_lock(r, t->sid, t->version, nextauth_refresh_lease(prov))) {
        case NEXTAUTH_LOCK_OWNED:
            return nextauth_refresh_locked(r, conf, prov, t);
        case NEXTAUTH_LOCK_BUSY:
            st = nextauth_refresh_wait(r, conf, prov, t, &retake);
            st = retake ? NA_ETIMEOUT : st;
            break;
        default: /* failed a moment ago, or no lock to be had: nobody may ask now */
            return NA_EPEER;
        }
    }
    return st;
}
