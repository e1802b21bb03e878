/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_html.h"
#include "na_page.h"

void na_html_raw(na_html_t *h, const char *s)
{
    APR_ARRAY_PUSH(h->parts, const char *) = s;
}

void na_html_text(na_html_t *h, const char *s)
{
    na_html_raw(h, na_page_escape(h->p, s ? s : ""));
}

/* <tag attr="value"> pairs; every value is escaped, names are ours. */
void na_html_input(na_html_t *h, const char *type, const char *name, const char *value)
{
    na_html_raw(h, "<input type=\"");
    na_html_raw(h, type);
    na_html_raw(h, "\" name=\"");
    na_html_raw(h, name);
    na_html_raw(h, "\" value=\"");
    na_html_text(h, value);
    na_html_raw(h, "\">");
}

const char *na_page_escape(apr_pool_t *p, const char *s)
{
    apr_size_t extra = 0;
    const char *c;
    char *out, *o;

    for (c = s; *c; c++) {
        extra += strchr("&<>\"'", *c) && *c ? 5 : 0;
    }
    if (extra == 0) {
        return s;
    }
    out = o = apr_palloc(p, strlen(s) + extra + 1);
    for (c = s; *c; c++) {
        switch (*c) {
        case '&':
            memcpy(o, "&amp;", 5);
            o += 5;
            break;
        case '<':
            memcpy(o, "&lt;", 4);
            o += 4;
            break;
        case '>':
            memcpy(o, "&gt;", 4);
            o += 4;
            break;
        case '"':
            memcpy(o, "&quot;", 6);
            o += 6;
            break;
        case '\'':
            memcpy(o, "&#39;", 5);
            o += 5;
            break;
        default:
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

/* One UTF-8 sequence at u; its length, or 0 when it is malformed, overlong, a UTF-16
 * surrogate, above U+10FFFF, or a control character. */
static int na_page_utf8_char(const unsigned char *u)
{
    unsigned int cp;
    int n, i;

    if (*u < 0x80) {
        return (*u < 0x20 || *u == 0x7f) ? 0 : 1;
    }
    n = (*u & 0xe0) == 0xc0 ? 2 : (*u & 0xf0) == 0xe0 ? 3 : (*u & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0) {
        return 0;
    }
    cp = *u & (0x7f >> n);
    for (i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (u[i] & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)
        || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || (cp >= 0x80 && cp < 0xa0)) {
        return 0;
    }
    return n;
}

int na_page_utf8_ok(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    int n;

    while (*u) {
        if ((n = na_page_utf8_char(u)) == 0) {
            return 0;
        }
        u += n;
    }
    return 1;
}

/* Where "{key}" starts in tmpl, or NULL. */
static const char *na_html_placeholder(apr_pool_t *p, const char *tmpl, const char *key)
{
    return strstr(tmpl, apr_pstrcat(p, "{", key, "}", NULL));
}

const char *na_html_subst(apr_pool_t *p, const char *tmpl, const char *key, const char *value)
{
    const char *at = na_html_placeholder(p, tmpl, key);

    if (at == NULL) {
        return tmpl;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, tmpl, (apr_size_t)(at - tmpl)), value,
                       at + strlen(key) + 2, NULL);
}

void na_html_fill(na_html_t *h, const char *tmpl, const char *key, const char *open,
                  const char *value, const char *close)
{
    const char *at = na_html_placeholder(h->p, tmpl, key);

    if (at == NULL) {
        na_html_text(h, tmpl);
        return;
    }
    na_html_text(h, apr_pstrmemdup(h->p, tmpl, (apr_size_t)(at - tmpl)));
    na_html_raw(h, open);
    na_html_text(h, value);
    na_html_raw(h, close);
    na_html_text(h, at + strlen(key) + 2);
}
