/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <string.h>

#include "na_page.h"
#include "suites.h"

#define NA_TEST_TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static na_page_view_t na_test_view(const char *lang)
{
    static const na_theme_t theme = {NA_UNSET, "#ff5500", NULL, "#000"};
    na_page_view_t v;

    memset(&v, 0, sizeof(v));
    v.lang = na_i18n_find(lang);
    v.theme = &theme;
    v.base_url = "https://example.com/api/auth";
    v.origin = "https://example.com";
    v.csrf_token = "csrf123";
    v.callback_url = "https://example.com/after?x=1&y=2";
    return v;
}

static void na_test_contains(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) != NULL, "\"%s\" not found in:\n%s", needle, hay);
}

static void na_test_lacks(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) == NULL, "\"%s\" found in:\n%s", needle, hay);
}

/* The form and its hidden fields, whatever the language. */
static void na_test_confirm_form(const char *html)
{
    na_test_contains(html, "<form action=\"https://example.com/api/auth/callback/email\" "
                           "method=\"POST\">");
    na_test_contains(html, "<input type=\"hidden\" name=\"csrfToken\" value=\"csrf123\">");
    na_test_contains(html, "<input type=\"hidden\" name=\"callbackUrl\" "
                           "value=\"https://example.com/after?x=1&amp;y=2\">");
    na_test_contains(html, "<input type=\"hidden\" name=\"token\" value=\"" NA_TEST_TOKEN "\">");
    na_test_contains(html, "<input type=\"hidden\" name=\"email\" value=\"alice@example.com\">");
    na_test_contains(html, "<button id=\"submitButton\" type=\"submit\">");
    /* the page frame and theme of the other built-in pages */
    na_test_contains(html, "--brand-color:#ff5500;");
    na_test_contains(html, "<div class=\"card\">");
    /* one form only, and it is a POST: a GET of the link spends nothing */
    ck_assert_ptr_null(strstr(strstr(html, "<form") + 1, "<form"));
}

START_TEST(test_page_email_confirm_en)
{
    na_page_view_t v = na_test_view("en");
    const char *html =
        na_page_email_confirm(na_test_pool, &v, "email", "alice@example.com", NA_TEST_TOKEN);

    na_test_contains(html, "<html lang=\"en\">");
    na_test_contains(html, "<title>Sign In</title>");
    na_test_contains(html, "<h1>Confirm sign-in</h1>");
    na_test_contains(html, "<p>Sign in as <b style=\"word-break:break-all\">alice@example.com"
                           "</b>?</p>");
    na_test_contains(html, "type=\"submit\">Sign in</button></form>");
    na_test_confirm_form(html);
}
END_TEST

START_TEST(test_page_email_confirm_ko)
{
    na_page_view_t v = na_test_view("ko");
    const char *html =
        na_page_email_confirm(na_test_pool, &v, "email", "alice@example.com", NA_TEST_TOKEN);

    na_test_contains(html, "<html lang=\"ko\">");
    na_test_contains(html, "<title>\xeb\xa1\x9c\xea\xb7\xb8\xec\x9d\xb8</title>");
    na_test_contains(html, "<h1>\xeb\xa1\x9c\xea\xb7\xb8\xec\x9d\xb8 \xed\x99\x95\xec\x9d\xb8"
                           "</h1>");
    /* "<b>alice@example.com</b> 계정으로 로그인하시겠습니까?" */
    na_test_contains(html, "<b style=\"word-break:break-all\">alice@example.com</b> "
                           "\xea\xb3\x84\xec\xa0\x95\xec\x9c\xbc\xeb\xa1\x9c ");
    na_test_lacks(html, "Sign in as");
    na_test_confirm_form(html);
}
END_TEST

/* Whatever reaches the page (the link is the attacker's to write) is escaped. */
START_TEST(test_page_email_confirm_escapes)
{
    na_page_view_t v = na_test_view("en");
    const char *html;

    v.callback_url = "\"><script>alert(1)</script>";
    v.csrf_token = "a\"b";
    html = na_page_email_confirm(na_test_pool, &v, "em\"ail", "<img src=x onerror=alert(1)>@x.com",
                                 "t\"><script>alert(2)</script>");
    na_test_lacks(html, "<script>");
    na_test_lacks(html, "<img");
    na_test_contains(html, "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"");
    na_test_contains(html, "name=\"csrfToken\" value=\"a&quot;b\"");
    na_test_contains(html, "action=\"https://example.com/api/auth/callback/em&quot;ail\"");
    na_test_contains(html, "<b style=\"word-break:break-all\">&lt;img src=x "
                           "onerror=alert(1)&gt;@x.com</b>");
    na_test_contains(html, "name=\"token\" value=\"t&quot;&gt;&lt;script&gt;alert(2)"
                           "&lt;/script&gt;\"");
}
END_TEST

START_TEST(test_page_email_confirm_no_callback)
{
    na_page_view_t v = na_test_view("en");
    const char *html;

    v.callback_url = NULL;
    html = na_page_email_confirm(na_test_pool, &v, "email", "alice@example.com", NA_TEST_TOKEN);
    na_test_lacks(html, "name=\"callbackUrl\"");
    na_test_contains(html, "name=\"token\"");
}
END_TEST

/* ---- 429 -------------------------------------------------------------------------------- */

typedef struct na_test_wait_t {
    apr_int64_t retry_after;
    const char *lang;
    const char *text;
} na_test_wait_t;

static const na_test_wait_t na_test_waits[] = {
    {30, "en", "Please wait about a minute before you try again."},
    {60, "en", "Please wait about a minute before you try again."},
    {0, "en", "Please wait about a minute before you try again."},
    {-5, "en", "Please wait about a minute before you try again."},
    {61, "en", "Please wait about 2 minutes before you try again."},
    {600, "en", "Please wait about 10 minutes before you try again."},
    {3599, "en", "Please wait about 60 minutes before you try again."},
    {45, "ko", "1\xeb\xb6\x84 \xec\xa0\x95\xeb\x8f\x84 \xea\xb8\xb0\xeb\x8b\xa4\xeb\xa6\xb0 "},
    {600, "ko", "10\xeb\xb6\x84 \xec\xa0\x95\xeb\x8f\x84 \xea\xb8\xb0\xeb\x8b\xa4\xeb\xa6\xb0 "},
};

START_TEST(test_page_rate_limited)
{
    const na_test_wait_t *tc = &na_test_waits[_i];
    na_page_view_t v = na_test_view(tc->lang);
    const char *html = na_page_rate_limited(na_test_pool, &v, tc->retry_after);

    na_test_contains(html, tc->text);
    na_test_contains(html, apr_pstrcat(na_test_pool, "<html lang=\"", tc->lang, "\">", NULL));
    na_test_lacks(html, "<form");
    na_test_lacks(html, "csrf123");
    na_test_contains(html, "<a class=\"site\" href=\"https://example.com\">example.com</a>");
}
END_TEST

START_TEST(test_page_rate_limited_titles)
{
    na_page_view_t v = na_test_view("en");
    const char *html = na_page_rate_limited(na_test_pool, &v, 300);

    na_test_contains(html, "<title>Too Many Requests</title>");
    na_test_contains(html, "<h1>Too many requests</h1>");
    na_test_contains(html, "There have been too many sign-in attempts.");
    v = na_test_view("ko");
    html = na_page_rate_limited(na_test_pool, &v, 300);
    na_test_contains(html, "<h1>\xec\x9a\x94\xec\xb2\xad\xec\x9d\xb4 \xeb\x84\x88\xeb\xac\xb4 "
                           "\xeb\xa7\x8e\xec\x8a\xb5\xeb\x8b\x88\xeb\x8b\xa4</h1>");
    na_test_lacks(html, "Too many");
}
END_TEST

Suite *suite_page_email(void)
{
    Suite *s = suite_create("page_email");
    TCase *tc = na_test_tcase("confirm");

    tcase_add_test(tc, test_page_email_confirm_en);
    tcase_add_test(tc, test_page_email_confirm_ko);
    tcase_add_test(tc, test_page_email_confirm_escapes);
    tcase_add_test(tc, test_page_email_confirm_no_callback);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("rate_limited");
    tcase_add_loop_test(tc, test_page_rate_limited, 0, NA_TEST_COUNT(na_test_waits));
    tcase_add_test(tc, test_page_rate_limited_titles);
    suite_add_tcase(s, tc);
    return s;
}
