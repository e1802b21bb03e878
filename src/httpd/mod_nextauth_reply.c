/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>

#include "mod_nextauth.h"

int nextauth_reply_text(request_rec *r, int status, const char *type, const char *body)
{
    r->status = status;
    ap_set_content_type(r, type);
    ap_set_content_length(r, (apr_off_t)strlen(body));
    if (!r->header_only) {
        ap_rputs(body, r);
    }
    return OK;
}

/* next-auth behind Next.js answers its JSON routes with this exact type. */
int nextauth_reply_json(request_rec *r, int status, const char *body)
{
    return nextauth_reply_text(r, status, "application/json; charset=utf-8", body);
}

void nextauth_reply_no_store(request_rec *r)
{
    apr_table_setn(r->headers_out, "Cache-Control", "private, no-cache, no-store");
    apr_table_setn(r->headers_out, "Pragma", "no-cache");
    apr_table_setn(r->headers_out, "Expires", "0");
}

/* err_headers_out, as mod_session_cookie does, so the cookie survives redirects and
 * error responses. */
void nextauth_reply_set_cookie(request_rec *r, const char *set_cookie)
{
    apr_table_addn(r->err_headers_out, "Set-Cookie", set_cookie);
}

/* next-auth's answer to a misconfigured server on its JSON routes; the reason goes to
 * the log only. */
int nextauth_reply_config_error(nextauth_req_t *req, const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, NA_LOGNO(00002) "configuration error: %s",
                  why);
    return nextauth_reply_json(req->r, HTTP_INTERNAL_SERVER_ERROR,
                               "{\"message\":\"There is a problem with the server "
                               "configuration. Check the server logs for more information.\"}");
}
