/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>

#include "mod_nextauth_authn.h"
#include "mod_nextauth_conf.h"
#include "mod_nextauth_req.h"
#include "mod_nextauth_session.h"
#include "mod_nextauth_tokens.h"
#include "na_claim.h"
#include "na_store.h"

/* What a session's record gives: its tokens and claims, read once per request tree, to
 * the backend of a directory (NextAuthPassTokens, NextAuthPassClaims), to Require
 * nextauth-claim and to GET session's expose=. */

#define NEXTAUTH_PASS_KEY "nextauth-tokens"

typedef struct nextauth_pass_cache_t {
    int loaded;
    na_tokens_t *tokens; /* NULL: the session has none */
    int parsed;
    na_claims_t *claims; /* NULL: none, or not a JSON object */
} nextauth_pass_cache_t;

/* On the original request, as the session itself (subrequests read it once). */
static nextauth_pass_cache_t *nextauth_pass_cache(request_rec *r)
{
    void *data = NULL;

    r = nextauth_req_top(r);
    if (apr_pool_userdata_get(&data, NEXTAUTH_PASS_KEY, r->pool) == APR_SUCCESS && data) {
        return data;
    }
    data = apr_pcalloc(r->pool, sizeof(nextauth_pass_cache_t));
    apr_pool_userdata_setn(data, NEXTAUTH_PASS_KEY, NULL, r->pool);
    return data;
}

na_tokens_t *nextauth_tokens_of(request_rec *r, const na_session_claims_t *claims)
{
    nextauth_pass_cache_t *cache = nextauth_pass_cache(r);
    const na_server_conf_t *conf = nextauth_conf_server(r->server);
    const na_provider_t *prov;
    na_tokens_t *t;

    if (cache->loaded || claims == NULL || claims->sid == NULL) {
        return cache->tokens;
    }
    cache->loaded = 1;
    /* Only OAuth sign-ins have tokens: a credentials session costs no cache read. A
     * database session names no provider; its record says which. */
    prov = claims->provider ? na_config_provider(conf, claims->provider) : NULL;
    if (!nextauth_session_db(r, NULL, NULL)
        && (prov == NULL || !(prov->kind & NA_PROVIDER_ANY_OAUTH))) {
        return NULL;
    }
    t = apr_pcalloc(r->pool, sizeof(*t));
    switch (nextauth_tokens_read(r, conf, claims->sid, t)) {
    case NA_OK:
        cache->tokens = t;
        break;
    case NA_EDENIED:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00261) "no token record for this session (it left the "
                                      "cache, or the cache restarted); it goes on without "
                                      "tokens");
        break;
    default: /* logged */
        break;
    }
    return cache->tokens;
}

void nextauth_tokens_claims_set(request_rec *r, const char *json)
{
    nextauth_pass_cache_t *cache = nextauth_pass_cache(r);

    cache->parsed = 1;
    cache->loaded = 1; /* no record: the token is all there is */
    cache->claims = json ? na_claims_parse(r->pool, json) : NULL;
}

const na_claims_t *nextauth_tokens_claims(request_rec *r, const na_session_claims_t *c)
{
    nextauth_pass_cache_t *cache = nextauth_pass_cache(r);
    const na_tokens_t *t;

    if (!cache->parsed) {
        cache->parsed = 1;
        t = nextauth_tokens_of(r, c);
        cache->claims = t && t->claims ? na_claims_parse(r->pool, t->claims) : NULL;
    }
    return cache->claims;
}

int nextauth_tokens_signin(nextauth_req_t *req, const na_provider_t *prov,
                           na_session_claims_t *claims, const na_store_account_t *account)
{
    request_rec *r = req->r;
    na_tokens_t t;

    if (!(prov->kind & NA_PROVIDER_ANY_OAUTH) || !nextauth_tokens_ready() || account == NULL
        || account->access_token == NULL) {
        return 0;
    }
    memset(&t, 0, sizeof(t));
    t.sid = claims->sid; /* a database session's, derived from its token */
    if (t.sid == NULL && na_tokens_sid_new(r->pool, &t.sid) != NA_OK) {
        return 0;
    }
    t.provider = prov->id;
    t.sub = account->provider_account_id;
    t.access_token = account->access_token;
    t.refresh_token = account->refresh_token;
    t.id_token = account->id_token;
    t.token_type = account->token_type;
    t.scope = account->scope;
    t.expires_at = account->expires_at;
    t.claims = req->idp_claims;
    t.updated_at = apr_time_sec(apr_time_now());
    t.version = 1;
    claims->sid = t.sid;
    return nextauth_tokens_write(r, req->conf, &t, na_config_max_age(req->conf)) == NA_OK;
}

/* Usable now: present, not refused, and (when its expiry is known) not expired. */
static int nextauth_pass_usable(const na_tokens_t *t)
{
    return t && t->error == NULL && t->access_token
           && (t->expires_at == 0 || t->expires_at > apr_time_sec(apr_time_now()));
}

void nextauth_tokens_exposed(request_rec *r, const na_session_claims_t *claims,
                             const char **access_token, const char **error)
{
    na_tokens_t *t = nextauth_tokens_of(r, claims);

    *access_token = NULL;
    *error = NULL;
    if (t == NULL) {
        return;
    }
    (void)nextauth_refresh_if_due(r, nextauth_conf_server(r->server), t);
    *error = t->error;
    *access_token = nextauth_pass_usable(t) ? t->access_token : NULL;
}

/* The user has no usable tokens: what an unauthenticated request gets. The request's
 * cookie names and origin are only worked out here, off the common path. */
static int nextauth_pass_refuse(request_rec *r)
{
    nextauth_req_t *req;
    int status = nextauth_req_make(r, nextauth_conf_server(r->server), &req);

    return status != OK ? status : nextauth_authn_refuse(req);
}

/* The access token to pass: refreshed when due. OK, or the status to answer. */
static int nextauth_pass_access(request_rec *r, na_tokens_t *t)
{
    na_status_t st = nextauth_refresh_if_due(r, nextauth_conf_server(r->server), t);

    if (st == NA_EDENIED) {
        return nextauth_pass_refuse(r); /* the IdP ended it: sign in again */
    }
    if (!nextauth_pass_usable(t)) {
        if (st == NA_OK) {
            return nextauth_pass_refuse(r); /* expired, and nothing to refresh it with */
        }
        /* The IdP is down and the token really expired: no backend call without it. */
        apr_table_setn(r->err_headers_out, "Retry-After", "30");
        return HTTP_SERVICE_UNAVAILABLE;
    }
    return OK;
}

static void nextauth_pass_token(request_rec *r, const na_dir_conf_t *d, const na_tokens_t *t)
{
    int id = d->pass_tokens == NA_PASS_ID;
    const char *token = id ? t->id_token : t->access_token;

    if (token == NULL) {
        return;
    }
    if (d->pass_tokens_as == NA_PASS_AS_HEADER) {
        apr_table_setn(r->headers_in, id ? "X-NextAuth-Id-Token" : "X-NextAuth-Access-Token",
                       token);
        return;
    }
    /* Whatever Authorization the client sent was for us, not for the backend. */
    apr_table_setn(r->headers_in, "Authorization", apr_pstrcat(r->pool, "Bearer ", token, NULL));
}

static void nextauth_pass_claim_values(request_rec *r, const na_dir_conf_t *d,
                                       const na_claims_t *claims)
{
    int i;

    for (i = 0; claims && i < d->pass_claims->nelts; i++) {
        const char *name = APR_ARRAY_IDX(d->pass_claims, i, const char *);
        const char *value = na_claim_value(r->pool, claims, name);

        if (value) {
            apr_table_setn(r->headers_in, na_claim_header_name(r->pool, name), value);
            apr_table_setn(r->subprocess_env, na_claim_env_name(r->pool, name), value);
        }
    }
}

int nextauth_pass_apply(request_rec *r, const na_session_claims_t *claims)
{
    const na_dir_conf_t *d = ap_get_module_config(r->per_dir_config, &nextauth_module);
    int tokens = d->pass_tokens == NA_PASS_ACCESS || d->pass_tokens == NA_PASS_ID;
    na_tokens_t *t;
    int status;

    if (!tokens && d->pass_claims == NULL) {
        return OK;
    }
    if (tokens && !nextauth_tokens_ready()) {
        /* Sending the user to sign in would only bring them back here: a loop. */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      NA_LOGNO(00263) NA_DIR_PASS_TOKENS
                      " needs a token cache: load "
                      "socache_shmcb_module or set " NA_DIR_TOKEN_CACHE);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    t = nextauth_tokens_of(r, claims);
    if (tokens) {
        if (t == NULL || t->error) {
            return nextauth_pass_refuse(r);
        }
        if (d->pass_tokens == NA_PASS_ACCESS && (status = nextauth_pass_access(r, t)) != OK) {
            return status;
        }
        nextauth_pass_token(r, d, t);
    }
    if (d->pass_claims) {
        nextauth_pass_claim_values(r, d, nextauth_tokens_claims(r, claims));
    }
    return OK;
}
