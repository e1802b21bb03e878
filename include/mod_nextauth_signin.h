/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_SIGNIN_H
#define MOD_NEXTAUTH_SIGNIN_H

/* Glue: src/httpd/mod_nextauth_signin.c. POST signin/:provider. */

#include "mod_nextauth.h"

int nextauth_route_signin_post(nextauth_req_t *req);

#endif
