/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <apr_lib.h>

#include "na_page_frame.h"
#include "na_url.h"

extern const char na_page_css[];

static const char *na_page_scheme_name(const na_theme_t *theme)
{
    static const char *const names[] = {"auto", "light", "dark"};
    int scheme = theme ? theme->color_scheme : NA_UNSET;

    return (scheme >= 0 && scheme <= 2) ? names[scheme] : "auto";
}

/* Colours were checked as #hex at configuration time, so they are safe in CSS. */
void na_page_head(na_html_t *h, const na_page_view_t *v, na_msg_e title)
{
    na_html_raw(h, "<!DOCTYPE html><html lang=\"");
    na_html_raw(h, v->lang->tag);
    na_html_raw(h, "\"><head><meta charset=\"UTF-8\"><meta http-equiv=\"X-UA-Compatible\" "
                   "content=\"IE=edge\"><meta name=\"viewport\" content=\"width=device-width, "
                   "initial-scale=1\"><style>");
    na_html_raw(h, na_page_css);
    if (v->theme && (v->theme->brand_color || v->theme->button_text)) {
        na_html_raw(h, ":root{");
        if (v->theme->brand_color) {
            na_html_raw(h, apr_pstrcat(h->p, "--brand-color:", v->theme->brand_color, ";", NULL));
        }
        if (v->theme->button_text) {
            na_html_raw(
                h, apr_pstrcat(h->p, "--button-text-color:", v->theme->button_text, ";", NULL));
        }
        na_html_raw(h, "}");
    }
    na_html_raw(h, "</style><title>");
    na_html_text(h, na_i18n_msg(v->lang, title));
    na_html_raw(h, "</title></head><body class=\"__next-auth-theme-");
    na_html_raw(h, na_page_scheme_name(v->theme));
    na_html_raw(h, "\"><div class=\"page\">");
}

void na_page_open(na_html_t *h, const na_page_view_t *v, const char *root)
{
    na_html_raw(h, apr_pstrcat(h->p, "<div class=\"", root, "\">", NULL));
    if (v->theme && v->theme->logo) {
        na_html_raw(h, "<img src=\"");
        na_html_text(h, v->theme->logo);
        na_html_raw(h, "\" alt=\"Logo\" class=\"logo\">");
    }
    na_html_raw(h, "<div class=\"card\">");
}

const char *na_page_close(na_html_t *h)
{
    na_html_raw(h, "</div></div></div></body></html>");
    return apr_array_pstrcat(h->p, h->parts, 0);
}

na_html_t na_page_start(apr_pool_t *p)
{
    na_html_t h = {p, apr_array_make(p, 128, sizeof(const char *))};
    return h;
}

void na_page_site_link(na_html_t *h, const na_page_view_t *v)
{
    na_html_raw(h, "<p><a class=\"site\" href=\"");
    na_html_text(h, v->origin);
    na_html_raw(h, "\">");
    na_html_text(h, na_url_origin_host(v->origin));
    na_html_raw(h, "</a></p>");
}

void na_page_form_open(na_html_t *h, const na_page_view_t *v, const char *action)
{
    na_html_raw(h, "<form action=\"");
    na_html_text(h, apr_pstrcat(h->p, v->base_url, action, NULL));
    na_html_raw(h, "\" method=\"POST\">");
    na_html_input(h, "hidden", "csrfToken", v->csrf_token);
    if (v->callback_url) {
        na_html_input(h, "hidden", "callbackUrl", v->callback_url);
    }
}

const char *na_page_signout(apr_pool_t *p, const na_page_view_t *v)
{
    na_html_t h = na_page_start(p);

    na_page_head(&h, v, NA_MSG_TITLE_SIGNOUT);
    na_page_open(&h, v, "signout");
    na_html_raw(&h, "<h1>");
    na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_SIGNOUT_HEADING));
    na_html_raw(&h, "</h1><p>");
    na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_SIGNOUT_QUESTION));
    na_html_raw(&h, "</p>");
    na_page_form_open(&h, v, "/signout");
    na_html_raw(&h, "<button id=\"submitButton\" type=\"submit\">");
    na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_SIGNOUT_BUTTON));
    na_html_raw(&h, "</button></form>");
    if (v->everywhere) {
        na_page_form_open(&h, v, "/signout");
        na_html_input(&h, "hidden", "everywhere", "true");
        na_html_raw(&h, "<button id=\"everywhereButton\" type=\"submit\">");
        na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_SIGNOUT_EVERYWHERE));
        na_html_raw(&h, "</button></form>");
    }
    return na_page_close(&h);
}

const char *na_page_verify_request(apr_pool_t *p, const na_page_view_t *v)
{
    na_html_t h = na_page_start(p);

    na_page_head(&h, v, NA_MSG_TITLE_VERIFY);
    na_page_open(&h, v, "verify-request");
    na_html_raw(&h, "<h1>");
    na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_VERIFY_HEADING));
    na_html_raw(&h, "</h1><p>");
    na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_VERIFY_TEXT));
    na_html_raw(&h, "</p>");
    na_page_site_link(&h, v);
    return na_page_close(&h);
}

/* The error page types of the seed; each has a heading, a message and a status. */
typedef struct na_error_type_t {
    const char *code;
    int status;
    na_msg_e heading, text, hint;
    int signin_button;
} na_error_type_t;

static const na_error_type_t na_error_types[] = {
    {"Configuration", 500, NA_MSG_ERROR_CONFIG_HEADING, NA_MSG_ERROR_CONFIG_TEXT,
     NA_MSG_ERROR_CONFIG_HINT, 0},
    {"AccessDenied", 403, NA_MSG_ERROR_DENIED_HEADING, NA_MSG_ERROR_DENIED_TEXT, NA_MSG__COUNT, 1},
    {"Verification", 403, NA_MSG_ERROR_VERIFY_HEADING, NA_MSG_ERROR_VERIFY_TEXT,
     NA_MSG_ERROR_VERIFY_HINT, 1},
    {"Default", 200, NA_MSG_ERROR_DEFAULT_HEADING, NA_MSG_ERROR_DEFAULT_TEXT, NA_MSG__COUNT, 0},
};

/* Sign-in page codes, matched exactly as next-auth does, and what each says. */
static const struct {
    const char *code;
    na_msg_e text;
} na_signin_errors[] = {
    {"Signin", NA_MSG_SIGNIN_ERR_RETRY},
    {"OAuthSignin", NA_MSG_SIGNIN_ERR_RETRY},
    {"OAuthCallback", NA_MSG_SIGNIN_ERR_RETRY},
    {"OAuthCreateAccount", NA_MSG_SIGNIN_ERR_RETRY},
    {"EmailCreateAccount", NA_MSG_SIGNIN_ERR_RETRY},
    {"Callback", NA_MSG_SIGNIN_ERR_RETRY},
    {"OAuthAccountNotLinked", NA_MSG_SIGNIN_ERR_NOT_LINKED},
    {"EmailSignin", NA_MSG_SIGNIN_ERR_EMAIL},
    {"CredentialsSignin", NA_MSG_SIGNIN_ERR_CREDENTIALS},
    {"SessionRequired", NA_MSG_SIGNIN_ERR_SESSION_REQUIRED},
    {NULL, NA_MSG_SIGNIN_ERR_DEFAULT},
};

static const na_error_type_t *na_page_error_type(const char *code)
{
    apr_size_t i;

    for (i = 0; code && i < sizeof(na_error_types) / sizeof(na_error_types[0]) - 1; i++) {
        if (strcasecmp(na_error_types[i].code, code) == 0) {
            return &na_error_types[i];
        }
    }
    return &na_error_types[sizeof(na_error_types) / sizeof(na_error_types[0]) - 1];
}

static int na_page_signin_index(const char *code)
{
    int i;

    for (i = 0; code && na_signin_errors[i].code; i++) {
        if (strcmp(na_signin_errors[i].code, code) == 0) {
            return i;
        }
    }
    return -1;
}

const char *na_page_code(int i)
{
    int ntypes = (int)(sizeof(na_error_types) / sizeof(na_error_types[0]));
    int nsignin = (int)(sizeof(na_signin_errors) / sizeof(na_signin_errors[0])) - 1;

    if (i < 0 || i >= ntypes + nsignin) {
        return NULL;
    }
    return i < ntypes ? na_error_types[i].code : na_signin_errors[i - ntypes].code;
}

na_msg_e na_page_signin_error_msg(const char *code)
{
    int i = na_page_signin_index(code);

    return i >= 0 ? na_signin_errors[i].text : NA_MSG_SIGNIN_ERR_DEFAULT;
}

na_error_info_t na_page_error_info(const char *code)
{
    na_error_info_t info;
    int i = na_page_signin_index(code);
    const na_error_type_t *type;

    if (i >= 0) {
        info.code = na_signin_errors[i].code;
        info.on_signin = 1;
        info.status = 200;
        return info;
    }
    type = na_page_error_type(code);
    info.code = type->code;
    info.on_signin = 0;
    info.status = type->status;
    return info;
}

const char *na_page_error(apr_pool_t *p, const na_page_view_t *v, const char *code, int *status)
{
    const na_error_type_t *type = na_page_error_type(code);
    na_html_t h = na_page_start(p);

    *status = type->status;
    na_page_head(&h, v, NA_MSG_TITLE_ERROR);
    na_page_open(&h, v, "error");
    na_html_raw(&h, "<h1>");
    na_html_text(&h, na_i18n_msg(v->lang, type->heading));
    na_html_raw(&h, "</h1><div class=\"message\"><p>");
    na_html_text(&h, na_i18n_msg(v->lang, type->text));
    na_html_raw(&h, "</p>");
    if (type->hint != NA_MSG__COUNT) {
        na_html_raw(&h, "<p>");
        na_html_text(&h, na_i18n_msg(v->lang, type->hint));
        na_html_raw(&h, "</p>");
    }
    if (type->status == 200) {
        na_page_site_link(&h, v);
    }
    na_html_raw(&h, "</div>");
    if (type->signin_button) {
        na_html_raw(&h, "<a class=\"button\" href=\"");
        na_html_text(&h, apr_pstrcat(p, v->base_url, "/signin", NULL));
        na_html_raw(&h, "\">");
        na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_SIGNIN_BUTTON));
        na_html_raw(&h, "</a>");
    }
    return na_page_close(&h);
}
