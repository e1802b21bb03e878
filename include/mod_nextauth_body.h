/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_BODY_H
#define MOD_NEXTAUTH_BODY_H

/* Glue: src/httpd/mod_nextauth_body.c. */

#include "mod_nextauth.h"

/** Read a bounded urlencoded or JSON POST body into *form; OK or an HTTP status. */
int nextauth_body_read(request_rec *r, apr_table_t **form);

#endif
