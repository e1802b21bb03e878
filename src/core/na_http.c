/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_base64.h>
#include <apr_lib.h>
#include <curl/curl.h>

#include "na_http.h"
#include "na_url.h"

/* Where the body goes while curl reads it: a buffer from the pool, doubled as needed,
 * that never grows past the limit (plus the NUL). */
typedef struct na_http_sink_t {
    apr_pool_t *p;
    char *buf;
    apr_size_t len;
    apr_size_t cap;
    apr_size_t limit;
    int too_big;
} na_http_sink_t;

void na_http_request_init(na_http_request_t *req, int method, const char *url)
{
    memset(req, 0, sizeof(*req));
    req->method = method;
    req->url = url;
    req->connect_timeout_ms = NA_HTTP_DEFAULT_CONNECT_MS;
    req->timeout_ms = NA_HTTP_DEFAULT_TIMEOUT_MS;
    req->resp_limit = NA_HTTP_DEFAULT_RESP_LIMIT;
}

char *na_http_form_encode(apr_pool_t *p, const char *s)
{
    char *enc = na_url_encode_component(p, s), *in, *out;

    /* openid-client's formUrlEncode: encodeURIComponent with "%20" as "+". */
    for (in = out = enc; *in; out++) {
        if (in[0] == '%' && in[1] == '2' && in[2] == '0') {
            *out = '+';
            in += 3;
        }
        else {
            *out = *in++;
        }
    }
    *out = '\0';
    return enc;
}

void na_http_form_add(apr_pool_t *p, const char **form, const char *name, const char *value)
{
    const char *pair =
        apr_pstrcat(p, na_http_form_encode(p, name), "=", na_http_form_encode(p, value), NULL);

    *form = (*form && **form) ? apr_pstrcat(p, *form, "&", pair, NULL) : pair;
}

const char *na_http_basic_credentials(apr_pool_t *p, const char *user, const char *password)
{
    /* RFC 6749 §2.3.1: form-encode id and secret first, so a ':' in the id survives. */
    const char *plain =
        apr_pstrcat(p, na_http_form_encode(p, user), ":", na_http_form_encode(p, password), NULL);
    int len = (int)strlen(plain);
    char *out = apr_palloc(p, (apr_size_t)apr_base64_encode_len(len));

    apr_base64_encode(out, plain, len);
    return out;
}

const char *na_http_log_safe(apr_pool_t *p, const char *s, apr_size_t max)
{
    apr_size_t n, i;
    char *out;

    if (s == NULL) {
        return "(null)";
    }
    n = strlen(s) > max ? max : strlen(s);
    out = apr_palloc(p, n + 4);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    strcpy(out + n, strlen(s) > max ? "..." : "");
    return out;
}

/* "scheme://host[:port]" of url, for log lines: paths and queries may carry tokens. */
static const char *na_http_log_origin(apr_pool_t *p, const char *url)
{
    const char *sep = url ? strstr(url, "://") : NULL, *host, *end, *at;

    if (sep == NULL) {
        return "(no URL)";
    }
    host = sep + 3;
    end = host + strcspn(host, "/?#");
    at = memchr(host, '@', (apr_size_t)(end - host));
    if (at) {
        host = at + 1; /* never log userinfo */
    }
    return na_http_log_safe(p,
                            apr_pstrcat(p, apr_pstrmemdup(p, url, (apr_size_t)(sep - url)), "://",
                                        apr_pstrmemdup(p, host, (apr_size_t)(end - host)), NULL),
                            200);
}

static int na_http_header_ok(const char *s)
{
    return s == NULL || strpbrk(s, "\r\n") == NULL;
}

static na_status_t na_http_check_request(apr_pool_t *p, const na_http_request_t *req, na_err_t *err)
{
    int i;

    if (req->url == NULL
        || (strncasecmp(req->url, "https://", 8) != 0
            && strncasecmp(req->url, "http://", 7) != 0)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "outbound URL is not http(s)");
    }
    if (req->method != NA_HTTP_GET && req->method != NA_HTTP_POST) {
        return na_err_set(p, err, NA_EINPUT, NULL, "unknown outbound HTTP method %d", req->method);
    }
    if (req->connect_timeout_ms <= 0 || req->timeout_ms <= 0 || req->resp_limit == 0
        || req->resp_limit > NA_HTTP_MAX_RESP_LIMIT) {
        return na_err_set(p, err, NA_EINPUT, NULL, "outbound timeouts or limit out of range");
    }
    if (!na_http_header_ok(req->url) || !na_http_header_ok(req->accept)
        || !na_http_header_ok(req->content_type) || !na_http_header_ok(req->bearer)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "CR or LF in an outbound URL or header");
    }
    for (i = 0; req->headers && req->headers[i]; i++) {
        if (i >= NA_HTTP_MAX_HEADERS || !na_http_header_ok(req->headers[i])) {
            return na_err_set(p, err, NA_EINPUT, NULL, "outbound extra headers: too many or CR/LF");
        }
    }
    return NA_OK;
}

/* Append one header line; 0 when curl is out of memory (the old list is then freed). */
static int na_http_header_add(struct curl_slist **list, const char *line)
{
    struct curl_slist *next = curl_slist_append(*list, line);

    if (next == NULL) {
        curl_slist_free_all(*list);
        *list = NULL;
        return 0;
    }
    *list = next;
    return 1;
}

/* The request's header lines; NULL when curl is out of memory. The caller frees it. */
static struct curl_slist *na_http_headers(apr_pool_t *p, const na_http_request_t *req)
{
    struct curl_slist *list = NULL;
    const char *accept = req->accept ? req->accept : "application/json";
    int ok, i;

    ok = na_http_header_add(&list, apr_pstrcat(p, "Accept: ", accept, NULL));
    /* No "Expect: 100-continue" round trip before a POST body. */
    ok = ok && na_http_header_add(&list, "Expect:");
    if (ok && req->method == NA_HTTP_POST) {
        const char *type =
            req->content_type ? req->content_type : "application/x-www-form-urlencoded";
        ok = na_http_header_add(&list, apr_pstrcat(p, "Content-Type: ", type, NULL));
    }
    if (ok && req->bearer) {
        ok = na_http_header_add(&list, apr_pstrcat(p, "Authorization: Bearer ", req->bearer, NULL));
    }
    else if (ok && req->basic_user) {
        const char *cred = na_http_basic_credentials(
            p, req->basic_user, req->basic_password ? req->basic_password : "");
        ok = na_http_header_add(&list, apr_pstrcat(p, "Authorization: Basic ", cred, NULL));
    }
    for (i = 0; ok && req->headers && req->headers[i]; i++) {
        ok = na_http_header_add(&list, req->headers[i]);
    }
    return ok ? list : NULL;
}

static size_t na_http_write(char *data, size_t size, size_t nmemb, void *ctx)
{
    na_http_sink_t *sink = ctx;
    apr_size_t len = size * nmemb;

    if (len > sink->limit - sink->len) {
        sink->too_big = 1;
        return 0; /* curl aborts with CURLE_WRITE_ERROR */
    }
    if (sink->len + len + 1 > sink->cap) {
        apr_size_t cap = sink->cap ? sink->cap : 4096;
        char *buf;
        while (cap < sink->len + len + 1) {
            cap *= 2;
        }
        cap = cap > sink->limit + 1 ? sink->limit + 1 : cap;
        buf = apr_palloc(sink->p, cap);
        if (sink->len) {
            memcpy(buf, sink->buf, sink->len);
        }
        sink->buf = buf;
        sink->cap = cap;
    }
    memcpy(sink->buf + sink->len, data, len);
    sink->len += len;
    return len;
}

#define NA_HTTP_OPT(opt, val)                                                                      \
    do {                                                                                           \
        if (rc == CURLE_OK) {                                                                      \
            rc = curl_easy_setopt(curl, opt, val);                                                 \
        }                                                                                          \
    } while (0)

/* The safety options, the same for every request; CURLE_OK or the first failure. */
static CURLcode na_http_setup_limits(CURL *curl, const na_http_request_t *req)
{
    CURLcode rc = CURLE_OK;

#if LIBCURL_VERSION_NUM >= 0x075500
    NA_HTTP_OPT(CURLOPT_PROTOCOLS_STR, "http,https");
    NA_HTTP_OPT(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    NA_HTTP_OPT(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    NA_HTTP_OPT(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    /* A redirect from an IdP endpoint is an error to report, never a place to send the
     * client secret or the code to. */
    NA_HTTP_OPT(CURLOPT_FOLLOWLOCATION, 0L);
    NA_HTTP_OPT(CURLOPT_MAXREDIRS, 0L);
    /* Signals would disturb httpd's workers; this also disables alarm()-based DNS
     * timeouts, so libcurl should use its threaded (Debian's default) or c-ares resolver. */
    NA_HTTP_OPT(CURLOPT_NOSIGNAL, 1L);
    NA_HTTP_OPT(CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
    NA_HTTP_OPT(CURLOPT_TIMEOUT_MS, req->timeout_ms);
    /* Refuses an announced Content-Length over the limit before reading any of it. */
    NA_HTTP_OPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->resp_limit);
    NA_HTTP_OPT(CURLOPT_SSL_VERIFYPEER, 1L);
    NA_HTTP_OPT(CURLOPT_SSL_VERIFYHOST, 2L);
    NA_HTTP_OPT(CURLOPT_USERAGENT, NA_HTTP_USER_AGENT);
    return rc;
}

/* The request itself; CURLE_OK or the first failure. */
static CURLcode na_http_setup(CURL *curl, const na_http_request_t *req, struct curl_slist *hdrs,
                              na_http_sink_t *sink)
{
    CURLcode rc = na_http_setup_limits(curl, req);

    NA_HTTP_OPT(CURLOPT_URL, req->url);
    NA_HTTP_OPT(CURLOPT_HTTPHEADER, hdrs);
    NA_HTTP_OPT(CURLOPT_WRITEFUNCTION, na_http_write);
    NA_HTTP_OPT(CURLOPT_WRITEDATA, sink);
    if (req->method == NA_HTTP_POST) {
        const char *body = req->body ? req->body : "";
        NA_HTTP_OPT(CURLOPT_POST, 1L);
        NA_HTTP_OPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
        NA_HTTP_OPT(CURLOPT_POSTFIELDS, body);
    }
    else {
        NA_HTTP_OPT(CURLOPT_HTTPGET, 1L);
    }
    return rc;
}

#undef NA_HTTP_OPT

static na_status_t na_http_status_of(CURLcode rc, int too_big)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return NA_ETIMEOUT;
    case CURLE_FILESIZE_EXCEEDED:
        return NA_ETOOBIG;
    case CURLE_WRITE_ERROR:
        return too_big ? NA_ETOOBIG : NA_EINTERNAL;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return NA_EINPUT;
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
        return NA_EINTERNAL;
    default:
        return NA_EPEER; /* resolve, connect, TLS, broken or truncated answers */
    }
}

static na_status_t na_http_fail(apr_pool_t *p, const na_http_request_t *req, CURLcode rc,
                                int too_big, na_err_t *err)
{
    na_status_t rv = na_http_status_of(rc, too_big);

    na_err_set(p, err, rv, NULL, "%s %s: %s (curl %d)",
               req->method == NA_HTTP_POST ? "POST" : "GET", na_http_log_origin(p, req->url),
               too_big ? "response body over the limit" : curl_easy_strerror(rc), (int)rc);
    if (err) {
        err->os_status = (int)rc;
    }
    return rv;
}

static void na_http_fill_response(apr_pool_t *p, CURL *curl, na_http_sink_t *sink,
                                  na_http_response_t *resp)
{
    long status = 0;
    char *type = NULL;

    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    resp->status = (int)status;
    resp->content_type = type ? apr_pstrdup(p, type) : NULL;
    resp->len = sink->len;
    if (sink->buf == NULL) {
        sink->buf = apr_pcalloc(p, 1);
    }
    sink->buf[sink->len] = '\0';
    resp->body = sink->buf;
}

na_status_t na_http_perform(apr_pool_t *p, const na_http_request_t *req, na_http_response_t *resp,
                            na_err_t *err)
{
    na_http_sink_t sink = {p, NULL, 0, 0, req->resp_limit, 0};
    struct curl_slist *hdrs;
    CURL *curl;
    CURLcode rc;
    na_status_t rv;

    if ((rv = na_http_check_request(p, req, err)) != NA_OK) {
        return rv;
    }
    curl = curl_easy_init();
    hdrs = curl ? na_http_headers(p, req) : NULL;
    if (hdrs == NULL) {
        curl_easy_cleanup(curl); /* NULL is fine */
        return na_err_set(p, err, NA_EINTERNAL, NULL, "libcurl: cannot set up a request");
    }
    rc = na_http_setup(curl, req, hdrs, &sink);
    if (rc == CURLE_OK) {
        rc = curl_easy_perform(curl);
    }
    if (rc == CURLE_OK) {
        na_http_fill_response(p, curl, &sink, resp);
        rv = NA_OK;
    }
    else {
        rv = na_http_fail(p, req, rc, sink.too_big, err);
    }
    curl_easy_cleanup(curl);
    curl_slist_free_all(hdrs);
    return rv;
}
