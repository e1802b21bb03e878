/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include <jansson.h>

#include "na_crypto.h"
#include "na_idtoken.h"
#include "na_json.h"
#include "na_oauth.h"

/* A string claim equal to `want`; 0 when absent, of another type or different. */
static int na_idtoken_str_is(json_t *claims, const char *name, const char *want)
{
    json_t *v = json_object_get(claims, name);

    return json_is_string(v) && json_string_length(v) == strlen(want)
           && memcmp(json_string_value(v), want, json_string_length(v)) == 0;
}

static na_status_t na_idtoken_check_iss(apr_pool_t *p, json_t *claims,
                                        const na_idtoken_expect_t *expect, na_err_t *err)
{
    /* Exact match, no trailing-slash leniency: the mix-up defence depends on it. */
    if (!na_idtoken_str_is(claims, "iss", expect->issuer)) {
        return na_err_set(p, err, NA_EINPUT, NA_IDTOKEN_ERROR, "ID token iss is not '%s'",
                          expect->issuer);
    }
    return NA_OK;
}

/* 1 when every element is a string and one of them is client_id. */
static int na_idtoken_aud_holds(json_t *aud, const char *client_id)
{
    apr_size_t i;
    int found = 0;

    for (i = 0; i < json_array_size(aud); i++) {
        json_t *v = json_array_get(aud, i);
        if (!json_is_string(v)) {
            return 0;
        }
        found |= strlen(client_id) == json_string_length(v)
                 && memcmp(json_string_value(v), client_id, json_string_length(v)) == 0;
    }
    return found;
}

/* openid-client asks for azp only when aud lists several audiences; we ask for it with any
 * array (SPEC §16), so a token minted for a list of parties is never taken as ours alone. */
static na_status_t na_idtoken_check_aud(apr_pool_t *p, json_t *claims,
                                        const na_idtoken_expect_t *expect, na_err_t *err)
{
    json_t *aud = json_object_get(claims, "aud"), *azp = json_object_get(claims, "azp");

    if (json_is_array(aud) && !na_idtoken_aud_holds(aud, expect->client_id)) {
        return na_err_set(p, err, NA_EINPUT, NA_IDTOKEN_ERROR,
                          "ID token aud array does not hold the client_id");
    }
    if (!json_is_array(aud) && !na_idtoken_str_is(claims, "aud", expect->client_id)) {
        return na_err_set(p, err, NA_EINPUT, NA_IDTOKEN_ERROR, "ID token aud is not the client_id");
    }
    if (json_is_array(aud) && azp == NULL) {
        return na_err_set(p, err, NA_EINPUT, NA_IDTOKEN_ERROR,
                          "ID token aud is an array and azp is missing");
    }
    if (azp != NULL && !na_idtoken_str_is(claims, "azp", expect->client_id)) {
        return na_err_set(p, err, NA_EINPUT, NA_IDTOKEN_ERROR, "ID token azp is not the client_id");
    }
    return NA_OK;
}

/* openid-client's rules with its 10 s tolerance: expired when now - tol >= exp; not yet
 * valid when nbf > now + tol. It does not look at iat's value; OIDC Core §3.1.3.7 item 10
 * lets the client refuse an iat "too far away", and one in the future is refused here. */
static na_status_t na_idtoken_check_times(apr_pool_t *p, json_t *claims,
                                          const na_idtoken_expect_t *expect,
                                          na_idtoken_claims_t *out, na_err_t *err)
{
    apr_int64_t nbf;

    if (!na_json_get_int(claims, "exp", 1, &out->exp)
        || !na_json_get_int(claims, "iat", 1, &out->iat)
        || !na_json_get_int(claims, "nbf", 0, &nbf)) {
        return na_err_set(p, err, NA_EINPUT, NA_IDTOKEN_ERROR,
                          "ID token exp or iat missing, or a time is not an integer");
    }
    if (expect->now - expect->tolerance >= out->exp) {
        return na_err_set(p, err, NA_EEXPIRED, NA_IDTOKEN_ERROR,
                          "ID token expired at %" APR_INT64_T_FMT ", now %" APR_INT64_T_FMT,
                          out->exp, expect->now);
    }
    if (out->iat > expect->now + expect->tolerance || nbf > expect->now + expect->tolerance) {
        return na_err_set(p, err, NA_EINPUT, NA_IDTOKEN_ERROR,
                          "ID token iat or nbf in the future, now %" APR_INT64_T_FMT, expect->now);
    }
    return NA_OK;
}

static na_status_t na_idtoken_check_nonce(apr_pool_t *p, json_t *claims,
                                          const na_idtoken_expect_t *expect, na_err_t *err)
{
    json_t *v = json_object_get(claims, "nonce");

    if (expect->nonce == NULL) {
        return NA_OK;
    }
    /* A missing nonce is a failure: stripping it must not skip the check (GHSA-7r7x-4c4q-c4qf
     * is the same bug for the cookies). */
    if (!json_is_string(v)
        || !na_crypto_ct_equal(json_string_value(v), json_string_length(v), expect->nonce,
                               strlen(expect->nonce))) {
        return na_err_set(p, err, NA_EINPUT, NA_IDTOKEN_ERROR,
                          "ID token nonce missing or different");
    }
    return NA_OK;
}

/* A string claim copied into p; NULL when absent or of another type. */
static const char *na_idtoken_opt_str(apr_pool_t *p, json_t *claims, const char *name)
{
    json_t *v = json_object_get(claims, name);

    return json_is_string(v) ? apr_pstrmemdup(p, json_string_value(v), json_string_length(v))
                             : NULL;
}

static na_status_t na_idtoken_fill(apr_pool_t *p, json_t *claims, na_idtoken_claims_t *out,
                                   na_err_t *err)
{
    out->sub = na_idtoken_opt_str(p, claims, "sub");
    if (out->sub == NULL || out->sub[0] == '\0') {
        return na_err_set(p, err, NA_EINPUT, NA_IDTOKEN_ERROR,
                          "ID token sub missing, empty or not a string");
    }
    out->name = na_idtoken_opt_str(p, claims, "name");
    out->email = na_idtoken_opt_str(p, claims, "email");
    out->picture = na_idtoken_opt_str(p, claims, "picture");
    out->preferred_username = na_idtoken_opt_str(p, claims, "preferred_username");
    out->sid = na_idtoken_opt_str(p, claims, "sid");
    out->email_verified = na_oauth_claim_bool(claims, "email_verified");
    return NA_OK;
}

na_status_t na_idtoken_check(apr_pool_t *p, const na_jws_verified_t *token,
                             const na_idtoken_expect_t *expect, na_idtoken_claims_t *out,
                             na_err_t *err)
{
    /* The payload came from a response already held to its resp_limit. */
    json_t *claims = na_json_load(p, token->payload, token->len, NA_HTTP_MAX_RESP_LIMIT);
    na_idtoken_claims_t c;
    na_status_t rv;

    memset(&c, 0, sizeof(c));
    if (expect->issuer == NULL || expect->client_id == NULL) {
        rv = na_err_set(p, err, NA_EINTERNAL, NA_IDTOKEN_ERROR,
                        "no issuer or client_id known to check the ID token against");
    }
    else if (!json_is_object(claims)) {
        rv = na_err_set(p, err, NA_EINPUT, NA_IDTOKEN_ERROR,
                        "ID token payload is not a JSON object (or repeats a member)");
    }
    else if ((rv = na_idtoken_check_iss(p, claims, expect, err)) == NA_OK
             && (rv = na_idtoken_check_aud(p, claims, expect, err)) == NA_OK
             && (rv = na_idtoken_check_times(p, claims, expect, &c, err)) == NA_OK
             && (rv = na_idtoken_check_nonce(p, claims, expect, err)) == NA_OK
             && (rv = na_idtoken_fill(p, claims, &c, err)) == NA_OK) {
        c.json = apr_pstrmemdup(p, token->payload, token->len);
        *out = c;
    }
    return rv;
}
