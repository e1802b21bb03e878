/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* The session-token core on the command line, for t/interop/jwt.test.js to check against
 * next-auth/jwt:
 *   na_session_tool encode SECRET CLAIMS_JSON MAXAGE   prints a token
 *   na_session_tool decode SECRET TOKEN                prints the claims as JSON
 * CLAIMS_JSON may hold name, email, picture (string or null), sub and provider (strings).
 * Exit status: 0 done, 1 refused (the reason on stderr), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <apr_general.h>
#include <jansson.h>

#include "na_session.h"

static const char *na_tool_status(na_status_t rv)
{
    static const char *const names[] = {"OK",      "EINPUT", "EEXPIRED", "EDENIED",
                                        "ETOOBIG", "EPEER",  "ETIMEOUT", "EINTERNAL"};

    return (unsigned)rv < sizeof(names) / sizeof(names[0]) ? names[rv] : "?";
}

/* One string member of the input into the pool; 0 when it has the wrong type. */
static int na_tool_member(apr_pool_t *p, json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        return 1;
    }
    if (!json_is_string(v)) {
        return 0;
    }
    *out = apr_pstrdup(p, json_string_value(v));
    return 1;
}

static int na_tool_claims(apr_pool_t *p, const char *json, na_session_claims_t *c)
{
    json_t *obj = json_loads(json, 0, NULL);
    int ok;

    memset(c, 0, sizeof(*c));
    ok = json_is_object(obj) && na_tool_member(p, obj, "name", &c->name) &&
         na_tool_member(p, obj, "email", &c->email) &&
         na_tool_member(p, obj, "picture", &c->picture) && na_tool_member(p, obj, "sub", &c->sub) &&
         na_tool_member(p, obj, "provider", &c->provider);
    json_decref(obj);
    return ok;
}

static int na_tool_encode(apr_pool_t *p, const na_jwe_key_t *key, const char *json,
                          const char *max_age)
{
    na_session_claims_t c;
    const char *token;
    na_status_t rv;

    if (!na_tool_claims(p, json, &c)) {
        fprintf(stderr, "encode: CLAIMS_JSON is not an object of strings\n");
        return 2;
    }
    rv = na_session_encode(p, key, &c, (apr_int64_t)time(NULL), apr_atoi64(max_age), &token);
    if (rv != NA_OK) {
        fprintf(stderr, "encode: %s\n", na_tool_status(rv));
        return 1;
    }
    printf("%s\n", token);
    return 0;
}

static int na_tool_decode(apr_pool_t *p, const na_jwe_key_t *key, const char *token)
{
    na_session_claims_t c;
    na_err_t err = {NULL, NULL, 0};
    const char *json;
    na_status_t rv;

    rv = na_session_decode(p, key, 1, token, (apr_int64_t)time(NULL), &c, NULL, &err);
    if (rv != NA_OK) {
        fprintf(stderr, "decode: %s: %s\n", na_tool_status(rv), err.detail ? err.detail : "");
        return 1;
    }
    if (na_session_claims_json(p, &c, &json) != NA_OK) {
        fprintf(stderr, "decode: claims do not serialise\n");
        return 1;
    }
    printf("%s\n", json);
    return 0;
}

static int na_tool_run(apr_pool_t *p, int argc, char **argv)
{
    int enc = argc == 5 && strcmp(argv[1], "encode") == 0;
    int dec = argc == 4 && strcmp(argv[1], "decode") == 0;
    na_jwe_key_t key;

    if (!enc && !dec) {
        fprintf(stderr,
                "usage: %s encode SECRET CLAIMS_JSON MAXAGE\n"
                "       %s decode SECRET TOKEN\n",
                argv[0], argv[0]);
        return 2;
    }
    if (na_jwe_derive_key(argv[2], "", &key) != NA_OK) {
        fprintf(stderr, "key derivation failed\n");
        return 1;
    }
    return enc ? na_tool_encode(p, &key, argv[3], argv[4]) : na_tool_decode(p, &key, argv[3]);
}

int main(int argc, char **argv)
{
    apr_pool_t *p;
    int rc;

    if (apr_initialize() != APR_SUCCESS || apr_pool_create(&p, NULL) != APR_SUCCESS) {
        fprintf(stderr, "APR initialisation failed\n");
        return 1;
    }
    rc = na_tool_run(p, argc, argv);
    apr_pool_destroy(p);
    apr_terminate();
    return rc;
}
