/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <httpd.h>
#include <http_config.h>
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <mod_status.h>

#include <apr_shm.h>

#include "mod_nextauth_conf.h"
#include "mod_nextauth_metrics.h"
#include "na_http.h"
#include "na_metrics.h"

/* The counters live in one shared memory segment made by the parent at post_config, in
 * pconf: the children inherit the mapping when they fork, so every child adds to the same
 * slots with atomic adds (no lock, no per-request system call). The labels (the provider
 * ids of every virtual host) are indexed in the parent too and inherited as plain memory.
 * A restart makes a new segment: counters count from the last (re)start, which Prometheus
 * reads as a counter reset. */

#define NEXTAUTH_METRICS_SHM_FILE "nextauth-metrics"

static na_metrics_t *nextauth_metrics;

static apr_status_t nextauth_metrics_forget(void *data)
{
    (void)data;
    nextauth_metrics = NULL;
    return APR_SUCCESS;
}

/* Anonymous where APR has it (Linux); otherwise a file under DefaultRuntimeDir. */
static apr_status_t nextauth_metrics_shm(apr_pool_t *pconf, apr_shm_t **shm)
{
    apr_size_t size = sizeof(na_metrics_slots_t);
    apr_status_t rv = apr_shm_create(shm, size, NULL, pconf);
    const char *file;

    if (rv != APR_ENOTIMPL) {
        return rv;
    }
    file = ap_runtime_dir_relative(pconf, NEXTAUTH_METRICS_SHM_FILE);
    if (file == NULL) {
        return APR_EBADPATH;
    }
    apr_shm_remove(file, pconf); /* one left by a crashed server */
    return apr_shm_create(shm, size, file, pconf);
}

static void nextauth_metrics_index(apr_pool_t *pconf, server_rec *s)
{
    int i;

    for (; s; s = s->next) {
        const na_server_conf_t *conf = nextauth_conf_server(s);

        for (i = 0; conf->providers && i < conf->providers->nelts; i++) {
            const na_provider_t *prov = APR_ARRAY_IDX(conf->providers, i, const na_provider_t *);

            if (na_metrics_add_provider(nextauth_metrics, pconf, prov->id) < 0) {
                ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                             NA_LOGNO(00221) "metrics: more than %d provider ids; '%s' counts "
                                             "as \"other\"",
                             NA_METRICS_MAX_PROVIDERS, prov->id);
            }
        }
    }
}

int nextauth_metrics_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    apr_shm_t *shm = NULL;
    apr_status_t rv;

    (void)plog;
    (void)ptemp;
    apr_pool_cleanup_register(pconf, NULL, nextauth_metrics_forget, apr_pool_cleanup_null);
    if ((rv = nextauth_metrics_shm(pconf, &shm)) != APR_SUCCESS) {
        /* Counting is not worth refusing to start: the endpoint says what happened. */
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     NA_LOGNO(00220) "metrics: cannot create the shared memory; nothing is "
                                     "counted");
        return OK;
    }
    nextauth_metrics = na_metrics_create(pconf, apr_shm_baseaddr_get(shm));
    nextauth_metrics_index(pconf, s);
    return OK;
}

int nextauth_metrics_handler(request_rec *r)
{
    const na_dir_conf_t *d = ap_get_module_config(r->per_dir_config, &nextauth_module);

    if (!na_config_metrics(d)) {
        return DECLINED;
    }
    if (r->method_number != M_GET) {
        /* httpd builds the Allow header of a 405 from r->allowed_methods. */
        ap_allow_methods(r, REPLACE_ALLOW, "GET", "HEAD", NULL);
        r->allowed = 0;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    if (nextauth_metrics == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      NA_LOGNO(00222) "metrics: no counters (see NA00220 at start-up)");
        return HTTP_SERVICE_UNAVAILABLE;
    }
    ap_set_content_type(r, NA_METRICS_CONTENT_TYPE);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    if (!r->header_only) {
        ap_rputs(na_metrics_text(r->pool, nextauth_metrics), r);
    }
    return OK;
}

/* The totals as "key: value" lines (?auto) or a definition list, as mod_status shows
 * its own. */
int nextauth_metrics_status(request_rec *r, int flags)
{
    static const char *const names[] = {
        "SignInsSuccess",  "SignInsFailure",    "Errors",      "CSRFFailures", "RateLimitRefusals",
        "SessionMemoHits", "SessionMemoMisses", "IdPRequests",
    };
    na_metrics_totals_t t;
    apr_uint64_t values[8];
    int i;

    if (nextauth_metrics == NULL) {
        return OK;
    }
    na_metrics_totals(nextauth_metrics, &t);
    values[0] = t.signins[NA_METRICS_SUCCESS];
    values[1] = t.signins[NA_METRICS_FAILURE];
    values[2] = t.errors;
    values[3] = t.csrf_failures;
    values[4] = t.limit_refusals;
    values[5] = t.memo[NA_METRICS_MEMO_HIT];
    values[6] = t.memo[NA_METRICS_MEMO_MISS];
    values[7] = t.idp_requests;
    if (!(flags & AP_STATUS_SHORT)) {
        ap_rputs("<hr />\n<h2>mod_nextauth</h2>\n<dl>\n", r);
    }
    for (i = 0; i < 8; i++) {
        ap_rprintf(r,
                   (flags & AP_STATUS_SHORT) ? "NextAuth%s: %" APR_UINT64_T_FMT "\n"
                                             : "<dt>NextAuth%s: %" APR_UINT64_T_FMT "</dt>\n",
                   names[i], values[i]);
    }
    if (!(flags & AP_STATUS_SHORT)) {
        ap_rputs("</dl>\n", r);
    }
    return OK;
}

static int nextauth_metrics_on_callback(const nextauth_req_t *req)
{
    return req->route.id == NA_ROUTE_CALLBACK;
}

void nextauth_metrics_signin(const nextauth_req_t *req, const char *provider)
{
    (void)req;
    na_metrics_count_signin(nextauth_metrics, provider, NA_METRICS_SUCCESS);
}

void nextauth_metrics_fail(const nextauth_req_t *req, const char *code)
{
    na_metrics_count_error(nextauth_metrics, code);
    if (nextauth_metrics_on_callback(req)) {
        na_metrics_count_signin(nextauth_metrics, req->route.param, NA_METRICS_FAILURE);
    }
}

void nextauth_metrics_csrf(const nextauth_req_t *req)
{
    na_metrics_count_csrf(nextauth_metrics);
    if (nextauth_metrics_on_callback(req)) {
        na_metrics_count_signin(nextauth_metrics, req->route.param, NA_METRICS_FAILURE);
    }
}

void nextauth_metrics_refusal(int kind)
{
    na_metrics_count_refusal(nextauth_metrics, kind);
}

void nextauth_metrics_refresh(int result)
{
    na_metrics_count_refresh(nextauth_metrics, result);
}

void nextauth_metrics_revocation(int kind)
{
    na_metrics_count_revocation(nextauth_metrics, kind);
}

int nextauth_metrics_memo(int hit)
{
    na_metrics_count_memo(nextauth_metrics, hit ? NA_METRICS_MEMO_HIT : NA_METRICS_MEMO_MISS);
    return hit;
}

na_status_t nextauth_metrics_http_perform(apr_pool_t *p, const struct na_http_request_t *hreq,
                                          struct na_http_response_t *resp, na_err_t *err)
{
    apr_time_t started = apr_time_now();
    na_status_t rv = na_http_perform(p, hreq, resp, err);

    na_metrics_observe_idp(nextauth_metrics, apr_time_now() - started);
    return rv;
}
