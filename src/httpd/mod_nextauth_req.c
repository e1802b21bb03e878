/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_core.h>
#include <http_protocol.h>

#include "mod_nextauth_req.h"
#include "na_csrf.h"

/* Without NextAuthURL, the server's own name and port, as UseCanonicalName On would give
 * them: never the client's Host header. A request with any Host lands in some virtual
 * host, and the Host would otherwise choose where magic links, redirect_uri and every
 * redirect point (a victim mailed a working link to the attacker's host). */
static const char *nextauth_req_canonical(request_rec *r)
{
    const char *host = r->server->server_hostname;
    apr_port_t port = r->server->port ? r->server->port : r->connection->local_addr->port;
    int bare_ipv6 = host && strchr(host, ':') && host[0] != '[';

    if (host == NULL || *host == '\0') {
        return NULL;
    }
    return apr_psprintf(r->pool, "%s://%s%s%s:%u", ap_http_scheme(r), bare_ipv6 ? "[" : "", host,
                        bare_ipv6 ? "]" : "", (unsigned)port);
}

/* NextAuthURL when configured; else the server's canonical name (client X-Forwarded-*
 * and Host headers are never consulted). */
static const char *nextauth_req_origin(request_rec *r, const na_server_conf_t *conf, int *https)
{
    na_site_t site;
    const char *self;

    if (conf->site) {
        *https = conf->site->https;
        return conf->site->origin;
    }
    self = nextauth_req_canonical(r);
    if (self == NULL || na_url_parse_site(r->pool, self, &site) != NULL) {
        return NULL;
    }
    *https = site.https;
    return site.origin;
}

static int nextauth_req_secure(const na_server_conf_t *conf, int https)
{
    switch (conf->cookie.secure) {
    case NA_SECURE_ON:
        return 1;
    case NA_SECURE_OFF:
        return 0;
    default:
        return https;
    }
}

int nextauth_req_make(request_rec *r, const na_server_conf_t *conf, nextauth_req_t **out)
{
    nextauth_req_t *req = apr_pcalloc(r->pool, sizeof(*req));
    int https = 0;

    *out = NULL;
    /* The Host never builds a URL, but one that httpd let through and no name can have
     * ("a_b") is the client's fault, and said so. */
    if (r->hostname && !na_url_host_ok(r->pool, r->hostname)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00091) "client sent a Host header that is not a host name: %s",
                      ap_escape_logitem(r->pool, r->hostname));
        return HTTP_BAD_REQUEST;
    }
    req->r = r;
    req->conf = conf;
    req->origin = nextauth_req_origin(r, conf, &https);
    if (req->origin == NULL) {
        ap_log_rerror(
            APLOG_MARK, APLOG_ERR, 0, r,
            NA_LOGNO(00012) "cannot build this site's origin from ServerName '%s'; set NextAuthURL",
            ap_escape_logitem(r->pool,
                              r->server->server_hostname ? r->server->server_hostname : ""));
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    req->base_url = apr_pstrcat(r->pool, req->origin, na_config_base_path(conf), NULL);
    req->secure = nextauth_req_secure(conf, https);
    na_cookie_names(r->pool, na_config_cookie_prefix(conf), req->secure, &req->names);
    req->query = apr_table_make(r->pool, 1);
    req->form = apr_table_make(r->pool, 1);
    *out = req;
    return OK;
}

na_cookie_attr_t nextauth_req_cookie_attr(const nextauth_req_t *req, apr_int64_t max_age,
                                          apr_time_t expires)
{
    na_cookie_attr_t attr;

    attr.max_age = max_age;
    attr.expires = expires;
    attr.domain = req->conf->cookie.domain;
    attr.secure = req->secure;
    return attr;
}

/* Defence in depth beyond next-auth's double submit: a browser says where a POST comes
 * from, and a form another site made a victim's browser send is refused even if a token
 * leaked. Absent headers (older clients, curl) leave it to the token. */
static int nextauth_req_same_site(const nextauth_req_t *req)
{
    request_rec *r = req->r;
    const char *fetch_site = apr_table_get(r->headers_in, "Sec-Fetch-Site");
    const char *origin = apr_table_get(r->headers_in, "Origin");

    if (fetch_site && strcasecmp(fetch_site, "cross-site") == 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00094) "POST %s refused: Sec-Fetch-Site: cross-site", r->uri);
        return 0;
    }
    /* "null" says nothing: our own pages' Referrer-Policy: no-referrer makes browsers send
     * it on their same-origin form posts; Sec-Fetch-Site above still tells those apart. */
    if (origin && strcmp(origin, "null") != 0
        && !na_url_origin_trusted(r->pool, req->origin, req->conf->redirect_allow, origin)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00095) "POST %s refused: Origin %s is neither this site nor allowed "
                                      "by " NA_DIR_REDIRECT_ALLOW,
                      r->uri, ap_escape_logitem(r->pool, apr_pstrndup(r->pool, origin, 200)));
        return 0;
    }
    return 1;
}

int nextauth_req_csrf_ok(const nextauth_req_t *req)
{
    return req->csrf_valid && req->r->method_number == M_POST && nextauth_req_same_site(req)
           && na_csrf_matches(req->csrf_token, apr_table_get(req->form, "csrfToken"));
}

const char *nextauth_req_subpath(request_rec *r, const na_server_conf_t *conf)
{
    const char *base = na_config_base_path(conf);
    apr_size_t n = strlen(base);

    if (!conf->touched || strncmp(r->uri, base, n) != 0
        || (r->uri[n] != '/' && r->uri[n] != '\0')) {
        return NULL;
    }
    return r->uri + n;
}

request_rec *nextauth_req_top(request_rec *r)
{
    while (r->main || r->prev) {
        r = r->main ? r->main : r->prev;
    }
    return r;
}
