/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_CRYPTO_H
#define NA_CRYPTO_H

#include "na_common.h"

#define NA_SHA256_LEN 32

/** SHA-256 of the concatenation a||b (either may be empty, neither NULL). */
na_status_t na_crypto_sha256_2(const void *a, apr_size_t alen, const void *b, apr_size_t blen,
                               unsigned char out[NA_SHA256_LEN]);

/** Free what this file fetched from OpenSSL once per process (before the module is
 *  unloaded); later calls fall back to OpenSSL's implicit lookup. */
void na_crypto_release(void);

/** Lower-case hex of n bytes, allocated from p. */
char *na_crypto_hex(apr_pool_t *p, const unsigned char *bytes, apr_size_t n);

/**
 * Fill buf with n bytes from OpenSSL's CSPRNG. NA_EINTERNAL when the RNG fails. Small
 * requests come from a per-thread batch drawn in one RAND_bytes call (each byte handed
 * out once, then wiped; a forked process draws its own).
 */
na_status_t na_crypto_random(unsigned char *buf, apr_size_t n);

/** n random bytes rendered as lower-case hex (2n characters) in *out, from p. */
na_status_t na_crypto_random_hex(apr_pool_t *p, apr_size_t n, char **out);

/** Constant-time equality of two byte strings; different lengths compare unequal. */
int na_crypto_ct_equal(const void *a, apr_size_t alen, const void *b, apr_size_t blen);

/**
 * HKDF-SHA256 (RFC 5869): `outlen` bytes from ikm, salt (may be empty) and info.
 * NA_EINTERNAL when OpenSSL fails.
 */
na_status_t na_crypto_hkdf_sha256(const char *ikm, const char *salt, const char *info,
                                  unsigned char *out, apr_size_t outlen);

/** First 8 hex characters of SHA-256(s): a log-safe handle for a secret or token. */
const char *na_crypto_fingerprint(apr_pool_t *p, const char *s);

/** Wipe n bytes so the compiler cannot drop the store. */
void na_crypto_cleanse(void *buf, apr_size_t n);

#endif
