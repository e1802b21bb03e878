/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_SESSION_MEMO_H
#define NA_SESSION_MEMO_H

#include "na_session.h"

/**
 * A per-process memo of session tokens already decoded, so that a browser sending the
 * same cookie with every page, image and script costs one decryption and one JSON parse,
 * not one per request. A na_cache (bounded; when a bucket is full the token nearest its
 * expiry gives way); safe to share between threads. A hit is only a token equal to the
 * remembered one byte for byte (compared in constant time) under the same keys, and
 * still before its exp, with the same tolerance as na_session_decode.
 */
typedef struct na_session_memo_t na_session_memo_t;

/**
 * Tokens longer than this are decoded every time: any token na_jwe_decrypt accepts, so
 * a chunked session (three cookies of 4 kB) is decoded once too, not at every request
 * (a decode of one is 1.3 M instructions, mostly jansson reading its 7 kB). An entry's
 * pool keeps the largest token it held: at most some 40 kB, 5 MB for 128 entries.
 */
#define NA_SESSION_MEMO_MAX_TOKEN NA_JWE_MAX_TOKEN

/** A memo of `slots` entries in p (its lifetime), or NULL when APR cannot make one. */
na_session_memo_t *na_session_memo_create(apr_pool_t *p, int slots);

/**
 * 1 when `token`, decoded under `keys` (the key set's identity), is remembered and not
 * expired at `now`: *claims holds copies in p (payload_obj shared read-only, released
 * with p) and *key_index which key opened it. 0 otherwise, *claims untouched.
 */
int na_session_memo_get(na_session_memo_t *m, apr_pool_t *p, const void *keys, const char *token,
                        apr_int64_t now, na_session_claims_t *claims, int *key_index);

/** Remember what na_session_decode gave for `token` under `keys`. */
void na_session_memo_put(na_session_memo_t *m, const void *keys, const char *token,
                         const na_session_claims_t *claims, int key_index);

#endif
