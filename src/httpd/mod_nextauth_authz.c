/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <ap_provider.h>
#include <http_request.h>
#include <mod_auth.h>

#include "mod_nextauth_authz.h"
#include "mod_nextauth_session.h"
#include "mod_nextauth_tokens.h"
#include "na_claim.h"
#include "na_kv.h"
#include "na_policy.h"

/* Require nextauth-email PATTERN... and Require nextauth-provider ID...: the words are
 * checked and kept once, at configuration time (as mod_authz_user's parsers do). */

static const char *nextauth_authz_words(cmd_parms *cmd, const char *line, int emails,
                                        const void **parsed)
{
    apr_array_header_t *words = apr_array_make(cmd->pool, 4, sizeof(const char *));
    na_server_conf_t probe;
    const char *word;

    memset(&probe, 0, sizeof(probe));
    while (*(word = ap_getword_conf(cmd->pool, &line)) != '\0') {
        if (emails) {
            const char *msg = na_config_add_signin_allow(cmd->pool, &probe, word);
            if (msg) {
                return apr_psprintf(cmd->pool,
                                    "Require nextauth-email '%s': accepted: e-mail "
                                    "patterns such as *@example.com or alice@example.org",
                                    word);
            }
            word = APR_ARRAY_IDX(probe.signin_allow, probe.signin_allow->nelts - 1, const char *);
        }
        APR_ARRAY_PUSH(words, const char *) = word;
    }
    if (words->nelts == 0) {
        return emails ? "Require nextauth-email needs at least one e-mail pattern"
                      : "Require nextauth-provider needs at least one provider id";
    }
    *parsed = words;
    return NULL;
}

static const char *nextauth_authz_parse_email(cmd_parms *cmd, const char *line, const void **parsed)
{
    return nextauth_authz_words(cmd, line, 1, parsed);
}

static const char *nextauth_authz_parse_provider(cmd_parms *cmd, const char *line,
                                                 const void **parsed)
{
    return nextauth_authz_words(cmd, line, 0, parsed);
}

static authz_status nextauth_authz_email(request_rec *r, const char *line, const void *parsed)
{
    const na_session_claims_t *claims = nextauth_session_cached(r);

    (void)line;
    if (r->user == NULL || claims == NULL) {
        return AUTHZ_DENIED_NO_USER;
    }
    if (claims->email && na_policy_email_allowed(parsed, claims->email)) {
        return AUTHZ_GRANTED;
    }
    return AUTHZ_DENIED;
}

static authz_status nextauth_authz_provider(request_rec *r, const char *line, const void *parsed)
{
    const na_session_claims_t *claims = nextauth_session_cached(r);
    const apr_array_header_t *ids = parsed;
    int i;

    (void)line;
    if (r->user == NULL || claims == NULL) {
        return AUTHZ_DENIED_NO_USER;
    }
    for (i = 0; claims->provider && i < ids->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(ids, i, const char *), claims->provider) == 0) {
            return AUTHZ_GRANTED;
        }
    }
    return AUTHZ_DENIED;
}

/* Require nextauth-claim NAME VALUE...: on the claims the IdP gave at sign-in (kept in
 * the session's token record). A session without them has no claim to match. */
static const char *nextauth_authz_parse_claim(cmd_parms *cmd, const char *line, const void **parsed)
{
    apr_array_header_t *words = NULL;
    const na_claim_rule_t *rule = NULL;
    const char *msg = na_kv_tokenize(cmd->temp_pool, line, &words);

    if (msg) {
        return apr_pstrcat(cmd->pool, "Require nextauth-claim: ", msg,
                           "; accepted: NAME VALUE..., a value with spaces quoted as a whole",
                           NULL);
    }
    msg = na_claim_rule_parse(cmd->pool, words->nelts, (const char *const *)words->elts, &rule);
    if (msg) {
        return msg; /* names the Require line already */
    }
    *parsed = rule;
    return NULL;
}

static authz_status nextauth_authz_claim(request_rec *r, const char *line, const void *parsed)
{
    const na_session_claims_t *claims = nextauth_session_cached(r);

    (void)line;
    if (r->user == NULL || claims == NULL) {
        return AUTHZ_DENIED_NO_USER;
    }
    return na_claim_rule_match(parsed, nextauth_tokens_claims(r, claims)) ? AUTHZ_GRANTED
                                                                          : AUTHZ_DENIED;
}

static const authz_provider nextauth_authz_claim_provider = {&nextauth_authz_claim,
                                                             &nextauth_authz_parse_claim};

static const authz_provider nextauth_authz_email_provider = {&nextauth_authz_email,
                                                             &nextauth_authz_parse_email};

static const authz_provider nextauth_authz_provider_provider = {&nextauth_authz_provider,
                                                                &nextauth_authz_parse_provider};

void nextauth_authz_register(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "nextauth-email", AUTHZ_PROVIDER_VERSION,
                              &nextauth_authz_email_provider, AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "nextauth-provider", AUTHZ_PROVIDER_VERSION,
                              &nextauth_authz_provider_provider, AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "nextauth-claim", AUTHZ_PROVIDER_VERSION,
                              &nextauth_authz_claim_provider, AP_AUTH_INTERNAL_PER_CONF);
}
