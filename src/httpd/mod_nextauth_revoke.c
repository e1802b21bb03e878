/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_atomic.h>
#include <apr_redis.h>
#include <apr_thread_mutex.h>
#include <apr_shm.h>

#include <ap_mpm.h>
#include <http_protocol.h>

#include "mod_nextauth_authn.h"
#include "mod_nextauth_conf.h"
#include "mod_nextauth_metrics.h"
#include "mod_nextauth_req.h"
#include "mod_nextauth_revoke.h"
#include "mod_nextauth_socache.h"
#include "mod_nextauth_tokens.h"
#include "na_b64.h"
#include "na_crypto.h"
#include "na_logout.h"
#include "na_revoke.h"
#include "na_session.h"
#include "na_tokens.h"

/* The revocation list. Entries (na_revoke.h) live as long as a session could: maxAge and
 * the clock tolerance. Every write also bumps a generation counter, and each thread
 * remembers the last session it found not revoked with the generation it read first:
 * while the counter stands still nothing was revoked, so the common request reads one
 * number instead of two entries. On one host (shmcb, dbm) the counter is a word of shared
 * memory; on redis it is a key every host INCRs, read with one GET per request, so a
 * revocation on another host counts at the very next request (and a memo older than
 * NEXTAUTH_REVOKE_MEMO_MAX is not trusted, should an INCR have been lost). memcache has
 * no counter here: its entries are read every time. */

/* 2 MB: some 20,000 entries of ~100 bytes. */
#define NEXTAUTH_REVOKE_DEFAULT_CACHE "shmcb:logs/nextauth-revocations(2097152)"
#define NEXTAUTH_REVOKE_WARN_EVERY 60
#define NEXTAUTH_REVOKE_MAX_VALUE 512
#define NEXTAUTH_REVOKE_GEN_KEY "nextauth-revoke:generation"
#define NEXTAUTH_REVOKE_MEMO_MAX apr_time_from_sec(10)

static nextauth_socache_t nextauth_revoke = {.id = "nextauth-revoke",
                                             .directive = NA_DIR_REVOCATION,
                                             .hints = {28, 64, 600 * APR_USEC_PER_SEC}};
static apr_uint32_t *nextauth_revoke_gen;  /* NULL: shared by hosts, or no shared memory */
static apr_redis_t *nextauth_revoke_redis; /* per child: the counter of a cache on redis */
static apr_redis_server_t *nextauth_revoke_redis_server;
static apr_uint32_t nextauth_revoke_warned; /* per process: second of the last warning */

/* The tokens a thread found not revoked, by a hash of their sid (or, for a token without
 * one, made by next-auth, its jti, which names that token alone): a table per thread,
 * read and written with no lock, so a thread serving many users keeps most of them. */
#define NEXTAUTH_REVOKE_SLOT_KEY 64
#define NEXTAUTH_REVOKE_SLOTS 64
/* Behind the threads' tables, one per process that all its threads share (one mutex): a
 * thread meets more users than its table holds, a process keeps this many. A fixed array
 * made at child init (some 400 kB), so its memory does not grow with the users seen. */
#define NEXTAUTH_REVOKE_MEMO_SLOTS 4096

typedef struct nextauth_revoke_slot_t {
    char key[NEXTAUTH_REVOKE_SLOT_KEY + 1];
    apr_int64_t began;
    apr_uint32_t gen;
    apr_time_t at; /* when it was checked */
} nextauth_revoke_slot_t;

static __thread nextauth_revoke_slot_t nextauth_revoke_slots[NEXTAUTH_REVOKE_SLOTS];
static nextauth_revoke_slot_t *nextauth_revoke_memo; /* per child: NEXTAUTH_REVOKE_MEMO_SLOTS */
static apr_thread_mutex_t *nextauth_revoke_memo_lock;

/* FNV-1a: the keys are random (sid) or UUIDs (jti), any spread will do. */
static apr_uint32_t nextauth_revoke_hash(const char *key)
{
    apr_uint32_t h = 2166136261u;

    for (; *key; key++) {
        h = (h ^ (unsigned char)*key) * 16777619u;
    }
    return h;
}

static nextauth_revoke_slot_t *nextauth_revoke_slot_of(const char *key)
{
    return &nextauth_revoke_slots[nextauth_revoke_hash(key) % NEXTAUTH_REVOKE_SLOTS];
}

static int nextauth_revoke_slot_fits(const nextauth_revoke_slot_t *slot, request_rec *r,
                                     const char *key, apr_int64_t began, apr_uint32_t gen)
{
    return slot->gen == gen && slot->began == began
           && r->request_time - slot->at < NEXTAUTH_REVOKE_MEMO_MAX && strcmp(slot->key, key) == 0;
}

static void nextauth_revoke_slot_set(nextauth_revoke_slot_t *slot, request_rec *r, const char *key,
                                     apr_int64_t began, apr_uint32_t gen)
{
    memcpy(slot->key, key, strlen(key) + 1);
    slot->began = began;
    slot->gen = gen;
    slot->at = r->request_time;
}

/* The process table under its lock: lookup (set 0) or store (set 1). */
static int nextauth_revoke_shared(request_rec *r, const char *key, apr_int64_t began,
                                  apr_uint32_t gen, int set)
{
    nextauth_revoke_slot_t *slot;
    int hit = 0;

    if (nextauth_revoke_memo == NULL || apr_thread_mutex_lock(nextauth_revoke_memo_lock)) {
        return 0;
    }
    slot = &nextauth_revoke_memo[nextauth_revoke_hash(key) % NEXTAUTH_REVOKE_MEMO_SLOTS];
    if (set) {
        nextauth_revoke_slot_set(slot, r, key, began, gen);
    }
    else {
        hit = nextauth_revoke_slot_fits(slot, r, key, began, gen);
    }
    apr_thread_mutex_unlock(nextauth_revoke_memo_lock);
    return hit;
}

int nextauth_revoke_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)plog;
    (void)ptemp;
    nextauth_revoke_gen = NULL;
    nextauth_revoke_redis = NULL;
    return nextauth_socache_pre_config(&nextauth_revoke, pconf);
}

/* Any server with a secret reads sessions, unless the main server turned the list off. */
static int nextauth_revoke_wanted(server_rec *s)
{
    if (!na_config_revocation(nextauth_conf_server(s))) {
        return 0;
    }
    for (; s; s = s->next) {
        const na_server_conf_t *conf = nextauth_conf_server(s);
        if (conf->touched && conf->secrets && conf->secrets->nelts > 0) {
            return 1;
        }
    }
    return 0;
}

static const nextauth_socache_lines_t nextauth_revoke_lines = {NA_LOGNO(00264), NA_LOGNO(00265),
                                                               "sessions cannot be revoked"};

int nextauth_revoke_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    (void)plog;
    if (!nextauth_revoke_wanted(s)) {
        return OK;
    }
    /* Without the default provider there is no list, and sign-out cannot end a copied
     * cookie; configurations that start today keep starting. */
    return nextauth_socache_configure(&nextauth_revoke, nextauth_conf_server(s)->revocation_cache,
                                      NEXTAUTH_REVOKE_DEFAULT_CACHE, &nextauth_revoke_lines, ptemp,
                                      pconf);
}

/* A cache every host reads needs no generation; one on this host does. */
static int nextauth_revoke_local(void)
{
    return strcmp(nextauth_revoke.name, "redis") != 0
           && strcmp(nextauth_revoke.name, "memcache") != 0;
}

/* post_config, after the session keys: each server's scopes, hashed once. */
static int nextauth_revoke_derive(apr_pool_t *pconf, server_rec *s)
{
    static const char label[] = "mod_nextauth revocation scope";
    unsigned char digest[NA_SHA256_LEN];
    int k;

    for (; s; s = s->next) {
        na_server_conf_t *conf = ap_get_module_config(s->module_config, &nextauth_module);
        const char **scopes;

        if (conf->session_nkeys == 0 || conf->revoke_scopes) {
            continue;
        }
        scopes = apr_pcalloc(pconf, sizeof(*scopes) * (apr_size_t)conf->session_nkeys);
        for (k = 0; k < conf->session_nkeys; k++) {
            if (na_crypto_sha256_2(conf->session_keys[k].bytes, sizeof(conf->session_keys[k].bytes),
                                   label, sizeof(label) - 1, digest)
                != NA_OK) {
                ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                             NA_LOGNO(00281) "revocation list: cannot hash the session keys");
                return !OK;
            }
            scopes[k] = na_b64_encode(pconf, digest, 16);
        }
        conf->revoke_scopes = scopes;
    }
    return OK;
}

int nextauth_revoke_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s)
{
    const char *what = NULL;
    apr_shm_t *shm = NULL;
    apr_status_t rv;

    (void)plog;
    (void)ptemp;
    if ((rv = nextauth_socache_start(&nextauth_revoke, s, pconf, &what)) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     NA_LOGNO(00266) "revocation list: " NA_DIR_REVOCATION " cache=%s cannot "
                                     "start (%s)",
                     nextauth_revoke.spec, what);
        return !OK;
    }
    if (nextauth_revoke.provider && nextauth_revoke_derive(pconf, s) != OK) {
        return !OK;
    }
    if (nextauth_revoke.provider == NULL || !nextauth_revoke_local()) {
        return OK;
    }
    /* Anonymous shared memory is inherited by the children; without it, no memo. */
    if (apr_shm_create(&shm, sizeof(apr_uint32_t), NULL, pconf) == APR_SUCCESS) {
        nextauth_revoke_gen = apr_shm_baseaddr_get(shm);
        apr_atomic_set32(nextauth_revoke_gen, 1);
    }
    return OK;
}

void nextauth_revoke_child_init(apr_pool_t *p, server_rec *s)
{
    apr_status_t rv = nextauth_socache_child_init(&nextauth_revoke, p);
    int threads = 1;

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     NA_LOGNO(00267) "revocation list: cannot attach the cache mutex in this "
                                     "child; its sessions are checked as the cache fails");
        return;
    }
    nextauth_revoke_memo = NULL;
    if (nextauth_revoke.ready
        && apr_thread_mutex_create(&nextauth_revoke_memo_lock, APR_THREAD_MUTEX_DEFAULT, p)
               == APR_SUCCESS) {
        nextauth_revoke_memo =
            apr_pcalloc(p, sizeof(*nextauth_revoke_memo) * NEXTAUTH_REVOKE_MEMO_SLOTS);
    }
    if (!nextauth_revoke.ready || strcmp(nextauth_revoke.name, "redis") != 0) {
        return;
    }
    /* One connection per thread: the counter is read by every protected request. */
    if (ap_mpm_query(AP_MPMQ_MAX_THREADS, &threads) != APR_SUCCESS || threads < 1) {
        threads = 1;
    }
    rv = nextauth_socache_redis_open(p, nextauth_revoke.args, threads, &nextauth_revoke_redis,
                                     &nextauth_revoke_redis_server);
    if (rv != APR_SUCCESS) {
        nextauth_revoke_redis = NULL;
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     NA_LOGNO(00280) "revocation list: cannot reach redis %s for its counter; "
                                     "this child reads the entries at every request",
                     nextauth_revoke.spec);
    }
}

/* Once a minute per process, not per request: a cache that is down fails every request. */
static void nextauth_revoke_warn(request_rec *r, apr_status_t rv, const char *what)
{
    apr_uint32_t now = (apr_uint32_t)apr_time_sec(apr_time_now());
    apr_uint32_t last = apr_atomic_read32(&nextauth_revoke_warned);

    if (last && now - last < NEXTAUTH_REVOKE_WARN_EVERY) {
        return;
    }
    if (apr_atomic_cas32(&nextauth_revoke_warned, now, last) != last) {
        return; /* another thread warns */
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                  NA_LOGNO(00268) "revocation list %s failed (%s cache=%s); %s until it works "
                                  "again (logged once a minute)",
                  what, NA_DIR_REVOCATION, nextauth_revoke.spec,
                  nextauth_conf_server(r->server)->revocation_fail_open == 1
                      ? "sessions are taken unchecked (failOpen=on)"
                      : "protected requests are refused with 503");
}

/* Entries about a user or an IdP name them within the sessions one session key opens
 * (the key of secret k, as bound to its site by NextAuthCookie shared=): two sites of one
 * httpd (or one Redis) may each have an alice@example.com, or a "keycloak" provider that
 * is not the other's, while every host that reads the same cookies (one secret) shares
 * them. The key enters only through a hash. Session ids need no scope: they are random. */
static const char *nextauth_revoke_scoped(request_rec *r, int k, const char *name)
{
    const na_server_conf_t *conf = nextauth_conf_server(r->server);

    if (name == NULL || k < 0 || k >= conf->session_nkeys || conf->revoke_scopes == NULL) {
        return NULL;
    }
    return apr_pstrcat(r->pool, conf->revoke_scopes[k], " ", name, NULL);
}

/* The number of session keys of r's server (each scope an entry may be under). */
static int nextauth_revoke_nkeys(request_rec *r)
{
    return nextauth_conf_server(r->server)->session_nkeys;
}

/* The generation counter: 1 and *gen when there is one to trust; 0 when there is none
 * (memcache, a counter that cannot be read): no memo then; -1 when redis is down (its
 * entries cannot be read either: apr_redis would answer "not found"). */
static int nextauth_revoke_generation(request_rec *r, apr_uint32_t *gen)
{
    char *value = NULL;
    apr_size_t len = 0;
    apr_status_t rv;

    if (nextauth_revoke_gen) {
        *gen = apr_atomic_read32(nextauth_revoke_gen);
        return 1;
    }
    if (nextauth_revoke_redis == NULL) {
        return 0;
    }
    rv = nextauth_socache_redis_getp(nextauth_revoke_redis, nextauth_revoke_redis_server, r->pool,
                                     NEXTAUTH_REVOKE_GEN_KEY, &value, &len);
    if (rv == APR_NOTFOUND) {
        *gen = 0;
        return 1;
    }
    if (rv == APR_ECONNREFUSED) {
        return -1;
    }
    if (rv != APR_SUCCESS || len == 0 || len > 10) {
        return 0;
    }
    for (*gen = 0; len > 0; len--, value++) { /* the value is not NUL-terminated */
        if (*value < '0' || *value > '9') {
            return 0;
        }
        *gen = *gen * 10 + (apr_uint32_t)(*value - '0');
    }
    return 1;
}

/* After a store: the counter moves, so every thread's memo of every host looks again. */
static na_status_t nextauth_revoke_bump(request_rec *r)
{
    apr_uint32_t now = 0;
    apr_status_t rv;

    if (nextauth_revoke_gen) {
        apr_atomic_inc32(nextauth_revoke_gen);
        return NA_OK;
    }
    if (nextauth_revoke_redis == NULL) {
        return NA_OK;
    }
    /* Redis creates a missing counter at 1. */
    rv = apr_redis_incr(nextauth_revoke_redis, NEXTAUTH_REVOKE_GEN_KEY, 1, &now);
    if (rv != APR_SUCCESS) {
        nextauth_revoke_warn(r, rv, "counting");
        return NA_EPEER;
    }
    return NA_OK;
}

/* How long an entry must outlive what it revokes: the longest a session lives. */
static apr_time_t nextauth_revoke_expiry(request_rec *r)
{
    apr_int64_t life = na_config_max_age(nextauth_conf_server(r->server));

    return apr_time_now() + apr_time_from_sec(life + NA_SESSION_CLOCK_TOLERANCE);
}

static na_status_t nextauth_revoke_put(request_rec *r, const char *key, const char *value,
                                       apr_time_t expiry)
{
    apr_status_t rv;

    if (!nextauth_revoke.ready || key == NULL) {
        return nextauth_revoke.ready ? NA_EINPUT : NA_EPEER;
    }
    rv = nextauth_socache_put(&nextauth_revoke, r, key, expiry, (const unsigned char *)value,
                              (unsigned int)strlen(value));
    if (rv != APR_SUCCESS) {
        nextauth_revoke_warn(r, rv, "storing");
        return NA_EPEER;
    }
    return nextauth_revoke_bump(r); /* after the store: see the file's comment */
}

/* An entry as mod_socache stored it. On redis through our own client, which can tell a
 * dead server from a missing entry (mod_socache_redis cannot: both are "not found"). */
static apr_status_t nextauth_revoke_read(request_rec *r, const char *key, unsigned char *data,
                                         unsigned int *len)
{
    char *value = NULL;
    apr_size_t n = 0;
    apr_status_t rv;

    if (nextauth_revoke_redis == NULL) {
        return nextauth_socache_get(&nextauth_revoke, r, key, data, len);
    }
    rv = nextauth_socache_redis_get(&nextauth_revoke, nextauth_revoke_redis,
                                    nextauth_revoke_redis_server, r, key, &value, &n);
    if (rv == APR_SUCCESS) {
        if (n > *len) {
            return APR_EINVAL; /* not an entry of ours */
        }
        memcpy(data, value, n);
        *len = (unsigned int)n;
    }
    return rv;
}

/* An entry's value into *value (NUL-terminated, from r->pool): NA_OK, NA_EDENIED when
 * there is none, NA_EPEER when the cache failed (logged). */
static na_status_t nextauth_revoke_get(request_rec *r, const char *key, const char **value,
                                       unsigned int *len)
{
    unsigned char *data = apr_palloc(r->pool, NEXTAUTH_REVOKE_MAX_VALUE + 1);
    apr_status_t rv;

    *len = NEXTAUTH_REVOKE_MAX_VALUE;
    rv = nextauth_revoke_read(r, key, data, len);
    if (rv == APR_NOTFOUND) {
        return NA_EDENIED;
    }
    if (rv != APR_SUCCESS) {
        nextauth_revoke_warn(r, rv, "reading");
        return NA_EPEER;
    }
    data[*len] = '\0';
    *value = (const char *)data;
    return NA_OK;
}

/* The two lookups: NA_OK (not revoked), NA_EDENIED (revoked) or NA_EPEER. */
static na_status_t nextauth_revoke_lookup(request_rec *r, const na_session_claims_t *claims,
                                          apr_int64_t began, int db, int key_index)
{
    const char *value = NULL, *user;
    unsigned int len = 0;
    na_status_t st = NA_EDENIED;

    if (claims->sid
        && (st = nextauth_revoke_get(r, na_revoke_session_key(r->pool, claims->sid), &value, &len))
               != NA_EDENIED) {
        return st == NA_OK ? NA_EDENIED : st;
    }
    if (db || (user = nextauth_authn_user(r, claims)) == NULL) {
        return NA_OK;
    }
    st = nextauth_revoke_get(
        r, na_revoke_user_key(r->pool, nextauth_revoke_scoped(r, key_index, user)), &value, &len);
    if (st == NA_EDENIED) {
        return NA_OK;
    }
    if (st != NA_OK) {
        return st;
    }
    return na_revoke_user_revokes(value, len, began) != 0 ? NA_EDENIED : NA_OK;
}

static const char *nextauth_revoke_memo_key(const na_session_claims_t *claims)
{
    const char *key = claims->sid ? claims->sid : claims->jti;

    return key && strlen(key) <= NEXTAUTH_REVOKE_SLOT_KEY ? key : NULL;
}

/* The thread's table, then the process's memo (whose hit refills the table). */
static int nextauth_revoke_memo_hit(request_rec *r, const na_session_claims_t *claims,
                                    apr_int64_t began, apr_uint32_t gen)
{
    const char *key = nextauth_revoke_memo_key(claims);
    nextauth_revoke_slot_t *slot = key ? nextauth_revoke_slot_of(key) : NULL;

    if (slot == NULL) {
        return 0;
    }
    if (nextauth_revoke_slot_fits(slot, r, key, began, gen)) {
        return 1;
    }
    if (!nextauth_revoke_shared(r, key, began, gen, 0)) {
        return 0;
    }
    nextauth_revoke_slot_set(slot, r, key, began, gen);
    return 1;
}

static void nextauth_revoke_memo_put(request_rec *r, const na_session_claims_t *claims,
                                     apr_int64_t began, apr_uint32_t gen)
{
    const char *key = nextauth_revoke_memo_key(claims);

    if (key) {
        nextauth_revoke_slot_set(nextauth_revoke_slot_of(key), r, key, began, gen);
        nextauth_revoke_shared(r, key, began, gen, 1);
    }
}

na_status_t nextauth_revoke_check(request_rec *r, const na_session_claims_t *claims, int db,
                                  int key_index)
{
    apr_int64_t began = claims->auth_time > 0 ? claims->auth_time : claims->iat;
    apr_uint32_t gen = 0;
    na_status_t st;
    int counted;

    if (nextauth_revoke.provider == NULL) {
        return NA_OK; /* NextAuthRevocation off, or the default cache is not loaded */
    }
    counted = nextauth_revoke.ready ? nextauth_revoke_generation(r, &gen) : 0;
    if (counted == 1 && nextauth_revoke_memo_hit(r, claims, began, gen)) {
        return NA_OK;
    }
    if (counted < 0) {
        nextauth_revoke_warn(r, APR_ECONNREFUSED, "reading");
        st = NA_EPEER;
    }
    else {
        st = nextauth_revoke.ready ? nextauth_revoke_lookup(r, claims, began, db, key_index)
                                   : NA_EPEER;
    }
    if (st == NA_OK) {
        if (counted == 1) {
            nextauth_revoke_memo_put(r, claims, began, gen);
        }
        return NA_OK;
    }
    if (st == NA_EDENIED) {
        nextauth_metrics_revocation(NA_METRICS_REVOKE_REFUSED);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      NA_LOGNO(00269) "session refused: it was revoked (signed out, signed out "
                                      "everywhere, or logged out by its provider)");
        return NA_EDENIED;
    }
    if (!nextauth_revoke.ready) {
        nextauth_revoke_warn(r, APR_EINIT, "reading");
    }
    if (nextauth_conf_server(r->server)->revocation_fail_open == 1) {
        return NA_OK;
    }
    apr_table_setn(nextauth_req_top(r)->notes, NEXTAUTH_REVOKE_NOTE_DOWN, "1");
    return NA_EPEER;
}

int nextauth_revoke_ready(void)
{
    return nextauth_revoke.ready;
}

int nextauth_revoke_down(request_rec *r)
{
    if (apr_table_get(nextauth_req_top(r)->notes, NEXTAUTH_REVOKE_NOTE_DOWN) == NULL) {
        return 0;
    }
    apr_table_setn(r->err_headers_out, "Retry-After", "60");
    return 1;
}

na_status_t nextauth_revoke_session(request_rec *r, const char *sid)
{
    apr_int64_t now = apr_time_sec(apr_time_now());

    if (nextauth_revoke.provider == NULL || sid == NULL) {
        return NA_OK;
    }
    return nextauth_revoke_put(r, na_revoke_session_key(r->pool, sid),
                               na_revoke_time_value(r->pool, now), nextauth_revoke_expiry(r));
}

na_status_t nextauth_revoke_user(request_rec *r, const char *user)
{
    const char *when = na_revoke_time_value(r->pool, apr_time_sec(apr_time_now()));
    na_status_t st = NA_OK;
    int k;

    if (nextauth_revoke.provider == NULL) {
        return NA_OK;
    }
    /* Under every key this server reads sessions with: a retired secret's sessions too. */
    for (k = 0; k < nextauth_revoke_nkeys(r) && st == NA_OK; k++) {
        st = nextauth_revoke_put(r, na_revoke_user_key(r->pool, nextauth_revoke_scoped(r, k, user)),
                                 when, nextauth_revoke_expiry(r));
    }
    return st;
}

apr_int64_t nextauth_revoke_signin_time(request_rec *r, const char *user, apr_int64_t now)
{
    const char *value = NULL, *key;
    unsigned int len = 0;

    if (!nextauth_revoke.ready
        || (key = na_revoke_user_key(r->pool, nextauth_revoke_scoped(r, 0, user))) == NULL
        || nextauth_revoke_get(r, key, &value, &len) != NA_OK) {
        return now;
    }
    return na_revoke_signin_time(value, len, now);
}

void nextauth_revoke_remember(request_rec *r, const char *provider, const char *idp_sid,
                              const char *idp_sub, const char *sid, const char *user)
{
    const char *key, *value = NULL;
    unsigned int len = 0;

    if (!nextauth_revoke.ready) {
        return;
    }
    /* New sessions are under key 0: so is what names them. */
    if ((key = na_revoke_idp_session_key(r->pool, nextauth_revoke_scoped(r, 0, provider), idp_sid))
            != NULL
        && sid && nextauth_revoke_get(r, key, &value, &len) != NA_EPEER) {
        (void)nextauth_revoke_put(r, key, na_revoke_sids_add(r->pool, value, len, sid),
                                  nextauth_revoke_expiry(r));
    }
    if ((key = na_revoke_idp_subject_key(r->pool, nextauth_revoke_scoped(r, 0, provider), idp_sub))
            != NULL
        && user) {
        (void)nextauth_revoke_put(r, key, user, nextauth_revoke_expiry(r));
    }
}

na_status_t nextauth_revoke_jti_once(request_rec *r, const char *issuer, const char *jti)
{
    const char *key = na_revoke_jti_key(r->pool, issuer, jti), *value = NULL;
    unsigned int len = 0;
    na_status_t st;

    if (!nextauth_revoke.ready || key == NULL) {
        return NA_EPEER;
    }
    if ((st = nextauth_revoke_get(r, key, &value, &len)) != NA_EDENIED) {
        return st == NA_OK ? NA_EDENIED : st;
    }
    /* Kept as long as its token could be accepted (iat no older than the max age). */
    return nextauth_revoke_put(
        r, key, "1",
        apr_time_now() + apr_time_from_sec(NA_LOGOUT_MAX_AGE + 2 * NA_SESSION_CLOCK_TOLERANCE));
}

/* Every session id kept under the IdP's session: each revoked, and its token record gone. */
static na_status_t nextauth_revoke_idp_session(request_rec *r, const char *value, unsigned int len,
                                               int *count)
{
    apr_array_header_t *sids = na_revoke_sids_parse(r->pool, value, len);
    na_status_t st = NA_OK;
    int i;

    for (i = 0; i < sids->nelts && st == NA_OK; i++) {
        const char *sid = APR_ARRAY_IDX(sids, i, const char *);
        if ((st = nextauth_revoke_put(r, na_revoke_session_key(r->pool, sid),
                                      na_revoke_time_value(r->pool, apr_time_sec(apr_time_now())),
                                      nextauth_revoke_expiry(r)))
            == NA_OK) {
            nextauth_metrics_revocation(NA_METRICS_REVOKE_BACKCHANNEL);
            nextauth_tokens_forget(r, sid);
            (*count)++;
        }
    }
    return st;
}

/* The value of a map entry under any of the server's keys (a sign-in made before the
 * secret rotated is under an older one): NA_OK, NA_EDENIED (none), NA_EPEER. */
static na_status_t nextauth_revoke_map_get(request_rec *r, int subject, const char *provider,
                                           const char *id, const char **value, unsigned int *len)
{
    na_status_t st = NA_EDENIED;
    const char *key;
    int k;

    for (k = 0; k < nextauth_revoke_nkeys(r) && st == NA_EDENIED; k++) {
        const char *scoped = nextauth_revoke_scoped(r, k, provider);
        key = subject ? na_revoke_idp_subject_key(r->pool, scoped, id)
                      : na_revoke_idp_session_key(r->pool, scoped, id);
        st = key ? nextauth_revoke_get(r, key, value, len) : NA_EDENIED;
    }
    return st;
}

na_status_t nextauth_revoke_idp(request_rec *r, const char *provider, const char *idp_sid,
                                const char *idp_sub, int *count)
{
    const char *value = NULL;
    unsigned int len = 0;
    na_status_t st = NA_EDENIED;

    *count = 0;
    if (!nextauth_revoke.ready) {
        nextauth_revoke_warn(r, APR_EINIT, "storing");
        return NA_EPEER;
    }
    if (idp_sid && (st = nextauth_revoke_map_get(r, 0, provider, idp_sid, &value, &len)) == NA_OK) {
        return nextauth_revoke_idp_session(r, value, len, count);
    }
    if (st == NA_EPEER) {
        return st;
    }
    /* sub only, or an IdP session we never saw (signed in elsewhere, or before this
     * list): its user's sessions, rather than none. */
    if (idp_sub == NULL
        || (st = nextauth_revoke_map_get(r, 1, provider, idp_sub, &value, &len)) != NA_OK) {
        return st == NA_EPEER ? st : NA_OK;
    }
    if ((st = nextauth_revoke_user(r, value)) == NA_OK) {
        nextauth_metrics_revocation(NA_METRICS_REVOKE_BACKCHANNEL);
        *count = 1;
    }
    return st;
}
