/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <apr_atomic.h>
#include <apr_hash.h>
#include <apr_portable.h>

#include "mod_nextauth_conf.h"
#include "mod_nextauth_event.h"

#define NEXTAUTH_EVENT_VAR "NEXTAUTH_EVENT"

/* The opened event logs of this generation, by NextAuthEventLog target, so virtual hosts
 * that name the same file or command share one descriptor (and one logger). Set in the
 * parent at open_logs from pconf; children inherit it and only read it. */
static apr_hash_t *nextauth_event_logs;

/* Lines lost since start (logger gone or too slow): warned at the first, then every
 * NEXTAUTH_EVENT_WARN_EVERY, so a dead logger cannot flood the error log. */
static apr_uint32_t nextauth_event_lost;
#define NEXTAUTH_EVENT_WARN_EVERY 1000

typedef struct nextauth_event_log_t {
    int fd;
} nextauth_event_log_t;

/* A piped logger's pipe is made non-blocking: when the logger dies, httpd restarts it,
 * but until then (or if it cannot) a full pipe would stall every sign-in. A line that
 * does not fit is dropped and counted instead. */
static apr_status_t nextauth_event_open_pipe(apr_pool_t *p, const char *command, int *fd)
{
    piped_log *pl = ap_open_piped_log(p, command);
    apr_os_file_t os;
    apr_status_t rv;
    int flags;

    if (pl == NULL) {
        return APR_EGENERAL;
    }
    if ((rv = apr_os_file_get(&os, ap_piped_log_write_fd(pl))) != APR_SUCCESS) {
        return rv;
    }
    if ((flags = fcntl(os, F_GETFL)) < 0 || fcntl(os, F_SETFL, flags | O_NONBLOCK) < 0) {
        return APR_FROM_OS_ERROR(errno);
    }
    *fd = os;
    return APR_SUCCESS;
}

/* A file relative to ServerRoot, appended to (O_APPEND: each line's write() lands whole
 * at the end, whichever child writes it), as mod_log_config opens its logs. */
static apr_status_t nextauth_event_open_file(apr_pool_t *p, const char *path, int *fd)
{
    const char *full = ap_server_root_relative(p, path);
    apr_file_t *f = NULL;
    apr_os_file_t os;
    apr_status_t rv;

    if (full == NULL) {
        return APR_EBADPATH;
    }
    rv = apr_file_open(&f, full,
                       APR_FOPEN_WRITE | APR_FOPEN_APPEND | APR_FOPEN_CREATE | APR_FOPEN_LARGEFILE,
                       APR_OS_DEFAULT, p);
    if (rv == APR_SUCCESS && (rv = apr_os_file_get(&os, f)) == APR_SUCCESS) {
        *fd = os;
    }
    return rv;
}

static int nextauth_event_open(apr_pool_t *pconf, server_rec *s, const char *target)
{
    nextauth_event_log_t *log = apr_pcalloc(pconf, sizeof(*log));
    apr_status_t rv = target[0] == '|' ? nextauth_event_open_pipe(pconf, target + 1, &log->fd)
                                       : nextauth_event_open_file(pconf, target, &log->fd);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, rv, s,
                     NA_LOGNO(00210) NA_DIR_EVENT_LOG " '%s': cannot open %s (%pm)", target,
                     target[0] == '|' ? "the piped logger" : "the file for appending", &rv);
        return !OK;
    }
    apr_hash_set(nextauth_event_logs, target, APR_HASH_KEY_STRING, log);
    return OK;
}

int nextauth_event_open_logs(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    server_rec *vs;

    (void)plog;
    (void)ptemp;
    nextauth_event_logs = apr_hash_make(pconf);
    for (vs = s; vs; vs = vs->next) {
        const char *target = nextauth_conf_server(vs)->event_log;

        if (target && apr_hash_get(nextauth_event_logs, target, APR_HASH_KEY_STRING) == NULL
            && nextauth_event_open(pconf, vs, target) != OK) {
            return !OK;
        }
    }
    return OK;
}

/* httpd's request id, made now when no error line asked for it yet (as log.c does):
 * mod_unique_id's UNIQUE_ID when that module is loaded. */
static const char *nextauth_event_request_id(request_rec *r)
{
    const char *id = NULL;

    if (r->log_id == NULL && ap_run_generate_log_id(r->connection, r, &id) == OK && id) {
        r->log_id = id;
    }
    return r->log_id;
}

static void nextauth_event_write(request_rec *r, const nextauth_event_log_t *log,
                                 const na_event_t *ev)
{
    apr_size_t len = 0;
    const char *line = na_event_line(r->pool, ev, &len);
    ssize_t n = line ? write(log->fd, line, len) : -1;
    apr_status_t rv = n < 0 ? APR_FROM_OS_ERROR(errno) : APR_EGENERAL;
    const char *what = na_event_name(ev->event);
    apr_uint32_t lost;

    if (line && n == (ssize_t)len) {
        return;
    }
    lost = apr_atomic_inc32(&nextauth_event_lost);
    if (lost % NEXTAUTH_EVENT_WARN_EVERY == 0) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, line ? rv : APR_ENOMEM, r,
                      NA_LOGNO(00211) "%s: a %s event was not written (%u lost so far in "
                                      "this process)",
                      NA_DIR_EVENT_LOG, what, lost + 1);
    }
}

static void nextauth_event_mark(request_rec *r, na_event_e e)
{
    const char *name = na_event_name(e);
    const char *prior = apr_table_get(r->notes, NEXTAUTH_EVENT_VAR);

    if (prior) {
        name = apr_pstrcat(r->pool, prior, ",", name, NULL);
    }
    apr_table_setn(r->notes, NEXTAUTH_EVENT_VAR, name);
    apr_table_setn(r->subprocess_env, NEXTAUTH_EVENT_VAR, name);
}

void nextauth_event_record(request_rec *r, na_event_e e, const char *provider,
                           const na_session_claims_t *who, int is_new_user)
{
    const na_server_conf_t *conf = nextauth_conf_server(r->server);
    const nextauth_event_log_t *log;
    na_event_t ev;

    if (who == NULL) {
        return; /* next-auth fires no event for a session it could not read */
    }
    nextauth_event_mark(r, e);
    if (conf->event_log == NULL || !(conf->event_mask & NA_EVENT_BIT(e)) || !nextauth_event_logs
        || (log = apr_hash_get(nextauth_event_logs, conf->event_log, APR_HASH_KEY_STRING))
               == NULL) {
        return;
    }
    memset(&ev, 0, sizeof(ev));
    ev.event = e;
    ev.time = apr_time_now();
    ev.provider = provider ? provider : who->provider;
    ev.user_id = who->sub;
    ev.email = who->email;
    ev.is_new_user = is_new_user;
    ev.ip = r->useragent_ip;
    ev.request_id = nextauth_event_request_id(r);
    nextauth_event_write(r, log, &ev);
}

void nextauth_event_signin(request_rec *r, const char *provider, const na_session_claims_t *who,
                           const na_signin_result_t *res)
{
    if (res->created_user) {
        nextauth_event_record(r, NA_EVENT_CREATE_USER, provider, who, 0);
    }
    if (res->linked_account) {
        nextauth_event_record(r, NA_EVENT_LINK_ACCOUNT, provider, who, 0);
    }
    nextauth_event_record(r, NA_EVENT_SIGNIN, provider, who, res->is_new);
}
