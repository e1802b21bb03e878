/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stddef.h>
#include <string.h>

#include <apr_lib.h>

#include "na_json.h"
#include "na_oauth.h"

/* Longest timeout= honoured, so the milliseconds cannot overflow a long. */
#define NA_OAUTH_MAX_TIMEOUT 3600
#define NA_OAUTH_MAX_URL 2048

/* A request to the provider with its timeout= as the total timeout. */
static void na_oauth_http_init(const na_provider_t *prov, int method, const char *url,
                               na_http_request_t *out)
{
    na_http_request_init(out, method, url);
    if (prov && prov->timeout > 0) {
        apr_int64_t secs =
            prov->timeout > NA_OAUTH_MAX_TIMEOUT ? NA_OAUTH_MAX_TIMEOUT : prov->timeout;
        out->timeout_ms = (long)secs * 1000;
        if (out->connect_timeout_ms > out->timeout_ms) {
            out->connect_timeout_ms = out->timeout_ms;
        }
    }
}

/* ---- token endpoint -------------------------------------------------------------------- */

/* A POST of form to the token endpoint with the client's authentication: client_id and
 * client_secret appended to the form for client_secret_post, basic credentials otherwise.
 * Shared by the code exchange and the refresh grant, so both authenticate alike. */
static void na_oauth_token_post(apr_pool_t *p, const na_oauth_token_req_t *in, const char *form,
                                na_http_request_t *out)
{
    const na_provider_t *prov = in->provider;
    const char *secret = prov->client_secret ? prov->client_secret : "";

    if (in->auth_method == NA_OAUTH_AUTH_POST) {
        na_http_form_add(p, &form, "client_id", prov->client_id);
        na_http_form_add(p, &form, "client_secret", secret);
    }
    na_oauth_http_init(prov, NA_HTTP_POST, in->endpoint, out);
    out->body = form;
    /* GitHub answers application/x-www-form-urlencoded unless JSON is asked for. */
    out->accept = "application/json";
    if (in->auth_method != NA_OAUTH_AUTH_POST) {
        out->basic_user = prov->client_id;
        out->basic_password = secret;
    }
}

na_status_t na_oauth_token_request(apr_pool_t *p, const na_oauth_token_req_t *in,
                                   na_http_request_t *out, na_err_t *err)
{
    const na_provider_t *prov = in->provider;
    const char *form = NULL;

    if (!in->code || !*in->code || !in->redirect_uri || !in->endpoint || !prov->client_id) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_CALLBACK,
                          "provider %s: no code, redirect_uri, token endpoint or client id",
                          prov->id);
    }
    na_http_form_add(p, &form, "grant_type", "authorization_code");
    na_http_form_add(p, &form, "code", in->code);
    na_http_form_add(p, &form, "redirect_uri", in->redirect_uri);
    if (in->code_verifier) {
        na_http_form_add(p, &form, "code_verifier", in->code_verifier);
    }
    na_oauth_token_post(p, in, form, out);
    return NA_OK;
}

na_status_t na_oauth_refresh_request(apr_pool_t *p, const na_oauth_token_req_t *in,
                                     const char *refresh_token, na_http_request_t *out,
                                     na_err_t *err)
{
    const na_provider_t *prov = in->provider;
    const char *form = NULL;

    if (!refresh_token || !*refresh_token || !in->endpoint || !prov->client_id) {
        return na_err_set(p, err, NA_EINPUT, NA_OAUTH_ERR_REFRESH,
                          "provider %s: no refresh token, token endpoint or client id", prov->id);
    }
    na_http_form_add(p, &form, "grant_type", "refresh_token");
    na_http_form_add(p, &form, "refresh_token", refresh_token);
    na_oauth_token_post(p, in, form, out);
    return NA_OK;
}

/* scope as a string, or an array of strings joined with spaces (SPEC §9). */
static int na_oauth_scope(apr_pool_t *p, json_t *obj, const char **out)
{
    json_t *v = json_object_get(obj, "scope"), *item;
    const char *joined = NULL;
    size_t i;

    if (!json_is_array(v)) {
        return na_json_get_string(p, obj, "scope", 0, 1, out);
    }
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item)) {
            return 0;
        }
        joined = joined ? apr_pstrcat(p, joined, " ", json_string_value(item), NULL)
                        : apr_pstrdup(p, json_string_value(item));
    }
    *out = joined ? joined : "";
    return 1;
}

/* expires_in as a non-negative integer, or a digit string (some providers quote it). */
static int na_oauth_expires_in(json_t *obj, apr_int64_t *out)
{
    json_t *v = json_object_get(obj, "expires_in");
    const char *s;

    *out = -1;
    if (v == NULL || json_is_null(v)) {
        return 1;
    }
    if (json_is_integer(v)) {
        *out = (apr_int64_t)json_integer_value(v);
        return *out >= 0;
    }
    s = json_string_value(v);
    if (s == NULL || *s == '\0' || strlen(s) > 12 || strspn(s, "0123456789") != strlen(s)) {
        return 0;
    }
    *out = apr_atoi64(s);
    return 1;
}

static const char *na_oauth_token_members(apr_pool_t *p, json_t *obj, na_oauth_tokens_t *out)
{
    json_t *at = json_object_get(obj, "access_token");

    if (!json_is_string(at) || json_string_length(at) == 0) {
        return "access_token missing or not a string";
    }
    out->access_token = apr_pstrmemdup(p, json_string_value(at), json_string_length(at));
    if (!na_json_get_string(p, obj, "token_type", 0, 1, &out->token_type)
        || !na_json_get_string(p, obj, "id_token", 0, 1, &out->id_token)
        || !na_json_get_string(p, obj, "refresh_token", 0, 1, &out->refresh_token)
        || !na_json_get_string(p, obj, "session_state", 0, 1, &out->session_state)) {
        return "token_type, id_token, refresh_token or session_state is not a string";
    }
    if (!na_oauth_scope(p, obj, &out->scope)) {
        return "scope is not a string or an array of strings";
    }
    if (!na_oauth_expires_in(obj, &out->expires_in)) {
        return "expires_in is not a non-negative integer";
    }
    return NULL;
}

/* How a token answer is read: the error code its failures carry, and whether an
 * invalid_grant refusal ends the grant (a refresh) or is one more peer failure. */
typedef struct na_oauth_token_mode_t {
    const char *code;
    int refresh;
} na_oauth_token_mode_t;

/* RFC 6749 section 5.2: the refresh token is revoked, expired or already used. Only a
 * proper 400/401 answer counts: a 5xx carrying it is a sick IdP, not a verdict. */
static int na_oauth_grant_gone(const na_http_response_t *resp, const char *error)
{
    return error && strcmp(error, "invalid_grant") == 0
           && (resp->status == 400 || resp->status == 401);
}

static na_status_t na_oauth_token_read(apr_pool_t *p, const na_http_response_t *resp,
                                       const na_oauth_token_mode_t *mode, na_oauth_tokens_t *out,
                                       na_err_t *err)
{
    json_t *obj = na_json_load(p, resp->body, resp->len, NA_HTTP_MAX_RESP_LIMIT), *e;
    const char *problem;

    memset(out, 0, sizeof(*out));
    out->expires_in = -1;
    /* GitHub reports a bad code with 200 and {"error": ...}, others with 400. */
    if (obj && (e = json_object_get(obj, "error")) != NULL) {
        na_status_t rv = mode->refresh && na_oauth_grant_gone(resp, json_string_value(e))
                             ? NA_EDENIED
                             : NA_EPEER;
        return na_err_set(p, err, rv, mode->code, "token endpoint answered error '%s' (HTTP %d)",
                          json_is_string(e) ? na_http_log_safe(p, json_string_value(e), 64)
                                            : "(not a string)",
                          resp->status);
    }
    if (resp->status < 200 || resp->status > 299) {
        return na_err_set(p, err, NA_EPEER, mode->code, "token endpoint answered HTTP %d",
                          resp->status);
    }
    if (obj == NULL) {
        return na_err_set(p, err, NA_EPEER, mode->code,
                          "token endpoint answer is not a JSON object (Content-Type %s)",
                          na_http_log_safe(p, resp->content_type, 64));
    }
    if ((problem = na_oauth_token_members(p, obj, out)) != NULL) {
        memset(out, 0, sizeof(*out));
        return na_err_set(p, err, NA_EPEER, mode->code, "token endpoint answer: %s", problem);
    }
    return NA_OK;
}

na_status_t na_oauth_token_parse(apr_pool_t *p, const na_http_response_t *resp,
                                 na_oauth_tokens_t *out, na_err_t *err)
{
    static const na_oauth_token_mode_t mode = {NA_OAUTH_ERR_CALLBACK, 0};

    return na_oauth_token_read(p, resp, &mode, out, err);
}

na_status_t na_oauth_refresh_parse(apr_pool_t *p, const na_http_response_t *resp,
                                   na_oauth_tokens_t *out, na_err_t *err)
{
    /* Every refresh failure carries next-auth's documented session error; the status
     * tells the caller whether the session ends (NA_EDENIED) or may wait (NA_EPEER). */
    static const na_oauth_token_mode_t mode = {NA_OAUTH_ERR_REFRESH, 1};

    return na_oauth_token_read(p, resp, &mode, out, err);
}

void na_oauth_userinfo_request(const na_provider_t *prov, const char *url, const char *access_token,
                               na_http_request_t *out)
{
    na_oauth_http_init(prov, NA_HTTP_GET, url, out);
    out->bearer = access_token;
}

/* ---- discovery ------------------------------------------------------------------------- */

const char *na_oauth_discovery_url(apr_pool_t *p, const char *issuer)
{
    const char *sep = strstr(issuer, "://");
    const char *path = sep ? sep + 3 + strcspn(sep + 3, "/") : issuer;
    apr_size_t len = strlen(issuer);

    if (strstr(path, "/.well-known/")) {
        return issuer;
    }
    if (len > 0 && issuer[len - 1] == '/') {
        len--;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, issuer, len), NA_OAUTH_WELL_KNOWN, NULL);
}

void na_oauth_discovery_request(apr_pool_t *p, const na_provider_t *prov, na_http_request_t *out)
{
    na_oauth_http_init(prov, NA_HTTP_GET, na_oauth_discovery_url(p, prov->issuer), out);
}

/* An absolute http(s) URL with a host and nothing a header or a log line would choke
 * on; http only when the issuer itself is http (a loopback test IdP), so a document
 * fetched over TLS cannot downgrade the token exchange. */
static int na_oauth_endpoint_ok(const char *url, int https_only)
{
    const char *host;
    const unsigned char *c;

    if (strncasecmp(url, "https://", 8) == 0) {
        host = url + 8;
    }
    else if (!https_only && strncasecmp(url, "http://", 7) == 0) {
        host = url + 7;
    }
    else {
        return 0;
    }
    if (strlen(url) > NA_OAUTH_MAX_URL || strchr("/?#@:", *host)) {
        return 0;
    }
    for (c = (const unsigned char *)url; *c; c++) {
        if (*c <= 0x20 || *c >= 0x7f) {
            return 0;
        }
    }
    return 1;
}

typedef struct na_oauth_endpoint_t {
    const char *name;
    size_t offset;
    int required;
} na_oauth_endpoint_t;

static const na_oauth_endpoint_t na_oauth_endpoints[] = {
    {"authorization_endpoint", offsetof(na_oauth_discovery_t, authorization_endpoint), 1},
    {"token_endpoint", offsetof(na_oauth_discovery_t, token_endpoint), 1},
    {"jwks_uri", offsetof(na_oauth_discovery_t, jwks_uri), 1},
    {"userinfo_endpoint", offsetof(na_oauth_discovery_t, userinfo_endpoint), 0},
    {"end_session_endpoint", offsetof(na_oauth_discovery_t, end_session_endpoint), 0},
    {NULL, 0, 0},
};

/* The endpoints into *out; NULL, or the name of the first bad or missing one. */
static const char *na_oauth_discovery_endpoints(apr_pool_t *p, json_t *obj, int https_only,
                                                na_oauth_discovery_t *out)
{
    const na_oauth_endpoint_t *ep;

    for (ep = na_oauth_endpoints; ep->name; ep++) {
        const char **slot = (const char **)((char *)out + ep->offset);
        json_t *v = json_object_get(obj, ep->name);
        if ((v == NULL || json_is_null(v)) && !ep->required) {
            continue;
        }
        if (!json_is_string(v) || !na_oauth_endpoint_ok(json_string_value(v), https_only)) {
            return ep->name;
        }
        *slot = apr_pstrdup(p, json_string_value(v));
    }
    return NULL;
}

/* The NA_OAUTH_AUTH_* bits listed; client_secret_basic when not advertised (OIDC
 * Discovery's default). -1 when the member is not an array of strings. */
static int na_oauth_discovery_methods(json_t *obj)
{
    json_t *v = json_object_get(obj, "token_endpoint_auth_methods_supported"), *item;
    unsigned bits = 0;
    size_t i;

    if (v == NULL || json_is_null(v)) {
        return NA_OAUTH_AUTH_BASIC;
    }
    if (!json_is_array(v)) {
        return -1;
    }
    json_array_foreach(v, i, item)
    {
        const char *s = json_string_value(item);
        if (s == NULL) {
            return -1;
        }
        bits |= strcmp(s, "client_secret_basic") == 0  ? NA_OAUTH_AUTH_BASIC
                : strcmp(s, "client_secret_post") == 0 ? NA_OAUTH_AUTH_POST
                                                       : 0;
    }
    return (int)bits;
}

na_status_t na_oauth_discovery_parse(apr_pool_t *p, const char *issuer,
                                     const na_http_response_t *resp, na_oauth_discovery_t *out,
                                     na_err_t *err)
{
    json_t *obj = na_json_load(p, resp->body, resp->len, NA_HTTP_MAX_RESP_LIMIT), *iss;
    const char *bad;
    int methods;

    memset(out, 0, sizeof(*out));
    if (resp->status != 200 || obj == NULL) {
        return na_err_set(p, err, NA_EPEER, NULL, "discovery for %s: HTTP %d, %s",
                          na_http_log_safe(p, issuer, 200), resp->status,
                          obj ? "JSON" : "not a JSON object");
    }
    iss = json_object_get(obj, "issuer");
    if (!json_is_string(iss) || strcmp(json_string_value(iss), issuer) != 0) {
        return na_err_set(p, err, NA_EPEER, NULL, "discovery: issuer mismatch: expected %s, got %s",
                          na_http_log_safe(p, issuer, 200),
                          na_http_log_safe(p, json_string_value(iss), 200));
    }
    bad = na_oauth_discovery_endpoints(p, obj, strncasecmp(issuer, "https://", 8) == 0, out);
    if (bad || (methods = na_oauth_discovery_methods(obj)) < 0) {
        memset(out, 0, sizeof(*out));
        return na_err_set(p, err, NA_EPEER, NULL, "discovery for %s: %s missing or invalid",
                          na_http_log_safe(p, issuer, 200),
                          bad ? bad : "token_endpoint_auth_methods_supported");
    }
    out->issuer = apr_pstrdup(p, issuer);
    out->auth_methods = (unsigned)methods;
    out->backchannel_logout = json_is_true(json_object_get(obj, "backchannel_logout_supported"));
    return NA_OK;
}

unsigned na_oauth_discovery_auth_method(const na_oauth_discovery_t *d)
{
    if (!(d->auth_methods & NA_OAUTH_AUTH_BASIC) && (d->auth_methods & NA_OAUTH_AUTH_POST)) {
        return NA_OAUTH_AUTH_POST;
    }
    return NA_OAUTH_AUTH_BASIC;
}
