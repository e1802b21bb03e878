/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_lib.h>

#include "na_page_frame.h"

static const char *na_page_replace_name(apr_pool_t *p, const char *tmpl, const char *name)
{
    const char *at = strstr(tmpl, "{name}");

    if (at == NULL) {
        return tmpl;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, tmpl, (apr_size_t)(at - tmpl)), name, at + 6, NULL);
}

static int na_page_hexval(char c)
{
    return apr_isdigit(c) ? c - '0' : apr_tolower(c) - 'a' + 10;
}

/* "#24292f" or "#fff" -> "rgba(36, 41, 47, 0.8)": the hover shade next-auth uses. */
static const char *na_page_hover(apr_pool_t *p, const char *hex)
{
    int rgb[3], i, short_form = strlen(hex) == 4;

    for (i = 0; i < 3; i++) {
        if (short_form) {
            rgb[i] = na_page_hexval(hex[1 + i]) * 17;
        }
        else {
            rgb[i] = na_page_hexval(hex[1 + 2 * i]) * 16 + na_page_hexval(hex[2 + 2 * i]);
        }
    }
    return apr_psprintf(p, "rgba(%d, %d, %d, 0.8)", rgb[0], rgb[1], rgb[2]);
}

static const char *na_page_button_style(apr_pool_t *p, const na_provider_t *prov)
{
    const char *hover;

    if (prov->style_bg == NULL || prov->style_text == NULL) {
        return NULL;
    }
    hover = na_page_hover(p, prov->style_bg);
    return apr_psprintf(p,
                        "--provider-bg: %s; --provider-dark-bg: %s; --provider-color: %s; "
                        "--provider-dark-color: %s; --provider-bg-hover: %s; "
                        "--provider-dark-bg-hover: %s",
                        prov->style_bg, prov->style_bg, prov->style_text, prov->style_text, hover,
                        hover);
}

static void na_page_oauth(na_html_t *h, const na_page_view_t *v, const na_provider_t *prov)
{
    const char *style = na_page_button_style(h->p, prov);
    const char *logo = apr_pstrcat(h->p, v->base_url, "/logo/", prov->id, ".svg", NULL);

    na_page_form_open(h, v, apr_pstrcat(h->p, "/signin/", prov->id, NULL));
    na_html_raw(h, "<button type=\"submit\" class=\"button\"");
    if (style) {
        na_html_raw(h, " style=\"");
        na_html_text(h, style);
        na_html_raw(h, "\"");
    }
    na_html_raw(h, ">");
    if (prov->logo) {
        na_html_raw(h, "<img loading=\"lazy\" height=\"24\" width=\"24\" alt=\"\" "
                       "id=\"provider-logo\" src=\"");
        na_html_text(h, logo);
        na_html_raw(h, "\"><img loading=\"lazy\" height=\"24\" width=\"24\" alt=\"\" "
                       "id=\"provider-logo-dark\" src=\"");
        na_html_text(h, logo);
        na_html_raw(h, "\">");
    }
    na_html_raw(h, "<span>");
    na_html_text(h,
                 na_page_replace_name(h->p, na_i18n_msg(v->lang, NA_MSG_SIGNIN_WITH), prov->name));
    na_html_raw(h, "</span></button></form>");
}

static void na_page_field(na_html_t *h, const na_provider_t *prov, const char *key,
                          const char *label, const char *type)
{
    const char *id = apr_pstrcat(h->p, "input-", key, "-for-", prov->id, "-provider", NULL);

    na_html_raw(h, "<div><label class=\"section-header\" for=\"");
    na_html_text(h, id);
    na_html_raw(h, "\">");
    na_html_text(h, label);
    na_html_raw(h, "</label><input name=\"");
    na_html_raw(h, key);
    na_html_raw(h, "\" id=\"");
    na_html_text(h, id);
    na_html_raw(h, apr_pstrcat(h->p, "\" type=\"", type, "\" autocomplete=\"",
                               strcmp(type, "password") ? "username" : "current-password",
                               "\" required></div>", NULL));
}

static void na_page_submit(na_html_t *h, const na_page_view_t *v, const na_provider_t *prov)
{
    na_html_raw(h, "<button id=\"submitButton\" type=\"submit\">");
    na_html_text(h,
                 na_page_replace_name(h->p, na_i18n_msg(v->lang, NA_MSG_SIGNIN_WITH), prov->name));
    na_html_raw(h, "</button></form>");
}

static void na_page_email(na_html_t *h, const na_page_view_t *v, const na_provider_t *prov)
{
    const char *id = apr_pstrcat(h->p, "input-email-for-", prov->id, "-provider", NULL);

    na_page_form_open(h, v, apr_pstrcat(h->p, "/signin/", prov->id, NULL));
    na_html_raw(h, "<label class=\"section-header\" for=\"");
    na_html_text(h, id);
    na_html_raw(h, "\">");
    na_html_text(h, na_i18n_msg(v->lang, NA_MSG_EMAIL_LABEL));
    na_html_raw(h, "</label><input id=\"");
    na_html_text(h, id);
    na_html_raw(h, "\" autofocus type=\"email\" name=\"email\" value=\"");
    na_html_text(h, v->email);
    na_html_raw(h, "\" placeholder=\"");
    na_html_text(h, na_i18n_msg(v->lang, NA_MSG_EMAIL_PLACEHOLDER));
    na_html_raw(h, "\" required>");
    na_page_submit(h, v, prov);
}

static void na_page_credentials(na_html_t *h, const na_page_view_t *v, const na_provider_t *prov)
{
    na_page_form_open(h, v, apr_pstrcat(h->p, "/callback/", prov->id, NULL));
    na_page_field(h, prov, "username",
                  prov->username_label ? prov->username_label
                                       : na_i18n_msg(v->lang, NA_MSG_USERNAME_LABEL),
                  "text");
    na_page_field(h, prov, "password",
                  prov->password_label ? prov->password_label
                                       : na_i18n_msg(v->lang, NA_MSG_PASSWORD_LABEL),
                  "password");
    na_page_submit(h, v, prov);
}

static void na_page_divider(na_html_t *h, const na_page_view_t *v)
{
    na_html_raw(h, "<div class=\"divider\" role=\"separator\"><span>");
    na_html_text(h, na_i18n_msg(v->lang, NA_MSG_OR));
    na_html_raw(h, "</span></div>");
}

/* next-auth draws a divider between a button and a form, and after a form that is
 * followed by more providers. */
static void na_page_provider(na_html_t *h, const na_page_view_t *v, int i)
{
    const apr_array_header_t *all = v->providers;
    const na_provider_t *prov = APR_ARRAY_IDX(all, i, const na_provider_t *);
    int form = prov->kind == NA_PROVIDER_EMAIL || prov->kind == NA_PROVIDER_CREDENTIALS;
    int prev_oauth =
        i > 0 && (APR_ARRAY_IDX(all, i - 1, const na_provider_t *)->kind & NA_PROVIDER_ANY_OAUTH);

    na_html_raw(h, "<div class=\"provider\">");
    if (form && prev_oauth) {
        na_page_divider(h, v);
    }
    if (prov->kind == NA_PROVIDER_EMAIL) {
        na_page_email(h, v, prov);
    }
    else if (prov->kind == NA_PROVIDER_CREDENTIALS) {
        na_page_credentials(h, v, prov);
    }
    else {
        na_page_oauth(h, v, prov);
    }
    if (form && i + 1 < all->nelts) {
        na_page_divider(h, v);
    }
    na_html_raw(h, "</div>");
}

const char *na_page_signin(apr_pool_t *p, const na_page_view_t *v)
{
    na_html_t h = na_page_start(p);
    int i;

    na_page_head(&h, v, NA_MSG_TITLE_SIGNIN);
    na_page_open(&h, v, "signin");
    if (v->error && *v->error) {
        na_html_raw(&h, "<div class=\"banner\" role=\"alert\"><p>");
        na_html_text(&h, na_i18n_msg(v->lang, na_page_signin_error_msg(v->error)));
        na_html_raw(&h, "</p></div>");
    }
    for (i = 0; v->providers && i < v->providers->nelts; i++) {
        na_page_provider(&h, v, i);
    }
    return na_page_close(&h);
}

/* A monogram badge: our own drawing, so the page needs no third-party image host. */
const char *na_page_logo_svg(apr_pool_t *p, const na_provider_t *prov)
{
    char letter[2] = {(char)apr_toupper(prov->name && *prov->name ? prov->name[0] : '?'), 0};
    const char *bg = prov->style_text ? prov->style_text : "#444";
    const char *fg = prov->style_bg ? prov->style_bg : "#fff";

    if (!apr_isalnum(letter[0])) {
        letter[0] = '?';
    }
    return apr_psprintf(p,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" "
                        "width=\"24\" height=\"24\"><circle cx=\"12\" cy=\"12\" r=\"11\" "
                        "fill=\"%s\"/><text x=\"12\" y=\"16.5\" text-anchor=\"middle\" "
                        "font-family=\"Arial,Helvetica,sans-serif\" font-size=\"13\" "
                        "font-weight=\"bold\" fill=\"%s\">%s</text></svg>",
                        bg, fg, letter);
}
