# GET <base>/session without a valid session (SPEC §1.5, §12, §16): 200 with the body
# {} (not null), JSON type and the three no-store headers, whatever session cookies the
# client sends: none, garbage, truncated, chunked junk. A bad session cookie may be
# cleared (Max-Age=0), never answered with an error, and the number of cookies the
# module clears is bounded. Forged cookies are client faults: nothing above info.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my %NO_STORE = NO_STORE_HEADERS;

sub no_session {
    my ($scenario, $what, %o) = @_;
    my $base = $o{base} // '/api/auth';
    my $session = $o{session} // 'next-auth.session-token';
    my $res = req($o{method} // 'GET', url($scenario, "$base/session"),
                  $o{cookie} ? [Cookie => $o{cookie}] : []);
    is($res->code, 200, "$what: 200");
    is($res->header('Content-Type'), 'application/json; charset=utf-8', "$what: JSON type");
    is($res->header($_), $NO_STORE{$_}, "$what: $_: $NO_STORE{$_}") for sort keys %NO_STORE;
    if (($o{method} // 'GET') eq 'HEAD') {
        is($res->content, '', "$what: no body");
    }
    else {
        is($res->content, '{}', "$what: body is exactly {}");
    }
    # Only the CSRF / callback-url cookies, and deletions of session cookies.
    my @sc = map { parse_set_cookie($_) } set_cookies($res);
    my @bad = grep {
        my $c = $_;
        !($c->{name} =~ /(?:^|\.|-)(?:csrf-token|callback-url)$/
          || ($c->{name} =~ /^\Q$session\E(?:\.\d+)?$/ && $c->{value} eq ''
              && grep { $_ eq 'Max-Age=0' } @{ $c->{attrs} }))
    } @sc;
    is_deeply(\@bad, [], "$what: no cookie but csrf/callback-url and session deletions")
        or diag(join "\n", map { $_->{raw} } @bad);
    ok(@sc <= 40, "$what: a bounded number of Set-Cookie headers (" . scalar(@sc) . ')');
    ok(!grep({ $_->{value} ne '' && $_->{name} =~ /session-token/ } @sc),
       "$what: no session cookie is issued");
    return $res;
}

no_session('default', 'no cookie at all');
no_session('default', 'HEAD, no cookie', method => 'HEAD');

my $jwe_shape = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..' . ('A' x 16) . '.' . ('B' x 40)
              . '.' . ('C' x 22);
my %garbage = (
    'garbage value'            => 'next-auth.session-token=garbage',
    'empty value'              => 'next-auth.session-token=',
    'JWE-shaped garbage'       => "next-auth.session-token=$jwe_shape",
    'truncated JWE shape'      => 'next-auth.session-token=' . substr($jwe_shape, 0, 50),
    'wrong JWE header'         => 'next-auth.session-token=eyJhbGciOiJub25lIn0.e30.',
    'percent-encoded NUL'      => 'next-auth.session-token=abc%00def',
    'bad percent-encoding'     => 'next-auth.session-token=%zz%',
    'quoted value'             => 'next-auth.session-token="abc"',
    'long value (7 KB)'        => 'next-auth.session-token=' . ('x' x 7000),
    'chunks .0 and .1'         => "next-auth.session-token.0=$jwe_shape; "
                                  . 'next-auth.session-token.1=zz',
    'chunk with a huge index'  => 'next-auth.session-token.99999999999999999999=zz',
    'chunk with a non-number'  => 'next-auth.session-token.x=zz',
    'plain and chunked'        => "next-auth.session-token=a; next-auth.session-token.0=b",
    '200 junk chunks'          => join('; ', map { "next-auth.session-token.$_=j" } 0 .. 199),
    'database-looking token'   => 'next-auth.session-token=3f1c2a0e-8b9b-4c1e-9d35-1d1f0f6c2b7a',
    'secure name on http site' => "__Secure-next-auth.session-token=$jwe_shape",
);
for my $what (sort keys %garbage) {
    no_session('default', "cookie: $what", cookie => $garbage{$what});
}

# Secure site: the __Secure- session cookie name, garbage in it.
no_session('secure', 'secure: garbage __Secure- session',
           cookie => "__Secure-next-auth.session-token=$jwe_shape",
           session => '__Secure-next-auth.session-token');
# Custom prefix and base path.
no_session('prefix', 'prefix: garbage myapp session', cookie => 'myapp.session-token=junk',
           session => 'myapp.session-token');
no_session('basepath', 'basepath: garbage session', base => '/auth/v1',
           cookie => 'next-auth.session-token=junk');

log_clean($mark);
done_testing();
