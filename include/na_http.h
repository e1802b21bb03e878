/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_HTTP_H
#define NA_HTTP_H

#include "na_common.h"

/*
 * Outbound HTTP (token, userinfo, discovery, JWKS) with libcurl, one blocking request per
 * call. The caller must have run curl_global_init(CURL_GLOBAL_DEFAULT) once per process
 * before the first request and before any thread starts (the module does it in
 * post_config / child_init): libcurl's global init is not thread-safe.
 */

#define NA_HTTP_USER_AGENT "mod_nextauth"
/** Defaults set by na_http_request_init. */
#define NA_HTTP_DEFAULT_CONNECT_MS 5000
#define NA_HTTP_DEFAULT_TIMEOUT_MS 10000
#define NA_HTTP_DEFAULT_RESP_LIMIT (256 * 1024)
/** Largest resp_limit accepted. */
#define NA_HTTP_MAX_RESP_LIMIT (64 * 1024 * 1024)
/** Most extra header lines a request may carry. */
#define NA_HTTP_MAX_HEADERS 16

typedef enum { NA_HTTP_GET = 0, NA_HTTP_POST = 1 } na_http_method_e;

/**
 * One request, in the shape of mod_md's md_http_request_t. Strings are borrowed, not
 * copied; NULL means "none" everywhere.
 */
typedef struct na_http_request_t {
    int method;                 /**< na_http_method_e */
    const char *url;            /**< absolute http:// or https:// URL */
    const char *body;           /**< POST body (sent even when NULL, as empty) */
    const char *content_type;   /**< of body; NULL: application/x-www-form-urlencoded */
    const char *accept;         /**< Accept header; NULL: application/json */
    const char *bearer;         /**< "Authorization: Bearer <token>"; wins over basic_user */
    const char *basic_user;     /**< client_secret_basic: the raw client_id ... */
    const char *basic_password; /**< ... and client_secret, form-encoded before base64 */
    const char *const *headers; /**< extra "Name: value" lines, NULL-terminated, or NULL */
    long connect_timeout_ms;    /**< > 0 */
    long timeout_ms;            /**< > 0: the whole exchange, connect included */
    apr_size_t resp_limit;      /**< 1..NA_HTTP_MAX_RESP_LIMIT: most body bytes accepted */
} na_http_request_t;

/** A complete answer; whatever its status, judging it is the caller's business. */
typedef struct na_http_response_t {
    int status;       /**< HTTP status code */
    const char *body; /**< len bytes plus a NUL, from the pool; never NULL */
    apr_size_t len;
    const char *content_type; /**< Content-Type as sent, or NULL when absent */
} na_http_response_t;

/**
 * Zero *req and set method, url, and the default timeouts and response limit above.
 */
void na_http_request_init(na_http_request_t *req, int method, const char *url);

/**
 * Perform req and, on NA_OK, fill *resp (body and content type from p). Redirects are never
 * followed (a 3xx is returned as such), only http and https are spoken, no signals are
 * used, and the User-Agent is NA_HTTP_USER_AGENT. The curl handle does not outlive the
 * call. Returns
 *  - NA_OK for any complete HTTP response (including 4xx/5xx);
 *  - NA_ETIMEOUT when connect_timeout_ms or timeout_ms ran out;
 *  - NA_ETOOBIG when the body (announced or received) exceeds resp_limit;
 *  - NA_EPEER when the peer cannot be resolved or reached, the TLS handshake fails, the
 *    connection breaks, or the body is truncated;
 *  - NA_EINPUT when req is unusable (no URL, not http(s), a header with CR/LF, bad limits);
 *  - NA_EINTERNAL when libcurl cannot be set up.
 * err (may be NULL) gets a NULL code (the caller knows which NextAuth error this is), a
 * log-only detail naming the host and the failure (never the body, a token or a secret),
 * and os_status = the CURLcode.
 */
na_status_t na_http_perform(apr_pool_t *p, const na_http_request_t *req, na_http_response_t *resp,
                            na_err_t *err);

/**
 * application/x-www-form-urlencoded encoding of one name or value, as openid-client's
 * formUrlEncode: encodeURIComponent, then "%20" written as "+". From p.
 */
char *na_http_form_encode(apr_pool_t *p, const char *s);

/**
 * Append "name=value" (both form-encoded) to *form, with a '&' when *form is not empty.
 * *form may start as NULL. From p.
 */
void na_http_form_add(apr_pool_t *p, const char **form, const char *name, const char *value);

/**
 * The value of an "Authorization: Basic" header for client_secret_basic (RFC 6749
 * §2.3.1): base64(form(user) ":" form(password)), standard alphabet with padding. From p.
 */
const char *na_http_basic_credentials(apr_pool_t *p, const char *user, const char *password);

/**
 * A copy of s fit for a log line: at most max bytes, printable ASCII only (anything else
 * becomes '?'), with "..." when cut. "(null)" for NULL. For peer-supplied words such as
 * an OAuth error code or a content type.
 */
const char *na_http_log_safe(apr_pool_t *p, const char *s, apr_size_t max);

#endif
