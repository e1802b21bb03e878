/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>
#include <http_request.h>

#include <apr_atomic.h>

#include "mod_nextauth_callback.h"
#include "mod_nextauth_complete.h"
#include "mod_nextauth_credentials.h"
#include "mod_nextauth_email.h"
#include "mod_nextauth_fail.h"
#include "mod_nextauth_limit.h"
#include "mod_nextauth_metrics.h"
#include "mod_nextauth_oauth.h"
#include "mod_nextauth_req.h"
#include "na_limit.h"
#include "na_page.h"
#include "na_policy.h"

/* GET|POST callback/:provider: OAuth and e-mail callbacks carry on in their own files;
 * a credentials sign-in (the form posts here) is checked here, throttled against brute
 * force, and completed as every other sign-in. */

#define NEXTAUTH_MAX_USERNAME 256
#define NEXTAUTH_MAX_PASSWORD 1024
/* A throttled answer waits as long as a failed password check takes, at most this. */
#define NEXTAUTH_THROTTLE_DEFAULT apr_time_from_msec(100)
#define NEXTAUTH_THROTTLE_CAP apr_time_from_sec(2)

/* Per process: moving average of how long failed password checks take (microseconds). */
static apr_uint32_t nextauth_callback_failed_usec;

/* Brute-force throttling (NextAuthRateLimit credentialsUser, credentialsIp). A throttled
 * attempt gets the answer of a wrong password, after about the time a wrong password
 * takes (limit lookups, password check and counting, all from `started`), without
 * reaching the authn provider: the attacker learns nothing, not even from timing. With
 * `failed`, the failure is counted instead. Returns 1 when the attempt is throttled. */
static int nextauth_callback_throttle(nextauth_req_t *req, const char *user, int failed,
                                      apr_time_t started)
{
    request_rec *r = req->r;
    const char *key = NULL;
    const char *ip = r->useragent_ip;
    apr_int64_t retry = 0;
    apr_interval_time_t wait;
    nextauth_limit_e which;

    /* One budget per account as the backends compare names (LDAP, case-insensitive SQL
     * collations): "ＡＬＩＣＥ", " Alice " and "alice" are one user. The username was
     * checked as UTF-8 before; should folding still fail, the bytes as typed count, so
     * the budget never lapses. */
    if (na_limit_user_key(r->pool, user, &key) != NA_OK) {
        key = user;
    }
    if (failed) {
        nextauth_limit_hit(r, NEXTAUTH_LIMIT_CRED_USER, key, NULL);
        if (ip) {
            nextauth_limit_hit(r, NEXTAUTH_LIMIT_CRED_IP, ip, NULL);
        }
        apr_atomic_set32(&nextauth_callback_failed_usec,
                         na_limit_average(apr_atomic_read32(&nextauth_callback_failed_usec),
                                          apr_time_now() - started));
        return 0;
    }
    if (nextauth_limit_over(r, NEXTAUTH_LIMIT_CRED_USER, key, &retry)) {
        which = NEXTAUTH_LIMIT_CRED_USER;
    }
    else if (ip && nextauth_limit_over(r, NEXTAUTH_LIMIT_CRED_IP, ip, &retry)) {
        which = NEXTAUTH_LIMIT_CRED_IP;
    }
    else {
        return 0;
    }
    nextauth_metrics_refusal(which);
    ap_log_rerror(
        APLOG_MARK, APLOG_INFO, 0, r,
        NA_LOGNO(00060) "credentials sign-in throttled for user '%s' from %s: %s reached "
                        "(window ends in %" APR_INT64_T_FMT " s); the password was not checked",
        ap_escape_logitem(r->pool, user), ip ? ip : "-", nextauth_limit_describe(r, which), retry);
    wait = na_limit_delay(apr_atomic_read32(&nextauth_callback_failed_usec),
                          NEXTAUTH_THROTTLE_DEFAULT, NEXTAUTH_THROTTLE_CAP)
           - (apr_time_now() - started);
    if (wait > 0) {
        apr_sleep(wait);
    }
    return 1;
}

static int nextauth_callback_credentials(nextauth_req_t *req, const na_provider_t *prov)
{
    request_rec *r = req->r;
    const char *user = apr_table_get(req->form, "username");
    const char *password = apr_table_get(req->form, "password");
    na_session_claims_t claims;
    authn_status status;
    apr_time_t started;

    if (!nextauth_req_csrf_ok(req)) {
        return nextauth_fail_csrf(req, NA_LOGNO(00167), "/signin");
    }
    if (user == NULL || password == NULL || *user == '\0' || *password == '\0'
        || strlen(user) > NEXTAUTH_MAX_USERNAME || strlen(password) > NEXTAUTH_MAX_PASSWORD
        || !na_page_utf8_ok(user)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00019) "credentials sign-in without a usable username and password");
        return nextauth_fail_answer(req, "CredentialsSignin", HTTP_UNAUTHORIZED);
    }
    started = apr_time_now();
    if (nextauth_callback_throttle(req, user, 0, started)) {
        return nextauth_fail_answer(req, "CredentialsSignin", HTTP_UNAUTHORIZED);
    }
    status = nextauth_credentials_check(r, prov, user, password);
    if (status == AUTH_DENIED || status == AUTH_USER_NOT_FOUND) {
        nextauth_callback_throttle(req, user, 1, started);
    }
    if (status != AUTH_GRANTED) {
        /* Which part was wrong is not said to the client, only to the log. */
        ap_log_rerror(APLOG_MARK, status == AUTH_GENERAL_ERROR ? APLOG_ERR : APLOG_INFO, 0, r,
                      NA_LOGNO(00020) "credentials sign-in failed for user '%s' (%s)",
                      ap_escape_logitem(r->pool, user),
                      status == AUTH_USER_NOT_FOUND ? "unknown user"
                      : status == AUTH_DENIED       ? "wrong password"
                                                    : "error");
        return nextauth_fail_answer(req, "CredentialsSignin", HTTP_UNAUTHORIZED);
    }
    memset(&claims, 0, sizeof(claims));
    claims.name = user;
    claims.email = na_policy_email_of(r->pool, user);
    claims.sub = user;
    claims.provider = prov->id;
    return nextauth_signin_complete(req, prov, &claims, NULL);
}

/* GET|POST callback/:provider */
int nextauth_route_callback(nextauth_req_t *req)
{
    const na_provider_t *prov = na_config_provider(req->conf, req->route.param);

    if (prov == NULL) {
        return HTTP_NOT_FOUND;
    }
    if (prov->kind == NA_PROVIDER_CREDENTIALS) {
        if (req->r->method_number != M_POST) {
            ap_allow_methods(req->r, REPLACE_ALLOW, "POST", NULL);
            return HTTP_METHOD_NOT_ALLOWED;
        }
        return nextauth_callback_credentials(req, prov);
    }
    if (prov->kind & NA_PROVIDER_ANY_OAUTH) {
        return nextauth_oauth_callback(req, prov);
    }
    return nextauth_email_callback(req, prov);
}
