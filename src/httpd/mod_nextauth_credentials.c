/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <ap_provider.h>

#include "mod_nextauth_credentials.h"
#include "mod_nextauth_fail.h"

/* The credentials provider's authorize(): httpd's authn providers (file, dbm, dbd,
 * ldap, socache, ...), configured with their own directives, in the order given by
 * authn=. As mod_auth_form does: the next provider is asked only when this one does
 * not know the user, and AUTHN_PROVIDER_NAME_NOTE names the provider during the call. */
authn_status nextauth_credentials_check(request_rec *r, const na_provider_t *prov, const char *user,
                                        const char *password)
{
    authn_status status = AUTH_USER_NOT_FOUND;
    int i;

    for (i = 0; prov->authn && i < prov->authn->nelts; i++) {
        const char *name = APR_ARRAY_IDX(prov->authn, i, const char *);
        const authn_provider *authn =
            ap_lookup_provider(AUTHN_PROVIDER_GROUP, name, AUTHN_PROVIDER_VERSION);

        if (authn == NULL || authn->check_password == NULL) {
            nextauth_fail_log(r, NA_LOGNO(00016), NA_EINTERNAL, NULL,
                              "authn provider '%s' is not available", name);
            return AUTH_GENERAL_ERROR;
        }
        apr_table_setn(r->notes, AUTHN_PROVIDER_NAME_NOTE, name);
        status = authn->check_password(r, user, password);
        apr_table_unset(r->notes, AUTHN_PROVIDER_NAME_NOTE);
        if (status != AUTH_USER_NOT_FOUND) {
            break;
        }
    }
    return status;
}
