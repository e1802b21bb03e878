/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_date.h>
#include <apr_lib.h>

#include "na_cookie.h"
#include "na_url.h"

void na_cookie_names(apr_pool_t *p, const char *prefix, int secure, na_cookie_names_t *out)
{
    const char *sec = secure ? "__Secure-" : "";

    out->session = apr_pstrcat(p, sec, prefix, ".session-token", NULL);
    out->callback_url = apr_pstrcat(p, sec, prefix, ".callback-url", NULL);
    /* The CSRF cookie is host-only, so it takes the stricter __Host- prefix. */
    out->csrf = apr_pstrcat(p, secure ? "__Host-" : "", prefix, ".csrf-token", NULL);
    out->pkce = apr_pstrcat(p, sec, prefix, ".pkce.code_verifier", NULL);
    out->state = apr_pstrcat(p, sec, prefix, ".state", NULL);
    out->nonce = apr_pstrcat(p, sec, prefix, ".nonce", NULL);
}

static int na_cookie_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The next non-empty piece between ';'s, leading blanks skipped and nothing else touched:
 * the one tokenizer under the pair scanner and the stripper. 0 at the end. */
static int na_cookie_piece(const char **pos, const char **piece, apr_size_t *len)
{
    const char *s = *pos;

    while (*s == ';' || na_cookie_is_blank(*s)) {
        s++;
    }
    if (*s == '\0') {
        *pos = s;
        return 0;
    }
    *piece = s;
    *len = strcspn(s, ";");
    *pos = s + *len;
    return 1;
}

na_status_t na_cookie_iter_init(na_cookie_iter_t *it, const char *header)
{
    /* strnlen: a header far over the cap is not walked to its end just to be refused. */
    if (header != NULL && strnlen(header, NA_MAX_COOKIE_HEADER + 1) > NA_MAX_COOKIE_HEADER) {
        it->pos = "";
        return NA_ETOOBIG;
    }
    it->pos = header ? header : "";
    return NA_OK;
}

int na_cookie_iter_next(na_cookie_iter_t *it, na_cookie_pair_t *pair)
{
    const char *piece, *eq, *v;
    apr_size_t len, vlen;

    while (na_cookie_piece(&it->pos, &piece, &len)) {
        if ((eq = memchr(piece, '=', len)) == NULL) {
            continue;
        }
        v = eq + 1;
        vlen = len - (apr_size_t)(v - piece);
        while (vlen > 0 && na_cookie_is_blank(*v)) {
            v++;
            vlen--;
        }
        while (vlen > 0 && na_cookie_is_blank(v[vlen - 1])) {
            vlen--;
        }
        pair->name = piece;
        pair->name_len = (apr_size_t)(eq - piece);
        pair->value = v;
        pair->value_len = vlen;
        return 1;
    }
    return 0;
}

const char *na_cookie_value(apr_pool_t *p, const na_cookie_pair_t *pair)
{
    const char *v = pair->value;
    apr_size_t len = pair->value_len;

    /* A quoted value is legal in RFC 6265; the quotes are not part of it. */
    if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
        v++;
        len -= 2;
    }
    return na_url_decode(p, apr_pstrmemdup(p, v, len), 0);
}

const char *na_cookie_get(apr_pool_t *p, const char *header, const char *name)
{
    apr_size_t nlen = strlen(name);
    na_cookie_iter_t it;
    na_cookie_pair_t pair;

    if (na_cookie_iter_init(&it, header) != NA_OK) {
        return NULL;
    }
    while (na_cookie_iter_next(&it, &pair)) {
        if (pair.name_len == nlen && memcmp(pair.name, name, nlen) == 0) {
            return na_cookie_value(p, &pair);
        }
    }
    return NULL;
}

/* Whether piece is "<name>=..." or "<name>.<anything>" for one of names. */
static int na_cookie_is_ours(const char *piece, apr_size_t len, const char *const *names, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        apr_size_t nlen = strlen(names[i]);
        if (len > nlen && memcmp(piece, names[i], nlen) == 0
            && (piece[nlen] == '=' || piece[nlen] == '.')) {
            return 1;
        }
    }
    return 0;
}

const char *na_cookie_strip(apr_pool_t *p, const char *header, const char *const *names, int n)
{
    const char *pos = header ? header : "", *piece;
    apr_size_t len, o = 0;
    char *kept;

    /* One buffer, not a concatenation per piece (quadratic in a header with thousands of
     * pieces): pieces are at least one ';' apart, so "; " at most doubles the length. */
    kept = apr_palloc(p, 2 * strlen(pos) + 1);
    while (na_cookie_piece(&pos, &piece, &len)) {
        if (!na_cookie_is_ours(piece, len, names, n)) {
            if (o > 0) {
                memcpy(kept + o, "; ", 2);
                o += 2;
            }
            memcpy(kept + o, piece, len);
            o += len;
        }
    }
    kept[o] = '\0';
    return o > 0 ? kept : NULL;
}

const char *na_cookie_serialize(apr_pool_t *p, const char *name, const char *value,
                                const na_cookie_attr_t *attr)
{
    /* One concatenation: a session cookie is set on every GET session, and each pass
     * over the growing string would copy its token again. */
    const char *max_age = attr->max_age == NA_UNSET
                              ? ""
                              : apr_psprintf(p, "; Max-Age=%" APR_INT64_T_FMT, attr->max_age);
    char date[APR_RFC822_DATE_LEN] = "";

    if (attr->expires) {
        apr_rfc822_date(date, attr->expires);
    }
    return apr_pstrcat(p, name, "=", na_url_encode_component(p, value), max_age,
                       attr->domain ? "; Domain=" : "", attr->domain ? attr->domain : "",
                       "; Path=/", attr->expires ? "; Expires=" : "", date, "; HttpOnly",
                       attr->secure ? "; Secure" : "", "; SameSite=Lax", NULL);
}
