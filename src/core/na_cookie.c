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

const char *na_cookie_get(apr_pool_t *p, const char *header, const char *name)
{
    apr_size_t nlen = strlen(name);
    const char *s = header;

    if (header == NULL || strlen(header) > NA_MAX_COOKIE_HEADER) {
        return NULL;
    }
    while (*s) {
        const char *end;

        while (*s == ' ' || *s == '\t' || *s == ';') {
            s++;
        }
        end = s + strcspn(s, ";");
        if ((apr_size_t)(end - s) > nlen && strncmp(s, name, nlen) == 0 && s[nlen] == '=') {
            const char *v = s + nlen + 1;
            apr_size_t vlen = (apr_size_t)(end - v);
            while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) {
                vlen--;
            }
            /* A quoted value is legal in RFC 6265; the quotes are not part of it. */
            if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                v++;
                vlen -= 2;
            }
            return na_url_decode(p, apr_pstrmemdup(p, v, vlen), 0);
        }
        s = end;
    }
    return NULL;
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
