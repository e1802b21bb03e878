# AuthType NextAuth in front of a mod_proxy backend (scenario protect, /proxy*/ locations
# proxy to the nextauth_backend vhost of the same server, which has no NextAuth directive:
# its echo CGI prints what arrived and mod_headers echoes raw request headers as
# X-Echo-*, so names with '_' and OPTIONS requests are visible too).
#   /proxy/ valid-user · /proxy-email/ nextauth-email *@example.com · /proxy-strip/
#   NextAuthStripCookies On · /proxy-noid/ NextAuthIdentityHeaders Off · /proxy-pass/
#   NextAuthUnauthenticated pass + Require all granted · /proxy-open/ no protection.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('protect');
my @ECHO = qw(X-Echo-Email X-Echo-Email-Lower X-Echo-Email-Underscore X-Echo-Email-Mixed
              X-Echo-Name X-Echo-Sub X-Echo-Provider X-Echo-Image);
my @SPOOF = ('X-NextAuth-Email' => 'mallory@evil.test', 'x-nextauth-name' => 'Mallory',
             ':X_NextAuth_Email' => 'mallory@evil.test', ':X-NextAuth_Email' => 'm@evil.test',
             ':x_nextauth_sub' => 'mallory', 'X-NEXTAUTH-PROVIDER' => 'github',
             'X-NextAuth-Image' => 'https://evil.test/i.png');

my $alice = signin('protect', 'alice@example.com');
my $bob = signin('protect', 'bob@other.org');

sub get {
    my ($path, @headers) = @_;
    return req(GET => url('protect', $path), \@headers);
}

# The backend's view: its CGI environment plus the raw headers mod_headers echoed.
sub backend {
    my ($res, $what) = @_;
    is($res->code, 200, "$what: 200");
    my $env = echo_of($res);
    ok($env, "$what: the backend answered") or diag($res->as_string);
    my %raw = map { $_ => $res->header($_) // '' } @ECHO, 'X-Echo-Cookie';
    return ($env || {}, \%raw);
}

sub no_spoof {
    my ($env, $raw, $what) = @_;
    unlike(join("\n", %$env, map { $raw->{$_} } @ECHO), qr/mallory|evil\.test|github/i,
           "$what: no spoofed value reached the backend");
}

# --- no session -------------------------------------------------------------------------
{
    my $res = get('/proxy/some/page?x=1');
    is($res->code, 302, 'no session: 302');
    is($res->header('Location'), "$origin/api/auth/signin?callbackUrl="
       . uri_component("$origin/proxy/some/page?x=1"), 'no session: callbackUrl = the proxied URL');
    ok(!echo_of($res) && !defined $res->header('X-Echo-Email'),
       'no session: the backend was not asked');
    for my $h (['Accept' => 'application/json'], ['X-Requested-With' => 'XMLHttpRequest'],
               ['Sec-Fetch-Mode' => 'cors']) {
        my $r = get('/proxy/api/data', @$h);
        is($r->code, 401, "no session, $h->[0]: 401");
        is($r->header('WWW-Authenticate'), 'NextAuth', "no session, $h->[0]: WWW-Authenticate");
        ok(!defined $r->header('X-Echo-Email'), "no session, $h->[0]: the backend was not asked");
    }
    for my $m (qw(POST OPTIONS DELETE)) {
        my $r = req($m => url('protect', '/proxy/x'), [@SPOOF], $m eq 'POST' ? 'a=1' : undef);
        is($r->code, 401, "no session, $m with spoofed identity headers: 401");
        ok(!echo_of($r) && !defined $r->header('X-Echo-Email'),
           "no session, $m: never reaches the backend");
    }
}

# --- signed in ------------------------------------------------------------------------------
{
    my ($env, $raw) = backend(get('/proxy/p?q=1', Cookie => $alice, @SPOOF), 'alice');
    is($raw->{'X-Echo-Email'}, 'alice@example.com', 'alice: X-NextAuth-Email reaches the backend');
    is($raw->{'X-Echo-Name'}, 'alice@example.com', 'alice: X-NextAuth-Name');
    is($raw->{'X-Echo-Sub'}, 'alice@example.com', 'alice: X-NextAuth-Sub');
    is($raw->{'X-Echo-Provider'}, 'credentials', 'alice: X-NextAuth-Provider');
    is($raw->{'X-Echo-Image'}, '', 'alice: no X-NextAuth-Image');
    is($raw->{'X-Echo-Email-Underscore'}, '', 'alice: no X_NextAuth_Email (spoof stripped)');
    is($raw->{'X-Echo-Email-Mixed'}, '', 'alice: no X-NextAuth_Email (spoof stripped)');
    is($env->{HTTP_X_NEXTAUTH_EMAIL}, 'alice@example.com',
       'alice: the CGI behind the proxy agrees');
    is($env->{PATH_INFO}, '/p', 'alice: the path is proxied');
    is($env->{QUERY_STRING}, 'q=1', 'alice: the query is proxied');
    ok(!exists $env->{REMOTE_USER}, 'alice: REMOTE_USER does not cross a proxy (headers do)');
    no_spoof($env, $raw, 'alice with spoofed headers');
    like($raw->{'X-Echo-Cookie'}, qr/next-auth\.session-token=/,
         'alice: without NextAuthStripCookies the backend gets the session cookie');
}
{
    my $res = get('/proxy/p', Cookie => $alice, Accept => 'application/json');
    backend($res, 'alice as a JSON client');
}

# --- Require nextauth-email -----------------------------------------------------------------
{
    my ($env, $raw) = backend(get('/proxy-email/x', Cookie => $alice), 'nextauth-email: alice');
    is($raw->{'X-Echo-Email'}, 'alice@example.com', 'nextauth-email: alice\'s identity');
    my $res = get('/proxy-email/x', Cookie => $bob);
    ok($res->code == 403 || $res->code == 401, 'nextauth-email: bob@other.org is refused');
    ok(!echo_of($res) && !defined $res->header('X-Echo-Email'),
       'nextauth-email: bob never reaches the backend');
    is($res->code, 403, 'nextauth-email: bob@other.org gets 403');
}

# --- NextAuthStripCookies On ----------------------------------------------------------------
{
    my ($token, $jar) = csrf_roundtrip('protect');
    my ($env, $raw) = backend(get('/proxy-strip/x', Cookie => "lang=ko; $jar; $alice; cart=3"),
                              'strip on');
    is($raw->{'X-Echo-Email'}, 'alice@example.com', 'strip on: still signed in');
    is($raw->{'X-Echo-Cookie'}, 'lang=ko; cart=3',
       'strip on: only the other cookies are forwarded');
    is($env->{HTTP_COOKIE}, 'lang=ko; cart=3', 'strip on: the CGI agrees');
}

# --- NextAuthIdentityHeaders Off ------------------------------------------------------------
{
    my ($env, $raw) = backend(get('/proxy-noid/x', Cookie => $alice, @SPOOF),
                              'identity headers off');
    is_deeply([grep { $raw->{$_} ne '' } @ECHO], [],
              'identity headers off: no X-NextAuth-* at all');
    is_deeply([grep { /NEXTAUTH/ } keys %$env], [], 'identity headers off: none in the CGI either');
}

# --- NextAuthUnauthenticated pass -----------------------------------------------------------
{
    my ($env, $raw) = backend(get('/proxy-pass/x', @SPOOF), 'pass: no session');
    is_deeply([grep { $raw->{$_} ne '' } @ECHO], [], 'pass, no session: no identity header');
    no_spoof($env, $raw, 'pass, no session');
    ($env, $raw) = backend(get('/proxy-pass/x', Cookie => $bob, @SPOOF), 'pass: bob');
    is($raw->{'X-Echo-Email'}, 'bob@other.org', 'pass, signed in: the identity arrives');
    no_spoof($env, $raw, 'pass, signed in');
    my $res = req(OPTIONS => url('protect', '/proxy-pass/x'), [@SPOOF]);
    is($res->code, 200, 'pass: OPTIONS is proxied');
    is_deeply([grep { ($res->header($_) // '') ne '' } @ECHO], [],
              'pass: OPTIONS reaches the backend without any spoofed header');
}

# --- no protection at all: spoofs are still removed on this server ----------------------------
{
    my ($env, $raw) = backend(get('/proxy-open/x', Cookie => $alice, @SPOOF), 'unprotected');
    is_deeply([grep { $raw->{$_} ne '' } @ECHO], [],
              'unprotected: no identity is added and no spoof passes (every spelling)');
    no_spoof($env, $raw, 'unprotected');
    my $res = req(OPTIONS => url('protect', '/proxy-open/x'), [@SPOOF]);
    is($res->code, 200, 'unprotected OPTIONS: proxied');
    is_deeply([grep { ($res->header($_) // '') ne '' } @ECHO], [],
              'unprotected OPTIONS: no spoofed header reaches the backend');
}

# The control: the backend itself shows whatever a client sends it directly, so the
# empty echoes above are the module's doing, not the backend's.
{
    my $res = req(GET => url('backend', '/echo/x'), [@SPOOF]);
    is($res->header('X-Echo-Email-Underscore'), 'mallory@evil.test',
       'control: the backend does see X_NextAuth_Email when nothing strips it');
    is($res->header('X-Echo-Email'), 'mallory@evil.test', 'control: and X-NextAuth-Email');
}

log_clean($mark, allow => [qr/AH01631: user bob\@other\.org: authorization failure/]);
done_testing();
