/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_PAGE_FRAME_H
#define NA_PAGE_FRAME_H

/* Internal to the page renderers (na_page*.c, na_mail.c): the frame every built-in page
 * shares, written with the na_html builder. */
#include "na_html.h"
#include "na_page.h"

/* The page frame shared by every built-in page (na_page.c). */
na_html_t na_page_start(apr_pool_t *p);
void na_page_head(na_html_t *h, const na_page_view_t *v, na_msg_e title);
void na_page_open(na_html_t *h, const na_page_view_t *v, const char *root);
const char *na_page_close(na_html_t *h);
void na_page_site_link(na_html_t *h, const na_page_view_t *v);
void na_page_form_open(na_html_t *h, const na_page_view_t *v, const char *action);
/** The sign-in page's explanation of a sign-in error code (generic when unknown). */
na_msg_e na_page_signin_error_msg(const char *code);

#endif
