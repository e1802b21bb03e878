# Sessions the server can end, on one host (issue 13; scenario revoke, the default
# revocation list in shmcb):
# - sign-out revokes its session: a copy of the cookie made before is refused on a
#   protected location (sign-in redirect for a browser, 401 for JSON), by GET session
#   ({} and the cookie cleared) and as a bearer token (401 invalid_token); NA00269 at info;
# - sign out everywhere (everywhere=true, CSRF-checked) revokes every session of that
#   user and no other user's; a sign-in right after (the same second) works;
# - a wrong CSRF token revokes nothing;
# - Authorization: Bearer with the session token (next-auth's getToken reads it there,
#   when no session cookie was sent) signs the request in without a cookie being set; a bad, empty or oversized one gets
#   401 with WWW-Authenticate: Bearer error="invalid_token"; NextAuthBearer off refuses
#   it; a Require line that refuses the bearer's user gives 403 insufficient_scope; a
#   location with NextAuthBearer on challenges with Bearer realm too;
# - a user's entries are per site: alice's session on another virtual host stays;
# - tokens minted without a sid (next-auth's) are revoked by sign out everywhere too.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $HAVE_CRYPTX = eval { require Crypt::KeyDerivation; require Crypt::AuthEnc::GCM; 1 };
plan skip_all => 'CryptX (Debian libcryptx-perl) is needed to read tokens' unless $HAVE_CRYPTX;

my $mark = log_mark();
my $origin = origin('revoke');

# The counters are the whole server's (shared memory): this file compares before and after.
sub metric {
    my ($text, $name) = @_;
    return $text =~ /^\Q$name\E (\d+)$/m ? $1 : undef;
}
my $metrics_before = req(GET => url('revoke', '/revoke-metrics'))->content;
my $NAME = 'next-auth.session-token';

sub token_of {
    my ($cookie) = @_;
    my ($t) = $cookie =~ /\Q$NAME\E=([^;]+)/;
    return $t;
}

sub browser_get { req(GET => url('revoke', $_[0]), [Cookie => $_[1]]) }

sub signed_in {
    my ($cookie, $what, $path) = @_;
    my $res = browser_get($path // '/cgi/echo.cgi', $cookie);
    is($res->code, 200, "$what: 200");
    return echo_of($res);
}

sub to_signin {
    my ($cookie, $what) = @_;
    my $res = browser_get('/cgi/echo.cgi', $cookie);
    is($res->code, 302, "$what: browser GET is redirected");
    like($res->header('Location') // '', qr{^\Q$origin\E/api/auth/signin\?callbackUrl=},
         "$what: to the sign-in page");
    $res = req(GET => url('revoke', '/cgi/echo.cgi'), [Cookie => $cookie, Accept => 'application/json']);
    is($res->code, 401, "$what: JSON client 401");
    $res = req(GET => url('revoke', '/api/auth/session'), [Cookie => $cookie]);
    is($res->content, '{}', "$what: GET session {}");
    ok(scalar(grep { /^\Q$NAME\E=;/ && /Max-Age=0/ } set_cookies($res)),
       "$what: GET session clears the cookie");
}

sub signout {
    my ($cookie, @fields) = @_;
    my ($token, $jar) = csrf_roundtrip('revoke');
    return req(POST => url('revoke', '/api/auth/signout'),
               [Cookie => "$jar; $cookie", 'Content-Type' => 'application/x-www-form-urlencoded'],
               form_body(csrfToken => $token, @fields));
}

sub bearer {
    my ($path, $token, @headers) = @_;
    return req(GET => url('revoke', $path), [Authorization => "Bearer $token", @headers]);
}

# --- sign-out revokes its own session ---------------------------------------------------
{
    my $cookie = signin('revoke', 'alice@example.com');
    my $echo = signed_in($cookie, 'before sign-out');
    is($echo->{REMOTE_USER}, 'alice@example.com', 'before sign-out: REMOTE_USER');
    my $copy = $cookie;
    my $res = signout($cookie);
    is($res->code, 302, 'sign-out: 302');
    to_signin($copy, 'a copy of the signed-out cookie');
    my $b = bearer('/cgi/echo.cgi', token_of($copy));
    is($b->code, 401, 'the signed-out token as bearer: 401');
    like($b->header('WWW-Authenticate') // '', qr/^Bearer realm="\Q$origin\E", error="invalid_token"/,
         'the signed-out token as bearer: invalid_token');
}

# --- sign out everywhere -----------------------------------------------------------------
{
    my @alice = map { signin('revoke', 'alice@example.com') } 1 .. 2;
    my $bob = signin('revoke', 'bob@other.org');
    signed_in($_, 'alice, a second device') for $alice[1];
    # Alice on another site of the same httpd (its own secret and origin): not this site's.
    my $elsewhere = signin('protect', 'alice@example.com');

    # A wrong CSRF token revokes nothing.
    my ($token, $jar) = csrf_roundtrip('revoke');
    my $res = req(POST => url('revoke', '/api/auth/signout'),
                  [Cookie => "$jar; $alice[0]", 'Content-Type' => 'application/x-www-form-urlencoded'],
                  form_body(csrfToken => 'f' x 64, everywhere => 'true'));
    isnt($res->code, 200, 'everywhere with a wrong CSRF token: refused');
    signed_in($alice[1], 'after a forged sign-out-everywhere, the other device');
    signed_in($alice[0], 'after a forged sign-out-everywhere, this device');

    $res = signout($alice[0], everywhere => 'true');
    is($res->code, 302, 'sign out everywhere: 302');
    to_signin($alice[1], 'alice\'s other device after sign out everywhere');
    to_signin($alice[0], 'alice\'s own cookie after sign out everywhere');
    my $other = req(GET => url('protect', '/static/index.html'), [Cookie => $elsewhere]);
    is($other->code, 200, 'alice on another site of this httpd keeps her session (entries are per site)');
    my $echo = signed_in($bob, 'bob after alice signed out everywhere');
    is($echo->{REMOTE_USER}, 'bob@other.org', 'bob is untouched');

    # Signing in again right away (the same second) gives a session that works.
    my $again = signin('revoke', 'alice@example.com');
    my $claims = session_open('revoke', token_of($again));
    ok($claims->{auth_time} > 0, 'the new session has an auth_time');
    signed_in($again, 'alice signed in again right after');
}

# --- a token of next-auth's (no sid) ends with sign out everywhere ------------------------
{
    my $now = time;
    my $plain = "$NAME=" . session_mint('revoke', {
        name => 'Bob', email => 'bob@other.org', sub => 'bob-id', iat => $now - 5,
        exp => $now + 3600, jti => '0b0b0b0b-0000-4000-8000-000000000001' });
    signed_in($plain, 'a next-auth token without sid');
    my $bob = signin('revoke', 'bob@other.org');
    is(signout($bob, everywhere => 'true')->code, 302, 'bob signs out everywhere');
    to_signin($plain, 'the next-auth token of bob, issued before');
}

# --- bearer session tokens -----------------------------------------------------------------
{
    my $cookie = signin('revoke', 'carol', password => password_of('carol'));
    my $token = token_of($cookie);
    my $res = bearer('/cgi/echo.cgi', $token);
    is($res->code, 200, 'session token as bearer: 200');
    is(echo_of($res)->{REMOTE_USER}, 'credentials:carol', 'bearer: REMOTE_USER of the session')
        or diag($res->content);
    is_deeply([set_cookies($res)], [], 'bearer: no cookie is set');
    ok(!defined $res->header('Location'), 'bearer: no redirect');

    for my $bad (['garbage', 'not-a-token'], ['a truncated token', substr($token, 0, -10)],
                 ['a long garbage token', 'a' x 8000]) {
        $res = bearer('/cgi/echo.cgi', $bad->[1]);
        is($res->code, 401, "bearer $bad->[0]: 401");
        like($res->header('WWW-Authenticate') // '', qr/^Bearer realm="\Q$origin\E", error="invalid_token"/,
             "bearer $bad->[0]: invalid_token");
        is_deeply([set_cookies($res)], [], "bearer $bad->[0]: no cookie");
        ok(!defined $res->header('Location'), "bearer $bad->[0]: no redirect");
    }
    $res = req(GET => url('revoke', '/cgi/echo.cgi'), [Authorization => 'Bearer ']);
    is($res->code, 401, 'an empty bearer token: 401');
    like($res->header('WWW-Authenticate') // '', qr/error="invalid_token"/, 'empty: invalid_token');

    $res = bearer('/cgi-nobearer/echo.cgi', $token);
    is($res->code, 401, 'NextAuthBearer off: a good session token is refused');
    like($res->header('WWW-Authenticate') // '', qr/error="invalid_token"/, 'NextAuthBearer off: invalid_token');

    $res = bearer('/cgi-alice/echo.cgi', $token);
    is($res->code, 403, 'a Require line refusing the bearer\'s user: 403');
    like($res->header('WWW-Authenticate') // '', qr/^Bearer realm="\Q$origin\E", error="insufficient_scope"/,
         '403: insufficient_scope');
    is_deeply([set_cookies($res)], [], '403: no cookie');
    unlike($res->content, qr/ECHO-CGI/, '403: the backend did not answer');

    # next-auth's getToken order: the cookie when there is one, the header only without.
    my $bobc = signin('revoke', 'bob@other.org');
    $res = bearer('/cgi/echo.cgi', $token, Cookie => $bobc);
    is($res->code, 200, 'a cookie and a bearer token: 200');
    is(echo_of($res)->{REMOTE_USER}, 'bob@other.org', 'the cookie wins over the bearer token');
    $res = bearer('/cgi/echo.cgi', 'forged-by-the-client', Cookie => $bobc);
    is($res->code, 200, 'a cookie beside a junk Authorization: the cookie decides');

    my $alice = token_of(signin('revoke', 'alice@example.com'));
    $res = bearer('/cgi-alice/echo.cgi', $alice);
    is($res->code, 200, 'alice\'s session token as bearer where alice is required: 200');

    $res = req(GET => url('revoke', '/cgi-alice/echo.cgi'), [Accept => 'application/json']);
    is($res->code, 401, 'no credentials, JSON client, NextAuthBearer on: 401');
    my @challenges = $res->headers->header('WWW-Authenticate');
    is_deeply(\@challenges, ['NextAuth', qq{Bearer realm="$origin"}],
              'the 401 offers NextAuth and Bearer realm');
    $res = req(GET => url('revoke', '/cgi/echo.cgi'), [Accept => 'application/json']);
    is_deeply([$res->headers->header('WWW-Authenticate')], ['NextAuth'],
              'a location without NextAuthBearer keeps WWW-Authenticate: NextAuth alone');
}

# --- the back-channel route needs an OpenID provider ----------------------------------------
{
    my $res = req(POST => url('revoke', '/api/auth/backchannel-logout/credentials'),
                  ['Content-Type' => 'application/x-www-form-urlencoded'], 'logout_token=x.y.z');
    is($res->code, 404, 'back-channel logout for a credentials provider: 404');
    like($res->header('Cache-Control') // '', qr/\bno-store\b/, '404: no-store');
    is_deeply([set_cookies($res)], [], 'back-channel answers set no cookie');
    $res = req(GET => url('revoke', '/api/auth/backchannel-logout/credentials'));
    is($res->code, 405, 'GET back-channel logout: 405');
}

{
    my $after = req(GET => url('revoke', '/revoke-metrics'))->content;
    my %want = ('nextauth_revocations_total{cause="signout"}' => 3,
                'nextauth_revocations_total{cause="everywhere"}' => 2,
                'nextauth_revocations_total{cause="backchannel"}' => 0);
    for my $name (sort keys %want) {
        is(metric($after, $name) - metric($metrics_before, $name), $want{$name}, "metrics: $name");
    }
    ok(metric($after, 'nextauth_revoked_session_refusals_total')
       - metric($metrics_before, 'nextauth_revoked_session_refusals_total') >= 10,
       'metrics: the refusals of revoked sessions are counted');
}

my @lines = NextAuth::Test::log_lines_since($mark);
ok(scalar(grep { /NA00269/ } @lines) >= 5, 'revoked sessions are refused with NA00269');
ok(scalar(grep { /NA00271/ } @lines) == 2, 'two sign-outs everywhere logged (NA00271)');
log_clean($mark, allow => [qr/AH01631/], name => 'revoke: no error, no crash, no secret in the log');
done_testing();
