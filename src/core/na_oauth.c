/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include <apr_lib.h>

#include "na_b64.h"
#include "na_crypto.h"
#include "na_json.h"
#include "na_oauth.h"
#include "na_session.h"
#include "na_url.h"

/* One query parameter of the authorization URL; a NULL name is a removed duplicate. */
typedef struct na_oauth_param_t {
    const char *name;
    const char *value;
} na_oauth_param_t;

/* The parameters only we may set: the query of a sign-in POST is attacker-chosen (a
 * link can carry it), and replacing any of these would defeat a check or send the code
 * elsewhere. */
static const char *const na_oauth_protected[] = {
    "client_id",      "redirect_uri",          "response_type", "state",
    "code_challenge", "code_challenge_method", "nonce",         NULL};

/* ---- checks ---------------------------------------------------------------------------- */

na_status_t na_oauth_random(apr_pool_t *p, const char **out)
{
    unsigned char b[NA_OAUTH_RANDOM_BYTES];

    if (na_crypto_random(b, sizeof(b)) != NA_OK) {
        return NA_EINTERNAL;
    }
    *out = na_b64_encode(p, b, sizeof(b));
    na_crypto_cleanse(b, sizeof(b));
    return NA_OK;
}

const char *na_oauth_pkce_challenge(apr_pool_t *p, const char *verifier)
{
    unsigned char h[NA_SHA256_LEN];

    if (na_crypto_sha256_2(verifier, strlen(verifier), "", 0, h) != NA_OK) {
        return NULL;
    }
    return na_b64_encode(p, h, sizeof(h));
}

na_status_t na_oauth_checks_new(apr_pool_t *p, unsigned which, na_oauth_checks_t *out)
{
    memset(out, 0, sizeof(*out));
    if (((which & NA_CHECK_STATE) && na_oauth_random(p, &out->state) != NA_OK)
        || ((which & NA_CHECK_PKCE) && na_oauth_random(p, &out->code_verifier) != NA_OK)
        || ((which & NA_CHECK_NONCE) && na_oauth_random(p, &out->nonce) != NA_OK)) {
        return NA_EINTERNAL;
    }
    return NA_OK;
}

/* ---- authorization URL ----------------------------------------------------------------- */

/* URLSearchParams' serialisation (application/x-www-form-urlencoded) with the space as
 * %20, which is what openid-client's authorizationUrl produces. */
static char *na_oauth_query_encode(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(p, 3 * strlen(s) + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (apr_isalnum(c) || c == '*' || c == '-' || c == '.' || c == '_') {
            *o++ = (char)c;
        }
        else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

/* searchParams.set: replace the first `name` where it stands and drop any later ones,
 * or append. */
static void na_oauth_param_set(apr_array_header_t *params, const char *name, const char *value)
{
    int i, found = 0;

    for (i = 0; i < params->nelts; i++) {
        na_oauth_param_t *prm = &APR_ARRAY_IDX(params, i, na_oauth_param_t);
        if (prm->name == NULL || strcmp(prm->name, name) != 0) {
            continue;
        }
        if (found) {
            prm->name = NULL;
        }
        else {
            prm->value = value;
            found = 1;
        }
    }
    if (!found) {
        na_oauth_param_t *prm = apr_array_push(params);
        prm->name = name;
        prm->value = value;
    }
}

/* The pairs of the endpoint's own query, decoded; 0 when its encoding is malformed. */
static int na_oauth_parse_query(apr_pool_t *p, const char *query, apr_array_header_t *params)
{
    char *copy = apr_pstrdup(p, query), *pair, *last;

    for (pair = apr_strtok(copy, "&", &last); pair; pair = apr_strtok(NULL, "&", &last)) {
        char *eq = strchr(pair, '=');
        na_oauth_param_t *prm = apr_array_push(params);
        if (eq) {
            *eq = '\0';
        }
        prm->name = na_url_decode(p, pair, 1);
        prm->value = na_url_decode(p, eq ? eq + 1 : "", 1);
        if (prm->name == NULL || prm->value == NULL) {
            return 0;
        }
    }
    return 1;
}

static int na_oauth_is_protected(const char *name)
{
    int i;

    for (i = 0; na_oauth_protected[i]; i++) {
        if (strcmp(na_oauth_protected[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

static int na_oauth_add_extra(void *ctx, const char *name, const char *value)
{
    if (*name && !na_oauth_is_protected(name)) {
        na_oauth_param_set(ctx, name, value);
    }
    return 1;
}

/* client_id, scope, response_type, redirect_uri, the extras, then the checks: the order
 * of openid-client's authorizationParams over next-auth's merged params. */
static void na_oauth_set_params(apr_pool_t *p, const na_oauth_authorize_t *in,
                                apr_array_header_t *params)
{
    const na_provider_t *prov = in->provider;
    const na_oauth_checks_t *ck = in->checks;
    const char *scope = prov->scope && *prov->scope      ? prov->scope
                        : prov->kind == NA_PROVIDER_OIDC ? "openid"
                                                         : NULL;

    na_oauth_param_set(params, "client_id", prov->client_id);
    if (scope) {
        na_oauth_param_set(params, "scope", scope);
    }
    na_oauth_param_set(params, "response_type", "code");
    na_oauth_param_set(params, "redirect_uri", in->redirect_uri);
    if (in->extra) {
        apr_table_do(na_oauth_add_extra, params, in->extra, NULL);
    }
    if (ck && ck->state) {
        na_oauth_param_set(params, "state", ck->state);
    }
    if (ck && ck->code_verifier) {
        na_oauth_param_set(params, "code_challenge", na_oauth_pkce_challenge(p, ck->code_verifier));
        na_oauth_param_set(params, "code_challenge_method", "S256");
    }
    if (ck && ck->nonce) {
        na_oauth_param_set(params, "nonce", ck->nonce);
    }
}

static const char *na_oauth_join(apr_pool_t *p, const char *base, apr_array_header_t *params)
{
    const char *url = base;
    char sep = '?';
    int i;

    for (i = 0; i < params->nelts; i++) {
        na_oauth_param_t *prm = &APR_ARRAY_IDX(params, i, na_oauth_param_t);
        if (prm->name == NULL) {
            continue;
        }
        url = apr_psprintf(p, "%s%c%s=%s", url, sep, na_oauth_query_encode(p, prm->name),
                           na_oauth_query_encode(p, prm->value));
        sep = '&';
    }
    return url;
}

na_status_t na_oauth_authorize_url(apr_pool_t *p, const na_oauth_authorize_t *in, const char **url,
                                   na_err_t *err)
{
    const char *ep = in->endpoint, *q;
    apr_array_header_t *params = apr_array_make(p, 16, sizeof(na_oauth_param_t));
    char *base;

    if (ep == NULL || (strncasecmp(ep, "https://", 8) != 0 && strncasecmp(ep, "http://", 7) != 0)) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_SIGNIN,
                          "provider %s: authorization endpoint is not an http(s) URL",
                          in->provider->id);
    }
    if (!in->provider->client_id || !*in->provider->client_id || !in->redirect_uri
        || !*in->redirect_uri) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_SIGNIN,
                          "provider %s: no client id or redirect_uri", in->provider->id);
    }
    base = apr_pstrmemdup(p, ep, strcspn(ep, "#"));
    q = strchr(base, '?');
    if (q && !na_oauth_parse_query(p, q + 1, params)) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_SIGNIN,
                          "provider %s: authorization endpoint query is malformed",
                          in->provider->id);
    }
    if (q) {
        base[q - base] = '\0';
    }
    na_oauth_set_params(p, in, params);
    *url = na_oauth_join(p, base, params);
    return NA_OK;
}

/* ---- check cookies --------------------------------------------------------------------- */

/* next-auth's signCookie payload {value, provider}, then jwt encode's iat, exp and jti,
 * in that order. */
na_status_t na_oauth_check_encode(apr_pool_t *p, const na_oauth_check_ctx_t *ctx, const char *value,
                                  const char **token)
{
    char jti[NA_SESSION_UUID_LEN];
    json_t *obj;
    char *json;
    na_status_t rv;

    if (!value || !*value || !ctx->provider || !*ctx->provider || ctx->nkeys < 1) {
        return NA_EINPUT;
    }
    if (na_session_uuid(jti) != NA_OK) {
        return NA_EINTERNAL;
    }
    obj = json_object();
    if (obj == NULL || json_object_set_new(obj, "value", json_string(value)) != 0
        || json_object_set_new(obj, "provider", json_string(ctx->provider)) != 0
        || json_object_set_new(obj, "iat", json_integer(ctx->now)) != 0
        || json_object_set_new(obj, "exp", json_integer(ctx->now + NA_OAUTH_CHECK_MAX_AGE)) != 0
        || json_object_set_new(obj, "jti", json_string(jti)) != 0) {
        json_decref(obj);
        return NA_EINPUT; /* json_string refuses a value that is not UTF-8 */
    }
    json = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (json == NULL) {
        return NA_EINTERNAL;
    }
    rv = na_jwe_encrypt(p, &ctx->keys[0], json, strlen(json), token);
    free(json);
    return rv;
}

static na_status_t na_oauth_check_times(apr_pool_t *p, json_t *obj, apr_int64_t now, na_err_t *err)
{
    apr_int64_t exp, iat;

    if (!na_json_get_int(obj, "exp", 1, &exp) || !na_json_get_int(obj, "iat", 0, &iat)) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK,
                          "check cookie: exp missing, or exp or iat not an integer");
    }
    if (exp <= now - NA_OAUTH_CHECK_TOLERANCE) {
        return na_err_set(p, err, NA_EEXPIRED, NA_OAUTH_ERR_CALLBACK, "check cookie expired");
    }
    /* We and next-auth only issue 15-minute cookies: a longer one was not made by us. */
    if (exp > now + NA_OAUTH_CHECK_MAX_AGE + NA_OAUTH_CHECK_TOLERANCE
        || iat > now + NA_OAUTH_CHECK_TOLERANCE) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK,
                          "check cookie: exp too far ahead or iat in the future");
    }
    return NA_OK;
}

static na_status_t na_oauth_check_payload(apr_pool_t *p, const na_oauth_check_ctx_t *ctx,
                                          json_t *obj, const char **value, na_err_t *err)
{
    json_t *v = json_object_get(obj, "value"), *prov = json_object_get(obj, "provider");
    na_status_t rv;

    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > NA_MAX_PARAM) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK,
                          "check cookie: value missing, empty or too long");
    }
    if ((rv = na_oauth_check_times(p, obj, ctx->now, err)) != NA_OK) {
        return rv;
    }
    /* next-auth before 4.24.15 minted cookies without a provider; they are refused too. */
    if (!json_is_string(prov)) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK,
                          "check cookie: no provider in the payload");
    }
    /* Bound to the provider it was minted for (GHSA-x445-f3h2-j279: provider mix-up). */
    if (strcmp(json_string_value(prov), ctx->provider) != 0) {
        return na_err_set(p, err, NA_EDENIED, NA_OAUTH_ERR_CALLBACK,
                          "check cookie was created for provider '%s', not '%s'",
                          na_http_log_safe(p, json_string_value(prov), 64), ctx->provider);
    }
    *value = apr_pstrmemdup(p, json_string_value(v), json_string_length(v));
    return NA_OK;
}

na_status_t na_oauth_check_decode(apr_pool_t *p, const na_oauth_check_ctx_t *ctx, const char *token,
                                  const char **value, na_err_t *err)
{
    na_jwe_plain_t plain;
    na_status_t rv = NA_EINPUT;
    json_t *obj;
    int i;

    if (ctx->nkeys < 1 || token == NULL) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK,
                          "check cookie: no token or key");
    }
    for (i = 0; i < ctx->nkeys; i++) {
        rv = na_jwe_decrypt(p, &ctx->keys[i], token, &plain, err);
        if (rv == NA_OK || rv == NA_ETOOBIG) {
            break;
        }
    }
    if (rv != NA_OK) {
        return na_err_set(p, err, rv, NA_OAUTH_ERR_CALLBACK, "check cookie: %s",
                          err && err->detail ? err->detail : "not readable");
    }
    obj = json_loadb((const char *)plain.data, plain.len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(obj)) {
        rv = na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK,
                        "check cookie: payload is not a JSON object");
    }
    else {
        rv = na_oauth_check_payload(p, ctx, obj, value, err);
    }
    json_decref(obj);
    return rv;
}
