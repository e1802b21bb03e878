/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_file_info.h>
#include <apr_file_io.h>

#include "na_secret.h"
#include "suites.h"

static const char *na_test_resolve(const char *spec, const char **out)
{
    *out = NULL;
    return na_secret_resolve(na_test_pool, spec, out);
}

START_TEST(test_secret_literal)
{
    static const char *const literals[] = {
        "abc", "s3cr3t with spaces", "file", "env", "FILE:/etc/x", "Env:HOME", "\xc3\xa9t\xc3\xa9"};
    const char *out;
    int i;

    for (i = 0; i < NA_TEST_COUNT(literals); i++) {
        ck_assert_ptr_null(na_test_resolve(literals[i], &out));
        ck_assert_str_eq(out, literals[i]);
        ck_assert_ptr_ne(out, literals[i]); /* a copy in the pool */
    }
}
END_TEST

typedef struct na_test_file_t {
    const char *content;
    const char *want; /* NULL: rejected */
} na_test_file_t;

static const na_test_file_t na_test_files[] = {
    {"s3cret\n", "s3cret"},
    {"s3cret", "s3cret"},
    {"s3cret\r\n", "s3cret"},
    {"s3cret \t \n", "s3cret"},
    {"  lead\n", "  lead"},
    {"first\nsecond\n", "first"},
    {"with inner space\n", "with inner space"},
    {"", NULL},
    {"\n", NULL},
    {" \t\r\n", NULL},
    {"\nsecond line only\n", NULL},
};

START_TEST(test_secret_file)
{
    const na_test_file_t *tc = &na_test_files[_i];
    const char *path = na_test_temp_file(tc->content, strlen(tc->content));
    const char *out, *msg;

    msg = na_test_resolve(apr_pstrcat(na_test_pool, "file:", path, NULL), &out);
    if (tc->want) {
        ck_assert_msg(msg == NULL, "%s", msg);
        ck_assert_str_eq(out, tc->want);
        return;
    }
    ck_assert_ptr_nonnull(msg);
    ck_assert_str_eq(msg, apr_psprintf(na_test_pool,
                                       "file '%s' holds no secret on its first "
                                       "line",
                                       path));
}
END_TEST

START_TEST(test_secret_file_size_limit)
{
    char *big = apr_palloc(na_test_pool, NA_SECRET_MAX_FILE + 2);
    const char *path, *out, *msg;

    memset(big, 'k', NA_SECRET_MAX_FILE + 1);
    memcpy(big, "TOPSECRET", 9);
    path = na_test_temp_file(big, NA_SECRET_MAX_FILE);
    ck_assert_ptr_null(na_test_resolve(apr_pstrcat(na_test_pool, "file:", path, NULL), &out));
    ck_assert_uint_eq(strlen(out), NA_SECRET_MAX_FILE);

    path = na_test_temp_file(big, NA_SECRET_MAX_FILE + 1);
    msg = na_test_resolve(apr_pstrcat(na_test_pool, "file:", path, NULL), &out);
    ck_assert_ptr_nonnull(msg);
    ck_assert_str_eq(msg, apr_psprintf(na_test_pool, "file '%s' is larger than %d bytes", path,
                                       NA_SECRET_MAX_FILE));
    ck_assert_ptr_null(strstr(msg, "TOPSECRET"));
    ck_assert_ptr_null(out);
}
END_TEST

/* An unreadable file: the message names the path and the reason, never the content. */
START_TEST(test_secret_file_unreadable)
{
    const char *path = na_test_temp_file("TOPSECRET\n", 10);
    const char *dir = NULL, *out, *msg;

    msg = na_test_resolve("file:/nonexistent/na-unit.secret", &out);
    ck_assert_ptr_nonnull(msg);
    ck_assert_str_eq(msg, "file '/nonexistent/na-unit.secret' cannot be read "
                          "(No such file or directory)");
    ck_assert_ptr_null(out);

    ck_assert_int_eq(apr_temp_dir_get(&dir, na_test_pool), APR_SUCCESS);
    msg = na_test_resolve(apr_pstrcat(na_test_pool, "file:", dir, NULL), &out);
    ck_assert_ptr_nonnull(msg);
    ck_assert_ptr_nonnull(
        strstr(msg, apr_psprintf(na_test_pool, "file '%s' cannot be read (", dir)));

    /* root reads a mode-000 file anyway, so only an ordinary user sees EACCES */
    if (geteuid() != 0) {
        ck_assert_int_eq(apr_file_perms_set(path, 0), APR_SUCCESS);
        msg = na_test_resolve(apr_pstrcat(na_test_pool, "file:", path, NULL), &out);
        ck_assert_ptr_nonnull(msg);
        ck_assert_str_eq(msg, apr_psprintf(na_test_pool,
                                           "file '%s' cannot be read "
                                           "(Permission denied)",
                                           path));
        ck_assert_ptr_null(strstr(msg, "TOPSECRET"));
    }
}
END_TEST

/* Permissions of a secret file: the mode of what is read decides. */
typedef struct na_test_mode_t {
    apr_fileperms_t prot;
    int refused;
    int warned;
} na_test_mode_t;

static const na_test_mode_t na_test_modes[] = {
    {0x0600, 0, 0}, /* 0600 */
    {0x0400, 0, 0}, /* 0400 */
    {0x0640, 0, 0}, /* 0640 */
    {0x0660, 0, 0}, /* 0660: group-writable is the administrator's choice */
    {0x0604, 0, 1}, /* 0604 */
    {0x0644, 0, 1}, /* 0644: every local user can read it */
    {0x0664, 0, 1}, /* 0664 */
    {0x0602, 1, 0}, /* 0602 */
    {0x0666, 1, 0}, /* 0666 */
    {0x0777, 1, 0}, /* 0777 */
};

static const char *na_test_file_mode(const char *content, apr_fileperms_t prot)
{
    const char *path = na_test_temp_file(content, strlen(content));

    ck_assert_int_eq(apr_file_perms_set(path, prot), APR_SUCCESS);
    return path;
}

START_TEST(test_secret_file_modes)
{
    const na_test_mode_t *tc = &na_test_modes[_i];
    const char *path = na_test_file_mode("TOPSECRET\n", tc->prot);
    const char *spec = apr_pstrcat(na_test_pool, "file:", path, NULL);
    const char *out = NULL, *msg, *warning;
    unsigned risks = 7;

    msg = na_secret_check_mode(na_test_pool, path, tc->prot, &risks);
    ck_assert_int_eq(msg != NULL, tc->refused);
    ck_assert_int_eq((risks & NA_SECRET_OTHER_READABLE) != 0, tc->warned);

    msg = na_test_resolve(spec, &out);
    warning = na_secret_warning(na_test_pool, spec);
    if (tc->refused) {
        ck_assert_ptr_nonnull(msg);
        ck_assert_str_eq(msg, apr_psprintf(na_test_pool,
                                           "file '%s' is writable by every user "
                                           "(mode 0%o); accepted: a file only its owner and "
                                           "group can write, e.g. chmod 600 %s",
                                           path,
                                           (unsigned)(tc->prot >> 8) << 6
                                               | ((tc->prot >> 4) & 7) << 3 | (tc->prot & 7),
                                           path));
        ck_assert_ptr_null(strstr(msg, "TOPSECRET"));
        ck_assert_ptr_null(out);
        ck_assert_ptr_null(warning);
        return;
    }
    ck_assert_msg(msg == NULL, "%s", msg);
    ck_assert_str_eq(out, "TOPSECRET");
    if (!tc->warned) {
        ck_assert_ptr_null(warning);
        return;
    }
    ck_assert_ptr_nonnull(warning);
    ck_assert_str_eq(warning, apr_psprintf(na_test_pool,
                                           "file '%s' is readable by every user "
                                           "(mode 0%o); chmod 600 %s, or chmod 640 and give "
                                           "it a group the httpd user is in",
                                           path,
                                           (unsigned)(tc->prot >> 8) << 6
                                               | ((tc->prot >> 4) & 7) << 3 | (tc->prot & 7),
                                           path));
    ck_assert_ptr_null(strstr(warning, "TOPSECRET"));
}
END_TEST

/* A symbolic link (itself 0777) is judged by the file it points to: what is read. */
START_TEST(test_secret_file_symlink)
{
    const char *safe = na_test_file_mode("TOPSECRET\n", 0x0600);
    const char *open_to_all = na_test_file_mode("TOPSECRET\n", 0x0666);
    const char *readable = na_test_file_mode("TOPSECRET\n", 0x0644);
    const char *link = apr_pstrcat(na_test_pool, safe, ".link", NULL);
    const char *out = NULL, *msg;

    ck_assert_int_eq(symlink(safe, link), 0);
    ck_assert_ptr_null(na_test_resolve(apr_pstrcat(na_test_pool, "file:", link, NULL), &out));
    ck_assert_str_eq(out, "TOPSECRET");
    ck_assert_ptr_null(
        na_secret_warning(na_test_pool, apr_pstrcat(na_test_pool, "file:", link, NULL)));
    unlink(link);

    ck_assert_int_eq(symlink(open_to_all, link), 0);
    msg = na_test_resolve(apr_pstrcat(na_test_pool, "file:", link, NULL), &out);
    ck_assert_ptr_nonnull(msg);
    ck_assert_ptr_nonnull(strstr(msg, "is writable by every user (mode 0666)"));
    unlink(link);

    ck_assert_int_eq(symlink(readable, link), 0);
    ck_assert_ptr_nonnull(
        na_secret_warning(na_test_pool, apr_pstrcat(na_test_pool, "file:", link, NULL)));
    unlink(link);

    /* not a file: spec, or no such file: no warning (resolving reports the latter) */
    ck_assert_ptr_null(na_secret_warning(na_test_pool, "literal-secret"));
    ck_assert_ptr_null(na_secret_warning(na_test_pool, "env:HOME"));
    ck_assert_ptr_null(na_secret_warning(na_test_pool, "file:"));
    ck_assert_ptr_null(na_secret_warning(na_test_pool, "file:/nonexistent/na-unit.secret"));
}
END_TEST

START_TEST(test_secret_env)
{
    const char *out, *msg;

    setenv("NA_TEST_SECRET_ENV", "from the environment", 1);
    ck_assert_ptr_null(na_test_resolve("env:NA_TEST_SECRET_ENV", &out));
    ck_assert_str_eq(out, "from the environment");

    unsetenv("NA_TEST_SECRET_UNSET");
    msg = na_test_resolve("env:NA_TEST_SECRET_UNSET", &out);
    ck_assert_pstr_eq(msg, "environment variable 'NA_TEST_SECRET_UNSET' is not set or empty");
    ck_assert_ptr_null(out);

    setenv("NA_TEST_SECRET_EMPTY", "", 1);
    msg = na_test_resolve("env:NA_TEST_SECRET_EMPTY", &out);
    ck_assert_pstr_eq(msg, "environment variable 'NA_TEST_SECRET_EMPTY' is not set or empty");

    msg = na_test_resolve("env:", &out);
    ck_assert_ptr_nonnull(msg);
    ck_assert_ptr_null(out);

    /* the variable's value is checked like a literal, and not echoed either */
    setenv("NA_TEST_SECRET_CTL", "ENVSECRET\x1b[0m", 1);
    msg = na_test_resolve("env:NA_TEST_SECRET_CTL", &out);
    ck_assert_pstr_eq(msg, "the secret contains control characters");
    ck_assert_ptr_null(out);
}
END_TEST

START_TEST(test_secret_empty_and_bad_literals)
{
    const char *out;

    ck_assert_pstr_eq(na_test_resolve("", &out), "the secret is empty");
    ck_assert_ptr_null(out);
    ck_assert_pstr_eq(na_test_resolve("file:", &out),
                      "file: needs a path, e.g. file:/etc/apache2/nextauth.secret");
    ck_assert_ptr_null(out);
    ck_assert_pstr_eq(na_test_resolve("LITERAL\tSECRET", &out),
                      "the secret contains control characters");
    ck_assert_pstr_eq(na_test_resolve("LITERAL\x7f", &out),
                      "the secret contains control characters");
    ck_assert_ptr_null(out);
}
END_TEST

Suite *suite_secret(void)
{
    Suite *s = suite_create("secret");
    TCase *tc = na_test_tcase("resolve");

    tcase_add_test(tc, test_secret_literal);
    tcase_add_loop_test(tc, test_secret_file, 0, NA_TEST_COUNT(na_test_files));
    tcase_add_test(tc, test_secret_file_size_limit);
    tcase_add_test(tc, test_secret_file_unreadable);
    tcase_add_loop_test(tc, test_secret_file_modes, 0, NA_TEST_COUNT(na_test_modes));
    tcase_add_test(tc, test_secret_file_symlink);
    tcase_add_test(tc, test_secret_env);
    tcase_add_test(tc, test_secret_empty_and_bad_literals);
    suite_add_tcase(s, tc);
    return s;
}
