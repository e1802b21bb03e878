/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_CSRF_H
#define NA_CSRF_H

#include "na_common.h"

#define NA_CSRF_TOKEN_BYTES 32

/**
 * Check a CSRF cookie value ("token|hash", already percent-decoded): hash must be the
 * lower-case hex SHA-256 of token followed by one of `secrets` (const char *, the first
 * is current). On NA_OK, *token is the cookie's token and *current is 1 when the hash
 * was made with the first secret. NA_EINPUT for anything else.
 */
na_status_t na_csrf_verify_cookie(apr_pool_t *p, const char *value,
                                  const apr_array_header_t *secrets, const char **token,
                                  int *current);

/** Mint a token (64 hex characters) and its cookie value "token|hash" under secret. */
na_status_t na_csrf_issue(apr_pool_t *p, const char *secret, const char **token,
                          const char **cookie_value);

/** The hash half of a cookie value: hex SHA-256(token || secret). */
na_status_t na_csrf_hash(apr_pool_t *p, const char *token, const char *secret, const char **hash);

/** 1 when a submitted csrfToken equals the cookie's token (constant time). */
int na_csrf_matches(const char *cookie_token, const char *submitted);

#endif
