# AuthType NextAuth on "/" in front of mod_proxy (ProxyPass / to the echo backend;
# scenario proxyroot; issue 11 item 4). Before the fix, every path under the base path was
# exempt from the protection, so a path there that is no route of the module (or a route
# another handler would serve) reached the backend without a session. Now only the
# module's routes are exempt, and the module answers them itself: nothing under
# /api/auth reaches the backend, signed in or not; everything else needs a session.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('proxyroot');

sub get {
    my ($path, @headers) = @_;
    return req(GET => url('proxyroot', $path), [@headers]);
}

# --- the routes: answered by the module without a session, never by the backend --------
for my $route ('/api/auth/session', '/api/auth/csrf', '/api/auth/providers',
               '/api/auth/signin', '/api/auth/error?error=Configuration') {
    my $res = get($route);
    like($res->code, qr/^(?:200|500)$/, "$route without a session: the module answers");
    unlike($res->content, qr/ECHO-CGI/, "$route: not the backend");
}
is(get('/api/auth/session')->content, '{}', 'GET session: {}');

# --- not routes, under the base path: no exemption, no backend ----------------------------
for my $path ('/api/auth/admin', '/api/auth/session/x/../../admin', '/api/auth/callback',
              '/api/auth/.env', '/api/auth/signin/github/extra/') {
    my $res = get($path);
    is($res->code, 302, "$path without a session: sent to sign in");
    like($res->header('Location') // '', qr{^\Q$origin\E/api/auth/signin\?callbackUrl=},
         "$path: to the sign-in page");
    unlike($res->content, qr/ECHO-CGI/, "$path: the backend never saw it");
}
{
    my $res = req(POST => url('proxyroot', '/api/auth/admin'),
                  ['Content-Type' => 'application/x-www-form-urlencoded'], 'a=1');
    is($res->code, 401, 'POST to a non-route without a session: 401');
    unlike($res->content, qr/ECHO-CGI/, 'POST to a non-route: the backend never saw it');
}

# --- the rest of the site: protected, then proxied with the identity ----------------------
{
    my $res = get('/app/page');
    is($res->code, 302, 'a backend page without a session: 302');
    unlike($res->content, qr/ECHO-CGI/, 'a backend page without a session: no content');
}
{
    my $session = signin('proxyroot', 'alice@example.com');
    my $res;
    # A single-process server (valgrind's httpd -X) cannot answer its own proxy.
    unless ($ENV{NEXTAUTH_TEST_ONE_PROCESS}) {
        $res = get('/app/page', Cookie => $session);
        is($res->code, 200, 'signed in: the backend page');
        like($res->content, qr/ECHO-CGI/, 'signed in: proxied to the backend');
        like($res->content, qr/^HTTP_X_NEXTAUTH_EMAIL=alice\@example\.com$/m,
             'signed in: the backend gets the identity');
    }
    $res = get('/api/auth/admin', Cookie => $session);
    is($res->code, 404, 'signed in, a non-route under the base path: the module\'s 404');
    unlike($res->content, qr/ECHO-CGI/, 'signed in, a non-route: not proxied');
}

log_clean($mark);
done_testing();
