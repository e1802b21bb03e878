/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_base64.h>
#include <apr_lib.h>

#include "na_crypto.h"
#include "na_email.h"
#include "na_html.h"
#include "na_page.h"
#include "na_mail.h"

#define NA_MAIL_DEFAULT_BRAND "#346df1"
#define NA_MAIL_DEFAULT_BUTTON_TEXT "#fff"
/* Bytes of UTF-8 per encoded word: 52 base64 characters, a 64-character word, so that
 * "Subject: " plus one word stays within RFC 2047's 76-character line. */
#define NA_MAIL_WORD_BYTES 39

/* ---- the sign-in mail ------------------------------------------------------------------ */

const char *na_mail_url_host(apr_pool_t *p, const char *url)
{
    const char *rest, *end, *at;
    char *host, *c;

    if (url == NULL) {
        return NULL;
    }
    if (strncasecmp(url, "http://", 7) == 0) {
        rest = url + 7;
    }
    else if (strncasecmp(url, "https://", 8) == 0) {
        rest = url + 8;
    }
    else {
        return NULL;
    }
    end = rest + strcspn(rest, "/?#");
    at = memchr(rest, '@', (apr_size_t)(end - rest));
    while (at) { /* userinfo is not part of URL.host */
        rest = at + 1;
        at = memchr(rest, '@', (apr_size_t)(end - rest));
    }
    if (end == rest) {
        return NULL;
    }
    host = apr_pstrmemdup(p, rest, (apr_size_t)(end - rest));
    for (c = host; *c; c++) {
        *c = (char)apr_tolower((unsigned char)*c);
    }
    return host;
}

/* "#rgb", "#rgba", "#rrggbb" or "#rrggbbaa": the only colours put into the mail's style
 * attributes, so a theme value can never close the attribute. */
static int na_mail_color_ok(const char *c)
{
    apr_size_t n, i;

    if (c == NULL || c[0] != '#') {
        return 0;
    }
    n = strlen(c + 1);
    if (n != 3 && n != 4 && n != 6 && n != 8) {
        return 0;
    }
    for (i = 1; i <= n; i++) {
        if (!apr_isxdigit((unsigned char)c[i])) {
            return 0;
        }
    }
    return 1;
}

/* The host for the HTML: escaped, then every '.' as "&#8203;." (a zero-width space) so
 * that mail clients do not turn it into a link, as next-auth does. */
static const char *na_mail_unlinkable_host(apr_pool_t *p, const char *host)
{
    const char *esc = na_page_escape(p, host), *c;
    apr_array_header_t *parts = apr_array_make(p, 8, sizeof(const char *));

    for (c = esc; *c; c++) {
        APR_ARRAY_PUSH(parts, const char *) = *c == '.' ? "&#8203;." : apr_pstrmemdup(p, c, 1);
    }
    return apr_array_pstrcat(p, parts, 0);
}

/* "Sign in to <strong>host</strong>", the host wherever the language puts "{host}". */
static void na_mail_title(na_html_t *h, const char *tmpl, const char *host)
{
    const char *at = strstr(tmpl, "{host}");

    if (at == NULL) {
        na_html_text(h, tmpl);
        return;
    }
    na_html_text(h, apr_pstrmemdup(h->p, tmpl, (apr_size_t)(at - tmpl)));
    na_html_raw(h, "<strong>");
    na_html_raw(h, na_mail_unlinkable_host(h->p, host));
    na_html_raw(h, "</strong>");
    na_html_text(h, at + 6);
}

#define NA_MAIL_FONT "font-family: Helvetica, Arial, sans-serif; "

/* next-auth's default sign-in mail (core/lib/email/signin.ts): one centred card with the
 * host, a "Sign in" button in the brand colour, and a note to ignore unwanted mail. The
 * recipient's address is deliberately absent. */
static const char *na_mail_html(apr_pool_t *p, const na_catalog_t *cat, const char *url,
                                const char *host, const char *brand, const char *button_text)
{
    na_html_t h = {p, apr_array_make(p, 32, sizeof(const char *))};

    na_html_raw(&h, "<!DOCTYPE html><html lang=\"");
    na_html_text(&h, cat->tag);
    na_html_raw(&h, "\"><head><meta charset=\"UTF-8\"></head>\n"
                    "<body style=\"background: #f9f9f9;\">\n"
                    "  <table width=\"100%\" border=\"0\" cellspacing=\"20\" cellpadding=\"0\"\n"
                    "    style=\"background: #fff; max-width: 600px; margin: auto; "
                    "border-radius: 10px;\">\n"
                    "    <tr>\n      <td align=\"center\"\n        style=\"padding: 10px 0px; "
                    "font-size: 22px; " NA_MAIL_FONT "color: #444;\">\n        ");
    na_mail_title(&h, na_i18n_msg(cat, NA_MSG_MAIL_SIGNIN_TO), host);
    na_html_raw(&h, "\n      </td>\n    </tr>\n    <tr>\n      <td align=\"center\" "
                    "style=\"padding: 20px 0;\">\n        <table border=\"0\" cellspacing=\"0\" "
                    "cellpadding=\"0\">\n          <tr>\n            <td align=\"center\" "
                    "style=\"border-radius: 5px;\" bgcolor=\"");
    na_html_raw(&h, brand);
    na_html_raw(&h, "\"><a href=\"");
    na_html_text(&h, url);
    na_html_raw(&h, "\"\n                target=\"_blank\"\n                style=\"font-size: "
                    "18px; " NA_MAIL_FONT "color: ");
    na_html_raw(&h, button_text);
    na_html_raw(&h, "; text-decoration: none; border-radius: 5px; padding: 10px 20px; "
                    "border: 1px solid ");
    na_html_raw(&h, brand);
    na_html_raw(&h, "; display: inline-block; font-weight: bold;\">");
    na_html_text(&h, na_i18n_msg(cat, NA_MSG_SIGNIN_BUTTON));
    na_html_raw(&h, "</a></td>\n          </tr>\n        </table>\n      </td>\n    </tr>\n"
                    "    <tr>\n      <td align=\"center\"\n        style=\"padding: 0px 0px 10px "
                    "0px; font-size: 16px; line-height: 22px; " NA_MAIL_FONT "color: #444;\">\n"
                    "        ");
    na_html_text(&h, na_i18n_msg(cat, NA_MSG_MAIL_IGNORE));
    na_html_raw(&h, "\n      </td>\n    </tr>\n  </table>\n</body></html>\n");
    return apr_array_pstrcat(p, h.parts, 0);
}

na_status_t na_mail_signin(apr_pool_t *p, const na_catalog_t *cat, const char *url,
                           const char *brand_color, const char *button_text, na_mail_t *mail)
{
    const char *host = na_mail_url_host(p, url);
    const char *title;

    if (host == NULL || !na_page_utf8_ok(url) || strlen(url) > 8192) {
        return NA_EINPUT;
    }
    if (cat == NULL) {
        cat = na_i18n_default();
    }
    title = na_html_subst(p, na_i18n_msg(cat, NA_MSG_MAIL_SIGNIN_TO), "host", host);
    memset(mail, 0, sizeof(*mail));
    mail->subject = title;
    mail->text = apr_pstrcat(p, title, "\n", url, "\n\n", NULL);
    mail->html = na_mail_html(
        p, cat, url, host, na_mail_color_ok(brand_color) ? brand_color : NA_MAIL_DEFAULT_BRAND,
        na_mail_color_ok(button_text) ? button_text : NA_MAIL_DEFAULT_BUTTON_TEXT);
    mail->lang = cat->tag;
    return NA_OK;
}

/* ---- header values ---------------------------------------------------------------------- */

int na_mail_header_ok(const char *s)
{
    return s != NULL && na_page_utf8_ok(s);
}

/* The address rules of na_mail_from_address (the sender is configured, not normalised). */
static int na_mail_address_ok(const char *addr)
{
    const char *at = strchr(addr, '@');

    return at != NULL && at != addr && at[1] != '\0' && strchr(at + 1, '@') == NULL
           && strlen(addr) <= NA_EMAIL_MAX_LEN && strpbrk(addr, " \t<>\",;()\\[]") == NULL
           && na_mail_header_ok(addr);
}

static const char *na_mail_trim(apr_pool_t *p, const char *s, apr_size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
        n--;
    }
    return apr_pstrmemdup(p, s, n);
}

const char *na_mail_from_address(apr_pool_t *p, const char *from, const char **name)
{
    const char *s, *lt, *addr;
    apr_size_t n;

    *name = NULL;
    if (from == NULL || !na_mail_header_ok(from)) {
        return NULL;
    }
    s = na_mail_trim(p, from, strlen(from));
    n = strlen(s);
    lt = strchr(s, '<');
    if (lt == NULL) {
        addr = s;
    }
    else {
        const char *display = na_mail_trim(p, s, (apr_size_t)(lt - s));
        apr_size_t dn = strlen(display);
        if (n < 2 || s[n - 1] != '>') {
            return NULL;
        }
        addr = apr_pstrmemdup(p, lt + 1, (apr_size_t)(s + n - 1 - (lt + 1)));
        if (dn >= 2 && display[0] == '"' && display[dn - 1] == '"') {
            display = apr_pstrmemdup(p, display + 1, dn - 2);
        }
        if (strpbrk(display, "<>\"\\")) {
            return NULL;
        }
        *name = *display ? display : NULL;
    }
    return na_mail_address_ok(addr) ? addr : NULL;
}

/* Length of the UTF-8 sequence starting with byte c (1 for anything unexpected). */
static apr_size_t na_mail_utf8_len(unsigned char c)
{
    return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

static int na_mail_plain_ascii(const char *s)
{
    const unsigned char *u;

    for (u = (const unsigned char *)s; *u; u++) {
        if (*u < 0x20 || *u > 0x7e) {
            return 0;
        }
    }
    return strstr(s, "=?") == NULL;
}

/* Folding: each encoded word on its own line, the continuation starting with a space. */
static const char *na_mail_fold(apr_pool_t *p, const apr_array_header_t *words)
{
    const char *out = APR_ARRAY_IDX(words, 0, const char *);
    int i;

    for (i = 1; i < words->nelts; i++) {
        out = apr_pstrcat(p, out, "\r\n ", APR_ARRAY_IDX(words, i, const char *), NULL);
    }
    return out;
}

const char *na_mail_encode_words(apr_pool_t *p, const char *value)
{
    apr_array_header_t *words = apr_array_make(p, 4, sizeof(const char *));
    const char *s = value;

    if (na_mail_plain_ascii(value)) {
        return value;
    }
    while (*s) {
        apr_size_t n = 0, len = strlen(s), step;
        char *b64;
        /* whole characters only: a word must decode on its own (RFC 2047 section 5) */
        while (n < len && (step = na_mail_utf8_len((unsigned char)s[n])) + n <= NA_MAIL_WORD_BYTES
               && n + step <= len) {
            n += step;
        }
        if (n == 0) { /* a malformed tail: the caller checked UTF-8, so this cannot loop */
            n = len < NA_MAIL_WORD_BYTES ? len : NA_MAIL_WORD_BYTES;
        }
        b64 = apr_palloc(p, (apr_size_t)apr_base64_encode_len((int)n));
        apr_base64_encode(b64, s, (int)n);
        APR_ARRAY_PUSH(words, const char *) = apr_pstrcat(p, "=?UTF-8?B?", b64, "?=", NULL);
        s += n;
    }
    return na_mail_fold(p, words);
}

/* RFC 5322 date-time in UTC: "Sat, 28 Nov 2026 04:15:19 +0000". */
static const char *na_mail_date(apr_pool_t *p, apr_time_t now)
{
    apr_time_exp_t t;

    if (apr_time_exp_gmt(&t, now) != APR_SUCCESS) {
        return NULL;
    }
    return apr_psprintf(p, "%s, %02d %s %d %02d:%02d:%02d +0000", apr_day_snames[t.tm_wday],
                        t.tm_mday, apr_month_snames[t.tm_mon], t.tm_year + 1900, t.tm_hour,
                        t.tm_min, t.tm_sec);
}

/* "<random@domain>", with the sender's domain when it is plain ASCII. */
static const char *na_mail_message_id(apr_pool_t *p, const char *from_addr)
{
    const char *domain = strchr(from_addr, '@') + 1;
    char *id = NULL;

    if (na_crypto_random_hex(p, 16, &id) != NA_OK) {
        return NULL;
    }
    if (!na_mail_plain_ascii(domain)) {
        domain = "mod_nextauth.invalid";
    }
    return apr_pstrcat(p, "<", id, "@", domain, ">", NULL);
}

/* A display name as a quoted string, or encoded words when it is not plain ASCII. */
static const char *na_mail_phrase(apr_pool_t *p, const char *name)
{
    if (!na_mail_plain_ascii(name)) {
        return na_mail_encode_words(p, name);
    }
    return apr_pstrcat(p, "\"", name, "\"", NULL); /* name holds no '"' nor '\\' */
}

/* Content-Language wants a language tag: letters, digits and '-'. */
static int na_mail_lang_ok(const char *lang)
{
    const char *c;

    if (lang == NULL || *lang == '\0' || strlen(lang) > 35) {
        return 0;
    }
    for (c = lang; *c; c++) {
        if (!apr_isalnum((unsigned char)*c) && *c != '-') {
            return 0;
        }
    }
    return 1;
}

#define NA_MAIL_HDR(name, value)                                                                   \
    APR_ARRAY_PUSH(out, const char *) = apr_pstrcat(p, name ": ", value, NULL)

na_status_t na_mail_headers(apr_pool_t *p, const na_mail_t *mail, apr_time_t now,
                            apr_array_header_t **pout, na_err_t *err)
{
    apr_array_header_t *out;
    const char *name = NULL, *from, *date, *msgid;

    *pout = NULL;
    if (!na_mail_header_ok(mail->subject) || !na_mail_header_ok(mail->to)) {
        return na_err_set(p, err, NA_EINPUT, "EmailSignin",
                          "mail: a header value holds CR, LF or a control character");
    }
    if ((from = na_mail_from_address(p, mail->from, &name)) == NULL) {
        return na_err_set(p, err, NA_EINPUT, "EmailSignin", "mail: from is not one address");
    }
    if (!na_mail_address_ok(mail->to)) {
        return na_err_set(p, err, NA_EINPUT, "EmailSignin", "mail: to is not one address");
    }
    date = na_mail_date(p, now);
    msgid = na_mail_message_id(p, from);
    if (date == NULL || msgid == NULL) {
        return na_err_set(p, err, NA_EINTERNAL, "EmailSignin", "mail: no date or message id");
    }
    out = apr_array_make(p, 8, sizeof(const char *));
    NA_MAIL_HDR("From",
                name ? apr_pstrcat(p, na_mail_phrase(p, name), " <", from, ">", NULL) : from);
    NA_MAIL_HDR("To", mail->to);
    NA_MAIL_HDR("Subject", na_mail_encode_words(p, mail->subject));
    NA_MAIL_HDR("Date", date);
    NA_MAIL_HDR("Message-ID", msgid);
    NA_MAIL_HDR("MIME-Version", "1.0");
    if (na_mail_lang_ok(mail->lang)) {
        NA_MAIL_HDR("Content-Language", mail->lang);
    }
    NA_MAIL_HDR("Content-Type", "multipart/alternative");
    *pout = out;
    return NA_OK;
}

#undef NA_MAIL_HDR
