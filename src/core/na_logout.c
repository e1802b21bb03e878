/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "na_b64.h"
#include "na_json.h"
#include "na_logout.h"

/* The longest jti, sub and sid of a logout token, in bytes. */
#define NA_LOGOUT_MAX_CLAIM 256

/* A JSON value that is the string `want` exactly. */
static int na_logout_json_is(const json_t *v, const char *want)
{
    return json_is_string(v) && json_string_length(v) == strlen(want)
           && memcmp(json_string_value(v), want, json_string_length(v)) == 0;
}

/* The payload as an object; NULL for anything else (duplicate members included). The
 * payload came out of a token held to NA_JWS_MAX_TOKEN characters. */
static json_t *na_logout_load(apr_pool_t *p, const na_jws_verified_t *token)
{
    json_t *claims = na_json_load(p, token->payload, token->len, NA_JWS_MAX_TOKEN);

    return json_is_object(claims) ? claims : NULL;
}

/* 1 when aud is a string, or an array of strings only, and names one of the n wanted. */
static int na_logout_aud_names(const json_t *aud, const char *const *want, int n)
{
    apr_size_t i;
    int k, found = 0;

    if (json_is_string(aud)) {
        for (k = 0; k < n; k++) {
            found |= na_logout_json_is(aud, want[k]);
        }
        return found;
    }
    if (!json_is_array(aud)) {
        return 0;
    }
    for (i = 0; i < json_array_size(aud); i++) {
        json_t *v = json_array_get(aud, i);
        if (!json_is_string(v)) {
            return 0;
        }
        found |= na_logout_aud_names(v, want, n);
    }
    return found;
}

/* ---- the logout token (Back-Channel Logout 1.0 §2.4, §2.6) -------------------------- */

static int na_logout_typ_ok(const char *typ)
{
    return typ == NULL || strcasecmp(typ, "logout+jwt") == 0 || strcasecmp(typ, "JWT") == 0;
}

static na_status_t na_logout_check_times(apr_pool_t *p, const json_t *claims,
                                         const na_logout_expect_t *expect, na_logout_claims_t *out,
                                         na_err_t *err)
{
    if (!na_json_get_int(claims, "iat", 1, &out->iat)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "logout token: iat missing or not an integer");
    }
    if (!na_json_get_int(claims, "exp", 0, &out->exp)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "logout token: exp not an integer");
    }
    if (out->iat > expect->now + expect->tolerance) {
        return na_err_set(p, err, NA_EINPUT, NULL, "logout token: iat in the future");
    }
    if (out->iat < expect->now - expect->max_age - expect->tolerance) {
        return na_err_set(p, err, NA_EEXPIRED, NULL, "logout token: iat too old");
    }
    if (json_object_get(claims, "exp") != NULL && out->exp <= expect->now - expect->tolerance) {
        return na_err_set(p, err, NA_EEXPIRED, NULL, "logout token: expired");
    }
    return NA_OK;
}

/* A string claim that must be non-empty and short when present; *out NULL when absent. */
static int na_logout_short_string(apr_pool_t *p, const json_t *claims, const char *name,
                                  const char **out)
{
    if (!na_json_get_string(p, claims, name, 0, 0, out)) {
        return 0;
    }
    return *out == NULL || (**out != '\0' && strlen(*out) <= NA_LOGOUT_MAX_CLAIM);
}

/* §2.4: the events member that makes this a logout token, and no nonce, so an ID token
 * (which carries one) cannot be replayed as a logout token. */
static na_status_t na_logout_check_kind(apr_pool_t *p, const json_t *claims, na_err_t *err)
{
    const json_t *events = json_object_get(claims, "events");

    if (!json_is_object(events)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "logout token: events missing or not an object");
    }
    if (!json_is_object(json_object_get(events, NA_LOGOUT_EVENT))) {
        return na_err_set(p, err, NA_EINPUT, NULL,
                          "logout token: events has no back-channel logout object");
    }
    if (json_object_get(claims, "nonce") != NULL) {
        return na_err_set(p, err, NA_EINPUT, NULL, "logout token: nonce present");
    }
    return NA_OK;
}

static na_status_t na_logout_fill(apr_pool_t *p, const json_t *claims, na_logout_claims_t *out,
                                  na_err_t *err)
{
    if (!na_logout_short_string(p, claims, "jti", &out->jti) || out->jti == NULL) {
        return na_err_set(p, err, NA_EINPUT, NULL,
                          "logout token: jti missing, empty, too long or not a string");
    }
    if (!na_logout_short_string(p, claims, "sub", &out->sub)
        || !na_logout_short_string(p, claims, "sid", &out->sid)) {
        return na_err_set(p, err, NA_EINPUT, NULL,
                          "logout token: sub or sid empty, too long or not a string");
    }
    if (out->sub == NULL && out->sid == NULL) {
        return na_err_set(p, err, NA_EINPUT, NULL, "logout token: neither sub nor sid");
    }
    return NA_OK;
}

static na_status_t na_logout_check_parties(apr_pool_t *p, const json_t *claims,
                                           const na_logout_expect_t *expect, na_err_t *err)
{
    if (!na_logout_json_is(json_object_get(claims, "iss"), expect->issuer)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "logout token: iss is not the issuer");
    }
    if (!na_logout_aud_names(json_object_get(claims, "aud"), &expect->client_id, 1)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "logout token: aud does not name the client_id");
    }
    return NA_OK;
}

na_status_t na_logout_check(apr_pool_t *p, const na_jws_verified_t *token, const char *typ,
                            const na_logout_expect_t *expect, na_logout_claims_t *out,
                            na_err_t *err)
{
    na_logout_claims_t c;
    json_t *claims;
    na_status_t rv;

    memset(&c, 0, sizeof(c));
    if (expect->issuer == NULL || expect->client_id == NULL) {
        return na_err_set(p, err, NA_EINTERNAL, NULL,
                          "logout token: no issuer or client_id to check it against");
    }
    if (!na_logout_typ_ok(typ)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "logout token: typ is not logout+jwt");
    }
    if ((claims = na_logout_load(p, token)) == NULL) {
        return na_err_set(p, err, NA_EINPUT, NULL,
                          "logout token: payload is not a JSON object (or repeats a member)");
    }
    if ((rv = na_logout_check_parties(p, claims, expect, err)) == NA_OK
        && (rv = na_logout_check_times(p, claims, expect, &c, err)) == NA_OK
        && (rv = na_logout_check_kind(p, claims, err)) == NA_OK
        && (rv = na_logout_fill(p, claims, &c, err)) == NA_OK) {
        *out = c;
    }
    return rv;
}

/* ---- the JWT access token (RFC 9068 §4) --------------------------------------------- */

/* RFC 9068 §4: typ must be at+jwt (RFC 8725 §3.11's explicit typing), so an ID token,
 * typed JWT or untyped, cannot stand in for an access token. */
static int na_bearer_typ_ok(const char *typ)
{
    return typ != NULL
           && (strcasecmp(typ, "at+jwt") == 0 || strcasecmp(typ, "application/at+jwt") == 0);
}

static na_status_t na_bearer_check_parties(apr_pool_t *p, const json_t *claims,
                                           const na_bearer_expect_t *expect, na_err_t *err)
{
    const char *const *want = (const char *const *)expect->audiences->elts;

    if (!na_logout_json_is(json_object_get(claims, "iss"), expect->issuer)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "access token: iss is not the issuer");
    }
    if (!na_logout_aud_names(json_object_get(claims, "aud"), want, expect->audiences->nelts)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "access token: aud does not name this resource");
    }
    return NA_OK;
}

static na_status_t na_bearer_check_times(apr_pool_t *p, const json_t *claims,
                                         const na_bearer_expect_t *expect, na_bearer_claims_t *out,
                                         na_err_t *err)
{
    apr_int64_t nbf, iat;

    if (!na_json_get_int(claims, "exp", 1, &out->exp)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "access token: exp missing or not an integer");
    }
    if (!na_json_get_int(claims, "nbf", 0, &nbf) || !na_json_get_int(claims, "iat", 0, &iat)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "access token: nbf or iat not an integer");
    }
    if (out->exp <= expect->now - expect->tolerance) {
        return na_err_set(p, err, NA_EEXPIRED, NULL, "access token: expired");
    }
    if (nbf > expect->now + expect->tolerance || iat > expect->now + expect->tolerance) {
        return na_err_set(p, err, NA_EINPUT, NULL, "access token: nbf or iat in the future");
    }
    return NA_OK;
}

/* A string claim copied into p; NULL when absent or of another type. */
static const char *na_bearer_opt_str(apr_pool_t *p, const json_t *claims, const char *name)
{
    const json_t *v = json_object_get(claims, name);

    return json_is_string(v) ? apr_pstrmemdup(p, json_string_value(v), json_string_length(v))
                             : NULL;
}

static na_status_t na_bearer_fill(apr_pool_t *p, const json_t *claims,
                                  const na_jws_verified_t *token, na_bearer_claims_t *out,
                                  na_err_t *err)
{
    out->sub = na_bearer_opt_str(p, claims, "sub");
    if (out->sub == NULL || out->sub[0] == '\0') {
        return na_err_set(p, err, NA_EINPUT, NULL,
                          "access token: sub missing, empty or not a string");
    }
    out->email = na_bearer_opt_str(p, claims, "email");
    out->client_id = na_bearer_opt_str(p, claims, "client_id");
    out->scope = na_bearer_opt_str(p, claims, "scope");
    out->json = apr_pstrmemdup(p, token->payload, token->len);
    return NA_OK;
}

na_status_t na_bearer_check(apr_pool_t *p, const na_jws_verified_t *token, const char *typ,
                            const na_bearer_expect_t *expect, na_bearer_claims_t *out,
                            na_err_t *err)
{
    na_bearer_claims_t c;
    json_t *claims;
    na_status_t rv;

    memset(&c, 0, sizeof(c));
    if (expect->issuer == NULL || expect->audiences == NULL || expect->audiences->nelts == 0) {
        return na_err_set(p, err, NA_EINTERNAL, NULL,
                          "access token: no issuer or audience to check it against");
    }
    if (!na_bearer_typ_ok(typ)) {
        return na_err_set(p, err, NA_EINPUT, NULL, "access token: typ is not at+jwt");
    }
    if ((claims = na_logout_load(p, token)) == NULL) {
        return na_err_set(p, err, NA_EINPUT, NULL,
                          "access token: payload is not a JSON object (or repeats a member)");
    }
    if ((rv = na_bearer_check_parties(p, claims, expect, err)) == NA_OK
        && (rv = na_bearer_check_times(p, claims, expect, &c, err)) == NA_OK
        && (rv = na_bearer_fill(p, claims, token, &c, err)) == NA_OK) {
        *out = c;
    }
    return rv;
}

/* ---- the header's typ ---------------------------------------------------------------- */

/* A typ of another type than string is not "no typ": "" is returned for it, which both
 * checks refuse, so {"typ":5} cannot pass as an untyped logout token. */
const char *na_jws_header_typ(apr_pool_t *p, const char *token)
{
    const char *dot = token ? strchr(token, '.') : NULL;
    unsigned char *text;
    apr_size_t len;
    const json_t *header, *typ;

    if (dot == NULL || (apr_size_t)(dot - token) > NA_JWS_MAX_TOKEN
        || na_b64_decode(p, token, (apr_size_t)(dot - token), &text, &len) != NA_OK
        || (header = na_json_load(p, (const char *)text, len, NA_JWS_MAX_TOKEN)) == NULL) {
        return NULL;
    }
    typ = json_object_get(header, "typ");
    if (typ == NULL) {
        return NULL;
    }
    return json_is_string(typ) ? apr_pstrmemdup(p, json_string_value(typ), json_string_length(typ))
                               : "";
}
