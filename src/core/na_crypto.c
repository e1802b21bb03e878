/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "na_crypto.h"

/* SHA-256 fetched once per process, as the JWE cipher (na_jwe.c): the implicit
 * EVP_sha256() is looked up again at every EVP_DigestInit_ex (CSRF checks, every request). */
static CRYPTO_ONCE na_crypto_sha256_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MD *na_crypto_sha256_fetched;

static void na_crypto_sha256_fetch(void)
{
    na_crypto_sha256_fetched = EVP_MD_fetch(NULL, "SHA2-256", NULL);
}

static const EVP_MD *na_crypto_sha256(void)
{
    if (CRYPTO_THREAD_run_once(&na_crypto_sha256_once, na_crypto_sha256_fetch) == 1
        && na_crypto_sha256_fetched != NULL) {
        return na_crypto_sha256_fetched;
    }
    return EVP_sha256();
}

void na_crypto_release(void)
{
    EVP_MD *md = na_crypto_sha256_fetched;

    na_crypto_sha256_fetched = NULL;
    EVP_MD_free(md);
}

na_status_t na_crypto_sha256_2(const void *a, apr_size_t alen, const void *b, apr_size_t blen,
                               unsigned char out[NA_SHA256_LEN])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    na_status_t rv = NA_EINTERNAL;

    if (ctx == NULL) {
        return NA_EINTERNAL;
    }
    if (EVP_DigestInit_ex(ctx, na_crypto_sha256(), NULL) == 1 && EVP_DigestUpdate(ctx, a, alen) == 1
        && EVP_DigestUpdate(ctx, b, blen) == 1 && EVP_DigestFinal_ex(ctx, out, &len) == 1
        && len == NA_SHA256_LEN) {
        rv = NA_OK;
    }
    EVP_MD_CTX_free(ctx);
    return rv;
}

char *na_crypto_hex(apr_pool_t *p, const unsigned char *bytes, apr_size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *out = apr_palloc(p, 2 * n + 1);
    apr_size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    out[2 * n] = '\0';
    return out;
}

/* OpenSSL 3's RAND_bytes costs about the same for 32 bytes as for 512 (2 us here: the
 * per-thread DRBG lookup, parameters, a reseed check), and a renewed session draws
 * twice. So each thread draws a batch and hands it out in order, every byte once, wiping
 * what it gave. The batch belongs to the process that drew it: a fork (httpd's children)
 * empties it, or parent and child would hand out the same bytes. */
#define NA_CRYPTO_BATCH 512
#define NA_CRYPTO_BATCH_MAX_TAKE 64

typedef struct na_crypto_batch_t {
    unsigned char bytes[NA_CRYPTO_BATCH];
    apr_size_t used; /* from the start; NA_CRYPTO_BATCH when empty */
} na_crypto_batch_t;

static __thread na_crypto_batch_t na_crypto_batch = {{0}, NA_CRYPTO_BATCH};
static pthread_once_t na_crypto_batch_once = PTHREAD_ONCE_INIT;
static int na_crypto_batch_usable; /* the fork handler is in place */

/* A forked child runs only the thread that called fork(), in which this handler runs:
 * emptying that thread's batch leaves the child nothing of its parent's. */
static void na_crypto_batch_forget(void)
{
    na_crypto_cleanse(na_crypto_batch.bytes, sizeof(na_crypto_batch.bytes));
    na_crypto_batch.used = NA_CRYPTO_BATCH;
}

static void na_crypto_batch_init(void)
{
    na_crypto_batch_usable = pthread_atfork(NULL, NULL, na_crypto_batch_forget) == 0;
}

static int na_crypto_batch_take(unsigned char *buf, apr_size_t n)
{
    na_crypto_batch_t *b = &na_crypto_batch;

    if (NA_CRYPTO_BATCH - b->used < n) {
        na_crypto_batch_forget();
        if (RAND_bytes(b->bytes, (int)sizeof(b->bytes)) != 1) {
            return 0;
        }
        b->used = 0;
    }
    memcpy(buf, b->bytes + b->used, n);
    na_crypto_cleanse(b->bytes + b->used, n);
    b->used += n;
    return 1;
}

na_status_t na_crypto_random(unsigned char *buf, apr_size_t n)
{
    /* Without a fork handler, every draw goes to OpenSSL (which detects forks itself). */
    if (n <= NA_CRYPTO_BATCH_MAX_TAKE
        && pthread_once(&na_crypto_batch_once, na_crypto_batch_init) == 0
        && na_crypto_batch_usable) {
        return na_crypto_batch_take(buf, n) ? NA_OK : NA_EINTERNAL;
    }
    if (n > (apr_size_t)0x7fffffff || RAND_bytes(buf, (int)n) != 1) {
        return NA_EINTERNAL;
    }
    return NA_OK;
}

na_status_t na_crypto_random_hex(apr_pool_t *p, apr_size_t n, char **out)
{
    unsigned char buf[64];

    if (n > sizeof(buf) || na_crypto_random(buf, n) != NA_OK) {
        return NA_EINTERNAL;
    }
    *out = na_crypto_hex(p, buf, n);
    na_crypto_cleanse(buf, sizeof(buf));
    return NA_OK;
}

int na_crypto_ct_equal(const void *a, apr_size_t alen, const void *b, apr_size_t blen)
{
    if (alen != blen) {
        return 0;
    }
    return CRYPTO_memcmp(a, b, alen) == 0;
}

na_status_t na_crypto_hkdf_sha256(const char *ikm, const char *salt, const char *info,
                                  unsigned char *out, apr_size_t outlen)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    na_status_t rv = NA_EINTERNAL;
    apr_size_t len = outlen;

    if (ctx == NULL) {
        return NA_EINTERNAL;
    }
    /* An empty salt is legal: RFC 5869 then uses HashLen zero bytes, which is what next-auth
     * v4's session key relies on. OpenSSL wants a non-NULL pointer even for length 0. */
    if (EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) == 1
        && EVP_PKEY_CTX_set1_hkdf_key(ctx, (const unsigned char *)ikm, (int)strlen(ikm)) == 1
        && EVP_PKEY_CTX_set1_hkdf_salt(ctx, (const unsigned char *)salt, (int)strlen(salt)) == 1
        && EVP_PKEY_CTX_add1_hkdf_info(ctx, (const unsigned char *)info, (int)strlen(info)) == 1
        && EVP_PKEY_derive(ctx, out, &len) == 1 && len == outlen) {
        rv = NA_OK;
    }
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

const char *na_crypto_fingerprint(apr_pool_t *p, const char *s)
{
    unsigned char digest[NA_SHA256_LEN];

    if (na_crypto_sha256_2(s, strlen(s), "", 0, digest) != NA_OK) {
        return "????????";
    }
    return na_crypto_hex(p, digest, 4);
}

void na_crypto_cleanse(void *buf, apr_size_t n)
{
    OPENSSL_cleanse(buf, n);
}
