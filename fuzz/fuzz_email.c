/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
/* E-mail address normalisation (na_email_normalize), as the e-mail provider's sign-in
 * form submits it. Input: the address as typed. Built only once the core has the symbol
 * (see fuzz/Makefile). */
#include <string.h>

#include "na_email.h"
#include "na_fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    na_fuzz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = na_fuzz_begin();
    const char *out = NULL, *again = NULL, *at;
    na_err_t err = {0};
    na_status_t rv = na_email_normalize(p, na_fuzz_str(p, data, size), &out, &err);

    if (rv == NA_OK) {
        const unsigned char *c;
        NA_FUZZ_ASSERT(out && strlen(out) <= NA_EMAIL_MAX_LEN);
        at = strchr(out, '@');
        NA_FUZZ_ASSERT(at && at != out && strchr(at + 1, '@') == NULL && strchr(at, '.'));
        NA_FUZZ_ASSERT(strpbrk(out, "\",<> \t\r\n") == NULL);
        for (c = (const unsigned char *)out; *c; c++) {
            NA_FUZZ_ASSERT(*c >= 0x20 && *c != 0x7f && !(*c >= 'A' && *c <= 'Z'));
        }
        /* normalising is idempotent */
        NA_FUZZ_ASSERT(na_email_normalize(p, out, &again, NULL) == NA_OK);
        NA_FUZZ_ASSERT(strcmp(out, again) == 0);
    }
    else {
        NA_FUZZ_ASSERT((rv == NA_EINPUT || rv == NA_ETOOBIG) && err.detail);
    }
    na_fuzz_end(p);
    return 0;
}
