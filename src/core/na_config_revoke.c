/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stddef.h>
#include <string.h>

#include "na_config.h"
#include "na_directives.h"
#include "na_kv.h"
#include "na_limit.h"
#include "na_provider.h"

/* The directives of sessions the server can end (issue 13): where the revocation list
 * lives and what happens when it cannot be read, and which bearer tokens a directory
 * takes. */

/* The providers' default (na_provider.c): seconds for a whole request to the issuer. */
#define NA_BEARER_TIMEOUT 10

static const char *const na_revoke_onoff[] = {"off", "on", NULL};

typedef struct na_revoke_words_t {
    const char *cache;
    int fail_open; /* index into na_revoke_onoff */
} na_revoke_words_t;

static const na_kv_spec_t na_revoke_keys[] = {
    {"cache", NA_KV_STRING, NULL, 0, offsetof(na_revoke_words_t, cache)},
    {"failOpen", NA_KV_ENUM, na_revoke_onoff, 0, offsetof(na_revoke_words_t, fail_open)},
    {NULL, 0, NULL, 0, 0},
};

const char *na_config_set_revocation(apr_pool_t *p, na_server_conf_t *c, int argc,
                                     const char *const *argv)
{
    na_kv_call_t call = {NA_DIR_REVOCATION, NULL, na_revoke_keys, 0, NULL, NULL};
    na_revoke_words_t w = {NULL, NA_UNSET};
    const char *msg, *provider = NULL, *args = NULL;

    if (argc == 1 && strcasecmp(argv[0], "off") == 0) {
        c->revocation = 0;
        c->touched = 1;
        return NULL;
    }
    if (argc < 1) {
        return apr_psprintf(p, NA_DIR_REVOCATION " needs arguments; accepted: off, or %s",
                            na_kv_accepted(p, na_revoke_keys, 0));
    }
    if ((msg = na_kv_parse(p, &call, argc, argv, &w, NULL)) != NULL) {
        return msg;
    }
    if (w.cache
        && (msg = na_limit_parse_cache(p, NA_DIR_REVOCATION " cache=", w.cache, &provider, &args))
               != NULL) {
        return msg;
    }
    c->revocation = 1;
    c->revocation_cache = w.cache ? w.cache : c->revocation_cache;
    c->revocation_fail_open = w.fail_open != NA_UNSET ? w.fail_open : c->revocation_fail_open;
    c->touched = 1;
    return NULL;
}

int na_config_revocation(const na_server_conf_t *c)
{
    return c->revocation != 0;
}

typedef struct na_bearer_words_t {
    const char *issuer;
    apr_array_header_t *audiences;
} na_bearer_words_t;

static const na_kv_spec_t na_bearer_keys[] = {
    {"issuer", NA_KV_URL, NULL, 0, offsetof(na_bearer_words_t, issuer)},
    {"audience", NA_KV_NAMES, NULL, 0, offsetof(na_bearer_words_t, audiences)},
    {NULL, 0, NULL, 0, 0},
};

/* The issuer as an OIDC provider without a client: what discovery, the JWKS fetch and
 * their per-process cache need (its issuer and a timeout). */
static na_provider_t *na_bearer_issuer(apr_pool_t *p, const char *issuer, const char *audience)
{
    na_provider_t *prov = apr_pcalloc(p, sizeof(*prov));

    prov->id = "bearer";
    prov->name = "bearer";
    prov->kind = NA_PROVIDER_OIDC;
    prov->issuer = issuer;
    prov->client_id = audience;
    prov->timeout = NA_BEARER_TIMEOUT;
    prov->refresh_before = NA_UNSET;
    return prov;
}

const char *na_config_set_bearer(apr_pool_t *p, na_dir_conf_t *d, int argc, const char *const *argv)
{
    na_kv_call_t call = {NA_DIR_BEARER, NULL, na_bearer_keys, 0, NULL, NULL};
    na_bearer_words_t w = {NULL, NULL};
    const char *msg;

    if (argc == 1 && (strcasecmp(argv[0], "off") == 0 || strcasecmp(argv[0], "on") == 0)) {
        d->bearer = strcasecmp(argv[0], "on") == 0;
        return NULL;
    }
    if (argc >= 1 && (msg = na_kv_parse(p, &call, argc, argv, &w, NULL)) != NULL) {
        return msg;
    }
    if (w.issuer == NULL || w.audiences == NULL || w.audiences->nelts < 1) {
        return apr_psprintf(p,
                            NA_DIR_BEARER " needs issuer=URL with audience=NAME[,NAME...]; "
                                          "accepted: on, off, or %s",
                            na_kv_accepted(p, na_bearer_keys, 0));
    }
    d->bearer = 1;
    d->bearer_issuer = na_bearer_issuer(p, w.issuer, APR_ARRAY_IDX(w.audiences, 0, const char *));
    d->bearer_audiences = w.audiences;
    return NULL;
}
