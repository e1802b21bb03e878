/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdarg.h>

#include "na_common.h"

na_status_t na_err_set(apr_pool_t *p, na_err_t *err, na_status_t status, const char *code,
                       const char *fmt, ...)
{
    va_list ap;

    if (err == NULL) {
        return status;
    }
    err->code = code;
    va_start(ap, fmt);
    err->detail = apr_pvsprintf(p, fmt, ap);
    va_end(ap);
    err->os_status = 0;
    return status;
}
