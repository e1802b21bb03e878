/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>

#include "mod_nextauth_revoke.h"
#include "mod_nextauth_authn.h"
#include "mod_nextauth_fail.h"
#include "mod_nextauth_pages.h"
#include "mod_nextauth_reply.h"
#include "na_page.h"

#define NEXTAUTH_MAX_EMAIL_PREFILL 320

na_page_view_t *nextauth_pages_view(nextauth_req_t *req)
{
    request_rec *r = req->r;
    na_page_view_t *v = apr_pcalloc(r->pool, sizeof(*v));

    v->lang = na_i18n_negotiate(r->pool, apr_table_get(r->headers_in, "Accept-Language"));
    v->theme = &req->conf->theme;
    v->base_url = req->base_url;
    v->origin = req->origin;
    v->csrf_token = req->csrf_token;
    v->callback_url = req->callback_url;
    v->providers = req->conf->providers;
    return v;
}

/* "<origin><page>" + '?' or '&' + "key=value": the custom pages take the parameters
 * next-auth sends. The page path was checked to be local at startup. */
const char *nextauth_pages_custom(nextauth_req_t *req, const char *page, const char *key,
                                  const char *value)
{
    const char *url = apr_pstrcat(req->r->pool, req->origin, page, NULL);

    if (key == NULL) {
        return url;
    }
    return na_url_append_query(req->r->pool, url, key, value);
}

/* The custom sign-in page gets the resolved callbackUrl and, when there is one, the
 * error value (for GET signin/<id> that is the id, a next-auth quirk kept for pages
 * that rely on it). */
const char *nextauth_pages_signin_url(nextauth_req_t *req, const char *error)
{
    const char *url =
        nextauth_pages_custom(req, req->conf->pages.signin, "callbackUrl", req->callback_url);

    if (error && *error) {
        url = na_url_append_query(req->r->pool, url, "error", error);
    }
    return url;
}

/* An e-mail to pre-fill is shown only when it is plausible text; anything else is
 * dropped rather than echoed. */
static const char *nextauth_pages_email(nextauth_req_t *req)
{
    const char *email = apr_table_get(req->query, "email");

    if (email == NULL || strlen(email) > NEXTAUTH_MAX_EMAIL_PREFILL || !na_page_utf8_ok(email)) {
        return NULL;
    }
    return email;
}

int nextauth_route_signin_page(nextauth_req_t *req)
{
    const char *error = apr_table_get(req->query, "error");
    na_page_view_t *v;

    if (error == NULL) {
        error = req->route.param;
    }
    if (req->conf->pages.signin) {
        return nextauth_reply_redirect(req, nextauth_pages_signin_url(req, error), HTTP_OK);
    }
    v = nextauth_pages_view(req);
    v->error = error;
    v->email = nextauth_pages_email(req);
    return nextauth_reply_html(req, HTTP_OK, na_page_signin(req->r->pool, v));
}

int nextauth_route_signout_page(nextauth_req_t *req)
{
    na_page_view_t *v;

    if (req->conf->pages.signout) {
        return nextauth_reply_redirect(
            req, nextauth_pages_custom(req, req->conf->pages.signout, NULL, NULL), HTTP_OK);
    }
    v = nextauth_pages_view(req);
    v->everywhere = nextauth_revoke_ready();
    return nextauth_reply_html(req, HTTP_OK, na_page_signout(req->r->pool, v));
}

int nextauth_route_verify_request(nextauth_req_t *req)
{
    if (req->conf->pages.verify_request) {
        return nextauth_reply_redirect(
            req, nextauth_pages_custom(req, req->conf->pages.verify_request, NULL, NULL), HTTP_OK);
    }
    return nextauth_reply_html(req, HTTP_OK,
                               na_page_verify_request(req->r->pool, nextauth_pages_view(req)));
}

/* GET error: sign-in codes move to the sign-in page; the others render here or go to
 * the custom error page, unless the request came back from that page (loop guard). */
int nextauth_route_error(nextauth_req_t *req)
{
    const char *code = apr_table_get(req->query, "error");
    const char *from = apr_table_get(req->query, "callbackUrl");
    const char *page = req->conf->pages.error;
    na_error_info_t info;
    int status = HTTP_OK;
    const char *html;

    if (nextauth_authn_denied_json(req->r)) {
        return nextauth_reply_json(req->r, HTTP_FORBIDDEN, "{\"error\":\"AccessDenied\"}");
    }
    if (code == NULL) {
        code = req->route.param ? req->route.param : "Default";
    }
    info = na_page_error_info(code);
    if (info.on_signin || (page && !(from && strncmp(from, page, strlen(page)) == 0))) {
        return nextauth_reply_redirect(req, nextauth_error_url(req, code), HTTP_OK);
    }
    html = na_page_error(req->r->pool, nextauth_pages_view(req), code, &status);
    return nextauth_reply_html(req, status, html);
}

/* GET logo/<id>.svg: the badge of a configured provider. */
int nextauth_route_logo(nextauth_req_t *req)
{
    const char *file = req->route.param;
    apr_size_t n = strlen(file);
    const na_provider_t *prov;

    if (n < 5 || strcmp(file + n - 4, ".svg") != 0) {
        return HTTP_NOT_FOUND;
    }
    prov = na_config_provider(req->conf, apr_pstrmemdup(req->r->pool, file, n - 4));
    if (prov == NULL || prov->logo == NULL) {
        return HTTP_NOT_FOUND;
    }
    apr_table_setn(req->r->headers_out, "Cache-Control", "public, max-age=86400");
    apr_table_setn(req->r->headers_out, "Content-Security-Policy", "default-src 'none'");
    apr_table_setn(req->r->headers_out, "X-Content-Type-Options", "nosniff");
    return nextauth_reply_text(req->r, HTTP_OK, "image/svg+xml",
                               na_page_logo_svg(req->r->pool, prov));
}
