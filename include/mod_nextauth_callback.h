/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_CALLBACK_H
#define MOD_NEXTAUTH_CALLBACK_H

/* Glue: src/httpd/mod_nextauth_callback.c. GET|POST callback/:provider (credentials sign-in
 * included). */

#include "mod_nextauth.h"

int nextauth_route_callback(nextauth_req_t *req);

#endif
