/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_route.h"
#include "suites.h"

typedef struct na_test_route_t {
    const char *method;
    const char *subpath;
    na_route_result_e result;
    na_route_id_e id;  /* for FOUND */
    const char *param; /* for FOUND */
    const char *allow; /* for BAD_METHOD */
} na_test_route_t;

#define NA_FOUND(m, path, id, param)                                                               \
    {                                                                                              \
        m, path, NA_ROUTE_FOUND, id, param, NULL                                                   \
    }
#define NA_404(m, path)                                                                            \
    {                                                                                              \
        m, path, NA_ROUTE_NOT_FOUND, NA_ROUTE__COUNT, NULL, NULL                                   \
    }
#define NA_405(m, path, allow)                                                                     \
    {                                                                                              \
        m, path, NA_ROUTE_BAD_METHOD, NA_ROUTE__COUNT, NULL, allow                                 \
    }

static const na_test_route_t na_test_routes[] = {
    /* every route, with every method it takes; HEAD is GET */
    NA_FOUND("GET", "/signin", NA_ROUTE_SIGNIN, NULL),
    NA_FOUND("HEAD", "/signin", NA_ROUTE_SIGNIN, NULL),
    NA_FOUND("POST", "/signin", NA_ROUTE_SIGNIN, NULL),
    NA_FOUND("GET", "/signin/github", NA_ROUTE_SIGNIN, "github"),
    NA_FOUND("POST", "/signin/github", NA_ROUTE_SIGNIN_PROVIDER, "github"),
    NA_FOUND("POST", "/signin/azure-ad", NA_ROUTE_SIGNIN_PROVIDER, "azure-ad"),
    NA_FOUND("GET", "/callback/github", NA_ROUTE_CALLBACK, "github"),
    NA_FOUND("HEAD", "/callback/github", NA_ROUTE_CALLBACK, "github"),
    NA_FOUND("POST", "/callback/credentials", NA_ROUTE_CALLBACK, "credentials"),
    NA_FOUND("GET", "/signout", NA_ROUTE_SIGNOUT, NULL),
    NA_FOUND("POST", "/signout", NA_ROUTE_SIGNOUT, NULL),
    NA_FOUND("GET", "/session", NA_ROUTE_SESSION, NULL),
    NA_FOUND("POST", "/session", NA_ROUTE_SESSION, NULL),
    NA_FOUND("GET", "/csrf", NA_ROUTE_CSRF, NULL),
    NA_FOUND("HEAD", "/csrf", NA_ROUTE_CSRF, NULL),
    NA_FOUND("GET", "/providers", NA_ROUTE_PROVIDERS, NULL),
    NA_FOUND("GET", "/verify-request", NA_ROUTE_VERIFY_REQUEST, NULL),
    NA_FOUND("GET", "/error", NA_ROUTE_ERROR, NULL),
    NA_FOUND("GET", "/error/Configuration", NA_ROUTE_ERROR, "Configuration"),
    NA_FOUND("POST", "/_log", NA_ROUTE_LOG, NULL),
    NA_FOUND("GET", "/logo/github.svg", NA_ROUTE_LOGO, "github.svg"),
    NA_FOUND("POST", "/backchannel-logout/keycloak", NA_ROUTE_BACKCHANNEL, "keycloak"),
    /* 405 with the methods the path does take */
    NA_405("PUT", "/signin", "GET, HEAD, POST"),
    NA_405("DELETE", "/signin/github", "GET, HEAD, POST"),
    NA_405("PUT", "/callback/github", "GET, HEAD, POST"),
    NA_405("DELETE", "/session", "GET, HEAD, POST"),
    NA_405("PATCH", "/signout", "GET, HEAD, POST"),
    NA_405("POST", "/csrf", "GET, HEAD"),
    NA_405("GET", "/backchannel-logout/keycloak", "POST"),
    NA_405("PUT", "/csrf", "GET, HEAD"),
    NA_405("POST", "/providers", "GET, HEAD"),
    NA_405("POST", "/verify-request", "GET, HEAD"),
    NA_405("POST", "/error", "GET, HEAD"),
    NA_405("POST", "/error/x", "GET, HEAD"),
    NA_405("DELETE", "/logo/github.svg", "GET, HEAD"),
    NA_405("GET", "/_log", "POST"),
    NA_405("HEAD", "/_log", "POST"),
    NA_405("OPTIONS", "/session", "GET, HEAD, POST"),
    NA_405("get", "/csrf", "GET, HEAD"), /* methods are case-sensitive */
    NA_405("", "/csrf", "GET, HEAD"),
    /* 404: unknown actions and wrong shapes */
    NA_404("GET", ""),
    NA_404("GET", "/"),
    NA_404("POST", "/backchannel-logout"),
    NA_404("GET", "//"),
    NA_404("GET", "///"),
    NA_404("GET", "csrf"),
    NA_404("GET", "/csrf/"),
    NA_404("GET", "/csrf/x"),
    NA_404("POST", "/csrf/x"),
    NA_404("GET", "/session/x"),
    NA_404("GET", "/providers/github"),
    NA_404("POST", "/_log/x"),
    NA_404("GET", "/signin/"),
    NA_404("GET", "/signin/a/b"),
    NA_404("POST", "/signin/a/b"),
    NA_404("POST", "/signin//"),
    NA_404("GET", "/callback"),
    NA_404("POST", "/callback"),
    NA_404("GET", "/callback/"),
    NA_404("GET", "/callback/github/x"),
    NA_404("GET", "/error/a/b"),
    NA_404("GET", "/logo"),
    NA_404("GET", "/nosuch"),
    NA_404("PUT", "/nosuch"),
    NA_404("GET", "/CSRF"),
    NA_404("GET", "/csrf%2f"),
    NA_404("GET", "/signin%2fgithub"),
    NA_404("GET", "/../csrf"),
    NA_404("GET", "//csrf"),
};

START_TEST(test_route_match)
{
    const na_test_route_t *tc = &na_test_routes[_i];
    na_route_match_t m;
    na_route_result_e r;

    memset(&m, 0, sizeof(m));
    m.id = NA_ROUTE__COUNT;
    r = na_route_match(na_test_pool, tc->method, tc->subpath, &m);
    ck_assert_msg(r == tc->result, "%s '%s': result %d, want %d", tc->method, tc->subpath, r,
                  tc->result);
    switch (tc->result) {
    case NA_ROUTE_FOUND:
        ck_assert_int_eq(m.id, tc->id);
        ck_assert_pstr_eq(m.param, tc->param);
        ck_assert_ptr_null(m.allow);
        break;
    case NA_ROUTE_BAD_METHOD:
        ck_assert_pstr_eq(m.allow, tc->allow);
        break;
    default:
        break;
    }
}
END_TEST

/* Every route id except the table's end marker is reachable. */
START_TEST(test_route_every_id_reachable)
{
    int seen[NA_ROUTE__COUNT];
    int i;

    memset(seen, 0, sizeof(seen));
    for (i = 0; i < NA_TEST_COUNT(na_test_routes); i++) {
        if (na_test_routes[i].result == NA_ROUTE_FOUND) {
            seen[na_test_routes[i].id] = 1;
        }
    }
    for (i = 0; i < NA_ROUTE__COUNT; i++) {
        ck_assert_msg(seen[i], "route id %d has no case in the table", i);
    }
}
END_TEST

Suite *suite_route(void)
{
    Suite *s = suite_create("route");
    TCase *tc = na_test_tcase("match");

    tcase_add_loop_test(tc, test_route_match, 0, NA_TEST_COUNT(na_test_routes));
    tcase_add_test(tc, test_route_every_id_reachable);
    suite_add_tcase(s, tc);
    return s;
}
