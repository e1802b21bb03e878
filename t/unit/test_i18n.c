/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <check.h>
#include <string.h>

#include "na_i18n.h"
#include "suites.h"

typedef struct na_test_lang_t {
    const char *header;
    const char *want; /* tag of the catalogue chosen */
} na_test_lang_t;

static const na_test_lang_t na_test_langs[] = {
    {NULL, "en"},
    {"", "en"},
    {"ko", "ko"},
    {"ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko"},
    {"en-US,en;q=0.9,ko;q=0.8", "en"},
    {"fr, ko;q=0.5", "ko"},
    {"ko;q=0.5, en;q=0.5", "ko"}, /* a tie: the earlier one */
    {"ko;q=0, fr", "en"},
    {"KO-kr", "ko"},
    {"fr-FR, de", "en"},
    {"ko;q=abc", "en"},
    {"ko;q=1.5", "en"},
    {"ko;q=-0.1", "en"},
    /* strtod reads these; none is a weight (fuzz_i18n found q=nan reaching a cast) */
    {"ko;q=nan", "en"},
    {"ko;q=NaN, en;q=0.1", "en"},
    {"ko;q=-nan", "en"},
    {"ko;q=inf", "en"},
    {"er;q\xbd=0.q=nan5, q=0.1.1", "en"},
};

START_TEST(test_i18n_negotiate)
{
    const na_test_lang_t *tc = &na_test_langs[_i];
    const na_catalog_t *cat = na_i18n_negotiate(na_test_pool, tc->header);

    ck_assert_ptr_nonnull(cat);
    ck_assert_msg(strcmp(cat->tag, tc->want) == 0, "Accept-Language '%s' -> %s, want %s",
                  tc->header ? tc->header : "(none)", cat->tag, tc->want);
}
END_TEST

START_TEST(test_i18n_find_and_msg)
{
    ck_assert_ptr_eq(na_i18n_find("en"), na_i18n_default());
    ck_assert_ptr_nonnull(na_i18n_find("KO"));
    ck_assert_ptr_null(na_i18n_find("fr"));
    ck_assert_str_ne(na_i18n_msg(na_i18n_find("ko"), NA_MSG_TITLE_SIGNIN), "");
    ck_assert_str_eq(na_i18n_msg(na_i18n_default(), NA_MSG__COUNT), "");
}
END_TEST

Suite *suite_i18n(void)
{
    Suite *s = suite_create("i18n");
    TCase *tc = na_test_tcase("negotiate");

    tcase_add_loop_test(tc, test_i18n_negotiate, 0, NA_TEST_COUNT(na_test_langs));
    tcase_add_test(tc, test_i18n_find_and_msg);
    suite_add_tcase(s, tc);
    return s;
}
