/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* Server-side token records: na_tokens_open with a rotated pair of record keys, as a
 * cache answer arrives. A fuzzer cannot forge a GCM tag, so the first byte picks:
 * 0 mod 3, the rest is the blob itself; 1 mod 3, the rest is a plaintext sealed here with
 * the old key (the member checks; an opened record must seal and open again alike);
 * 2 mod 3, na_tokens_claims_merge of the ID-token claims and userinfo split at the first
 * newline. */
#include <string.h>

#include "na_claim.h"
#include "na_fuzz.h"
#include "na_tokens.h"

#define SID "AAECAwQFBgcICQoLDA0ODw"

static na_jwe_key_t keys[2];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    if (na_tokens_key("secret", &keys[0]) != NA_OK
        || na_tokens_key("old secret", &keys[1]) != NA_OK) {
        abort();
    }
    return 0;
}

static int same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* An opened record seals again under the current key and opens to the same fields. */
static void reseal(apr_pool_t *p, const na_tokens_t *t)
{
    const char *blob;
    apr_size_t len;
    na_tokens_t again;

    if (na_tokens_seal(p, &keys[0], t, &blob, &len) != NA_OK) {
        return; /* a record can grow past the cap once re-encoded (escapes) */
    }
    NA_FUZZ_ASSERT(na_tokens_open(p, keys, 2, SID, (const unsigned char *)blob, len, &again, NULL)
                   == NA_OK);
    NA_FUZZ_ASSERT(same(again.sid, t->sid) && same(again.access_token, t->access_token)
                   && same(again.refresh_token, t->refresh_token) && same(again.claims, t->claims)
                   && same(again.error, t->error) && again.expires_at == t->expires_at
                   && again.version == t->version);
}

static void open_blob(apr_pool_t *p, const char *blob, apr_size_t len, int sealed)
{
    na_tokens_t t;
    na_err_t err = {0};
    na_status_t rv = na_tokens_open(p, keys, 2, SID, (const unsigned char *)blob, len, &t, &err);

    NA_FUZZ_ASSERT(rv == NA_OK || rv == NA_EINPUT || rv == NA_EDENIED || rv == NA_ETOOBIG);
    if (rv != NA_OK) {
        NA_FUZZ_ASSERT(err.detail != NULL && t.sid == NULL && t.access_token == NULL);
        return;
    }
    NA_FUZZ_ASSERT(sealed && strcmp(t.sid, SID) == 0);
    NA_FUZZ_ASSERT(t.expires_at >= 0 && t.updated_at >= 0 && t.version >= 0);
    NA_FUZZ_ASSERT(t.claims == NULL || na_claims_parse(p, t.claims) != NULL);
    reseal(p, &t);
}

static void merge(apr_pool_t *p, const char *text)
{
    const char *nl = strchr(text, '\n'), *json;
    const char *id = nl ? apr_pstrmemdup(p, text, (apr_size_t)(nl - text)) : text;
    const char *ui = nl ? nl + 1 : NULL;
    na_status_t rv = na_tokens_claims_merge(p, *id ? id : NULL, ui, &json);

    NA_FUZZ_ASSERT(rv == NA_OK || rv == NA_EINPUT);
    if (rv == NA_OK) {
        na_claims_t *c = json ? na_claims_parse(p, json) : NULL;
        NA_FUZZ_ASSERT(json == NULL || c != NULL);
        NA_FUZZ_ASSERT(json == NULL || na_claim_value(p, c, "nonce") == NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *token;
    int mode;

    if (size == 0) {
        return 0;
    }
    p = na_fuzz_begin();
    mode = data[0] % 3;
    if (mode == 0) {
        open_blob(p, na_fuzz_str(p, data + 1, size - 1), size - 1, 0);
    }
    else if (mode == 1) {
        if (na_jwe_encrypt(p, &keys[1], data + 1, size - 1, &token) == NA_OK) {
            open_blob(p, token, strlen(token), 1);
        }
    }
    else {
        merge(p, na_fuzz_str(p, data + 1, size - 1));
    }
    na_fuzz_end(p);
    return 0;
}
