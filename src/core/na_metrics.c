/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_atomic.h>
#include <apr_lib.h>
#include <strings.h>

#include "na_metrics.h"
#include "na_page.h"

/* Prometheus' default buckets, in microseconds so that counting needs no floating point;
 * the text of each `le` is written as the format wants it. */
static const apr_interval_time_t na_metrics_bucket_bounds[NA_METRICS_BUCKETS] = {
    5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000,
};
static const char *const na_metrics_bucket_text[NA_METRICS_BUCKETS] = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10",
};

na_metrics_t *na_metrics_create(apr_pool_t *p, na_metrics_slots_t *slots)
{
    na_metrics_t *m = apr_pcalloc(p, sizeof(*m));

    memset(slots, 0, sizeof(*slots));
    m->slots = slots;
    return m;
}

static int na_metrics_provider_index(const na_metrics_t *m, const char *id)
{
    int i;

    for (i = 0; id && i < m->nproviders; i++) {
        if (strcmp(m->providers[i], id) == 0) {
            return i;
        }
    }
    return -1;
}

int na_metrics_add_provider(na_metrics_t *m, apr_pool_t *p, const char *id)
{
    int i = na_metrics_provider_index(m, id);

    if (i >= 0 || id == NULL) {
        return i;
    }
    /* A provider named "other" shares the unknown ids' series: two series with one label
     * set would make the whole scrape invalid. */
    if (strcmp(id, "other") == 0) {
        return NA_METRICS_MAX_PROVIDERS;
    }
    if (m->nproviders >= NA_METRICS_MAX_PROVIDERS) {
        return -1;
    }
    m->providers[m->nproviders] = apr_pstrdup(p, id);
    return m->nproviders++;
}

/* The slot of `code`: its index in na_page.c's list, or the last ("other"). */
static int na_metrics_code_index(const char *code)
{
    const char *known;
    int i;

    for (i = 0; code && i < NA_METRICS_MAX_CODES && (known = na_page_code(i)) != NULL; i++) {
        if (strcasecmp(known, code) == 0) {
            return i;
        }
    }
    return NA_METRICS_MAX_CODES;
}

static void na_metrics_add(apr_uint64_t *slot)
{
    apr_atomic_add64(slot, 1);
}

void na_metrics_count_signin(na_metrics_t *m, const char *provider, int outcome)
{
    int i;

    if (m == NULL || outcome < 0 || outcome >= NA_METRICS_OUTCOMES) {
        return;
    }
    i = na_metrics_provider_index(m, provider);
    na_metrics_add(&m->slots->signins[i < 0 ? NA_METRICS_MAX_PROVIDERS : i][outcome]);
}

void na_metrics_count_error(na_metrics_t *m, const char *code)
{
    if (m) {
        na_metrics_add(&m->slots->errors[na_metrics_code_index(code)]);
    }
}

void na_metrics_count_csrf(na_metrics_t *m)
{
    if (m) {
        na_metrics_add(&m->slots->csrf_failures);
    }
}

void na_metrics_count_refusal(na_metrics_t *m, int limit_kind)
{
    if (m && limit_kind >= 0 && limit_kind < NA_LIMIT_KINDS) {
        na_metrics_add(&m->slots->limit_refusals[limit_kind]);
    }
}

void na_metrics_count_refresh(na_metrics_t *m, int result)
{
    if (m && result >= 0 && result < NA_METRICS_REFRESH_RESULTS) {
        na_metrics_add(&m->slots->refreshes[result]);
    }
}

void na_metrics_count_revocation(na_metrics_t *m, int kind)
{
    if (m && kind >= 0 && kind < NA_METRICS_REVOKE_KINDS) {
        na_metrics_add(&m->slots->revocations[kind]);
    }
}

void na_metrics_count_memo(na_metrics_t *m, int result)
{
    if (m && result >= 0 && result < NA_METRICS_MEMO_RESULTS) {
        na_metrics_add(&m->slots->memo[result]);
    }
}

void na_metrics_observe_idp(na_metrics_t *m, apr_interval_time_t took)
{
    int i;

    if (m == NULL) {
        return;
    }
    took = took < 0 ? 0 : took;
    for (i = 0; i < NA_METRICS_BUCKETS && took > na_metrics_bucket_bounds[i]; i++) {
    }
    /* The count is the buckets' sum, so a scrape never sees +Inf and _count disagree. */
    na_metrics_add(&m->slots->idp_buckets[i]);
    apr_atomic_add64(&m->slots->idp_sum_usec, (apr_uint64_t)took);
}

apr_interval_time_t na_metrics_bucket_usec(int i)
{
    return i >= 0 && i < NA_METRICS_BUCKETS ? na_metrics_bucket_bounds[i] : -1;
}

static apr_uint64_t na_metrics_read(const apr_uint64_t *slot)
{
    return apr_atomic_read64((volatile apr_uint64_t *)slot);
}

static apr_uint64_t na_metrics_sum(const apr_uint64_t *slots, int n)
{
    apr_uint64_t sum = 0;
    int i;

    for (i = 0; i < n; i++) {
        sum += na_metrics_read(&slots[i]);
    }
    return sum;
}

void na_metrics_totals(const na_metrics_t *m, na_metrics_totals_t *out)
{
    const na_metrics_slots_t *s = m->slots;
    int i, o;

    memset(out, 0, sizeof(*out));
    for (i = 0; i <= NA_METRICS_MAX_PROVIDERS; i++) {
        for (o = 0; o < NA_METRICS_OUTCOMES; o++) {
            out->signins[o] += na_metrics_read(&s->signins[i][o]);
        }
    }
    out->errors = na_metrics_sum(s->errors, NA_METRICS_MAX_CODES + 1);
    out->csrf_failures = na_metrics_read(&s->csrf_failures);
    out->limit_refusals = na_metrics_sum(s->limit_refusals, NA_LIMIT_KINDS);
    out->memo[NA_METRICS_MEMO_HIT] = na_metrics_read(&s->memo[NA_METRICS_MEMO_HIT]);
    out->memo[NA_METRICS_MEMO_MISS] = na_metrics_read(&s->memo[NA_METRICS_MEMO_MISS]);
    out->idp_requests = na_metrics_sum(s->idp_buckets, NA_METRICS_BUCKETS + 1);
    out->idp_sum_usec = na_metrics_read(&s->idp_sum_usec);
}

const char *na_metrics_escape_label(apr_pool_t *p, const char *value)
{
    apr_size_t n = 0;
    const char *in;
    char *out, *o;

    for (in = value; *in; in++) {
        n += (*in == '\\' || *in == '"' || *in == '\n') ? 2 : 1;
    }
    o = out = apr_palloc(p, n + 1);
    for (in = value; *in; in++) {
        if (*in == '\\' || *in == '"' || *in == '\n') {
            *o++ = '\\';
            *o++ = *in == '\n' ? 'n' : *in;
        }
        else {
            *o++ = *in;
        }
    }
    *o = '\0';
    return out;
}

/* The text, as pieces joined at the end. */
typedef struct na_metrics_out_t {
    apr_pool_t *p;
    apr_array_header_t *parts;
} na_metrics_out_t;

static void na_metrics_put(na_metrics_out_t *o, const char *text)
{
    APR_ARRAY_PUSH(o->parts, const char *) = text;
}

static void na_metrics_family(na_metrics_out_t *o, const char *name, const char *type,
                              const char *help)
{
    na_metrics_put(o, apr_psprintf(o->p, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type));
}

/* One sample; labels is "" or `a="x",b="y"` with values already escaped. */
static void na_metrics_sample(na_metrics_out_t *o, const char *name, const char *labels,
                              apr_uint64_t value)
{
    na_metrics_put(o, apr_psprintf(o->p, "%s%s%s%s %" APR_UINT64_T_FMT "\n", name,
                                   *labels ? "{" : "", labels, *labels ? "}" : "", value));
}

static const char *na_metrics_label(apr_pool_t *p, const char *key, const char *value)
{
    return apr_pstrcat(p, key, "=\"", na_metrics_escape_label(p, value), "\"", NULL);
}

static void na_metrics_write_signins(na_metrics_out_t *o, const na_metrics_t *m)
{
    static const char *const outcomes[NA_METRICS_OUTCOMES] = {"failure", "success"};
    const char *name = "nextauth_signins_total";
    int i, k;

    na_metrics_family(o, name, "counter",
                      "Sign-ins that created a session (success) or were refused on a callback "
                      "(failure), by provider.");
    for (i = 0; i <= m->nproviders; i++) {
        int slot = i < m->nproviders ? i : NA_METRICS_MAX_PROVIDERS;
        const char *prov = i < m->nproviders ? m->providers[i] : "other";

        for (k = 0; k < NA_METRICS_OUTCOMES; k++) {
            const char *labels = apr_pstrcat(o->p, na_metrics_label(o->p, "provider", prov), ",",
                                             na_metrics_label(o->p, "outcome", outcomes[k]), NULL);

            na_metrics_sample(o, name, labels, na_metrics_read(&m->slots->signins[slot][k]));
        }
    }
}

static void na_metrics_write_errors(na_metrics_out_t *o, const na_metrics_t *m)
{
    const char *name = "nextauth_errors_total";
    const char *code;
    int i;

    na_metrics_family(o, name, "counter",
                      "Failures answered with a NextAuth error code (unknown codes as other).");
    for (i = 0; i < NA_METRICS_MAX_CODES && (code = na_page_code(i)) != NULL; i++) {
        na_metrics_sample(o, name, na_metrics_label(o->p, "code", code),
                          na_metrics_read(&m->slots->errors[i]));
    }
    na_metrics_sample(o, name, na_metrics_label(o->p, "code", "other"),
                      na_metrics_read(&m->slots->errors[NA_METRICS_MAX_CODES]));
    na_metrics_family(o, "nextauth_csrf_failures_total", "counter",
                      "POSTs refused because the CSRF token did not match its cookie.");
    na_metrics_sample(o, "nextauth_csrf_failures_total", "",
                      na_metrics_read(&m->slots->csrf_failures));
}

static void na_metrics_write_limits(na_metrics_out_t *o, const na_metrics_t *m)
{
    const char *name = "nextauth_rate_limit_refusals_total";
    int i;

    na_metrics_family(o, name, "counter", "Requests refused by NextAuthRateLimit, by limit.");
    for (i = 0; i < NA_LIMIT_KINDS; i++) {
        na_metrics_sample(o, name, na_metrics_label(o->p, "kind", na_limit_key_name(i)),
                          na_metrics_read(&m->slots->limit_refusals[i]));
    }
    name = "nextauth_session_memo_total";
    na_metrics_family(
        o, name, "counter",
        "Session cookies found in (hit) or decrypted past (miss) the process's memo.");
    na_metrics_sample(o, name, "result=\"hit\"",
                      na_metrics_read(&m->slots->memo[NA_METRICS_MEMO_HIT]));
    na_metrics_sample(o, name, "result=\"miss\"",
                      na_metrics_read(&m->slots->memo[NA_METRICS_MEMO_MISS]));
}

static void na_metrics_write_sessions(na_metrics_out_t *o, const na_metrics_t *m)
{
    static const char *const results[NA_METRICS_REFRESH_RESULTS] = {"ok", "refused", "failed"};
    static const char *const kinds[NA_METRICS_REVOKE_REFUSED] = {"signout", "everywhere",
                                                                 "backchannel"};
    const char *name = "nextauth_token_refreshes_total";
    int i;

    na_metrics_family(o, name, "counter",
                      "Access-token refreshes: ok, refused by the IdP, failed (IdP or cache).");
    for (i = 0; i < NA_METRICS_REFRESH_RESULTS; i++) {
        na_metrics_sample(o, name, na_metrics_label(o->p, "result", results[i]),
                          na_metrics_read(&m->slots->refreshes[i]));
    }
    name = "nextauth_revocations_total";
    na_metrics_family(o, name, "counter", "Sessions or users revoked, by cause.");
    for (i = 0; i < NA_METRICS_REVOKE_REFUSED; i++) {
        na_metrics_sample(o, name, na_metrics_label(o->p, "cause", kinds[i]),
                          na_metrics_read(&m->slots->revocations[i]));
    }
    name = "nextauth_revoked_session_refusals_total";
    na_metrics_family(o, name, "counter", "Requests refused because their session was revoked.");
    na_metrics_sample(o, name, "",
                      na_metrics_read(&m->slots->revocations[NA_METRICS_REVOKE_REFUSED]));
}

static void na_metrics_write_idp(na_metrics_out_t *o, const na_metrics_t *m)
{
    const char *name = "nextauth_idp_request_duration_seconds";
    apr_uint64_t cumulative = 0, sum = na_metrics_read(&m->slots->idp_sum_usec);
    int i;

    na_metrics_family(o, name, "histogram",
                      "Requests to identity providers (discovery, JWKS, token, userinfo).");
    for (i = 0; i <= NA_METRICS_BUCKETS; i++) {
        cumulative += na_metrics_read(&m->slots->idp_buckets[i]);
        na_metrics_put(o, apr_psprintf(o->p, "%s_bucket{le=\"%s\"} %" APR_UINT64_T_FMT "\n", name,
                                       i < NA_METRICS_BUCKETS ? na_metrics_bucket_text[i] : "+Inf",
                                       cumulative));
    }
    na_metrics_put(o, apr_psprintf(o->p, "%s_sum %" APR_UINT64_T_FMT ".%06" APR_UINT64_T_FMT "\n",
                                   name, sum / 1000000, sum % 1000000));
    na_metrics_put(o, apr_psprintf(o->p, "%s_count %" APR_UINT64_T_FMT "\n", name, cumulative));
}

const char *na_metrics_text(apr_pool_t *p, const na_metrics_t *m)
{
    na_metrics_out_t o = {p, apr_array_make(p, 64, sizeof(const char *))};

    na_metrics_write_signins(&o, m);
    na_metrics_write_errors(&o, m);
    na_metrics_write_limits(&o, m);
    na_metrics_write_sessions(&o, m);
    na_metrics_write_idp(&o, m);
    return apr_array_pstrcat(p, o.parts, '\0');
}
