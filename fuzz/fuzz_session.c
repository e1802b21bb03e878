/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* Session tokens: na_session_decode with a rotated pair of keys. A fuzzer cannot forge a
 * GCM tag, so besides raw tokens (first byte 0 mod 3) it also hands the claims parsers
 * payloads sealed here with the right key: 1 mod 3, a session payload (decoded, then
 * re-encoded as a refresh does); 2 mod 3, a state-cookie payload (na_oauth_check_decode). */
#include <string.h>

#include "na_fuzz.h"
#include "na_oauth.h"
#include "na_session.h"

#define NOW 1795829447 /* the vectors' time */

static na_jwe_key_t keys[2], state_key;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    if (na_jwe_derive_key("secret", "", &keys[0]) != NA_OK ||
        na_jwe_derive_key("old secret", "", &keys[1]) != NA_OK ||
        na_jwe_derive_key("secret", "next-auth.state", &state_key) != NA_OK) {
        abort();
    }
    return 0;
}

static void check_claims(apr_pool_t *p, const na_session_claims_t *c)
{
    na_session_claims_t again;
    const char *json, *token;

    NA_FUZZ_ASSERT(c->exp > NOW - NA_SESSION_CLOCK_TOLERANCE && c->payload != NULL);
    /* A refresh keeps the payload and renews iat, exp and jti; it must read back. */
    if (na_session_claims_json(p, c, &json) == NA_OK &&
        na_session_encode(p, &keys[0], c, NOW, NA_SESSION_DEFAULT_MAX_AGE, &token) == NA_OK) {
        NA_FUZZ_ASSERT(na_session_decode(p, keys, 2, token, NOW, &again, NULL, NULL) == NA_OK);
        NA_FUZZ_ASSERT(again.exp == NOW + NA_SESSION_DEFAULT_MAX_AGE);
    }
}

static void decode(apr_pool_t *p, const char *token, int want_index)
{
    na_session_claims_t c;
    na_err_t err = {0};
    int index = -1;
    na_status_t rv = na_session_decode(p, keys, 2, token, NOW, &c, &index, &err);

    NA_FUZZ_ASSERT(rv == NA_OK || err.detail != NULL);
    if (rv == NA_OK) {
        NA_FUZZ_ASSERT(want_index < 0 || index == want_index);
        check_claims(p, &c);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *token, *value;
    int mode;

    if (size == 0) {
        return 0;
    }
    p = na_fuzz_begin();
    mode = data[0] % 3;
    if (mode == 0) {
        decode(p, na_fuzz_str(p, data + 1, size - 1), -1);
    }
    else if (mode == 1) {
        if (na_jwe_encrypt(p, &keys[1], data + 1, size - 1, &token) == NA_OK) {
            decode(p, token, 1);
        }
    }
    else if (na_jwe_encrypt(p, &state_key, data + 1, size - 1, &token) == NA_OK) {
        na_oauth_check_ctx_t ctx = {&state_key, 1, "github", NOW};
        if (na_oauth_check_decode(p, &ctx, token, &value, NULL) == NA_OK) {
            NA_FUZZ_ASSERT(value && *value && strlen(value) <= NA_MAX_PARAM);
        }
    }
    na_fuzz_end(p);
    return 0;
}
