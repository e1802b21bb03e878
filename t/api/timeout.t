# Session timeouts (issue 12; scenario timeout: NextAuthSession maxAge=7200 idle=600
# absolute=3600 expose=accessToken,error). Tokens are minted here with the iat, auth_time
# and sid a case needs, so nothing sleeps:
# - idle: a token renewed more than 600 s ago is no session: GET session {} with the
#   cookie cleared, the protected location redirects to sign-in; NA00240 at info;
# - absolute: a sign-in more than 3600 s ago ends the session however fresh its iat;
#   NA00241; a token without auth_time counts from its iat;
# - renewals keep sid and auth_time and never reach past auth_time + absolute;
# - a protected request renews the cookie once idle/4 (150 s) has passed since iat (on a
#   static file and through mod_proxy), and not before;
# - a token of next-auth's (no sid, no auth_time) gets auth_time = its iat and a sid;
# - a real sign-in carries both, its exp capped by absolute;
# - expose= adds nothing without a token record: GET session keeps next-auth's shape.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use HTTP::Date ();
use NextAuth::Test;

my $HAVE_CRYPTX = eval { require Crypt::KeyDerivation; require Crypt::AuthEnc::GCM; 1 };
plan skip_all => 'CryptX (Debian libcryptx-perl) is needed to mint tokens' unless $HAVE_CRYPTX;

my $mark = log_mark();
my $NAME = 'next-auth.session-token';
my $SID = 'c2Vzc2lvbi1pZC1vZi1hbGk';    # 22 base64url characters
my $SID_RE = qr/^[A-Za-z0-9_-]{22}$/;

sub mint {
    my (%c) = @_;
    my $now = time;
    my %claims = (name => 'Alice', email => 'alice@example.com', sub => 'alice@example.com',
                  iat => $now, exp => $now + 7000, jti => '5b2c9a1e-0000-4000-8000-00000000000a',
                  %c);
    delete @claims{ grep { !defined $claims{$_} } keys %claims };
    return "$NAME=" . session_mint('timeout', \%claims);
}

# The session cookie a response sets (decoded), or undef.
sub renewed {
    my ($res) = @_;
    my ($c) = grep { $_->{name} eq $NAME && $_->{value} ne '' }
              map { parse_set_cookie($_) } set_cookies($res);
    return $c ? session_open('timeout', $c->{value}) : undef;
}

sub cleared {
    my ($res) = @_;
    return scalar grep { $_->{name} eq $NAME && $_->{value} eq ''
                         && grep({ $_ eq 'Max-Age=0' } @{ $_->{attrs} }) }
           map { parse_set_cookie($_) } set_cookies($res);
}

# Ended: GET session {} and the cookie cleared, the protected page redirects to sign-in,
# and one info line with LOGNO.
sub ended {
    my ($what, $cookie, $logno) = @_;
    my $m = log_mark();
    my $res = req(GET => url('timeout', '/api/auth/session'), [Cookie => $cookie]);
    is($res->content, '{}', "$what: session is {}");
    is(cleared($res), 1, "$what: the session cookie is cleared");
    ok(!renewed($res), "$what: no session issued");
    log_event($m, qr/\b$logno\b.*session ended/, 'info', "$what: $logno at info");
    my $page = req(GET => url('timeout', '/static/index.html'), [Cookie => $cookie]);
    is($page->code, 302, "$what: the protected page redirects");
    like($page->header('Location') // '', qr{/api/auth/signin\?callbackUrl=},
         "$what: to sign-in");
    unlike($page->content, qr/PROTECTED-STATIC-CONTENT/, "$what: no protected content");
}

my $now = time;

# --- idle -------------------------------------------------------------------------------------
ended('idle: iat 700 s ago', mint(iat => $now - 700, auth_time => $now - 700, sid => $SID),
      'NA00240');
ended('idle: no iat at all', mint(iat => undef, auth_time => $now - 10, sid => $SID), 'NA00240');
{
    my $res = req(GET => url('timeout', '/api/auth/session'),
                  [Cookie => mint(iat => $now - 500, auth_time => $now - 500, sid => $SID)]);
    is(json_of($res)->{user}{email}, 'alice@example.com', 'idle: iat 500 s ago is a session');
}

# --- absolute ---------------------------------------------------------------------------------
ended('absolute: signed in 3700 s ago, iat fresh',
      mint(iat => $now - 10, auth_time => $now - 3700, sid => $SID), 'NA00241');
{
    # iat older than absolute but younger than idle cannot be: iat counts for auth_time
    # only when auth_time is absent, and then idle ends it first. A token without
    # auth_time whose iat is fresh is a session.
    my $res = req(GET => url('timeout', '/api/auth/session'),
                  [Cookie => mint(iat => $now - 100)]);
    is(json_of($res)->{user}{email}, 'alice@example.com', 'absolute: no auth_time, iat fresh');
}

# --- renewal: sid and auth_time kept, exp capped ------------------------------------------------
{
    my $auth = $now - 1000;
    my $res = req(GET => url('timeout', '/api/auth/session'),
                  [Cookie => mint(iat => $now - 100, auth_time => $auth, sid => $SID)]);
    my $json = json_of($res);
    is($json->{user}{email}, 'alice@example.com', 'renewal: a session');
    my $c = renewed($res);
    ok($c, 'renewal: a new cookie') or diag(join "\n", set_cookies($res));
    is($c->{sid}, $SID, 'renewal: sid kept');
    is($c->{auth_time}, $auth, 'renewal: auth_time kept');
    ok($c->{iat} >= $now && $c->{iat} <= time + 1, 'renewal: iat is now');
    is($c->{exp}, $auth + 3600, 'renewal: exp capped at auth_time + absolute (not iat + maxAge)');
    my ($cookie) = grep { $_->{name} eq $NAME && $_->{value} ne '' }
                   map { parse_set_cookie($_) } set_cookies($res);
    my ($expires) = map { /^Expires=(.*)$/i ? $1 : () } @{ $cookie->{attrs} };
    ok(defined $expires && abs(HTTP::Date::str2time($expires) - ($auth + 3600)) <= 1,
       'renewal: the cookie expires with the token') or diag($cookie->{raw});
    my @t = gmtime($auth + 3600);
    is($json->{expires}, sprintf('%04d-%02d-%02dT%02d:%02d:%02d.000Z', $t[5] + 1900, $t[4] + 1,
                                 @t[3, 2, 1, 0]),
       'renewal: GET session expires says the capped end');
    is_deeply([json_keys($res->content)], ['user', 'expires'],
              'expose= without a token record: next-auth\'s shape, nothing added');
}

# --- a token of next-auth's: auth_time = its iat, and a sid -------------------------------------
{
    my $iat = $now - 300;
    my $res = req(GET => url('timeout', '/api/auth/session'), [Cookie => mint(iat => $iat)]);
    my $c = renewed($res);
    ok($c, 'next-auth token: renewed');
    is($c->{auth_time}, $iat, 'next-auth token: auth_time is its iat');
    like($c->{sid} // '', $SID_RE, 'next-auth token: a session id');
    is($c->{exp}, $iat + 3600, 'next-auth token: exp capped from that auth_time');
    like($c->{_json}, qr/"sub":"[^"]+","sid":"[^"]+","auth_time":$iat\}$/,
         'next-auth token: sid and auth_time appended after its members');
    # a sid of another shape (the IdP's) is the app's: kept, not replaced, not ours
    $res = req(GET => url('timeout', '/api/auth/session'),
               [Cookie => mint(iat => $iat, sid => 'idp-session-17')]);
    $c = renewed($res);
    is($c && $c->{sid}, 'idp-session-17', 'foreign sid: kept as it was');
    is($c && $c->{auth_time}, $iat, 'foreign sid: auth_time added all the same');
}

# --- protected requests renew past idle/4 -------------------------------------------------------
# /proxy/ goes back into this same server: a single-process server (valgrind's httpd -X)
# would wait on itself, as protect/proxy.t does there.
for my $path ('/static/index.html', $ENV{NEXTAUTH_TEST_ONE_PROCESS} ? () : '/proxy/') {
    my $auth = $now - 2000;
    my $res = req(GET => url('timeout', $path),
                  [Cookie => mint(iat => $now - 200, auth_time => $auth, sid => $SID)]);
    is($res->code, 200, "$path, iat 200 s ago: served");
    my $c = renewed($res);
    ok($c, "$path, iat 200 s ago: the cookie is renewed") or diag($res->headers->as_string);
    is($c && $c->{sid}, $SID, "$path: renewed with the same sid");
    is($c && $c->{auth_time}, $auth, "$path: and the same auth_time");
    ok($c && $c->{iat} >= $now, "$path: a new iat");
    is($c && $c->{exp}, $auth + 3600, "$path: exp capped");

    $res = req(GET => url('timeout', $path),
               [Cookie => mint(iat => $now - 100, auth_time => $auth, sid => $SID)]);
    is($res->code, 200, "$path, iat 100 s ago: served");
    ok(!grep({ /session-token/ } set_cookies($res)), "$path, iat 100 s ago: no cookie set");
}

# --- a real sign-in ---------------------------------------------------------------------------
{
    my $t0 = time;
    my $cookie = signin('timeout', 'alice@example.com');
    my ($token) = $cookie =~ /^\Q$NAME\E=(.*)$/;
    my $c = session_open('timeout', $token);
    ok($c, 'sign-in: the token opens');
    like($c->{sid} // '', $SID_RE, 'sign-in: a session id');
    ok($c->{auth_time} >= $t0 && $c->{auth_time} <= time + 1, 'sign-in: auth_time is now');
    is($c->{exp}, $c->{auth_time} + 3600, 'sign-in: exp = auth_time + absolute (< maxAge)');
    like($c->{_json}, qr/"provider":"credentials","sid":"[^"]+","auth_time":\d+,"iat":\d+,"exp":\d+,"jti":/,
         'sign-in: sid and auth_time before iat, exp, jti');
    my $res = req(GET => url('timeout', '/api/auth/session'), [Cookie => $cookie]);
    my $again = renewed($res);
    is($again && $again->{sid}, $c->{sid}, 'sign-in: GET session keeps the sid');
    my $other = session_open('timeout', (signin('timeout', 'alice@example.com') =~ /=(.*)$/)[0]);
    isnt($other->{sid}, $c->{sid}, 'sign-in: each sign-in is a new session id');
}

log_clean($mark, never => [@NextAuth::Test::NEVER_LOGGED]);
done_testing();
