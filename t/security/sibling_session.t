# Issue 11 item 6: two virtual hosts of different sites with the same NextAuthSecret
# (scenario sibling). Under NextAuthCookie shared=auto each site's session keys are bound
# to it: a cookie signed in on siblinga is refused on siblingb ({} and NA00014) and still
# accepted on siblinga. With shared=on (siblingc, siblingd) next-auth's derivation is kept
# and the cookie is accepted on both.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use JSON::PP ();
use NextAuth::Test;

my $mark = log_mark();

sub session_of {
    my ($scenario, $cookie) = @_;
    my $res = req(GET => url($scenario, '/api/auth/session'), [Cookie => $cookie]);
    is($res->code, 200, "$scenario: session 200");
    return $res->content;
}

my $a = signin('siblinga', 'alice@example.com');
like(session_of('siblinga', $a), qr/alice\@example\.com/, 'siblinga cookie accepted on siblinga');
my $m = log_mark();
is(session_of('siblingb', $a), '{}', 'siblinga cookie refused on siblingb');
my $res = req(GET => url('siblingb', '/static/'), [Cookie => $a]);
isnt($res->code, 200, 'siblinga cookie does not open siblingb protected location');
log_clean($m, expect => [qr/\[(?:\w+:)?info\].*NA00014/], name => 'refusal logged NA00014');

my $c = signin('siblingc', 'alice@example.com');
like(session_of('siblingc', $c), qr/alice\@example\.com/, 'shared=on: accepted on siblingc');
like(session_of('siblingd', $c), qr/alice\@example\.com/, 'shared=on: accepted on siblingd');

log_clean($mark);
done_testing();
