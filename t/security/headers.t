# Spoofed identity headers (issue 4 item 8, DESIGN NextAuthIdentityHeaders; scenario
# protect, with nextauth_backend as the untouched control): X-NextAuth-* sent by a client
# in any spelling (any case, '_' for '-', any suffix) is removed on every request of a
# server that uses the module, before anything reads it: on the auth routes (where it
# grants nothing), on unprotected and protected CGI locations, through mod_proxy, for
# OPTIONS too; with a session the backend sees exactly the session's values, never a
# merge with the client's. Requests are written byte for byte (raw_request), so no client
# library normalises the names. X-Forwarded-* never moves the module's URLs either.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('protect');
my ($host) = $origin =~ m{//([^/]+)};
my ($bhost) = origin('backend') =~ m{//([^/]+)};

my @SPELLINGS = ('X-NextAuth-Email', 'x-nextauth-email', 'X-NEXTAUTH-EMAIL', 'X_NextAuth_Email',
                 'x_nextauth_email', 'X-NextAuth_Email', 'X_NEXTAUTH-EMAIL', 'X-Nextauth-Name',
                 'X_NextAuth_Sub', 'x-nextauth-provider', 'X-NextAuth-Image', 'X-NextAuth-Role',
                 'X-NextAuth-', 'x_nextauth_');
my $SPOOF = join '', map { "$_: spoof-$_\r\n" } @SPELLINGS;

sub raw_get {
    my ($scenario, $h, $path, $extra, $method) = @_;
    my ($status, $raw) = raw_request($scenario, ($method // "GET")
                                     . " $path HTTP/1.0\r\nHost: $h\r\n"
                                                . ($extra // '') . "Connection: close\r\n\r\n");
    my ($head, $body) = split /\r\n\r\n/, $raw, 2;
    return ($status, $head // '', $body // '');
}

# --- the auth routes: spoofs grant nothing ----------------------------------------------------
{
    my ($status, $head, $body) = raw_get('protect', $host, '/api/auth/session', $SPOOF);
    is($status, 200, 'session with every spoofed spelling: 200');
    is($body, '{}', 'session with spoofed identity headers: still no session');
    ($status, $head, $body) = raw_get('protect', $host, '/api/auth/signin', $SPOOF);
    is($status, 200, 'signin page with spoofed headers: 200');
    unlike($body, qr/spoof-/, 'signin page: no spoofed value shown');
    my ($t, undef, $cres) = csrf_roundtrip('protect');
    my $csrf = cookie_header_of($cres, qr/csrf-token$/);
    my $form = form_body(csrfToken => $t, username => 'alice@example.com', password => 'wrong');
    my ($st, $raw) = raw_request('protect',
                                 "POST /api/auth/callback/credentials HTTP/1.1\r\nHost: $host\r\n"
        . "Cookie: $csrf\r\nContent-Type: application/x-www-form-urlencoded\r\n$SPOOF"
        . 'Content-Length: ' . length($form) . "\r\nConnection: close\r\n\r\n$form");
    is($st, 302, 'credentials with a wrong password and spoofed headers: 302');
    like($raw, qr{\r\nLocation: \Q$origin\E/api/auth/signin\?error=CredentialsSignin\r\n},
         'credentials with spoofed headers: still CredentialsSignin');
    unlike($raw, qr/session-token=eyJ/, 'credentials with spoofed headers: no session');
}

# --- an unprotected CGI: nothing of the client's arrives --------------------------------------
{
    my $near = "X-NextAuthEmail: kept-1\r\nX-Next-Auth-Email: kept-2\r\n";
    my ($status, $head, $body) = raw_get('protect', $host, '/cgi-open/echo.cgi', $SPOOF . $near);
    is($status, 200, 'unprotected CGI: 200');
    ok(echo_of($body), 'unprotected CGI: the echo CGI answered') or diag($body);
    my $env = echo_of($body) || {};
    is_deeply([grep { /^HTTP_X_NEXTAUTH_/ } sort keys %$env], [],
              'unprotected CGI: no HTTP_X_NEXTAUTH_* at all');
    unlike($body, qr/spoof-/, 'unprotected CGI: no spoofed value anywhere');
    is($env->{HTTP_X_NEXTAUTHEMAIL}, 'kept-1', 'a name without the separator is not ours: kept');
    is($env->{HTTP_X_NEXT_AUTH_EMAIL}, 'kept-2', 'X-Next-Auth-Email is not ours: kept');
}

# --- a protected CGI with a session: exactly the session's values -----------------------------
{
    my $session = signin('protect', 'alice@example.com');
    my ($status, $head, $body) = raw_get('protect', $host, '/cgi/echo.cgi',
                                         "Cookie: $session\r\n$SPOOF");
    is($status, 200, 'protected CGI, signed in, spoofed headers: 200');
    ok(echo_of($body), 'protected CGI: the echo CGI answered') or diag($body);
    my $env = echo_of($body) || {};
    is_deeply({ map { $_ => $env->{$_} } grep { /^HTTP_X_NEXTAUTH_|^REMOTE_USER$/ } keys %$env },
              { REMOTE_USER => 'alice@example.com', HTTP_X_NEXTAUTH_EMAIL => 'alice@example.com',
                HTTP_X_NEXTAUTH_NAME => 'alice@example.com',
                HTTP_X_NEXTAUTH_SUB => 'alice@example.com',
                HTTP_X_NEXTAUTH_PROVIDER => 'credentials' },
              'protected CGI: the session\'s identity only, nothing merged, no extra X-NextAuth-*');
    ($status, $head, $body) = raw_get('protect', $host, '/cgi/echo.cgi', $SPOOF);
    is($status, 302, 'protected CGI, no session, spoofed headers: still redirected');
    ($status, $head, $body) = raw_get('protect', $host, '/cgi/echo.cgi', $SPOOF, 'OPTIONS');
    is($status, 401, 'protected CGI, OPTIONS with spoofed headers: 401');
    unlike($body, qr/ECHO-CGI/, 'protected CGI, OPTIONS: the CGI did not run');
}

# --- through mod_proxy, OPTIONS included ------------------------------------------------------
# A single-process server (valgrind's run) cannot answer its own proxied request.
SKIP: {
skip('single-process server: mod_proxy to a vhost of the same server', 9)
    if $ENV{NEXTAUTH_TEST_ONE_PROCESS};
for my $method (qw(GET OPTIONS POST)) {
    my $extra = $method eq 'POST' ? "Content-Type: text/plain\r\nContent-Length: 1\r\n" : '';
    my ($status, $raw) = raw_request('protect',
        "$method /proxy-open/x HTTP/1.1\r\nHost: $host\r\n$SPOOF$extra"
        . "Connection: close\r\n\r\n" . ($method eq 'POST' ? 'x' : ''));
    is($status, 200, "proxied $method with every spelling: 200");
    my ($head) = split /\r\n\r\n/, $raw, 2;
    my @echo = $head =~ /^(X-Echo-(?!Cookie)[\w-]+: *[^\s][^\r\n]*)/mg;
    is_deeply(\@echo, [],
              "proxied $method: the backend saw no X-NextAuth-* header in any spelling");
    unlike($raw, qr/spoof-/, "proxied $method: no spoofed value came back");
}
}

# The control: the same raw request straight to the untouched backend shows the spoofs,
# so the checks above can see them when they arrive.
{
    my ($status, $raw) = raw_request('backend', "GET /echo/x HTTP/1.1\r\nHost: $bhost\r\n$SPOOF"
                                               . "Connection: close\r\n\r\n");
    like($raw, qr/^X-Echo-Email-Underscore: spoof-/m,
         'control: an untouched server passes X_NextAuth_Email');
    like($raw, qr/^X-Echo-Email: spoof-/m, 'control: and X-NextAuth-Email');
}

# --- X-Forwarded-* does not move the module's URLs --------------------------------------------
{
    my $fwd = "X-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n"
            . "X-Forwarded-Port: 443\r\nForwarded: host=evil.example;proto=https\r\n";
    my ($status, $head, $body) = raw_get('protect', $host, '/api/auth/signin', $fwd);
    unlike($body, qr/evil\.example/,
           'signin page with X-Forwarded-*: no forwarded host in the page');
    like($body, qr{action="\Q$origin\E/api/auth/callback/credentials"},
         'signin page: URLs from the request itself');
    ($status, $head) = raw_get('protect', $host, '/static/index.html', $fwd);
    my $back = uri_component("$origin/static/index.html");
    like($head, qr{\r\nLocation: \Q$origin\E/api/auth/signin\?callbackUrl=\Q$back\E\r\n},
         'protected redirect with X-Forwarded-*: Location and callbackUrl on the real origin');
    ($status, $head) = raw_get('protect', $host, '/api/auth/csrf', $fwd);
    like($head, qr{next-auth\.callback-url=\Q${\ uri_component($origin)}\E;},
         'callback-url cookie: the real origin');
    unlike($head, qr/__Host-|__Secure-|; Secure/,
           'X-Forwarded-Proto: https does not switch to secure cookies');
}

# Removals are logged at info with the header's name (NA00024), never as errors.
log_clean($mark,
          expect => [qr/\[nextauth:info\].*NA00024: removed client-sent header X_NextAuth_Email/,
                            qr/NA00024: removed client-sent header X-NextAuth-Email/]);
done_testing();
