/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>

#include <apr_file_io.h>

#include "na_crypto.h"
#include "na_kv.h"
#include "na_secret.h"

static const char *na_secret_trim(apr_pool_t *p, const char *buf, apr_size_t len)
{
    const char *end = memchr(buf, '\n', len);
    apr_size_t n = end ? (apr_size_t)(end - buf) : len;

    while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t')) {
        n--;
    }
    return apr_pstrmemdup(p, buf, n);
}

static const char *na_secret_from_file(apr_pool_t *p, const char *path, const char **out)
{
    apr_file_t *f = NULL;
    char buf[NA_SECRET_MAX_FILE + 1];
    apr_size_t len = sizeof(buf);
    apr_status_t rv;
    char ebuf[128];

    rv = apr_file_open(&f, path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "file '%s' cannot be read (%s)", path,
                            apr_strerror(rv, ebuf, sizeof(ebuf)));
    }
    rv = apr_file_read_full(f, buf, sizeof(buf), &len);
    apr_file_close(f);
    if (rv != APR_SUCCESS && rv != APR_EOF) {
        na_crypto_cleanse(buf, sizeof(buf));
        return apr_psprintf(p, "file '%s' cannot be read (%s)", path,
                            apr_strerror(rv, ebuf, sizeof(ebuf)));
    }
    if (len > NA_SECRET_MAX_FILE) {
        na_crypto_cleanse(buf, sizeof(buf));
        return apr_psprintf(p, "file '%s' is larger than %d bytes", path, NA_SECRET_MAX_FILE);
    }
    *out = na_secret_trim(p, buf, len);
    na_crypto_cleanse(buf, sizeof(buf));
    if (**out == '\0') {
        return apr_psprintf(p, "file '%s' holds no secret on its first line", path);
    }
    return NULL;
}

const char *na_secret_resolve(apr_pool_t *p, const char *spec, const char **out)
{
    const char *value;

    if (strncmp(spec, "file:", 5) == 0) {
        if (spec[5] == '\0') {
            return "file: needs a path, e.g. file:/etc/apache2/nextauth.secret";
        }
        return na_secret_from_file(p, spec + 5, out);
    }
    if (strncmp(spec, "env:", 4) == 0) {
        value = spec[4] ? getenv(spec + 4) : NULL;
        if (value == NULL || *value == '\0') {
            return apr_psprintf(p, "environment variable '%s' is not set or empty", spec + 4);
        }
        spec = value;
    }
    if (*spec == '\0') {
        return "the secret is empty";
    }
    if (na_kv_has_ctl(spec)) {
        return "the secret contains control characters";
    }
    *out = apr_pstrdup(p, spec);
    return NULL;
}
