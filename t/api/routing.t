# Which requests the module claims (DESIGN "Routes", STYLE 2.2): exactly the base path
# and what is below it, on servers touched by a NextAuth directive. Unknown routes are
# 404, a known route with a wrong method is 405 with an Allow header listing the right
# methods; neither mints cookies. Everything else is left to httpd, which the static
# files under t/htdocs/api/ make visible: a STATIC-FILE body means "not claimed".
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();

sub claimed_404 {
    my ($scenario, $method, $path) = @_;
    my $res = req($method => url($scenario, $path));
    my $what = "$scenario: $method $path";
    is($res->code, 404, "$what: 404");
    unlike($res->content, qr/STATIC-FILE/, "$what: claimed (the static file is not served)");
    is_deeply([set_cookies($res)], [], "$what: no cookie");
}

sub not_claimed {
    my ($scenario, $path, $static) = @_;
    my $res = req(GET => url($scenario, $path));
    my $what = "$scenario: GET $path";
    if ($static) {
        is($res->code, 200, "$what: httpd serves the file");
        like($res->content, qr/^STATIC-FILE-NOT-THE-MODULE \Q$static\E$/, "$what: static body");
    }
    else {
        is($res->code, 404, "$what: httpd's own 404");
        like($res->header('Content-Type') // '', qr{^text/html}, "$what: httpd's HTML page");
    }
    unlike($res->content, qr/csrfToken|signinUrl|problem with the server/, "$what: no JSON");
    is_deeply([set_cookies($res)], [], "$what: no cookie");
}

# Allow as a set of methods, whatever order or spacing httpd uses. httpd adds TRACE
# itself (TraceEnable is on by default and core answers TRACE before any handler).
sub allow_set {
    my ($res) = @_;
    my %m = map { uc($_) => 1 } grep { length } split /\s*,\s*/, $res->header('Allow') // '';
    delete $m{TRACE};
    return join ',', sort keys %m;
}

sub wrong_method {
    my ($scenario, $method, $path, $allow) = @_;
    my $res = req($method => url($scenario, $path), [], $method eq 'POST' ? '' : undef);
    my $what = "$scenario: $method $path";
    is($res->code, 405, "$what: 405");
    is(allow_set($res), join(',', sort split /,/, $allow), "$what: Allow lists $allow");
    is_deeply([set_cookies($res)], [], "$what: no cookie (nothing is minted)");
}

# --- unknown routes under the base path ------------------------------------------------
claimed_404('default', GET => $_) for qw(
    /api/auth/nope /api/auth/nope?x=1 /api/auth/csrf/extra /api/auth/signin/a/b
    /api/auth/providers/github /api/auth/session/ /api/auth/callback /api/auth/
    /api/auth /api/auth/CSRF /api/auth/_log/x /api/auth/error/a/b
);
claimed_404('default', POST => '/api/auth/nope');

# --- known routes, wrong methods --------------------------------------------------------
wrong_method('default', PUT    => '/api/auth/csrf',      'GET,HEAD');
wrong_method('default', POST   => '/api/auth/csrf',      'GET,HEAD');
wrong_method('default', DELETE => '/api/auth/session',   'GET,HEAD,POST');
wrong_method('default', POST   => '/api/auth/providers', 'GET,HEAD');
wrong_method('default', PATCH  => '/api/auth/signin',    'GET,HEAD,POST');
wrong_method('default', GET    => '/api/auth/_log',      'POST');
wrong_method('default', OPTIONS => '/api/auth/csrf',     'GET,HEAD');
wrong_method('basepath', PUT   => '/auth/v1/csrf',       'GET,HEAD');

# --- HEAD is GET without a body -------------------------------------------------------
{
    my $res = req(HEAD => url('default', '/api/auth/csrf'));
    is($res->code, 200, 'HEAD csrf: 200');
    is($res->content, '', 'HEAD csrf: no body');
    is($res->header('Content-Type'), 'application/json; charset=utf-8', 'HEAD csrf: JSON type');
    ok(cookie_named($res, 'next-auth.csrf-token'), 'HEAD csrf: the CSRF cookie is set');
}

# httpd decodes the path and merges slashes before the module sees it.
for my $path ('/api/auth/%63srf', '/api/auth//csrf', '//api/auth/csrf') {
    my $res = req(GET => url('default', $path));
    is($res->code, 200, "$path is the csrf route");
    like($res->content, qr/^\{"csrfToken":"[0-9a-f]{64}"\}$/, "$path: csrf body");
}

# --- paths that only look like the base path -------------------------------------------
not_claimed('default', '/api/authx', 'authx');
not_claimed('default', '/api/authentication', 'authentication');
not_claimed('default', '/api/auth.json');
not_claimed('default', '/API/AUTH/csrf');
not_claimed('default', '/api/aut/csrf');
not_claimed('default', '/auth/v1/csrf');          # another vhost's base path

# --- custom base path: claimed there, and /api/auth left to httpd -----------------------
{
    my $res = req(GET => url('basepath', '/auth/v1/csrf'));
    is($res->code, 200, 'basepath: /auth/v1/csrf answers');
    like($res->content, qr/^\{"csrfToken":"[0-9a-f]{64}"\}$/, 'basepath: csrf body');
    claimed_404('basepath', GET => '/auth/v1/nope');
    claimed_404('basepath', GET => '/auth/v1');
    not_claimed('basepath', '/api/auth/csrf', 'csrf');
    not_claimed('basepath', '/api/auth/providers', 'providers');
    not_claimed('basepath', '/api/auth/nope', 'nope');
    not_claimed('basepath', '/auth/v1x/csrf');
    not_claimed('basepath', '/auth/csrf');
}

# NextAuthURL with a path sets the base path.
{
    my $res = req(GET => url('urlpath', '/myapp/api/authentication/csrf'));
    is($res->code, 200, 'urlpath: the base path comes from NextAuthURL');
    not_claimed('urlpath', '/api/auth/csrf', 'csrf');
    not_claimed('urlpath', '/myapp/api/auth/csrf');
}

# --- servers without any NextAuth directive are not touched --------------------------
for my $s (qw(plain main)) {
    not_claimed($s, '/api/auth/csrf', 'csrf');
    not_claimed($s, '/api/auth/providers', 'providers');
    not_claimed($s, '/api/auth/nope', 'nope');
    not_claimed($s, '/api/auth/session');
    not_claimed($s, '/api/auth/signin');
    not_claimed($s, '/api/auth/_log');
}

log_clean($mark);
done_testing();
