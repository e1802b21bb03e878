/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <http_protocol.h>
#include <http_request.h>
#include <http_core.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "mod_nextauth_db.h"
#include "mod_nextauth_reply.h"
#include "mod_nextauth_req.h"
#include "mod_nextauth_session.h"
#include "mod_nextauth_revoke.h"
#include "na_chunk.h"
#include "na_directives.h"
#include "na_crypto.h"
#include "na_jwe.h"
#include "na_session.h"
#include "na_tokens.h"
#include "na_session_memo.h"
#include "mod_nextauth_metrics.h"

/* What one request tree knows about its session, computed once. */
typedef struct nextauth_session_cache_t {
    int loaded;
    int status; /**< NA_OK with a session, else why not */
    na_session_claims_t claims;
    int key_index;
    apr_array_header_t *present; /**< chunk names the browser sent */
    int db;                      /**< the cookie is a database session token */
    const char *db_token;
    apr_int64_t db_expires; /**< the row's expiry (epoch seconds) */
} nextauth_session_cache_t;

/* A database session token is a UUID v4 (or 64 hex digits, next-auth's fallback);
 * a JWE always has dots. */
static int nextauth_session_db_shaped(const char *token)
{
    apr_size_t n = strlen(token), i;

    if (n != NA_SESSION_UUID_LEN - 1 && n != 64) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!apr_isxdigit(token[i]) && token[i] != '-') {
            return 0;
        }
    }
    return 1;
}

/* Resolve a database session token to claims; an expired row is deleted. */
static na_status_t nextauth_session_db_load(request_rec *r, nextauth_session_cache_t *cache,
                                            const char *token)
{
    apr_int64_t now = apr_time_sec(apr_time_now()), expires = 0;
    na_store_user_t *user = NULL;
    apr_status_t st = nextauth_db_session_get(r, token, &expires, &user);

    cache->db = 1;
    cache->db_token = token;
    if (st == APR_NOTFOUND) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00046) "database session cookie refused: no such session");
        return NA_EINPUT;
    }
    if (st != APR_SUCCESS) {
        return NA_EPEER; /* logged */
    }
    if (expires < now) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00047) "database session expired; row deleted");
        nextauth_db_session_delete(r, token);
        return NA_EEXPIRED;
    }
    cache->db_expires = expires;
    memset(&cache->claims, 0, sizeof(cache->claims));
    cache->claims.sub = user->id;
    cache->claims.name = user->name;
    cache->claims.email = user->email;
    cache->claims.picture = user->image;
    cache->claims.exp = expires;
    cache->claims.present = NA_CLAIM_NAME | NA_CLAIM_EMAIL | NA_CLAIM_PICTURE;
    /* The key of the session's token record (a failure only costs the record). */
    (void)na_tokens_sid_of(r->pool, token, &cache->claims.sid);
    return NA_OK;
}

static na_jwe_key_t *nextauth_session_derive(apr_pool_t *pconf, const apr_array_header_t *secrets,
                                             const char *salt)
{
    na_jwe_key_t *keys = apr_pcalloc(pconf, sizeof(*keys) * (apr_size_t)secrets->nelts);
    int i;

    for (i = 0; i < secrets->nelts; i++) {
        if (na_jwe_derive_key(APR_ARRAY_IDX(secrets, i, const char *), salt, &keys[i]) != NA_OK) {
            return NULL;
        }
    }
    return keys;
}

/* The check cookies' keys are salted with their names, plain and __Secure- alike. */
static int nextauth_session_derive_checks(apr_pool_t *pconf, na_server_conf_t *conf)
{
    na_cookie_names_t names;
    int secure;

    for (secure = 0; secure < 2; secure++) {
        na_cookie_names(pconf, na_config_cookie_prefix(conf), secure, &names);
        conf->check_keys[secure][NA_CHECK_INDEX_STATE] =
            nextauth_session_derive(pconf, conf->secrets, names.state);
        conf->check_keys[secure][NA_CHECK_INDEX_PKCE] =
            nextauth_session_derive(pconf, conf->secrets, names.pkce);
        conf->check_keys[secure][NA_CHECK_INDEX_NONCE] =
            nextauth_session_derive(pconf, conf->secrets, names.nonce);
        if (!conf->check_keys[secure][0] || !conf->check_keys[secure][1]
            || !conf->check_keys[secure][2]) {
            return 0;
        }
    }
    return 1;
}

/* Decoded tokens of this process; NULL (decode every time) until child_init, and in
 * the parent. 128 slots of a few kB: recent visitors' cookies cost one decode each. */
#define NEXTAUTH_SESSION_MEMO_SLOTS 128
static na_session_memo_t *nextauth_session_memo;

void nextauth_session_child_init(apr_pool_t *p, server_rec *s)
{
    nextauth_session_memo = na_session_memo_create(p, NEXTAUTH_SESSION_MEMO_SLOTS);
    if (nextauth_session_memo == NULL) {
        ap_log_error(
            APLOG_MARK, APLOG_WARNING, 0, s,
            NA_LOGNO(00090) "cannot make the session memo: every request decodes its cookie");
    }
}

/* Runs with pconf's cleanups, before mod_so unloads the module (its cleanup was
 * registered when LoadModule was read, so it runs after ours). */
static apr_status_t nextauth_session_release_crypto(void *unused)
{
    (void)unused;
    na_jwe_release();
    na_crypto_release();
    return APR_SUCCESS;
}

/* The site a vhost's session keys may be bound to: NextAuthURL's origin, else
 * "ServerName:port". */
static const char *nextauth_session_site(apr_pool_t *p, server_rec *vs,
                                         const na_server_conf_t *conf)
{
    unsigned port = vs->port;

    if (conf->site && conf->site->origin) {
        return conf->site->origin;
    }
    if (port == 0 && vs->addrs) {
        port = vs->addrs->host_port;
    }
    return apr_psprintf(p, "%s:%u", vs->server_hostname ? vs->server_hostname : "", port);
}

static int nextauth_session_share_secret(const apr_array_header_t *a, const apr_array_header_t *b)
{
    int i, j;

    for (i = 0; i < a->nelts; i++) {
        for (j = 0; j < b->nelts; j++) {
            if (strcmp(APR_ARRAY_IDX(a, i, const char *), APR_ARRAY_IDX(b, j, const char *)) == 0) {
                return 1;
            }
        }
    }
    return 0;
}

/* shared=off binds; shared=on never; auto binds when another vhost of a different site
 * has one of the same secrets (it would accept this site's cookies, and this its). */
static int nextauth_session_bound(server_rec *vs, server_rec *s)
{
    na_server_conf_t *conf = ap_get_module_config(vs->module_config, &nextauth_module);
    const char *site;
    server_rec *other;

    if (conf->cookie.shared == NA_SHARED_ON) {
        return 0;
    }
    if (conf->cookie.shared == NA_SHARED_OFF) {
        return 1;
    }
    site = nextauth_session_site(vs->process->pconf, vs, conf);
    for (other = s; other; other = other->next) {
        na_server_conf_t *oc = ap_get_module_config(other->module_config, &nextauth_module);

        if (other == vs || oc->secrets == NULL || oc->secrets->nelts == 0) {
            continue;
        }
        if (strcmp(site, nextauth_session_site(vs->process->pconf, other, oc)) != 0
            && nextauth_session_share_secret(conf->secrets, oc->secrets)) {
            return 1;
        }
    }
    return 0;
}

static na_jwe_key_t *nextauth_session_derive_bound(apr_pool_t *pconf, server_rec *vs,
                                                   const na_server_conf_t *conf, server_rec *s)
{
    const char *site = nextauth_session_site(pconf, vs, conf);
    na_jwe_key_t *keys = apr_pcalloc(pconf, sizeof(*keys) * (apr_size_t)conf->secrets->nelts);
    int i;

    for (i = 0; i < conf->secrets->nelts; i++) {
        if (na_jwe_derive_site_key(APR_ARRAY_IDX(conf->secrets, i, const char *), site, &keys[i])
            != NA_OK) {
            return NULL;
        }
    }
    /* Startup runs post_config twice; say it on the run that serves. */
    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
        ap_log_error(
            APLOG_MARK, APLOG_NOTICE, 0, s,
            NA_LOGNO(00130) "session cookies of %s (%s:%d) are bound to that site: %s; "
                            "`NextAuthCookie shared=on` there shares sessions with the hosts "
                            "having the same NextAuthSecret (as next-auth does)",
            site, vs->defn_name ? vs->defn_name : "main server", vs->defn_line_number,
            conf->cookie.shared == NA_SHARED_OFF
                ? "NextAuthCookie shared=off"
                : "another virtual host uses the same NextAuthSecret");
    }
    return keys;
}

/* HKDF is far too slow for every request: derive each vhost's keys once. */
int nextauth_session_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    server_rec *vs;

    (void)plog;
    (void)ptemp;
    apr_pool_cleanup_register(pconf, NULL, nextauth_session_release_crypto, apr_pool_cleanup_null);
    for (vs = s; vs; vs = vs->next) {
        na_server_conf_t *conf = ap_get_module_config(vs->module_config, &nextauth_module);

        if (conf->secrets == NULL || conf->secrets->nelts == 0 || conf->session_keys) {
            continue;
        }
        conf->session_keys = nextauth_session_bound(vs, s)
                                 ? nextauth_session_derive_bound(pconf, vs, conf, s)
                                 : nextauth_session_derive(pconf, conf->secrets, "");
        if (conf->session_keys == NULL || !nextauth_session_derive_checks(pconf, conf)) {
            ap_log_error(APLOG_MARK, APLOG_EMERG, 0, vs,
                         NA_LOGNO(00013) "cannot derive the cookie keys");
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        conf->session_nkeys = conf->secrets->nelts;
    }
    return OK;
}

/* The cache lives on the original request, so subrequests and internal redirects
 * decrypt the cookie once (as mod_session_cookie's load walks r->prev and r->main). */
static nextauth_session_cache_t *nextauth_session_cache(request_rec *r)
{
    nextauth_session_cache_t *cache;

    r = nextauth_req_top(r);
    cache = ap_get_module_config(r->request_config, &nextauth_module);
    if (cache == NULL) {
        cache = apr_pcalloc(r->pool, sizeof(*cache));
        ap_set_module_config(r->request_config, &nextauth_module, cache);
    }
    return cache;
}

/* A JWE session through the process's memo: the same cookie is decrypted once. */
static na_status_t nextauth_session_decode(request_rec *r, const na_server_conf_t *conf,
                                           const char *token, nextauth_session_cache_t *cache,
                                           na_err_t *err)
{
    apr_int64_t now = apr_time_sec(apr_time_now());
    na_status_t rv;

    if (nextauth_metrics_memo(na_session_memo_get(nextauth_session_memo, r->pool,
                                                  conf->session_keys, token, now, &cache->claims,
                                                  &cache->key_index))) {
        return NA_OK;
    }
    rv = na_session_decode(r->pool, conf->session_keys, conf->session_nkeys, token, now,
                           &cache->claims, &cache->key_index, err);
    if (rv == NA_OK) {
        na_session_memo_put(nextauth_session_memo, conf->session_keys, token, &cache->claims,
                            cache->key_index);
    }
    return rv;
}

/* NextAuthSession idle= and absolute= (issue 12): a token last renewed more than idle
 * ago, or whose user signed in more than absolute ago (its iat for a token without
 * auth_time), is no session, like an expired one. A token without iat cannot show it
 * was used: with idle set it is ended too. */
static na_status_t nextauth_session_check_timeouts(request_rec *r, const na_server_conf_t *conf,
                                                   const na_session_claims_t *c)
{
    apr_int64_t idle = na_config_idle(conf), absolute = na_config_absolute(conf);
    apr_int64_t signed_in = c->auth_time > 0 ? c->auth_time : c->iat, now;

    if (idle == 0 && absolute == 0) {
        return NA_OK; /* the common case reads no clock */
    }
    now = apr_time_sec(apr_time_now());
    if (idle && now - c->iat > idle) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00240) "session ended: unused for %" APR_INT64_T_FMT
                                      " s, more than " NA_DIR_SESSION " idle=%" APR_INT64_T_FMT,
                      now - c->iat, idle);
        return NA_EEXPIRED;
    }
    if (absolute && now - signed_in > absolute) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00241) "session ended: signed in %" APR_INT64_T_FMT
                                      " s ago, more than " NA_DIR_SESSION
                                      " absolute=%" APR_INT64_T_FMT,
                      now - signed_in, absolute);
        return NA_EEXPIRED;
    }
    return NA_OK;
}

/* A session token (cookie or bearer) to claims: a database session's row, else the JWE,
 * its timeouts, then the revocation list. *ended: refused and logged already. */
static na_status_t nextauth_session_open(request_rec *r, const na_server_conf_t *conf,
                                         nextauth_session_cache_t *cache, const char *token,
                                         int *ended, na_err_t *err)
{
    na_status_t rv;

    if (na_config_strategy(conf) == NA_STRATEGY_DATABASE && conf->database == 1
        && nextauth_session_db_shaped(token)) {
        rv = nextauth_session_db_load(r, cache, token);
    }
    else if ((rv = nextauth_session_decode(r, conf, token, cache, err)) == NA_OK) {
        rv = nextauth_session_check_timeouts(r, conf, &cache->claims);
        *ended = rv != NA_OK; /* logged there */
    }
    if (rv == NA_OK
        && (rv = nextauth_revoke_check(r, &cache->claims, cache->db,
                                       cache->db ? 0 : cache->key_index))
               != NA_OK) {
        *ended = 1; /* logged there */
    }
    return rv;
}

const na_session_claims_t *nextauth_session_load(request_rec *r, const na_server_conf_t *conf,
                                                 const na_cookie_names_t *names, int *status)
{
    nextauth_session_cache_t *cache = nextauth_session_cache(r);
    const char *token = NULL;
    na_err_t err = {NULL, NULL, 0};
    na_status_t rv;
    int ended = 0;

    if (!cache->loaded) {
        cache->loaded = 1;
        /* The chunk reader applies the one Cookie header cap (na_cookie.h). */
        rv = na_chunk_read_why(r->pool, apr_table_get(r->headers_in, "Cookie"), names->session,
                               &token, &cache->present, &err.detail);
        if (rv == NA_OK && token == NULL) {
            rv = NA_EDENIED; /* no session cookie at all */
        }
        else if (rv == NA_OK) {
            rv = nextauth_session_open(r, conf, cache, token, &ended, &err);
        }
        if (rv != NA_OK && rv != NA_EDENIED && !cache->db && !ended) {
            /* A client fault: forged, truncated, expired or another key's token. */
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          NA_LOGNO(00014) "session cookie refused: %s",
                          err.detail ? err.detail : "malformed");
        }
        cache->status = rv;
    }
    *status = cache->status;
    return cache->status == NA_OK ? &cache->claims : NULL;
}

const na_session_claims_t *nextauth_session_load_bearer(request_rec *r,
                                                        const na_server_conf_t *conf,
                                                        const char *token, int *status)
{
    nextauth_session_cache_t *cache = nextauth_session_cache(r);
    na_err_t err = {NULL, NULL, 0};
    int ended = 0;

    /* Called when no cookie was sent: what the cookie load found (nothing) is replaced. */
    cache->loaded = 1;
    cache->status = nextauth_session_open(r, conf, cache, token, &ended, &err);
    if (cache->status != NA_OK && !cache->db && !ended) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00270) "bearer session token refused: %s",
                      err.detail ? err.detail : "malformed");
    }
    *status = cache->status;
    return cache->status == NA_OK ? &cache->claims : NULL;
}

void nextauth_session_adopt(request_rec *r, const na_session_claims_t *claims)
{
    nextauth_session_cache_t *cache = nextauth_session_cache(r);

    cache->loaded = 1;
    cache->status = NA_OK;
    cache->claims = *claims;
}

int nextauth_session_sent(request_rec *r)
{
    nextauth_session_cache_t *cache = nextauth_session_cache(r);

    return cache->present && cache->present->nelts > 0;
}

static void nextauth_session_clear_names(nextauth_req_t *req, const apr_array_header_t *names)
{
    na_cookie_attr_t attr = nextauth_req_cookie_attr(req, 0, 0);
    int i;

    for (i = 0; names && i < names->nelts; i++) {
        nextauth_reply_set_cookie(
            req->r,
            na_cookie_serialize(req->r->pool, APR_ARRAY_IDX(names, i, const char *), "", &attr));
    }
}

void nextauth_session_clear(nextauth_req_t *req)
{
    nextauth_session_clear_names(req, nextauth_session_cache(req->r)->present);
}

/* 1 when `claims` are the session this request loaded, unchanged: its renewal then
 * decodes to them with the new iat, exp and jti. */
static int nextauth_session_unchanged(const nextauth_session_cache_t *cache,
                                      const na_session_claims_t *claims)
{
    const na_session_claims_t *c = &cache->claims;

    return cache->loaded && cache->status == NA_OK && !cache->db && c->payload == claims->payload
           && c->payload_obj == claims->payload_obj && c->name == claims->name
           && c->email == claims->email && c->picture == claims->picture && c->sub == claims->sub
           && c->provider == claims->provider && c->id_token == claims->id_token
           && c->present == claims->present;
}

/* NextAuthSession absolute=: no renewal reaches past the sign-in plus absolute. The
 * sign-in time is the one the encoder writes (na_session_signed_in). */
static apr_int64_t nextauth_session_capped_max_age(const na_server_conf_t *conf,
                                                   const na_session_claims_t *claims,
                                                   apr_int64_t now, apr_int64_t max_age)
{
    apr_int64_t absolute = na_config_absolute(conf), left;

    if (absolute == 0) {
        return max_age;
    }
    left = na_session_signed_in(claims, now) + absolute - now;
    /* a session past it was refused on load; 1 s keeps a clock step from failing it */
    return left < 1 ? 1 : left < max_age ? left : max_age;
}

/* Encrypt the claims under the current key and write the cookie, cut into chunks when
 * it is too long for one, clearing chunks the browser has that the new value does not
 * use. A fresh iat/exp/jti every time: a new value at every sign-in (no fixation). */
apr_status_t nextauth_session_issue(nextauth_req_t *req, na_session_claims_t *claims,
                                    apr_int64_t *expires)
{
    request_rec *r = req->r;
    apr_int64_t now = apr_time_sec(apr_time_now()), max_age = na_config_max_age(req->conf);
    const char *token = NULL;
    apr_array_header_t *chunks;
    na_cookie_attr_t attr;
    na_session_claims_t issued;
    int i, loaded, seeded;

    nextauth_session_load(r, req->conf, &req->names, &loaded); /* learns the chunks sent */
    max_age = nextauth_session_capped_max_age(req->conf, claims, now, max_age);
    if (na_session_encode_renewal(r->pool, &req->conf->session_keys[0], claims, now, max_age,
                                  &token, &issued, &seeded)
        != NA_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00015) "cannot encrypt a session");
        return APR_EGENERAL;
    }
    /* next-auth renews at every call, so the next request (on this connection: this
     * process) brings the new token: remember it now rather than decode it then. */
    if (seeded && nextauth_session_unchanged(nextauth_session_cache(r), claims)) {
        na_session_memo_put(nextauth_session_memo, req->conf->session_keys, token, &issued, 0);
    }
    chunks = na_chunk_split(r->pool, req->names.session, token);
    attr = nextauth_req_cookie_attr(req, NA_UNSET, apr_time_from_sec(now + max_age));
    nextauth_session_clear_names(
        req, na_chunk_stale(r->pool, nextauth_session_cache(r)->present, chunks));
    for (i = 0; i < chunks->nelts; i++) {
        const na_chunk_t *c = &APR_ARRAY_IDX(chunks, i, na_chunk_t);
        nextauth_reply_set_cookie(r, na_cookie_serialize(r->pool, c->name, c->value, &attr));
    }
    *expires = now + max_age;
    return APR_SUCCESS;
}

const na_session_claims_t *nextauth_session_cached(request_rec *r)
{
    nextauth_session_cache_t *cache = nextauth_session_cache(r);

    return cache->loaded && cache->status == NA_OK ? &cache->claims : NULL;
}

int nextauth_session_db(request_rec *r, const char **token, apr_int64_t *expires)
{
    nextauth_session_cache_t *cache = nextauth_session_cache(r);

    if (!cache->loaded || !cache->db) {
        return 0;
    }
    if (token) {
        *token = cache->db_token;
    }
    if (expires) {
        *expires = cache->db_expires;
    }
    return 1;
}

/* Write the database session cookie (one chunk; stale chunks of a longer JWE go). */
static void nextauth_session_db_cookie(nextauth_req_t *req, const char *token, apr_int64_t expires)
{
    request_rec *r = req->r;
    apr_array_header_t *chunks = na_chunk_split(r->pool, req->names.session, token);
    na_cookie_attr_t attr = nextauth_req_cookie_attr(req, NA_UNSET, apr_time_from_sec(expires));
    int i;

    nextauth_session_clear_names(
        req, na_chunk_stale(r->pool, nextauth_session_cache(r)->present, chunks));
    for (i = 0; i < chunks->nelts; i++) {
        const na_chunk_t *c = &APR_ARRAY_IDX(chunks, i, na_chunk_t);
        nextauth_reply_set_cookie(r, na_cookie_serialize(r->pool, c->name, c->value, &attr));
    }
}

apr_status_t nextauth_session_issue_db(nextauth_req_t *req, const char *user_id,
                                       apr_int64_t *expires, const char **token_out)
{
    request_rec *r = req->r;
    apr_int64_t now = apr_time_sec(apr_time_now()), max_age = na_config_max_age(req->conf);
    char token[NA_SESSION_UUID_LEN];
    apr_status_t st;
    int loaded;

    nextauth_session_load(r, req->conf, &req->names, &loaded); /* learns the chunks sent */
    if (na_session_uuid(token) != NA_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00048) "cannot make a session token");
        return APR_EGENERAL;
    }
    st = nextauth_db_session_create(r, user_id, token, now + max_age);
    if (st != APR_SUCCESS) {
        return st;
    }
    *token_out = apr_pstrdup(r->pool, token);
    nextauth_session_db_cookie(req, *token_out, now + max_age);
    *expires = now + max_age;
    return APR_SUCCESS;
}

/* next-auth's rolling refresh for database sessions: the row moves only once updateAge
 * has passed since it was last set; the cookie is re-set every time. */
apr_status_t nextauth_session_refresh_db(nextauth_req_t *req, apr_int64_t *expires_before)
{
    request_rec *r = req->r;
    nextauth_session_cache_t *cache = nextauth_session_cache(r);
    apr_int64_t now = apr_time_sec(apr_time_now()), max_age = na_config_max_age(req->conf);

    *expires_before = cache->db_expires;
    if (cache->db_expires - max_age + na_config_update_age(req->conf) <= now) {
        apr_status_t st = nextauth_db_session_update(r, cache->db_token, now + max_age);
        if (st != APR_SUCCESS && st != APR_NOTFOUND) {
            return st;
        }
    }
    nextauth_session_db_cookie(req, cache->db_token, now + max_age);
    return APR_SUCCESS;
}
