/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_AUTHZ_H
#define MOD_NEXTAUTH_AUTHZ_H

/* Glue: src/httpd/mod_nextauth_authz.c. */

#include "mod_nextauth.h"

void nextauth_authz_register(apr_pool_t *p);

#endif
