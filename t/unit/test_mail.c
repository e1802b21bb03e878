/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include <regex.h>
#include <string.h>

#include <apr_base64.h>

#include "na_mail.h"
#include "na_page.h"
#include "suites.h"

#define NA_TEST_LINK                                                                               \
    "https://Example.com:8443/api/auth/callback/email?callbackUrl=https%3A%2F%2Fexample.com"       \
    "%3A8443%2F&token=0123456789abcdef&email=alice%40example.com"

static void na_test_contains(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) != NULL, "\"%s\" not found in:\n%s", needle, hay);
}

static void na_test_lacks(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) == NULL, "\"%s\" found in:\n%s", needle, hay);
}

/* ---- the sign-in mail ------------------------------------------------------------------- */

START_TEST(test_mail_signin_en)
{
    na_mail_t mail;

    ck_assert_int_eq(
        na_mail_signin(na_test_pool, na_i18n_find("en"), NA_TEST_LINK, NULL, NULL, &mail), NA_OK);
    /* next-auth: subject and text from new URL(url).host */
    ck_assert_str_eq(mail.subject, "Sign in to example.com:8443");
    ck_assert_str_eq(mail.text, "Sign in to example.com:8443\n" NA_TEST_LINK "\n\n");
    ck_assert_str_eq(mail.lang, "en");
    ck_assert_ptr_null(mail.from);
    ck_assert_ptr_null(mail.to);
    na_test_contains(mail.html, "<html lang=\"en\">");
    na_test_contains(mail.html, "Sign in to <strong>example&#8203;.com:8443</strong>");
    na_test_contains(mail.html, "bgcolor=\"#346df1\"");
    na_test_contains(mail.html, "color: #fff; text-decoration: none;");
    na_test_contains(mail.html, "border: 1px solid #346df1;");
    na_test_contains(mail.html, "font-weight: bold;\">Sign in</a>");
    na_test_contains(mail.html, "If you did not request this email you can safely ignore it.");
    /* the link, with its '&' escaped for the attribute */
    na_test_contains(mail.html, "<a href=\"https://Example.com:8443/api/auth/callback/email?"
                                "callbackUrl=https%3A%2F%2Fexample.com%3A8443%2F&amp;token="
                                "0123456789abcdef&amp;email=alice%40example.com\"");
    /* next-auth's HTML-injection fix: the recipient is not shown */
    na_test_lacks(mail.html, "alice@");
    na_test_lacks(mail.html, "example.com:8443</strong>"); /* every dot is broken up */
}
END_TEST

START_TEST(test_mail_signin_ko)
{
    na_mail_t mail;

    ck_assert_int_eq(
        na_mail_signin(na_test_pool, na_i18n_find("ko"), NA_TEST_LINK, "#ff5500", "#000", &mail),
        NA_OK);
    ck_assert_str_eq(mail.subject,
                     "example.com:8443\xec\x97\x90 \xeb\xa1\x9c\xea\xb7\xb8\xec\x9d\xb8");
    ck_assert_str_eq(mail.text, "example.com:8443\xec\x97\x90 \xeb\xa1\x9c\xea\xb7\xb8\xec\x9d\xb8"
                                "\n" NA_TEST_LINK "\n\n");
    ck_assert_str_eq(mail.lang, "ko");
    na_test_contains(mail.html, "<html lang=\"ko\">");
    na_test_contains(mail.html, "<strong>example&#8203;.com:8443</strong>\xec\x97\x90 ");
    na_test_contains(mail.html, "bgcolor=\"#ff5500\"");
    na_test_contains(mail.html, "color: #000; text-decoration: none;");
    na_test_contains(mail.html, "\">\xeb\xa1\x9c\xea\xb7\xb8\xec\x9d\xb8</a>");
    na_test_lacks(mail.html, "If you did not request");
    /* no catalogue: English */
    ck_assert_int_eq(na_mail_signin(na_test_pool, NULL, NA_TEST_LINK, NULL, NULL, &mail), NA_OK);
    ck_assert_str_eq(mail.lang, "en");
}
END_TEST

/* A colour that is not #hex never reaches a style attribute; the default is used. */
static const char *const na_test_bad_colors[] = {
    "red", "#12345", "#ggg",        "#fff\" onmouseover=\"alert(1)", "#fff;background:url(x)",
    "",    "ff0000", "#1234567890",
};

START_TEST(test_mail_signin_bad_colors)
{
    na_mail_t mail;
    const char *bad = na_test_bad_colors[_i];

    ck_assert_int_eq(na_mail_signin(na_test_pool, NULL, NA_TEST_LINK, bad, bad, &mail), NA_OK);
    na_test_contains(mail.html, "bgcolor=\"#346df1\"");
    na_test_contains(mail.html, "color: #fff; text-decoration: none;");
    if (*bad) {
        na_test_lacks(mail.html, bad);
    }
}
END_TEST

START_TEST(test_mail_signin_escapes)
{
    na_mail_t mail;

    ck_assert_int_eq(na_mail_signin(na_test_pool, NULL,
                                    "http://x.example/cb?a=<script>alert(1)</script>&b=\"'", NULL,
                                    NULL, &mail),
                     NA_OK);
    na_test_lacks(mail.html, "<script>");
    na_test_contains(mail.html, "a=&lt;script&gt;alert(1)&lt;/script&gt;&amp;b=&quot;&#39;\"");
    ck_assert_int_eq(na_mail_signin(na_test_pool, NULL, "http://a<b>.example/x", NULL, NULL, &mail),
                     NA_OK);
    na_test_contains(mail.html, "<strong>a&lt;b&gt;&#8203;.example</strong>");
}
END_TEST

static const char *const na_test_bad_links[] = {
    "",
    "javascript:alert(1)",
    "ftp://example.com/x",
    "http://",
    "https:///path",
    "//example.com/x",
    "http://example.com/\r\nBcc: x@y.com",
    "http://example.com/\xff",
    "example.com/x",
};

START_TEST(test_mail_signin_bad_links)
{
    na_mail_t mail;

    ck_assert_int_eq(na_mail_signin(na_test_pool, NULL, na_test_bad_links[_i], NULL, NULL, &mail),
                     NA_EINPUT);
}
END_TEST

START_TEST(test_mail_signin_null_link)
{
    na_mail_t mail;

    ck_assert_int_eq(na_mail_signin(na_test_pool, NULL, NULL, NULL, NULL, &mail), NA_EINPUT);
}
END_TEST

START_TEST(test_mail_url_host)
{
    ck_assert_str_eq(na_mail_url_host(na_test_pool, "http://Example.COM/x"), "example.com");
    ck_assert_str_eq(na_mail_url_host(na_test_pool, "https://example.com:8443"),
                     "example.com:8443");
    ck_assert_str_eq(na_mail_url_host(na_test_pool, "http://[::1]:8080/x?y#z"), "[::1]:8080");
    ck_assert_str_eq(na_mail_url_host(na_test_pool, "http://u:p@example.com/x"), "example.com");
    ck_assert_str_eq(na_mail_url_host(na_test_pool, "http://a@evil.com@good.com/x"), "good.com");
    ck_assert_str_eq(na_mail_url_host(na_test_pool, "http://example.com?x=@y"), "example.com");
    ck_assert_ptr_null(na_mail_url_host(na_test_pool, "http://u@/x"));
    ck_assert_ptr_null(na_mail_url_host(na_test_pool, "mailto:a@b.com"));
    ck_assert_ptr_null(na_mail_url_host(na_test_pool, NULL));
}
END_TEST

/* ---- header values ---------------------------------------------------------------------- */

START_TEST(test_mail_header_ok)
{
    ck_assert(na_mail_header_ok("Sign in to example.com"));
    ck_assert(na_mail_header_ok("example.com\xec\x97\x90 \xeb\xa1\x9c\xea\xb7\xb8\xec\x9d\xb8"));
    ck_assert(na_mail_header_ok(""));
    ck_assert(!na_mail_header_ok("Hi\r\nBcc: x@y.com"));
    ck_assert(!na_mail_header_ok("Hi\nBcc: x@y.com"));
    ck_assert(!na_mail_header_ok("Hi\rBcc: x@y.com"));
    ck_assert(!na_mail_header_ok("a\x01"
                                 "b"));
    ck_assert(!na_mail_header_ok("a\xc2\x85"
                                 "b")); /* NEL */
    ck_assert(!na_mail_header_ok("a\xff"));
    ck_assert(!na_mail_header_ok(NULL));
}
END_TEST

typedef struct na_test_from_t {
    const char *from;
    const char *addr; /* NULL: refused */
    const char *name;
} na_test_from_t;

static const na_test_from_t na_test_froms[] = {
    {"noreply@example.com", "noreply@example.com", NULL},
    {"<noreply@example.com>", "noreply@example.com", NULL},
    {"  NextAuth <no-reply@example.com>  ", "no-reply@example.com", "NextAuth"},
    {"Example Site <noreply@example.com>", "noreply@example.com", "Example Site"},
    {"\"Example, Inc.\" <noreply@example.com>", "noreply@example.com", "Example, Inc."},
    {"\xec\x82\xac\xec\x9d\xb4\xed\x8a\xb8 <noreply@example.com>", "noreply@example.com",
     "\xec\x82\xac\xec\x9d\xb4\xed\x8a\xb8"},
    {"a@b.com, c@d.com", NULL, NULL},
    {"Name <a@b.com", NULL, NULL},
    {"Name a@b.com>", NULL, NULL},
    {"noreply", NULL, NULL},
    {"a@b@c.com", NULL, NULL},
    {"@b.com", NULL, NULL},
    {"a@", NULL, NULL},
    {"Name <a@b.com>\r\nBcc: x@y.com", NULL, NULL},
    {"Name <a@b.com\nBcc: x@y.com>", NULL, NULL},
    {"Na\"me <a@b.com>", NULL, NULL},
    {"Name <a b@c.com>", NULL, NULL},
    {"Name <x@y.com> <a@b.com>", NULL, NULL},
    {"<>", NULL, NULL},
    {"", NULL, NULL},
};

START_TEST(test_mail_from_address)
{
    const na_test_from_t *tc = &na_test_froms[_i];
    const char *name = "unchanged";
    const char *addr = na_mail_from_address(na_test_pool, tc->from, &name);

    if (tc->addr == NULL) {
        ck_assert_msg(addr == NULL, "from case %d accepted as %s", _i, addr);
        return;
    }
    ck_assert_msg(addr != NULL, "from case %d refused", _i);
    ck_assert_str_eq(addr, tc->addr);
    if (tc->name) {
        ck_assert_str_eq(name, tc->name);
    }
    else {
        ck_assert_ptr_null(name);
    }
}
END_TEST

/* Decodes one "=?UTF-8?B?...?=" word; NULL when it is not one. */
static const char *na_test_decode_word(const char *word, apr_size_t len)
{
    char *b64, *out;
    int n;

    if (len < 12 || strncmp(word, "=?UTF-8?B?", 10) != 0 || strncmp(word + len - 2, "?=", 2)) {
        return NULL;
    }
    b64 = apr_pstrmemdup(na_test_pool, word + 10, len - 12);
    out = apr_palloc(na_test_pool, (apr_size_t)apr_base64_decode_len(b64) + 1);
    n = apr_base64_decode(out, b64);
    out[n] = '\0';
    return out;
}

START_TEST(test_mail_encode_words)
{
    const char *korean = "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4"; /* 한국어 */
    const char *enc, *c;
    apr_array_header_t *parts = apr_array_make(na_test_pool, 8, sizeof(const char *));
    const char *long_subject;
    int i, words = 0;

    ck_assert_str_eq(na_mail_encode_words(na_test_pool, "Sign in to example.com"),
                     "Sign in to example.com");
    ck_assert_str_eq(na_mail_encode_words(na_test_pool, ""), "");
    ck_assert_str_eq(na_mail_encode_words(na_test_pool, korean), "=?UTF-8?B?7ZWc6rWt7Ja0?=");
    /* text that would read as an encoded word is encoded itself */
    ck_assert_str_eq(na_mail_encode_words(na_test_pool, "=?x?="), "=?UTF-8?B?PT94Pz0=?=");

    for (i = 0; i < 20; i++) {
        APR_ARRAY_PUSH(parts, const char *) = korean;
        APR_ARRAY_PUSH(parts, const char *) = " ";
    }
    long_subject = apr_array_pstrcat(na_test_pool, parts, 0);
    enc = na_mail_encode_words(na_test_pool, long_subject);
    /* words of at most 64 characters, folded with CRLF SP, each whole UTF-8 */
    apr_array_clear(parts);
    for (c = enc;;) {
        const char *end = strstr(c, "\r\n ");
        apr_size_t len = end ? (apr_size_t)(end - c) : strlen(c);
        const char *dec = na_test_decode_word(c, len);
        ck_assert_msg(dec != NULL, "not an encoded word: %.*s", (int)len, c);
        ck_assert_uint_le(len, 64);
        ck_assert(na_page_utf8_ok(dec));
        APR_ARRAY_PUSH(parts, const char *) = dec;
        words++;
        if (end == NULL) {
            break;
        }
        c = end + 3;
    }
    ck_assert_int_gt(words, 3);
    ck_assert_str_eq(apr_array_pstrcat(na_test_pool, parts, 0), long_subject);
}
END_TEST

static na_mail_t na_test_mail(void)
{
    na_mail_t mail = {"Example <noreply@example.com>",
                      "alice@example.com",
                      "Sign in to example.com",
                      "text",
                      "<p>html</p>",
                      "ko"};
    return mail;
}

static const char *na_test_header(const apr_array_header_t *h, const char *name)
{
    apr_size_t n = strlen(name);
    int i;

    for (i = 0; i < h->nelts; i++) {
        const char *line = APR_ARRAY_IDX(h, i, const char *);
        if (strncmp(line, name, n) == 0 && line[n] == ':' && line[n + 1] == ' ') {
            return line + n + 2;
        }
    }
    return NULL;
}

START_TEST(test_mail_headers)
{
    na_mail_t mail = na_test_mail();
    apr_array_header_t *h = NULL;
    regex_t re;
    int rc;

    ck_assert_int_eq(na_mail_headers(na_test_pool, &mail, apr_time_from_sec(1764300000), &h, NULL),
                     NA_OK);
    ck_assert_str_eq(na_test_header(h, "From"), "\"Example\" <noreply@example.com>");
    ck_assert_str_eq(na_test_header(h, "To"), "alice@example.com");
    ck_assert_str_eq(na_test_header(h, "Subject"), "Sign in to example.com");
    ck_assert_str_eq(na_test_header(h, "Date"), "Fri, 28 Nov 2025 03:20:00 +0000");
    ck_assert_str_eq(na_test_header(h, "MIME-Version"), "1.0");
    ck_assert_str_eq(na_test_header(h, "Content-Language"), "ko");
    ck_assert_str_eq(na_test_header(h, "Content-Type"), "multipart/alternative");
    ck_assert_int_eq(regcomp(&re, "^<[0-9a-f]{32}@example\\.com>$", REG_EXTENDED | REG_NOSUB), 0);
    rc = regexec(&re, na_test_header(h, "Message-ID"), 0, NULL, 0);
    regfree(&re);
    ck_assert_msg(rc == 0, "Message-ID %s", na_test_header(h, "Message-ID"));

    /* non-ASCII: encoded words; a non-ASCII sender domain is kept out of Message-ID */
    mail.from = "\xec\x82\xac\xec\x9d\xb4\xed\x8a\xb8 <noreply@\xec\x98\x88\xec\x8b\x9c.kr>";
    mail.subject = "example.com\xec\x97\x90 \xeb\xa1\x9c\xea\xb7\xb8\xec\x9d\xb8";
    mail.lang = "ko\r\nBcc: x@y.com";
    ck_assert_int_eq(na_mail_headers(na_test_pool, &mail, apr_time_from_sec(0), &h, NULL), NA_OK);
    ck_assert_str_eq(na_test_header(h, "From"),
                     "=?UTF-8?B?7IKs7J207Yq4?= <noreply@\xec\x98\x88\xec\x8b\x9c.kr>");
    ck_assert_str_eq(na_test_header(h, "Subject"), "=?UTF-8?B?ZXhhbXBsZS5jb23sl5Ag66Gc6re47J24?=");
    ck_assert_str_eq(na_test_header(h, "Date"), "Thu, 01 Jan 1970 00:00:00 +0000");
    ck_assert_ptr_nonnull(strstr(na_test_header(h, "Message-ID"), "@mod_nextauth.invalid>"));
    ck_assert_ptr_null(na_test_header(h, "Content-Language")); /* not a language tag */
    ck_assert_ptr_null(na_test_header(h, "Bcc"));
}
END_TEST

/* Every way a CR or LF could reach the header block is refused before any connection. */
START_TEST(test_mail_headers_refused)
{
    na_mail_t mail = na_test_mail();
    apr_array_header_t *h = NULL;
    na_err_t err = {0};
    const char *what;

    switch (_i) {
    case 0:
        mail.subject = "Hi\r\nBcc: victim@example.com";
        what = "subject CRLF";
        break;
    case 1:
        mail.subject = "Hi\nBcc: victim@example.com";
        what = "subject LF";
        break;
    case 2:
        mail.to = "alice@example.com\r\nBcc: victim@example.com";
        what = "to CRLF";
        break;
    case 3:
        mail.to = "alice@example.com, victim@example.com";
        what = "to list";
        break;
    case 4:
        mail.from = "Ex <noreply@example.com>\r\nBcc: v@example.com";
        what = "from";
        break;
    case 5:
        mail.from = "noreply";
        what = "from no @";
        break;
    case 6:
        mail.subject = NULL;
        what = "no subject";
        break;
    case 7:
        mail.to = NULL;
        what = "no to";
        break;
    default:
        mail.subject = "a\xff";
        what = "subject not UTF-8";
        break;
    }
    ck_assert_msg(na_mail_headers(na_test_pool, &mail, apr_time_now(), &h, &err) == NA_EINPUT,
                  "%s was not refused", what);
    ck_assert_ptr_null(h);
    ck_assert_str_eq(err.code, "EmailSignin");
}
END_TEST

/* ---- na_smtp_send without a server ------------------------------------------------------ */

START_TEST(test_smtp_send_refuses_before_connecting)
{
    na_mail_t mail = na_test_mail();
    na_smtp_conf_t conf = {"smtp://127.0.0.1:1", NA_SMTP_TLS_TRY, 2, NULL};
    na_err_t err = {0};

    mail.subject = "Hi\r\nBcc: victim@example.com";
    ck_assert_int_eq(na_smtp_send(na_test_pool, &conf, &mail, &err), NA_EINPUT);
    ck_assert_int_eq(na_smtp_send(na_test_pool, NULL, &mail, &err), NA_EINPUT);
    mail = na_test_mail();
    mail.html = NULL;
    ck_assert_int_eq(na_smtp_send(na_test_pool, &conf, &mail, &err), NA_EINPUT);
    /* only smtp and smtps are spoken */
    mail = na_test_mail();
    conf.server = "http://127.0.0.1:1/";
    ck_assert_int_eq(na_smtp_send(na_test_pool, &conf, &mail, &err), NA_EINPUT);
    conf.server = "file:///etc/passwd";
    ck_assert_int_eq(na_smtp_send(na_test_pool, &conf, &mail, &err), NA_EINPUT);
}
END_TEST

START_TEST(test_smtp_send_server_down)
{
    na_mail_t mail = na_test_mail();
    na_smtp_conf_t conf = {"smtp://mailer:hunter2@127.0.0.1:1", NA_SMTP_TLS_TRY, 2, NULL};
    na_err_t err = {0};
    apr_time_t start = apr_time_now();

    ck_assert_int_eq(na_smtp_send(na_test_pool, &conf, &mail, &err), NA_EPEER);
    ck_assert_int_lt(apr_time_now() - start, apr_time_from_sec(2));
    ck_assert_str_eq(err.code, "EmailSignin");
    ck_assert_ptr_nonnull(strstr(err.detail, "smtp://127.0.0.1:1"));
    ck_assert_ptr_null(strstr(err.detail, "hunter2"));
    ck_assert_ptr_null(strstr(err.detail, "mailer"));
    ck_assert_int_ne(err.os_status, 0);
}
END_TEST

Suite *suite_mail(void)
{
    Suite *s = suite_create("mail");
    TCase *tc = na_test_tcase("signin");

    tcase_add_test(tc, test_mail_signin_en);
    tcase_add_test(tc, test_mail_signin_ko);
    tcase_add_loop_test(tc, test_mail_signin_bad_colors, 0, NA_TEST_COUNT(na_test_bad_colors));
    tcase_add_test(tc, test_mail_signin_escapes);
    tcase_add_loop_test(tc, test_mail_signin_bad_links, 0, NA_TEST_COUNT(na_test_bad_links));
    tcase_add_test(tc, test_mail_signin_null_link);
    tcase_add_test(tc, test_mail_url_host);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("headers");
    tcase_add_test(tc, test_mail_header_ok);
    tcase_add_loop_test(tc, test_mail_from_address, 0, NA_TEST_COUNT(na_test_froms));
    tcase_add_test(tc, test_mail_encode_words);
    tcase_add_test(tc, test_mail_headers);
    tcase_add_loop_test(tc, test_mail_headers_refused, 0, 9);
    suite_add_tcase(s, tc);
    tc = na_test_tcase("smtp");
    tcase_add_test(tc, test_smtp_send_refuses_before_connecting);
    tcase_add_test(tc, test_smtp_send_server_down);
    suite_add_tcase(s, tc);
    return s;
}
