/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_BACKCHANNEL_H
#define MOD_NEXTAUTH_BACKCHANNEL_H

/* Glue: src/httpd/mod_nextauth_backchannel.c. */

#include "mod_nextauth.h"

/** POST {base}/backchannel-logout/:provider (OpenID Connect Back-Channel Logout 1.0). */
int nextauth_route_backchannel(nextauth_req_t *req);

#endif
