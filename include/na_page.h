/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_PAGE_H
#define NA_PAGE_H

#include "na_config.h"
#include "na_i18n.h"

/** Where a NextAuth error code is shown, and how. */
typedef struct na_error_info_t {
    const char *code; /**< canonical spelling; "Default" for anything unknown */
    int on_signin;    /**< 1: shown on the sign-in page; 0: on the error page */
    int status;       /**< HTTP status of the error page (200 for Default) */
} na_error_info_t;

/**
 * Classify an error value as the seed lists them: the sign-in page codes (matched
 * exactly) or the error page types Configuration, AccessDenied, Verification (matched
 * without regard to case); everything else is the error page's Default.
 */
na_error_info_t na_page_error_info(const char *code);

/** The NextAuth error codes the pages know, i = 0, 1, ...: the error page types, then the
 *  sign-in page codes; NULL past the last (the metrics' label table). */
const char *na_page_code(int i);

/** What a built-in page shows; every string is raw and escaped by the renderer. */
typedef struct na_page_view_t {
    const na_catalog_t *lang;
    const na_theme_t *theme;
    const char *base_url; /**< origin + base path */
    const char *origin;
    const char *csrf_token;
    const char *callback_url;            /**< already validated */
    const char *error;                   /**< sign-in page: the error code to explain, or NULL */
    const char *email;                   /**< sign-in page: e-mail to pre-fill, or NULL */
    const apr_array_header_t *providers; /**< na_provider_t * */
    int everywhere; /**< sign-out page: offer "sign out everywhere" (sessions can be revoked) */
} na_page_view_t;

/** The pages, as complete HTML documents allocated from p. */
const char *na_page_signin(apr_pool_t *p, const na_page_view_t *v);
const char *na_page_signout(apr_pool_t *p, const na_page_view_t *v);
const char *na_page_verify_request(apr_pool_t *p, const na_page_view_t *v);
/** The error page for `code`; *status receives the HTTP status. */
const char *na_page_error(apr_pool_t *p, const na_page_view_t *v, const char *code, int *status);

/**
 * The e-mail link's confirmation page ("Sign in as alice@..."): a CSRF-protected form
 * that POSTs csrfToken, token, email and callbackUrl back to
 * {base_url}/callback/{provider_id}; only that POST spends the token, so a mail
 * scanner's GET or HEAD cannot. Uses v->csrf_token and v->callback_url.
 */
const char *na_page_email_confirm(apr_pool_t *p, const na_page_view_t *v, const char *provider_id,
                                  const char *email, const char *token);

/** The 429 page for too many sign-in requests; retry_after in seconds. */
const char *na_page_rate_limited(apr_pool_t *p, const na_page_view_t *v, apr_int64_t retry_after);

/** An SVG badge for a provider's button, drawn from its name and colours. */
const char *na_page_logo_svg(apr_pool_t *p, const na_provider_t *prov);

/** Escape for HTML text and quoted attribute values (& < > " '). */
const char *na_page_escape(apr_pool_t *p, const char *s);

/** 1 when s is well-formed UTF-8 without control characters other than none. */
int na_page_utf8_ok(const char *s);

#endif
