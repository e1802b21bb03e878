/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_B64_H
#define NA_B64_H

#include "na_common.h"

/** Characters needed to base64url-encode n bytes without padding (excluding the NUL). */
#define NA_B64_ENCODED_LEN(n) (((n) / 3) * 4 + (((n) % 3) ? ((n) % 3) + 1 : 0))

/**
 * base64url (RFC 4648 §5) of n bytes, without '=' padding, as a NUL-terminated string
 * allocated from p. Never NULL.
 */
char *na_b64_encode(apr_pool_t *p, const unsigned char *data, apr_size_t n);

/**
 * Strict base64url decode of the first `len` characters of s (the JOSE rules: no padding,
 * no whitespace, only A-Z a-z 0-9 '-' '_', a length that is not 1 mod 4, and zero unused
 * trailing bits, so every byte string has exactly one accepted encoding).
 * On NA_OK, *out (from p) holds *outlen bytes followed by a NUL that is not counted.
 * NA_EINPUT for anything else; *out and *outlen are then untouched.
 */
na_status_t na_b64_decode(apr_pool_t *p, const char *s, apr_size_t len, unsigned char **out,
                          apr_size_t *outlen);

#endif
