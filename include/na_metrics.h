/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_METRICS_H
#define NA_METRICS_H

#include <apr_time.h>

#include "na_common.h"
#include "na_limit.h"

/* Counters for NextAuthMetrics and mod_status: a fixed slot layout (so the slots can live
 * in shared memory that every child maps at the same size) and the Prometheus text
 * writer. Labels come from fixed tables: the provider ids indexed at post_config and the
 * NextAuth error codes of na_page.c; anything else counts under "other". Counting is one
 * atomic add on a slot, no lock. */

#define NA_METRICS_MAX_PROVIDERS 64
#define NA_METRICS_MAX_CODES 32
#define NA_METRICS_BUCKETS 11 /* IdP latency buckets below +Inf */
#define NA_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

enum { NA_METRICS_FAILURE = 0, NA_METRICS_SUCCESS, NA_METRICS_OUTCOMES };
enum { NA_METRICS_MEMO_HIT = 0, NA_METRICS_MEMO_MISS, NA_METRICS_MEMO_RESULTS };
/** Access-token refreshes: done, refused by the IdP (invalid_grant), failed (IdP or cache). */
enum {
    NA_METRICS_REFRESH_OK = 0,
    NA_METRICS_REFRESH_REFUSED,
    NA_METRICS_REFRESH_FAILED,
    NA_METRICS_REFRESH_RESULTS
};
/** Revocations written, by cause; and requests refused for a revoked session. */
enum {
    NA_METRICS_REVOKE_SIGNOUT = 0,
    NA_METRICS_REVOKE_EVERYWHERE,
    NA_METRICS_REVOKE_BACKCHANNEL,
    NA_METRICS_REVOKE_REFUSED,
    NA_METRICS_REVOKE_KINDS
};

/** The counters. Plain data with no pointers: it may be mapped anywhere. */
typedef struct na_metrics_slots_t {
    apr_uint64_t signins[NA_METRICS_MAX_PROVIDERS + 1][NA_METRICS_OUTCOMES]; /**< last: other */
    apr_uint64_t errors[NA_METRICS_MAX_CODES + 1];                           /**< last: other */
    apr_uint64_t csrf_failures;
    apr_uint64_t limit_refusals[NA_LIMIT_KINDS];
    apr_uint64_t memo[NA_METRICS_MEMO_RESULTS];
    apr_uint64_t idp_buckets[NA_METRICS_BUCKETS + 1]; /**< per bucket, not cumulative; last: +Inf */
    apr_uint64_t idp_sum_usec;
    apr_uint64_t refreshes[NA_METRICS_REFRESH_RESULTS];
    apr_uint64_t revocations[NA_METRICS_REVOKE_KINDS];
} na_metrics_slots_t;

/** The slots and their labels (the labels are per process, rebuilt at each post_config). */
typedef struct na_metrics_t {
    na_metrics_slots_t *slots;
    const char *providers[NA_METRICS_MAX_PROVIDERS];
    int nproviders;
} na_metrics_t;

/** Sums for mod_status. */
typedef struct na_metrics_totals_t {
    apr_uint64_t signins[NA_METRICS_OUTCOMES];
    apr_uint64_t errors;
    apr_uint64_t csrf_failures;
    apr_uint64_t limit_refusals;
    apr_uint64_t memo[NA_METRICS_MEMO_RESULTS];
    apr_uint64_t idp_requests;
    apr_uint64_t idp_sum_usec;
} na_metrics_totals_t;

/** Metrics over `slots` (zeroed here), with no provider yet. */
na_metrics_t *na_metrics_create(apr_pool_t *p, na_metrics_slots_t *slots);
/** Index provider `id` (copied from p); a repeat is ignored. Returns the slot where it
 *  counts: its own, NA_METRICS_MAX_PROVIDERS for an id spelled "other" (which shares the
 *  unknown ids' series), or -1 when the table is full (it then counts as "other"). */
int na_metrics_add_provider(na_metrics_t *m, apr_pool_t *p, const char *id);

/* Counting. Each takes m == NULL (no metrics were set up) as a no-op. */
void na_metrics_count_signin(na_metrics_t *m, const char *provider, int outcome);
/** One failure answered with NextAuth error `code` (matched without regard to case). */
void na_metrics_count_error(na_metrics_t *m, const char *code);
void na_metrics_count_csrf(na_metrics_t *m);
void na_metrics_count_refusal(na_metrics_t *m, int limit_kind);
void na_metrics_count_memo(na_metrics_t *m, int result);
void na_metrics_count_refresh(na_metrics_t *m, int result);
void na_metrics_count_revocation(na_metrics_t *m, int kind);
/** One request to an identity provider that took `took`. */
void na_metrics_observe_idp(na_metrics_t *m, apr_interval_time_t took);

/** The upper bound of IdP latency bucket i (0..NA_METRICS_BUCKETS-1), in microseconds. */
apr_interval_time_t na_metrics_bucket_usec(int i);
void na_metrics_totals(const na_metrics_t *m, na_metrics_totals_t *out);
/** A label value escaped as the text format wants: backslash, double quote, newline. */
const char *na_metrics_escape_label(apr_pool_t *p, const char *value);
/** Everything in the Prometheus text exposition format 0.0.4, HELP and TYPE included. */
const char *na_metrics_text(apr_pool_t *p, const na_metrics_t *m);

#endif
