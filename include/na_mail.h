/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_MAIL_H
#define NA_MAIL_H

#include "na_common.h"
#include "na_i18n.h"

/* The sign-in mail and its delivery over SMTP with libcurl (httpd-free). */

typedef struct na_mail_t {
    const char *from;      /**< as configured: "addr" or "Name <addr>" */
    const char *to;        /**< a normalised address */
    const char *subject;   /**< UTF-8; encoded (RFC 2047) when sent */
    const char *text;      /**< text/plain part, UTF-8 */
    const char *html;      /**< text/html part, UTF-8, every value escaped */
    const char *lang;      /**< Content-Language, e.g. "ko" */
} na_mail_t;

/**
 * Compose the magic-link mail in the catalogue's language: subject "Sign in to
 * <host>", a text part with the URL, and an HTML part with a button in the theme's
 * colours (NULL: next-auth's #346df1 / #fff). The recipient's address never appears
 * in the HTML (next-auth's fix for HTML injection through the local part).
 */
na_status_t na_mail_signin(apr_pool_t *p, const na_catalog_t *cat, const char *url,
                           const char *brand_color, const char *button_text, na_mail_t *mail);

typedef struct na_smtp_conf_t {
    const char *server;    /**< smtp://[user:pass@]host[:port] or smtps://... */
    int starttls;          /**< NA_SMTP_TLS_* for smtp:// */
    apr_int64_t timeout;   /**< seconds for the whole conversation */
} na_smtp_conf_t;

enum { NA_SMTP_TLS_TRY = 0, NA_SMTP_TLS_ON, NA_SMTP_TLS_OFF };

/**
 * Send mail as one multipart/alternative (text + HTML) message with From, To,
 * Subject, Date, Message-ID, MIME-Version and Content-Language headers through
 * libcurl's SMTP (curl_mime). Header values are refused when they hold CR or LF.
 * NA_OK only when the server accepted the recipient and the message; otherwise an
 * error with err->detail for the log (never the password).
 */
na_status_t na_smtp_send(apr_pool_t *p, const na_smtp_conf_t *conf, const na_mail_t *mail,
                         na_err_t *err);

#endif
