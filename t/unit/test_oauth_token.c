/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_oauth.h"
#include "na_test_server.h"
#include "suites.h"

static na_provider_t na_test_provider(void)
{
    na_provider_t prov;

    memset(&prov, 0, sizeof(prov));
    prov.id = "github";
    prov.kind = NA_PROVIDER_OAUTH;
    prov.client_id = "Iv1.abc";
    prov.client_secret = "s3cr3t";
    prov.timeout = 3;
    return prov;
}

static na_http_response_t na_test_resp(int status, const char *type, const char *body)
{
    na_http_response_t resp = {status, body, strlen(body), type};

    return resp;
}

/* ---- token request --------------------------------------------------------------------- */

START_TEST(test_token_request_basic)
{
    na_provider_t prov = na_test_provider();
    na_oauth_token_req_t in = {&prov,
                               "https://github.com/login/oauth/access_token",
                               NA_OAUTH_AUTH_BASIC,
                               "c/1",
                               "http://l/cb",
                               "V"};
    na_http_request_t req;

    ck_assert_int_eq(na_oauth_token_request(na_test_pool, &in, &req, NULL), NA_OK);
    ck_assert_int_eq(req.method, NA_HTTP_POST);
    ck_assert_str_eq(req.url, "https://github.com/login/oauth/access_token");
    ck_assert_str_eq(req.body, "grant_type=authorization_code&code=c%2F1&redirect_uri=http%3A%2F"
                               "%2Fl%2Fcb&code_verifier=V");
    ck_assert_str_eq(req.accept, "application/json");
    ck_assert_str_eq(req.basic_user, "Iv1.abc");
    ck_assert_str_eq(req.basic_password, "s3cr3t");
    ck_assert_int_eq(req.timeout_ms, 3000);
    ck_assert_int_le(req.connect_timeout_ms, 3000);
    ck_assert_uint_gt(req.resp_limit, 0);
}
END_TEST

START_TEST(test_token_request_post)
{
    na_provider_t prov = na_test_provider();
    na_oauth_token_req_t in = {&prov, "https://x/token", NA_OAUTH_AUTH_POST,
                               "c",   "http://l/cb",     NULL};
    na_http_request_t req;
    na_err_t err = {0};

    prov.client_secret = "a b&c";
    ck_assert_int_eq(na_oauth_token_request(na_test_pool, &in, &req, NULL), NA_OK);
    ck_assert_str_eq(req.body, "grant_type=authorization_code&code=c&redirect_uri=http%3A%2F%2Fl"
                               "%2Fcb&client_id=Iv1.abc&client_secret=a+b%26c");
    ck_assert_ptr_null(req.basic_user);
    in.code = "";
    ck_assert_int_eq(na_oauth_token_request(na_test_pool, &in, &req, &err), NA_EINPUT);
    ck_assert_str_eq(err.code, "OAuthCallback");
    in.code = "c";
    in.endpoint = NULL;
    ck_assert_int_eq(na_oauth_token_request(na_test_pool, &in, &req, &err), NA_EINPUT);
}
END_TEST

/* ---- token response -------------------------------------------------------------------- */

START_TEST(test_token_parse_good)
{
    na_http_response_t resp = na_test_resp(
        200, "application/json",
        "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\"a.b.c\","
        "\"refresh_token\":\"rt\",\"expires_in\":3600,\"scope\":[\"openid\",\"email\"],"
        "\"session_state\":\"ss\",\"extra\":{\"x\":1}}");
    na_oauth_tokens_t t;

    ck_assert_int_eq(na_oauth_token_parse(na_test_pool, &resp, &t, NULL), NA_OK);
    ck_assert_str_eq(t.access_token, "at");
    ck_assert_str_eq(t.token_type, "Bearer");
    ck_assert_str_eq(t.id_token, "a.b.c");
    ck_assert_str_eq(t.refresh_token, "rt");
    ck_assert_int_eq(t.expires_in, 3600);
    ck_assert_str_eq(t.scope, "openid email");
    ck_assert_str_eq(t.session_state, "ss");
}
END_TEST

/* GitHub's shape: no expiry, comma-separated scope, nulls kept as absent. */
START_TEST(test_token_parse_minimal)
{
    na_http_response_t resp = na_test_resp(
        200, "application/json; charset=utf-8",
        "{\"access_token\":\"gho_x\",\"token_type\":\"bearer\",\"scope\":\"read:user,user:email\","
        "\"refresh_token\":null,\"expires_in\":\"3599\"}");
    na_oauth_tokens_t t;

    ck_assert_int_eq(na_oauth_token_parse(na_test_pool, &resp, &t, NULL), NA_OK);
    ck_assert_str_eq(t.access_token, "gho_x");
    ck_assert_str_eq(t.scope, "read:user,user:email");
    ck_assert_ptr_null(t.refresh_token);
    ck_assert_ptr_null(t.id_token);
    ck_assert_int_eq(t.expires_in, 3599);
    resp = na_test_resp(200, NULL, "{\"access_token\":\"x\"}");
    ck_assert_int_eq(na_oauth_token_parse(na_test_pool, &resp, &t, NULL), NA_OK);
    ck_assert_int_eq(t.expires_in, -1);
}
END_TEST

/* An `error` member, with 400 or (GitHub) 200: the code goes to the log, cleaned. */
START_TEST(test_token_parse_error)
{
    na_http_response_t resp =
        na_test_resp(400, "application/json",
                     "{\"error\":\"invalid_grant\",\"error_description\":\"code expired\"}");
    na_oauth_tokens_t t;
    na_err_t err = {0};

    ck_assert_int_eq(na_oauth_token_parse(na_test_pool, &resp, &t, &err), NA_EPEER);
    ck_assert_str_eq(err.code, "OAuthCallback");
    ck_assert_ptr_nonnull(strstr(err.detail, "'invalid_grant'"));
    ck_assert_ptr_nonnull(strstr(err.detail, "HTTP 400"));
    resp = na_test_resp(200, "application/json",
                        "{\"error\":\"bad_verification_code\\r\\nX: y\",\"access_token\":\"at\"}");
    ck_assert_int_eq(na_oauth_token_parse(na_test_pool, &resp, &t, &err), NA_EPEER);
    ck_assert_ptr_nonnull(strstr(err.detail, "'bad_verification_code??X: y'"));
    ck_assert_ptr_null(t.access_token);
    resp = na_test_resp(400, "application/json", "{\"error\":{\"code\":1}}");
    ck_assert_int_eq(na_oauth_token_parse(na_test_pool, &resp, &t, &err), NA_EPEER);
}
END_TEST

typedef struct na_test_bad_t {
    int status;
    const char *type;
    const char *body;
} na_test_bad_t;

/* Everything else that must end as OAuthCallback, never a crash or a half-read token. */
static const na_test_bad_t na_test_bad_tokens[] = {
    {500, "text/html", "<html><body>Internal Server Error</body></html>"},
    {500, "application/json", "{\"access_token\":\"at\"}"},
    {302, NULL, ""},
    {200, "text/html", "<!DOCTYPE html><html>login</html>"},
    {200, "application/x-www-form-urlencoded", "access_token=gho_x&scope=user&token_type=bearer"},
    {200, "application/json", "{\"access_token\":\"gh"},
    {200, "application/json", "{\"access_token\":\"at\",\"token_type\":"},
    {200, "application/json", ""},
    {200, "application/json", "[]"},
    {200, "application/json", "\"at\""},
    {200, "application/json", "{\"token_type\":\"bearer\"}"},
    {200, "application/json", "{\"access_token\":5}"},
    {200, "application/json", "{\"access_token\":\"\"}"},
    {200, "application/json", "{\"access_token\":null}"},
    {200, "application/json", "{\"access_token\":[\"at\"]}"},
    {200, "application/json", "{\"access_token\":\"at\",\"token_type\":5}"},
    {200, "application/json", "{\"access_token\":\"at\",\"id_token\":{}}"},
    {200, "application/json", "{\"access_token\":\"at\",\"refresh_token\":true}"},
    {200, "application/json", "{\"access_token\":\"at\",\"scope\":5}"},
    {200, "application/json", "{\"access_token\":\"at\",\"scope\":[\"a\",1]}"},
    {200, "application/json", "{\"access_token\":\"at\",\"expires_in\":-1}"},
    {200, "application/json", "{\"access_token\":\"at\",\"expires_in\":1.5}"},
    {200, "application/json", "{\"access_token\":\"at\",\"expires_in\":\"12a\"}"},
    {200, "application/json", "{\"access_token\":\"at\",\"expires_in\":\"\"}"},
    {200, "application/json", "{\"access_token\":\"a\",\"access_token\":\"b\"}"},
    {200, "application/json", "{\"access_token\":\"a\\u0000b\"}"},
};

START_TEST(test_token_parse_bad)
{
    const na_test_bad_t *c = &na_test_bad_tokens[_i];
    na_http_response_t resp = na_test_resp(c->status, c->type, c->body);
    na_oauth_tokens_t t;
    na_err_t err = {0};

    ck_assert_msg(na_oauth_token_parse(na_test_pool, &resp, &t, &err) == NA_EPEER, "%s", c->body);
    ck_assert_str_eq(err.code, "OAuthCallback");
    ck_assert_ptr_null(t.access_token);
    /* the log line never carries the token */
    ck_assert_ptr_null(strstr(err.detail, "gho_x"));
    ck_assert_ptr_null(strstr(err.detail, "\"at\""));
}
END_TEST

/* Code -> token over a real socket: what goes out and what comes back. */
START_TEST(test_token_exchange_loopback)
{
    static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 46\r\nConnection: close\r\n\r\n"
                                 "{\"access_token\":\"gho_16C7e42F\",\"scope\":\"user\"}";
    na_test_server_t *srv = na_test_server_start(NA_TEST_SERVER_ANSWER, answer, strlen(answer));
    na_provider_t prov = na_test_provider();
    na_oauth_token_req_t in = {&prov,
                               na_test_server_url(srv, "/login/oauth/access_token"),
                               NA_OAUTH_AUTH_BASIC,
                               "code123",
                               "http://l/cb",
                               NULL};
    na_http_request_t req;
    na_http_response_t resp;
    na_oauth_tokens_t t;

    ck_assert_int_eq(na_oauth_token_request(na_test_pool, &in, &req, NULL), NA_OK);
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, NULL), NA_OK);
    na_test_server_stop(srv);
    ck_assert_int_eq(na_oauth_token_parse(na_test_pool, &resp, &t, NULL), NA_OK);
    ck_assert_str_eq(t.access_token, "gho_16C7e42F");
    /* base64("Iv1.abc:s3cr3t") */
    ck_assert_ptr_nonnull(
        strstr(srv->request, "\r\nAuthorization: Basic SXYxLmFiYzpzM2NyM3Q=\r\n"));
    ck_assert_ptr_nonnull(strstr(srv->request, "\r\nAccept: application/json\r\n"));
    ck_assert_ptr_nonnull(strstr(srv->request, "\r\n\r\ngrant_type=authorization_code&code="
                                               "code123&redirect_uri=http%3A%2F%2Fl%2Fcb"));
}
END_TEST

START_TEST(test_userinfo_request)
{
    na_provider_t prov = na_test_provider();
    na_http_request_t req;

    na_oauth_userinfo_request(&prov, "https://api.github.com/user", "gho_x", &req);
    ck_assert_int_eq(req.method, NA_HTTP_GET);
    ck_assert_str_eq(req.url, "https://api.github.com/user");
    ck_assert_str_eq(req.bearer, "gho_x");
    ck_assert_int_eq(req.timeout_ms, 3000);
    prov.timeout = 0;
    na_oauth_userinfo_request(&prov, "https://x/", "t", &req);
    ck_assert_int_eq(req.timeout_ms, NA_HTTP_DEFAULT_TIMEOUT_MS);
}
END_TEST

/* ---- refresh grant --------------------------------------------------------------------- */

START_TEST(test_refresh_request_basic)
{
    na_provider_t prov = na_test_provider();
    /* the code, redirect_uri and verifier of a code exchange are not sent */
    na_oauth_token_req_t in = {
        &prov, "https://idp.example/token", NA_OAUTH_AUTH_BASIC, "c", "http://l/cb", "V"};
    na_http_request_t req;

    ck_assert_int_eq(na_oauth_refresh_request(na_test_pool, &in, "rt/1+x", &req, NULL), NA_OK);
    ck_assert_int_eq(req.method, NA_HTTP_POST);
    ck_assert_str_eq(req.url, "https://idp.example/token");
    ck_assert_str_eq(req.body, "grant_type=refresh_token&refresh_token=rt%2F1%2Bx");
    ck_assert_str_eq(req.accept, "application/json");
    ck_assert_str_eq(req.basic_user, "Iv1.abc");
    ck_assert_str_eq(req.basic_password, "s3cr3t");
    ck_assert_int_eq(req.timeout_ms, 3000);
}
END_TEST

START_TEST(test_refresh_request_post)
{
    na_provider_t prov = na_test_provider();
    na_oauth_token_req_t in = {&prov, "https://idp.example/token", NA_OAUTH_AUTH_POST, NULL, NULL,
                               NULL};
    na_http_request_t req;
    na_err_t err = {0};

    prov.client_secret = NULL;
    ck_assert_int_eq(na_oauth_refresh_request(na_test_pool, &in, "rt", &req, NULL), NA_OK);
    ck_assert_str_eq(req.body,
                     "grant_type=refresh_token&refresh_token=rt&client_id=Iv1.abc&client_secret=");
    ck_assert_ptr_null(req.basic_user);
    ck_assert_int_eq(na_oauth_refresh_request(na_test_pool, &in, NULL, &req, &err), NA_EINPUT);
    ck_assert_str_eq(err.code, "RefreshAccessTokenError");
    ck_assert_int_eq(na_oauth_refresh_request(na_test_pool, &in, "", &req, &err), NA_EINPUT);
    in.endpoint = NULL;
    ck_assert_int_eq(na_oauth_refresh_request(na_test_pool, &in, "rt", &req, &err), NA_EINPUT);
    in.endpoint = "https://idp.example/token";
    prov.client_id = NULL;
    ck_assert_int_eq(na_oauth_refresh_request(na_test_pool, &in, "rt", &req, &err), NA_EINPUT);
    ck_assert_ptr_null(strstr(err.detail, "rt"));
}
END_TEST

START_TEST(test_refresh_parse_good)
{
    na_http_response_t resp = na_test_resp(
        200, "application/json",
        "{\"access_token\":\"at2\",\"token_type\":\"Bearer\",\"refresh_token\":\"rt2\","
        "\"expires_in\":300,\"id_token\":\"a.b.c\",\"scope\":\"openid\"}");
    na_oauth_tokens_t t;

    ck_assert_int_eq(na_oauth_refresh_parse(na_test_pool, &resp, &t, NULL), NA_OK);
    ck_assert_str_eq(t.access_token, "at2");
    ck_assert_str_eq(t.refresh_token, "rt2");
    ck_assert_str_eq(t.id_token, "a.b.c");
    ck_assert_int_eq(t.expires_in, 300);
    /* no rotation and no new ID token: both NULL, the caller keeps what it has */
    resp = na_test_resp(200, "application/json",
                        "{\"access_token\":\"at3\",\"token_type\":\"Bearer\",\"expires_in\":60}");
    ck_assert_int_eq(na_oauth_refresh_parse(na_test_pool, &resp, &t, NULL), NA_OK);
    ck_assert_str_eq(t.access_token, "at3");
    ck_assert_ptr_null(t.refresh_token);
    ck_assert_ptr_null(t.id_token);
    ck_assert_int_eq(t.expires_in, 60);
}
END_TEST

typedef struct na_test_refusal_t {
    int status;
    const char *body;
    na_status_t want;
} na_test_refusal_t;

/* invalid_grant with a 400 or 401 ends the session; every other error may be passing. */
static const na_test_refusal_t na_test_refusals[] = {
    {400, "{\"error\":\"invalid_grant\",\"error_description\":\"grant request is invalid\"}",
     NA_EDENIED},
    {401, "{\"error\":\"invalid_grant\"}", NA_EDENIED},
    {400, "{\"error\":\"invalid_grant\",\"access_token\":\"at\"}", NA_EDENIED},
    {200, "{\"error\":\"invalid_grant\"}", NA_EPEER},
    {500, "{\"error\":\"invalid_grant\"}", NA_EPEER},
    {503, "{\"error\":\"temporarily_unavailable\"}", NA_EPEER},
    {401, "{\"error\":\"invalid_client\"}", NA_EPEER},
    {400, "{\"error\":\"invalid_request\"}", NA_EPEER},
    {400, "{\"error\":\"Invalid_Grant\"}", NA_EPEER},
    {400, "{\"error\":[\"invalid_grant\"]}", NA_EPEER},
    {400, "{\"error\":null}", NA_EPEER},
    {400, "invalid_grant", NA_EPEER},
    {400, "", NA_EPEER},
};

START_TEST(test_refresh_parse_refused)
{
    const na_test_refusal_t *c = &na_test_refusals[_i];
    na_http_response_t resp = na_test_resp(c->status, "application/json", c->body);
    na_oauth_tokens_t t;
    na_err_t err = {0};

    ck_assert_msg(na_oauth_refresh_parse(na_test_pool, &resp, &t, &err) == c->want, "%d %s",
                  c->status, c->body);
    ck_assert_str_eq(err.code, "RefreshAccessTokenError");
    ck_assert_ptr_null(t.access_token);
    ck_assert_ptr_nonnull(strstr(err.detail, apr_psprintf(na_test_pool, "%d", c->status)));
}
END_TEST

/* What a code exchange refuses, a refresh refuses too, as a peer failure. */
START_TEST(test_refresh_parse_bad)
{
    const na_test_bad_t *c = &na_test_bad_tokens[_i];
    na_http_response_t resp = na_test_resp(c->status, c->type, c->body);
    na_oauth_tokens_t t;
    na_err_t err = {0};

    ck_assert_msg(na_oauth_refresh_parse(na_test_pool, &resp, &t, &err) == NA_EPEER, "%s", c->body);
    ck_assert_str_eq(err.code, "RefreshAccessTokenError");
    ck_assert_ptr_null(t.access_token);
    ck_assert_ptr_null(strstr(err.detail, "gho_x"));
}
END_TEST

/* The refresh over a real socket, with client_secret_post. */
START_TEST(test_refresh_loopback)
{
    static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 50\r\nConnection: close\r\n\r\n"
                                 "{\"access_token\":\"new-at\",\"refresh_token\":\"new-rt\"}";
    na_test_server_t *srv = na_test_server_start(NA_TEST_SERVER_ANSWER, answer, strlen(answer));
    na_provider_t prov = na_test_provider();
    na_oauth_token_req_t in = {
        &prov, na_test_server_url(srv, "/token"), NA_OAUTH_AUTH_POST, NULL, NULL, NULL};
    na_http_request_t req;
    na_http_response_t resp;
    na_oauth_tokens_t t;

    ck_assert_int_eq(na_oauth_refresh_request(na_test_pool, &in, "old-rt", &req, NULL), NA_OK);
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, NULL), NA_OK);
    na_test_server_stop(srv);
    ck_assert_int_eq(na_oauth_refresh_parse(na_test_pool, &resp, &t, NULL), NA_OK);
    ck_assert_str_eq(t.access_token, "new-at");
    ck_assert_str_eq(t.refresh_token, "new-rt");
    ck_assert_ptr_null(strstr(srv->request, "\r\nAuthorization:"));
    ck_assert_ptr_nonnull(strstr(srv->request, "\r\nAccept: application/json\r\n"));
    ck_assert_ptr_nonnull(strstr(srv->request, "\r\n\r\ngrant_type=refresh_token&refresh_token="
                                               "old-rt&client_id=Iv1.abc&client_secret=s3cr3t"));
}
END_TEST

/* ---- discovery ------------------------------------------------------------------------- */

START_TEST(test_discovery_url)
{
    na_provider_t prov = na_test_provider();
    na_http_request_t req;

    ck_assert_str_eq(na_oauth_discovery_url(na_test_pool, "https://accounts.google.com"),
                     "https://accounts.google.com/.well-known/openid-configuration");
    ck_assert_str_eq(na_oauth_discovery_url(na_test_pool, "https://kc.example/realms/r/"),
                     "https://kc.example/realms/r/.well-known/openid-configuration");
    ck_assert_str_eq(na_oauth_discovery_url(na_test_pool,
                                            "https://x.example/t/.well-known/openid-configuration"),
                     "https://x.example/t/.well-known/openid-configuration");
    prov.issuer = "http://127.0.0.1:3000/oidc";
    na_oauth_discovery_request(na_test_pool, &prov, &req);
    ck_assert_str_eq(req.url, "http://127.0.0.1:3000/oidc/.well-known/openid-configuration");
    ck_assert_int_eq(req.method, NA_HTTP_GET);
    ck_assert_int_eq(req.timeout_ms, 3000);
}
END_TEST

#define NA_TEST_ISS "https://idp.example.com"
#define NA_TEST_DOC_HEAD "{\"issuer\":\"" NA_TEST_ISS "\","
#define NA_TEST_DOC_EPS                                                                            \
    "\"authorization_endpoint\":\"https://idp.example.com/auth\","                                 \
    "\"token_endpoint\":\"https://idp.example.com/token\","                                        \
    "\"jwks_uri\":\"https://idp.example.com/jwks\""

static na_status_t na_test_discover(const char *iss, const char *doc, na_oauth_discovery_t *d,
                                    na_err_t *err)
{
    na_http_response_t resp = na_test_resp(200, "application/json", doc);

    return na_oauth_discovery_parse(na_test_pool, iss, &resp, d, err);
}

START_TEST(test_discovery_good)
{
    na_oauth_discovery_t d;

    ck_assert_int_eq(na_test_discover(NA_TEST_ISS,
                                      NA_TEST_DOC_HEAD NA_TEST_DOC_EPS
                                      ",\"userinfo_endpoint\":\"https://idp.example.com/me\","
                                      "\"end_session_endpoint\":\"https://idp.example.com/bye\","
                                      "\"token_endpoint_auth_methods_supported\":"
                                      "[\"client_secret_post\",\"private_key_jwt\"]}",
                                      &d, NULL),
                     NA_OK);
    ck_assert_str_eq(d.issuer, NA_TEST_ISS);
    ck_assert_str_eq(d.authorization_endpoint, "https://idp.example.com/auth");
    ck_assert_str_eq(d.token_endpoint, "https://idp.example.com/token");
    ck_assert_str_eq(d.jwks_uri, "https://idp.example.com/jwks");
    ck_assert_str_eq(d.userinfo_endpoint, "https://idp.example.com/me");
    ck_assert_str_eq(d.end_session_endpoint, "https://idp.example.com/bye");
    ck_assert_uint_eq(d.auth_methods, NA_OAUTH_AUTH_POST);
    ck_assert_uint_eq(na_oauth_discovery_auth_method(&d), NA_OAUTH_AUTH_POST);
}
END_TEST

/* Optional members absent or null; methods absent means basic (Discovery's default). */
START_TEST(test_discovery_minimal)
{
    na_oauth_discovery_t d;

    ck_assert_int_eq(
        na_test_discover(NA_TEST_ISS,
                         NA_TEST_DOC_HEAD NA_TEST_DOC_EPS ",\"userinfo_endpoint\":null}", &d, NULL),
        NA_OK);
    ck_assert_ptr_null(d.userinfo_endpoint);
    ck_assert_ptr_null(d.end_session_endpoint);
    ck_assert_uint_eq(d.auth_methods, NA_OAUTH_AUTH_BASIC);
    ck_assert_uint_eq(na_oauth_discovery_auth_method(&d), NA_OAUTH_AUTH_BASIC);
    ck_assert_int_eq(na_test_discover(NA_TEST_ISS,
                                      NA_TEST_DOC_HEAD NA_TEST_DOC_EPS
                                      ",\"token_endpoint_auth_methods_supported\":"
                                      "[\"client_secret_post\",\"client_secret_basic\"]}",
                                      &d, NULL),
                     NA_OK);
    ck_assert_uint_eq(na_oauth_discovery_auth_method(&d), NA_OAUTH_AUTH_BASIC);
    ck_assert_int_eq(na_test_discover(NA_TEST_ISS,
                                      NA_TEST_DOC_HEAD NA_TEST_DOC_EPS
                                      ",\"token_endpoint_auth_methods_supported\":[\"none\"]}",
                                      &d, NULL),
                     NA_OK);
    ck_assert_uint_eq(na_oauth_discovery_auth_method(&d), NA_OAUTH_AUTH_BASIC);
    /* a loopback IdP on plain http */
    ck_assert_int_eq(na_test_discover("http://127.0.0.1:3000",
                                      "{\"issuer\":\"http://127.0.0.1:3000\","
                                      "\"authorization_endpoint\":\"http://127.0.0.1:3000/auth\","
                                      "\"token_endpoint\":\"http://127.0.0.1:3000/token\","
                                      "\"jwks_uri\":\"https://127.0.0.1:3000/jwks\"}",
                                      &d, NULL),
                     NA_OK);
}
END_TEST

START_TEST(test_discovery_issuer_mismatch)
{
    na_oauth_discovery_t d;
    na_err_t err = {0};

    ck_assert_int_eq(na_test_discover(NA_TEST_ISS,
                                      "{\"issuer\":\"" NA_TEST_ISS "/\"," NA_TEST_DOC_EPS "}", &d,
                                      &err),
                     NA_EPEER);
    ck_assert_ptr_nonnull(strstr(err.detail, "issuer mismatch"));
    ck_assert_ptr_null(err.code);
    ck_assert_ptr_null(d.token_endpoint);
    ck_assert_int_eq(na_test_discover(NA_TEST_ISS,
                                      "{\"issuer\":\"https://evil.example\"," NA_TEST_DOC_EPS "}",
                                      &d, &err),
                     NA_EPEER);
    ck_assert_int_eq(na_test_discover(NA_TEST_ISS, "{" NA_TEST_DOC_EPS "}", &d, &err), NA_EPEER);
    ck_assert_int_eq(na_test_discover(NA_TEST_ISS, "{\"issuer\":5," NA_TEST_DOC_EPS "}", &d, &err),
                     NA_EPEER);
    ck_assert_int_eq(
        na_test_discover("https://IDP.example.com", NA_TEST_DOC_HEAD NA_TEST_DOC_EPS "}", &d, &err),
        NA_EPEER);
}
END_TEST

static const char *const na_test_bad_docs[] = {
    /* a required endpoint missing */
    NA_TEST_DOC_HEAD "\"token_endpoint\":\"https://idp.example.com/token\","
                     "\"jwks_uri\":\"https://idp.example.com/jwks\"}",
    NA_TEST_DOC_HEAD "\"authorization_endpoint\":\"https://idp.example.com/auth\","
                     "\"jwks_uri\":\"https://idp.example.com/jwks\"}",
    NA_TEST_DOC_HEAD "\"authorization_endpoint\":\"https://idp.example.com/auth\","
                     "\"token_endpoint\":\"https://idp.example.com/token\"}",
    NA_TEST_DOC_HEAD "\"authorization_endpoint\":null,"
                     "\"token_endpoint\":\"https://idp.example.com/token\","
                     "\"jwks_uri\":\"https://idp.example.com/jwks\"}",
    /* http under an https issuer, other schemes, no host, spaces, wrong types */
    NA_TEST_DOC_HEAD "\"authorization_endpoint\":\"https://idp.example.com/auth\","
                     "\"token_endpoint\":\"http://idp.example.com/token\","
                     "\"jwks_uri\":\"https://idp.example.com/jwks\"}",
    NA_TEST_DOC_HEAD "\"authorization_endpoint\":\"javascript:alert(1)\","
                     "\"token_endpoint\":\"https://idp.example.com/token\","
                     "\"jwks_uri\":\"https://idp.example.com/jwks\"}",
    NA_TEST_DOC_HEAD "\"authorization_endpoint\":\"https:///auth\","
                     "\"token_endpoint\":\"https://idp.example.com/token\","
                     "\"jwks_uri\":\"https://idp.example.com/jwks\"}",
    NA_TEST_DOC_HEAD "\"authorization_endpoint\":\"https://idp.example.com/a b\","
                     "\"token_endpoint\":\"https://idp.example.com/token\","
                     "\"jwks_uri\":\"https://idp.example.com/jwks\"}",
    NA_TEST_DOC_HEAD "\"authorization_endpoint\":\"https://idp.example.com/auth\","
                     "\"token_endpoint\":\"https://idp.example.com/token\","
                     "\"jwks_uri\":[\"https://idp.example.com/jwks\"]}",
    NA_TEST_DOC_HEAD NA_TEST_DOC_EPS ",\"userinfo_endpoint\":5}",
    NA_TEST_DOC_HEAD NA_TEST_DOC_EPS ",\"end_session_endpoint\":\"ftp://idp.example.com/\"}",
    NA_TEST_DOC_HEAD NA_TEST_DOC_EPS ",\"token_endpoint_auth_methods_supported\":\"basic\"}",
    NA_TEST_DOC_HEAD NA_TEST_DOC_EPS ",\"token_endpoint_auth_methods_supported\":[1]}",
    /* not an object, truncated, duplicated members */
    "[]",
    NA_TEST_DOC_HEAD NA_TEST_DOC_EPS,
    NA_TEST_DOC_HEAD NA_TEST_DOC_EPS ",\"issuer\":\"https://evil.example\"}",
};

START_TEST(test_discovery_bad)
{
    na_oauth_discovery_t d;
    na_err_t err = {0};

    ck_assert_msg(na_test_discover(NA_TEST_ISS, na_test_bad_docs[_i], &d, &err) == NA_EPEER, "%s",
                  na_test_bad_docs[_i]);
    ck_assert_ptr_nonnull(err.detail);
    ck_assert_ptr_null(d.authorization_endpoint);
}
END_TEST

START_TEST(test_discovery_http_status)
{
    na_http_response_t resp =
        na_test_resp(404, "application/json", NA_TEST_DOC_HEAD NA_TEST_DOC_EPS "}");
    na_oauth_discovery_t d;
    na_err_t err = {0};

    ck_assert_int_eq(na_oauth_discovery_parse(na_test_pool, NA_TEST_ISS, &resp, &d, &err),
                     NA_EPEER);
    ck_assert_ptr_nonnull(strstr(err.detail, "HTTP 404"));
    resp = na_test_resp(200, "text/html", "<html></html>");
    ck_assert_int_eq(na_oauth_discovery_parse(na_test_pool, NA_TEST_ISS, &resp, &d, &err),
                     NA_EPEER);
}
END_TEST

Suite *suite_oauth_token(void)
{
    Suite *s = suite_create("oauth_token");
    TCase *tc = na_test_tcase("token");

    tcase_add_test(tc, test_token_request_basic);
    tcase_add_test(tc, test_token_request_post);
    tcase_add_test(tc, test_token_parse_good);
    tcase_add_test(tc, test_token_parse_minimal);
    tcase_add_test(tc, test_token_parse_error);
    tcase_add_loop_test(tc, test_token_parse_bad, 0, NA_TEST_COUNT(na_test_bad_tokens));
    tcase_add_test(tc, test_token_exchange_loopback);
    tcase_add_test(tc, test_userinfo_request);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("refresh");
    tcase_add_test(tc, test_refresh_request_basic);
    tcase_add_test(tc, test_refresh_request_post);
    tcase_add_test(tc, test_refresh_parse_good);
    tcase_add_loop_test(tc, test_refresh_parse_refused, 0, NA_TEST_COUNT(na_test_refusals));
    tcase_add_loop_test(tc, test_refresh_parse_bad, 0, NA_TEST_COUNT(na_test_bad_tokens));
    tcase_add_test(tc, test_refresh_loopback);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("discovery");
    tcase_add_test(tc, test_discovery_url);
    tcase_add_test(tc, test_discovery_good);
    tcase_add_test(tc, test_discovery_minimal);
    tcase_add_test(tc, test_discovery_issuer_mismatch);
    tcase_add_loop_test(tc, test_discovery_bad, 0, NA_TEST_COUNT(na_test_bad_docs));
    tcase_add_test(tc, test_discovery_http_status);
    suite_add_tcase(s, tc);
    return s;
}
