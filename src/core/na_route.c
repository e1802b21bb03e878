/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_route.h"

#define NA_M_GET 1u
#define NA_M_POST 2u

/* Each action, its methods, and whether a second segment is required, allowed or not. */
typedef enum { NA_PARAM_NONE, NA_PARAM_OPTIONAL, NA_PARAM_REQUIRED } na_param_e;

typedef struct na_route_spec_t {
    const char *action;
    na_param_e param;
    unsigned methods;
    na_route_id_e id;
} na_route_spec_t;

/* Order matters: the first spec whose action and param shape fit is taken, so
 * "signin" without a provider is the page and "signin/x" by POST is the sign-in.
 * GET signin/x renders the page too (next-auth shows x as an error value). */
static const na_route_spec_t na_route_table[] = {
    {"signin", NA_PARAM_NONE, NA_M_GET | NA_M_POST, NA_ROUTE_SIGNIN},
    {"signin", NA_PARAM_REQUIRED, NA_M_POST, NA_ROUTE_SIGNIN_PROVIDER},
    {"signin", NA_PARAM_REQUIRED, NA_M_GET, NA_ROUTE_SIGNIN},
    {"callback", NA_PARAM_REQUIRED, NA_M_GET | NA_M_POST, NA_ROUTE_CALLBACK},
    {"signout", NA_PARAM_NONE, NA_M_GET | NA_M_POST, NA_ROUTE_SIGNOUT},
    {"session", NA_PARAM_NONE, NA_M_GET | NA_M_POST, NA_ROUTE_SESSION},
    {"csrf", NA_PARAM_NONE, NA_M_GET, NA_ROUTE_CSRF},
    {"providers", NA_PARAM_NONE, NA_M_GET, NA_ROUTE_PROVIDERS},
    {"verify-request", NA_PARAM_NONE, NA_M_GET, NA_ROUTE_VERIFY_REQUEST},
    {"error", NA_PARAM_OPTIONAL, NA_M_GET, NA_ROUTE_ERROR},
    {"_log", NA_PARAM_NONE, NA_M_POST, NA_ROUTE_LOG},
    {"logo", NA_PARAM_REQUIRED, NA_M_GET, NA_ROUTE_LOGO},
    {"backchannel-logout", NA_PARAM_REQUIRED, NA_M_POST, NA_ROUTE_BACKCHANNEL},
    {NULL, NA_PARAM_NONE, 0, NA_ROUTE__COUNT},
};

static unsigned na_route_method_bit(const char *method)
{
    if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) {
        return NA_M_GET;
    }
    if (strcmp(method, "POST") == 0) {
        return NA_M_POST;
    }
    return 0;
}

static const char *na_route_allow(unsigned methods)
{
    switch (methods) {
    case NA_M_GET:
        return "GET, HEAD";
    case NA_M_POST:
        return "POST";
    default:
        return "GET, HEAD, POST";
    }
}

static int na_route_param_fits(na_param_e want, const char *param)
{
    switch (want) {
    case NA_PARAM_NONE:
        return param == NULL;
    case NA_PARAM_REQUIRED:
        return param != NULL;
    default:
        return 1;
    }
}

na_route_result_e na_route_match(apr_pool_t *p, const char *method, const char *subpath,
                                 na_route_match_t *out)
{
    const char *action, *slash, *param = NULL;
    unsigned bit = na_route_method_bit(method), allowed = 0;
    const na_route_spec_t *spec;

    if (*subpath != '/') {
        return NA_ROUTE_NOT_FOUND;
    }
    action = subpath + 1;
    slash = strchr(action, '/');
    if (slash) {
        param = slash + 1;
        action = apr_pstrmemdup(p, action, (apr_size_t)(slash - action));
        /* One segment at most after the action, and not an empty one. */
        if (*param == '\0' || strchr(param, '/')) {
            return NA_ROUTE_NOT_FOUND;
        }
    }
    for (spec = na_route_table; spec->action; spec++) {
        if (strcmp(spec->action, action) != 0 || !na_route_param_fits(spec->param, param)) {
            continue;
        }
        if (spec->methods & bit) {
            out->id = spec->id;
            out->param = param;
            out->allow = NULL;
            return NA_ROUTE_FOUND;
        }
        allowed |= spec->methods;
    }
    if (allowed == 0) {
        return NA_ROUTE_NOT_FOUND;
    }
    out->allow = na_route_allow(allowed);
    return NA_ROUTE_BAD_METHOD;
}
