/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <curl/curl.h>

#include "na_http.h"
#include "na_mail.h"

#define NA_SMTP_DEFAULT_TIMEOUT 10
#define NA_SMTP_MAX_CONNECT 10

/* Everything curl holds for one send, freed in one place. */
typedef struct na_smtp_call_t {
    apr_time_t deadline; /**< start + timeout: the progress callback's hard stop */
    int past_deadline;   /**< the callback stopped the transfer */
    CURL *curl;
    curl_mime *mime;
    struct curl_slist *rcpt;
    struct curl_slist *headers;
    char errbuf[CURL_ERROR_SIZE];
} na_smtp_call_t;

static void na_smtp_call_free(na_smtp_call_t *call)
{
    curl_mime_free(call->mime);
    curl_slist_free_all(call->rcpt);
    curl_slist_free_all(call->headers);
    curl_easy_cleanup(call->curl);
}

/* "smtp://host:port" without any user:password@, for the log. */
static const char *na_smtp_log_server(apr_pool_t *p, const char *server)
{
    const char *sep = strstr(server, "://"), *host, *end, *at, *scheme, *hostport;

    if (sep == NULL) {
        return "(not a URL)";
    }
    host = sep + 3;
    end = host + strcspn(host, "/?#");
    while ((at = memchr(host, '@', (apr_size_t)(end - host))) != NULL) {
        host = at + 1;
    }
    scheme = apr_pstrmemdup(p, server, (apr_size_t)(sep + 3 - server));
    hostport = apr_pstrmemdup(p, host, (apr_size_t)(end - host));
    return na_http_log_safe(p, apr_pstrcat(p, scheme, hostport, NULL), 200);
}

/* s with every line ending as CRLF: curl's quoted-printable encoder keeps CRLF as a line
 * break and would write a lone LF as "=0A". */
static const char *na_smtp_crlf(apr_pool_t *p, const char *s)
{
    apr_size_t n = 0;
    const char *c;
    char *out, *o;

    for (c = s; *c; c++) {
        n += (*c == '\n' && (c == s || c[-1] != '\r')) ? 2 : 1;
    }
    out = o = apr_palloc(p, n + 1);
    for (c = s; *c; c++) {
        if (*c == '\n' && (c == s || c[-1] != '\r')) {
            *o++ = '\r';
        }
        *o++ = *c;
    }
    *o = '\0';
    return out;
}

/* One text part: UTF-8, quoted-printable (lines stay short, Korean survives any relay). */
static CURLcode na_smtp_add_part(apr_pool_t *p, curl_mime *alt, const char *type, const char *body)
{
    curl_mimepart *part = curl_mime_addpart(alt);
    CURLcode rc;

    if (part == NULL) {
        return CURLE_OUT_OF_MEMORY;
    }
    if ((rc = curl_mime_data(part, na_smtp_crlf(p, body), CURL_ZERO_TERMINATED)) != CURLE_OK
        || (rc = curl_mime_type(part, type)) != CURLE_OK) {
        return rc;
    }
    return curl_mime_encoder(part, "quoted-printable");
}

/* libcurl's CURLOPT_TIMEOUT does not bound the QUIT it sends when it gives up on a
 * server that has not answered DATA yet: without this, the worker would wait for that
 * server for as long as it likes. Called about once a second, also while libcurl waits
 * for a reply; a non-zero return aborts the transfer and the disconnect. */
static int na_smtp_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                            curl_off_t ulnow)
{
    na_smtp_call_t *call = ctx;

    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    if (apr_time_now() > call->deadline) {
        call->past_deadline = 1;
        return 1;
    }
    return 0;
}

#define NA_SMTP_OPT(opt, val)                                                                      \
    do {                                                                                           \
        if (rc == CURLE_OK) {                                                                      \
            rc = curl_easy_setopt(call->curl, opt, val);                                           \
        }                                                                                          \
    } while (0)

static CURLcode na_smtp_setup(apr_pool_t *p, na_smtp_call_t *call, const na_smtp_conf_t *conf,
                              const char *from_addr)
{
    long timeout = conf->timeout > 0 ? (long)conf->timeout : NA_SMTP_DEFAULT_TIMEOUT;
    long use_ssl = conf->starttls == NA_SMTP_TLS_ON    ? (long)CURLUSESSL_ALL
                   : conf->starttls == NA_SMTP_TLS_OFF ? (long)CURLUSESSL_NONE
                                                       : (long)CURLUSESSL_TRY;
    CURLcode rc = CURLE_OK;

    if (strncasecmp(conf->server, "smtps://", 8) == 0) {
        use_ssl = (long)CURLUSESSL_ALL; /* implicit TLS */
    }
    call->deadline = apr_time_now() + apr_time_from_sec(timeout);
#if LIBCURL_VERSION_NUM >= 0x075500
    NA_SMTP_OPT(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
    NA_SMTP_OPT(CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
    NA_SMTP_OPT(CURLOPT_URL, conf->server);
    NA_SMTP_OPT(CURLOPT_NOSIGNAL, 1L);
    NA_SMTP_OPT(CURLOPT_TIMEOUT, timeout);
    NA_SMTP_OPT(CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
    NA_SMTP_OPT(CURLOPT_NOPROGRESS, 0L);
    NA_SMTP_OPT(CURLOPT_XFERINFOFUNCTION, na_smtp_progress);
    NA_SMTP_OPT(CURLOPT_XFERINFODATA, call);
    NA_SMTP_OPT(CURLOPT_CONNECTTIMEOUT,
                timeout < NA_SMTP_MAX_CONNECT ? timeout : NA_SMTP_MAX_CONNECT);
    NA_SMTP_OPT(CURLOPT_USE_SSL, use_ssl);
    NA_SMTP_OPT(CURLOPT_SSL_VERIFYPEER, 1L);
    NA_SMTP_OPT(CURLOPT_SSL_VERIFYHOST, 2L);
    if (conf->ca_file) {
        NA_SMTP_OPT(CURLOPT_CAINFO, conf->ca_file);
    }
    NA_SMTP_OPT(CURLOPT_ERRORBUFFER, call->errbuf);
    NA_SMTP_OPT(CURLOPT_MAIL_FROM, apr_pstrcat(p, "<", from_addr, ">", NULL));
    NA_SMTP_OPT(CURLOPT_MAIL_RCPT, call->rcpt);
    NA_SMTP_OPT(CURLOPT_HTTPHEADER, call->headers);
    NA_SMTP_OPT(CURLOPT_MIMEPOST, call->mime);
    return rc;
}

#undef NA_SMTP_OPT

/* The message body: multipart/alternative, plain text first (RFC 2046: the preferred
 * part last). The top part's Content-Type comes from the header list. */
static CURLcode na_smtp_build_mime(apr_pool_t *p, na_smtp_call_t *call, const na_mail_t *mail)
{
    CURLcode rc;

    call->mime = curl_mime_init(call->curl);
    if (call->mime == NULL) {
        return CURLE_OUT_OF_MEMORY;
    }
    if ((rc = na_smtp_add_part(p, call->mime, "text/plain; charset=utf-8", mail->text))
        != CURLE_OK) {
        return rc;
    }
    return na_smtp_add_part(p, call->mime, "text/html; charset=utf-8", mail->html);
}

static na_status_t na_smtp_status_of(CURLcode rc)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return NA_ETIMEOUT;
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
        return NA_EPEER; /* connect, TLS, AUTH, a refused sender or recipient, DATA */
    }
}

na_status_t na_smtp_send(apr_pool_t *p, const na_smtp_conf_t *conf, const na_mail_t *mail,
                         na_err_t *err)
{
    na_smtp_call_t call;
    apr_array_header_t *headers = NULL;
    const char *from, *name = NULL, *server;
    na_status_t rv;
    CURLcode rc = CURLE_OK;
    long reply = 0;
    int i;

    if (conf == NULL || conf->server == NULL || mail == NULL || mail->text == NULL
        || mail->html == NULL) {
        return na_err_set(p, err, NA_EINPUT, "EmailSignin", "smtp: no server or no message");
    }
    server = na_smtp_log_server(p, conf->server);
    if ((rv = na_mail_headers(p, mail, apr_time_now(), &headers, err)) != NA_OK) {
        return rv;
    }
    from = na_mail_from_address(p, mail->from, &name);
    memset(&call, 0, sizeof(call));
    if ((call.curl = curl_easy_init()) == NULL) {
        return na_err_set(p, err, NA_EINTERNAL, "EmailSignin", "smtp: curl_easy_init failed");
    }
    call.rcpt = curl_slist_append(NULL, apr_pstrcat(p, "<", mail->to, ">", NULL));
    for (i = 0; call.rcpt && i < headers->nelts; i++) {
        struct curl_slist *next =
            curl_slist_append(call.headers, APR_ARRAY_IDX(headers, i, const char *));
        if (next == NULL) {
            rc = CURLE_OUT_OF_MEMORY;
            break;
        }
        call.headers = next;
    }
    if (call.rcpt == NULL) {
        rc = CURLE_OUT_OF_MEMORY;
    }
    if (rc == CURLE_OK) {
        rc = na_smtp_build_mime(p, &call, mail);
    }
    if (rc == CURLE_OK) {
        rc = na_smtp_setup(p, &call, conf, from);
    }
    if (rc == CURLE_OK) {
        rc = curl_easy_perform(call.curl);
    }
    curl_easy_getinfo(call.curl, CURLINFO_RESPONSE_CODE, &reply);
    if (rc != CURLE_OK) {
        rv = call.past_deadline ? NA_ETIMEOUT : na_smtp_status_of(rc);
        /* errbuf holds curl's words and the server's reply code, never the URL. */
        const char *why = call.past_deadline ? "no answer in time"
                          : call.errbuf[0]   ? call.errbuf
                                             : curl_easy_strerror(rc);
        na_err_set(p, err, rv, "EmailSignin", "smtp %s: %s (curl %d, reply %ld)", server,
                   na_http_log_safe(p, why, 200), (int)rc, reply);
        if (err) {
            err->os_status = (int)rc;
        }
    }
    na_smtp_call_free(&call);
    return rc == CURLE_OK ? NA_OK : rv;
}
