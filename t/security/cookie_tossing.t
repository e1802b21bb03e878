# Cookie tossing (issue 11): a sibling subdomain can set a Domain= cookie with the name of
# our session cookie (or of one of its chunks), and the browser sends both. Keeping the
# first value let the tosser pick the session; a name carrying two different values is
# refused (NA00014 "sent twice with different values"), an identical duplicate accepted.
# Scenario protect: /static/ is AuthType NextAuth + Require valid-user.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

plan tests => 16;

my $cookie = signin('protect', 'alice@example.com');
my ($first) = split /;\s*/, $cookie;
my ($name, $value) = split /=/, $first, 2;
my $other = substr($value, 0, -1) . (substr($value, -1) eq 'A' ? 'B' : 'A');

sub static_with {
    my ($c) = @_;
    return req(GET => url('protect', '/static/index.html'), [Cookie => $c]);
}

sub session_with {
    my ($c) = @_;
    return req(GET => url('protect', '/api/auth/session'), [Cookie => $c]);
}

my $res = static_with($cookie);
is($res->code, 200, 'the session cookie alone: /static/ served');
like($res->content, qr/PROTECTED-STATIC-CONTENT/, 'the session cookie alone: content');
like(session_with($cookie)->content, qr/alice\@example\.com/, 'the session cookie alone: session');

for my $case (['tossed after', "$cookie; $name=$other"],
              ['tossed before', "$name=$other; $cookie"]) {
    my ($label, $c) = @$case;
    my $mark = log_mark();
    $res = static_with($c);
    is($res->code, 302, "$label ($name twice, different values): /static/ redirects");
    unlike($res->content, qr/PROTECTED-STATIC-CONTENT/, "$label: content not served");
    my $s = session_with($c);
    is($s->code, 200, "$label: /api/auth/session answers");
    is($s->content =~ s/\s+//gr, '{}', "$label: /api/auth/session is {}");
    log_clean($mark, expect => [qr/NA00014.*session cookie refused: sent twice with different values/],
              never => [$value, $other], name => "$label: NA00014 logged, no cookie value");
}

# The same name twice with the same value (host-only and Domain=, or two paths): accepted.
$res = static_with("$cookie; $first");
is($res->code, 200, 'an identical duplicate: /static/ served');
like($res->content, qr/PROTECTED-STATIC-CONTENT/, 'an identical duplicate: content');
like(session_with("$cookie; $first")->content, qr/alice\@example\.com/,
     'an identical duplicate: session');
