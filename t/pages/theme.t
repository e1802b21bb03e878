# NextAuthTheme (issue 3 item 4, SPEC §11 "Theme"):
#   theme: colorScheme=dark brandColor=#ff6600 buttonText=#0a0b0c and a logo on
#     https://cdn.example.com:8443 whose URL needs escaping (&, <);
#   themelight: colorScheme=light, a logo URL with a query but no path;
#   default: no theme (colorScheme auto).
# The body class names the scheme, the colours go into the page's own style as
# --brand-color / --button-text-color, the logo is an <img class="logo"> with an escaped
# src on every page, and the CSP's img-src admits the logo's origin (and only that).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $LOGO_CSP = "default-src 'none'; img-src 'self' data: https://cdn.example.com:8443; "
             . "style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";
my $LOGO_IMG = '<img src="https://cdn.example.com:8443/img/logo.svg?a=1&amp;b=q&lt;i&gt;" '
             . 'alt="Logo" class="logo">';

for my $page ('/api/auth/signin', '/api/auth/signout', '/api/auth/verify-request',
              '/api/auth/error?error=AccessDenied', '/api/auth/error?error=Default') {
    my $res = req(GET => url('theme', $page));
    my $status = $page =~ /AccessDenied/ ? 403 : 200;
    page_headers($res, "theme $page", status => $status, csp => $LOGO_CSP);
    my $html = $res->content;
    is_deeply([html_problems($html)], [], "theme $page: well-formed, no script");
    like($html, qr{<body class="__next-auth-theme-dark">}, "theme $page: body class dark");
    like($html, qr{<style>[^<]*:root\{--brand-color:#ff6600;--button-text-color:#0a0b0c;\}</style>},
         "theme $page: brand and button text colours in the page's style");
    like($html, qr{<div class="card">}, "theme $page: the card");
    like($html, qr{\Q$LOGO_IMG\E<div class="card">},
         "theme $page: the logo, escaped, above the card");
    is(scalar(() = $html =~ /class="logo"/g), 1, "theme $page: one logo");
}
{
    # The submit button takes the brand colours through the stylesheet.
    my $html = req(GET => url('theme', '/api/auth/signin'))->content;
    like($html,
         qr{\#submitButton\{color:var\(--button-text-color,[^)]*\)\);?
            background-color:var\(--brand-color,}x,
         'theme: #submitButton uses --button-text-color and --brand-color');
}

{
    my $res = req(GET => url('themelight', '/api/auth/signin'));
    my $html = $res->content;
    is($res->code, 200, 'themelight: 200');
    like($html, qr{<body class="__next-auth-theme-light">}, 'themelight: body class light');
    unlike($html, qr/--brand-color:#/, 'themelight: no brand colour set');
    like($html, qr{<img src="https://img\.example\.net\?v=2" alt="Logo" class="logo">},
         'themelight: the logo');
    my $csp = $res->header('Content-Security-Policy') // '';
    like($csp, qr{^default-src 'none'; img-src 'self' data: https://img\.example\.net},
         'themelight: img-src mentions the logo\'s host');
    is($csp, "default-src 'none'; img-src 'self' data: https://img.example.net; "
             . "style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
       'themelight: img-src names just the origin (a source with ?query is invalid CSP)');
}

{
    my $res = req(GET => url('default', '/api/auth/signin'));
    like($res->content, qr{<body class="__next-auth-theme-auto">}, 'no theme: body class auto');
    like($res->content, qr{\@media \(prefers-color-scheme:\s*dark\)\{\.__next-auth-theme-auto\{},
         'no theme: auto follows prefers-color-scheme');
    is($res->header('Content-Security-Policy'), PAGE_CSP, 'no theme: img-src only self and data:');
}

log_clean($mark);
done_testing();
