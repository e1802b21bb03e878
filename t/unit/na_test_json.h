/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_TEST_JSON_H
#define NA_TEST_JSON_H

/** The JSON object `base` with `patch` (an object, may be NULL) merged in and member `del`
 *  (may be NULL) removed, compact, from na_test_pool: token payloads one claim off. */
const char *na_test_json_edit(const char *base, const char *patch, const char *del);

#endif
