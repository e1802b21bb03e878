/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>

#include <apr_uri.h>

#include <http_protocol.h>
#include <jansson.h>

#include "mod_nextauth_reply.h"

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
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, NA_LOGNO(00002) "configuration error: %s", why);
    return nextauth_reply_json(req->r, HTTP_INTERNAL_SERVER_ERROR,
                               "{\"message\":\"There is a problem with the server "
                               "configuration. Check the server logs for more information.\"}");
}

/* No script runs on the built-in pages; styles are inline; images come from this site
 * (provider badges) or the configured theme logo. */
static const char *nextauth_reply_csp(nextauth_req_t *req)
{
    const char *logo = req->conf->theme.logo;
    const char *img = "'self' data:";
    na_site_t site;
    apr_uri_t uri;

    /* Only the logo's origin goes into the policy: a query or a ';' in the configured URL
     * must not become part of it. */
    if (logo && *logo != '/' && apr_uri_parse(req->r->pool, logo, &uri) == APR_SUCCESS && uri.scheme
        && uri.hostname
        && na_url_parse_site(req->r->pool,
                             apr_psprintf(req->r->pool, "%s://%s%s%s", uri.scheme, uri.hostname,
                                          uri.port_str ? ":" : "",
                                          uri.port_str ? uri.port_str : ""),
                             &site)
               == NULL) {
        img = apr_pstrcat(req->r->pool, img, " ", site.origin, NULL);
    }
    return apr_pstrcat(req->r->pool, "default-src 'none'; img-src ", img,
                       "; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
                       NULL);
}

int nextauth_reply_html(nextauth_req_t *req, int status, const char *html)
{
    request_rec *r = req->r;

    apr_table_setn(r->headers_out, "Content-Security-Policy", nextauth_reply_csp(req));
    apr_table_setn(r->headers_out, "X-Frame-Options", "DENY");
    apr_table_setn(r->headers_out, "Referrer-Policy", "no-referrer");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    /* The pages carry the CSRF token, so no cache may keep them. */
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_mergen(r->headers_out, "Vary", "Accept-Language");
    return nextauth_reply_text(r, status, "text/html; charset=UTF-8", html);
}

int nextauth_reply_location(request_rec *r, const char *url)
{
    /* Every URL we emit is built from checked parts; this is the last line of defence
     * against header injection. */
    if (strpbrk(url, "\r\n") != NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      NA_LOGNO(00007) "refusing a redirect "
                                      "target with a line break");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    /* httpd keeps only Location and err_headers_out on a redirect it renders. */
    apr_table_setn(r->headers_out, "Location", url);
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    return HTTP_MOVED_TEMPORARILY;
}

int nextauth_reply_redirect(nextauth_req_t *req, const char *url, int json_status)
{
    request_rec *r = req->r;
    json_t *body;
    char *text;
    int rv;

    if (strpbrk(url, "\r\n") != NULL || !req->json) {
        return nextauth_reply_location(r, url);
    }
    body = json_pack("{s:s}", "url", url);
    text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    rv = nextauth_reply_json(r, json_status, apr_pstrdup(r->pool, text));
    free(text);
    return rv;
}
