/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <httpd.h>
#include <http_config.h>
#include <http_request.h>

#include "mod_nextauth.h"

/* The module record and hook registration; everything else lives in src/. */

static void nextauth_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_check_config(nextauth_conf_check, NULL, NULL, APR_HOOK_MIDDLE);
    /* FIRST, so the base path is ours whatever other handlers are configured there. */
    ap_hook_handler(nextauth_handler, NULL, NULL, APR_HOOK_FIRST);
}

module AP_MODULE_DECLARE_DATA nextauth_module = {
    STANDARD20_MODULE_STUFF,
    nextauth_conf_create_dir,
    nextauth_conf_merge_dir,
    nextauth_conf_create_server,
    nextauth_conf_merge_server,
    nextauth_cmds,
    nextauth_register_hooks,
    AP_MODULE_FLAG_ALWAYS_MERGE
};
