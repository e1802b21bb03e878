/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_MAIL_H
#define NA_MAIL_H

#include <apr_time.h>

#include "na_common.h"
#include "na_i18n.h"

/* The sign-in mail and its delivery over SMTP with libcurl (httpd-free). */

typedef struct na_mail_t {
    const char *from;    /**< as configured: "addr" or "Name <addr>" */
    const char *to;      /**< a normalised address */
    const char *subject; /**< UTF-8; encoded (RFC 2047) when sent */
    const char *text;    /**< text/plain part, UTF-8 */
    const char *html;    /**< text/html part, UTF-8, every value escaped */
    const char *lang;    /**< Content-Language, e.g. "ko" */
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
    const char *server;  /**< smtp://[user:pass@]host[:port] or smtps://... */
    int starttls;        /**< NA_SMTP_TLS_* for smtp:// */
    apr_int64_t timeout; /**< seconds for the whole conversation */
    const char *ca_file; /**< PEM file of trusted CAs for TLS; NULL: the system's */
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

/* The pure parts of na_smtp_send, exposed for the unit tests. */

/** 1 when s may stand in a header value: valid UTF-8 without CR, LF or any other control
 *  character (a tab included); 0 for NULL. */
int na_mail_header_ok(const char *s);

/**
 * The bare address of a configured From value: "addr", "<addr>", "Name <addr>" or
 * "\"Name\" <addr>". *name receives the display name without its quotes (NULL when
 * there is none). NULL when the value is not one address (no or several '@', white
 * space, controls or '<' '>' '"' ',' inside the address, over 254 bytes).
 */
const char *na_mail_from_address(apr_pool_t *p, const char *from, const char **name);

/**
 * A header value for an unstructured field (Subject) or a display name: as is when it is
 * printable ASCII, else RFC 2047 "=?UTF-8?B?...?=" encoded words cut at character
 * boundaries, each at most 64 characters, joined by CRLF SP (folding). From p.
 */
const char *na_mail_encode_words(apr_pool_t *p, const char *value);

/**
 * The header lines of mail (From, To, Subject, Date, Message-ID, MIME-Version,
 * Content-Language, Content-Type multipart/alternative) as an array of "Name: value"
 * strings. `now` stamps Date; Message-ID is random at the From address's domain.
 * NA_EINPUT when a value holds CR, LF or a control character, or the From or To address
 * is malformed.
 */
na_status_t na_mail_headers(apr_pool_t *p, const na_mail_t *mail, apr_time_t now,
                            apr_array_header_t **out, na_err_t *err);

/** The host[:port] of an http(s) URL, lower-cased, as JavaScript's URL.host; NULL when
 *  the URL is not http(s) with a host. */
const char *na_mail_url_host(apr_pool_t *p, const char *url);

#endif
