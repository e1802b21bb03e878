/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_SOCACHE_H
#define MOD_NEXTAUTH_SOCACHE_H

/* Glue: src/httpd/mod_nextauth_socache.c. One mod_socache instance and its global mutex,
 * set up the way mod_authn_socache and mod_ssl's session cache do it: the provider is
 * looked up and its instance created at check_config (so `apache2 -t` names a missing
 * LoadModule), initialised in post_config, the mutex reattached in child_init, everything
 * destroyed with the configuration pool. The rate-limit counters and the token records
 * each have one. Callers log with their own numbers; these functions only report. */

#include <ap_socache.h>
#include <apr_global_mutex.h>

#include "mod_nextauth.h"

typedef struct nextauth_socache_t {
    const char *id;        /**< mutex type and cache namespace (<= 14 characters) */
    const char *directive; /**< the directive that names the provider, for messages */
    struct ap_socache_hints hints;
    const ap_socache_provider_t *provider; /**< NULL: not needed in this generation */
    ap_socache_instance_t *instance;
    const char *spec; /**< "redis:127.0.0.1:6379", for messages */
    const char *name; /**< the provider name ("shmcb", "redis") */
    const char *args; /**< what follows the ':' , or NULL */
    apr_global_mutex_t *mutex;
    int ready; /**< started in this generation (and attached in this child) */
} nextauth_socache_t;

/** 1 when a configured server of the tree offers a provider of one of `kinds`
 *  (NA_PROVIDER_* bits): only then is a cache needed. */
int nextauth_socache_wanted(server_rec *s, unsigned kinds);

/** pre_config: forget the previous generation and register the mutex type c->id. */
int nextauth_socache_pre_config(nextauth_socache_t *c, apr_pool_t *pconf);

/** check_config: look the provider of spec up and create its instance (spec NULL: the
 *  default `fallback`). NULL, or the line to log at startup. */
const char *nextauth_socache_create(nextauth_socache_t *c, const char *spec, const char *fallback,
                                    apr_pool_t *ptemp, apr_pool_t *pconf);

/** How check_config reports on a cache that has a built-in default. */
typedef struct nextauth_socache_lines_t {
    const char *warn_logno; /**< NA_LOGNO() of the warning when the default is not loaded */
    const char *fail_logno; /**< NA_LOGNO() of the refusal of a configured spec */
    const char *without;    /**< what the server goes on without, e.g. "sessions cannot be
                                 revoked" */
} nextauth_socache_lines_t;

/** check_config: nextauth_socache_create, and its line logged. A default (spec NULL) whose
 *  provider is not loaded is a startup warning (configurations that started before keep
 *  starting, without the feature): OK. A configured spec that fails is an error: !OK. */
int nextauth_socache_configure(nextauth_socache_t *c, const char *spec, const char *fallback,
                               const nextauth_socache_lines_t *lines, apr_pool_t *ptemp,
                               apr_pool_t *pconf);
/** post_config: the mutex, then the provider's init. APR_SUCCESS, or the failure with
 *  *what naming the step ("mutex" or "init"). Nothing to do when no provider was created. */
apr_status_t nextauth_socache_start(nextauth_socache_t *c, server_rec *s, apr_pool_t *pconf,
                                    const char **what);

/** child_init: reattach the mutex; on failure the cache is off in this child. */
apr_status_t nextauth_socache_child_init(nextauth_socache_t *c, apr_pool_t *p);

apr_status_t nextauth_socache_lock(nextauth_socache_t *c);
struct apr_redis_t;
struct apr_redis_server_t;
/** A client of the first server of a redis provider's "host:port[,host:port...]" (as
 *  mod_socache_redis reads it), for what mod_socache has no call for (INCR, a counter),
 *  keeping up to `conns` connections (threads beyond them wait for one). */
apr_status_t nextauth_socache_redis_open(apr_pool_t *p, const char *args, int conns,
                                         struct apr_redis_t **out,
                                         struct apr_redis_server_t **server);
/** GET of an entry that mod_socache_redis stored under cache c ("id:" + hex of the key), by
 *  our own client: apr_redis answers APR_NOTFOUND also when it has marked its server dead,
 *  which this tells apart (APR_ECONNREFUSED). *value is not NUL-terminated. */
apr_status_t nextauth_socache_redis_get(const nextauth_socache_t *c, struct apr_redis_t *rc,
                                        const struct apr_redis_server_t *server, request_rec *r,
                                        const char *key, char **value, apr_size_t *len);
/** The same for a key of our own (not mod_socache's), named as it is. */
apr_status_t nextauth_socache_redis_getp(struct apr_redis_t *rc,
                                         const struct apr_redis_server_t *server, apr_pool_t *p,
                                         const char *name, char **value, apr_size_t *len);
/* One call each, under the mutex when the provider is not MT-safe (shmcb). id is text.
 * APR_NOTFOUND when there is no entry; other failures as the provider reports them. */
apr_status_t nextauth_socache_get(nextauth_socache_t *c, request_rec *r, const char *id,
                                  unsigned char *data, unsigned int *len);
apr_status_t nextauth_socache_put(nextauth_socache_t *c, request_rec *r, const char *id,
                                  apr_time_t expiry, const unsigned char *data, unsigned int len);
apr_status_t nextauth_socache_del(nextauth_socache_t *c, request_rec *r, const char *id);
apr_status_t nextauth_socache_unlock(nextauth_socache_t *c);

#endif
