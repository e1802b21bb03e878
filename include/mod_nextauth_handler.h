/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_HANDLER_H
#define MOD_NEXTAUTH_HANDLER_H

/* Glue: src/httpd/mod_nextauth_handler.c. */

#include "mod_nextauth.h"

int nextauth_handler(request_rec *r);

#endif
