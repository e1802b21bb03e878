/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_API_H
#define MOD_NEXTAUTH_API_H

/* Glue: src/httpd/mod_nextauth_api.c. */

#include "mod_nextauth.h"

int nextauth_route_providers(nextauth_req_t *req);
int nextauth_route_csrf(nextauth_req_t *req);
int nextauth_route_session(nextauth_req_t *req);
int nextauth_route_log(nextauth_req_t *req);

#endif
