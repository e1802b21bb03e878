/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>

#include <http_protocol.h>
#include <jansson.h>

#include "mod_nextauth_body.h"
#include "na_form.h"

/* Read at most `limit` bytes of the request body; a longer body is refused whole. */
static int nextauth_body_slurp(request_rec *r, apr_size_t limit, const char **out)
{
    char *buf = apr_palloc(r->pool, limit + 1);
    apr_size_t len = 0;
    long n;
    int rv;

    if ((rv = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK)) != OK) {
        return rv;
    }
    if (ap_should_client_block(r)) {
        while ((n = ap_get_client_block(r, buf + len, limit + 1 - len)) > 0) {
            len += (apr_size_t)n;
            if (len > limit) {
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
            }
        }
        if (n < 0) {
            return HTTP_BAD_REQUEST;
        }
    }
    buf[len] = '\0';
    *out = buf;
    return OK;
}

/* The v4 client posts JSON to session (update): keep the string members. */
static int nextauth_body_json(const char *text, apr_table_t *form)
{
    json_error_t jerr;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    const char *key;
    json_t *value;

    if (root == NULL || !json_is_object(root)) {
        json_decref(root);
        return HTTP_BAD_REQUEST;
    }
    json_object_foreach(root, key, value)
    {
        if (json_is_string(value)) {
            apr_table_set(form, key, json_string_value(value));
        }
    }
    json_decref(root);
    return OK;
}

int nextauth_body_read(request_rec *r, apr_table_t **form)
{
    const char *type = apr_table_get(r->headers_in, "Content-Type");
    const char *text = NULL;
    int rv;

    *form = apr_table_make(r->pool, 8);
    if (r->method_number != M_POST || type == NULL) {
        return OK;
    }
    if (ap_strcasestr(type, "application/x-www-form-urlencoded") == NULL
        && ap_strcasestr(type, "application/json") == NULL) {
        return OK; /* next-auth reads no other body */
    }
    if ((rv = nextauth_body_slurp(r, NA_MAX_FORM_BODY, &text)) != OK) {
        return rv;
    }
    if (ap_strcasestr(type, "application/json")) {
        return *text ? nextauth_body_json(text, *form) : OK;
    }
    return na_form_parse(r->pool, text, form) == NA_OK ? OK : HTTP_REQUEST_ENTITY_TOO_LARGE;
}
