/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_HTML_H
#define NA_HTML_H

#include "na_common.h"

/* Internal to the page renderers: a page is a list of pieces joined once. */
typedef struct na_html_t {
    apr_pool_t *p;
    apr_array_header_t *parts;
} na_html_t;

/** Append s as it is (markup we wrote). */
void na_html_raw(na_html_t *h, const char *s);
/** Append s escaped for text or a quoted attribute; NULL appends nothing. */
void na_html_text(na_html_t *h, const char *s);
/** Append <input type name value> with the value escaped. */
void na_html_input(na_html_t *h, const char *type, const char *name, const char *value);
/** tmpl with its first "{key}" (e.g. "{host}") replaced by value; plain text, from p. */
const char *na_html_subst(apr_pool_t *p, const char *tmpl, const char *key, const char *value);
/** Append tmpl escaped, its first "{key}" replaced by open, the escaped value and close
 * (open and close are markup we wrote, e.g. "<b>" and "</b>"). */
void na_html_fill(na_html_t *h, const char *tmpl, const char *key, const char *open,
                  const char *value, const char *close);

#endif
