/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_COMPLETE_H
#define MOD_NEXTAUTH_COMPLETE_H

/* Glue: src/httpd/mod_nextauth_complete.c. */

#include "mod_nextauth.h"

/** Sign the user in: policy check, with NextAuthDatabase the user and account (found,
 *  linked or created; account may be NULL for credentials), session cookie or database
 *  session, redirect to NextAuthPages newUser (new users) or the callback URL. */
int nextauth_signin_complete(nextauth_req_t *req, const na_provider_t *prov,
                             na_session_claims_t *claims, const na_store_account_t *account);

#endif
