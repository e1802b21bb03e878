/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>

#include "mod_nextauth_authn.h"
#include "mod_nextauth_revoke.h"
#include "mod_nextauth_complete.h"
#include "mod_nextauth_db.h"
#include "mod_nextauth_event.h"
#include "mod_nextauth_fail.h"
#include "mod_nextauth_metrics.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_session.h"
#include "mod_nextauth_tokens.h"
#include "na_policy.h"
#include "na_signin.h"
#include "na_url.h"

/* After a provider accepted the user (OAuth callback, magic link, credentials): the
 * database's user and account (na_signin_resolve), then the session, then the redirect. */

/* The log line of each note of na_signin_resolve: its number and level. */
static const struct {
    int level;
    const char *tag;
} nextauth_complete_notes[NA_SIGNIN_NOTE__COUNT] = {
    [NA_SIGNIN_NOTE_LINKED] = {APLOG_INFO, NA_LOGNO(00049)},
    [NA_SIGNIN_NOTE_NO_ACCOUNT] = {APLOG_ERR, NA_LOGNO(00050)},
    [NA_SIGNIN_NOTE_NO_EMAIL] = {APLOG_ERR, NA_LOGNO(00051)},
};

static void nextauth_complete_note(void *baton, na_signin_note_e what, const char *text)
{
    ap_log_rerror(APLOG_MARK, nextauth_complete_notes[what].level, 0, (request_rec *)baton, "%s%s",
                  nextauth_complete_notes[what].tag, text);
}

/* The user of the incoming session, when it is a database user: a database session, or
 * a JWT whose sub is a user id (from a sign-in that went through the database). NA_OK
 * with NULL when there is none; a failure is logged and fills *err. */
static na_status_t nextauth_complete_current(nextauth_req_t *req, na_store_t *store,
                                             const na_store_user_t **current, na_err_t *err)
{
    request_rec *r = req->r;
    const na_session_claims_t *c;
    const na_provider_t *from;
    na_store_user_t *user = NULL;
    na_status_t st;
    int status;

    *current = NULL;
    c = nextauth_session_load(r, req->conf, &req->names, &status);
    if (c == NULL) {
        /* A database session whose row could not be read: the database failed. */
        return status == NA_EPEER ? na_err_set(r->pool, err, NA_EPEER, NULL, "session") : NA_OK;
    }
    if (!nextauth_session_db(r, NULL, NULL)) {
        /* Credentials sessions never name a database user. */
        from = c->provider ? na_config_provider(req->conf, c->provider) : NULL;
        if (from == NULL || from->kind == NA_PROVIDER_CREDENTIALS) {
            return NA_OK;
        }
    }
    if ((st = na_store_user_by_id(store, c->sub, &user, err)) != NA_OK || user == NULL) {
        return st;
    }
    /* A JWT from before the database was turned on may carry a profile id that happens
     * to be a user id: the e-mail must agree too. */
    if (!nextauth_session_db(r, NULL, NULL) && c->email
        && (user->email == NULL || strcasecmp(user->email, c->email) != 0)) {
        return NA_OK;
    }
    *current = user;
    return NA_OK;
}

/* Whom this sign-in belongs to in the database (next-auth's callbackHandler). A failure
 * fills *err with its NextAuth code; the store and the notes have logged their own. */
static na_status_t nextauth_complete_resolve(nextauth_req_t *req, const na_provider_t *prov,
                                             const na_session_claims_t *claims,
                                             const na_store_account_t *account,
                                             na_signin_result_t *res, na_err_t *err)
{
    na_store_t *store = nextauth_db_store(req->r);
    na_signin_t in;
    na_status_t st;

    if (store == NULL) {
        return na_err_set(req->r->pool, err, NA_EPEER, "Callback", "no database connection");
    }
    memset(&in, 0, sizeof(in));
    if ((st = nextauth_complete_current(req, store, &in.current, err)) != NA_OK) {
        return st;
    }
    in.store = store;
    in.provider = prov->id;
    in.email_provider = prov->kind == NA_PROVIDER_EMAIL;
    in.profile.name = claims->name;
    in.profile.email = claims->email;
    in.profile.image = claims->picture;
    in.account = account;
    if (in.current) {
        nextauth_session_db(req->r, &in.current_db_token, NULL);
    }
    in.now = apr_time_sec(apr_time_now());
    in.note = nextauth_complete_note;
    in.baton = req->r;
    return na_signin_resolve(&in, res, err);
}

/* With NextAuthDatabase: the claims become the database user's. */
static na_status_t nextauth_complete_database(nextauth_req_t *req, const na_provider_t *prov,
                                              na_session_claims_t *claims,
                                              const na_store_account_t *account,
                                              na_signin_result_t *res, na_err_t *err)
{
    na_status_t st = nextauth_complete_resolve(req, prov, claims, account, res, err);

    if (st != NA_OK) {
        return st;
    }
    claims->sub = res->user->id;
    claims->name = res->user->name;
    claims->email = res->user->email;
    claims->picture = res->user->image;
    claims->present = NA_CLAIM_NAME | NA_CLAIM_EMAIL | NA_CLAIM_PICTURE;
    return NA_OK;
}

/* next-auth answers a failed callbackHandler with 200 and the error URL, a missing table
 * (Configuration) with 500. A refusal by the linking table (OAuthAccountNotLinked) is the
 * user's doing and logged here, once; the store logged its own failures. */
static int nextauth_complete_failed(nextauth_req_t *req, na_status_t st, const na_err_t *err)
{
    const char *code = err->code ? err->code : "Callback";

    if (st == NA_EDENIED || st == NA_EINPUT) {
        nextauth_fail_log(req->r, NA_LOGNO(00008), st, err, "sign-in refused (%s)", code);
    }
    return nextauth_fail_answer(
        req, code, strcmp(code, "Configuration") == 0 ? HTTP_INTERNAL_SERVER_ERROR : HTTP_OK);
}

static const char *nextauth_complete_new_user_url(nextauth_req_t *req)
{
    const char *page = req->conf->pages.new_user;

    return na_url_append_query(req->r->pool, page, "callbackUrl", req->callback_url);
}

/* A JWT session of an OAuth sign-in keeps the IdP's tokens on the server under its
 * session id; the ID token then leaves the cookie (sign-out finds it in the record). */
static void nextauth_complete_keep_tokens(nextauth_req_t *req, const na_provider_t *prov,
                                          na_session_claims_t *claims,
                                          const na_store_account_t *account)
{
    if (nextauth_tokens_signin(req, prov, claims, account)) {
        claims->id_token = NULL;
    }
}

/* Before a JWT session is issued: its sid known now (the back channel's map needs it),
 * and an auth_time after any "sign out everywhere" of the same second. */
static void nextauth_complete_revocable(nextauth_req_t *req, na_session_claims_t *claims)
{
    const char *user = nextauth_authn_user(req->r, claims);
    apr_int64_t now = apr_time_sec(apr_time_now());

    if (claims->sid == NULL && na_tokens_sid_new(req->r->pool, &claims->sid) != NA_OK) {
        claims->sid = NULL; /* the encoder mints one; only the back channel's map lacks it */
    }
    if (user && nextauth_revoke_ready()) {
        claims->auth_time = nextauth_revoke_signin_time(req->r, user, now);
    }
}

/* After the session is issued: which of our sessions the IdP's session and subject have. */
static void nextauth_complete_remember(nextauth_req_t *req, const na_provider_t *prov,
                                       const na_session_claims_t *claims)
{
    if (prov->kind == NA_PROVIDER_OIDC && (req->idp_sid || req->idp_sub)) {
        nextauth_revoke_remember(req->r, prov->id, req->idp_sid, req->idp_sub, claims->sid,
                                 nextauth_authn_user(req->r, claims));
    }
}

int nextauth_signin_complete(nextauth_req_t *req, const na_provider_t *prov,
                             na_session_claims_t *claims, const na_store_account_t *account)
{
    na_signin_result_t res;
    na_err_t err = {NULL, NULL, 0};
    apr_int64_t expires = 0;
    const char *db_token = NULL;
    apr_status_t st;
    na_status_t nst;
    int database = req->conf->database == 1 && prov->kind != NA_PROVIDER_CREDENTIALS;

    if (!na_policy_email_allowed(req->conf->signin_allow, claims->email)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r,
                      NA_LOGNO(00018) "sign-in refused by " NA_DIR_SIGNIN_ALLOW " for %s",
                      claims->email ? ap_escape_logitem(req->r->pool, claims->email) : "-");
        return nextauth_fail_answer(req, "AccessDenied", HTTP_FORBIDDEN);
    }
    memset(&res, 0, sizeof(res));
    if (database
        && (nst = nextauth_complete_database(req, prov, claims, account, &res, &err)) != NA_OK) {
        return nextauth_complete_failed(req, nst, &err);
    }
    if (database && na_config_strategy(req->conf) == NA_STRATEGY_DATABASE) {
        if (!(res.keep && nextauth_session_db(req->r, &db_token, NULL))
            && (st = nextauth_session_issue_db(req, res.user->id, &expires, &db_token))
                   != APR_SUCCESS) {
            /* Logged by the database glue. */
            return nextauth_fail_answer(
                req, st == NEXTAUTH_DB_ESCHEMA ? "Configuration" : "Callback",
                st == NEXTAUTH_DB_ESCHEMA ? HTTP_INTERNAL_SERVER_ERROR : HTTP_OK);
        }
        /* The row's session keeps the tokens under an id derived from its token. */
        if (db_token && na_tokens_sid_of(req->r->pool, db_token, &claims->sid) == NA_OK) {
            nextauth_tokens_signin(req, prov, claims, account);
        }
    }
    else {
        nextauth_complete_keep_tokens(req, prov, claims, account);
        nextauth_complete_revocable(req, claims);
        if (nextauth_session_issue(req, claims, &expires) != APR_SUCCESS) {
            return nextauth_fail_answer(req, "Configuration", HTTP_INTERNAL_SERVER_ERROR);
        }
    }
    nextauth_complete_remember(req, prov, claims);
    nextauth_event_signin(req->r, prov->id, claims, &res);
    nextauth_metrics_signin(req, prov->id);
    if (res.is_new && req->conf->pages.new_user) {
        return nextauth_reply_redirect(req, nextauth_complete_new_user_url(req), HTTP_OK);
    }
    return nextauth_reply_redirect(req, req->callback_url, HTTP_OK);
}
