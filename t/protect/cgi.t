# AuthType NextAuth in front of a CGI (scenario protect; t/htdocs/protect/cgi/echo.cgi
# prints REMOTE_USER, AUTH_TYPE and every HTTP_* variable it got). Each /cgi*/ location
# is the same script under another Require line or NextAuth* setting:
#   /cgi/ valid-user · /cgi-user/ Require user alice@example.com ·
#   /cgi-email/ Require nextauth-email *@example.com · /cgi-provider/ credentials ·
#   /cgi-otherprovider/ github gitlab · /cgi-noid/ NextAuthIdentityHeaders Off ·
#   /cgi-strip/ NextAuthStripCookies On · /cgi-nostrip/ Off · /cgi-401/
#   NextAuthUnauthenticated 401 · /cgi-pass/ pass + Require all granted · /cgi-open/ none.
# Sessions come from real credentials sign-ins (t/conf/people.htpasswd): alice@example.com,
# bob@other.org, and carol, whose name is not an e-mail address.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('protect');
my %IDENTITY = map { ("HTTP_X_NEXTAUTH_$_" => 1) } qw(EMAIL NAME SUB PROVIDER IMAGE);

my $alice = signin('protect', 'alice@example.com');
my $bob = signin('protect', 'bob@other.org');
my $carol = signin('protect', 'carol');

sub get {
    my ($path, @headers) = @_;
    return req(GET => url('protect', $path), \@headers);
}

# 200 from the echo CGI; returns its environment.
sub served {
    my ($path, $what, @headers) = @_;
    my $res = get($path, @headers);
    is($res->code, 200, "$what: 200");
    my $env = echo_of($res);
    ok($env, "$what: the CGI ran") or diag($res->as_string);
    return $env || {};
}

sub identity_of {
    my ($env) = @_;
    my @keys = grep { /^HTTP_X_NEXTAUTH/ || $_ eq 'REMOTE_USER' } keys %$env;
    return { map { $_ => $env->{$_} } @keys };
}

# A signed-in user whom the Require line refuses. Expected: 403. Observed (module bug,
# see the report): httpd's mod_authz_core answers 401 *without* a WWW-Authenticate header
# (it returns HTTP_UNAUTHORIZED for an authenticated user unless
# AuthzSendForbiddenOnFailure is on, and the module registers no note_auth_failure hook
# for AuthType NextAuth), which tells a client "not signed in" when it is.
sub forbidden {
    my ($path, $what, @headers) = @_;
    my $res = get($path, @headers);
    ok($res->code == 403 || $res->code == 401, "$what: refused (403 or 401)");
    is($res->code, 403, "$what: 403");
    ok(!defined $res->header('WWW-Authenticate'), "$what: no WWW-Authenticate (not a sign-in question)");
    # Without AuthzSendForbiddenOnFailure (all but /cgi-user/): NextAuth's AccessDenied page.
    like($res->content, qr{<h1>Access denied</h1>}, "$what: the AccessDenied page") unless $path =~ m{^/cgi-user/};
    ok(!echo_of($res), "$what: the CGI did not run");
    ok(!defined $res->header('Location'), "$what: no redirect for a signed-in user");
}

sub to_signin {
    my ($path, $what, @headers) = @_;
    my $res = get($path, @headers);
    is($res->code, 302, "$what: 302");
    is($res->header('Location'),
       "$origin/api/auth/signin?callbackUrl=" . uri_component("$origin$path"),
       "$what: to sign-in with callbackUrl = the requested URL");
    ok(!echo_of($res), "$what: the CGI did not run");
}

# --- Require valid-user -----------------------------------------------------------------
to_signin('/cgi/echo.cgi', 'no session');
to_signin('/cgi/echo.cgi/extra/path?q=%22x%22&r=1', 'no session, path info and query');
for my $h (['Accept' => 'application/json'], ['X-Requested-With' => 'XMLHttpRequest'],
           ['Sec-Fetch-Mode' => 'cors']) {
    my $res = get('/cgi/echo.cgi', @$h);
    is($res->code, 401, "no session, $h->[0]: $h->[1]: 401");
    is($res->header('WWW-Authenticate'), 'NextAuth', "$h->[0]: WWW-Authenticate: NextAuth");
    ok(!echo_of($res), "$h->[0]: the CGI did not run");
}
{
    my $res = req(POST => url('protect', '/cgi/echo.cgi'),
                  ['Content-Type' => 'application/x-www-form-urlencoded'], 'a=1');
    is($res->code, 401, 'no session, POST: 401');
    ok(!echo_of($res), 'no session, POST: the CGI did not run');
}
{
    my $env = served('/cgi/echo.cgi/p?x=1', 'alice', Cookie => $alice);
    is($env->{REMOTE_USER}, 'alice@example.com', 'alice: REMOTE_USER is her e-mail');
    is($env->{AUTH_TYPE}, 'NextAuth', 'alice: AUTH_TYPE NextAuth');
    is($env->{HTTP_X_NEXTAUTH_EMAIL}, 'alice@example.com', 'alice: X-NextAuth-Email');
    is($env->{HTTP_X_NEXTAUTH_NAME}, 'alice@example.com', 'alice: X-NextAuth-Name (the user name)');
    is($env->{HTTP_X_NEXTAUTH_SUB}, 'alice@example.com', 'alice: X-NextAuth-Sub');
    is($env->{HTTP_X_NEXTAUTH_PROVIDER}, 'credentials', 'alice: X-NextAuth-Provider');
    ok(!exists $env->{HTTP_X_NEXTAUTH_IMAGE}, 'alice: no X-NextAuth-Image (no picture)');
    is($env->{PATH_INFO}, '/p', 'alice: path info reaches the CGI');
    is($env->{QUERY_STRING}, 'x=1', 'alice: query reaches the CGI');
}
{
    my $env = served('/cgi/echo.cgi', 'carol (not an e-mail)', Cookie => $carol);
    # Not a bare subject (issue 11): another provider's user "carol" must not be her.
    is($env->{REMOTE_USER}, 'credentials:carol', 'carol: REMOTE_USER is provider:subject');
    ok(!exists $env->{HTTP_X_NEXTAUTH_EMAIL}, 'carol: no X-NextAuth-Email');
    is($env->{HTTP_X_NEXTAUTH_NAME}, 'carol', 'carol: X-NextAuth-Name');
    is($env->{HTTP_X_NEXTAUTH_SUB}, 'carol', 'carol: X-NextAuth-Sub');
}
{
    # Spoofed identity headers next to a real session: only the session's values arrive.
    my $env = served('/cgi/echo.cgi', 'alice with spoofed headers', Cookie => $alice,
                     'X-NextAuth-Email' => 'mallory@evil.test',
                     'x-nextauth-name' => 'Mallory', ':X_NextAuth_Sub' => 'mallory',
                     'X-NEXTAUTH-PROVIDER' => 'github',
                     'X-NextAuth-Image' => 'https://evil.test/i.png',
                     ':X_NEXTAUTH_IMAGE' => 'https://evil.test/j.png');
    is($env->{HTTP_X_NEXTAUTH_EMAIL}, 'alice@example.com', 'spoof: the e-mail is the session\'s');
    is($env->{HTTP_X_NEXTAUTH_NAME}, 'alice@example.com', 'spoof: the name is the session\'s');
    is($env->{HTTP_X_NEXTAUTH_SUB}, 'alice@example.com', 'spoof: the subject is the session\'s');
    is($env->{HTTP_X_NEXTAUTH_PROVIDER}, 'credentials', 'spoof: the provider is the session\'s');
    ok(!exists $env->{HTTP_X_NEXTAUTH_IMAGE}, 'spoof: no image arrives (the session has none)');
    unlike(join("\n", %$env), qr/mallory|evil\.test/i, 'spoof: no spoofed value anywhere');
}

# --- Require user EMAIL -----------------------------------------------------------------
to_signin('/cgi-user/echo.cgi', 'Require user: no session');
is(served('/cgi-user/echo.cgi', 'Require user: alice', Cookie => $alice)->{REMOTE_USER},
   'alice@example.com', 'Require user: alice is the user');
forbidden('/cgi-user/echo.cgi', 'Require user: bob', Cookie => $bob);
forbidden('/cgi-user/echo.cgi', 'Require user: carol', Cookie => $carol);
forbidden('/cgi-user/echo.cgi', 'Require user: bob claiming to be alice', Cookie => $bob,
          'X-NextAuth-Email' => 'alice@example.com');

# --- Require nextauth-email PATTERN -----------------------------------------------------
to_signin('/cgi-email/echo.cgi', 'nextauth-email: no session');
served('/cgi-email/echo.cgi', 'nextauth-email *@example.com: alice', Cookie => $alice);
forbidden('/cgi-email/echo.cgi', 'nextauth-email *@example.com: bob@other.org', Cookie => $bob);
forbidden('/cgi-email/echo.cgi', 'nextauth-email: carol has no e-mail', Cookie => $carol);
{
    my $res = get('/cgi-email/echo.cgi', Cookie => $bob, Accept => 'application/json');
    ok(!echo_of($res), 'nextauth-email: a refused JSON client with a session is not served');
    is($res->code, 403, 'nextauth-email: a refused JSON client with a session gets 403, not 401');
    is($res->content, '{"error":"AccessDenied"}', 'nextauth-email: a refused JSON client gets AccessDenied JSON');
}

# --- Require nextauth-provider ID -------------------------------------------------------
to_signin('/cgi-provider/echo.cgi', 'nextauth-provider: no session');
is(served('/cgi-provider/echo.cgi', 'nextauth-provider credentials: alice',
          Cookie => $alice)->{HTTP_X_NEXTAUTH_PROVIDER}, 'credentials',
   'nextauth-provider credentials: provider header');
forbidden('/cgi-otherprovider/echo.cgi', 'nextauth-provider github gitlab: a credentials session',
          Cookie => $alice);
forbidden('/cgi-otherprovider/echo.cgi', 'nextauth-provider: a spoofed provider header',
          Cookie => $alice, 'X-NextAuth-Provider' => 'github');

# --- NextAuthIdentityHeaders Off --------------------------------------------------------
{
    my $env = served('/cgi-noid/echo.cgi', 'identity headers off', Cookie => $alice,
                     'X-NextAuth-Email' => 'mallory@evil.test', ':X_NextAuth_Name' => 'm');
    is($env->{REMOTE_USER}, 'alice@example.com', 'identity headers off: REMOTE_USER is still set');
    is_deeply([grep { $IDENTITY{$_} } sort keys %$env], [],
              'identity headers off: no X-NextAuth-* at all, not even the spoofed ones');
}

# --- NextAuthStripCookies -----------------------------------------------------------------
{
    my ($token, $jar) = csrf_roundtrip('protect');
    # Every cookie name of the module (next-auth.state and .pkce.code_verifier too), and
    # names that only share a prefix with them, which are not ours.
    my $cookies = "theme=dark; $jar; $alice; next-auth.session-tokenx=keep; "
                . 'next-auth.state=s; next-auth.pkce.code_verifier=v; next-auth.nonce=n; app=1';
    my $env = served('/cgi-strip/echo.cgi', 'strip cookies on', Cookie => $cookies);
    is($env->{REMOTE_USER}, 'alice@example.com', 'strip on: still signed in');
    my @seen = map { (split /=/, $_, 2)[0] } split /;\s*/, $env->{HTTP_COOKIE} // '';
    is_deeply(\@seen, [qw(theme next-auth.session-tokenx app)],
              'strip on: the backend keeps the other cookies, in order, and none of ours');
    my $only = served('/cgi-strip/echo.cgi', 'strip on, only our cookies',
                      Cookie => "$jar; $alice");
    ok(!exists $only->{HTTP_COOKIE}, 'strip on: no Cookie header left at all');

    for my $loc ('/cgi-nostrip/', '/cgi/') {
        my $kept = served("${loc}echo.cgi", "strip cookies off ($loc)", Cookie => $cookies);
        like($kept->{HTTP_COOKIE} // '', qr/(?:^|; )next-auth\.session-token=eyJ/,
             "strip off ($loc): the backend gets the session cookie (a Next.js app shares it)");
        like($kept->{HTTP_COOKIE} // '', qr/(?:^|; )next-auth\.csrf-token=/,
             "strip off ($loc): and the CSRF cookie");
    }
}

# --- NextAuthUnauthenticated 401 ------------------------------------------------------------
{
    my $res = get('/cgi-401/echo.cgi', Accept => 'text/html');
    is($res->code, 401, 'unauthenticated 401: a browser gets 401');
    is($res->header('WWW-Authenticate'), 'NextAuth', 'unauthenticated 401: WWW-Authenticate');
    ok(!defined $res->header('Location'), 'unauthenticated 401: no redirect');
    ok(!echo_of($res), 'unauthenticated 401: the CGI did not run');
    served('/cgi-401/echo.cgi', 'unauthenticated 401: alice', Cookie => $alice);
}

# --- NextAuthUnauthenticated pass + Require all granted -----------------------------------
{
    my $env = served('/cgi-pass/echo.cgi', 'pass: no session',
                     'X-NextAuth-Email' => 'alice@example.com', ':X_NextAuth_Sub' => 'alice');
    is_deeply(identity_of($env), {}, 'pass, no session: no REMOTE_USER, no identity (spoofs gone)');
    $env = served('/cgi-pass/echo.cgi', 'pass: alice', Cookie => $alice);
    is_deeply(identity_of($env), {
        REMOTE_USER => 'alice@example.com', HTTP_X_NEXTAUTH_EMAIL => 'alice@example.com',
        HTTP_X_NEXTAUTH_NAME => 'alice@example.com', HTTP_X_NEXTAUTH_SUB => 'alice@example.com',
        HTTP_X_NEXTAUTH_PROVIDER => 'credentials' }, 'pass, signed in: the identity arrives');
    $env = served('/cgi-pass/echo.cgi', 'pass: forged session',
                  Cookie => 'next-auth.session-token=x');
    is_deeply(identity_of($env), {}, 'pass, forged session: no identity');
    $env = served('/cgi-pass/echo.cgi', 'pass: JSON client without a session',
                  Accept => 'application/json');
    is_deeply(identity_of($env), {}, 'pass, JSON client: served, no identity');
}

# --- unprotected location of the same site ----------------------------------------------------
{
    my $env = served('/cgi-open/echo.cgi', 'unprotected', Cookie => $alice,
                     'X-NextAuth-Email' => 'mallory@evil.test');
    is_deeply(identity_of($env), {}, 'unprotected: no identity is added, spoofs are removed');
}

# Denials of signed-in users are logged by mod_authz_core at error level (AH01631).
log_clean($mark,
          allow => [qr/AH01631: user (?:bob\@other\.org|credentials:carol|alice\@example\.com): /]);
done_testing();
