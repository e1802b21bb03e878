/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_redis.h>

#include <http_protocol.h>

#include "mod_nextauth_conf.h"
#include "mod_nextauth_socache.h"
#include "mod_nextauth_tokens.h"
#include "na_cache.h"

/* The record store. Records are sealed (na_tokens_seal), stored under "t" + sid. The
 * single-flight lock of a refresh is an entry "l" + sid + ":" + version: on one host
 * (shmcb, dbm...) taken under the cache's global mutex as check-and-store; on redis, which
 * several hosts share, taken with INCR, which Redis runs atomically (the first caller
 * sees 1), and given its lease with SETEX right after. A failed attempt leaves "f" + sid +
 * ":" + version for the lease, so waiters stop waiting and nobody retries at once. */

/* 8 MB, some 2,000 sessions of 4 kB; shmcb uses anonymous shared memory, the path only
 * where the platform has none (mod_socache_shmcb's fallback). */
#define NEXTAUTH_TOKENS_DEFAULT_CACHE "shmcb:logs/nextauth-tokens(8388608)"
#define NEXTAUTH_TOKENS_WARN_EVERY apr_time_from_sec(60)

static nextauth_socache_t nextauth_tokens = {.id = "nextauth-token",
                                             .directive = NA_DIR_TOKEN_CACHE,
                                             .hints = {32, 4096, 3600 * APR_USEC_PER_SEC}};
/* Per process: redis for the lock when the records live there; the last warning; the memo
 * of records opened in the last NEXTAUTH_TOKENS_MEMO_TTL. Every protected request of a
 * passing location needs its record: reading the shared cache (under its cross-process
 * mutex for shmcb) and opening the seal each time halved the throughput of a protected
 * file. What another process or host changes is seen within the memo's second; a refresh
 * never waits on it (its reads go to the shared cache), and a record due for refresh is
 * read from there too. */
#define NEXTAUTH_TOKENS_MEMO_SLOTS 1024
#define NEXTAUTH_TOKENS_MEMO_TTL apr_time_from_sec(1)
static apr_redis_t *nextauth_tokens_redis;
static na_cache_t *nextauth_tokens_memo;
static apr_time_t nextauth_tokens_warned;

int nextauth_tokens_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)plog;
    (void)ptemp;
    nextauth_tokens_redis = NULL;
    return nextauth_socache_pre_config(&nextauth_tokens, pconf);
}

static const nextauth_socache_lines_t nextauth_tokens_lines = {NA_LOGNO(00262), NA_LOGNO(00250),
                                                               "OAuth sessions keep no tokens"};

int nextauth_tokens_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    (void)plog;
    if (!nextauth_socache_wanted(s, NA_PROVIDER_ANY_OAUTH)) {
        return OK;
    }
    /* Sessions worked without records before there were any: no configuration that
     * starts today stops starting because the default cache module is not loaded. */
    return nextauth_socache_configure(&nextauth_tokens, nextauth_conf_server(s)->token_cache,
                                      NEXTAUTH_TOKENS_DEFAULT_CACHE, &nextauth_tokens_lines, ptemp,
                                      pconf);
}

static int nextauth_tokens_derive(apr_pool_t *pconf, server_rec *s)
{
    for (; s; s = s->next) {
        na_server_conf_t *conf = ap_get_module_config(s->module_config, &nextauth_module);
        na_jwe_key_t *keys;
        int i;

        if (conf->secrets == NULL || conf->secrets->nelts == 0 || conf->token_keys) {
            continue;
        }
        keys = apr_pcalloc(pconf, sizeof(*keys) * (apr_size_t)conf->secrets->nelts);
        for (i = 0; i < conf->secrets->nelts; i++) {
            if (na_tokens_key(APR_ARRAY_IDX(conf->secrets, i, const char *), &keys[i]) != NA_OK) {
                ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                             NA_LOGNO(00251) "cannot derive the token record keys");
                return !OK;
            }
        }
        conf->token_keys = keys;
    }
    return OK;
}

int nextauth_tokens_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s)
{
    const char *what = NULL;
    apr_status_t rv;

    (void)plog;
    (void)ptemp;
    if ((rv = nextauth_socache_start(&nextauth_tokens, s, pconf, &what)) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     NA_LOGNO(00252) "token records: " NA_DIR_TOKEN_CACHE " %s cannot start (%s)",
                     nextauth_tokens.spec, what);
        return !OK;
    }
    return nextauth_tokens.provider ? nextauth_tokens_derive(pconf, s) : OK;
}

void nextauth_tokens_child_init(apr_pool_t *p, server_rec *s)
{
    apr_status_t rv = nextauth_socache_child_init(&nextauth_tokens, p);

    /* Without a memo every read goes to the shared cache: slower, still right. */
    nextauth_tokens_memo =
        nextauth_tokens.ready ? na_cache_create(p, NEXTAUTH_TOKENS_MEMO_SLOTS) : NULL;
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     NA_LOGNO(00253) "token records: cannot attach the %s mutex in this child; "
                                     "its sessions carry no tokens",
                     nextauth_tokens.id);
        return;
    }
    if (nextauth_tokens.ready && strcmp(nextauth_tokens.name, "redis") == 0
        && (rv = nextauth_socache_redis_open(p, nextauth_tokens.args, 4, &nextauth_tokens_redis))
               != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     NA_LOGNO(00254) "token records: cannot reach redis %s for the refresh lock; "
                                     "access tokens are not refreshed in this child",
                     nextauth_tokens.spec);
    }
}

int nextauth_tokens_ready(void)
{
    return nextauth_tokens.ready;
}

/* Cache failures are the operator's to hear, once a minute per process, not per request. */
static void nextauth_tokens_warn(request_rec *r, apr_status_t rv, const char *what)
{
    apr_time_t now = apr_time_now();

    if (nextauth_tokens_warned && now - nextauth_tokens_warned < NEXTAUTH_TOKENS_WARN_EVERY) {
        return;
    }
    nextauth_tokens_warned = now;
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, rv, r,
                  NA_LOGNO(00255) "token records: %s failed on %s; sessions go on without their "
                                  "tokens until it works again",
                  what, nextauth_tokens.spec ? nextauth_tokens.spec : "(none)");
}

/* --- the per-process memo -------------------------------------------------------- */

typedef struct nextauth_tokens_memo_t {
    apr_time_t until; /* as the process memo's entry, which a thread's slot never outlives */
    int gone;         /* signed out here: no record, whatever the memo held */
    na_tokens_t t;
} nextauth_tokens_memo_t;

static const char *nextauth_tokens_dup(apr_pool_t *p, const char *s)
{
    return s ? apr_pstrdup(p, s) : NULL;
}

static void *nextauth_tokens_memo_copy(apr_pool_t *p, const void *value)
{
    const nextauth_tokens_memo_t *in = value;
    nextauth_tokens_memo_t *out = apr_pmemdup(p, in, sizeof(*in));

    out->t.sid = nextauth_tokens_dup(p, in->t.sid);
    out->t.provider = nextauth_tokens_dup(p, in->t.provider);
    out->t.sub = nextauth_tokens_dup(p, in->t.sub);
    out->t.access_token = nextauth_tokens_dup(p, in->t.access_token);
    out->t.refresh_token = nextauth_tokens_dup(p, in->t.refresh_token);
    out->t.id_token = nextauth_tokens_dup(p, in->t.id_token);
    out->t.token_type = nextauth_tokens_dup(p, in->t.token_type);
    out->t.scope = nextauth_tokens_dup(p, in->t.scope);
    out->t.claims = nextauth_tokens_dup(p, in->t.claims);
    out->t.error = nextauth_tokens_dup(p, in->t.error);
    return out;
}

/* Each thread's last record, in front of the process memo: a hit takes no lock (the
 * process memo's mutex, shared by every thread of the child, cost a protected file some
 * 10% of its throughput). Values are copied out, as from the process memo. */
typedef struct nextauth_tokens_slot_t {
    apr_pool_t *pool; /* the thread's, cleared when the slot takes another record */
    char sid[NA_TOKENS_SID_LEN + 1];
    apr_time_t until;
    nextauth_tokens_memo_t *m;
} nextauth_tokens_slot_t;

static __thread nextauth_tokens_slot_t nextauth_tokens_slot;

static void nextauth_tokens_slot_put(const char *sid, const nextauth_tokens_memo_t *m)
{
    nextauth_tokens_slot_t *slot = &nextauth_tokens_slot;

    if (slot->pool == NULL
        && apr_pool_create_unmanaged_ex(&slot->pool, NULL, NULL) != APR_SUCCESS) {
        slot->pool = NULL;
        return;
    }
    apr_pool_clear(slot->pool);
    apr_cpystrn(slot->sid, sid, sizeof(slot->sid));
    slot->m = nextauth_tokens_memo_copy(slot->pool, m);
    slot->until = m->until;
}

static nextauth_tokens_memo_t *nextauth_tokens_slot_get(apr_pool_t *p, const char *sid,
                                                        apr_time_t now)
{
    nextauth_tokens_slot_t *slot = &nextauth_tokens_slot;

    if (slot->m == NULL || now >= slot->until || strcmp(slot->sid, sid) != 0) {
        return NULL;
    }
    return nextauth_tokens_memo_copy(p, slot->m);
}

static void nextauth_tokens_memo_put(const char *sid, const na_tokens_t *t, int gone)
{
    nextauth_tokens_memo_t m;
    apr_time_t now = apr_time_now();

    if (nextauth_tokens_memo == NULL) {
        return;
    }
    memset(&m, 0, sizeof(m));
    m.gone = gone;
    m.until = now + NEXTAUTH_TOKENS_MEMO_TTL;
    if (t) {
        m.t = *t;
    }
    na_cache_put(nextauth_tokens_memo, sid, strlen(sid), now, now + NEXTAUTH_TOKENS_MEMO_TTL,
                 nextauth_tokens_memo_copy, &m);
    nextauth_tokens_slot_put(sid, &m);
}

/* A process memo hit also fills this thread's slot, until the entry's own expiry. */
static int nextauth_tokens_memo_get(apr_pool_t *p, const char *sid, apr_time_t now,
                                    nextauth_tokens_memo_t **m)
{
    if (!na_cache_get(nextauth_tokens_memo, p, sid, strlen(sid), now, nextauth_tokens_memo_copy,
                      (void **)m)) {
        return 0;
    }
    nextauth_tokens_slot_put(sid, *m);
    return 1;
}

na_status_t nextauth_tokens_read(request_rec *r, const na_server_conf_t *conf, const char *sid,
                                 na_tokens_t *out)
{
    nextauth_tokens_memo_t *m = NULL;
    apr_time_t now = apr_time_now();
    na_status_t st;

    if (nextauth_tokens_memo && na_tokens_sid_valid(sid)
        && ((m = nextauth_tokens_slot_get(r->pool, sid, now)) != NULL
            || nextauth_tokens_memo_get(r->pool, sid, now, &m))) {
        if (m->gone) {
            return NA_EDENIED;
        }
        *out = m->t;
        return NA_OK;
    }
    if ((st = nextauth_tokens_read_shared(r, conf, sid, out)) == NA_OK) {
        nextauth_tokens_memo_put(sid, out, 0);
    }
    return st;
}

na_status_t nextauth_tokens_read_shared(request_rec *r, const na_server_conf_t *conf,
                                        const char *sid, na_tokens_t *out)
{
    unsigned int len = NA_TOKENS_MAX_SEALED;
    unsigned char *data;
    na_err_t err = {NULL, NULL, 0};
    apr_status_t rv;
    na_status_t st;

    if (!nextauth_tokens.ready || conf->token_keys == NULL || !na_tokens_sid_valid(sid)) {
        return NA_EDENIED;
    }
    data = apr_palloc(r->pool, len + 1);
    rv =
        nextauth_socache_get(&nextauth_tokens, r, apr_pstrcat(r->pool, "t", sid, NULL), data, &len);
    if (rv == APR_NOTFOUND) {
        return NA_EDENIED;
    }
    if (rv != APR_SUCCESS) {
        nextauth_tokens_warn(r, rv, "reading");
        return NA_EPEER;
    }
    st = na_tokens_open(r->pool, conf->token_keys, conf->session_nkeys, sid, data, len, out, &err);
    if (st != NA_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      NA_LOGNO(00256) "token record of this session refused (%s); the session goes "
                                      "on without tokens",
                      err.detail ? err.detail : "unreadable");
        return NA_EINPUT;
    }
    return NA_OK;
}

na_status_t nextauth_tokens_write(request_rec *r, const na_server_conf_t *conf,
                                  const na_tokens_t *t, apr_int64_t lifetime)
{
    const char *blob = NULL;
    apr_size_t len = 0;
    apr_status_t rv;
    na_status_t st;

    if (!nextauth_tokens.ready || conf->token_keys == NULL) {
        return NA_EPEER;
    }
    if ((st = na_tokens_seal(r->pool, &conf->token_keys[0], t, &blob, &len)) != NA_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, NA_LOGNO(00257) "token record not sealed (%s)",
                      st == NA_ETOOBIG ? "the IdP's tokens and claims are too big" : "error");
        return st;
    }
    rv = nextauth_socache_put(&nextauth_tokens, r, apr_pstrcat(r->pool, "t", t->sid, NULL),
                              apr_time_now() + apr_time_from_sec(lifetime),
                              (const unsigned char *)blob, (unsigned int)len);
    if (rv != APR_SUCCESS) {
        nextauth_tokens_warn(r, rv, "storing");
        return NA_EPEER;
    }
    nextauth_tokens_memo_put(t->sid, t, 0);
    return NA_OK;
}

void nextauth_tokens_forget(request_rec *r, const char *sid)
{
    apr_status_t rv;

    if (!nextauth_tokens.ready || !na_tokens_sid_valid(sid)) {
        return;
    }
    nextauth_tokens_memo_put(sid, NULL, 1);
    rv = nextauth_socache_del(&nextauth_tokens, r, apr_pstrcat(r->pool, "t", sid, NULL));
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        nextauth_tokens_warn(r, rv, "removing");
    }
}

/* --- the single-flight lock ------------------------------------------------------- */

static const char *nextauth_tokens_lock_id(request_rec *r, const char *kind, const char *sid,
                                           apr_int64_t version)
{
    return apr_psprintf(r->pool, "nextauth:%s%s:%" APR_INT64_T_FMT, kind, sid, version);
}

typedef struct nextauth_tokens_take_t {
    apr_int64_t lease;
    int take;              /* 1: take the lock when it is free */
    nextauth_lock_e state; /* out */
} nextauth_tokens_take_t;

/* Under the mutex: what the lock entry says, and (take) the entry stored when it is free. */
static apr_status_t nextauth_tokens_take_op(request_rec *r, const char *id, void *baton)
{
    nextauth_tokens_take_t *t = baton;
    unsigned char mark[2];
    unsigned int len = sizeof(mark);
    apr_status_t rv;

    rv = nextauth_tokens.provider->retrieve(nextauth_tokens.instance, r->server,
                                            (const unsigned char *)id, (unsigned int)strlen(id),
                                            mark, &len, r->pool);
    if (rv == APR_SUCCESS) {
        t->state = len == 1 && mark[0] == 'f' ? NEXTAUTH_LOCK_FAILED : NEXTAUTH_LOCK_BUSY;
        return APR_SUCCESS;
    }
    if (rv != APR_NOTFOUND) {
        return rv;
    }
    t->state = NEXTAUTH_LOCK_OWNED;
    if (!t->take) {
        return APR_SUCCESS;
    }
    return nextauth_tokens.provider->store(
        nextauth_tokens.instance, r->server, (const unsigned char *)id, (unsigned int)strlen(id),
        apr_time_now() + apr_time_from_sec(t->lease), (unsigned char *)"b", 1, r->pool);
}

/* Always under the mutex, whatever the provider's flags: check-and-store must be one step. */
static nextauth_lock_e nextauth_tokens_local(request_rec *r, const char *id, apr_int64_t lease,
                                             int take)
{
    nextauth_tokens_take_t t = {lease, take, NEXTAUTH_LOCK_ERROR};
    apr_status_t rv, lrv;

    if ((lrv = nextauth_socache_lock(&nextauth_tokens)) != APR_SUCCESS) {
        nextauth_tokens_warn(r, lrv, "locking");
        return NEXTAUTH_LOCK_ERROR;
    }
    rv = nextauth_tokens_take_op(r, id, &t);
    lrv = nextauth_socache_unlock(&nextauth_tokens);
    if (rv != APR_SUCCESS || lrv != APR_SUCCESS) {
        nextauth_tokens_warn(r, rv != APR_SUCCESS ? rv : lrv, "taking the refresh lock");
        return NEXTAUTH_LOCK_ERROR;
    }
    return t.state;
}

static int nextauth_tokens_redis_has(request_rec *r, const char *key, apr_status_t *rv)
{
    char *value = NULL;
    apr_size_t len = 0;

    *rv = apr_redis_getp(nextauth_tokens_redis, r->pool, key, &value, &len, NULL);
    if (*rv == APR_NOTFOUND) {
        *rv = APR_SUCCESS;
        return 0;
    }
    return *rv == APR_SUCCESS;
}

/* INCR is atomic in Redis: of all hosts, exactly one caller sees 1. */
static nextauth_lock_e nextauth_tokens_remote(request_rec *r, const char *sid, apr_int64_t version,
                                              apr_int64_t lease)
{
    const char *lock = nextauth_tokens_lock_id(r, "l", sid, version);
    apr_uint32_t count = 0;
    apr_status_t rv = apr_redis_incr(nextauth_tokens_redis, lock, 1, &count);

    if (rv == APR_SUCCESS && count == 1) {
        rv = apr_redis_setex(nextauth_tokens_redis, lock, "1", 1, (apr_uint32_t)lease, 0);
        if (rv == APR_SUCCESS) {
            return NEXTAUTH_LOCK_OWNED;
        }
    }
    if (rv == APR_SUCCESS) {
        int failed =
            nextauth_tokens_redis_has(r, nextauth_tokens_lock_id(r, "f", sid, version), &rv);
        if (rv == APR_SUCCESS) {
            return failed ? NEXTAUTH_LOCK_FAILED : NEXTAUTH_LOCK_BUSY;
        }
    }
    nextauth_tokens_warn(r, rv, "taking the refresh lock");
    return NEXTAUTH_LOCK_ERROR;
}

static int nextauth_tokens_on_redis(void)
{
    return nextauth_tokens.name && strcmp(nextauth_tokens.name, "redis") == 0;
}

nextauth_lock_e nextauth_tokens_lock(request_rec *r, const char *sid, apr_int64_t version,
                                     apr_int64_t lease)
{
    if (!nextauth_tokens.ready) {
        return NEXTAUTH_LOCK_ERROR;
    }
    if (nextauth_tokens_on_redis()) {
        /* Without its own connection no host could take the lock safely. */
        return nextauth_tokens_redis ? nextauth_tokens_remote(r, sid, version, lease)
                                     : NEXTAUTH_LOCK_ERROR;
    }
    return nextauth_tokens_local(r, nextauth_tokens_lock_id(r, "l", sid, version), lease, 1);
}

nextauth_lock_e nextauth_tokens_lock_state(request_rec *r, const char *sid, apr_int64_t version)
{
    apr_status_t rv;

    if (!nextauth_tokens.ready) {
        return NEXTAUTH_LOCK_ERROR;
    }
    if (!nextauth_tokens_on_redis()) {
        return nextauth_tokens_local(r, nextauth_tokens_lock_id(r, "l", sid, version), 0, 0);
    }
    if (nextauth_tokens_redis == NULL) {
        return NEXTAUTH_LOCK_ERROR;
    }
    if (nextauth_tokens_redis_has(r, nextauth_tokens_lock_id(r, "f", sid, version), &rv)) {
        return NEXTAUTH_LOCK_FAILED;
    }
    if (rv == APR_SUCCESS
        && !nextauth_tokens_redis_has(r, nextauth_tokens_lock_id(r, "l", sid, version), &rv)
        && rv == APR_SUCCESS) {
        return NEXTAUTH_LOCK_OWNED;
    }
    return rv == APR_SUCCESS ? NEXTAUTH_LOCK_BUSY : NEXTAUTH_LOCK_ERROR;
}

static void nextauth_tokens_unlock_local(request_rec *r, const char *id, int failed,
                                         apr_int64_t lease)
{
    apr_status_t rv = failed ? nextauth_socache_put(&nextauth_tokens, r, id,
                                                    apr_time_now() + apr_time_from_sec(lease),
                                                    (const unsigned char *)"f", 1)
                             : nextauth_socache_del(&nextauth_tokens, r, id);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        nextauth_tokens_warn(r, rv, "releasing the refresh lock");
    }
}

void nextauth_tokens_unlock(request_rec *r, const char *sid, apr_int64_t version, int failed,
                            apr_int64_t lease)
{
    apr_status_t rv;

    if (!nextauth_tokens.ready) {
        return;
    }
    if (!nextauth_tokens_on_redis()) {
        nextauth_tokens_unlock_local(r, nextauth_tokens_lock_id(r, "l", sid, version), failed,
                                     lease);
        return;
    }
    if (nextauth_tokens_redis == NULL) {
        return;
    }
    rv = failed
             ? apr_redis_setex(nextauth_tokens_redis, nextauth_tokens_lock_id(r, "f", sid, version),
                               "1", 1, (apr_uint32_t)lease, 0)
             : apr_redis_delete(nextauth_tokens_redis,
                                nextauth_tokens_lock_id(r, "l", sid, version), 0);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        nextauth_tokens_warn(r, rv, "releasing the refresh lock");
    }
}
