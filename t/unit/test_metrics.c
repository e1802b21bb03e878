/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include "na_config.h"
#include "na_metrics.h"
#include "suites.h"

/* The slot layout and the Prometheus text writer (src/core/na_metrics.c). */

static na_metrics_slots_t na_test_slots;

static na_metrics_t *na_test_metrics(void)
{
    na_metrics_t *m = na_metrics_create(na_test_pool, &na_test_slots);

    ck_assert_int_eq(na_metrics_add_provider(m, na_test_pool, "credentials"), 0);
    ck_assert_int_eq(na_metrics_add_provider(m, na_test_pool, "github"), 1);
    return m;
}

/* The line of `text` that starts with `prefix` followed by a space, or NULL. */
static const char *na_test_line(const char *text, const char *prefix)
{
    const char *at = text;
    size_t n = strlen(prefix);

    while (at && *at) {
        if (strncmp(at, prefix, n) == 0 && at[n] == ' ') {
            return at;
        }
        at = strchr(at, '\n');
        at = at ? at + 1 : NULL;
    }
    return NULL;
}

static long long na_test_value(const char *text, const char *series)
{
    const char *line = na_test_line(text, series);

    ck_assert_msg(line != NULL, "no sample %s in:\n%s", series, text);
    return strtoll(line + strlen(series) + 1, NULL, 10);
}

START_TEST(test_metrics_escape_label)
{
    ck_assert_str_eq(na_metrics_escape_label(na_test_pool, "plain-id_1"), "plain-id_1");
    ck_assert_str_eq(na_metrics_escape_label(na_test_pool, "a\"b"), "a\\\"b");
    ck_assert_str_eq(na_metrics_escape_label(na_test_pool, "a\\b"), "a\\\\b");
    ck_assert_str_eq(na_metrics_escape_label(na_test_pool, "a\nb"), "a\\nb");
    ck_assert_str_eq(na_metrics_escape_label(na_test_pool, ""), "");
}
END_TEST

START_TEST(test_metrics_providers_fixed)
{
    na_metrics_t *m = na_test_metrics();
    const char *text, *other;
    int i;

    ck_assert_int_eq(na_metrics_add_provider(m, na_test_pool, "github"), 1);
    ck_assert_int_eq(na_metrics_add_provider(m, na_test_pool, "other"), NA_METRICS_MAX_PROVIDERS);
    for (i = 2; i < NA_METRICS_MAX_PROVIDERS; i++) {
        ck_assert_int_eq(
            na_metrics_add_provider(m, na_test_pool, apr_psprintf(na_test_pool, "p%d", i)), i);
    }
    ck_assert_int_eq(na_metrics_add_provider(m, na_test_pool, "one-too-many"), -1);
    na_metrics_count_signin(m, "github", NA_METRICS_SUCCESS);
    na_metrics_count_signin(m, "github", NA_METRICS_SUCCESS);
    na_metrics_count_signin(m, "credentials", NA_METRICS_FAILURE);
    na_metrics_count_signin(m, "one-too-many", NA_METRICS_FAILURE);
    na_metrics_count_signin(m, NULL, NA_METRICS_SUCCESS);
    text = na_metrics_text(na_test_pool, m);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_signins_total{provider=\"github\",outcome=\"success\"}"), 2);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_signins_total{provider=\"github\",outcome=\"failure\"}"), 0);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_signins_total{provider=\"credentials\",outcome=\"failure\"}"),
        1);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_signins_total{provider=\"other\",outcome=\"failure\"}"), 1);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_signins_total{provider=\"other\",outcome=\"success\"}"), 1);
    ck_assert_ptr_null(na_test_line(
        text, "nextauth_signins_total{provider=\"one-too-many\",outcome=\"failure\"}"));
    /* One series for "other", though a provider is named so. */
    other = strstr(text, "{provider=\"other\",outcome=\"success\"}");
    ck_assert_ptr_nonnull(other);
    ck_assert_ptr_null(strstr(other + 1, "{provider=\"other\",outcome=\"success\"}"));
}
END_TEST

START_TEST(test_metrics_provider_label_escaped)
{
    na_metrics_t *m = na_metrics_create(na_test_pool, &na_test_slots);
    const char *text;

    na_metrics_add_provider(m, na_test_pool, "we\"ird\\id");
    na_metrics_count_signin(m, "we\"ird\\id", NA_METRICS_SUCCESS);
    text = na_metrics_text(na_test_pool, m);
    ck_assert_int_eq(
        na_test_value(text,
                      "nextauth_signins_total{provider=\"we\\\"ird\\\\id\",outcome=\"success\"}"),
        1);
}
END_TEST

START_TEST(test_metrics_error_codes)
{
    na_metrics_t *m = na_test_metrics();
    const char *text;

    na_metrics_count_error(m, "CredentialsSignin");
    na_metrics_count_error(m, "CredentialsSignin");
    na_metrics_count_error(m, "configuration"); /* the error page types ignore case */
    na_metrics_count_error(m, "NoSuchCode");
    na_metrics_count_error(m, NULL);
    na_metrics_count_csrf(m);
    text = na_metrics_text(na_test_pool, m);
    ck_assert_int_eq(na_test_value(text, "nextauth_errors_total{code=\"CredentialsSignin\"}"), 2);
    ck_assert_int_eq(na_test_value(text, "nextauth_errors_total{code=\"Configuration\"}"), 1);
    ck_assert_int_eq(na_test_value(text, "nextauth_errors_total{code=\"OAuthCallback\"}"), 0);
    ck_assert_int_eq(na_test_value(text, "nextauth_errors_total{code=\"other\"}"), 2);
    ck_assert_int_eq(na_test_value(text, "nextauth_csrf_failures_total"), 1);
    ck_assert_ptr_null(na_test_line(text, "nextauth_errors_total{code=\"NoSuchCode\"}"));
}
END_TEST

START_TEST(test_metrics_limits_and_memo)
{
    na_metrics_t *m = na_test_metrics();
    const char *text;

    na_metrics_count_refusal(m, NA_LIMIT_CRED_USER);
    na_metrics_count_refusal(m, NA_LIMIT_CRED_USER);
    na_metrics_count_refusal(m, NA_LIMIT_EMAIL_IP);
    na_metrics_count_refusal(m, NA_LIMIT_KINDS); /* out of range: ignored */
    na_metrics_count_memo(m, NA_METRICS_MEMO_HIT);
    na_metrics_count_memo(m, NA_METRICS_MEMO_MISS);
    na_metrics_count_memo(m, NA_METRICS_MEMO_MISS);
    text = na_metrics_text(na_test_pool, m);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_rate_limit_refusals_total{kind=\"credentialsUser\"}"), 2);
    ck_assert_int_eq(na_test_value(text, "nextauth_rate_limit_refusals_total{kind=\"emailIp\"}"),
                     1);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_rate_limit_refusals_total{kind=\"credentialsIp\"}"), 0);
    ck_assert_int_eq(na_test_value(text, "nextauth_session_memo_total{result=\"hit\"}"), 1);
    ck_assert_int_eq(na_test_value(text, "nextauth_session_memo_total{result=\"miss\"}"), 2);
}
END_TEST

START_TEST(test_metrics_histogram)
{
    na_metrics_t *m = na_test_metrics();
    const char *text, *sum;
    na_metrics_totals_t t;

    na_metrics_observe_idp(m, 5000);     /* on a bound: in that bucket (le = less or equal) */
    na_metrics_observe_idp(m, 5001);     /* the next one */
    na_metrics_observe_idp(m, 300000);   /* 0.5 */
    na_metrics_observe_idp(m, 60000000); /* a minute: only +Inf */
    text = na_metrics_text(na_test_pool, m);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_idp_request_duration_seconds_bucket{le=\"0.005\"}"), 1);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_idp_request_duration_seconds_bucket{le=\"0.01\"}"), 2);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_idp_request_duration_seconds_bucket{le=\"0.25\"}"), 2);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_idp_request_duration_seconds_bucket{le=\"0.5\"}"), 3);
    ck_assert_int_eq(na_test_value(text, "nextauth_idp_request_duration_seconds_bucket{le=\"10\"}"),
                     3);
    ck_assert_int_eq(
        na_test_value(text, "nextauth_idp_request_duration_seconds_bucket{le=\"+Inf\"}"), 4);
    ck_assert_int_eq(na_test_value(text, "nextauth_idp_request_duration_seconds_count"), 4);
    sum = na_test_line(text, "nextauth_idp_request_duration_seconds_sum");
    ck_assert_ptr_nonnull(sum);
    ck_assert(strncmp(sum, "nextauth_idp_request_duration_seconds_sum 60.310001\n", 52) == 0);
    ck_assert_int_eq(na_metrics_bucket_usec(0), 5000);
    ck_assert_int_eq(na_metrics_bucket_usec(NA_METRICS_BUCKETS), -1);
    na_metrics_totals(m, &t);
    ck_assert_uint_eq(t.idp_requests, 4);
    ck_assert_uint_eq(t.idp_sum_usec, 60310001);
}
END_TEST

/* Every line is a comment (HELP or TYPE of a known family) or `name{labels} integer`,
 * and every family is typed before its first sample. */
START_TEST(test_metrics_format)
{
    na_metrics_t *m = na_test_metrics();
    const char *text = na_metrics_text(na_test_pool, m);
    char *copy = apr_pstrdup(na_test_pool, text), *state = NULL, *line;
    int lines = 0, types = 0;

    ck_assert(text[strlen(text) - 1] == '\n');
    for (line = apr_strtok(copy, "\n", &state); line; line = apr_strtok(NULL, "\n", &state)) {
        lines++;
        if (strncmp(line, "# TYPE ", 7) == 0) {
            types++;
            ck_assert(strstr(line, " counter") || strstr(line, " histogram"));
            continue;
        }
        if (strncmp(line, "# HELP nextauth_", 16) == 0) {
            continue;
        }
        ck_assert_msg(strncmp(line, "nextauth_", 9) == 0, "bad line '%s'", line);
        ck_assert_msg(strchr(line, ' ') != NULL, "no value on '%s'", line);
    }
    ck_assert_int_eq(types, 9);
    ck_assert_int_gt(lines, 40);
}
END_TEST

START_TEST(test_metrics_refreshes_and_revocations)
{
    na_metrics_t *m = na_test_metrics();
    const char *text;

    na_metrics_count_refresh(m, NA_METRICS_REFRESH_OK);
    na_metrics_count_refresh(m, NA_METRICS_REFRESH_OK);
    na_metrics_count_refresh(m, NA_METRICS_REFRESH_FAILED);
    na_metrics_count_refresh(m, NA_METRICS_REFRESH_RESULTS); /* out of range: ignored */
    na_metrics_count_refresh(m, -1);
    na_metrics_count_revocation(m, NA_METRICS_REVOKE_SIGNOUT);
    na_metrics_count_revocation(m, NA_METRICS_REVOKE_BACKCHANNEL);
    na_metrics_count_revocation(m, NA_METRICS_REVOKE_BACKCHANNEL);
    na_metrics_count_revocation(m, NA_METRICS_REVOKE_REFUSED);
    na_metrics_count_revocation(m, NA_METRICS_REVOKE_KINDS);
    text = na_metrics_text(na_test_pool, m);
    ck_assert_int_eq(na_test_value(text, "nextauth_token_refreshes_total{result=\"ok\"}"), 2);
    ck_assert_int_eq(na_test_value(text, "nextauth_token_refreshes_total{result=\"refused\"}"), 0);
    ck_assert_int_eq(na_test_value(text, "nextauth_token_refreshes_total{result=\"failed\"}"), 1);
    ck_assert_int_eq(na_test_value(text, "nextauth_revocations_total{cause=\"signout\"}"), 1);
    ck_assert_int_eq(na_test_value(text, "nextauth_revocations_total{cause=\"everywhere\"}"), 0);
    ck_assert_int_eq(na_test_value(text, "nextauth_revocations_total{cause=\"backchannel\"}"), 2);
    ck_assert_int_eq(na_test_value(text, "nextauth_revoked_session_refusals_total"), 1);
}
END_TEST

START_TEST(test_metrics_null_is_noop)
{
    na_metrics_count_signin(NULL, "github", NA_METRICS_SUCCESS);
    na_metrics_count_error(NULL, "Default");
    na_metrics_count_csrf(NULL);
    na_metrics_count_refusal(NULL, 0);
    na_metrics_count_memo(NULL, 0);
    na_metrics_count_refresh(NULL, NA_METRICS_REFRESH_OK);
    na_metrics_count_revocation(NULL, NA_METRICS_REVOKE_SIGNOUT);
    na_metrics_observe_idp(NULL, 1);
}
END_TEST

START_TEST(test_metrics_dir_config)
{
    na_dir_conf_t *base = na_config_dir_create(na_test_pool);
    na_dir_conf_t *add = na_config_dir_create(na_test_pool);

    ck_assert_int_eq(na_config_metrics(base), 0); /* default off */
    ck_assert_int_eq(na_config_metrics(NULL), 0);
    base->metrics = 1;
    ck_assert_int_eq(na_config_metrics(na_config_dir_merge(na_test_pool, base, add)), 1);
    add->metrics = 0;
    ck_assert_int_eq(na_config_metrics(na_config_dir_merge(na_test_pool, base, add)), 0);
}
END_TEST

Suite *suite_metrics(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = na_test_tcase("metrics");

    tcase_add_test(tc, test_metrics_escape_label);
    tcase_add_test(tc, test_metrics_providers_fixed);
    tcase_add_test(tc, test_metrics_provider_label_escaped);
    tcase_add_test(tc, test_metrics_error_codes);
    tcase_add_test(tc, test_metrics_limits_and_memo);
    tcase_add_test(tc, test_metrics_histogram);
    tcase_add_test(tc, test_metrics_format);
    tcase_add_test(tc, test_metrics_refreshes_and_revocations);
    tcase_add_test(tc, test_metrics_null_is_noop);
    tcase_add_test(tc, test_metrics_dir_config);
    suite_add_tcase(s, tc);
    return s;
}
