/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>

#include "mod_nextauth_conf.h"
#include "mod_nextauth_limit.h"
#include "mod_nextauth_socache.h"
#include "na_limit.h"

/* Rate-limit counters in a mod_socache provider (NextAuthRateLimitCache), the way
 * mod_authn_socache and mod_ssl's session cache use one: the provider is looked up and
 * its instance created at check_config (so `apache2 -t` names a missing LoadModule),
 * initialised in post_config, its global mutex reattached in child_init, destroyed with
 * the configuration pool. Fixed windows: one counter per key and window, stored with
 * the window's end as expiry. Every cache failure fails open: a broken cache must not
 * lock every user out, so it is logged (at most once a minute per process) and the
 * request is allowed. */

#define NEXTAUTH_LIMIT_DEFAULT_CACHE "shmcb"
#define NEXTAUTH_LIMIT_WARN_EVERY apr_time_from_sec(60)

/* One per configuration generation: reset in pre_config, filled at check_config and
 * post_config, read-only in the children. */
static nextauth_socache_t nextauth_limit = {.id = "nextauth-limit",
                                            .directive = NA_DIR_RATE_LIMIT_CACHE,
                                            .hints = {48, 8, 60 * APR_USEC_PER_SEC}};
/* Per process: when the last fail-open warning was logged. */
static apr_time_t nextauth_limit_warned;

int nextauth_limit_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)plog;
    (void)ptemp;
    return nextauth_socache_pre_config(&nextauth_limit, pconf);
}

/* OIDC alone (its back-channel route): configurations that started before the route
 * existed keep starting without the default cache; its requests are then not counted. */
static const nextauth_socache_lines_t nextauth_limit_oidc_lines = {
    NA_LOGNO(00278), NA_LOGNO(00279), "back-channel logout requests are not rate limited"};

int nextauth_limit_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s)
{
    const char *msg;

    (void)plog;
    if (!nextauth_socache_wanted(s, NA_PROVIDER_CREDENTIALS | NA_PROVIDER_EMAIL)) {
        return nextauth_socache_wanted(s, NA_PROVIDER_OIDC) ? nextauth_socache_configure(
                   &nextauth_limit, nextauth_conf_server(s)->rate_limit_cache,
                   NEXTAUTH_LIMIT_DEFAULT_CACHE, &nextauth_limit_oidc_lines, ptemp, pconf)
                                                            : OK;
    }
    msg = nextauth_socache_create(&nextauth_limit, nextauth_conf_server(s)->rate_limit_cache,
                                  NEXTAUTH_LIMIT_DEFAULT_CACHE, ptemp, pconf);
    if (msg) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL, NA_LOGNO(00062) "%s", msg);
        return !OK;
    }
    return OK;
}

int nextauth_limit_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                               server_rec *s)
{
    const char *what = NULL;
    apr_status_t rv;

    (void)plog;
    (void)ptemp;
    if ((rv = nextauth_socache_start(&nextauth_limit, s, pconf, &what)) == APR_SUCCESS) {
        return OK;
    }
    if (strcmp(what, "mutex") == 0) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     NA_LOGNO(00063) "rate limits: cannot create the %s mutex", nextauth_limit.id);
    }
    else {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     NA_LOGNO(00064) "rate limits: " NA_DIR_RATE_LIMIT_CACHE " %s cannot start",
                     nextauth_limit.spec);
    }
    return !OK;
}

void nextauth_limit_child_init(apr_pool_t *p, server_rec *s)
{
    apr_status_t rv = nextauth_socache_child_init(&nextauth_limit, p);

    if (rv != APR_SUCCESS) {
        /* Counting without the mutex would race; fail open instead. */
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     NA_LOGNO(00065) "rate limits: cannot attach the %s mutex in this child; its "
                                     "requests are not counted",
                     nextauth_limit.id);
    }
}

static void nextauth_limit_warn(request_rec *r, apr_status_t rv, const char *what)
{
    apr_time_t now = apr_time_now();

    if (nextauth_limit_warned && now - nextauth_limit_warned < NEXTAUTH_LIMIT_WARN_EVERY) {
        return;
    }
    nextauth_limit_warned = now;
    ap_log_rerror(
        APLOG_MARK, APLOG_WARNING, rv, r,
        NA_LOGNO(00061) "rate limits: %s failed on the counter cache %s; requests are allowed "
                        "uncounted (fail open) until it works again",
        what, nextauth_limit.spec ? nextauth_limit.spec : "(none)");
}

/* Read (and with add, increment) the counter of key; *count receives its value. 0 on
 * success, -1 when the cache failed (already logged). Under the mutex, so two requests of
 * this host never lose an increment; between hosts sharing a cache two increments may
 * meet, which costs one count, not the limit. */
static int nextauth_limit_rmw(request_rec *r, const unsigned char *id, apr_int64_t end, int add,
                              apr_int64_t *count)
{
    const ap_socache_provider_t *prov = nextauth_limit.provider;
    unsigned char data[24];
    unsigned int len = sizeof(data);
    const char *what = NULL;
    apr_status_t rv;

    if ((rv = nextauth_socache_lock(&nextauth_limit)) != APR_SUCCESS) {
        nextauth_limit_warn(r, rv, "locking");
        return -1;
    }
    *count = 0;
    rv = prov->retrieve(nextauth_limit.instance, r->server, id, NA_LIMIT_ID_LEN, data, &len,
                        r->pool);
    if (rv == APR_SUCCESS) {
        *count = na_limit_count_decode(data, len);
        *count = *count < 0 ? 0 : *count; /* not ours: start over */
    }
    else if (rv != APR_NOTFOUND) {
        what = "reading";
    }
    if (what == NULL && add) {
        char *text = apr_psprintf(r->pool, "%" APR_INT64_T_FMT, ++*count);
        /* One second past the window, so a provider counting in whole seconds (redis)
         * never gets an expiry of zero. */
        rv = prov->store(nextauth_limit.instance, r->server, id, NA_LIMIT_ID_LEN,
                         apr_time_from_sec(end + 1), (unsigned char *)text,
                         (unsigned int)strlen(text), r->pool);
        what = rv == APR_SUCCESS ? NULL : "storing";
    }
    if (what == NULL && (rv = nextauth_socache_unlock(&nextauth_limit)) != APR_SUCCESS) {
        nextauth_limit_warn(r, rv, "unlocking");
        return -1;
    }
    if (what) {
        /* Already failing open; an unlock failure on top changes nothing. */
        (void)nextauth_socache_unlock(&nextauth_limit);
        nextauth_limit_warn(r, rv, what);
        return -1;
    }
    return 0;
}

static int nextauth_limit_count(request_rec *r, nextauth_limit_e kind, const char *key, int add,
                                apr_int64_t *retry_after)
{
    const na_server_conf_t *conf = nextauth_conf_server(r->server);
    na_rate_t rate = na_limit_effective(conf->rate_limit, (int)kind);
    unsigned char id[NA_LIMIT_ID_LEN];
    apr_int64_t now = apr_time_sec(apr_time_now()), end = 0, count = 0;

    if (retry_after) {
        *retry_after = 0;
    }
    if (rate.count <= 0 || key == NULL || kind >= NEXTAUTH_LIMIT__COUNT) {
        return 0;
    }
    if (!nextauth_limit.ready) {
        nextauth_limit_warn(r, APR_EINIT, "counting (no cache was set up)");
        return 0;
    }
    if (kind == NEXTAUTH_LIMIT_EMAIL_IP || kind == NEXTAUTH_LIMIT_CRED_IP
        || kind == NEXTAUTH_LIMIT_BACKCHANNEL_IP) {
        key = na_limit_ip_key(r->pool, key);
    }
    if (na_limit_cache_id((int)kind, key, rate, now, id, &end) != NA_OK
        || nextauth_limit_rmw(r, id, end, add, &count) != 0) {
        return 0;
    }
    if (retry_after) {
        *retry_after = end - now;
    }
    return add ? count > rate.count : count >= rate.count;
}

int nextauth_limit_hit(request_rec *r, nextauth_limit_e kind, const char *key,
                       apr_int64_t *retry_after)
{
    return nextauth_limit_count(r, kind, key, 1, retry_after);
}

int nextauth_limit_over(request_rec *r, nextauth_limit_e kind, const char *key,
                        apr_int64_t *retry_after)
{
    return nextauth_limit_count(r, kind, key, 0, retry_after);
}

const char *nextauth_limit_describe(request_rec *r, nextauth_limit_e kind)
{
    const na_server_conf_t *conf = nextauth_conf_server(r->server);
    na_rate_t rate = na_limit_effective(conf->rate_limit, (int)kind);

    return apr_psprintf(r->pool, "%s=%s", na_limit_key_name((int)kind),
                        na_limit_rate_text(r->pool, rate));
}
