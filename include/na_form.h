/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_FORM_H
#define NA_FORM_H

#include "na_common.h"

#define NA_FORM_MAX_FIELDS 64

/**
 * Parse application/x-www-form-urlencoded text (a query string or a POST body) into a
 * table allocated from p. '+' is a space; a pair whose percent-encoding is malformed,
 * or which decodes to a NUL byte, is dropped. NA_ETOOBIG when there are more than
 * NA_FORM_MAX_FIELDS pairs or a value is longer than NA_MAX_PARAM.
 */
na_status_t na_form_parse(apr_pool_t *p, const char *s, apr_table_t **out);

#endif
