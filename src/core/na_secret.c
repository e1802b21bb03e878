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

/* An APR_FPROT_* set (one hex digit per class) as the octal mode chmod speaks. */
static unsigned na_secret_octal(apr_fileperms_t prot)
{
    unsigned p = (unsigned)prot;

    return ((p >> 8) & 7) << 6 | ((p >> 4) & 7) << 3 | (p & 7)
           | ((p & APR_FPROT_USETID) ? 04000 : 0) | ((p & APR_FPROT_GSETID) ? 02000 : 0)
           | ((p & APR_FPROT_WSTICKY) ? 01000 : 0);
}

const char *na_secret_check_mode(apr_pool_t *p, const char *path, apr_fileperms_t prot,
                                 unsigned *risks)
{
    *risks = 0;
    if (prot & APR_FPROT_WWRITE) {
        return apr_psprintf(p,
                            "file '%s' is writable by every user (mode %04o); accepted: "
                            "a file only its owner and group can write, e.g. chmod 600 %s",
                            path, na_secret_octal(prot), path);
    }
    if (prot & APR_FPROT_WREAD) {
        *risks |= NA_SECRET_OTHER_READABLE;
    }
    return NULL;
}

const char *na_secret_warning(apr_pool_t *p, const char *spec)
{
    apr_finfo_t fi;
    unsigned risks = 0;
    const char *path;

    if (strncmp(spec, "file:", 5) != 0 || spec[5] == '\0') {
        return NULL;
    }
    path = spec + 5;
    /* apr_stat without APR_FINFO_LINK follows a symbolic link: the target is read. */
    if (apr_stat(&fi, path, APR_FINFO_PROT, p) != APR_SUCCESS
        || na_secret_check_mode(p, path, fi.protection, &risks) != NULL
        || !(risks & NA_SECRET_OTHER_READABLE)) {
        return NULL;
    }
    return apr_psprintf(p,
                        "file '%s' is readable by every user (mode %04o); chmod 600 %s, "
                        "or chmod 640 and give it a group the httpd user is in",
                        path, na_secret_octal(fi.protection), path);
}

/* The mode of the open file, not of the path: a symbolic link is judged by its target,
 * and the file cannot be swapped between the check and the read. */
static const char *na_secret_check_open(apr_pool_t *p, apr_file_t *f, const char *path)
{
    apr_finfo_t fi;
    apr_status_t rv;
    unsigned risks = 0;
    char ebuf[128];

    rv = apr_file_info_get(&fi, APR_FINFO_PROT, f);
    if (rv != APR_SUCCESS && rv != APR_INCOMPLETE) {
        return apr_psprintf(p, "file '%s' cannot be read (%s)", path,
                            apr_strerror(rv, ebuf, sizeof(ebuf)));
    }
    if (!(fi.valid & APR_FINFO_PROT)) {
        return apr_psprintf(p, "file '%s': its permissions cannot be read", path);
    }
    return na_secret_check_mode(p, path, fi.protection, &risks);
}

static const char *na_secret_from_file(apr_pool_t *p, const char *path, const char **out)
{
    apr_file_t *f = NULL;
    char buf[NA_SECRET_MAX_FILE + 1];
    apr_size_t len = sizeof(buf);
    apr_status_t rv;
    const char *msg;
    char ebuf[128];

    rv = apr_file_open(&f, path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "file '%s' cannot be read (%s)", path,
                            apr_strerror(rv, ebuf, sizeof(ebuf)));
    }
    rv = apr_file_read_full(f, buf, sizeof(buf), &len);
    /* Judged after the read, so that what cannot be read at all (a directory) says so. */
    msg = (rv == APR_SUCCESS || rv == APR_EOF) ? na_secret_check_open(p, f, path) : NULL;
    apr_file_close(f);
    if (rv != APR_SUCCESS && rv != APR_EOF) {
        na_crypto_cleanse(buf, sizeof(buf));
        return apr_psprintf(p, "file '%s' cannot be read (%s)", path,
                            apr_strerror(rv, ebuf, sizeof(ebuf)));
    }
    if (msg) {
        na_crypto_cleanse(buf, sizeof(buf));
        return msg;
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
