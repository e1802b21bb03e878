/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_SIGNOUT_H
#define MOD_NEXTAUTH_SIGNOUT_H

/* Glue: src/httpd/mod_nextauth_signout.c. POST signout (and sign-out at the provider). */

#include "mod_nextauth.h"

int nextauth_route_signout_post(nextauth_req_t *req);

#endif
