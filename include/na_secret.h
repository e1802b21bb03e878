/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#ifndef NA_SECRET_H
#define NA_SECRET_H

#include "na_common.h"

/** Longest secret file read; a secret is a line of text, not a document. */
#define NA_SECRET_MAX_FILE 4096

/**
 * Resolve a secret spelled literally, as file:PATH (first line, trailing CR/LF and
 * blanks removed) or as env:NAME, into *out (allocated from p). Returns NULL, or a
 * message that names the path or variable and the reason, never any secret content.
 */
const char *na_secret_resolve(apr_pool_t *p, const char *spec, const char **out);

#endif
