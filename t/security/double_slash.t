# callbackUrl paths starting with two slashes (issue 12): "<origin>//evil.example/x" is on
# the site, but a page or backend resolving the path alone finds "//evil.example/x", another
# host. The accepted URL keeps one leading slash: <origin>/evil.example/x, in the
# callback-url cookie, the sign-in form's hidden callbackUrl and the redirect after a
# credentials sign-in. Scenario default (custom for the sign-in).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

plan tests => 9;

my $origin = origin('default');
my $want = "$origin/evil.example/x";

for my $cb ("$origin//evil.example/x", "$origin///evil.example/x", "$origin/%2F%5Cevil.example/x") {
    my $mark = log_mark();
    my $res = req(GET => url('default', '/api/auth/signin?callbackUrl=' . uri_component($cb)));
    my $c = cookie_named($res, 'next-auth.callback-url');
    is(defined $c ? uri_decode($c->{value}) : undef, $want, "$cb: the callback-url cookie");
    my ($hidden) = $res->content =~ /name="callbackUrl"[^>]*value="([^"]*)"/;
    ($hidden) = $res->content =~ /value="([^"]*)"[^>]*name="callbackUrl"/ unless defined $hidden;
    $hidden =~ s/&amp;/&/g if defined $hidden;
    is($hidden, $want, "$cb: the form's hidden callbackUrl");
}

# The credentials sign-in on scenario custom (default's staff file has no test password).
my $corigin = origin('custom');
my ($res) = signin_form('custom', 'alice@example.com', password_of('alice@example.com'),
                        fields => [callbackUrl => "$corigin//evil.example/x"]);
is($res->header('Location'), "$corigin/evil.example/x", 'credentials sign-in: Location')
    or diag($res->status_line . ' ' . ($res->header('Location') // '') . ' ' . substr($res->content, 0, 200));

my ($json) = signin_form('custom', 'alice@example.com', password_of('alice@example.com'),
                         fields => [callbackUrl => "$corigin//evil.example/x", json => 'true']);
is((json_of($json) // {})->{url}, "$corigin/evil.example/x", 'credentials sign-in, json=true: {"url"}');

my $mark = log_mark();
log_clean($mark);
