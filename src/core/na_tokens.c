/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "na_b64.h"
#include "na_crypto.h"
#include "na_json.h"
#include "na_json_compact.h"
#include "na_tokens.h"

/* The server-side token record of a session (na_tokens.h). */

#define NA_TOKENS_SID_BYTES 16

na_status_t na_tokens_sid_new(apr_pool_t *p, const char **sid)
{
    unsigned char bytes[NA_TOKENS_SID_BYTES];

    if (na_crypto_random(bytes, sizeof(bytes)) != NA_OK) {
        return NA_EINTERNAL;
    }
    *sid = na_b64_encode(p, bytes, sizeof(bytes));
    return *sid ? NA_OK : NA_EINTERNAL;
}

#define NA_TOKENS_DB_LABEL "mod_nextauth database session id "

na_status_t na_tokens_sid_of(apr_pool_t *p, const char *session_token, const char **sid)
{
    unsigned char digest[NA_SHA256_LEN];

    if (na_crypto_sha256_2(NA_TOKENS_DB_LABEL, strlen(NA_TOKENS_DB_LABEL), session_token,
                           strlen(session_token), digest)
        != NA_OK) {
        return NA_EINTERNAL;
    }
    *sid = na_b64_encode(p, digest, NA_TOKENS_SID_BYTES);
    return NA_OK;
}

int na_tokens_sid_valid(const char *s)
{
    apr_size_t n;

    if (s == NULL) {
        return 0;
    }
    for (n = 0; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
              || c == '_')) {
            return 0;
        }
    }
    return n == NA_TOKENS_SID_LEN;
}

/* ---- the sealed record ----------------------------------------------------------------- */

/* Format of the plaintext: a JSON object with short member names (the record is read on
 * every protected request and may sit in a shared Redis). "v" names the format, so a
 * record written by a later, incompatible version fails to open instead of being misread
 * (the session then goes on without tokens). */
#define NA_TOKENS_FORMAT 1

typedef struct na_tokens_member_t {
    const char *key;
    size_t offset;
} na_tokens_member_t;

/* The string members other than sid (which is checked first, on its own). */
static const na_tokens_member_t na_tokens_strings[] = {
    {"prov", offsetof(na_tokens_t, provider)},
    {"sub", offsetof(na_tokens_t, sub)},
    {"at", offsetof(na_tokens_t, access_token)},
    {"rt", offsetof(na_tokens_t, refresh_token)},
    {"it", offsetof(na_tokens_t, id_token)},
    {"tt", offsetof(na_tokens_t, token_type)},
    {"scope", offsetof(na_tokens_t, scope)},
    {"err", offsetof(na_tokens_t, error)},
    {NULL, 0},
};

/* The integer members: none may be negative. */
static const na_tokens_member_t na_tokens_ints[] = {
    {"exp", offsetof(na_tokens_t, expires_at)},
    {"upd", offsetof(na_tokens_t, updated_at)},
    {"ver", offsetof(na_tokens_t, version)},
    {NULL, 0},
};

#define NA_TOKENS_STR(t, m) (*(const char *const *)((const char *)(t) + (m)->offset))
#define NA_TOKENS_INT(t, m) (*(const apr_int64_t *)((const char *)(t) + (m)->offset))

na_status_t na_tokens_key(const char *secret, na_jwe_key_t *out)
{
    /* A key of its own (salt "", an info next-auth never uses), so a record can never be
     * taken for a session token or a check cookie, nor one of those for a record. */
    if (secret == NULL
        || na_crypto_hkdf_sha256(secret, "", NA_TOKENS_INFO, out->bytes, NA_JWE_KEY_LEN) != NA_OK) {
        na_crypto_cleanse(out->bytes, NA_JWE_KEY_LEN);
        return NA_EINTERNAL;
    }
    return NA_OK;
}

/* A string member, left out when NULL; -1 when s is not UTF-8 (json_string refuses it). */
static int na_tokens_set_string(json_t *obj, const char *key, const char *s)
{
    return s == NULL ? 0 : json_object_set_new(obj, key, json_string(s));
}

/* Pool-allocated compact text of obj; jansson only when na_json_compact declines (a real
 * number in the claims). NULL when jansson fails. */
static const char *na_tokens_dump(apr_pool_t *p, const json_t *obj, apr_size_t *len)
{
    char *s = na_json_compact(p, obj, NULL, 0, len), *m;

    if (s != NULL) {
        return s;
    }
    if ((m = json_dumps(obj, JSON_COMPACT)) == NULL) {
        return NULL;
    }
    *len = strlen(m);
    s = apr_pstrmemdup(p, m, *len);
    free(m);
    return s;
}

/* The plaintext object of t, owned by p; NULL when a string is not UTF-8 or the claims
 * are not a JSON object. */
static json_t *na_tokens_build(apr_pool_t *p, const na_tokens_t *t)
{
    json_t *obj = na_json_pool_own(p, json_object()), *claims = NULL;
    const na_tokens_member_t *m;

    if (obj == NULL || json_object_set_new(obj, "v", json_integer(NA_TOKENS_FORMAT)) != 0
        || na_tokens_set_string(obj, "sid", t->sid) != 0) {
        return NULL;
    }
    for (m = na_tokens_strings; m->key; m++) {
        if (na_tokens_set_string(obj, m->key, NA_TOKENS_STR(t, m)) != 0) {
            return NULL;
        }
    }
    for (m = na_tokens_ints; m->key; m++) {
        if (json_object_set_new(obj, m->key, json_integer(NA_TOKENS_INT(t, m))) != 0) {
            return NULL;
        }
    }
    if (t->claims != NULL) {
        claims = na_json_load(p, t->claims, strlen(t->claims), NA_TOKENS_MAX_SEALED);
        if (claims == NULL || json_object_set(obj, "claims", claims) != 0) {
            return NULL;
        }
    }
    return obj;
}

na_status_t na_tokens_seal(apr_pool_t *p, const na_jwe_key_t *key, const na_tokens_t *t,
                           const char **blob, apr_size_t *len)
{
    const char *json;
    apr_size_t jlen;
    json_t *obj;
    na_status_t rv;

    *blob = NULL;
    *len = 0;
    if (t->sid == NULL || *t->sid == '\0') {
        return NA_EINPUT;
    }
    if ((obj = na_tokens_build(p, t)) == NULL) {
        return NA_EINPUT;
    }
    if ((json = na_tokens_dump(p, obj, &jlen)) == NULL) {
        return NA_EINTERNAL;
    }
    /* Refused before encrypting: a JWE is about 4/3 of its plaintext. */
    if (NA_B64_ENCODED_LEN(jlen) > NA_TOKENS_MAX_SEALED) {
        return NA_ETOOBIG;
    }
    if ((rv = na_jwe_encrypt(p, key, json, jlen, blob)) != NA_OK) {
        *blob = NULL;
        return rv;
    }
    *len = strlen(*blob);
    if (*len > NA_TOKENS_MAX_SEALED) {
        *blob = NULL;
        *len = 0;
        return NA_ETOOBIG;
    }
    return NA_OK;
}

/* The plaintext of blob under the first key that opens it. */
static na_status_t na_tokens_decrypt(apr_pool_t *p, const na_jwe_key_t *keys, int nkeys,
                                     const char *token, na_jwe_plain_t *plain)
{
    int i;

    for (i = 0; i < nkeys; i++) {
        if (na_jwe_decrypt(p, &keys[i], token, plain, NULL) == NA_OK) {
            return NA_OK;
        }
    }
    return NA_EINPUT;
}

/* The string and integer members into *out; NULL, or the name of the first bad one. A
 * JSON null is refused too: seal never writes one. */
static const char *na_tokens_read_members(apr_pool_t *p, const json_t *obj, na_tokens_t *out)
{
    const na_tokens_member_t *m;

    for (m = na_tokens_strings; m->key; m++) {
        const char **slot = (const char **)((char *)out + m->offset);
        if (!na_json_get_string(p, obj, m->key, 0, 0, slot)) {
            return m->key;
        }
    }
    for (m = na_tokens_ints; m->key; m++) {
        apr_int64_t *slot = (apr_int64_t *)((char *)out + m->offset);
        if (!na_json_get_int(obj, m->key, 1, slot) || *slot < 0) {
            return m->key;
        }
    }
    return NULL;
}

/* The claims member, when present, as compact text into *claims: it must be an object. */
static const char *na_tokens_read_claims(apr_pool_t *p, const json_t *obj, const char **claims)
{
    json_t *v = json_object_get(obj, "claims");
    apr_size_t len;

    *claims = NULL;
    if (v == NULL) {
        return NULL;
    }
    if (!json_is_object(v) || (*claims = na_tokens_dump(p, v, &len)) == NULL) {
        return "claims";
    }
    return NULL;
}

/* The members of an opened record: NA_EDENIED when it names another session. */
static na_status_t na_tokens_read(apr_pool_t *p, const json_t *obj, const char *sid,
                                  na_tokens_t *out, na_err_t *err)
{
    apr_int64_t format;
    const char *bad;

    if (!na_json_get_int(obj, "v", 1, &format) || format != NA_TOKENS_FORMAT) {
        return na_err_set(p, err, NA_EINPUT, NULL, "token record: unknown format");
    }
    if (!na_json_get_string(p, obj, "sid", 1, 0, &out->sid)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "token record: sid missing or not a string");
    }
    /* A record moved to another session's cache key opens (same key) but is not its own. */
    if (!na_crypto_ct_equal(out->sid, strlen(out->sid), sid, strlen(sid))) {
        return na_err_set(p, err, NA_EDENIED, NULL, "token record of another session");
    }
    if ((bad = na_tokens_read_members(p, obj, out)) != NULL
        || (bad = na_tokens_read_claims(p, obj, &out->claims)) != NULL) {
        return na_err_set(p, err, NA_EINPUT, NULL, "token record: member %s has the wrong type",
                          bad);
    }
    return NA_OK;
}

na_status_t na_tokens_open(apr_pool_t *p, const na_jwe_key_t *keys, int nkeys, const char *sid,
                           const unsigned char *blob, apr_size_t len, na_tokens_t *out,
                           na_err_t *err)
{
    const char *token;
    na_jwe_plain_t plain;
    json_t *obj;
    na_status_t rv;

    memset(out, 0, sizeof(*out));
    if (len > NA_TOKENS_MAX_SEALED) {
        return na_err_set(p, err, NA_ETOOBIG, NULL, "token record over %d bytes",
                          NA_TOKENS_MAX_SEALED);
    }
    if (blob == NULL || len == 0 || sid == NULL || keys == NULL || nkeys <= 0) {
        return na_err_set(p, err, NA_EINPUT, NULL, "token record empty");
    }
    /* A cache hands bytes back, not a string: a NUL inside is a forgery. */
    token = apr_pstrmemdup(p, (const char *)blob, len);
    if (memchr(blob, '\0', len) != NULL
        || na_tokens_decrypt(p, keys, nkeys, token, &plain) != NA_OK) {
        return na_err_set(p, err, NA_EINPUT, NULL, "token record does not open with any key");
    }
    obj = na_json_load(p, (const char *)plain.data, plain.len, NA_TOKENS_MAX_SEALED);
    if (obj == NULL) {
        return na_err_set(p, err, NA_EINPUT, NULL, "token record is not a JSON object");
    }
    if ((rv = na_tokens_read(p, obj, sid, out, err)) != NA_OK) {
        memset(out, 0, sizeof(*out));
    }
    return rv;
}

/* ---- refresh policy, lock tag and claims ----------------------------------------------- */

int na_tokens_due(const na_tokens_t *t, apr_int64_t now, apr_int64_t before)
{
    if (t == NULL || t->refresh_token == NULL || *t->refresh_token == '\0' || t->expires_at <= 0
        || t->error != NULL) {
        return 0;
    }
    if (before < 0) {
        before = 0;
    }
    return t->expires_at - before <= now;
}

/* ID-token members that only served the sign-in's checks: no backend has use for them. */
static const char *const na_tokens_dropped[] = {"nonce", "at_hash", "c_hash", NULL};

static json_t *na_tokens_claims_load(apr_pool_t *p, const char *text, int *bad)
{
    json_t *obj;

    if (text == NULL) {
        return NULL;
    }
    obj = na_json_load(p, text, strlen(text), 0);
    *bad |= obj == NULL;
    return obj;
}

na_status_t na_tokens_claims_merge(apr_pool_t *p, const char *id_claims, const char *userinfo,
                                   const char **json)
{
    int bad = 0, i;
    json_t *id = na_tokens_claims_load(p, id_claims, &bad);
    json_t *ui = na_tokens_claims_load(p, userinfo, &bad), *merged;
    apr_size_t len;

    *json = NULL;
    if (bad) {
        return NA_EINPUT;
    }
    if (id == NULL && ui == NULL) {
        return NA_OK;
    }
    merged = na_json_pool_own(p, id ? json_copy(id) : json_object());
    /* The ID token is signed by the IdP; a userinfo answer only fills what it lacks. */
    if (merged == NULL || (ui && json_object_update_missing(merged, ui) != 0)) {
        return NA_EINTERNAL;
    }
    for (i = 0; na_tokens_dropped[i]; i++) {
        json_object_del(merged, na_tokens_dropped[i]);
    }
    *json = na_tokens_dump(p, merged, &len);
    return *json ? NA_OK : NA_EINTERNAL;
}
