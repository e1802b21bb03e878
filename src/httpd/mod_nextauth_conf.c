/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <ap_provider.h>
#include <mod_auth.h>

#include "mod_nextauth_conf.h"

void *nextauth_conf_create_server(apr_pool_t *p, server_rec *s)
{
    (void)s;
    return na_config_server_create(p);
}

void *nextauth_conf_merge_server(apr_pool_t *p, void *base, void *add)
{
    return na_config_server_merge(p, base, add);
}

void *nextauth_conf_create_dir(apr_pool_t *p, char *dir)
{
    (void)dir;
    return na_config_dir_create(p);
}

void *nextauth_conf_merge_dir(apr_pool_t *p, void *base, void *add)
{
    return na_config_dir_merge(p, base, add);
}

const na_server_conf_t *nextauth_conf_server(const server_rec *s)
{
    return ap_get_module_config(s->module_config, &nextauth_module);
}

/* Credentials go through httpd's authn providers, which exist only once every
 * LoadModule has run: so the names are checked here, not in the directive. */
static const char *nextauth_conf_check_authn(apr_pool_t *p, const na_provider_t *prov)
{
    const authn_provider *authn;
    int i;

    for (i = 0; prov->authn && i < prov->authn->nelts; i++) {
        const char *name = APR_ARRAY_IDX(prov->authn, i, const char *);
        authn = ap_lookup_provider(AUTHN_PROVIDER_GROUP, name, AUTHN_PROVIDER_VERSION);
        if (authn == NULL || authn->check_password == NULL) {
            return apr_psprintf(p,
                                NA_DIR_PROVIDER
                                " %s authn='%s': no Apache authn provider "
                                "of that name with password checking is loaded (load "
                                "mod_authn_%s?); accepted: file, dbm, dbd, ldap, socache, ...",
                                prov->id, name, name);
        }
    }
    return NULL;
}

static const char *nextauth_conf_check_server(apr_pool_t *p, const na_server_conf_t *conf)
{
    const char *msg = na_config_check(p, conf);
    int i;

    for (i = 0; msg == NULL && conf->providers && i < conf->providers->nelts; i++) {
        const na_provider_t *prov = APR_ARRAY_IDX(conf->providers, i, const na_provider_t *);
        if (prov->kind == NA_PROVIDER_CREDENTIALS) {
            msg = nextauth_conf_check_authn(p, prov);
        }
    }
    if (msg == NULL && conf->database == 1 && ap_find_linked_module("mod_dbd.c") == NULL) {
        msg = NA_DIR_DATABASE " dbd: mod_dbd is not loaded; accepted: LoadModule dbd_module "
                              "with DBDriver and DBDParams, or NextAuthDatabase off";
    }
    return msg;
}

/* "[host:port]" for messages. check_config runs before httpd fills in a virtual host's
 * port from its <VirtualHost> address, so take it from there; the main server may have
 * no port at all, and ":0" would only mislead. */
static const char *nextauth_conf_server_label(apr_pool_t *p, const server_rec *s)
{
    unsigned port = s->port ? (unsigned)s->port : s->addrs ? (unsigned)s->addrs->host_port : 0;
    const char *host = s->server_hostname ? s->server_hostname : "*";

    return port ? apr_psprintf(p, "[%s:%u]", host, port) : apr_psprintf(p, "[%s]", host);
}

/* check_config runs under apache2 -t (post_config does not), so every problem that
 * needs the merged configuration of a virtual host is found here. */
int nextauth_conf_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    server_rec *vs;
    int failed = 0;

    (void)pconf;
    (void)plog;
    for (vs = s; vs; vs = vs->next) {
        const na_server_conf_t *conf = nextauth_conf_server(vs);
        const char *msg;

        if (!conf->touched || (msg = nextauth_conf_check_server(ptemp, conf)) == NULL) {
            continue;
        }
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, NULL, NA_LOGNO(00001) "%s %s",
                     nextauth_conf_server_label(ptemp, vs), msg);
        failed = 1;
    }
    return failed ? !OK : OK;
}
