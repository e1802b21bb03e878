/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_POLICY_H
#define NA_POLICY_H

#include "na_common.h"

/**
 * 1 when email matches one of `patterns` (lower-case globs such as "*@example.com",
 * "alice@example.org" or "*"), compared without regard to case; 1 as well when
 * patterns is NULL (no policy: everyone). A NULL email matches only "*".
 */
int na_policy_email_allowed(const apr_array_header_t *patterns, const char *email);

/** An e-mail-shaped user name (one '@' with text on both sides), lower-cased; or NULL. */
const char *na_policy_email_of(apr_pool_t *p, const char *username);

#endif
