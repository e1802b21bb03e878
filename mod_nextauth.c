/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <httpd.h>
#include <http_config.h>
#include <http_protocol.h>
#include <http_request.h>
#include <mod_auth.h>
#include <mod_status.h>

#include "mod_nextauth_authn.h"
#include "mod_nextauth_authz.h"
#include "mod_nextauth_cmds.h"
#include "mod_nextauth_conf.h"
#include "mod_nextauth_event.h"
#include "mod_nextauth_handler.h"
#include "mod_nextauth_limit.h"
#include "mod_nextauth_tokens.h"
#include "mod_nextauth_metrics.h"
#include "mod_nextauth_oidc.h"
#include "mod_nextauth_revoke.h"
#include "mod_nextauth_session.h"

/* The module record and hook registration; everything else lives in src/. */

static void nextauth_register_hooks(apr_pool_t *p)
{
    ap_hook_check_config(nextauth_conf_check, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_pre_config(nextauth_limit_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(nextauth_limit_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(nextauth_limit_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(nextauth_limit_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_pre_config(nextauth_tokens_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(nextauth_tokens_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(nextauth_tokens_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(nextauth_tokens_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_pre_config(nextauth_revoke_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(nextauth_revoke_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    /* LAST: after the session keys are derived, which scope the list's entries. */
    ap_hook_post_config(nextauth_revoke_post_config, NULL, NULL, APR_HOOK_LAST);
    ap_hook_child_init(nextauth_revoke_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(nextauth_session_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(nextauth_session_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(nextauth_oidc_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_open_logs(nextauth_event_open_logs, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(nextauth_oidc_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    /* First, so no other module reads a client-sent X-NextAuth-* header. */
    ap_hook_post_read_request(nextauth_authn_post_read_request, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_check_access_ex(nextauth_authn_access_ex, NULL, NULL, APR_HOOK_FIRST,
                            AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_check_authn(nextauth_authn_check, NULL, NULL, APR_HOOK_MIDDLE,
                        AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_note_auth_failure(nextauth_authn_note_failure, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(nextauth_authn_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    nextauth_authz_register(p);
    /* REALLY_FIRST: the base path is ours whatever else is configured there (mod_proxy's
     * handler runs FIRST too); the protection exempts its routes on that promise. */
    ap_hook_handler(nextauth_handler, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_post_config(nextauth_metrics_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(nextauth_metrics_handler, NULL, NULL, APR_HOOK_FIRST);
    APR_OPTIONAL_HOOK(ap, status_hook, nextauth_metrics_status, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA nextauth_module = {
    STANDARD20_MODULE_STUFF,     nextauth_conf_create_dir,   nextauth_conf_merge_dir,
    nextauth_conf_create_server, nextauth_conf_merge_server, nextauth_cmds,
    nextauth_register_hooks,     AP_MODULE_FLAG_ALWAYS_MERGE};
