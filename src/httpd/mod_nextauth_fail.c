/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdarg.h>

#include <http_protocol.h>

#include "mod_nextauth_fail.h"
#include "mod_nextauth_metrics.h"
#include "mod_nextauth_pages.h"
#include "mod_nextauth_reply.h"
#include "na_page.h"

/* One way from a failure to its log line and its answer. The core says what class of
 * failure it met (na_status_t) and, in na_err_t, the NextAuth code and a log-only
 * detail; the call site says where it happened (its log number, what it was doing).
 * Everything else comes from the table below, so two call sites that meet the same
 * class of failure are logged and answered alike. */

typedef struct nextauth_fail_class_t {
    int json_status;  /* the {"url": ...} answer's status when the client asked for JSON */
    int level;        /* client faults at INFO; ours and our peers' at ERR */
    const char *code; /* the NextAuth code when neither the core nor the call site gave one */
} nextauth_fail_class_t;

/* JSON statuses as next-auth's sign-in and callback steps answer them: 200 with the error
 * URL, 403 for a refusal. (The credentials route's 401 and signin.c's 500 Configuration
 * are fixed by their route, not by a class: they go through nextauth_fail_answer.) */
static const nextauth_fail_class_t nextauth_fail_classes[] = {
    /* A failure reported without a class is a bug of ours. */
    [NA_OK] = {HTTP_OK, APLOG_ERR, "Configuration"},
    [NA_EINPUT] = {HTTP_OK, APLOG_INFO, "Default"},
    [NA_EEXPIRED] = {HTTP_OK, APLOG_INFO, "Verification"},
    [NA_EDENIED] = {HTTP_FORBIDDEN, APLOG_INFO, "AccessDenied"},
    [NA_ETOOBIG] = {HTTP_OK, APLOG_INFO, "Default"},
    [NA_EPEER] = {HTTP_OK, APLOG_ERR, "Default"},
    [NA_ETIMEOUT] = {HTTP_OK, APLOG_ERR, "Default"},
    [NA_EINTERNAL] = {HTTP_OK, APLOG_ERR, "Configuration"},
};

static const nextauth_fail_class_t *nextauth_fail_class(na_status_t status)
{
    if ((unsigned)status >= sizeof(nextauth_fail_classes) / sizeof(nextauth_fail_classes[0])) {
        status = NA_EINTERNAL;
    }
    return &nextauth_fail_classes[status];
}

na_status_t nextauth_fail_upstream(na_status_t status)
{
    switch (status) {
    case NA_EINPUT:
    case NA_EEXPIRED:
    case NA_EDENIED:
    case NA_ETOOBIG:
        return NA_EPEER;
    default:
        return status;
    }
}

int nextauth_fail_level(na_status_t status)
{
    return nextauth_fail_class(status)->level;
}

static void nextauth_fail_vlog(request_rec *r, const char *logno, na_status_t status,
                               const na_err_t *err, const char *fmt, va_list ap)
{
    const char *what = apr_pvsprintf(r->pool, fmt, ap);
    const char *detail = err && err->detail ? err->detail : NULL;

    ap_log_rerror(APLOG_MARK, nextauth_fail_level(status), err ? err->os_status : 0, r, "%s%s%s%s",
                  logno, what, detail ? ": " : "", detail ? detail : "");
}

void nextauth_fail_log(request_rec *r, const char *logno, na_status_t status, const na_err_t *err,
                       const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    nextauth_fail_vlog(r, logno, status, err, fmt, ap);
    va_end(ap);
}

/* The core's code wins: it knows which step failed; then the call site's; then the
 * class's. */
static const char *nextauth_fail_code(na_status_t status, const na_err_t *err, const char *code)
{
    if (err && err->code) {
        return err->code;
    }
    return code ? code : nextauth_fail_class(status)->code;
}

int nextauth_fail_with(nextauth_req_t *req, const char *logno, na_status_t status,
                       const na_err_t *err, const char *code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    nextauth_fail_vlog(req->r, logno, status, err, fmt, ap);
    va_end(ap);
    return nextauth_fail_logged(req, status, err, code);
}

int nextauth_fail_logged(nextauth_req_t *req, na_status_t status, const na_err_t *err,
                         const char *code)
{
    nextauth_metrics_fail(req, nextauth_fail_code(status, err, code));
    return nextauth_reply_redirect(req,
                                   nextauth_error_url(req, nextauth_fail_code(status, err, code)),
                                   nextauth_fail_class(status)->json_status);
}

/* next-auth answers a failed CSRF check on a POST by sending the user back to the page
 * with csrf=true (or that URL as JSON, status 200). Always the client's fault. */
int nextauth_fail_csrf(nextauth_req_t *req, const char *logno, const char *page)
{
    ap_log_rerror(APLOG_MARK, nextauth_fail_level(NA_EINPUT), 0, req->r,
                  "%sCSRF check failed on %s %s", logno, req->r->method,
                  ap_escape_logitem(req->r->pool, req->r->uri));
    nextauth_metrics_csrf(req);
    return nextauth_reply_redirect(
        req, apr_pstrcat(req->r->pool, req->base_url, page, "?csrf=true", NULL), HTTP_OK);
}

int nextauth_fail_answer(nextauth_req_t *req, const char *code, int json_status)
{
    nextauth_metrics_fail(req, code);
    return nextauth_reply_redirect(req, nextauth_error_url(req, code), json_status);
}

const char *nextauth_error_url(nextauth_req_t *req, const char *code)
{
    apr_pool_t *p = req->r->pool;
    na_error_info_t info = na_page_error_info(code);
    const char *param = info.on_signin ? info.code : code;

    if (info.on_signin) {
        if (req->conf->pages.signin) {
            return nextauth_pages_signin_url(req, info.code);
        }
        return na_url_append_query(p, apr_pstrcat(p, req->base_url, "/signin", NULL), "error",
                                   param);
    }
    if (req->conf->pages.error) {
        return nextauth_pages_custom(req, req->conf->pages.error, "error", param);
    }
    return na_url_append_query(p, apr_pstrcat(p, req->base_url, "/error", NULL), "error", param);
}
