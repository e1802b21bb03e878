/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include "mod_nextauth_authn.h"
#include "mod_nextauth_db.h"
#include "mod_nextauth_event.h"
#include "mod_nextauth_fail.h"
#include "mod_nextauth_metrics.h"
#include "mod_nextauth_oidc.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_revoke.h"
#include "mod_nextauth_req.h"
#include "mod_nextauth_session.h"
#include "mod_nextauth_signout.h"
#include "mod_nextauth_tokens.h"
#include "na_oauth.h"
#include "na_url.h"

/* With logout=on, an OIDC provider's session ends too: the browser goes on to its
 * end_session_endpoint (RP-initiated logout) and comes back to the callback URL. */
static const char *nextauth_signout_at_provider(nextauth_req_t *req,
                                                const na_session_claims_t *claims)
{
    const na_provider_t *prov =
        claims && claims->provider ? na_config_provider(req->conf, claims->provider) : NULL;
    apr_pool_t *p = req->r->pool;
    na_oauth_discovery_t ep;
    const na_tokens_t *t;
    const char *url, *hint;

    if (prov == NULL || !prov->logout || prov->kind != NA_PROVIDER_OIDC
        || nextauth_oidc_endpoints(req->r, prov, &ep) != APR_SUCCESS
        || ep.end_session_endpoint == NULL) {
        return req->callback_url;
    }
    url = na_url_append_query(p, ep.end_session_endpoint, "client_id", prov->client_id);
    url = na_url_append_query(p, url, "post_logout_redirect_uri", req->callback_url);
    /* The ID token is in the session's record; sessions from before records, in the cookie. */
    t = nextauth_tokens_of(req->r, claims);
    hint = t && t->id_token ? t->id_token : claims->id_token;
    if (hint) {
        url = na_url_append_query(p, url, "id_token_hint", hint);
    }
    return url;
}

/* The session ends on every host, so a copy of the cookie dies with it; with
 * everywhere=true every session of its user does (the form is CSRF-checked). A list that
 * cannot be written leaves the browser signed out all the same (logged). */
static void nextauth_signout_revoke(nextauth_req_t *req, const na_session_claims_t *claims)
{
    const char *everywhere = apr_table_get(req->form, "everywhere");
    const char *user;

    if (claims == NULL) {
        return;
    }
    if (claims->sid && nextauth_revoke_session(req->r, claims->sid) == NA_OK) {
        nextauth_metrics_revocation(NA_METRICS_REVOKE_SIGNOUT);
    }
    if (everywhere == NULL || strcmp(everywhere, "true") != 0) {
        return;
    }
    /* A database session's user is its row's: the other rows go (they have no sign-in
     * time for the list to compare). */
    if (nextauth_session_db(req->r, NULL, NULL) && claims->sub
        && nextauth_db_sessions_delete_user(req->r, claims->sub) == APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r,
                      NA_LOGNO(00277) "signed out everywhere: every database session of this "
                                      "user deleted");
    }
    if ((user = nextauth_authn_user(req->r, claims)) != NULL
        && nextauth_revoke_user(req->r, user) == NA_OK) {
        nextauth_metrics_revocation(NA_METRICS_REVOKE_EVERYWHERE);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r,
                      NA_LOGNO(00271) "signed out everywhere: every session of this user ends");
    }
}

/* POST signout: clear every session chunk, then go to the callback URL (through the
 * provider's sign-out when configured). Without a session cookie nothing is cleared,
 * as in next-auth. */
int nextauth_route_signout_post(nextauth_req_t *req)
{
    const na_session_claims_t *claims;
    const char *token = NULL, *url;
    int status;

    if (!nextauth_req_csrf_ok(req)) {
        return nextauth_fail_csrf(req, NA_LOGNO(00168), "/signout");
    }
    claims = nextauth_session_load(req->r, req->conf, &req->names, &status);
    if (!nextauth_session_sent(req->r)) {
        return nextauth_reply_redirect(req, req->callback_url, HTTP_OK);
    }
    if (nextauth_session_db(req->r, &token, NULL) && token
        && nextauth_db_session_delete(req->r, token) == NEXTAUTH_DB_ESCHEMA) {
        return nextauth_fail_answer(req, "Configuration", HTTP_INTERNAL_SERVER_ERROR);
    }
    nextauth_session_clear(req);
    nextauth_signout_revoke(req, claims);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, NA_LOGNO(00023) "signed out");
    nextauth_event_record(req->r, NA_EVENT_SIGNOUT, NULL, claims, 0);
    url = nextauth_signout_at_provider(req, claims);
    if (claims && claims->sid) {
        nextauth_tokens_forget(req->r, claims->sid); /* a copied cookie finds no tokens */
    }
    return nextauth_reply_redirect(req, url, HTTP_OK);
}
