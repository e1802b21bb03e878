/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_lib.h>
#include <apr_uri.h>

#include "na_kv.h"
#include "na_url.h"

static char *na_url_lower(apr_pool_t *p, const char *s)
{
    char *out = apr_pstrdup(p, s), *c;

    for (c = out; *c; c++) {
        *c = (char)apr_tolower(*c);
    }
    return out;
}

static int na_url_default_port(const char *scheme)
{
    return strcasecmp(scheme, "https") == 0 ? 443 : 80;
}

/* Host names as DNS spells them, an IPv4 literal, or the inside of an IPv6 literal
 * (apr_uri_parse strips its brackets). A bracket left in the host is a broken literal
 * such as "[[..]evil.example" that apr reads leniently and browsers refuse. */
static int na_url_valid_host(const char *h)
{
    int ipv6 = strchr(h, ':') != NULL;

    if (*h == '\0') {
        return 0;
    }
    for (; *h; h++) {
        if (ipv6 ? !apr_isxdigit(*h) && *h != ':' && *h != '.'
                 : !apr_isalnum(*h) && *h != '-' && *h != '.') {
            return 0;
        }
    }
    return 1;
}

static const char *na_url_make_origin(apr_pool_t *p, const char *scheme, const char *host, int port)
{
    const char *lscheme = na_url_lower(p, scheme), *lhost = na_url_lower(p, host);
    int ipv6 = strchr(host, ':') != NULL;

    if (port == na_url_default_port(lscheme)) {
        return apr_psprintf(p, "%s://%s%s%s", lscheme, ipv6 ? "[" : "", lhost, ipv6 ? "]" : "");
    }
    return apr_psprintf(p, "%s://%s%s%s:%d", lscheme, ipv6 ? "[" : "", lhost, ipv6 ? "]" : "",
                        port);
}

/* Shared by NextAuthURL and callbackUrl: an absolute http(s) URL, strictly spelled. */
static int na_url_parse_http(apr_pool_t *p, const char *s, apr_uri_t *uri, int *port)
{
    if (!na_kv_is_http_url(p, s) || apr_uri_parse(p, s, uri) != APR_SUCCESS) {
        return 0;
    }
    if (!na_url_valid_host(uri->hostname)) {
        return 0;
    }
    if (uri->port_str && *uri->port_str) {
        /* apr_uri keeps the port in 16 bits: ":73616" would come back as 8080. */
        if (uri->port == 0 || strspn(uri->port_str, "0123456789") != strlen(uri->port_str)
            || strlen(uri->port_str) > 5 || apr_atoi64(uri->port_str) != uri->port) {
            return 0;
        }
        *port = uri->port;
    }
    else if (uri->port_str && *uri->port_str == '\0') {
        return 0; /* "http://host:" */
    }
    else {
        *port = na_url_default_port(uri->scheme);
    }
    return 1;
}

const char *na_url_parse_site(apr_pool_t *p, const char *s, na_site_t *out)
{
    apr_uri_t uri;
    int port = 0;
    apr_size_t n;
    char *path;

    if (!na_url_parse_http(p, s, &uri, &port) || uri.query) {
        return "accepted: an absolute http:// or https:// URL without user, query or fragment,"
               " e.g. https://www.example.com";
    }
    path = apr_pstrdup(p, uri.path ? uri.path : "");
    n = strlen(path);
    while (n > 0 && path[n - 1] == '/') {
        path[--n] = '\0';
    }
    if (!na_kv_is_local_path(*path ? path : "/")) {
        return "accepted: a URL whose path is a plain local path";
    }
    out->origin = na_url_make_origin(p, uri.scheme, uri.hostname, port);
    out->path = path;
    out->https = strcasecmp(uri.scheme, "https") == 0;
    return NULL;
}

const char *na_url_parse_origin(apr_pool_t *p, const char *s, na_origin_t *out)
{
    apr_uri_t uri;
    int port = 0, wildcard = strstr(s, "://*.") != NULL;
    const char *probe = s;

    if (wildcard) {
        /* Parse "https://x.example.com" instead of the '*' that apr_uri does not expect. */
        const char *star = strstr(s, "://*.");
        probe =
            apr_pstrcat(p, apr_pstrmemdup(p, s, (apr_size_t)(star - s)), "://x.", star + 5, NULL);
    }
    if (!na_url_parse_http(p, probe, &uri, &port) || uri.query
        || (uri.path && *uri.path && strcmp(uri.path, "/") != 0)) {
        return "accepted: an origin such as https://app.example.com, https://*.example.com "
               "or http://127.0.0.1:3000 (no path, query or user)";
    }
    out->scheme = na_url_lower(p, uri.scheme);
    out->host = na_url_lower(p, wildcard ? uri.hostname + 2 : uri.hostname);
    out->port = port;
    out->wildcard = wildcard;
    if (wildcard && strchr(out->host, '.') == NULL) {
        return "accepted: a wildcard needs a domain with a dot, e.g. https://*.example.com";
    }
    return NULL;
}

static int na_url_origin_allowed(const na_origin_t *o, const char *scheme, const char *host,
                                 int port)
{
    apr_size_t hl = strlen(host), ol = strlen(o->host);

    if (strcasecmp(o->scheme, scheme) != 0 || o->port != port) {
        return 0;
    }
    if (!o->wildcard) {
        return strcasecmp(o->host, host) == 0;
    }
    /* "*.example.com" matches "a.example.com" but neither "example.com" nor
     * "evilexample.com": the match must end on a dot boundary. */
    return hl > ol + 1 && host[hl - ol - 1] == '.' && strcasecmp(host + hl - ol, o->host) == 0;
}

/* Printable ASCII only: no controls, spaces, backslashes or raw non-ASCII bytes. */
static int na_url_clean(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c >= 0x7f || c == '\\') {
            return 0;
        }
    }
    return 1;
}

/* `hash` is the fragment as sent, '#' included, or "". */
static const char *na_url_rebuild(apr_pool_t *p, const char *origin, const apr_uri_t *uri,
                                  const char *hash)
{
    /* An absent path stays absent: next-auth hands a same-origin URL back unchanged,
     * and the callback-url cookie must not change from one request to the next. */
    const char *path = uri->path ? uri->path : "";

    if (*path && *path != '/') {
        return NULL;
    }
    return apr_pstrcat(p, origin, path, uri->query ? "?" : "", uri->query ? uri->query : "", hash,
                       NULL);
}

/* The length of one slash at s: '/' or '\\' (1), or %2F / %5C in either case (3); 0 for
 * anything else. */
static apr_size_t na_url_slash_at(const char *s)
{
    if (*s == '/' || *s == '\\') {
        return 1;
    }
    if (s[0] == '%' && (s[1] == '2' || s[1] == '5')) {
        char c = (char)apr_tolower(s[2]);
        if ((s[1] == '2' && c == 'f') || (s[1] == '5' && c == 'c')) {
            return 3;
        }
    }
    return 0;
}

/* url with its path (starting at url + at) reduced to one leading '/' when it begins with
 * a run of slashes and backslashes: "<site>//evil.example/x" is a path on this site, but a
 * page or backend that resolves the path alone as a relative reference (or a browser
 * that reads '\\' as '/') turns "//evil.example/x" into another host. The encoded %2F
 * and %5C count too: a server or framework that decodes the path once before routing or
 * redirecting ("/%2Fevil.example", "/%5Cevil.example") sees the same "//" or "/\\".
 * Only the leading run: a "//" later in the path cannot become an authority. */
static const char *na_url_collapse(apr_pool_t *p, const char *url, apr_size_t at)
{
    const char *path, *rest;
    apr_size_t n;

    if (url == NULL) {
        return NULL;
    }
    path = url + at;
    if (*path != '/' && *path != '\\') {
        return url;
    }
    rest = path + 1;
    if (na_url_slash_at(rest) == 0) {
        return url;
    }
    while ((n = na_url_slash_at(rest)) > 0) {
        rest += n;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, url, at), "/", rest, NULL);
}

const char *na_url_check_callback(apr_pool_t *p, const char *origin,
                                  const apr_array_header_t *allow, const char *value)
{
    apr_uri_t uri;
    const char *cand, *hash, *base;
    int port = 0, i;

    if (value == NULL || *value == '\0' || strlen(value) > NA_MAX_PARAM || !na_url_clean(value)) {
        return NULL;
    }
    if (value[0] == '/') {
        /* Concatenated onto our own origin, "//evil" is a path on this site; its leading
         * slashes are collapsed all the same (na_url_collapse). */
        return na_url_collapse(p, apr_pstrcat(p, origin, value, NULL), strlen(origin));
    }
    /* The fragment is set aside before parsing: NextAuthURL's parser refuses one, but
     * next-auth follows "https://site/x#y" as it follows "/x#y", and what this returns
     * must pass again unchanged when the callback-url cookie is read back. Nothing after
     * the first '#' can change the origin. */
    hash = strchr(value, '#');
    base = hash ? apr_pstrmemdup(p, value, (apr_size_t)(hash - value)) : value;
    if (!na_url_parse_http(p, base, &uri, &port)) {
        return NULL;
    }
    hash = hash ? hash : "";
    cand = na_url_make_origin(p, uri.scheme, uri.hostname, port);
    if (strcmp(cand, origin) == 0) {
        return na_url_collapse(p, na_url_rebuild(p, origin, &uri, hash), strlen(origin));
    }
    for (i = 0; allow && i < allow->nelts; i++) {
        const na_origin_t *o = APR_ARRAY_IDX(allow, i, const na_origin_t *);
        if (na_url_origin_allowed(o, uri.scheme, uri.hostname, port)) {
            return na_url_collapse(p, na_url_rebuild(p, cand, &uri, hash), strlen(cand));
        }
    }
    return NULL;
}

int na_url_origin_trusted(apr_pool_t *p, const char *origin, const apr_array_header_t *allow,
                          const char *value)
{
    apr_uri_t uri;
    int port = 0, i;

    /* An Origin is scheme://host[:port] and nothing else; "null" (sandboxed frames,
     * some redirects) names no site and is not ours. */
    if (value == NULL || strlen(value) > NA_MAX_PARAM || !na_url_clean(value)
        || !na_url_parse_http(p, value, &uri, &port) || uri.query
        || (uri.path && *uri.path && strcmp(uri.path, "/") != 0)) {
        return 0;
    }
    if (strcmp(na_url_make_origin(p, uri.scheme, uri.hostname, port), origin) == 0) {
        return 1;
    }
    for (i = 0; allow && i < allow->nelts; i++) {
        if (na_url_origin_allowed(APR_ARRAY_IDX(allow, i, const na_origin_t *), uri.scheme,
                                  uri.hostname, port)) {
            return 1;
        }
    }
    return 0;
}

char *na_url_encode_component(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(p, 3 * strlen(s) + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (apr_isalnum(c) || strchr("-_.!~*'()", c)) {
            *o++ = (char)c;
        }
        else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

static int na_url_hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = (char)apr_tolower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

char *na_url_decode(apr_pool_t *p, const char *s, int plus_is_space)
{
    char *out, *o;

    /* The session cookie arrives with every request and never holds an escape: one
     * library scan and a copy instead of a loop over every character. */
    if (s[strcspn(s, plus_is_space ? "%+" : "%")] == '\0') {
        return apr_pstrdup(p, s);
    }
    out = o = apr_palloc(p, strlen(s) + 1);
    for (; *s; s++) {
        if (*s == '%') {
            int hi = na_url_hexval(s[1]), lo = hi < 0 ? -1 : na_url_hexval(s[2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                return NULL; /* malformed, or a NUL that would cut the string short */
            }
            *o++ = (char)(hi * 16 + lo);
            s += 2;
        }
        else {
            *o++ = (plus_is_space && *s == '+') ? ' ' : *s;
        }
    }
    *o = '\0';
    return out;
}

const char *na_url_origin_host(const char *origin)
{
    const char *sep = strstr(origin, "://");

    return sep ? sep + 3 : origin;
}

char *na_url_encode_form(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(p, 3 * strlen(s) + 1), *o = out;

    /* The WHATWG URL standard's application/x-www-form-urlencoded byte serializer. */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (apr_isalnum(c) || c == '*' || c == '-' || c == '.' || c == '_') {
            *o++ = (char)c;
        }
        else if (c == ' ') {
            *o++ = '+';
        }
        else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

int na_url_host_ok(apr_pool_t *p, const char *host)
{
    apr_size_t n = host ? strlen(host) : 0;

    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        return strchr(host + 1, '[') == NULL
               && na_url_valid_host(apr_pstrmemdup(p, host + 1, n - 2))
               && strchr(host, ':') != NULL;
    }
    return n > 0 && na_url_valid_host(host);
}

char *na_url_append_query(apr_pool_t *p, const char *url, const char *key, const char *value)
{
    return apr_pstrcat(p, url, strchr(url, '?') ? "&" : "?", key, "=",
                       na_url_encode_component(p, value), NULL);
}
