/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <apr_redis.h>

#include <ap_provider.h>
#include <util_mutex.h>

#include "mod_nextauth_conf.h"
#include "mod_nextauth_socache.h"
#include "na_limit.h"

int nextauth_socache_wanted(server_rec *s, unsigned kinds)
{
    for (; s; s = s->next) {
        const na_server_conf_t *conf = nextauth_conf_server(s);
        int i;

        for (i = 0; conf->touched && conf->providers && i < conf->providers->nelts; i++) {
            if (APR_ARRAY_IDX(conf->providers, i, const na_provider_t *)->kind & kinds) {
                return 1;
            }
        }
    }
    return 0;
}

int nextauth_socache_pre_config(nextauth_socache_t *c, apr_pool_t *pconf)
{
    const char *id = c->id, *directive = c->directive;
    struct ap_socache_hints hints = c->hints;

    memset(c, 0, sizeof(*c));
    c->id = id;
    c->directive = directive;
    c->hints = hints;
    return ap_mutex_register(pconf, id, NULL, APR_LOCK_DEFAULT, 0) == APR_SUCCESS ? OK : !OK;
}

static const char *nextauth_socache_lookup(nextauth_socache_t *c, const char *spec, int defaulted,
                                           apr_pool_t *ptemp)
{
    c->provider =
        ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, c->name, AP_SOCACHE_PROVIDER_VERSION);
    if (c->provider) {
        return NULL;
    }
    return apr_psprintf(ptemp,
                        "%s %s%s: no mod_socache provider '%s' is loaded; accepted: LoadModule "
                        "socache_%s_module modules/mod_socache_%s.so (a2enmod socache_%s), or "
                        "another provider in %s",
                        c->directive, spec, defaulted ? " (the default)" : "", c->name, c->name,
                        c->name, c->name, c->directive);
}

const char *nextauth_socache_create(nextauth_socache_t *c, const char *spec, const char *fallback,
                                    apr_pool_t *ptemp, apr_pool_t *pconf)
{
    const char *use = spec ? spec : fallback, *msg;

    msg = na_limit_parse_cache(ptemp, c->directive, use, &c->name, &c->args);
    if (msg == NULL) {
        msg = nextauth_socache_lookup(c, use, spec == NULL, ptemp);
    }
    if (msg == NULL && (msg = c->provider->create(&c->instance, c->args, ptemp, pconf)) != NULL) {
        msg = apr_psprintf(ptemp,
                           "%s '%s': %s; accepted: PROVIDER[:ARGS] as the provider documents it",
                           c->directive, use, msg);
    }
    if (msg) {
        c->provider = NULL;
        return msg;
    }
    c->spec = apr_pstrdup(pconf, use);
    c->name = apr_pstrdup(pconf, c->name);
    c->args = c->args ? apr_pstrdup(pconf, c->args) : NULL;
    return NULL;
}

int nextauth_socache_configure(nextauth_socache_t *c, const char *spec, const char *fallback,
                               const nextauth_socache_lines_t *lines, apr_pool_t *ptemp,
                               apr_pool_t *pconf)
{
    const char *msg = nextauth_socache_create(c, spec, fallback, ptemp, pconf);

    if (msg && spec == NULL) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_WARNING, 0, NULL, "%s%s; until then %s",
                     lines->warn_logno, msg, lines->without);
        return OK;
    }
    if (msg) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL, "%s%s", lines->fail_logno,
                     msg);
        return !OK;
    }
    return OK;
}

typedef struct nextauth_socache_owner_t {
    nextauth_socache_t *cache;
    server_rec *s;
} nextauth_socache_owner_t;

static apr_status_t nextauth_socache_destroy(void *data)
{
    nextauth_socache_owner_t *o = data;
    nextauth_socache_t *c = o->cache;

    if (c->provider && c->instance) {
        c->provider->destroy(c->instance, o->s);
    }
    c->provider = NULL;
    c->instance = NULL;
    c->mutex = NULL;
    c->ready = 0;
    return APR_SUCCESS;
}

apr_status_t nextauth_socache_start(nextauth_socache_t *c, server_rec *s, apr_pool_t *pconf,
                                    const char **what)
{
    nextauth_socache_owner_t *owner;
    apr_status_t rv;

    if (c->provider == NULL) {
        return APR_SUCCESS;
    }
    if ((rv = ap_global_mutex_create(&c->mutex, NULL, c->id, NULL, s, pconf, 0)) != APR_SUCCESS) {
        *what = "mutex";
        return rv;
    }
    if ((rv = c->provider->init(c->instance, c->id, &c->hints, s, pconf)) != APR_SUCCESS) {
        *what = "init";
        return rv;
    }
    owner = apr_palloc(pconf, sizeof(*owner));
    owner->cache = c;
    owner->s = s;
    apr_pool_cleanup_register(pconf, owner, nextauth_socache_destroy, apr_pool_cleanup_null);
    c->ready = 1;
    return APR_SUCCESS;
}

apr_status_t nextauth_socache_child_init(nextauth_socache_t *c, apr_pool_t *p)
{
    apr_status_t rv;

    if (c->mutex == NULL) {
        return APR_SUCCESS;
    }
    rv = apr_global_mutex_child_init(&c->mutex, apr_global_mutex_lockfile(c->mutex), p);
    if (rv != APR_SUCCESS) {
        c->ready = 0;
    }
    return rv;
}

apr_status_t nextauth_socache_lock(nextauth_socache_t *c)
{
    return apr_global_mutex_lock(c->mutex);
}

apr_status_t nextauth_socache_unlock(nextauth_socache_t *c)
{
    return apr_global_mutex_unlock(c->mutex);
}

/* 1 when calls must hold the global mutex (the provider says it is not MT-safe). */
static int nextauth_socache_serialized(const nextauth_socache_t *c)
{
    return (c->provider->flags & AP_SOCACHE_FLAG_NOTMPSAFE) != 0;
}

typedef struct nextauth_socache_io_t {
    int op; /* 'g', 'p' or 'd' */
    const char *id;
    unsigned char *out;
    unsigned int *out_len;
    const unsigned char *in;
    unsigned int in_len;
    apr_time_t expiry;
} nextauth_socache_io_t;

static apr_status_t nextauth_socache_do(nextauth_socache_t *c, request_rec *r,
                                        const nextauth_socache_io_t *io)
{
    const unsigned char *id = (const unsigned char *)io->id;
    unsigned int idlen = (unsigned int)strlen(io->id);

    switch (io->op) {
    case 'g':
        return c->provider->retrieve(c->instance, r->server, id, idlen, io->out, io->out_len,
                                     r->pool);
    case 'p':
        return c->provider->store(c->instance, r->server, id, idlen, io->expiry,
                                  (unsigned char *)io->in, io->in_len, r->pool);
    default:
        return c->provider->remove(c->instance, r->server, id, idlen, r->pool);
    }
}

static apr_status_t nextauth_socache_call(nextauth_socache_t *c, request_rec *r,
                                          const nextauth_socache_io_t *io)
{
    apr_status_t rv, lrv;

    if (!nextauth_socache_serialized(c)) {
        return nextauth_socache_do(c, r, io);
    }
    if ((lrv = nextauth_socache_lock(c)) != APR_SUCCESS) {
        return lrv;
    }
    rv = nextauth_socache_do(c, r, io);
    lrv = nextauth_socache_unlock(c);
    return rv != APR_SUCCESS ? rv : lrv;
}

apr_status_t nextauth_socache_get(nextauth_socache_t *c, request_rec *r, const char *id,
                                  unsigned char *data, unsigned int *len)
{
    nextauth_socache_io_t io = {'g', id, data, len, NULL, 0, 0};

    return nextauth_socache_call(c, r, &io);
}

apr_status_t nextauth_socache_put(nextauth_socache_t *c, request_rec *r, const char *id,
                                  apr_time_t expiry, const unsigned char *data, unsigned int len)
{
    nextauth_socache_io_t io = {'p', id, NULL, NULL, data, len, expiry};

    return nextauth_socache_call(c, r, &io);
}

apr_status_t nextauth_socache_del(nextauth_socache_t *c, request_rec *r, const char *id)
{
    nextauth_socache_io_t io = {'d', id, NULL, NULL, NULL, 0, 0};

    return nextauth_socache_call(c, r, &io);
}

/* apr_redis's ttl is in microseconds, as apr_memcache's: a connection is kept a minute
 * (60 here closed every connection after its one command: a QUIT and a new TCP handshake
 * per request). */
#define NEXTAUTH_SOCACHE_REDIS_TTL ((apr_uint32_t)apr_time_from_sec(60))

apr_status_t nextauth_socache_redis_open(apr_pool_t *p, const char *args, int conns,
                                         apr_redis_t **out, apr_redis_server_t **live)
{
    char *host = NULL, *scope = NULL;
    apr_port_t port = 0;
    apr_redis_server_t *server;
    apr_redis_t *rc;
    apr_status_t rv;
    const char *first = args ? apr_pstrndup(p, args, strcspn(args, ",")) : "127.0.0.1";

    if ((rv = apr_parse_addr_port(&host, &scope, &port, first, p)) != APR_SUCCESS) {
        return rv;
    }
    if (host == NULL) {
        return APR_EINVAL;
    }
    if ((rv = apr_redis_create(p, 1, 0, &rc)) != APR_SUCCESS
        || (rv = apr_redis_server_create(p, host, port ? port : 6379, 0, 1, (apr_uint32_t)conns,
                                         NEXTAUTH_SOCACHE_REDIS_TTL, 2000000, &server))
               != APR_SUCCESS
        || (rv = apr_redis_add_server(rc, server)) != APR_SUCCESS) {
        return rv;
    }
    *out = rc;
    if (live) {
        *live = server;
    }
    return APR_SUCCESS;
}

apr_status_t nextauth_socache_redis_get(const nextauth_socache_t *c, apr_redis_t *rc,
                                        const apr_redis_server_t *server, request_rec *r,
                                        const char *key, char **value, apr_size_t *len)
{
    static const char hex[] = "0123456789abcdef";
    apr_size_t n = strlen(key), i, id = strlen(c->id);
    char *name = apr_palloc(r->pool, id + 1 + 2 * n + 1), *h = name + id + 1;

    memcpy(name, c->id, id);
    name[id] = ':';
    for (i = 0; i < n; i++) {
        *h++ = hex[(unsigned char)key[i] >> 4];
        *h++ = hex[(unsigned char)key[i] & 15];
    }
    *h = '\0';
    return nextauth_socache_redis_getp(rc, server, r->pool, name, value, len);
}

apr_status_t nextauth_socache_redis_getp(apr_redis_t *rc, const apr_redis_server_t *server,
                                         apr_pool_t *p, const char *name, char **value,
                                         apr_size_t *len)
{
    apr_status_t rv = apr_redis_getp(rc, p, name, value, len, NULL);

    if (rv == APR_NOTFOUND && server->status != APR_RC_SERVER_LIVE) {
        return APR_ECONNREFUSED;
    }
    return rv;
}
