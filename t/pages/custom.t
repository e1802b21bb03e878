# NextAuthPages (SPEC §1.1, §1.4, §1.8, §1.9, §2): with a custom page set, the route
# answers a 302 to <origin><page> carrying exactly the parameters next-auth sends:
#   signIn: callbackUrl=<encoded resolved absolute URL>[&error=<encoded error>]
#   signOut, verifyRequest: nothing; error: error=<value>; newUser: never for credentials.
# Scenarios: custom (every key set, NextAuthSignInAllow *@example.com *@other.org, a
# protected /members), customq (page paths that carry a query: '&' joins). Also the loop
# guard: a request whose callbackUrl query starts with the error page gets the built-in
# page instead of another redirect.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('custom');
my $base = "$origin/api/auth";
my $qorigin = origin('customq');
my $enc_origin = uri_component($origin);

sub location {
    my ($scenario, $path, $want, $what, @headers) = @_;
    my $res = req(GET => url($scenario, $path), \@headers);
    is($res->code, 302, "$what: 302");
    is($res->header('Location'), $want, "$what: Location $want");
    is($res->header('Cache-Control'), 'no-store', "$what: not cacheable");
    is_deeply([header_problems($res)], [], "$what: clean headers");
    return $res;
}

# --- signIn -----------------------------------------------------------------------------------
location('custom', '/api/auth/signin', "$origin/auth/signin?callbackUrl=$enc_origin",
         'signin, fresh visitor');
location('custom', '/api/auth/signin?callbackUrl=%2Ffoo%3Fa%3Db',
         "$origin/auth/signin?callbackUrl=" . uri_component("$origin/foo?a=b"),
         'signin, callbackUrl=/foo?a=b (SPEC example)');
location('custom', '/api/auth/signin?callbackUrl=https%3A%2F%2Fevil.example%2F',
         "$origin/auth/signin?callbackUrl=$enc_origin", 'signin, foreign callbackUrl: the origin');
location('custom', '/api/auth/signin?error=OAuthSignin',
         "$origin/auth/signin?callbackUrl=$enc_origin&error=OAuthSignin",
         'signin?error=OAuthSignin');
location('custom', '/api/auth/signin?error=Some%20thing%26x%3D1',
         "$origin/auth/signin?callbackUrl=$enc_origin&error=Some%20thing%26x%3D1",
         'signin?error=<text>: the error is URI-encoded');
location('custom', '/api/auth/signin/github',
         "$origin/auth/signin?callbackUrl=$enc_origin&error=github",
         'signin/github: the provider id as error (next-auth quirk)');
location('custom', '/api/auth/signin?csrf=true', "$origin/auth/signin?callbackUrl=$enc_origin",
         'signin?csrf=true: nothing of it is passed on');
location('custom', '/api/auth/signin',
         "$origin/auth/signin?callbackUrl=" . uri_component("$origin/from-cookie"),
         'signin with a callback-url cookie: the cookie\'s URL',
         Cookie => 'next-auth.callback-url=' . uri_component("$origin/from-cookie"));
location('custom', '/api/auth/signin?callbackUrl=%2Fq',
         "$origin/auth/signin?callbackUrl=" . uri_component("$origin/q"),
         'signin: the query wins over the cookie',
         Cookie => 'next-auth.callback-url=' . uri_component("$origin/from-cookie"));

# --- signOut, verifyRequest: the page exactly -------------------------------------------------
location('custom', '/api/auth/signout', "$origin/auth/signout", 'signout');
location('custom', '/api/auth/signout?callbackUrl=%2Fx&error=y', "$origin/auth/signout",
         'signout with parameters: none passed on');
location('custom', '/api/auth/verify-request?provider=email&type=email',
         "$origin/auth/verify-request", 'verify-request: provider and type dropped');

# --- error ------------------------------------------------------------------------------------
for my $code (qw(AccessDenied Verification Configuration configuration Default Nonsense)) {
    location('custom', "/api/auth/error?error=$code", "$origin/auth/error?error=$code",
             "error=$code: to the custom error page");
}
location('custom', '/api/auth/error/AccessDenied', "$origin/auth/error?error=AccessDenied",
         'error/AccessDenied (path form)');
location('custom', '/api/auth/error', "$origin/auth/error?error=Default",
         'error without a code: Default');
for my $code (qw(Signin OAuthSignin OAuthCallback OAuthCreateAccount EmailCreateAccount Callback
                 OAuthAccountNotLinked EmailSignin CredentialsSignin SessionRequired)) {
    location('custom', "/api/auth/error?error=$code",
             "$origin/auth/signin?callbackUrl=$enc_origin&error=$code",
             "error=$code: a sign-in code goes to the custom sign-in page");
}

# --- the loop guard ---------------------------------------------------------------------------
for my $cb ('/auth/error', '/auth/error?error=AccessDenied', '/auth/errors') {
    my $res = req(GET => url('custom', '/api/auth/error?error=AccessDenied&callbackUrl='
                             . uri_component($cb)));
    page_headers($res, "loop guard, callbackUrl=$cb", status => 403);
    like($res->content, qr{<h1>Access denied</h1>},
         "loop guard, callbackUrl=$cb: the built-in page");
}
{
    my $res = req(GET => url('custom',
                             '/api/auth/error?error=Configuration&callbackUrl=%2Fauth%2Ferror'));
    is($res->code, 500, 'loop guard, Configuration: the built-in 500 page');
    # Not a prefix of the raw query value: no guard (next-auth compares the raw string).
    location('custom', '/api/auth/error?error=AccessDenied&callbackUrl=%2Fother',
             "$origin/auth/error?error=AccessDenied", 'no loop: another callbackUrl');
    location('custom', '/api/auth/error?error=AccessDenied&callbackUrl='
             . uri_component("$origin/auth/error"),
             "$origin/auth/error?error=AccessDenied",
             'no loop: the absolute URL is no prefix match');
    # A sign-in code is never guarded: it goes to the sign-in page.
    location('custom', '/api/auth/error?error=CredentialsSignin&callbackUrl=%2Fauth%2Ferror',
             "$origin/auth/signin?callbackUrl=" . uri_component("$origin/auth/error")
             . '&error=CredentialsSignin',
             'a sign-in code with callbackUrl=/auth/error: the sign-in page');
}

# --- failures of POST routes land on the custom pages -----------------------------------------
{
    my ($res) = signin_form('custom', 'alice@example.com', 'wrong',
                            fields => [callbackUrl => '/after']);
    is($res->code, 302, 'wrong password: 302');
    is($res->header('Location'),
       "$origin/auth/signin?callbackUrl=" . uri_component("$origin/after")
       . '&error=CredentialsSignin',
       'wrong password: the custom sign-in page with callbackUrl and CredentialsSignin');
    is(session_cookie($res), '', 'wrong password: no session');
    ($res) = signin_form('custom', 'alice@example.com', 'wrong', fields => [json => 'true']);
    is($res->code, 401, 'wrong password, json=true: 401');
    is_deeply(json_of($res),
              { url => "$origin/auth/signin?callbackUrl=$enc_origin&error=CredentialsSignin" },
              'wrong password, json=true: {"url"} of the custom sign-in page');

    ($res) = signin_form('custom', 'mallory@evil.test', password_of('mallory@evil.test'));
    is($res->code, 302, 'NextAuthSignInAllow refusal: 302');
    is($res->header('Location'), "$origin/auth/error?error=AccessDenied",
       'NextAuthSignInAllow refusal: the custom error page with AccessDenied');
    is(session_cookie($res), '', 'NextAuthSignInAllow refusal: no session');
    ($res) = signin_form('custom', 'mallory@evil.test', password_of('mallory@evil.test'),
                         fields => [json => 'true']);
    is($res->code, 403, 'NextAuthSignInAllow refusal, json=true: 403');
    is_deeply(json_of($res), { url => "$origin/auth/error?error=AccessDenied" },
              'NextAuthSignInAllow refusal, json=true: {"url"}');

    # A CSRF failure goes to the built-in route (next-auth), which sends on to the page.
    my $post = req(POST => url('custom', '/api/auth/callback/credentials'),
                   ['Content-Type' => 'application/x-www-form-urlencoded'],
                   form_body(username => 'alice@example.com', password => 'wonderland'));
    is($post->header('Location'), "$base/signin?csrf=true",
       'CSRF failure: <base>/signin?csrf=true');
    location('custom', '/api/auth/signin?csrf=true', "$origin/auth/signin?callbackUrl=$enc_origin",
             'CSRF failure, next hop: the custom sign-in page');
}

# --- newUser is never used for credentials; success goes to the callback URL ------------------
{
    my ($res) = signin_form('custom', 'alice@example.com', 'wonderland',
                            fields => [callbackUrl => '/welcome']);
    is($res->code, 302, 'credentials success: 302');
    is($res->header('Location'), "$origin/welcome",
       'credentials success: to callbackUrl, not newUser');
    ok(session_cookie($res), 'credentials success: a session');
}

# --- a protected location sends browsers to the custom sign-in page ---------------------------
location('custom', '/members/area?x=1',
         "$origin/auth/signin?callbackUrl=" . uri_component("$origin/members/area?x=1"),
         'protected location: the custom sign-in page with callbackUrl');

# --- what a custom page needs stays available -------------------------------------------------
{
    my $res = req(GET => url('custom', '/api/auth/providers'));
    is($res->code, 200, 'providers: 200 for the custom page\'s script');
    is_deeply([sort keys %{ json_of($res) || {} }], [qw(credentials github)], 'providers: both');
    $res = req(GET => url('custom', '/api/auth/csrf'));
    like($res->content, qr/^\{"csrfToken":"[0-9a-f]{64}"\}$/, 'csrf: a token for the custom form');
}

# --- pages that carry a query: parameters joined with '&' -------------------------------------
my $qenc = uri_component($qorigin);
location('customq', '/api/auth/signin', "$qorigin/login?layout=compact&callbackUrl=$qenc",
         'customq signin');
location('customq', '/api/auth/signin?error=SessionRequired',
         "$qorigin/login?layout=compact&callbackUrl=$qenc&error=SessionRequired",
         'customq signin?error=');
location('customq', '/api/auth/error?error=AccessDenied',
         "$qorigin/oops?layout=compact&error=AccessDenied",
         'customq error');
location('customq', '/api/auth/error?error=EmailSignin',
         "$qorigin/login?layout=compact&callbackUrl=$qenc&error=EmailSignin",
         'customq sign-in code');
location('customq', '/api/auth/signout', "$qorigin/bye?from=na",
         'customq signout: the page exactly');
location('customq', '/api/auth/verify-request?provider=email', "$qorigin/mail-sent?from=na",
         'customq verify-request: the page exactly');
{
    my $cb = uri_component('/oops?layout=compact&error=AccessDenied');
    my $res = req(GET => url('customq', "/api/auth/error?error=AccessDenied&callbackUrl=$cb"));
    is($res->code, 403, 'customq loop guard: the built-in page');
}

log_clean($mark);
done_testing();
