/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_PROVIDER_H
#define NA_PROVIDER_H

#include "na_common.h"

/** Provider kinds; bit values so key tables can say which kinds a key applies to. */
typedef enum {
    NA_PROVIDER_OAUTH = 1,
    NA_PROVIDER_OIDC = 2,
    NA_PROVIDER_EMAIL = 4,
    NA_PROVIDER_CREDENTIALS = 8
} na_provider_kind_e;

#define NA_PROVIDER_ANY_OAUTH (NA_PROVIDER_OAUTH | NA_PROVIDER_OIDC)

/** The `checks` bits, in the order of na_provider_check_names. */
#define NA_CHECK_STATE 1u
#define NA_CHECK_PKCE 2u
#define NA_CHECK_NONCE 4u

/** One NextAuthProvider line, after its preset (if any) was applied. */
typedef struct na_provider_t {
    const char *id;
    int kind;       /**< na_provider_kind_e */
    int type_index; /**< where the type= key lands; kind is derived from it */
    const char *name;
    /* OAuth 2 / OIDC */
    const char *client_id;
    const char *client_secret;
    const char *secret_warning; /**< config time: why clientSecret's file is exposed, or NULL */
    const char *issuer;
    const char *authorization;
    const char *token;
    const char *userinfo;
    const char *jwks;
    const char *scope;
    unsigned checks;            /**< NA_CHECK_* */
    int logout;                 /**< 1 on, 0 off */
    int trust_email;            /**< 1: keep an e-mail the IdP marks email_verified=false */
    apr_int64_t timeout;        /**< seconds for a whole request to the provider */
    apr_int64_t refresh_before; /**< refreshBefore=: seconds, or NA_UNSET (NextAuthRefresh) */
    /* sign-in button look (presets only) */
    const char *style_bg;
    const char *style_text;
    const char *logo; /**< file name under the module's logo route */
    /* email */
    const char *server;
    const char *from;
    apr_int64_t max_age;
    int confirm;  /**< 1 on, 0 off */
    int starttls; /**< smtp://: NA_SMTP_TLS_TRY (0), _ON (1), _OFF (2) of na_mail.h */
    /* credentials */
    apr_array_header_t *authn; /**< Apache authn provider names */
    const char *username_label;
    const char *password_label;
} na_provider_t;

/**
 * Parse `NextAuthProvider ID [key=value ...]` (words already tokenized) into a provider
 * allocated from p. Secrets given as file:/env: are resolved. Returns NULL or a message.
 */
const char *na_provider_parse(apr_pool_t *p, int argc, const char *const *argv,
                              na_provider_t **out);

/** Problems that need the whole provider (missing keys); NULL when complete. */
const char *na_provider_check(apr_pool_t *p, const na_provider_t *prov);

/** next-auth's wire type: "oauth" (also for OIDC), "email" or "credentials". */
const char *na_provider_wire_type(const na_provider_t *prov);

/** The ids that have a preset, comma-separated. */
const char *na_provider_preset_ids(apr_pool_t *p);

#endif
