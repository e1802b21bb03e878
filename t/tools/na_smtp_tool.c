/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* The sign-in mail core on the command line, for t/peers/smtp.test.js to drive against the
 * smtp-server peer without httpd:
 *   na_smtp_tool --server URL --from FROM --to ADDRESS --url LINK [--lang en|ko]
 *                [--starttls try|on|off] [--timeout SECONDS] [--ca FILE]
 *                [--brand #hex] [--button-text #hex] [--subject TEXT]
 * It composes the mail with na_mail_signin (--subject replaces its subject) and sends it
 * with na_smtp_send. Exit status: 0 sent ("sent" on stdout), 1 refused or failed (the
 * status name and the log detail on stderr), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <curl/curl.h>

#include "na_mail.h"

static const char *na_tool_status(na_status_t rv)
{
    static const char *const names[] = {"OK",      "EINPUT", "EEXPIRED", "EDENIED",
                                        "ETOOBIG", "EPEER",  "ETIMEOUT", "EINTERNAL"};

    return (unsigned)rv < sizeof(names) / sizeof(names[0]) ? names[rv] : "?";
}

static int na_tool_usage(void)
{
    fprintf(stderr, "usage: na_smtp_tool --server URL --from FROM --to ADDRESS --url LINK "
                    "[--lang en|ko] [--starttls try|on|off] [--timeout SECONDS] [--ca FILE] "
                    "[--brand #hex] [--button-text #hex] [--subject TEXT]\n");
    return 2;
}

typedef struct na_tool_args_t {
    const char *server, *from, *to, *url, *lang, *starttls, *timeout, *ca, *brand, *button,
        *subject;
} na_tool_args_t;

static int na_tool_parse(int argc, char **argv, na_tool_args_t *a)
{
    int i;

    memset(a, 0, sizeof(*a));
    for (i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        const char **slot = strcmp(k, "--server") == 0        ? &a->server
                            : strcmp(k, "--from") == 0        ? &a->from
                            : strcmp(k, "--to") == 0          ? &a->to
                            : strcmp(k, "--url") == 0         ? &a->url
                            : strcmp(k, "--lang") == 0        ? &a->lang
                            : strcmp(k, "--starttls") == 0    ? &a->starttls
                            : strcmp(k, "--timeout") == 0     ? &a->timeout
                            : strcmp(k, "--ca") == 0          ? &a->ca
                            : strcmp(k, "--brand") == 0       ? &a->brand
                            : strcmp(k, "--button-text") == 0 ? &a->button
                            : strcmp(k, "--subject") == 0     ? &a->subject
                                                              : NULL;
        if (slot == NULL) {
            return 0;
        }
        *slot = v;
    }
    return i == argc && a->server && a->from && a->to && a->url;
}

static int na_tool_send(apr_pool_t *p, const na_tool_args_t *a)
{
    const na_catalog_t *cat = na_i18n_find(a->lang ? a->lang : "en");
    na_smtp_conf_t conf = {0};
    na_mail_t mail;
    na_err_t err = {0};
    na_status_t rv;

    if (cat == NULL) {
        return na_tool_usage();
    }
    if ((rv = na_mail_signin(p, cat, a->url, a->brand, a->button, &mail)) != NA_OK) {
        fprintf(stderr, "%s compose: the URL was refused\n", na_tool_status(rv));
        return 1;
    }
    mail.from = a->from;
    mail.to = a->to;
    if (a->subject) {
        mail.subject = a->subject;
    }
    conf.server = a->server;
    conf.timeout = a->timeout ? atoi(a->timeout) : 10;
    conf.ca_file = a->ca;
    conf.starttls = a->starttls == NULL || strcmp(a->starttls, "try") == 0 ? NA_SMTP_TLS_TRY
                    : strcmp(a->starttls, "on") == 0                       ? NA_SMTP_TLS_ON
                                                                           : NA_SMTP_TLS_OFF;
    if ((rv = na_smtp_send(p, &conf, &mail, &err)) != NA_OK) {
        fprintf(stderr, "%s %s: %s\n", na_tool_status(rv), err.code ? err.code : "-",
                err.detail ? err.detail : "-");
        return 1;
    }
    printf("sent\n");
    return 0;
}

int main(int argc, char **argv)
{
    na_tool_args_t args;
    apr_pool_t *p;
    int rc;

    if (!na_tool_parse(argc, argv, &args)) {
        return na_tool_usage();
    }
    if (apr_initialize() != APR_SUCCESS || apr_pool_create(&p, NULL) != APR_SUCCESS
        || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "na_smtp_tool: initialisation failed\n");
        return 1;
    }
    rc = na_tool_send(p, &args);
    curl_global_cleanup();
    apr_pool_destroy(p);
    apr_terminate();
    return rc;
}
