/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_EMAIL_H
#define NA_EMAIL_H

#include "na_common.h"

/* E-mail provider logic that needs no request: the address rules, the verification
 * token and its stored hash, and the magic link (SPEC.md section 7). */

/** Longest address accepted, in bytes after normalisation (RFC 5321's path limit). */
#define NA_EMAIL_MAX_LEN 254
/** Longest raw input looked at, in bytes; longer input is refused unread. */
#define NA_EMAIL_MAX_INPUT 1024

/**
 * next-auth 4.24.15's normalizeIdentifier, stricter: NFKC (so a full-width at sign
 * folds to '@' before the checks), trim, exactly one '@', no '"', no ',', no CR/LF or
 * other control characters, no whitespace, no '<' '>' inside, a non-empty local part,
 * a domain with a '.', lower-cased, at most NA_EMAIL_MAX_LEN bytes, valid UTF-8.
 * NA_OK and *out, or NA_EINPUT (NA_ETOOBIG for oversized input) with err->detail saying which rule
 * failed.
 */
na_status_t na_email_normalize(apr_pool_t *p, const char *input, const char **out, na_err_t *err);

/** A fresh verification token: 32 random bytes as 64 lower-case hex characters. */
na_status_t na_email_token(apr_pool_t *p, const char **token);

/** What the database stores: lower-case hex SHA-256 of token followed by secret. */
const char *na_email_token_hash(apr_pool_t *p, const char *token, const char *secret);

/**
 * The magic link, exactly as next-auth builds it:
 * {base_url}/callback/{provider_id}?callbackUrl=..&token=..&email=.. (URLSearchParams
 * encoding, in that order).
 */
const char *na_email_magic_link(apr_pool_t *p, const char *base_url, const char *provider_id,
                                const char *callback_url, const char *token, const char *email);

#endif
