/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "na_crypto.h"
#include "na_json.h"
#include "na_json_compact.h"
#include "na_session.h"
#include "na_tokens.h"

/* A UUID v4 in lower case from 16 random bytes (hex by hand: snprintf with 16
 * conversions was a twentieth of a renewed session). */
static void na_session_uuid_from(unsigned char b[16], char out[NA_SESSION_UUID_LEN])
{
    static const char hex[] = "0123456789abcdef";
    int i, n = 0;

    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out[n++] = '-';
        }
        out[n++] = hex[b[i] >> 4];
        out[n++] = hex[b[i] & 0x0f];
    }
    out[n] = '\0';
}

na_status_t na_session_uuid(char out[NA_SESSION_UUID_LEN])
{
    unsigned char b[16];

    if (na_crypto_random(b, sizeof(b)) != NA_OK) {
        return NA_EINTERNAL;
    }
    na_session_uuid_from(b, out);
    return NA_OK;
}

/* Set a string member; NULL becomes null when `nullable`, else leaves the member out
 * (next-auth keeps null values and drops undefined ones). -1 when val is not UTF-8. */
static int na_session_set_str(json_t *obj, const char *key, const char *val, int nullable)
{
    if (val == NULL) {
        return nullable ? json_object_set_new(obj, key, json_null()) : 0;
    }
    return json_object_set_new(obj, key, json_string(val));
}

/* Members in next-auth's order: name, email, picture, sub, then our provider, id_token,
 * sid and auth_time (where a next-auth app's jwt callback would add its own claims),
 * then the encoder's iat, exp and jti. jansson keeps insertion order when dumping. */
static json_t *na_session_build(const na_session_claims_t *c)
{
    json_t *obj = json_object();

    if (obj == NULL || na_session_set_str(obj, "name", c->name, 1) != 0
        || na_session_set_str(obj, "email", c->email, 1) != 0
        || na_session_set_str(obj, "picture", c->picture, 1) != 0
        || na_session_set_str(obj, "sub", c->sub, 0) != 0
        || na_session_set_str(obj, "provider", c->provider, 0) != 0
        || na_session_set_str(obj, "id_token", c->id_token, 0) != 0
        || na_session_set_str(obj, "sid", c->sid, 0) != 0
        || (c->auth_time && json_object_set_new(obj, "auth_time", json_integer(c->auth_time)) != 0)
        || json_object_set_new(obj, "iat", json_integer(c->iat)) != 0
        || json_object_set_new(obj, "exp", json_integer(c->exp)) != 0
        || na_session_set_str(obj, "jti", c->jti, 0) != 0) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

/* sid and auth_time join a renewed payload only when it has no member of that name
 * (one from next-auth, or from before they existed), after its other members. */
static int na_session_set_stamp(json_t *obj, const na_session_claims_t *c)
{
    if (c->sid && json_object_get(obj, "sid") == NULL
        && json_object_set_new(obj, "sid", json_string(c->sid)) != 0) {
        return -1;
    }
    if (c->auth_time && json_object_get(obj, "auth_time") == NULL
        && json_object_set_new(obj, "auth_time", json_integer(c->auth_time)) != 0) {
        return -1;
    }
    return 0;
}

/* A refresh keeps the decoded payload as it was and renews only iat, exp and jti,
 * as next-auth's default jwt callback hands the whole token back. */
static json_t *na_session_rebuild(const na_session_claims_t *c)
{
    /* A shallow copy: only the top-level times and jti change, the decoded object stays. */
    json_t *obj = c->payload_obj ? json_copy(c->payload_obj)
                                 : json_loads(c->payload, JSON_REJECT_DUPLICATES, NULL);

    if (obj == NULL || !json_is_object(obj)
        || json_object_set_new(obj, "iat", json_integer(c->iat)) != 0
        || json_object_set_new(obj, "exp", json_integer(c->exp)) != 0
        || json_object_set_new(obj, "jti", json_string(c->jti)) != 0
        || na_session_set_stamp(obj, c) != 0) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

/* The sid and auth_time members a renewal adds (na_session_set_stamp) as overrides
 * after iat, exp and jti; returns how many of the two slots it filled. */
static int na_session_stamp_over(apr_pool_t *p, const json_t *obj, const na_session_claims_t *c,
                                 na_json_member_t *over)
{
    char digits[21];
    int n = 0;

    if (c->sid && json_object_get(obj, "sid") == NULL) {
        over[n].key = "sid";
        over[n++].json = apr_pstrcat(p, "\"", c->sid, "\"", NULL);
    }
    if (c->auth_time && json_object_get(obj, "auth_time") == NULL) {
        digits[na_json_int_text(digits, c->auth_time)] = '\0';
        over[n].key = "auth_time";
        over[n++].json = apr_pstrdup(p, digits);
    }
    return n;
}

/* The refresh of a decoded payload, written straight from it with the new iat, exp and
 * jti in their places (na_json_compact); NULL when it needs jansson (a real number). */
static const char *na_session_rewrite(apr_pool_t *p, const na_session_claims_t *c, apr_size_t *len)
{
    char iat[21], exp[21];
    na_json_member_t over[5] = {{"iat", iat}, {"exp", exp}, {"jti", NULL}};
    json_t *obj = c->payload_obj;
    int nover = 3;

    /* Our own jti is a UUID and our sid base64url, which need no escaping; others go to
     * jansson. */
    if (c->jti == NULL || c->jti[strspn(c->jti, "0123456789abcdef-")] != '\0'
        || (c->sid && !na_tokens_sid_valid(c->sid))) {
        return NULL;
    }
    iat[na_json_int_text(iat, c->iat)] = '\0';
    exp[na_json_int_text(exp, c->exp)] = '\0';
    over[2].json = apr_pstrcat(p, "\"", c->jti, "\"", NULL);
    if (obj == NULL && (obj = na_json_load(p, c->payload, strlen(c->payload), 0)) == NULL) {
        return NULL;
    }
    nover += na_session_stamp_over(p, obj, c, over + 3);
    return na_json_compact(p, obj, over, nover, len);
}

static na_status_t na_session_dumps(apr_pool_t *p, const na_session_claims_t *claims,
                                    const char **json, apr_size_t *len)
{
    json_t *obj = claims->payload || claims->payload_obj ? na_session_rebuild(claims)
                                                         : na_session_build(claims);
    char *s;

    if (obj == NULL) {
        return NA_EINPUT;
    }
    s = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (s == NULL) {
        return NA_EINTERNAL;
    }
    *len = strlen(s);
    *json = apr_pstrmemdup(p, s, *len);
    free(s);
    return NA_OK;
}

static na_status_t na_session_json(apr_pool_t *p, const na_session_claims_t *claims,
                                   const char **json, apr_size_t *len)
{
    if (claims->payload || claims->payload_obj) {
        *json = na_session_rewrite(p, claims, len);
        if (*json) {
            return NA_OK;
        }
    }
    return na_session_dumps(p, claims, json, len);
}

na_status_t na_session_claims_json(apr_pool_t *p, const na_session_claims_t *claims,
                                   const char **json)
{
    apr_size_t len;

    return na_session_json(p, claims, json, &len);
}

apr_int64_t na_session_signed_in(const na_session_claims_t *claims, apr_int64_t now)
{
    if (claims->auth_time > 0) {
        return claims->auth_time;
    }
    return (claims->payload || claims->payload_obj) && claims->iat > 0 ? claims->iat : now;
}

/* 1 when the payload being renewed has a member `key`, in whatever shape (or cannot be
 * read, which the renewal then refuses anyway). */
static int na_session_payload_has(apr_pool_t *p, const na_session_claims_t *c, const char *key)
{
    const json_t *obj =
        c->payload_obj ? c->payload_obj : na_json_load(p, c->payload, strlen(c->payload), 0);

    return obj == NULL || json_object_get(obj, key) != NULL;
}

/* The session id and sign-in time of the new token, into c. A fresh token gets a new sid
 * and auth_time = now unless the caller set them. A renewal keeps the payload's; one
 * without them (made by next-auth, or before they existed) gets a new sid and its iat as
 * the sign-in time, the best there is. A member of either name in another shape stays
 * as it is and none is added: a Next.js app may keep the IdP's sid there. */
static na_status_t na_session_stamp(apr_pool_t *p, const na_session_claims_t *claims,
                                    apr_int64_t now, na_session_claims_t *c)
{
    int renewal = claims->payload || claims->payload_obj;

    if (c->sid == NULL && (!renewal || !na_session_payload_has(p, claims, "sid"))
        && na_tokens_sid_new(p, &c->sid) != NA_OK) {
        return NA_EINTERNAL;
    }
    if (c->auth_time <= 0 && (!renewal || !na_session_payload_has(p, claims, "auth_time"))) {
        c->auth_time = na_session_signed_in(claims, now);
    }
    return NA_OK;
}

na_status_t na_session_encode_renewal(apr_pool_t *p, const na_jwe_key_t *key,
                                      const na_session_claims_t *claims, apr_int64_t now,
                                      apr_int64_t max_age, const char **token,
                                      na_session_claims_t *issued, int *seeded)
{
    na_session_claims_t c = *claims;
    unsigned char random[16 + NA_JWE_IV_LEN]; /* the jti, then the IV: one RNG call */
    char jti[NA_SESSION_UUID_LEN];
    const char *json;
    apr_size_t len;
    na_status_t rv;

    *seeded = 0;
    /* A lifetime our own decode would refuse is a configuration bug, not a token. */
    if (max_age <= 0 || max_age > NA_SESSION_MAX_LIFETIME) {
        return NA_EINPUT;
    }
    if (na_crypto_random(random, sizeof(random)) != NA_OK
        || na_session_stamp(p, claims, now, &c) != NA_OK) {
        return NA_EINTERNAL;
    }
    na_session_uuid_from(random, jti);
    c.iat = now;
    c.exp = now + max_age;
    c.jti = jti;
    if ((rv = na_session_json(p, &c, &json, &len)) != NA_OK
        || (rv = na_jwe_encrypt_iv(p, key, random + 16, json, len, token)) != NA_OK) {
        return rv;
    }
    if (claims->payload || claims->payload_obj) {
        *issued = c;
        issued->jti = apr_pstrmemdup(p, jti, NA_SESSION_UUID_LEN - 1);
        issued->payload = json;
        *seeded = 1;
    }
    return NA_OK;
}

na_status_t na_session_encode(apr_pool_t *p, const na_jwe_key_t *key,
                              const na_session_claims_t *claims, apr_int64_t now,
                              apr_int64_t max_age, const char **token)
{
    na_session_claims_t issued;
    int seeded;

    return na_session_encode_renewal(p, key, claims, now, max_age, token, &issued, &seeded);
}

/* Before 4.24.5 next-auth sealed state/PKCE/nonce cookies ({"value", "provider"}) with
 * the session key (GHSA-v64w-49xw-qq89). Our check cookies use their own keys, but a
 * next-auth app of that age sharing the secret could still mint one: never take it for
 * a session. A real session always carries at least one of these members. */
static int na_session_is_check_payload(json_t *obj)
{
    return json_object_get(obj, "value") != NULL && json_object_get(obj, "sub") == NULL
           && json_object_get(obj, "name") == NULL && json_object_get(obj, "email") == NULL
           && json_object_get(obj, "picture") == NULL;
}

/* Our session id and sign-in time. Another shape is not an error but not ours either: a
 * Next.js app may have put the IdP's sid there, and its token stays a session. */
static void na_session_read_stamp(apr_pool_t *p, json_t *obj, na_session_claims_t *c)
{
    const char *sid = NULL;

    if (na_json_get_string(p, obj, "sid", 0, 0, &sid) && sid && na_tokens_sid_valid(sid)) {
        c->sid = sid;
    }
    if (!na_json_get_int(obj, "auth_time", 0, &c->auth_time) || c->auth_time < 0) {
        c->auth_time = 0;
    }
}

static const char *na_session_read_members(apr_pool_t *p, json_t *obj, na_session_claims_t *c)
{
    apr_int64_t nbf;

    if (!na_json_get_string(p, obj, "name", 0, 1, &c->name)
        || !na_json_get_string(p, obj, "email", 0, 1, &c->email)
        || !na_json_get_string(p, obj, "picture", 0, 1, &c->picture)) {
        return "name, email or picture is not a string or null";
    }
    /* next-auth leaves out of /session what the token does not have, and keeps nulls. */
    c->present = (json_object_get(obj, "name") ? NA_CLAIM_NAME : 0)
                 | (json_object_get(obj, "email") ? NA_CLAIM_EMAIL : 0)
                 | (json_object_get(obj, "picture") ? NA_CLAIM_PICTURE : 0);
    if (!na_json_get_string(p, obj, "sub", 0, 0, &c->sub)
        || !na_json_get_string(p, obj, "provider", 0, 0, &c->provider)
        || !na_json_get_string(p, obj, "id_token", 0, 0, &c->id_token)
        || !na_json_get_string(p, obj, "jti", 0, 0, &c->jti)) {
        return "sub, provider, id_token or jti is not a string";
    }
    if (!na_json_get_int(obj, "exp", 1, &c->exp)) {
        return "exp is missing or not an integer";
    }
    if (!na_json_get_int(obj, "iat", 0, &c->iat) || !na_json_get_int(obj, "nbf", 0, &nbf)) {
        return "iat or nbf is not an integer";
    }
    na_session_read_stamp(p, obj, c);
    return NULL;
}

/* The time rules, with next-auth's 15 s tolerance; a far-future exp or a future iat
 * means a forged or broken issuer, so they are input errors, not "expired". */
static na_status_t na_session_check_times(apr_pool_t *p, json_t *obj, const na_session_claims_t *c,
                                          apr_int64_t now, na_err_t *err)
{
    json_t *nbf = json_object_get(obj, "nbf");

    if (c->exp <= now - NA_SESSION_CLOCK_TOLERANCE) {
        return na_err_set(p, err, NA_EEXPIRED, NULL, "session token expired");
    }
    if (c->exp > now + NA_SESSION_MAX_LIFETIME) {
        return na_err_set(p, err, NA_EINPUT, NULL, "session exp is more than 10 years ahead");
    }
    if (c->iat > now + NA_SESSION_CLOCK_TOLERANCE) {
        return na_err_set(p, err, NA_EINPUT, NULL, "session iat is in the future");
    }
    if (nbf && json_integer_value(nbf) > now + NA_SESSION_CLOCK_TOLERANCE) {
        return na_err_set(p, err, NA_EINPUT, NULL, "session nbf is in the future");
    }
    return NA_OK;
}

static apr_status_t na_session_release_obj(void *obj)
{
    json_decref(obj);
    return APR_SUCCESS;
}

static na_status_t na_session_parse(apr_pool_t *p, const na_jwe_plain_t *plain, apr_int64_t now,
                                    na_session_claims_t *out, na_err_t *err)
{
    json_t *obj = json_loadb((const char *)plain->data, plain->len, JSON_REJECT_DUPLICATES, NULL);
    na_session_claims_t c;
    const char *problem = NULL;

    memset(&c, 0, sizeof(c));
    na_status_t rv;

    if (obj == NULL || !json_is_object(obj)) {
        problem = "session payload is not a JSON object";
    }
    else if (na_session_is_check_payload(obj)) {
        problem = "payload is a check cookie's, not a session";
    }
    else {
        problem = na_session_read_members(p, obj, &c);
    }
    rv = problem ? na_err_set(p, err, NA_EINPUT, NULL, "%s", problem)
                 : na_session_check_times(p, obj, &c, now, err);
    if (rv != NA_OK) {
        json_decref(obj);
        return rv;
    }
    c.payload = apr_pstrmemdup(p, (const char *)plain->data, plain->len);
    c.payload_obj = obj;
    apr_pool_cleanup_register(p, obj, na_session_release_obj, apr_pool_cleanup_null);
    *out = c;
    return NA_OK;
}

na_status_t na_session_decode(apr_pool_t *p, const na_jwe_key_t *keys, int nkeys, const char *token,
                              apr_int64_t now, na_session_claims_t *claims, int *key_index,
                              na_err_t *err)
{
    na_jwe_plain_t plain;
    na_status_t rv = NA_EINPUT;
    int i;

    if (nkeys <= 0) {
        return na_err_set(p, err, NA_EINPUT, NULL, "no session keys");
    }
    /* Secret rotation: the first key that opens the token wins. An oversize token fails
     * the same way under every key, so stop there. */
    for (i = 0; i < nkeys; i++) {
        rv = na_jwe_decrypt(p, &keys[i], token, &plain, err);
        if (rv == NA_OK || rv == NA_ETOOBIG) {
            break;
        }
    }
    if (rv != NA_OK) {
        return rv;
    }
    rv = na_session_parse(p, &plain, now, claims, err);
    if (rv == NA_OK && key_index) {
        *key_index = i;
    }
    return rv;
}
