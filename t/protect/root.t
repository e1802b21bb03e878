# AuthType NextAuth on the whole site (scenario protectroot, <Location /> with Require
# valid-user): the auth routes under /api/auth stay reachable without a session (or the
# sign-in page would redirect to itself), every other path redirects to sign-in, and a
# sign-in through those routes opens the site.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('protectroot');

sub to_signin {
    my ($path, $what) = @_;
    my $res = req(GET => url('protectroot', $path));
    is($res->code, 302, "$what: 302");
    is($res->header('Location'),
       "$origin/api/auth/signin?callbackUrl=" . uri_component("$origin$path"),
       "$what: to the sign-in page with callbackUrl");
    unlike($res->content, qr/PROTECTED-STATIC-CONTENT/, "$what: no content");
}

# --- the auth routes answer without a session -------------------------------------------
{
    my $res = req(GET => url('protectroot', '/api/auth/signin'));
    is($res->code, 200, 'GET signin: 200');
    like($res->content, qr{<form action="\Q$origin\E/api/auth/callback/credentials" method="POST">},
         'GET signin: the sign-in page with the credentials form');
    ok(!defined $res->header('Location'), 'GET signin: no redirect to itself');

    $res = req(GET => url('protectroot',
                          '/api/auth/signin?callbackUrl=%2Fprotect%2Fstatic%2Findex.html'));
    is($res->code, 200, 'GET signin with callbackUrl: 200');
    like($res->content, qr{name="callbackUrl" value="\Q$origin\E/protect/static/index\.html"},
         'GET signin with callbackUrl: carried into the form');

    $res = req(GET => url('protectroot', '/api/auth/csrf'));
    is($res->code, 200, 'GET csrf: 200');
    like($res->content, qr/^\{"csrfToken":"[0-9a-f]{64}"\}$/, 'GET csrf: the token');
    $res = req(GET => url('protectroot', '/api/auth/providers'));
    is($res->code, 200, 'GET providers: 200');
    like($res->content, qr/"credentials"/, 'GET providers: the provider list');
    $res = req(GET => url('protectroot', '/api/auth/session'));
    is($res->code, 200, 'GET session: 200');
    is($res->content, '{}', 'GET session: {} without a session');
    $res = req(GET => url('protectroot', '/api/auth/error?error=AccessDenied'));
    is($res->code, 403, 'GET error: the error page itself (403 for AccessDenied)');
    like($res->content, qr/<div class="error">/, 'GET error: the error page');
}

# --- everything else needs a session ------------------------------------------------------
# Only the module's routes are exempt (issue 11): the rest of the base path is protected.
to_signin('/api/auth/nope', 'an unknown route under the base path');
to_signin('/', 'GET /');
to_signin('/protect/static/index.html', 'a static file');
to_signin('/api/authx', 'a path that only starts like the base path');
to_signin('/api', 'the parent of the base path');
{
    my $res = req(GET => url('protectroot', '/api/auth/../../protect/static/index.html'));
    isnt($res->code, 200, 'dot segments out of the base path do not bypass the protection');
    unlike($res->content, qr/PROTECTED-STATIC-CONTENT/, 'dot segments: no content');
}
{
    my $res = req(GET => url('protectroot', '/protect/static/index.html'),
                  [Accept => 'application/json']);
    is($res->code, 401, 'a JSON client: 401');
}

# --- a sign-in through the reachable routes opens the site ---------------------------------
{
    my ($res, $jar) = signin_form('protectroot', 'alice@example.com', 'wonderland',
                                  fields => [callbackUrl => '/protect/static/index.html']);
    is($res->code, 302, 'POST callback/credentials inside the protected location: 302');
    is($res->header('Location'), "$origin/protect/static/index.html",
       'sign-in: back to the page asked for');
    my $session = session_cookie($res);
    ok($session, 'sign-in: a session cookie');
    $res = req(GET => url('protectroot', '/protect/static/index.html'), [Cookie => $session]);
    is($res->code, 200, 'signed in: 200');
    like($res->content, qr/PROTECTED-STATIC-CONTENT/, 'signed in: the file');
    $res = req(GET => url('protectroot', '/api/auth/session'), [Cookie => $session]);
    is((json_of($res) || {})->{user}{email}, 'alice@example.com', 'signed in: session JSON');

    ($res) = signin_form('protectroot', 'alice@example.com', 'not-her-password');
    is($res->code, 302, 'a wrong password inside the protected location: 302');
    is($res->header('Location'), "$origin/api/auth/signin?error=CredentialsSignin",
       'a wrong password: back to the sign-in page with CredentialsSignin');
    is(session_cookie($res), '', 'a wrong password: no session cookie');
}

log_clean($mark);
done_testing();
