/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_CREDENTIALS_H
#define MOD_NEXTAUTH_CREDENTIALS_H

/* Glue: src/httpd/mod_nextauth_credentials.c. */

#include "mod_nextauth.h"

/** Check username/password through the provider's Apache authn providers. */
authn_status nextauth_credentials_check(request_rec *r, const na_provider_t *prov, const char *user,
                                        const char *password);

#endif
