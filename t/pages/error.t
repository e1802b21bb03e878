# GET <base>/error (SPEC §1.9, §3; scenario default, no custom pages): the sign-in-page
# codes go 302 to <base>/signin?error=CODE (matched exactly, as next-auth does), both
# as ?error= and as the path form error/CODE; the error-page codes render with next-auth's
# status, matched case-insensitively: Configuration 500, AccessDenied 403, Verification
# 403, anything else (Default, unknown, empty, absent) the generic page with 200.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('default');
my $base = "$origin/api/auth";
(my $host = $origin) =~ s{^http://}{};

my @SIGNIN = qw(Signin OAuthSignin OAuthCallback OAuthCreateAccount EmailCreateAccount
                Callback OAuthAccountNotLinked EmailSignin CredentialsSignin SessionRequired);

for my $code (@SIGNIN) {
    for my $path ("/api/auth/error?error=$code", "/api/auth/error/$code") {
        my $res = req(GET => url('default', $path));
        is($res->code, 302, "GET $path: 302");
        is($res->header('Location'), "$base/signin?error=$code", "GET $path: to the sign-in page");
        is($res->header('Cache-Control'), 'no-store', "GET $path: not cacheable");
    }
    # Extra parameters are lost in this hop, as in next-auth.
    my $res = req(GET => url('default', "/api/auth/error?error=$code&provider=credentials"));
    is($res->header('Location'), "$base/signin?error=$code",
       "$code&provider=...: only error is kept");
}

# One per error-page type: [error value, status, heading, message, sign-in button, site link].
my @PAGES = (
    ['Configuration', 500, 'Server error', 'The server is not configured correctly.', 0, 0],
    ['configuration', 500, 'Server error', 'The server is not configured correctly.', 0, 0],
    ['CONFIGURATION', 500, 'Server error', 'The server is not configured correctly.', 0, 0],
    ['AccessDenied', 403, 'Access denied', 'This account is not allowed to sign in here.', 1, 0],
    ['accessdenied', 403, 'Access denied', 'This account is not allowed to sign in here.', 1, 0],
    ['Verification', 403, 'Unable to sign in', 'This sign-in link is not valid any more.', 1, 0],
    ['vErIfIcAtIoN', 403, 'Unable to sign in', 'This sign-in link is not valid any more.', 1, 0],
    ['Default', 200, 'Error', 'Something went wrong. Go back to', 0, 1],
    ['default', 200, 'Error', 'Something went wrong. Go back to', 0, 1],
    ['Nonsense', 200, 'Error', 'Something went wrong. Go back to', 0, 1],
    ['credentialssignin', 200, 'Error', 'Something went wrong. Go back to', 0,
     1],  # case matters here
    ['SIGNIN', 200, 'Error', 'Something went wrong. Go back to', 0, 1],
    ['', 200, 'Error', 'Something went wrong. Go back to', 0, 1],
    [undef, 200, 'Error', 'Something went wrong. Go back to', 0, 1],
);
for my $case (@PAGES) {
    my ($code, $status, $heading, $text, $button, $site) = @$case;
    my $path = defined $code ? '/api/auth/error?error=' . uri_component($code) : '/api/auth/error';
    my $what = 'error=' . ($code // '(absent)');
    my $res = req(GET => url('default', $path));
    page_headers($res, $what, status => $status);
    my $html = $res->content;
    is_deeply([html_problems($html)], [], "$what: well-formed, no script");
    like($html, qr{<title>Error</title>}, "$what: title");
    like($html,
         qr{<div\ class="error">(?:<img[^>]*>)?<div\ class="card"><h1>\Q$heading\E</h1>
            <div\ class="message"><p>\Q$text\E</p>}x,
         "$what: heading '$heading' and its message");
    my $signin = qr{<a class="button" href="\Q$base\E/signin">Sign in</a>};
    if ($button) { like($html, $signin, "$what: a Sign in button to $base/signin") }
    else         { unlike($html, $signin, "$what: no Sign in button") }
    my $link = qr{<p><a class="site" href="\Q$origin\E">\Q$host\E</a></p>};
    if ($site) { like($html, $link, "$what: a link to the site, showing its host") }
    else       { unlike($html, $link, "$what: no site link") }
    like($html, qr/The server is not configured|Its administrator/, "$what: the configuration hint")
        if $status == 500;
    unlike($html, qr/\Q$code\E/, "$what: the raw error value is not echoed")
        if defined $code && length $code > 7 && $code !~ /^(?:Default|Error)$/i;
}

# The path form works for error-page codes too.
{
    my $res = req(GET => url('default', '/api/auth/error/AccessDenied'));
    is($res->code, 403, 'error/AccessDenied: 403 like ?error=AccessDenied');
    $res = req(GET => url('default', '/api/auth/error/Verification?error=Configuration'));
    is($res->code, 500, 'the query wins over the path segment (next-auth: query.error ?? segment)');
}

# A sign-in code reached through the error route lands on a page that shows it.
{
    my $res = req(GET => url('default', '/api/auth/error?error=CredentialsSignin'));
    my $next = req(GET => $res->header('Location'));
    is($next->code, 200, 'following the redirect: the sign-in page');
    like($next->content, qr{<div class="banner" role="alert"><p>Sign-in failed\.},
         'following the redirect: the CredentialsSignin banner');
}

log_clean($mark);
done_testing();
