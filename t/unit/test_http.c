/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include <apr_time.h>
#include <curl/curl.h>

#include "na_http.h"
#include "na_test_server.h"
#include "suites.h"

#define NA_TEST_JSON_200                                                                           \
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n"                   \
    "Connection: close\r\n\r\n{\"a\":\"b\"}"

/* Serve `answer` once and fetch it with req (its url set here); returns the status. */
static na_status_t na_test_fetch(na_test_server_t *srv, na_http_request_t *req,
                                 na_http_response_t *resp, na_err_t *err)
{
    na_status_t rv;

    req->url = na_test_server_url(srv, "/path?q=1");
    rv = na_http_perform(na_test_pool, req, resp, err);
    na_test_server_stop(srv);
    return rv;
}

static na_test_server_t *na_test_serve(const char *answer)
{
    return na_test_server_start(NA_TEST_SERVER_ANSWER, answer, strlen(answer));
}

/* ---- complete answers ------------------------------------------------------------------ */

START_TEST(test_http_json_200)
{
    na_test_server_t *srv = na_test_serve(NA_TEST_JSON_200);
    na_http_request_t req;
    na_http_response_t resp;

    na_http_request_init(&req, NA_HTTP_GET, NULL);
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, NULL), NA_OK);
    ck_assert_int_eq(resp.status, 200);
    ck_assert_str_eq(resp.body, "{\"a\":\"b\"}");
    ck_assert_uint_eq(resp.len, 9);
    ck_assert_str_eq(resp.content_type, "application/json");
    /* what went out: the path and query, our User-Agent, JSON wanted, no credentials */
    ck_assert_msg(strncmp(srv->request, "GET /path?q=1 HTTP/1.1\r\n", 24) == 0, "%s", srv->request);
    ck_assert_ptr_nonnull(strstr(srv->request, "\r\nUser-Agent: mod_nextauth\r\n"));
    ck_assert_ptr_nonnull(strstr(srv->request, "\r\nAccept: application/json\r\n"));
    ck_assert_ptr_null(strstr(srv->request, "Authorization"));
    ck_assert_ptr_null(strstr(srv->request, "Expect"));
}
END_TEST

/* A 5xx is an answer, not a transport failure: the caller judges the status. */
START_TEST(test_http_500)
{
    na_test_server_t *srv = na_test_serve("HTTP/1.1 500 Internal Server Error\r\n"
                                          "Content-Length: 4\r\nConnection: close\r\n\r\noops");
    na_http_request_t req;
    na_http_response_t resp;

    na_http_request_init(&req, NA_HTTP_GET, NULL);
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, NULL), NA_OK);
    ck_assert_int_eq(resp.status, 500);
    ck_assert_str_eq(resp.body, "oops");
    ck_assert_ptr_null(resp.content_type);
}
END_TEST

START_TEST(test_http_html)
{
    na_test_server_t *srv =
        na_test_serve("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                      "Content-Length: 15\r\nConnection: close\r\n\r\n<html>hi</html>");
    na_http_request_t req;
    na_http_response_t resp;

    na_http_request_init(&req, NA_HTTP_GET, NULL);
    req.accept = "text/html";
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, NULL), NA_OK);
    ck_assert_int_eq(resp.status, 200);
    ck_assert_str_eq(resp.content_type, "text/html; charset=utf-8");
    ck_assert_str_eq(resp.body, "<html>hi</html>");
    ck_assert_ptr_nonnull(strstr(srv->request, "\r\nAccept: text/html\r\n"));
}
END_TEST

START_TEST(test_http_empty_body)
{
    na_test_server_t *srv = na_test_serve("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    na_http_request_t req;
    na_http_response_t resp;

    na_http_request_init(&req, NA_HTTP_GET, NULL);
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, NULL), NA_OK);
    ck_assert_int_eq(resp.status, 204);
    ck_assert_ptr_nonnull(resp.body);
    ck_assert_str_eq(resp.body, "");
    ck_assert_uint_eq(resp.len, 0);
}
END_TEST

/* A redirect is handed back, never followed (the code or secret must not travel on). */
START_TEST(test_http_redirect_not_followed)
{
    na_test_server_t *srv = na_test_serve("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/x"
                                          "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    na_http_request_t req;
    na_http_response_t resp;

    na_http_request_init(&req, NA_HTTP_POST, NULL);
    req.body = "code=abc";
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, NULL), NA_OK);
    ck_assert_int_eq(resp.status, 302);
}
END_TEST

/* ---- broken answers -------------------------------------------------------------------- */

/* Content-Length larger than what was sent, then the connection closed. */
START_TEST(test_http_truncated)
{
    na_test_server_t *srv = na_test_serve("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                          "Content-Length: 100\r\n\r\n{\"access_to");
    na_http_request_t req;
    na_http_response_t resp;
    na_err_t err = {0};

    na_http_request_init(&req, NA_HTTP_GET, NULL);
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, &err), NA_EPEER);
    ck_assert_int_eq(err.os_status, CURLE_PARTIAL_FILE);
    ck_assert_ptr_null(err.code);
    /* the log names the origin only, never the path or query */
    ck_assert_ptr_nonnull(strstr(err.detail, "GET http://127.0.0.1:"));
    ck_assert_ptr_null(strstr(err.detail, "q=1"));
}
END_TEST

/* An announced body over the limit is refused before it is read. */
START_TEST(test_http_too_big_announced)
{
    na_test_server_t *srv = na_test_serve("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n"
                                          "Connection: close\r\n\r\n{}");
    na_http_request_t req;
    na_http_response_t resp;
    na_err_t err = {0};

    na_http_request_init(&req, NA_HTTP_GET, NULL);
    req.resp_limit = 1024;
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, &err), NA_ETOOBIG);
}
END_TEST

/* Without a Content-Length the limit holds while reading. */
START_TEST(test_http_too_big_streamed)
{
    apr_size_t n = 200000;
    char *answer = apr_palloc(na_test_pool, n + 1);
    const char *head = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
    na_test_server_t *srv;
    na_http_request_t req;
    na_http_response_t resp;
    na_err_t err = {0};

    memset(answer, 'x', n);
    memcpy(answer, head, strlen(head));
    answer[n] = '\0';
    srv = na_test_serve(answer);
    na_http_request_init(&req, NA_HTTP_GET, NULL);
    req.resp_limit = 1024;
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, &err), NA_ETOOBIG);
    ck_assert_ptr_nonnull(strstr(err.detail, "over the limit"));
}
END_TEST

/* A body of exactly the limit is fine. */
START_TEST(test_http_at_limit)
{
    na_test_server_t *srv = na_test_serve("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789");
    na_http_request_t req;
    na_http_response_t resp;

    na_http_request_init(&req, NA_HTTP_GET, NULL);
    req.resp_limit = 10;
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, NULL), NA_OK);
    ck_assert_str_eq(resp.body, "0123456789");
}
END_TEST

/* A server that accepts and never answers: the total timeout holds. */
START_TEST(test_http_timeout)
{
    na_test_server_t *srv = na_test_server_start(NA_TEST_SERVER_SILENT, NULL, 0);
    na_http_request_t req;
    na_http_response_t resp;
    na_err_t err = {0};
    apr_time_t t0 = apr_time_now(), ms;

    na_http_request_init(&req, NA_HTTP_GET, NULL);
    req.timeout_ms = 300;
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, &err), NA_ETIMEOUT);
    ms = apr_time_as_msec(apr_time_now() - t0);
    ck_assert_msg(ms >= 250 && ms < 2000, "took %d ms", (int)ms);
    ck_assert_int_eq(err.os_status, CURLE_OPERATION_TIMEDOUT);
}
END_TEST

START_TEST(test_http_refused)
{
    na_http_request_t req;
    na_http_response_t resp;
    na_err_t err = {0};
    const char *url = apr_psprintf(na_test_pool, "http://127.0.0.1:%d/", na_test_closed_port());

    na_http_request_init(&req, NA_HTTP_GET, url);
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, &err), NA_EPEER);
    ck_assert_int_eq(err.os_status, CURLE_COULDNT_CONNECT);
}
END_TEST

/* https:// to a server that speaks plain HTTP: the TLS handshake fails. */
START_TEST(test_http_tls_failure)
{
    const char *answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    na_test_server_t *srv = na_test_server_start(NA_TEST_SERVER_BLURT, answer, strlen(answer));
    na_http_request_t req;
    na_http_response_t resp;
    na_err_t err = {0};

    na_http_request_init(&req, NA_HTTP_GET,
                         apr_psprintf(na_test_pool, "https://127.0.0.1:%d/", srv->port));
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, &err), NA_EPEER);
    na_test_server_stop(srv);
}
END_TEST

/* ---- what goes out --------------------------------------------------------------------- */

/* client_secret_basic: id and secret form-encoded before base64 (RFC 6749 §2.3.1). */
START_TEST(test_http_basic_auth)
{
    na_test_server_t *srv = na_test_serve(NA_TEST_JSON_200);
    na_http_request_t req;
    na_http_response_t resp;

    na_http_request_init(&req, NA_HTTP_POST, NULL);
    req.basic_user = "my client:id";
    req.basic_password = "s3cr3t/+&=";
    req.body = "grant_type=authorization_code";
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, NULL), NA_OK);
    /* base64("my+client%3Aid:s3cr3t%2F%2B%26%3D") */
    ck_assert_ptr_nonnull(strstr(
        srv->request, "\r\nAuthorization: Basic bXkrY2xpZW50JTNBaWQ6czNjcjN0JTJGJTJCJTI2JTNE\r\n"));
}
END_TEST

START_TEST(test_http_post_body)
{
    na_test_server_t *srv = na_test_serve(NA_TEST_JSON_200);
    na_http_request_t req;
    na_http_response_t resp;
    const char *form = NULL, *body;
    const char *const extra[] = {"X-Test: 1", NULL};

    na_http_form_add(na_test_pool, &form, "code", "a b&c=d/é");
    na_http_form_add(na_test_pool, &form, "redirect_uri", "http://localhost:3000/cb");
    ck_assert_str_eq(form,
                     "code=a+b%26c%3Dd%2F%C3%A9&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb");
    na_http_request_init(&req, NA_HTTP_POST, NULL);
    req.body = form;
    req.headers = extra;
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, NULL), NA_OK);
    ck_assert_msg(strncmp(srv->request, "POST /path?q=1 HTTP/1.1\r\n", 25) == 0, "%s",
                  srv->request);
    ck_assert_ptr_nonnull(
        strstr(srv->request, "\r\nContent-Type: application/x-www-form-urlencoded\r\n"));
    ck_assert_ptr_nonnull(strstr(
        srv->request, apr_psprintf(na_test_pool, "\r\nContent-Length: %d\r\n", (int)strlen(form))));
    ck_assert_ptr_nonnull(strstr(srv->request, "\r\nX-Test: 1\r\n"));
    ck_assert_ptr_null(strstr(srv->request, "Expect"));
    body = strstr(srv->request, "\r\n\r\n");
    ck_assert_ptr_nonnull(body);
    ck_assert_str_eq(body + 4, form);
}
END_TEST

START_TEST(test_http_bearer)
{
    na_test_server_t *srv = na_test_serve(NA_TEST_JSON_200);
    na_http_request_t req;
    na_http_response_t resp;

    na_http_request_init(&req, NA_HTTP_GET, NULL);
    req.bearer = "gho_abc.def";
    req.basic_user = "ignored when a bearer token is given";
    ck_assert_int_eq(na_test_fetch(srv, &req, &resp, NULL), NA_OK);
    ck_assert_ptr_nonnull(strstr(srv->request, "\r\nAuthorization: Bearer gho_abc.def\r\n"));
    ck_assert_ptr_null(strstr(srv->request, "Basic"));
}
END_TEST

/* ---- requests refused before anything is sent ------------------------------------------ */

START_TEST(test_http_bad_requests)
{
    const char *const crlf[] = {"X-A: 1\r\nX-Injected: 2", NULL};
    na_http_request_t req;
    na_http_response_t resp;
    na_err_t err = {0};

    na_http_request_init(&req, NA_HTTP_GET, "file:///etc/passwd");
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, &err), NA_EINPUT);
    req.url = "ftp://127.0.0.1/";
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, &err), NA_EINPUT);
    req.url = NULL;
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, &err), NA_EINPUT);
    req.url = "http://127.0.0.1:9/";
    req.bearer = "tok\r\nX-Evil: 1";
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, &err), NA_EINPUT);
    ck_assert_ptr_null(strstr(err.detail, "tok")); /* no token in the log */
    req.bearer = NULL;
    req.headers = crlf;
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, &err), NA_EINPUT);
    req.headers = NULL;
    req.timeout_ms = 0;
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, &err), NA_EINPUT);
    req.timeout_ms = 1000;
    req.resp_limit = (apr_size_t)-1;
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, &err), NA_EINPUT);
    na_http_request_init(&req, 7, "http://127.0.0.1:9/");
    ck_assert_int_eq(na_http_perform(na_test_pool, &req, &resp, &err), NA_EINPUT);
}
END_TEST

START_TEST(test_http_helpers)
{
    ck_assert_str_eq(na_http_form_encode(na_test_pool, "a b+c~*'()!"), "a+b%2Bc~*'()!");
    ck_assert_str_eq(na_http_basic_credentials(na_test_pool, "client", "secret"),
                     "Y2xpZW50OnNlY3JldA==");
    ck_assert_str_eq(na_http_log_safe(na_test_pool, "bad\r\nline\x01", 100), "bad??line?");
    ck_assert_str_eq(na_http_log_safe(na_test_pool, "abcdef", 3), "abc...");
    ck_assert_str_eq(na_http_log_safe(na_test_pool, NULL, 3), "(null)");
}
END_TEST

Suite *suite_http(void)
{
    Suite *s = suite_create("http");
    TCase *tc = na_test_tcase("http");

    /* The caller's job, once per process, before any thread (na_http.h). */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    atexit(curl_global_cleanup);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_http_json_200);
    tcase_add_test(tc, test_http_500);
    tcase_add_test(tc, test_http_html);
    tcase_add_test(tc, test_http_empty_body);
    tcase_add_test(tc, test_http_redirect_not_followed);
    tcase_add_test(tc, test_http_truncated);
    tcase_add_test(tc, test_http_too_big_announced);
    tcase_add_test(tc, test_http_too_big_streamed);
    tcase_add_test(tc, test_http_at_limit);
    tcase_add_test(tc, test_http_timeout);
    tcase_add_test(tc, test_http_refused);
    tcase_add_test(tc, test_http_tls_failure);
    tcase_add_test(tc, test_http_basic_auth);
    tcase_add_test(tc, test_http_post_body);
    tcase_add_test(tc, test_http_bearer);
    tcase_add_test(tc, test_http_bad_requests);
    tcase_add_test(tc, test_http_helpers);
    suite_add_tcase(s, tc);
    return s;
}
