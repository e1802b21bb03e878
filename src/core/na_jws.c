/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "na_b64.h"
#include "na_jws.h"

typedef enum { NA_JWS_KTY_RSA, NA_JWS_KTY_EC } na_jws_kty_t;

typedef struct na_jws_curve_t {
    const char *crv;   /* JWK name */
    const char *group; /* OpenSSL name */
    apr_size_t len;    /* bytes per coordinate, and per r and s in a signature */
} na_jws_curve_t;

typedef struct na_jws_key_t {
    const char *kid; /* NULL when the JWK has none */
    const char *alg; /* NULL when the JWK has none */
    na_jws_kty_t kty;
    const na_jws_curve_t *curve; /* EC only */
    EVP_PKEY *pkey;
} na_jws_key_t;

struct na_jws_jwks_t {
    na_jws_key_t keys[NA_JWS_MAX_KEYS];
    int nkeys;
    int skipped;
};

typedef struct na_jws_alg_t {
    const char *name;
    na_jws_kty_t kty;
    int pss;
    const char *crv; /* ES: the one curve the alg is defined on */
    const EVP_MD *(*md)(void);
} na_jws_alg_t;

static const na_jws_curve_t na_jws_curves[] = {
    {"P-256", "prime256v1", 32},
    {"P-384", "secp384r1", 48},
    {"P-521", "secp521r1", 66},
};

/* The only algs accepted. HS* is absent on purpose: with a JWKS, an HMAC "key" could only be
 * public material, which is the key-confusion forgery (CVE-2015-9235 and its kin). */
static const na_jws_alg_t na_jws_algs[] = {
    {"RS256", NA_JWS_KTY_RSA, 0, NULL, EVP_sha256},
    {"RS384", NA_JWS_KTY_RSA, 0, NULL, EVP_sha384},
    {"RS512", NA_JWS_KTY_RSA, 0, NULL, EVP_sha512},
    {"PS256", NA_JWS_KTY_RSA, 1, NULL, EVP_sha256},
    {"PS384", NA_JWS_KTY_RSA, 1, NULL, EVP_sha384},
    {"PS512", NA_JWS_KTY_RSA, 1, NULL, EVP_sha512},
    {"ES256", NA_JWS_KTY_EC, 0, "P-256", EVP_sha256},
    {"ES384", NA_JWS_KTY_EC, 0, "P-384", EVP_sha384},
    {"ES512", NA_JWS_KTY_EC, 0, "P-521", EVP_sha512},
};

#define NA_JWS_COUNT(t) (sizeof(t) / sizeof((t)[0]))
/* An RSA public exponent of more than 64 bits is no real key, only a slow verify. */
#define NA_JWS_RSA_MAX_E_BYTES 8

/* ---- JWK → EVP_PKEY ------------------------------------------------------------------ */

static const na_jws_curve_t *na_jws_curve_find(const char *crv)
{
    apr_size_t i;

    for (i = 0; crv && i < NA_JWS_COUNT(na_jws_curves); i++) {
        if (strcmp(na_jws_curves[i].crv, crv) == 0) {
            return &na_jws_curves[i];
        }
    }
    return NULL;
}

/* A required base64url member, decoded into p. 0 when missing, not a non-empty string, or
 * not strict base64url. */
static int na_jws_jwk_bytes(apr_pool_t *p, json_t *jwk, const char *name, unsigned char **out,
                            apr_size_t *len)
{
    json_t *v = json_object_get(jwk, name);

    return json_is_string(v) && json_string_length(v) > 0
           && na_b64_decode(p, json_string_value(v), json_string_length(v), out, len) == NA_OK;
}

/* EVP_PKEY_fromdata on a finished parameter builder; NULL on any failure. */
static EVP_PKEY *na_jws_pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = params ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
    EVP_PKEY *pkey = NULL;

    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1
        || EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

/* Bounds first: a 1024-bit modulus is forgeable in practice, a huge one is a slow verify,
 * and e = 1 (or any even e) would make "signature = padded hash" verify. */
static EVP_PKEY *na_jws_rsa_pkey(const unsigned char *n, apr_size_t nlen, const unsigned char *e,
                                 apr_size_t elen)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *bn = BN_bin2bn(n, (int)nlen, NULL), *be = BN_bin2bn(e, (int)elen, NULL);
    EVP_PKEY *pkey = NULL;

    if (bld && bn && be && BN_num_bits(bn) >= NA_JWS_RSA_MIN_BITS
        && BN_num_bits(bn) <= NA_JWS_RSA_MAX_BITS && elen <= NA_JWS_RSA_MAX_E_BYTES && BN_is_odd(be)
        && !BN_is_one(be) && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn)
        && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be)) {
        pkey = na_jws_pkey_fromdata("RSA", bld);
    }
    BN_free(bn);
    BN_free(be);
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

/* OpenSSL refuses a point that is not on the curve when importing it (EC_POINT_oct2point);
 * the three NIST curves have cofactor 1, so every point on them is in the prime-order group
 * and no further check is needed. */
static EVP_PKEY *na_jws_ec_pkey(const na_jws_curve_t *curve, const unsigned char *pub,
                                apr_size_t publen)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    EVP_PKEY *pkey = NULL;

    if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve->group, 0)
        && OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, publen)) {
        pkey = na_jws_pkey_fromdata("EC", bld);
    }
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

static EVP_PKEY *na_jws_jwk_rsa(apr_pool_t *scratch, json_t *jwk)
{
    unsigned char *n, *e;
    apr_size_t nlen, elen;

    if (!na_jws_jwk_bytes(scratch, jwk, "n", &n, &nlen)
        || !na_jws_jwk_bytes(scratch, jwk, "e", &e, &elen)) {
        return NULL;
    }
    return na_jws_rsa_pkey(n, nlen, e, elen);
}

/* x and y must have the curve's full length (RFC 7518 §6.2.1.2), as jose requires. */
static EVP_PKEY *na_jws_jwk_ec(apr_pool_t *scratch, json_t *jwk, const na_jws_curve_t *curve)
{
    unsigned char *x, *y, *pub;
    apr_size_t xlen, ylen;

    if (curve == NULL || !na_jws_jwk_bytes(scratch, jwk, "x", &x, &xlen)
        || !na_jws_jwk_bytes(scratch, jwk, "y", &y, &ylen) || xlen != curve->len
        || ylen != curve->len) {
        return NULL;
    }
    /* SEC 1 uncompressed point: 0x04 || x || y */
    pub = apr_palloc(scratch, 1 + 2 * curve->len);
    pub[0] = 0x04;
    memcpy(pub + 1, x, curve->len);
    memcpy(pub + 1 + curve->len, y, curve->len);
    return na_jws_ec_pkey(curve, pub, 1 + 2 * curve->len);
}

/* An optional string member: 1 with *out NULL when absent, 0 when of another type. */
static int na_jws_opt_str(apr_pool_t *p, json_t *obj, const char *name, const char **out)
{
    json_t *v = json_object_get(obj, name);

    *out =
        json_is_string(v) ? apr_pstrmemdup(p, json_string_value(v), json_string_length(v)) : NULL;
    return v == NULL || json_is_string(v);
}

/* One JWK into *key; 0 when it is to be skipped (not for signing, unknown or malformed). */
static int na_jws_jwk_load(apr_pool_t *p, apr_pool_t *scratch, json_t *jwk, na_jws_key_t *key)
{
    const char *kty, *use;

    memset(key, 0, sizeof(*key));
    if (!json_is_object(jwk) || !na_jws_opt_str(scratch, jwk, "kty", &kty) || kty == NULL
        || !na_jws_opt_str(scratch, jwk, "use", &use) || (use && strcmp(use, "sig") != 0)
        || !na_jws_opt_str(p, jwk, "kid", &key->kid) || !na_jws_opt_str(p, jwk, "alg", &key->alg)) {
        return 0;
    }
    if (strcmp(kty, "RSA") == 0) {
        key->kty = NA_JWS_KTY_RSA;
        key->pkey = na_jws_jwk_rsa(scratch, jwk);
    }
    else if (strcmp(kty, "EC") == 0) {
        key->kty = NA_JWS_KTY_EC;
        key->curve = na_jws_curve_find(json_string_value(json_object_get(jwk, "crv")));
        key->pkey = na_jws_jwk_ec(scratch, jwk, key->curve);
    }
    return key->pkey != NULL;
}

static apr_status_t na_jws_jwks_cleanup(void *data)
{
    na_jws_jwks_t *jwks = data;
    int i;

    for (i = 0; i < jwks->nkeys; i++) {
        EVP_PKEY_free(jwks->keys[i].pkey);
    }
    jwks->nkeys = 0;
    return APR_SUCCESS;
}

/* Every entry of `keys` that loads goes into the set; OpenSSL's queue is left empty, as
 * mod_ssl reads the same per-thread error queue. */
static void na_jws_jwks_fill(apr_pool_t *p, json_t *keys, na_jws_jwks_t *jwks)
{
    apr_pool_t *scratch;
    apr_size_t i;

    apr_pool_create(&scratch, p);
    for (i = 0; i < json_array_size(keys); i++) {
        if (na_jws_jwk_load(p, scratch, json_array_get(keys, i), &jwks->keys[jwks->nkeys])) {
            jwks->nkeys++;
        }
        else {
            jwks->skipped++;
        }
    }
    apr_pool_destroy(scratch);
    ERR_clear_error();
}

na_status_t na_jws_jwks_parse(apr_pool_t *p, const char *json, apr_size_t len, na_jws_jwks_t **out,
                              na_err_t *err)
{
    json_t *doc, *keys;
    na_jws_jwks_t *jwks;

    if (len > NA_JWS_MAX_JWKS) {
        return na_err_set(p, err, NA_ETOOBIG, NULL, "JWKS over %d bytes", NA_JWS_MAX_JWKS);
    }
    doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
    keys = json_object_get(doc, "keys");
    if (!json_is_object(doc) || !json_is_array(keys)) {
        json_decref(doc);
        return na_err_set(p, err, NA_EINPUT, NULL, "JWKS is not an object with a keys array");
    }
    if (json_array_size(keys) > NA_JWS_MAX_KEYS) {
        json_decref(doc);
        return na_err_set(p, err, NA_ETOOBIG, NULL, "JWKS has over %d keys", NA_JWS_MAX_KEYS);
    }
    jwks = apr_pcalloc(p, sizeof(*jwks));
    apr_pool_cleanup_register(p, jwks, na_jws_jwks_cleanup, apr_pool_cleanup_null);
    na_jws_jwks_fill(p, keys, jwks);
    json_decref(doc);
    if (jwks->nkeys == 0) {
        return na_err_set(p, err, NA_EINPUT, NULL, "JWKS has no usable signing key (%d skipped)",
                          jwks->skipped);
    }
    *out = jwks;
    return NA_OK;
}

int na_jws_jwks_count(const na_jws_jwks_t *jwks)
{
    return jwks->nkeys;
}

int na_jws_jwks_skipped(const na_jws_jwks_t *jwks)
{
    return jwks->skipped;
}

/* ---- compact JWS --------------------------------------------------------------------- */

/* A token taken apart: the signing input as sent, and the decoded header, payload and
 * signature. */
typedef struct na_jws_parsed_t {
    const char *input; /* header "." payload, not NUL-terminated */
    apr_size_t inlen;
    const na_jws_alg_t *alg;
    const char *kid;
    unsigned char *payload, *sig;
    apr_size_t paylen, siglen;
} na_jws_parsed_t;

static const na_jws_alg_t *na_jws_alg_find(const char *name)
{
    apr_size_t i;

    for (i = 0; name && i < NA_JWS_COUNT(na_jws_algs); i++) {
        if (strcmp(na_jws_algs[i].name, name) == 0) {
            return &na_jws_algs[i];
        }
    }
    return NULL;
}

/* The header as JSON: alg one of ours, kid absent or a string. `crit` names extensions we
 * do not implement (RFC 7515 §4.1.11 says refuse), and `b64` changes what is signed. */
static na_status_t na_jws_header(apr_pool_t *p, const unsigned char *buf, apr_size_t len,
                                 na_jws_parsed_t *t, na_err_t *err)
{
    json_t *hdr = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, NULL);
    const char *alg = json_string_value(json_object_get(hdr, "alg"));
    na_status_t rv = NA_OK;

    if (!json_is_object(hdr) || alg == NULL) {
        rv = na_err_set(p, err, NA_EINPUT, NULL, "JWS header is not an object with an alg");
    }
    else if ((t->alg = na_jws_alg_find(alg)) == NULL) {
        rv = na_err_set(p, err, NA_EINPUT, NULL, "JWS alg '%s' refused", alg);
    }
    else if (!na_jws_opt_str(p, hdr, "kid", &t->kid)) {
        rv = na_err_set(p, err, NA_EINPUT, NULL, "JWS kid is not a string");
    }
    else if (json_object_get(hdr, "crit") || json_object_get(hdr, "b64")) {
        rv = na_err_set(p, err, NA_EINPUT, NULL, "JWS header has crit or b64");
    }
    json_decref(hdr);
    return rv;
}

/* Exactly three strict base64url parts with a non-empty signature. */
static na_status_t na_jws_parse(apr_pool_t *p, const char *token, na_jws_parsed_t *t, na_err_t *err)
{
    const char *dot1 = strchr(token, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    unsigned char *hdr;
    apr_size_t hdrlen;

    if (dot2 == NULL || strchr(dot2 + 1, '.') != NULL || dot2[1] == '\0') {
        return na_err_set(p, err, NA_EINPUT, NULL, "JWS is not three parts with a signature");
    }
    t->input = token;
    t->inlen = (apr_size_t)(dot2 - token);
    if (na_b64_decode(p, token, (apr_size_t)(dot1 - token), &hdr, &hdrlen) != NA_OK
        || na_b64_decode(p, dot1 + 1, (apr_size_t)(dot2 - dot1 - 1), &t->payload, &t->paylen)
               != NA_OK
        || na_b64_decode(p, dot2 + 1, strlen(dot2 + 1), &t->sig, &t->siglen) != NA_OK) {
        return na_err_set(p, err, NA_EINPUT, NULL, "JWS part is not base64url");
    }
    return na_jws_header(p, hdr, hdrlen, t, err);
}

/* JOSE's fixed-width r||s as the DER ECDSA-Sig-Value OpenSSL verifies; NULL when the length
 * is not twice the curve's (a DER signature sent as is, a truncated one). */
static unsigned char *na_jws_ecdsa_der(const na_jws_curve_t *curve, const na_jws_parsed_t *t,
                                       int *derlen)
{
    ECDSA_SIG *es;
    BIGNUM *r, *s;
    unsigned char *der = NULL;

    if (t->siglen != 2 * curve->len) {
        return NULL;
    }
    es = ECDSA_SIG_new();
    r = BN_bin2bn(t->sig, (int)curve->len, NULL);
    s = BN_bin2bn(t->sig + curve->len, (int)curve->len, NULL);
    if (es && r && s && ECDSA_SIG_set0(es, r, s) == 1) {
        r = s = NULL; /* owned by es now */
        *derlen = i2d_ECDSA_SIG(es, &der);
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    return *derlen > 0 ? der : NULL;
}

/* 1 when the signature verifies with this key. */
static int na_jws_digest_verify(const na_jws_alg_t *alg, EVP_PKEY *pkey, const na_jws_parsed_t *t,
                                const unsigned char *sig, apr_size_t siglen)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok = 0;

    if (md && EVP_DigestVerifyInit(md, &pctx, alg->md(), NULL, pkey) == 1
        && (!alg->pss
            || (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1))) {
        ok = EVP_DigestVerify(md, sig, siglen, (const unsigned char *)t->input, t->inlen) == 1;
    }
    EVP_MD_CTX_free(md);
    return ok;
}

static int na_jws_key_verifies(const na_jws_key_t *key, const na_jws_parsed_t *t)
{
    unsigned char *der;
    int derlen = 0, ok;

    if (key->kty == NA_JWS_KTY_RSA) {
        /* RSA signatures are exactly the modulus length (RFC 8017 §8.2.2 step 1). */
        return t->siglen == (apr_size_t)EVP_PKEY_get_size(key->pkey)
               && na_jws_digest_verify(t->alg, key->pkey, t, t->sig, t->siglen);
    }
    if ((der = na_jws_ecdsa_der(key->curve, t, &derlen)) == NULL) {
        return 0;
    }
    ok = na_jws_digest_verify(t->alg, key->pkey, t, der, (apr_size_t)derlen);
    OPENSSL_free(der);
    return ok;
}

/* The key's type, curve and (when it names one) alg all fit the header's alg. */
static int na_jws_key_fits(const na_jws_key_t *key, const na_jws_alg_t *alg)
{
    return key->kty == alg->kty && (alg->crv == NULL || strcmp(key->curve->crv, alg->crv) == 0)
           && (key->alg == NULL || strcmp(key->alg, alg->name) == 0);
}

static na_status_t na_jws_try_keys(apr_pool_t *p, const na_jws_jwks_t *jwks,
                                   const na_jws_parsed_t *t, na_err_t *err)
{
    int i, named = 0, fitting = 0;

    for (i = 0; i < jwks->nkeys; i++) {
        const na_jws_key_t *key = &jwks->keys[i];
        if (t->kid && (key->kid == NULL || strcmp(key->kid, t->kid) != 0)) {
            continue;
        }
        named++;
        if (!na_jws_key_fits(key, t->alg)) {
            continue;
        }
        fitting++;
        if (na_jws_key_verifies(key, t)) {
            return NA_OK;
        }
    }
    /* Only "the key is not there" may send the caller back to the IdP: a forged signature
     * under a known kid must not buy the attacker a JWKS fetch. */
    if ((t->kid && named == 0) || (!t->kid && fitting == 0)) {
        return na_err_set(p, err, NA_EDENIED, NULL, "JWKS has no key for kid '%s' alg %s",
                          t->kid ? t->kid : "(none)", t->alg->name);
    }
    if (fitting == 0) {
        return na_err_set(p, err, NA_EINPUT, NULL, "JWKS key '%s' does not fit alg %s", t->kid,
                          t->alg->name);
    }
    return na_err_set(p, err, NA_EINPUT, NULL, "JWS signature does not verify (%s, kid '%s')",
                      t->alg->name, t->kid ? t->kid : "(none)");
}

na_status_t na_jws_verify(apr_pool_t *p, const na_jws_jwks_t *jwks, const char *token,
                          na_jws_verified_t *out, na_err_t *err)
{
    na_jws_parsed_t t;
    na_status_t rv;

    memset(&t, 0, sizeof(t));
    if (token == NULL) {
        return na_err_set(p, err, NA_EINPUT, NULL, "no JWS");
    }
    if (strnlen(token, NA_JWS_MAX_TOKEN + 1) > NA_JWS_MAX_TOKEN) {
        return na_err_set(p, err, NA_ETOOBIG, NULL, "JWS over %d characters", NA_JWS_MAX_TOKEN);
    }
    if ((rv = na_jws_parse(p, token, &t, err)) != NA_OK) {
        return rv;
    }
    rv = na_jws_try_keys(p, jwks, &t, err);
    ERR_clear_error();
    if (rv != NA_OK) {
        return rv;
    }
    out->payload = (const char *)t.payload;
    out->len = t.paylen;
    out->alg = t.alg->name;
    out->kid = t.kid;
    return NA_OK;
}
