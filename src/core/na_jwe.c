/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "na_b64.h"
#include "na_crypto.h"
#include "na_jwe.h"

/* Longest HKDF salt (a cookie name) that fits the info buffer below. */
#define NA_JWE_INFO_MAX 512

/* The five dot-separated parts of a compact JWE. */
enum { NA_JWE_HDR, NA_JWE_EKEY, NA_JWE_IV, NA_JWE_CT, NA_JWE_TAG, NA_JWE_NPARTS };

typedef struct na_jwe_parts_t {
    const char *s[NA_JWE_NPARTS];
    apr_size_t len[NA_JWE_NPARTS];
} na_jwe_parts_t;

na_status_t na_jwe_derive_key(const char *secret, const char *salt, na_jwe_key_t *out)
{
    char info[NA_JWE_INFO_MAX];
    int n;

    /* next-auth v4 salts the session key with "" and each check cookie with its name,
     * naming the salt in the info too (GHSA-v64w-49xw-qq89 separated the two in 4.24.5). */
    n = salt[0] ? snprintf(info, sizeof(info), NA_JWE_INFO " (%s)", salt)
                : snprintf(info, sizeof(info), NA_JWE_INFO);
    if (n < 0 || (apr_size_t)n >= sizeof(info)
        || na_crypto_hkdf_sha256(secret, salt, info, out->bytes, NA_JWE_KEY_LEN) != NA_OK) {
        na_crypto_cleanse(out->bytes, NA_JWE_KEY_LEN);
        return NA_EINTERNAL;
    }
    return NA_OK;
}

na_status_t na_jwe_derive_site_key(const char *secret, const char *site, na_jwe_key_t *out)
{
    char salt[NA_JWE_INFO_MAX - 64];
    int n = snprintf(salt, sizeof(salt), NA_JWE_SITE_SALT "%s", site);

    if (n < 0 || (apr_size_t)n >= sizeof(salt)) {
        na_crypto_cleanse(out->bytes, NA_JWE_KEY_LEN);
        return NA_EINTERNAL;
    }
    return na_jwe_derive_key(secret, salt, out);
}

/* OpenSSL 3 looks an EVP_aes_256_gcm() up in its provider tables (locks, hash lookups,
 * a refcount) on every EVP_*Init_ex: a fifth of a protected request. Fetch it once per
 * process; the implicit cipher remains the fallback. Freed by na_jwe_release when httpd
 * unloads the module (a restart), which would otherwise leak one per generation. */
static CRYPTO_ONCE na_jwe_cipher_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_CIPHER *na_jwe_cipher_fetched;

static void na_jwe_cipher_fetch(void)
{
    na_jwe_cipher_fetched = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
}

static const EVP_CIPHER *na_jwe_cipher(void)
{
    if (CRYPTO_THREAD_run_once(&na_jwe_cipher_once, na_jwe_cipher_fetch) == 1
        && na_jwe_cipher_fetched != NULL) {
        return na_jwe_cipher_fetched;
    }
    return EVP_aes_256_gcm();
}

void na_jwe_release(void)
{
    EVP_CIPHER *c = na_jwe_cipher_fetched;

    na_jwe_cipher_fetched = NULL;
    EVP_CIPHER_free(c);
}

/* AES-256-GCM encryption of pt into ct (same length) and tag, with the header as AAD. */
static na_status_t na_jwe_gcm_seal(const na_jwe_key_t *key, const unsigned char *iv,
                                   const unsigned char *pt, int len, unsigned char *ct,
                                   unsigned char *tag)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    na_status_t rv = NA_EINTERNAL;
    int n = 0, fin = 0;

    if (ctx == NULL) {
        return NA_EINTERNAL;
    }
    if (EVP_EncryptInit_ex(ctx, na_jwe_cipher(), NULL, key->bytes, iv) == 1
        && EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)NA_JWE_HEADER_B64,
                             (int)strlen(NA_JWE_HEADER_B64))
               == 1
        && EVP_EncryptUpdate(ctx, ct, &n, pt, len) == 1
        && EVP_EncryptFinal_ex(ctx, ct + n, &fin) == 1 && n + fin == len
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, NA_JWE_TAG_LEN, tag) == 1) {
        rv = NA_OK;
    }
    EVP_CIPHER_CTX_free(ctx);
    return rv;
}

na_status_t na_jwe_encrypt_iv(apr_pool_t *p, const na_jwe_key_t *key,
                              const unsigned char iv[NA_JWE_IV_LEN], const void *plaintext,
                              apr_size_t len, const char **token)
{
    unsigned char tag[NA_JWE_TAG_LEN], *ct;

    /* header + 4 dots + IV (16) + tag (22) + the ciphertext's encoding */
    if (len > NA_JWE_MAX_TOKEN
        || strlen(NA_JWE_HEADER_B64) + 4 + 16 + 22 + NA_B64_ENCODED_LEN(len) > NA_JWE_MAX_TOKEN) {
        return NA_ETOOBIG;
    }
    ct = apr_palloc(p, len + 1);
    if (na_jwe_gcm_seal(key, iv, plaintext, (int)len, ct, tag) != NA_OK) {
        return NA_EINTERNAL;
    }
    *token = apr_pstrcat(p, NA_JWE_HEADER_B64, "..", na_b64_encode(p, iv, NA_JWE_IV_LEN), ".",
                         na_b64_encode(p, ct, len), ".", na_b64_encode(p, tag, sizeof(tag)), NULL);
    return NA_OK;
}

na_status_t na_jwe_encrypt(apr_pool_t *p, const na_jwe_key_t *key, const void *plaintext,
                           apr_size_t len, const char **token)
{
    unsigned char iv[NA_JWE_IV_LEN];

    if (na_crypto_random(iv, sizeof(iv)) != NA_OK) {
        return NA_EINTERNAL;
    }
    return na_jwe_encrypt_iv(p, key, iv, plaintext, len, token);
}

/* Exactly five parts: four dots, no more. */
static int na_jwe_split(const char *token, na_jwe_parts_t *parts)
{
    const char *s = token;
    int i;

    for (i = 0; i < NA_JWE_NPARTS; i++) {
        const char *dot = strchr(s, '.');
        if ((dot == NULL) != (i == NA_JWE_NPARTS - 1)) {
            return 0;
        }
        parts->s[i] = s;
        parts->len[i] = dot ? (apr_size_t)(dot - s) : strlen(s);
        s = dot ? dot + 1 : s;
    }
    return 1;
}

/* 1 when the decoded header is an object with exactly alg "dir" and enc "A256GCM".
 * Any other member (zip, crit, epk, p2s, kid, …) is refused: next-auth never sends one,
 * and jose would honour zip ("DEF", inflated without a cap) and other enc values. */
static int na_jwe_header_ok(const unsigned char *buf, apr_size_t len)
{
    json_t *hdr = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, NULL);
    const char *alg, *enc;
    int ok;

    if (hdr == NULL) {
        return 0;
    }
    alg = json_string_value(json_object_get(hdr, "alg"));
    enc = json_string_value(json_object_get(hdr, "enc"));
    ok = json_is_object(hdr) && json_object_size(hdr) == 2 && alg && enc && strcmp(alg, "dir") == 0
         && strcmp(enc, "A256GCM") == 0;
    json_decref(hdr);
    return ok;
}

static na_status_t na_jwe_check_header(apr_pool_t *p, const na_jwe_parts_t *parts, na_err_t *err)
{
    unsigned char *buf;
    apr_size_t len;

    /* The usual case costs one compare; other spellings of the same header are parsed. */
    if (parts->len[NA_JWE_HDR] == strlen(NA_JWE_HEADER_B64)
        && memcmp(parts->s[NA_JWE_HDR], NA_JWE_HEADER_B64, parts->len[NA_JWE_HDR]) == 0) {
        return NA_OK;
    }
    if (na_b64_decode(p, parts->s[NA_JWE_HDR], parts->len[NA_JWE_HDR], &buf, &len) != NA_OK) {
        return na_err_set(p, err, NA_EINPUT, NULL, "JWE header is not base64url");
    }
    if (!na_jwe_header_ok(buf, len)) {
        return na_err_set(p, err, NA_EINPUT, NULL,
                          "JWE header is not exactly {alg:dir, enc:A256GCM}");
    }
    return NA_OK;
}

/* AES-256-GCM decryption and tag check; the header part, as sent, is the AAD. */
static na_status_t na_jwe_gcm_open(const na_jwe_key_t *key, const na_jwe_parts_t *parts,
                                   const unsigned char *iv, const unsigned char *ct, int len,
                                   unsigned char *tag, unsigned char *pt)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    na_status_t rv = NA_EINPUT;
    int n = 0, fin = 0;

    if (ctx == NULL) {
        return NA_EINTERNAL;
    }
    if (EVP_DecryptInit_ex(ctx, na_jwe_cipher(), NULL, key->bytes, iv) == 1
        && EVP_DecryptUpdate(ctx, NULL, &n, (const unsigned char *)parts->s[NA_JWE_HDR],
                             (int)parts->len[NA_JWE_HDR])
               == 1
        && EVP_DecryptUpdate(ctx, pt, &n, ct, len) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, NA_JWE_TAG_LEN, tag) == 1
        && EVP_DecryptFinal_ex(ctx, pt + n, &fin) == 1 && n + fin == len) {
        rv = NA_OK;
    }
    EVP_CIPHER_CTX_free(ctx);
    return rv;
}

/* Decode one fixed-length part; a wrong length is as bad as a wrong character. */
static int na_jwe_decode_fixed(apr_pool_t *p, const na_jwe_parts_t *parts, int i, apr_size_t want,
                               unsigned char **out)
{
    apr_size_t len;

    return na_b64_decode(p, parts->s[i], parts->len[i], out, &len) == NA_OK && len == want;
}

na_status_t na_jwe_decrypt(apr_pool_t *p, const na_jwe_key_t *key, const char *token,
                           na_jwe_plain_t *out, na_err_t *err)
{
    na_jwe_parts_t parts;
    unsigned char *iv, *tag, *ct, *pt;
    apr_size_t ctlen;
    na_status_t rv;

    if (token == NULL) {
        return na_err_set(p, err, NA_EINPUT, NULL, "no JWE");
    }
    if (strnlen(token, NA_JWE_MAX_TOKEN + 1) > NA_JWE_MAX_TOKEN) {
        return na_err_set(p, err, NA_ETOOBIG, NULL, "JWE over %d characters", NA_JWE_MAX_TOKEN);
    }
    if (!na_jwe_split(token, &parts)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "JWE does not have 5 parts");
    }
    if ((rv = na_jwe_check_header(p, &parts, err)) != NA_OK) {
        return rv;
    }
    /* alg "dir": a non-empty encrypted key would be ignored by us, so refuse it. */
    if (parts.len[NA_JWE_EKEY] != 0) {
        return na_err_set(p, err, NA_EINPUT, NULL, "JWE encrypted key is not empty");
    }
    if (!na_jwe_decode_fixed(p, &parts, NA_JWE_IV, NA_JWE_IV_LEN, &iv)
        || !na_jwe_decode_fixed(p, &parts, NA_JWE_TAG, NA_JWE_TAG_LEN, &tag)
        || na_b64_decode(p, parts.s[NA_JWE_CT], parts.len[NA_JWE_CT], &ct, &ctlen) != NA_OK) {
        return na_err_set(p, err, NA_EINPUT, NULL, "JWE IV, ciphertext or tag malformed");
    }
    pt = apr_palloc(p, ctlen + 1);
    rv = na_jwe_gcm_open(key, &parts, iv, ct, (int)ctlen, tag, pt);
    if (rv != NA_OK) {
        return na_err_set(p, err, rv, NULL, "JWE does not decrypt (wrong key or tampered)");
    }
    pt[ctlen] = '\0';
    out->data = pt;
    out->len = ctlen;
    return NA_OK;
}
