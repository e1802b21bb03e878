/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_claim.h"
#include "na_config.h"
#include "na_directives.h"
#include "na_kv.h"

/* The directives of the IdP's tokens and claims (issue 12): where records live, when
 * access tokens are refreshed, what a directory passes on to its backend. */

#define NA_REFRESH_MAX_BEFORE 86400

const char *na_config_set_token_cache(apr_pool_t *p, na_server_conf_t *c, const char *value)
{
    const char *provider = NULL, *args = NULL;
    const char *msg = na_limit_parse_cache(p, NA_DIR_TOKEN_CACHE, value, &provider, &args);

    if (msg == NULL) {
        c->token_cache = apr_pstrdup(p, value);
    }
    return msg;
}

const char *na_config_set_refresh(apr_pool_t *p, na_server_conf_t *c, const char *value)
{
    const char *digits = value + 7;
    apr_int64_t n = 0;

    if (strcasecmp(value, "off") == 0) {
        c->refresh_before = NA_REFRESH_OFF;
        return NULL;
    }
    if (strncmp(value, "before=", 7) == 0 && *digits
        && strspn(digits, "0123456789") == strlen(digits) && strlen(digits) <= 5
        && (n = apr_atoi64(digits)) <= NA_REFRESH_MAX_BEFORE) {
        c->refresh_before = n;
        return NULL;
    }
    return apr_psprintf(p,
                        NA_DIR_REFRESH " '%s': accepted: before=SECONDS (0 to 86400: how long "
                                       "before its expiry an access token is refreshed) or off",
                        na_kv_echo(p, value));
}

const char *na_config_set_pass_tokens(apr_pool_t *p, na_dir_conf_t *d, const char *what,
                                      const char *as)
{
    static const char *const kinds[] = {"none", "access", "id", NULL};
    int kind, mode = NA_PASS_AS_BEARER;

    for (kind = 0; kinds[kind] && strcasecmp(kinds[kind], what) != 0; kind++) {
    }
    if (kinds[kind] == NULL) {
        return apr_psprintf(p, NA_DIR_PASS_TOKENS " '%s': accepted: access, id or none",
                            na_kv_echo(p, what));
    }
    if (as && strcasecmp(as, "as=header") == 0) {
        mode = NA_PASS_AS_HEADER;
    }
    else if (as && strcasecmp(as, "as=bearer") != 0) {
        return apr_psprintf(p,
                            NA_DIR_PASS_TOKENS " '%s': accepted: as=bearer (Authorization: "
                                               "Bearer) or as=header (X-NextAuth-Access-Token)",
                            na_kv_echo(p, as));
    }
    d->pass_tokens = kind;
    d->pass_tokens_as = mode;
    return NULL;
}

const char *na_config_set_pass_claims(apr_pool_t *p, na_dir_conf_t *d, int argc,
                                      const char *const *argv)
{
    apr_array_header_t *names = NULL;
    const char *msg = na_claim_list_parse(p, argc, argv, &names);

    if (msg) {
        return msg; /* names the directive already */
    }
    d->pass_claims = names;
    return NULL;
}

apr_int64_t na_config_refresh_before(const na_server_conf_t *c, const na_provider_t *prov)
{
    /* The provider's own key is the more specific one. */
    if (prov && prov->refresh_before != NA_UNSET) {
        return prov->refresh_before;
    }
    return c->refresh_before != NA_UNSET ? c->refresh_before : NA_DEFAULT_REFRESH_BEFORE;
}
