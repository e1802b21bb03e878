/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>
#include <http_request.h>
#include <apr_lib.h>

#include "mod_nextauth_complete.h"
#include "mod_nextauth_db.h"
#include "mod_nextauth_email.h"
#include "mod_nextauth_fail.h"
#include "mod_nextauth_limit.h"
#include "mod_nextauth_metrics.h"
#include "mod_nextauth_pages.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_req.h"
#include "na_email.h"
#include "na_mail.h"
#include "na_page.h"
#include "na_policy.h"

/* next-auth's defaults for an e-mail provider without server= or from=. */
#define NEXTAUTH_EMAIL_DEFAULT_SERVER "smtp://localhost:25"
#define NEXTAUTH_EMAIL_DEFAULT_FROM "NextAuth <no-reply@example.com>"
#define NEXTAUTH_EMAIL_TOKEN_LEN 64

/* The secret the stored hash is made with: next-auth uses provider.secret ?? secret,
 * and we have no per-provider secret, so the first (current) NextAuthSecret. */
static const char *nextauth_email_secret(const nextauth_req_t *req)
{
    return APR_ARRAY_IDX(req->conf->secrets, 0, const char *);
}

static int nextauth_email_limited(nextauth_req_t *req, const char *email, apr_int64_t *retry_after)
{
    apr_int64_t wait_addr = 0, wait_ip = 0;
    /* Both counters move on every request, so neither tells the caller which tripped. */
    int over_addr = nextauth_limit_hit(req->r, NEXTAUTH_LIMIT_EMAIL_ADDR, email, &wait_addr);
    int over_ip =
        nextauth_limit_hit(req->r, NEXTAUTH_LIMIT_EMAIL_IP, req->r->useragent_ip, &wait_ip);

    if (over_addr) {
        nextauth_metrics_refusal(NEXTAUTH_LIMIT_EMAIL_ADDR);
    }
    if (over_ip) {
        nextauth_metrics_refusal(NEXTAUTH_LIMIT_EMAIL_IP);
    }
    *retry_after = wait_addr > wait_ip ? wait_addr : wait_ip;
    return over_addr || over_ip;
}

static int nextauth_email_too_many(nextauth_req_t *req, apr_int64_t retry_after)
{
    request_rec *r = req->r;

    nextauth_fail_log(r, NA_LOGNO(00035), NA_EDENIED, NULL,
                      "magic-link request from %s refused: rate limit", r->useragent_ip);
    apr_table_setn(r->err_headers_out, "Retry-After",
                   apr_psprintf(r->pool, "%" APR_INT64_T_FMT, retry_after > 0 ? retry_after : 60));
    if (req->json) {
        return nextauth_reply_redirect(req, nextauth_error_url(req, "EmailSignin"),
                                       HTTP_TOO_MANY_REQUESTS);
    }
    return nextauth_reply_html(
        req, HTTP_TOO_MANY_REQUESTS,
        na_page_rate_limited(r->pool, nextauth_pages_view(req), retry_after));
}

/* Build and send the mail; *err says why it did not go (the caller logs it once). */
static na_status_t nextauth_email_send(nextauth_req_t *req, const na_provider_t *prov,
                                       const char *email, const char *link, na_err_t *err)
{
    request_rec *r = req->r;
    const na_theme_t *theme = &req->conf->theme;
    na_smtp_conf_t smtp;
    na_mail_t mail;
    na_status_t rv;

    rv = na_mail_signin(r->pool,
                        na_i18n_negotiate(r->pool, apr_table_get(r->headers_in, "Accept-Language")),
                        link, theme->brand_color, theme->button_text, &mail);
    if (rv != NA_OK) {
        return na_err_set(r->pool, err, rv, "EmailSignin", "cannot build the mail");
    }
    mail.from = prov->from ? prov->from : NEXTAUTH_EMAIL_DEFAULT_FROM;
    mail.to = email;
    memset(&smtp, 0, sizeof(smtp)); /* ca_file NULL: the system's CAs */
    smtp.server = prov->server ? prov->server : NEXTAUTH_EMAIL_DEFAULT_SERVER;
    smtp.starttls = prov->starttls;
    smtp.timeout = prov->timeout;
    /* The server and the addresses are the configuration's and the SMTP server's word:
     * a refusal there is not the browser's fault. */
    return nextauth_fail_upstream(na_smtp_send(r->pool, &smtp, &mail, err));
}

/* POST signin/<email provider>: the CSRF check has passed. The token is stored before
 * the mail goes out (so the link works the moment it arrives) and removed again when
 * the mail cannot be sent: no live token for an unsent mail. */
/* A fresh token for email in the database, its link in the mail, then verify-request. */
static int nextauth_email_issue(nextauth_req_t *req, const na_provider_t *prov, const char *email)
{
    request_rec *r = req->r;
    const char *token = NULL, *hash, *link;
    apr_int64_t expires, ignored;
    na_err_t err = {NULL, NULL, 0};
    na_status_t st;
    apr_status_t rv;

    if ((st = na_email_token(r->pool, &token)) != NA_OK) {
        return nextauth_fail_with(req, NA_LOGNO(00160), st, NULL, "EmailSignin",
                                  "%s: cannot make a magic-link token", prov->id);
    }
    hash = na_email_token_hash(r->pool, token, nextauth_email_secret(req));
    expires = apr_time_sec(apr_time_now()) + prov->max_age;
    if ((rv = nextauth_db_token_create(r, email, hash, expires)) != APR_SUCCESS) {
        /* A missing table is the administrator's to fix, not the user's. */
        return nextauth_fail_logged(req, NA_EPEER, NULL,
                                    rv == NEXTAUTH_DB_ESCHEMA ? "Configuration" : "EmailSignin");
    }
    link = na_email_magic_link(r->pool, req->base_url, prov->id, req->callback_url, token, email);
    if ((st = nextauth_email_send(req, prov, email, link, &err)) != NA_OK) {
        if (nextauth_db_token_use(r, email, hash, &ignored) != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          NA_LOGNO(00039) "%s: could not withdraw the token of an unsent mail",
                          prov->id);
        }
        return nextauth_fail_with(req, NA_LOGNO(00036), st, &err, "EmailSignin",
                                  "%s: the sign-in mail was not sent", prov->id);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, NA_LOGNO(00080) "%s: sign-in link sent to %s",
                  prov->id, ap_escape_logitem(r->pool, email));
    return nextauth_reply_redirect(req,
                                   apr_pstrcat(r->pool, req->base_url, "/verify-request?provider=",
                                               na_url_encode_component(r->pool, prov->id),
                                               "&type=email", NULL),
                                   HTTP_OK);
}

int nextauth_email_signin(nextauth_req_t *req, const na_provider_t *prov)
{
    request_rec *r = req->r;
    const char *given = apr_table_get(req->form, "email");
    const char *email = NULL;
    apr_int64_t retry_after = 0;
    na_err_t err = {NULL, NULL, 0};
    na_status_t st;

    if (given == NULL) {
        na_err_set(r->pool, &err, NA_EINPUT, "EmailSignin", "no email field");
    }
    if (given == NULL || (st = na_email_normalize(r->pool, given, &email, &err)) != NA_OK) {
        return nextauth_fail_with(req, NA_LOGNO(00037), given ? st : NA_EINPUT, &err, "EmailSignin",
                                  "magic-link request refused");
    }
    if (!na_policy_email_allowed(req->conf->signin_allow, email)) {
        return nextauth_fail_with(req, NA_LOGNO(00038), NA_EDENIED, NULL, "AccessDenied",
                                  "magic link refused by " NA_DIR_SIGNIN_ALLOW " for %s",
                                  ap_escape_logitem(r->pool, email));
    }
    if (nextauth_email_limited(req, email, &retry_after)) {
        return nextauth_email_too_many(req, retry_after);
    }
    return nextauth_email_issue(req, prov, email);
}

static int nextauth_email_token_ok(const char *token)
{
    apr_size_t i;

    for (i = 0; token[i]; i++) {
        if (!apr_isxdigit(token[i]) || apr_isupper(token[i])) {
            return 0;
        }
    }
    return i == NEXTAUTH_EMAIL_TOKEN_LEN;
}

/* Spend the token: matched on address and hash and deleted by the same statement, so a
 * link works once, on whichever host sees it first. */
static int nextauth_email_spend(nextauth_req_t *req, const na_provider_t *prov, const char *email,
                                const char *token)
{
    request_rec *r = req->r;
    const char *hash = na_email_token_hash(r->pool, token, nextauth_email_secret(req));
    na_store_account_t account;
    na_session_claims_t claims;
    apr_int64_t expires = 0;
    apr_status_t rv = nextauth_db_token_use(r, email, hash, &expires);

    if (APR_STATUS_IS_NOTFOUND(rv)) {
        return nextauth_fail_with(req, NA_LOGNO(00081), NA_EINPUT, NULL, "Verification",
                                  "%s: magic link refused: unknown, used or another "
                                  "address's token",
                                  prov->id);
    }
    if (rv != APR_SUCCESS) {
        /* The database layer logged it; a missing table is the administrator's to fix. */
        return nextauth_fail_logged(req, NA_EPEER, NULL,
                                    rv == NEXTAUTH_DB_ESCHEMA ? "Configuration" : "Callback");
    }
    if (expires < apr_time_sec(apr_time_now())) {
        return nextauth_fail_with(req, NA_LOGNO(00082), NA_EEXPIRED, NULL, "Verification",
                                  "%s: magic link refused: expired", prov->id);
    }
    memset(&claims, 0, sizeof(claims));
    memset(&account, 0, sizeof(account));
    claims.email = email;
    claims.provider = prov->id;
    account.type = "email";
    account.provider = prov->id;
    account.provider_account_id = email;
    return nextauth_signin_complete(req, prov, &claims, &account);
}

/* GET|HEAD|POST callback/<email provider>. With confirm=on (the default) a GET only
 * shows "Sign in as ...?" and the page's CSRF-checked POST spends the token, so a mail
 * scanner that opens every link cannot burn it; confirm=off signs in on the GET, as
 * next-auth does. */
int nextauth_email_callback(nextauth_req_t *req, const na_provider_t *prov)
{
    request_rec *r = req->r;
    int post = r->method_number == M_POST;
    apr_table_t *params = post ? req->form : req->query;
    const char *token = apr_table_get(params, "token");
    const char *given = apr_table_get(params, "email");
    const char *email = NULL;
    na_err_t err = {NULL, NULL, 0};

    if (post && !nextauth_req_csrf_ok(req)) {
        return nextauth_fail_csrf(req, NA_LOGNO(00083), "/signin");
    }
    if (token == NULL || *token == '\0') {
        /* next-auth's own spelling for this one: the 500 configuration page. */
        return nextauth_fail_with(req, NA_LOGNO(00161), NA_EINPUT, NULL, "configuration",
                                  "%s: magic link without a token", prov->id);
    }
    /* The address's own error (EmailSignin) is not this step's: a bad link is
     * Verification, so err stays out of the answer. */
    if (!nextauth_email_token_ok(token) || given == NULL
        || na_email_normalize(r->pool, given, &email, &err) != NA_OK) {
        return nextauth_fail_with(req, NA_LOGNO(00084), NA_EINPUT, NULL, "Verification",
                                  "%s: malformed magic link (token or email)", prov->id);
    }
    if (!post && prov->confirm) {
        nextauth_reply_no_store(r);
        return nextauth_reply_html(
            req, HTTP_OK,
            na_page_email_confirm(r->pool, nextauth_pages_view(req), prov->id, email, token));
    }
    return nextauth_email_spend(req, prov, email, token);
}
