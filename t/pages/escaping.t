# Hostile `error`, `callbackUrl` and `email` values (issue 3 "Bad input", SPEC §14) on
# every built-in page (scenario default) and every custom-page redirect (scenario
# custom): script tags, quotes that try to close an attribute, CR/LF that try to start a
# header, 5 kB and 10 kB strings, invalid UTF-8, NUL. Each answer is either the page
# with the value escaped (or dropped) or a clean 4xx; never a 5xx, never a raw "<script",
# never an attribute broken open, never a CR/LF in a header or an extra header, never a
# cookie other than the module's own, never a Location or callback-url off the site.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my %ORIGIN = (default => origin('default'), custom => origin('custom'));

my %HOSTILE = (
    'script tag'           => '<script>alert(1)</script>',
    'close attribute'      => '"><script>alert(1)</script>',
    'event handler'        => '" onmouseover="alert(1)" x="',
    'single quotes'        => "'onfocus='alert(1)' autofocus='",
    'local path, quotes'   => '/"><svg/onload=alert(1)>',
    'local path, apos'     => "/'><img/src/onerror=alert(1)>",
    'entity'               => '&lt;script&gt;&quot;',
    'CRLF header'          => "/\r\nX-Injected: 1",
    'CRLF cookie'          => "x\r\nSet-Cookie: injected=1",
    'LF only'              => "/a\nLocation: https://evil.example/",
    'javascript URL'       => 'javascript:alert(document.cookie)',
    'data URL'             => 'data:text/html,<script>alert(1)</script>',
    'invalid UTF-8 FF'     => "/\xff\xfe<b>",
    'overlong <'           => "\xc0\xbcscript\xc0\xbe",
    'overlong 3-byte'      => "a\xe0\x80\xbc\@example.com",
    'surrogate'            => "a\xed\xa0\x80\@example.com",
    'lone continuation'    => "\x80\x80",
    'NUL'                  => "/a\x00<script>",
    'e-mail with markup'   => 'a"<b>@example.com',
    '3 kB of markup'       => '/' . ('<i>"' x 750),
    '5 kB of markup'       => '<script>' x 640,
    '10 kB of markup'      => '"><script>' x 1024,
);
# The sign-in page echoes ?email= only after a strict UTF-8 check.
my %TODO_UTF8;
my $ALLOWED = qr/^(?:Cache-Control|Connection|Date|Server|Content-Length|Content-Type|
                    Content-Security-Policy|X-Frame-Options|Referrer-Policy|
                    X-Content-Type-Options|Vary|Set-Cookie|Location|Client-[\w-]+|Title|
                    X-Meta-[\w-]+|X-UA-Compatible|Pragma|Expires|Allow)$/x;

sub html_unescape {
    my ($s) = @_;
    $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&#39;/'/g; $s =~ s/&amp;/&/g;
    return $s;
}

# The checks every answer must pass; returns the response.
# KNOWN: values the module is known to echo wrongly (marked TODO, see the report).
sub check {
    my ($scenario, $path, $value, $what, %opt) = @_;
    my $origin = $ORIGIN{$scenario};
    my $res = req(GET => url($scenario, $path));
    my $code = $res->code;
    ok($code < 500, "$what: no 5xx ($code)");
    is_deeply([header_problems($res, $ALLOWED)], [], "$what: no CR/LF, no extra header");
    my @cookies = map { parse_set_cookie($_) } set_cookies($res);
    is_deeply([grep { $_->{name} !~ /^next-auth\.(?:csrf-token|callback-url)$/ } @cookies], [],
              "$what: no cookie but the module's own");
    my ($cb) = grep { $_->{name} eq 'next-auth.callback-url' } @cookies;
    ok(!$cb || on_origin(uri_decode($cb->{value}), $origin),
       "$what: callback-url cookie on the site")
        or diag($cb->{raw});
    if (my $loc = $res->header('Location')) {
        ok(on_origin($loc, $origin), "$what: Location on the site") or diag($loc);
        my $inner = query_param($loc, 'callbackUrl');
        ok(!defined $inner || on_origin($inner, $origin),
           "$what: callbackUrl in Location on the site")
            or diag($inner);
    }
    if (($res->header('Content-Type') // '') =~ m{^text/html; charset=UTF-8}) {
        my $html = $res->content;
        {
            local our $TODO = $opt{todo};
            is_deeply([html_problems($html)], [],
                      "$what: page well-formed, no script, strict UTF-8");
            ok(index($html, $value) < 0, "$what: the raw value is not in the page")
                if $value =~ /[<>"'\x00-\x1f\x80-\xff]/;
        }
        # Every callbackUrl field still holds a URL on this site once unescaped.
        my @cbs = map { html_unescape($_) } $html =~ /name="callbackUrl" value="([^"]*)"/g;
        is_deeply([grep { !on_origin($_, $origin) } @cbs], [],
                  "$what: callbackUrl fields on the site");
    }
    elsif ($code >= 400) {
        ok($code == 400 || $code == 414, "$what: a clean 400/414 ($code)");
        ok(index($res->content, $value) < 0, "$what: the error document does not echo the value");
    }
    return $res;
}

# --- built-in pages: every parameter on every page --------------------------------------------
for my $name (sort keys %HOSTILE) {
    my $v = $HOSTILE{$name};
    for my $route (qw(signin signout verify-request error)) {
        for my $param (qw(error callbackUrl email)) {
            check('default', "/api/auth/$route?$param=" . uri_component($v), $v,
                  "$route?$param=<$name>", todo => $route eq 'signin' && $param eq 'email'
                                                   && $TODO_UTF8{$name});
        }
    }
    check('default', '/api/auth/signin?email=' . uri_component($v) . '&callbackUrl='
          . uri_component($v)
                     . '&error=' . uri_component($v), $v, "signin, all three = <$name>",
          todo => $TODO_UTF8{$name});
}

# The path forms: signin/<value> and error/<value>.
for my $name ('script tag', 'close attribute', 'entity', 'invalid UTF-8 FF') {
    my $seg = uri_component($HOSTILE{$name});
    $seg =~ s/%2F/_/g;                     # a slash would be another path segment
    check('default', "/api/auth/signin/$seg", $HOSTILE{$name}, "signin/<$name>");
    check('default', "/api/auth/error/$seg", $HOSTILE{$name}, "error/<$name>");
}

# What the escaping looks like where a value is shown.
{
    my $v = $HOSTILE{'e-mail with markup'};
    my $res = req(GET => url('default', '/api/auth/signin?email=' . uri_component($v)));
    like($res->content, qr{name="email" value="a&quot;&lt;b&gt;\@example\.com"},
         'email: pre-filled, every special character escaped');
    $v = $HOSTILE{'local path, quotes'};
    $res = req(GET => url('default', '/api/auth/signin?callbackUrl=' . uri_component($v)));
    my $o = $ORIGIN{default};
    like($res->content,
         qr{name="callbackUrl" value="\Q$o\E/&quot;&gt;&lt;svg/onload=alert\(1\)&gt;"},
         'callbackUrl: a local path with markup is kept, escaped');
    $v = $HOSTILE{'local path, apos'};
    $res = req(GET => url('default', '/api/auth/signin?callbackUrl=' . uri_component($v)));
    like($res->content,
         qr{name="callbackUrl" value="\Q$o\E/&#39;&gt;&lt;img/src/onerror=alert\(1\)&gt;"},
         'callbackUrl: an apostrophe is escaped too');
    $res = req(GET => url('default', '/api/auth/signin?email='
                          . uri_component($HOSTILE{'invalid UTF-8 FF'})));
    like($res->content, qr{name="email" value=""}, 'email: invalid UTF-8 is dropped, not echoed');
    for my $name ('overlong 3-byte', 'surrogate') {
        $res = req(GET => url('default', '/api/auth/signin?email='
                              . uri_component($HOSTILE{$name})));
        like($res->content, qr{name="email" value=""}, "email: $name is dropped, not echoed");
    }
    $res = req(GET => url('default', '/api/auth/signin?email=' . ('a' x 400) . '%40example.com'));
    like($res->content, qr{name="email" value=""}, 'email: an address over 320 bytes is dropped');
}

# --- custom pages: the values travel in a Location --------------------------------------------
for my $name (sort keys %HOSTILE) {
    my $v = $HOSTILE{$name};
    my $res = check('custom', '/api/auth/signin?error=' . uri_component($v), $v,
                    "custom signin?error=<$name>");
    # A value with %00 is dropped by the form parser; the others travel intact.
    if ($res->code == 302 && $v !~ /\x00/) {
        is(query_param($res->header('Location'), 'error'), $v,
           "custom signin?error=<$name>: the error travels URI-encoded, intact");
    }
    $res = check('custom', '/api/auth/error?error=' . uri_component($v), $v,
                 "custom error?error=<$name>");
    if ($res->code == 302 && $res->header('Location') =~ m{/auth/error\?} && $v !~ /\x00/) {
        is(query_param($res->header('Location'), 'error'), $v,
           "custom error?error=<$name>: the error travels URI-encoded, intact");
    }
    check('custom', '/api/auth/signin?callbackUrl=' . uri_component($v), $v,
          "custom signin?callbackUrl=<$name>");
    check('custom', '/api/auth/error?error=AccessDenied&callbackUrl=' . uri_component($v), $v,
          "custom error?callbackUrl=<$name>");
}

log_clean($mark);
done_testing();
