/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include "mod_nextauth_tokens.h"

void nextauth_tokens_exposed(request_rec *r, const na_session_claims_t *claims,
                             const char **access_token, const char **error)
{
    (void)r;
    (void)claims;
    *access_token = NULL;
    *error = NULL;
}
