/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_common.h"
#include "suites.h"

START_TEST(test_err_set_fills)
{
    na_err_t err;

    memset(&err, 0x5a, sizeof(err));
    ck_assert_int_eq(na_err_set(na_test_pool, &err, NA_EINPUT, "Verification",
                                "token %s expired %d s ago", "abcd1234", 42),
                     NA_EINPUT);
    ck_assert_str_eq(err.code, "Verification");
    ck_assert_str_eq(err.detail, "token abcd1234 expired 42 s ago");
    ck_assert_int_eq(err.os_status, 0);
}
END_TEST

START_TEST(test_err_set_without_err)
{
    ck_assert_int_eq(na_err_set(na_test_pool, NULL, NA_EPEER, "OAuthCallback", "%s", "x"),
                     NA_EPEER);
    ck_assert_int_eq(na_err_set(na_test_pool, NULL, NA_OK, NULL, "%s", ""), NA_OK);
}
END_TEST

Suite *suite_err(void)
{
    Suite *s = suite_create("err");
    TCase *tc = na_test_tcase("set");

    tcase_add_test(tc, test_err_set_fills);
    tcase_add_test(tc, test_err_set_without_err);
    suite_add_tcase(s, tc);
    return s;
}
