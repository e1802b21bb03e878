/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef MOD_NEXTAUTH_CONF_H
#define MOD_NEXTAUTH_CONF_H

/* Glue: src/httpd/mod_nextauth_conf.c. */

#include "mod_nextauth.h"

void *nextauth_conf_create_server(apr_pool_t *p, server_rec *s);
void *nextauth_conf_merge_server(apr_pool_t *p, void *base, void *add);
void *nextauth_conf_create_dir(apr_pool_t *p, char *dir);
void *nextauth_conf_merge_dir(apr_pool_t *p, void *base, void *add);
int nextauth_conf_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
const na_server_conf_t *nextauth_conf_server(const server_rec *s);

#endif
