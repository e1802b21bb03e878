/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include "na_page_frame.h"

/* The magic link lands here (GET) and only the POST below spends the token: a mail
 * scanner that fetches every link cannot sign the user in, nor burn the link. */
const char *na_page_email_confirm(apr_pool_t *p, const na_page_view_t *v, const char *provider_id,
                                  const char *email, const char *token)
{
    na_html_t h = na_page_start(p);

    na_page_head(&h, v, NA_MSG_TITLE_SIGNIN);
    na_page_open(&h, v, "signin confirm");
    na_html_raw(&h, "<h1>");
    na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_CONFIRM_HEADING));
    na_html_raw(&h, "</h1><p>");
    na_html_fill(&h, na_i18n_msg(v->lang, NA_MSG_CONFIRM_QUESTION), "email",
                 "<b style=\"word-break:break-all\">", email, "</b>");
    na_html_raw(&h, "</p>");
    na_page_form_open(&h, v, apr_pstrcat(p, "/callback/", provider_id, NULL));
    na_html_input(&h, "hidden", "token", token);
    na_html_input(&h, "hidden", "email", email);
    na_html_raw(&h, "<button id=\"submitButton\" type=\"submit\">");
    na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_SIGNIN_BUTTON));
    na_html_raw(&h, "</button></form>");
    return na_page_close(&h);
}

const char *na_page_rate_limited(apr_pool_t *p, const na_page_view_t *v, apr_int64_t retry_after)
{
    na_html_t h = na_page_start(p);
    apr_int64_t minutes = retry_after > 60 ? (retry_after + 59) / 60 : 1;

    na_page_head(&h, v, NA_MSG_TITLE_RATE_LIMITED);
    na_page_open(&h, v, "error rate-limited");
    na_html_raw(&h, "<h1>");
    na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_RATE_LIMITED_HEADING));
    na_html_raw(&h, "</h1><div class=\"message\"><p>");
    na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_RATE_LIMITED_TEXT));
    na_html_raw(&h, "</p><p>");
    if (minutes == 1) {
        na_html_text(&h, na_i18n_msg(v->lang, NA_MSG_RATE_LIMITED_WAIT_ONE));
    }
    else {
        na_html_fill(&h, na_i18n_msg(v->lang, NA_MSG_RATE_LIMITED_WAIT), "minutes", "",
                     apr_psprintf(p, "%" APR_INT64_T_FMT, minutes), "");
    }
    na_html_raw(&h, "</p>");
    if (v->origin) {
        na_page_site_link(&h, v);
    }
    na_html_raw(&h, "</div>");
    return na_page_close(&h);
}
