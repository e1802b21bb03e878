# A server touched by a NextAuth directive (here only NextAuthBasePath) but with no
# NextAuthSecret: apache2 -t accepts it, since no provider needs the secret yet, and the
# routes answer next-auth's configuration error (SPEC §1.0): 500, JSON, a fixed message
# with no detail; the reason goes to the error log (NA00002), and no cookie is minted
# without a secret to sign it. Routing (404/405) still works.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $MESSAGE = 'There is a problem with the server configuration. '
            . 'Check the server logs for more information.';

for my $route (qw(csrf session providers)) {
    my $res = req(GET => url('nosecret', "/api/auth/$route"));
    is($res->code, 500, "$route: 500");
    is($res->header('Content-Type'), 'application/json; charset=utf-8', "$route: JSON type");
    is_deeply(json_of($res), { message => $MESSAGE }, "$route: next-auth's message, nothing else");
    is_deeply([set_cookies($res)], [], "$route: no cookie without a secret");
    unlike($res->content, qr/NextAuthSecret|secret/i, "$route: the reason stays in the log");
}

{
    my $res = req(HEAD => url('nosecret', '/api/auth/csrf'));
    is($res->code, 500, 'HEAD csrf: 500');
    is($res->content, '', 'HEAD csrf: no body');
}

# Routing happens before the configuration check.
{
    my $res = req(GET => url('nosecret', '/api/auth/nope'));
    is($res->code, 404, 'unknown route: 404');
    $res = req(PUT => url('nosecret', '/api/auth/csrf'), [], 'x');
    is($res->code, 405, 'PUT csrf: 405');
}

# The static file under /api/auth is not served: the vhost is touched, so the module
# claims its base path even in this state.
{
    my $res = req(GET => url('nosecret', '/api/auth/providers'));
    unlike($res->content, qr/STATIC-FILE/, 'base path is claimed');
}

log_clean($mark,
          allow  => [qr/\[nextauth:error\].*NA00002: configuration error: NextAuthSecret/],
          expect => [qr/NA00002: configuration error: NextAuthSecret is not set for this server/]);
done_testing();
