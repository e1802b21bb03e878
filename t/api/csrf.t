# GET <base>/csrf (SPEC §1.6, §4, §5): {"csrfToken": 64 hex} plus next-auth's
# double-submit cookie "<token>|<sha256(token + secret)>" (sent as %7C), attributes in
# next-auth's order, no expiry; a valid cookie is reused and not re-sent; anything else
# (forged hash, truncated, garbage, another secret) is replaced. Hashes are recomputed
# here with Digest::SHA from the secret each scenario is configured with.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();

my $HEX64 = qr/[0-9a-f]{64}/;

# One fresh cookie from SCENARIO; checks body, headers and the exact Set-Cookie line.
sub fresh {
    my ($scenario, %o) = @_;
    my $name = $o{name} // 'next-auth.csrf-token';
    my $base = $o{base} // '/api/auth';
    my $secure = $o{secure} ? '; Secure' : '';
    my $what = "$scenario" . ($o{what} ? " ($o{what})" : '');
    my $res = req(GET => url($scenario, "$base/csrf"), $o{headers});

    is($res->code, 200, "$what: 200");
    is($res->header('Content-Type'), 'application/json; charset=utf-8', "$what: JSON type");
    my %no_store = NO_STORE_HEADERS;
    is($res->header($_), $no_store{$_}, "$what: $_: $no_store{$_}") for sort keys %no_store;
    my $data = json_of($res);
    is_deeply([keys %{ $data || {} }], ['csrfToken'], "$what: body has only csrfToken")
        or diag($res->content);
    my $token = $data->{csrfToken} // '';
    like($token, qr/^$HEX64$/, "$what: token is 64 lower-case hex digits");

    my $csrf = eval { cookie_named($res, $name) };
    ok($csrf, "$what: exactly one $name Set-Cookie") or diag($@);
    my $raw = $csrf ? $csrf->{raw} : '';
    like($raw, qr/^\Q$name\E=($HEX64)%7C($HEX64); Path=\/; HttpOnly\Q$secure\E; SameSite=Lax$/,
         "$what: Set-Cookie is '$name=<token>%7C<hash>; Path=/; HttpOnly$secure; SameSite=Lax'");
    my ($ctoken, $chash) = $raw =~ /^[^=]+=($HEX64)%7C($HEX64)/;
    is($ctoken, $token, "$what: the cookie carries the token of the body");
    is($chash, csrf_hash($token, secret_of($scenario)),
       "$what: hash is SHA-256 hex of token + configured secret");

    # SPEC §1.0: the first request also sets the callback-url cookie to the origin.
    my $cbname = $o{cbname} // 'next-auth.callback-url';
    my $origin = $o{origin} // origin($scenario);
    my $cb = eval { cookie_named($res, $cbname) };
    is($cb && $cb->{raw},
       "$cbname=" . uri_component($origin) . "; Path=/; HttpOnly$secure; SameSite=Lax",
       "$what: $cbname is the origin, URI-encoded");
    is(scalar(() = set_cookies($res)), 2, "$what: no other cookie is set")
        or diag(join "\n", set_cookies($res));
    return ($token, "$ctoken|$chash");
}

# Sends COOKIE (a raw "name=value" header) and expects the token to be REUSED or
# replaced. Returns the token of the answer.
sub with_cookie {
    my ($scenario, $cookie, $expect, $what, %o) = @_;
    my $name = $o{name} // 'next-auth.csrf-token';
    my $res = req(GET => url($scenario, ($o{base} // '/api/auth') . '/csrf'),
                  [Cookie => $cookie]);
    is($res->code, 200, "$what: 200");
    my $token = (json_of($res) || {})->{csrfToken} // '';
    my $c = cookie_named($res, $name);
    if ($expect eq 'reuse') {
        is($token, $o{token}, "$what: the cookie's token is reused");
        ok(!$c, "$what: a valid cookie is not re-sent");
    }
    else {
        like($token, qr/^$HEX64$/, "$what: a new token");
        isnt($token, $o{token}, "$what: not the token of the rejected cookie") if $o{token};
        ok($c, "$what: a new cookie replaces it") or return $token;
        my ($t, $h) = $c->{value} =~ /^($HEX64)%7C($HEX64)$/;
        is($t, $token, "$what: new cookie carries the new token");
        is($h, csrf_hash($token, secret_of($scenario)), "$what: new cookie hash is right");
    }
    return $token;
}

# --- the everyday scenario ---------------------------------------------------------------
my ($token, $value) = fresh('default');
my ($token2) = fresh('default', what => 'second visit');
isnt($token2, $token, 'each cookie-less request gets its own random token');

(my $encoded = $value) =~ s/\|/%7C/;
with_cookie('default', "next-auth.csrf-token=$encoded", 'reuse', 'valid cookie, %7C form',
            token => $token);
with_cookie('default', "next-auth.csrf-token=$value", 'reuse', 'valid cookie, literal |',
            token => $token);
with_cookie('default', "a=1; next-auth.csrf-token=$encoded; b=2", 'reuse',
            'valid cookie among others', token => $token);
with_cookie('default', qq(next-auth.csrf-token="$encoded"), 'reuse',
            'valid cookie, RFC 6265 quoted', token => $token);

my ($t, $h) = split /\|/, $value;
(my $badhash = $h) =~ s/(.)$/$1 eq '0' ? '1' : '0'/e;
my %forged = (
    'bad hash (last digit changed)'  => "$t%7C$badhash",
    'truncated hash'                 => "$t%7C" . substr($h, 0, 40),
    'truncated token'                => substr($t, 0, 63) . "%7C$h",
    'token only'                     => $t,
    'no token'                       => "%7C$h",
    'garbage'                        => 'garbage',
    'empty'                          => '',
    'bad percent-encoding'           => "$t%ZZ$h",
    'percent-encoded NUL'            => "$t%00%7C$h",
    'swapped halves'                 => "$h%7C$t",
    'hash under another secret'      => "$t%7C" . csrf_hash($t, 'some-other-secret'),
    'upper-case token, right hash'   => uc($t) . '%7C' . csrf_hash(uc($t), secret_of('default')),
    'two bars'                       => "$t%7C$h%7C$h",
    'extra text after the hash'      => "$t%7C${h}00",
    'a 4 KB value'                   => 'a' x 4096,
);
for my $what (sort keys %forged) {
    with_cookie('default', "next-auth.csrf-token=$forged{$what}", 'replace', "forged: $what",
                token => $t);
}

# A well-formed cookie minted for another site with another secret is not ours.
{
    my (undef, $other) = fresh('cookieoff', what => 'donor of a foreign cookie',
                               origin => 'https://off.example.test');
    with_cookie('default', "next-auth.csrf-token=$other", 'replace', 'cookie of another secret');
}

# Near-miss names are other cookies: the real one is still needed.
for my $n ('Next-Auth.csrf-token', 'next-auth.csrf-token.0', '__Host-next-auth.csrf-token',
           'xnext-auth.csrf-token', 'next-auth.csrf') {
    with_cookie('default', "$n=$encoded", 'replace', "cookie named '$n' is not the CSRF cookie");
}

# Very large Cookie header (under httpd's own limit): still a fresh token, no error.
with_cookie('default', join('; ', map { "junk$_=" . ('x' x 90) } 1 .. 80),
            'replace', 'large Cookie header full of other cookies');

# HEAD: headers and cookie, no body.
{
    my $res = req(HEAD => url('default', '/api/auth/csrf'));
    is($res->code, 200, 'HEAD csrf: 200');
    is($res->content, '', 'HEAD csrf: no body');
    is($res->header('Cache-Control'), 'private, no-cache, no-store', 'HEAD csrf: no-store');
    like(scalar(set_cookies($res)) ? (set_cookies($res))[0] : '',
         qr/^next-auth\.csrf-token=$HEX64%7C$HEX64; Path=\/; HttpOnly; SameSite=Lax$/,
         'HEAD csrf: the cookie is minted as for GET');
}

# Both of the first answer's cookies sent back: nothing to set at all.
{
    my ($first, $jar) = csrf_roundtrip('default');
    like($jar, qr/^next-auth\.csrf-token=[^;]+; next-auth\.callback-url=[^;]+$/,
         'the first answer leaves two cookies in the jar');
    my $res = req(GET => url('default', '/api/auth/csrf'), [Cookie => $jar]);
    is($res->code, 200, 'both cookies back: 200');
    is((json_of($res) || {})->{csrfToken}, $first, 'both cookies back: same token');
    ok(!cookie_named($res, 'next-auth.csrf-token'), 'both cookies back: no CSRF Set-Cookie');
    # The callback-url cookie holds the bare origin; sent back, it must compare equal to
    # what the redirect check makes of it, or it would be set again on every request.
    is_deeply([set_cookies($res)], [], 'both cookies back: no Set-Cookie at all');
}

# The callback URL is resolved on every route (SPEC §1.0 step 2, §16): a callback-url
# cookie or callbackUrl query that leaves the site, or is malformed, never makes csrf
# fail; the cookie is reset to a URL on the site's own origin.
{
    my $origin = origin('default');
    my %cases = (
        'cookie javascript:'      => [Cookie => 'next-auth.callback-url=javascript:alert(1)'],
        'cookie lone %'           => [Cookie => 'next-auth.callback-url=%'],
        'cookie foreign origin'
            => [Cookie => 'next-auth.callback-url=https%3A%2F%2Fevil.example%2F'],
        'cookie CRLF'
            => [Cookie => 'next-auth.callback-url=%2F%0D%0ASet-Cookie%3A%20x%3Dy'],
        'query foreign origin'    => [],
    );
    for my $what (sort keys %cases) {
        my $q = $what eq 'query foreign origin' ? '?callbackUrl=https://evil.example/' : '';
        my $res = req(GET => url('default', "/api/auth/csrf$q"), $cases{$what});
        is($res->code, 200, "callback-url, $what: csrf still answers 200");
        like((json_of($res) || {})->{csrfToken} // '', qr/^$HEX64$/, "callback-url, $what: token");
        my $cb = cookie_named($res, 'next-auth.callback-url');
        my $value = NextAuth::Test::uri_decode($cb ? $cb->{value} : '');
        like($value, qr/^\Q$origin\E(?:\/|$)/, "callback-url, $what: reset to this site")
            or diag($cb ? $cb->{raw} : 'no callback-url cookie');
        my $crlf = 0;
        $res->headers->scan(sub { $crlf++ if "$_[0]$_[1]" =~ /[\r\n]/ });
        is($crlf, 0, "callback-url, $what: no CR/LF in any header");
        ok(!eval { cookie_named($res, 'x') }, "callback-url, $what: no injected cookie");
    }
    my $res = req(GET => url('default', '/api/auth/csrf?callbackUrl=/dashboard%3Ftab%3D1'));
    my $cb = cookie_named($res, 'next-auth.callback-url');
    is(NextAuth::Test::uri_decode($cb ? $cb->{value} : ''), "$origin/dashboard?tab=1",
       'callback-url: a local callbackUrl query is kept, made absolute');
}

# --- secret sources and cookie names per scenario ---------------------------------------
# file: secret, custom base path.
{
    my ($bt, $bv) = fresh('basepath', base => '/auth/v1', what => 'file: secret');
    with_cookie('basepath', "next-auth.csrf-token=$bv", 'reuse', 'basepath: valid cookie',
                base => '/auth/v1', token => $bt);
}

# env: secret and NextAuthCookie prefix=myapp: the name changes, not the format.
{
    my ($pt, $pv) = fresh('prefix', name => 'myapp.csrf-token', what => 'env: secret, prefix',
                          cbname => 'myapp.callback-url');
    with_cookie('prefix', "myapp.csrf-token=$pv", 'reuse', 'prefix: valid cookie',
                name => 'myapp.csrf-token', token => $pt);
    with_cookie('prefix', "next-auth.csrf-token=$pv", 'replace',
                'prefix: the default name is ignored', name => 'myapp.csrf-token');
}

# https NextAuthURL: __Host- prefix and Secure (SPEC §4: __Host-, not __Secure-).
{
    my ($st, $sv) = fresh('secure', name => '__Host-next-auth.csrf-token', secure => 1,
                          cbname => '__Secure-next-auth.callback-url',
                          origin => 'https://www.example.test');
    with_cookie('secure', "__Host-next-auth.csrf-token=$sv", 'reuse', 'secure: valid cookie',
                name => '__Host-next-auth.csrf-token', token => $st);
    # The same value without the prefix is not the secure site's cookie.
    with_cookie('secure', "next-auth.csrf-token=$sv", 'replace',
                'secure: the unprefixed name is ignored', name => '__Host-next-auth.csrf-token');
    with_cookie('secure', "__Secure-next-auth.csrf-token=$sv", 'replace',
                'secure: __Secure- is not the CSRF prefix', name => '__Host-next-auth.csrf-token');
}

# NextAuthCookie secure=on over http, secure=off under an https NextAuthURL.
fresh('cookieon', name => '__Host-next-auth.csrf-token', secure => 1, what => 'secure=on',
      cbname => '__Secure-next-auth.callback-url');
fresh('cookieoff', what => 'secure=off', origin => 'https://off.example.test');

# Forged cookies are client faults: logged at info with their number, never as errors.
log_clean($mark, expect => [qr/\[nextauth:info\].*NA00003: CSRF cookie not valid/]);
done_testing();
