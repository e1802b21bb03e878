/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_EMAIL_H
#define MOD_NEXTAUTH_EMAIL_H

/* Glue: src/httpd/mod_nextauth_email.c. */

#include "mod_nextauth.h"

int nextauth_email_signin(nextauth_req_t *req, const na_provider_t *prov);
int nextauth_email_callback(nextauth_req_t *req, const na_provider_t *prov);

#endif
