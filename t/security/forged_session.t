# Forged session cookies (issue 4 "Bad input", SPEC §6.1, §14 CVE-2023-48309, §16;
# scenario protect, with otherkey as "another site"): a real token the module issued,
# mutated (bytes flipped in each part, parts cut or added, truncated, re-encoded, the
# header swapped for {"alg":"none"}, {"alg":"dir","enc":"A128CBC-HS256"}, or one with
# "zip":"DEF"), and tokens crafted here with the right key but wrong claims (expired,
# future-dated, exp absurdly far, no exp), the wrong key (another secret; the key of a
# check cookie), a compressed payload, another alg/enc. Every one is refused: GET session
# answers {} and clears every chunk the browser sent, the protected location redirects.
# Junk chunks .0 ... .N are refused and the clearing Set-Cookie headers are capped (≤ 32).
# Positive controls (the untouched token, a crafted valid token, legitimate chunking,
# percent-encoding) are accepted, so the refusals are not an accident of the harness.
# Crafting needs CryptX (Debian libcryptx-perl); without it those cases are skipped.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use JSON::PP ();
use MIME::Base64 qw(encode_base64url decode_base64url encode_base64);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('protect');
my $NAME = 'next-auth.session-token';
my $HAVE_CRYPTX = eval {
    require Crypt::KeyDerivation;
    require Crypt::AuthEnc::GCM;
    1;
};

# GET session with COOKIE: {} and every session cookie sent is cleared, no new session;
# the protected location redirects. SENT: the session cookie names in COOKIE.
sub refused {
    my ($what, $cookie, @sent) = @_;
    @sent = ($NAME) unless @sent;
    my $res = req(GET => url('protect', '/api/auth/session'), [Cookie => $cookie]);
    is($res->code, 200, "$what: session 200");
    is($res->content, '{}', "$what: session is {}");
    my @sc = map { parse_set_cookie($_) } set_cookies($res);
    my @cleared = sort map { $_->{name} } grep {
        $_->{name} =~ /^\Q$NAME\E(?:\.\d+)?$/ && $_->{value} eq ''
            && grep({ $_ eq 'Max-Age=0' } @{ $_->{attrs} })
    } @sc;
    is_deeply(\@cleared, [sort @sent], "$what: every session chunk sent is cleared (Max-Age=0)");
    ok(!grep({ $_->{name} =~ /session-token/ && $_->{value} ne '' } @sc),
       "$what: no session issued");
    my $page = req(GET => url('protect', '/static/index.html'), [Cookie => $cookie]);
    is($page->code, 302, "$what: the protected location redirects");
    unlike($page->content, qr/PROTECTED-STATIC-CONTENT/, "$what: no protected content");
}

sub accepted {
    my ($what, $cookie, $email) = @_;
    my $res = req(GET => url('protect', '/api/auth/session'), [Cookie => $cookie]);
    is((json_of($res) || {})->{user}{email}, $email // 'alice@example.com', "$what: accepted");
    my $page = req(GET => url('protect', '/static/index.html'), [Cookie => $cookie]);
    is($page->code, 200, "$what: the protected location serves");
}

# --- a real token -----------------------------------------------------------------------------
my $cookie = signin('protect', 'alice@example.com');
my ($token) = $cookie =~ /^\Q$NAME\E=(.+)$/;
my @parts = split /\./, $token, -1;
is(scalar @parts, 5, 'the issued token has five JWE parts');
is($parts[0], 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0', 'header {"alg":"dir","enc":"A256GCM"}');
is($parts[1], '', 'empty encrypted key (alg dir)');
accepted('control: the token as issued', "$NAME=$token");

sub flip {
    my ($s, $i) = @_;
    my $c = substr($s, $i, 1);
    substr($s, $i, 1) = $c eq 'A' ? 'B' : 'A';
    return $s;
}
sub with_parts { join '.', @_ }
# base64url -> standard base64 with padding (what a careless re-encoder would send).
sub std_b64 {
    my ($p) = @_;
    $p =~ tr{-_}{+/};
    return length $p ? $p . '=' x ((4 - length($p) % 4) % 4) : $p;
}
my $last = length($parts[3]) - 1;
sub b64j { encode_base64url(JSON::PP->new->canonical->encode($_[0])) }

my %MUTATED = (
    'header byte flipped'         => with_parts(flip($parts[0], 5), @parts[1 .. 4]),
    'IV byte flipped'             => with_parts(@parts[0, 1], flip($parts[2], 3), @parts[3, 4]),
    'ciphertext byte flipped'     => with_parts(@parts[0 .. 2], flip($parts[3], 10), $parts[4]),
    'ciphertext last byte flipped'=> with_parts(@parts[0 .. 2], flip($parts[3], $last), $parts[4]),
    'tag byte flipped'            => with_parts(@parts[0 .. 3], flip($parts[4], 0)),
    'last character cut'          => substr($token, 0, -1),
    'cut in half'                 => substr($token, 0, int(length($token) / 2)),
    'tag removed'                 => with_parts(@parts[0 .. 3]),
    'tag empty'                   => with_parts(@parts[0 .. 3], ''),
    'IV removed'                  => with_parts(@parts[0, 1], '', @parts[3, 4]),
    'a sixth part'                => "$token.AAAA",
    'non-empty encrypted key'     => with_parts($parts[0], 'AAAAAAAAAAAAAAAAAAAAAA',
                                                @parts[2 .. 4]),
    'parts swapped'               => with_parts(@parts[0, 1], $parts[4], $parts[3], $parts[2]),
    'two tokens joined'           => $token . $token,
    'upper-cased'                 => uc $token,
    'whitespace inside'           => with_parts(@parts[0 .. 2], substr($parts[3], 0, 8) . '%20'
                                                . substr($parts[3], 8), $parts[4]),
    'standard base64 with padding'=> join('.', map { std_b64($_) } @parts),
    'padding added'               => with_parts($parts[0] . '=', @parts[1 .. 4]),
    'JWS-shaped (3 parts)'        => with_parts($parts[0], $parts[3], $parts[4]),
    'alg none header'             => with_parts(b64j({ alg => 'none' }), @parts[1 .. 4]),
    'alg none, enc kept'          => with_parts(b64j({ alg => 'none', enc => 'A256GCM' }),
                                                @parts[1 .. 4]),
    'enc A128CBC-HS256 header'    => with_parts(b64j({ alg => 'dir', enc => 'A128CBC-HS256' }),
                                                @parts[1 .. 4]),
    'zip DEF header'              => with_parts(b64j({ alg => 'dir', enc => 'A256GCM',
                                                      zip => 'DEF' }), @parts[1 .. 4]),
    'kid added to the header'     => with_parts(b64j({ alg => 'dir', enc => 'A256GCM',
                                                      kid => '1' }), @parts[1 .. 4]),
    'HS256 JWS of the claims'     => with_parts(b64j({ alg => 'HS256', typ => 'JWT' }),
                                                b64j({ email => 'alice@example.com',
                                                      sub => 'alice@example.com',
                                                       exp => time + 3600 }), 'c2lnbmF0dXJl'),
    'unsigned JWT (alg none)'     => with_parts(b64j({ alg => 'none' }),
                                                b64j({ email => 'alice@example.com',
                                                      exp => time + 3600 }), ''),
);
for my $what (sort keys %MUTATED) {
    refused("mutated: $what", "$NAME=$MUTATED{$what}");
}

# A session minted by another site (same cookie name, another secret).
refused('a token of another secret (otherkey)', signin('otherkey', 'alice@example.com'));
# A valid token under a name this site does not use, next to nothing else: not a session,
# and not ours to clear.
{
    my $res = req(GET => url('protect', '/api/auth/session'), [Cookie => "__Secure-$NAME=$token"]);
    is($res->content, '{}', '__Secure- name on an http site: not a session');
    ok(!grep({ /__Secure-/ } set_cookies($res)), '__Secure- name: not cleared either');
}
refused('the same name twice, garbage first', "$NAME=garbage; $NAME=$token");

# --- legitimate encodings and chunking are accepted -------------------------------------------
{
    my $pct = join '', map { sprintf '%%%02X', ord } split //, $token;
    accepted('control: the token fully percent-encoded (cookie values are decoded)', "$NAME=$pct");
    my $half = int(length($token) / 2);
    accepted('control: the token as chunks .0 and .1',
             "$NAME.0=" . substr($token, 0, $half) . "; $NAME.1=" . substr($token, $half));
    accepted('control: chunks in reverse order in the header',
             "$NAME.1=" . substr($token, $half) . "; $NAME.0=" . substr($token, 0, $half));
    refused('chunks .0 and .2 (a gap)', "$NAME.0=" . substr($token, 0, $half) . "; $NAME.2="
            . substr($token, $half),
            "$NAME.0", "$NAME.2");
    refused('plain and chunked together', "$NAME=$token; $NAME.0=" . substr($token, 0, $half),
            $NAME, "$NAME.0");
    refused('chunk .1 alone', "$NAME.1=$token", "$NAME.1");
}

# --- junk chunks: refused, and the clearing is capped -----------------------------------------
for my $n (20, 50) {
    my $junk = join '; ', map { "$NAME.$_=" . ('j' x 40) } 0 .. $n - 1;
    my $res = req(GET => url('protect', '/api/auth/session'), [Cookie => $junk]);
    is($res->content, '{}', "$n junk chunks: session is {}");
    my @clear = grep { /^\Q$NAME\E\.\d+=;/ && /Max-Age=0/ } set_cookies($res);
    ok(@clear > 0 && @clear <= 32, "$n junk chunks: " . scalar(@clear)
       . ' clearing headers (capped at 32)');
    is(scalar(@clear), $n < 32 ? $n : 32, "$n junk chunks: each sent chunk cleared up to the cap");
    my @all = set_cookies($res);
    ok(@all <= 34, "$n junk chunks: a bounded number of Set-Cookie headers (" . scalar(@all) . ')');
    my $page = req(GET => url('protect', '/static/index.html'), [Cookie => $junk]);
    is($page->code, 302, "$n junk chunks: the protected location redirects");
}

# --- tokens crafted with the right (or a deliberately wrong) key ------------------------------
SKIP: {
    skip 'CryptX (Debian libcryptx-perl) is needed to craft tokens', 1 unless $HAVE_CRYPTX;
    my $INFO = 'NextAuth.js Generated Encryption Key';
    my $secret = NextAuth::Test::secret_of('protect');
    my $PKCE = 'next-auth.pkce.code_verifier';
    my $hkdf = sub { Crypt::KeyDerivation::hkdf($_[0], $_[1], 'SHA256', 32, $_[2]) };
    my $key = $hkdf->($secret, '', $INFO);

    # Our key agrees with the module's: the issued token decrypts to alice's claims.
    my $claims = do {
        my $pt = Crypt::AuthEnc::GCM::gcm_decrypt_verify('AES', $key, decode_base64url($parts[2]),
                                                          $parts[0], decode_base64url($parts[3]),
                                                          decode_base64url($parts[4]));
        defined $pt ? JSON::PP->new->decode($pt) : undef;
    };
    is($claims && $claims->{email}, 'alice@example.com',
       'crafting: our HKDF/AES-GCM opens the module\'s token');
    ok($claims && $claims->{exp} > time && $claims->{iat} <= time + 1,
       'crafting: with sane iat/exp');

    my $seq = 0;
    my $craft = sub {
        my (%o) = @_;
        my $h = exists $o{header_raw} ? $o{header_raw}
              : b64j($o{header} // { alg => 'dir', enc => 'A256GCM' });    # canonical order
        my $pt = $o{plaintext} // JSON::PP->new->encode($o{claims});
        my $iv = pack('N3', 0x6e61, time, ++$seq);
        my ($ct, $tag) = Crypt::AuthEnc::GCM::gcm_encrypt_authenticate('AES', $o{key} // $key,
                                                                       $iv, $h, $pt);
        return join '.', $h, '', map { encode_base64url($_) } $iv, $ct, $tag;
    };
    my $now = time;
    my %base = (name => 'alice@example.com', email => 'alice@example.com',
                sub => 'alice@example.com', iat => $now, exp => $now + 3600,
                jti => '5b2c9a1e-0000-4000-8000-000000000001');
    my $with = sub { my %c = (%base, @_); delete @c{ grep { !defined $c{$_} } keys %c }; \%c };

    accepted('control: a crafted token with sane claims', "$NAME=" . $craft->(claims => $with->()));
    accepted('control: the header members in the other order',
             "$NAME=" . $craft->(header_raw => encode_base64url('{"enc":"A256GCM","alg":"dir"}'),
                                 claims => $with->()));
    my %CRAFTED = (
        'expired an hour ago'         => $craft->(claims => $with->(iat => $now - 7200,
                                                                    exp => $now - 3600)),
        'expired a minute ago'        => $craft->(claims => $with->(iat => $now - 7200,
                                                                    exp => $now - 60)),
        'iat an hour in the future'   => $craft->(claims => $with->(iat => $now + 3600,
                                                                    exp => $now + 7200)),
        'exp 20 years ahead'          => $craft->(claims => $with->(exp => $now + 7320 * 86400)),
        'exp 1e300'                   => $craft->(plaintext => '{"email":"alice@example.com",'
                                                   . qq{"sub":"a","iat":$now,"exp":1e300\}}),
        'no exp'                      => $craft->(claims => $with->(exp => undef)),
        'exp as a string'             => $craft->(claims => $with->(exp => '' . ($now + 3600))),
        'nbf in the future'           => $craft->(claims => $with->(nbf => $now + 3600)),
        'payload not JSON'            => $craft->(plaintext => 'hello'),
        'payload a JSON array'        => $craft->(plaintext => '[1,2,3]'),
        'payload empty'               => $craft->(plaintext => ''),
        'alg none, encrypted'         => $craft->(header => { alg => 'none', enc => 'A256GCM' },
                                                  claims => $with->()),
        'enc A128GCM'                 => $craft->(header => { alg => 'dir', enc => 'A128GCM' },
                                                  claims => $with->(),
                                                  key => substr($key, 0, 16)),
        'zip DEF, deflated payload'   => do {
            require IO::Compress::RawDeflate;
            my $json = JSON::PP->new->encode($with->());
            IO::Compress::RawDeflate::rawdeflate(\$json => \my $z);
            $craft->(header => { alg => 'dir', enc => 'A256GCM', zip => 'DEF' }, plaintext => $z);
        },
        'crit in the header'          => $craft->(header => { alg => 'dir', enc => 'A256GCM',
                                                             crit => ['exp'] },
                                                  claims => $with->()),
        'key of another secret'       => $craft->(claims => $with->(),
                                                  key => $hkdf->('wrong-secret', '', $INFO)),
        'key of the state cookie'     => $craft->(claims => $with->(),
                                                  key => $hkdf->($secret, 'next-auth.state',
                                                                 "$INFO (next-auth.state)")),
        'key of the PKCE cookie'      => $craft->(claims => $with->(),
                                                  key => $hkdf->($secret, $PKCE, "$INFO ($PKCE)")),
        'key with no info'            => $craft->(claims => $with->(),
                                                  key => $hkdf->($secret, '', '')),
        'the secret itself as key'    => $craft->(claims => $with->(),
                                                  key => substr($secret . ('x' x 32), 0, 32)),
    );
    for my $what (sort keys %CRAFTED) {
        refused("crafted: $what", "$NAME=$CRAFTED{$what}");
    }

    # A token the module has opened is remembered per process (the session memo), but only
    # as long as it would still open: valid while exp > now - 15 s, refused from then on,
    # by every child that remembered it.
    my $edge = time;
    my $soon = $craft->(claims => $with->(iat => $edge - 60, exp => $edge - 9));
    accepted("memo: exp 9 s ago, within the 15 s tolerance (try $_)", "$NAME=$soon") for 1 .. 3;
    sleep 1 while time < $edge + 6;
    refused("memo: the same token once exp is over 15 s ago (try $_)", "$NAME=$soon") for 1 .. 3;
}

# Forged cookies are client faults: logged at info (NA00014), never as errors.
log_clean($mark, expect => [qr/\[nextauth:info\].*NA00014: session cookie refused/]);
done_testing();
