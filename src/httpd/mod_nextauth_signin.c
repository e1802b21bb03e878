/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include "mod_nextauth_email.h"
#include "mod_nextauth_fail.h"
#include "mod_nextauth_oauth.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_req.h"
#include "mod_nextauth_signin.h"

/* POST signin/:provider: where each provider kind's sign-in starts. OAuth and e-mail
 * carry on in their own files; a credentials form posts to callback/<id> instead. */

/* POST signin/:provider */
int nextauth_route_signin_post(nextauth_req_t *req)
{
    const na_provider_t *prov =
        req->route.param ? na_config_provider(req->conf, req->route.param) : NULL;

    if (!nextauth_req_csrf_ok(req) || prov == NULL) {
        return nextauth_fail_csrf(req, NA_LOGNO(00017), "/signin");
    }
    if (prov->kind == NA_PROVIDER_CREDENTIALS) {
        /* Credentials post to callback/<id>; next-auth sends this one to the page. */
        return nextauth_reply_redirect(
            req, apr_pstrcat(req->r->pool, req->base_url, "/signin", NULL), HTTP_OK);
    }
    if (prov->kind & NA_PROVIDER_ANY_OAUTH) {
        return nextauth_oauth_signin(req, prov);
    }
    /* The provider kinds are closed (na_provider_parse): what is left is e-mail. */
    return nextauth_email_signin(req, prov);
}
