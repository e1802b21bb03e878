/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include <apr_lib.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "na_crypto.h"
#include "na_email.h"
#include "na_url.h"

#define NA_EMAIL_FAIL(p, err, why)                                                                 \
    na_err_set((p), (err), NA_EINPUT, "EmailSignin", "e-mail address refused: %s", (why))

/* JavaScript's String.prototype.trim set (WhiteSpace and LineTerminator), which is what
 * next-auth's normalizeIdentifier trims. */
static int na_email_js_space(ucs4_t uc)
{
    return uc == 0x09 || uc == 0x0a || uc == 0x0b || uc == 0x0c || uc == 0x0d || uc == 0x20
           || uc == 0xa0 || uc == 0x1680 || (uc >= 0x2000 && uc <= 0x200a) || uc == 0x2028
           || uc == 0x2029 || uc == 0x202f || uc == 0x205f || uc == 0x3000 || uc == 0xfeff;
}

/* Characters no address of ours may hold anywhere: controls (header injection: CR, LF),
 * any white space, and the marks that reorder or hide text on the confirmation page, so
 * that "a@b.com" and a look-alike cannot both exist (bidi overrides and isolates,
 * LRM/RLM, zero-width space, word joiner, soft hyphen, zero-width no-break space). ZWJ and
 * ZWNJ stay: some scripts need them. */
static int na_email_forbidden(ucs4_t uc)
{
    return uc < 0x20 || (uc >= 0x7f && uc < 0xa0) || na_email_js_space(uc)
           || uc_is_property_white_space(uc) || uc == 0xad || uc == 0x180e || uc == 0x200b
           || uc == 0x200e || uc == 0x200f || (uc >= 0x202a && uc <= 0x202e) || uc == 0x2060
           || (uc >= 0x2066 && uc <= 0x2069);
}

/* [start, end) of s without the leading and trailing JavaScript white space. */
static void na_email_trim(const uint8_t *s, size_t n, size_t *start, size_t *end)
{
    size_t i = 0, last = 0;
    ucs4_t uc;
    int len, seen = 0;

    *start = *end = 0;
    while (i < n) {
        len = u8_mbtouc(&uc, s + i, n - i);
        if (!na_email_js_space(uc)) {
            if (!seen) {
                *start = i;
                seen = 1;
            }
            last = i + (size_t)len;
        }
        i += (size_t)len;
    }
    *end = seen ? last : 0;
}

/* NFKC, then the JavaScript trim, then toLowerCase, as a NUL-terminated copy in p. */
static na_status_t na_email_fold(apr_pool_t *p, const char *input, size_t n, char **out,
                                 na_err_t *err)
{
    uint8_t *nfkc, *lower;
    size_t nlen = 0, llen = 0, start, end;

    nfkc = u8_normalize(UNINORM_NFKC, (const uint8_t *)input, n, NULL, &nlen);
    if (nfkc == NULL) {
        return na_err_set(p, err, NA_EINTERNAL, "EmailSignin", "NFKC normalisation failed");
    }
    na_email_trim(nfkc, nlen, &start, &end);
    if (start == end) {
        free(nfkc);
        *out = apr_pstrdup(p, "");
        return NA_OK;
    }
    lower = u8_tolower(nfkc + start, end - start, NULL, NULL, NULL, &llen);
    free(nfkc);
    if (lower == NULL) {
        return na_err_set(p, err, NA_EINTERNAL, "EmailSignin", "lower-casing failed");
    }
    *out = apr_pstrmemdup(p, (const char *)lower, llen);
    free(lower);
    if (strlen(*out) != llen) {
        return NA_EMAIL_FAIL(p, err, "a NUL character");
    }
    return NA_OK;
}

/* A domain of non-empty dot-separated labels: ASCII letters, digits, '-' and '_', or
 * any non-ASCII character (an IDN in Unicode form). */
static const char *na_email_check_domain(const char *domain)
{
    const char *c;

    if (strchr(domain, '.') == NULL) {
        return "the domain has no '.'";
    }
    if (domain[0] == '.' || domain[strlen(domain) - 1] == '.' || strstr(domain, "..")) {
        return "the domain has an empty label";
    }
    for (c = domain; *c; c++) {
        unsigned char u = (unsigned char)*c;
        if (u < 0x80 && !apr_isalnum(u) && u != '-' && u != '.' && u != '_') {
            return "a character a domain cannot hold";
        }
    }
    return NULL;
}

/* The per-character rules over the whole folded address; counts the '@' signs. */
static const char *na_email_check_chars(const char *s, int *ats)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t i = 0, n = strlen(s);
    ucs4_t uc;

    *ats = 0;
    while (i < n) {
        i += (size_t)u8_mbtouc(&uc, u + i, n - i);
        if (uc == '@') {
            (*ats)++;
        }
        else if (uc == '"') {
            return "a '\"' (a quoted local part)";
        }
        else if (uc == ',') {
            return "a ',' (a list of addresses)";
        }
        else if (uc == '<' || uc == '>') {
            return "a '<' or '>'";
        }
        else if (na_email_forbidden(uc)) {
            return "white space or a control character";
        }
    }
    return NULL;
}

na_status_t na_email_normalize(apr_pool_t *p, const char *input, const char **out, na_err_t *err)
{
    size_t n;
    char *folded = NULL, *at;
    const char *why;
    int ats;
    na_status_t rv;

    *out = NULL;
    if (input == NULL) {
        return NA_EMAIL_FAIL(p, err, "no address");
    }
    n = strnlen(input, NA_EMAIL_MAX_INPUT + 1);
    if (n > NA_EMAIL_MAX_INPUT) {
        return na_err_set(p, err, NA_ETOOBIG, "EmailSignin",
                          "e-mail address refused: over %d bytes", NA_EMAIL_MAX_INPUT);
    }
    if (u8_check((const uint8_t *)input, n) != NULL) {
        return NA_EMAIL_FAIL(p, err, "not valid UTF-8");
    }
    if ((rv = na_email_fold(p, input, n, &folded, err)) != NA_OK) {
        return rv;
    }
    if (*folded == '\0') {
        return NA_EMAIL_FAIL(p, err, "empty");
    }
    if ((why = na_email_check_chars(folded, &ats)) != NULL) {
        return NA_EMAIL_FAIL(p, err, why);
    }
    if (ats != 1) {
        return NA_EMAIL_FAIL(p, err, "not exactly one '@'");
    }
    at = strchr(folded, '@');
    if (at == folded) {
        return NA_EMAIL_FAIL(p, err, "an empty local part");
    }
    if ((why = na_email_check_domain(at + 1)) != NULL) {
        return NA_EMAIL_FAIL(p, err, why);
    }
    if (strlen(folded) > NA_EMAIL_MAX_LEN) {
        return NA_EMAIL_FAIL(p, err, "longer than 254 bytes");
    }
    *out = folded;
    return NA_OK;
}

na_status_t na_email_token(apr_pool_t *p, const char **token)
{
    char *hex = NULL;
    na_status_t rv = na_crypto_random_hex(p, 32, &hex);

    *token = rv == NA_OK ? hex : NULL;
    return rv;
}

const char *na_email_token_hash(apr_pool_t *p, const char *token, const char *secret)
{
    unsigned char digest[NA_SHA256_LEN];

    /* next-auth's hashToken: sha256(`${token}${secret}`), no separator. */
    if (na_crypto_sha256_2(token, strlen(token), secret, strlen(secret), digest) != NA_OK) {
        return NULL;
    }
    return na_crypto_hex(p, digest, sizeof(digest));
}

const char *na_email_magic_link(apr_pool_t *p, const char *base_url, const char *provider_id,
                                const char *callback_url, const char *token, const char *email)
{
    /* next-auth: new URLSearchParams({callbackUrl, token, email}), in that order. */
    return apr_pstrcat(p, base_url, "/callback/", provider_id,
                       "?callbackUrl=", na_url_encode_form(p, callback_url),
                       "&token=", na_url_encode_form(p, token),
                       "&email=", na_url_encode_form(p, email), NULL);
}
