# AuthType NextAuth in front of static files (scenario protect, <Location /static/>,
# Require valid-user): a browser without a session gets a 302 to the sign-in page with
# callbackUrl = the encoded absolute URL it asked for; requests that want JSON (Accept,
# X-Requested-With, Sec-Fetch-Mode: cors) and non-GET requests get 401 with
# WWW-Authenticate: NextAuth; a session from a real credentials sign-in gets the file.
# The protected content never appears in a refused answer, and a refusal sets no cookie.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('protect');
my $SECRET_TEXT = 'PROTECTED-STATIC-CONTENT';

sub refused {
    my ($res, $what) = @_;
    unlike($res->content, qr/\Q$SECRET_TEXT\E/, "$what: the protected content is not sent");
    ok(!grep({ /session-token/ } set_cookies($res)), "$what: no session cookie is set");
}

sub redirected {
    my ($path, $what, @headers) = @_;
    my $res = req(GET => url('protect', $path), \@headers);
    is($res->code, 302, "$what: 302");
    is($res->header('Location'),
       "$origin/api/auth/signin?callbackUrl=" . uri_component("$origin$path"),
       "$what: to the sign-in page with callbackUrl = the encoded absolute URL");
    is($res->header('Cache-Control'), 'no-store', "$what: Cache-Control: no-store");
    ok(!defined $res->header('WWW-Authenticate'), "$what: no WWW-Authenticate on a redirect");
    is_deeply([header_problems($res)], [], "$what: clean headers");
    refused($res, $what);
    return $res;
}

sub unauthorized {
    my ($method, $path, $what, @headers) = @_;
    my $res = req($method => url('protect', $path), \@headers,
                  $method eq 'POST' || $method eq 'PUT' ? 'a=1' : undef);
    is($res->code, 401, "$what: 401");
    is($res->header('WWW-Authenticate'), 'NextAuth', "$what: WWW-Authenticate: NextAuth");
    ok(!defined $res->header('Location'), "$what: no Location");
    refused($res, $what);
    return $res;
}

# --- no session -------------------------------------------------------------------------
redirected('/static/index.html', 'browser GET');
redirected('/static/', 'browser GET of the directory');
redirected('/static/index.html?a=1&b=%2F&c=d%20e', 'browser GET with a query (kept verbatim)');
redirected('/static/index.html', 'Sec-Fetch-Mode: navigate is a browser',
           'Sec-Fetch-Mode' => 'navigate', Accept => 'text/html,application/xhtml+xml');
redirected('/static/index.html', 'a client X-NextAuth-Email grants nothing',
           'X-NextAuth-Email' => 'alice@example.com', 'X-NextAuth-Sub' => 'alice@example.com');
{
    my $res = req(HEAD => url('protect', '/static/index.html'));
    is($res->code, 302, 'HEAD: redirected like GET');
    refused($res, 'HEAD');
}

unauthorized(GET => '/static/index.html', 'Accept: application/json', Accept => 'application/json');
unauthorized(GET => '/static/index.html', 'Accept: JSON among others',
             Accept => 'text/html;q=0.9, Application/JSON');
unauthorized(GET => '/static/index.html', 'X-Requested-With: XMLHttpRequest',
             'X-Requested-With' => 'XMLHttpRequest');
unauthorized(GET => '/static/index.html', 'X-Requested-With in lower case',
             'X-Requested-With' => 'xmlhttprequest');
unauthorized(GET => '/static/index.html', 'Sec-Fetch-Mode: cors', 'Sec-Fetch-Mode' => 'cors');
unauthorized($_ => '/static/index.html', "$_ without a session") for qw(POST PUT DELETE OPTIONS);

# Forged or foreign session cookies are no session.
redirected('/static/index.html', 'garbage session cookie',
           Cookie => 'next-auth.session-token=garbage');
{
    my $other = signin('otherkey', 'alice@example.com');
    redirected('/static/index.html', "a session of another site's secret", Cookie => $other);
}

# --- signed in ---------------------------------------------------------------------------
my $alice = signin('protect', 'alice@example.com');
like($alice, qr/^next-auth\.session-token=eyJ[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/,
     'a real sign-in issued one JWE session cookie');
for my $path ('/static/index.html', '/static/index.html?x=1') {
    my $res = req(GET => url('protect', $path), [Cookie => $alice]);
    is($res->code, 200, "signed in: GET $path: 200");
    like($res->content, qr/\Q$SECRET_TEXT\E/, "signed in: GET $path: the file");
    ok(!defined $res->header('WWW-Authenticate'), "signed in: GET $path: no challenge");
}
{
    # A JSON client with a session is served like anyone else.
    my $res = req(GET => url('protect', '/static/index.html'),
                  [Cookie => $alice, Accept => 'application/json']);
    is($res->code, 200, 'signed in, Accept: application/json: 200');
    like($res->content, qr/\Q$SECRET_TEXT\E/, 'signed in, JSON client: the file');
}
{
    my $carol = signin('protect', 'carol');
    my $res = req(GET => url('protect', '/static/index.html'), [Cookie => $carol]);
    is($res->code, 200, 'a user whose name is not an e-mail address: 200 (valid-user)');
}
{
    # Signed out (the cookie cleared by POST signout): redirected again.
    my ($token, $jar) = csrf_roundtrip('protect');
    my $res = req(POST => url('protect', '/api/auth/signout'),
                  [Cookie => "$jar; $alice", 'Content-Type' => 'application/x-www-form-urlencoded'],
                  form_body(csrfToken => $token));
    is($res->code, 302, 'sign-out: 302');
    my ($cleared) = grep { $_->{name} eq 'next-auth.session-token' }
                    map { parse_set_cookie($_) } set_cookies($res);
    ok($cleared && $cleared->{value} eq '' && grep({ $_ eq 'Max-Age=0' } @{ $cleared->{attrs} }),
       'sign-out clears the session cookie');
    # The browser drops it; what it has left is not a session.
    redirected('/static/index.html', 'after sign-out', Cookie => $jar);
}

log_clean($mark);
done_testing();
