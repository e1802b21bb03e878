/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>
#include <http_request.h>

#include <apr_atomic.h>

#include "mod_nextauth.h"
#include "na_crypto.h"
#include "na_limit.h"
#include "na_page.h"
#include "na_policy.h"

#define NEXTAUTH_MAX_USERNAME 256
#define NEXTAUTH_MAX_PASSWORD 1024
/* A throttled answer waits as long as a failed password check takes, at most this. */
#define NEXTAUTH_THROTTLE_DEFAULT apr_time_from_msec(100)
#define NEXTAUTH_THROTTLE_CAP     apr_time_from_sec(2)

/* Per process: moving average of how long failed password checks take (microseconds). */
static apr_uint32_t nextauth_signin_failed_usec;

/* next-auth answers a failed CSRF check on a sign-in or sign-out POST by sending the
 * user back to the page with csrf=true (or that URL as JSON, status 200). */
static int nextauth_signin_csrf_failed(nextauth_req_t *req, const char *page)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, NA_LOGNO(00017)
                  "CSRF check failed on %s %s", req->r->method, req->r->uri);
    return nextauth_reply_redirect(req, apr_pstrcat(req->r->pool, req->base_url, page,
                                                    "?csrf=true", NULL), HTTP_OK);
}

/* What the database says about this sign-in (next-auth's callbackHandler). */
typedef struct nextauth_resolved_t {
    nextauth_user_t *user;
    int is_new;        /**< the user was created now: NextAuthPages newUser applies */
    int keep;          /**< keep the incoming database session (linking while signed in) */
    const char *error; /**< the NextAuth error code when resolution failed */
} nextauth_resolved_t;

/* The user of the incoming session, when it is a database user: a database session, or
 * a JWT whose sub is a user id (from a sign-in that went through the database). */
static nextauth_user_t *nextauth_signin_current(nextauth_req_t *req, apr_status_t *st)
{
    request_rec *r = req->r;
    const na_session_claims_t *c;
    const na_provider_t *from;
    nextauth_user_t *user = NULL;
    int status;

    *st = APR_SUCCESS;
    c = nextauth_session_load(r, req->conf, &req->names, &status);
    if (c == NULL) {
        if (status == NA_EPEER) {
            *st = APR_EGENERAL;
        }
        return NULL;
    }
    if (!nextauth_session_db(r, NULL, NULL)) {
        /* Credentials sessions never name a database user. */
        from = c->provider ? na_config_provider(req->conf, c->provider) : NULL;
        if (from == NULL || from->kind == NA_PROVIDER_CREDENTIALS) {
            return NULL;
        }
    }
    *st = nextauth_db_user_by_id(r, c->sub, &user);
    if (*st == APR_NOTFOUND) {
        *st = APR_SUCCESS;
        return NULL;
    }
    /* A JWT from before the database was turned on may carry a profile id that happens
     * to be a user id: the e-mail must agree too. */
    if (user && !nextauth_session_db(r, NULL, NULL) && c->email
        && (user->email == NULL || strcasecmp(user->email, c->email) != 0)) {
        return NULL;
    }
    return user;
}

static const char *nextauth_signin_db_error(apr_status_t st)
{
    return st == NEXTAUTH_DB_ESCHEMA ? "Configuration" : "Callback";
}

static void nextauth_signin_resolve_email(nextauth_req_t *req, const na_provider_t *prov,
                                          na_session_claims_t *claims,
                                          const nextauth_account_t *account,
                                          nextauth_user_t *current, nextauth_resolved_t *out)
{
    request_rec *r = req->r;
    apr_int64_t now = apr_time_sec(apr_time_now());
    const char *email = claims->email ? claims->email
                        : account ? account->provider_account_id : NULL;
    const char *token;
    nextauth_user_t *found = NULL, in;
    nextauth_account_t link;
    apr_status_t st;

    if (email == NULL || *email == '\0') {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00051)
                      "e-mail sign-in through %s without an address", prov->id);
        out->error = "Callback";
        return;
    }
    st = nextauth_db_user_by_email(r, email, &out->user);
    if (st == APR_SUCCESS) {
        if ((st = nextauth_db_user_verified(r, out->user->id, now)) != APR_SUCCESS) {
            out->error = nextauth_signin_db_error(st);
            return;
        }
        out->user->email_verified = now;
    }
    else if (st == APR_NOTFOUND) {
        memset(&in, 0, sizeof(in));
        in.email = email;
        in.email_verified = now;
        /* The link proved the address: a user made for it meanwhile is this one. */
        if ((st = nextauth_db_user_create(r, &in, 1, &out->user)) != APR_SUCCESS) {
            out->error = st == NEXTAUTH_DB_ESCHEMA ? "Configuration" : "EmailCreateAccount";
            return;
        }
        out->is_new = 1;
    }
    else {
        out->error = nextauth_signin_db_error(st);
        return;
    }
    /* Signed in as someone else in a database session: that session ends. */
    if (current && strcmp(current->id, out->user->id) != 0
        && nextauth_session_db(r, &token, NULL)) {
        nextauth_db_session_delete(r, token);
    }
    st = nextauth_db_user_by_account(r, prov->id, email, &found);
    if (st == APR_NOTFOUND) {
        memset(&link, 0, sizeof(link));
        if (account) {
            link = *account;
        }
        link.user_id = out->user->id;
        link.type = "email";
        link.provider = prov->id;
        link.provider_account_id = email;
        st = nextauth_db_account_link(r, &link);
    }
    if (st != APR_SUCCESS) {
        out->error = nextauth_signin_db_error(st);
    }
}

/* Up to 4 looks 50 ms apart: a first sign-in elsewhere links within that, and an e-mail
 * really owned by another provider's user waits 150 ms longer for its error page. */
#define NEXTAUTH_SIGNIN_LINK_WAITS 4

/* The account's user, waiting a little for one to appear: the same person's first sign-in
 * in another tab or on another host makes the user first and links the account after, and
 * until then this one would see an e-mail taken by an unlinked user. 0 when still none. */
static int nextauth_signin_linked_soon(request_rec *r, const nextauth_account_t *account,
                                       nextauth_user_t **linked)
{
    int i;

    for (i = 0; i < NEXTAUTH_SIGNIN_LINK_WAITS; i++) {
        if (i > 0) {
            apr_sleep(apr_time_from_msec(50));
        }
        if (nextauth_db_user_by_account(r, account->provider, account->provider_account_id,
                                        linked) == APR_SUCCESS) {
            return 1;
        }
    }
    return 0;
}

/* Linking the account to the user just made failed. The same first sign-in finished
 * elsewhere meanwhile (a user without an e-mail has no unique index to meet on): the
 * account's user it is, and ours goes; else nothing half-made stays either. */
static void nextauth_signin_link_lost(request_rec *r, const nextauth_account_t *account,
                                      apr_status_t st, nextauth_resolved_t *out)
{
    nextauth_user_t *linked = NULL;

    if (st != NEXTAUTH_DB_ESCHEMA
        && nextauth_db_user_by_account(r, account->provider, account->provider_account_id,
                                       &linked) == APR_SUCCESS) {
        if (strcmp(linked->id, out->user->id) != 0) {
            nextauth_db_user_delete(r, out->user->id);
            out->user = linked;
        }
        return;
    }
    nextauth_db_user_delete(r, out->user->id);
    out->error = nextauth_signin_db_error(st);
}

/* SPEC 9 "Account linking", the table, row by row. */
static void nextauth_signin_resolve_oauth(nextauth_req_t *req, na_session_claims_t *claims,
                                          const nextauth_account_t *account,
                                          nextauth_user_t *current, nextauth_resolved_t *out)
{
    request_rec *r = req->r;
    nextauth_user_t *linked = NULL, *by_email = NULL, in;
    nextauth_account_t link;
    apr_status_t st;

    st = nextauth_db_user_by_account(r, account->provider, account->provider_account_id,
                                     &linked);
    if (st == APR_SUCCESS) {
        if (current && strcmp(current->id, linked->id) != 0) {
            out->error = "OAuthAccountNotLinked";
            return;
        }
        out->user = linked;
        out->keep = current != NULL;
        return;
    }
    if (st != APR_NOTFOUND) {
        out->error = nextauth_signin_db_error(st);
        return;
    }
    link = *account;
    if (current) {
        link.user_id = current->id;
        if ((st = nextauth_db_account_link(r, &link)) != APR_SUCCESS) {
            out->error = nextauth_signin_db_error(st);
            return;
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, NA_LOGNO(00049)
                      "linked a %s account to user %s", account->provider, current->id);
        out->user = current;
        out->keep = 1;
        return;
    }
    /* No e-mail (none sent, or not verified): nothing to look up or link by. */
    st = nextauth_db_user_by_email(r, claims->email, &by_email);
    if (st == APR_SUCCESS) {
        if (nextauth_signin_linked_soon(r, account, &linked)
            && strcmp(linked->id, by_email->id) == 0) {
            out->user = linked;
            return;
        }
        out->error = "OAuthAccountNotLinked";
        return;
    }
    if (st != APR_NOTFOUND) {
        out->error = nextauth_signin_db_error(st);
        return;
    }
    memset(&in, 0, sizeof(in));
    in.name = claims->name;
    in.email = claims->email;
    in.image = claims->picture;
    if ((st = nextauth_db_user_create(r, &in, 0, &out->user)) != APR_SUCCESS) {
        /* The e-mail became taken meanwhile: by this same first sign-in elsewhere (its
         * account shows up linked), or by someone else, whose user is not ours to take. */
        if (st != NEXTAUTH_DB_ESCHEMA && nextauth_signin_linked_soon(r, account, &linked)) {
            out->user = linked;
            return;
        }
        out->error = st == NEXTAUTH_DB_ESCHEMA ? "Configuration"
                     : st == APR_EEXIST        ? "OAuthAccountNotLinked"
                                               : "OAuthCreateAccount";
        return;
    }
    link.user_id = out->user->id;
    if ((st = nextauth_db_account_link(r, &link)) != APR_SUCCESS) {
        nextauth_signin_link_lost(r, account, st, out);
        return;
    }
    out->is_new = 1;
}

static void nextauth_signin_resolve(nextauth_req_t *req, const na_provider_t *prov,
                                    na_session_claims_t *claims,
                                    const nextauth_account_t *account, nextauth_resolved_t *out)
{
    apr_status_t st;
    nextauth_user_t *current = nextauth_signin_current(req, &st);

    if (st != APR_SUCCESS) {
        out->error = nextauth_signin_db_error(st);
    }
    else if (prov->kind == NA_PROVIDER_EMAIL) {
        nextauth_signin_resolve_email(req, prov, claims, account, current, out);
    }
    else if (account == NULL || account->provider_account_id == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, NA_LOGNO(00050)
                      "sign-in through %s without an account", prov->id);
        out->error = "Callback";
    }
    else {
        nextauth_signin_resolve_oauth(req, claims, account, current, out);
    }
}

static const char *nextauth_signin_new_user_url(nextauth_req_t *req)
{
    const char *page = req->conf->pages.new_user;

    return na_url_append_query(req->r->pool, page, "callbackUrl", req->callback_url);
}

int nextauth_signin_complete(nextauth_req_t *req, const na_provider_t *prov,
                             na_session_claims_t *claims, const nextauth_account_t *account)
{
    nextauth_resolved_t res;
    apr_int64_t expires = 0;
    apr_status_t st;
    int database = req->conf->database == 1 && prov->kind != NA_PROVIDER_CREDENTIALS;

    if (!na_policy_email_allowed(req->conf->signin_allow, claims->email)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, NA_LOGNO(00018)
                      "sign-in refused by " NA_DIR_SIGNIN_ALLOW " for %s",
                      claims->email ? ap_escape_logitem(req->r->pool, claims->email) : "-");
        return nextauth_fail(req, "AccessDenied", HTTP_FORBIDDEN);
    }
    memset(&res, 0, sizeof(res));
    if (database) {
        nextauth_signin_resolve(req, prov, claims, account, &res);
        if (res.error) {
            return nextauth_fail(req, res.error, strcmp(res.error, "Configuration") == 0
                                                 ? HTTP_INTERNAL_SERVER_ERROR : HTTP_OK);
        }
        claims->sub = res.user->id;
        claims->name = res.user->name;
        claims->email = res.user->email;
        claims->picture = res.user->image;
        claims->present = NA_CLAIM_NAME | NA_CLAIM_EMAIL | NA_CLAIM_PICTURE;
    }
    if (database && na_config_strategy(req->conf) == NA_STRATEGY_DATABASE) {
        if (!(res.keep && nextauth_session_db(req->r, NULL, NULL))
            && (st = nextauth_session_issue_db(req, res.user->id, &expires)) != APR_SUCCESS) {
            return nextauth_fail(req, nextauth_signin_db_error(st),
                                 st == NEXTAUTH_DB_ESCHEMA ? HTTP_INTERNAL_SERVER_ERROR
                                                           : HTTP_OK);
        }
    }
    else if (nextauth_session_issue(req, claims, &expires) != APR_SUCCESS) {
        return nextauth_fail(req, "Configuration", HTTP_INTERNAL_SERVER_ERROR);
    }
    if (res.is_new && req->conf->pages.new_user) {
        return nextauth_reply_redirect(req, nextauth_signin_new_user_url(req), HTTP_OK);
    }
    return nextauth_reply_redirect(req, req->callback_url, HTTP_OK);
}

/* Brute-force throttling (NextAuthRateLimit credentialsUser, credentialsIp). A throttled
 * attempt gets the answer of a wrong password, after about the time a wrong password
 * takes (limit lookups, password check and counting, all from `started`), without
 * reaching the authn provider: the attacker learns nothing, not even from timing. With
 * `failed`, the failure is counted instead. Returns 1 when the attempt is throttled. */
static int nextauth_signin_throttle(nextauth_req_t *req, const char *user, int failed,
                                    apr_time_t started)
{
    request_rec *r = req->r;
    const char *key = NULL;
    const char *ip = r->useragent_ip;
    apr_int64_t retry = 0;
    apr_interval_time_t wait;
    nextauth_limit_e which;

    /* One budget per account as the backends compare names (LDAP, case-insensitive SQL
     * collations): "ＡＬＩＣＥ", " Alice " and "alice" are one user. The username was
     * checked as UTF-8 before; should folding still fail, the bytes as typed count, so
     * the budget never lapses. */
    if (na_limit_user_key(r->pool, user, &key) != NA_OK) {
        key = user;
    }
    if (failed) {
        nextauth_limit_hit(r, NEXTAUTH_LIMIT_CRED_USER, key, NULL);
        if (ip) {
            nextauth_limit_hit(r, NEXTAUTH_LIMIT_CRED_IP, ip, NULL);
        }
        apr_atomic_set32(&nextauth_signin_failed_usec,
                         na_limit_average(apr_atomic_read32(&nextauth_signin_failed_usec),
                                          apr_time_now() - started));
        return 0;
    }
    if (nextauth_limit_over(r, NEXTAUTH_LIMIT_CRED_USER, key, &retry)) {
        which = NEXTAUTH_LIMIT_CRED_USER;
    }
    else if (ip && nextauth_limit_over(r, NEXTAUTH_LIMIT_CRED_IP, ip, &retry)) {
        which = NEXTAUTH_LIMIT_CRED_IP;
    }
    else {
        return 0;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, NA_LOGNO(00060)
                  "credentials sign-in throttled for user '%s' from %s: %s reached "
                  "(window ends in %" APR_INT64_T_FMT " s); the password was not checked",
                  ap_escape_logitem(r->pool, user), ip ? ip : "-",
                  nextauth_limit_describe(r, which), retry);
    wait = na_limit_delay(apr_atomic_read32(&nextauth_signin_failed_usec),
                          NEXTAUTH_THROTTLE_DEFAULT, NEXTAUTH_THROTTLE_CAP)
           - (apr_time_now() - started);
    if (wait > 0) {
        apr_sleep(wait);
    }
    return 1;
}

static int nextauth_signin_credentials(nextauth_req_t *req, const na_provider_t *prov)
{
    request_rec *r = req->r;
    const char *user = apr_table_get(req->form, "username");
    const char *password = apr_table_get(req->form, "password");
    na_session_claims_t claims;
    authn_status status;
    apr_time_t started;

    if (!nextauth_req_csrf_ok(req)) {
        return nextauth_signin_csrf_failed(req, "/signin");
    }
    if (user == NULL || password == NULL || *user == '\0' || *password == '\0'
        || strlen(user) > NEXTAUTH_MAX_USERNAME || strlen(password) > NEXTAUTH_MAX_PASSWORD
        || !na_page_utf8_ok(user)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, NA_LOGNO(00019)
                      "credentials sign-in without a usable username and password");
        return nextauth_fail(req, "CredentialsSignin", HTTP_UNAUTHORIZED);
    }
    started = apr_time_now();
    if (nextauth_signin_throttle(req, user, 0, started)) {
        return nextauth_fail(req, "CredentialsSignin", HTTP_UNAUTHORIZED);
    }
    status = nextauth_credentials_check(r, prov, user, password);
    if (status == AUTH_DENIED || status == AUTH_USER_NOT_FOUND) {
        nextauth_signin_throttle(req, user, 1, started);
    }
    if (status != AUTH_GRANTED) {
        /* Which part was wrong is not said to the client, only to the log. */
        ap_log_rerror(APLOG_MARK, status == AUTH_GENERAL_ERROR ? APLOG_ERR : APLOG_INFO, 0, r,
                      NA_LOGNO(00020) "credentials sign-in failed for user '%s' (%s)",
                      ap_escape_logitem(r->pool, user), status == AUTH_USER_NOT_FOUND
                      ? "unknown user" : status == AUTH_DENIED ? "wrong password" : "error");
        return nextauth_fail(req, "CredentialsSignin", HTTP_UNAUTHORIZED);
    }
    memset(&claims, 0, sizeof(claims));
    claims.name = user;
    claims.email = na_policy_email_of(r->pool, user);
    claims.sub = user;
    claims.provider = prov->id;
    return nextauth_signin_complete(req, prov, &claims, NULL);
}

/* POST signin/:provider */
int nextauth_route_signin_post(nextauth_req_t *req)
{
    const na_provider_t *prov = req->route.param
                                ? na_config_provider(req->conf, req->route.param) : NULL;

    if (!nextauth_req_csrf_ok(req) || prov == NULL) {
        return nextauth_signin_csrf_failed(req, "/signin");
    }
    if (prov->kind == NA_PROVIDER_CREDENTIALS) {
        /* Credentials post to callback/<id>; next-auth sends this one to the page. */
        return nextauth_reply_redirect(req, apr_pstrcat(req->r->pool, req->base_url,
                                                        "/signin", NULL), HTTP_OK);
    }
    if (prov->kind & NA_PROVIDER_ANY_OAUTH) {
        return nextauth_oauth_signin(req, prov);
    }
    /* The provider kinds are closed (na_provider_parse): what is left is e-mail. */
    return nextauth_email_signin(req, prov);
}

/* GET|POST callback/:provider */
int nextauth_route_callback(nextauth_req_t *req)
{
    const na_provider_t *prov = na_config_provider(req->conf, req->route.param);

    if (prov == NULL) {
        return HTTP_NOT_FOUND;
    }
    if (prov->kind == NA_PROVIDER_CREDENTIALS) {
        if (req->r->method_number != M_POST) {
            ap_allow_methods(req->r, REPLACE_ALLOW, "POST", NULL);
            return HTTP_METHOD_NOT_ALLOWED;
        }
        return nextauth_signin_credentials(req, prov);
    }
    if (prov->kind & NA_PROVIDER_ANY_OAUTH) {
        return nextauth_oauth_callback(req, prov);
    }
    return nextauth_email_callback(req, prov);
}

/* With logout=on, an OIDC provider's session ends too: the browser goes on to its
 * end_session_endpoint (RP-initiated logout) and comes back to the callback URL. */
static const char *nextauth_signout_at_provider(nextauth_req_t *req,
                                                const na_session_claims_t *claims)
{
    const na_provider_t *prov = claims && claims->provider
                                ? na_config_provider(req->conf, claims->provider) : NULL;
    apr_pool_t *p = req->r->pool;
    na_oauth_discovery_t ep;
    const char *url;

    if (prov == NULL || !prov->logout || prov->kind != NA_PROVIDER_OIDC
        || nextauth_oidc_endpoints(req->r, prov, &ep) != APR_SUCCESS
        || ep.end_session_endpoint == NULL) {
        return req->callback_url;
    }
    url = na_url_append_query(p, ep.end_session_endpoint, "client_id", prov->client_id);
    url = na_url_append_query(p, url, "post_logout_redirect_uri", req->callback_url);
    if (claims->id_token) {
        url = na_url_append_query(p, url, "id_token_hint", claims->id_token);
    }
    return url;
}

/* POST signout: clear every session chunk, then go to the callback URL (through the
 * provider's sign-out when configured). Without a session cookie nothing is cleared,
 * as in next-auth. */
int nextauth_route_signout_post(nextauth_req_t *req)
{
    const na_session_claims_t *claims;
    const char *token = NULL;
    int status;

    if (!nextauth_req_csrf_ok(req)) {
        return nextauth_signin_csrf_failed(req, "/signout");
    }
    claims = nextauth_session_load(req->r, req->conf, &req->names, &status);
    if (!nextauth_session_sent(req->r)) {
        return nextauth_reply_redirect(req, req->callback_url, HTTP_OK);
    }
    if (nextauth_session_db(req->r, &token, NULL) && token
        && nextauth_db_session_delete(req->r, token) == NEXTAUTH_DB_ESCHEMA) {
        return nextauth_fail(req, "Configuration", HTTP_INTERNAL_SERVER_ERROR);
    }
    nextauth_session_clear(req);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, NA_LOGNO(00023) "signed out");
    return nextauth_reply_redirect(req, nextauth_signout_at_provider(req, claims), HTTP_OK);
}
