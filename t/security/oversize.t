# Oversized input (issue 4 "Bad input", DESIGN "bounded parsing"; scenario protect): form
# and JSON bodies over 64 KiB (declared or chunked) are 413, more than 64 form fields or
# a field over 4 KiB is 413, a query value over 4 KiB is 414 (over httpd's request-line
# limit httpd answers 414 itself), a Cookie header over httpd's field limit is httpd's
# 400 (repeated Cookie headers count together), and past the module's own 16 KiB cap
# (scenario bigcookie raises httpd's limit so such headers get through) the module
# ignores the Cookie header. Just under each limit still works. Never a 5xx, no session
# cookie on a refusal, and the server keeps answering after each.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $base = url('protect', '/api/auth');
my @FORM = ('Content-Type' => 'application/x-www-form-urlencoded');
my ($token, undef, $cres) = csrf_roundtrip('protect');
my $csrf = cookie_header_of($cres, qr/csrf-token$/);
my $session = signin('protect', 'alice@example.com');
my $host = (origin('protect') =~ m{//([^/]+)})[0];

sub still_answers {
    my ($what) = @_;
    my $res = req(GET => "$base/csrf");
    ok($res->code == 200 && $res->content =~ /csrfToken/, "$what: the server still answers");
}

sub refused {
    my ($res, $status, $what) = @_;
    is($res->code, $status, "$what: $status");
    is(session_cookie($res), '', "$what: no session cookie");
    is_deeply([header_problems($res)], [], "$what: clean headers");
    still_answers($what);
}

sub signin_body { form_body(csrfToken => $token, username => 'alice@example.com',
                            password => 'wonderland', @_) }

# --- form bodies ------------------------------------------------------------------------------
refused(req(POST => "$base/callback/credentials", [Cookie => $csrf, @FORM],
            signin_body(filler => 'x' x 70_000)), 413, 'form body of 70 kB');
refused(req(POST => "$base/callback/credentials", [Cookie => $csrf, @FORM],
            signin_body(map { ("f$_" => 'y' x 1100) } 1 .. 60)), 413, 'form body just over 64 KiB');
refused(req(POST => "$base/callback/credentials", [Cookie => $csrf, @FORM],
            signin_body(map { ("f$_" => 1) } 1 .. 62)), 413, '65 form fields');
refused(req(POST => "$base/callback/credentials", [Cookie => $csrf, @FORM],
            signin_body(filler => 'z' x 4097)), 413, 'one field of 4097 bytes');
refused(req(POST => "$base/signout", [Cookie => "$csrf; $session", @FORM],
            form_body(csrfToken => $token, filler => 'x' x 70_000)), 413, 'sign-out body of 70 kB');
my @JSON = ('Content-Type' => 'application/json');
refused(req(POST => "$base/callback/credentials", [Cookie => $csrf, @JSON],
            qq({"csrfToken":"$token","username":"alice\@example.com","password":"wonderland",)
            . '"pad":"' . ('p' x 70_000) . '"}'), 413, 'JSON body of 70 kB');
refused(req(POST => "$base/session", [Cookie => "$csrf; $session", @JSON],
            qq({"csrfToken":"$token","data":") . ('d' x 70_000) . '"}'), 413,
        'session update of 70 kB');
{
    # Chunked, with no Content-Length: the limit holds while reading.
    my $chunk = 'a=' . ('c' x 8190);
    my $body = join('', map { sprintf("%x\r\n%s\r\n", length $chunk, $chunk) } 1 .. 10)
             . "0\r\n\r\n";
    my ($status, $raw) = raw_request('protect',
        "POST /api/auth/callback/credentials HTTP/1.1\r\nHost: $host\r\n"
        . "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
        . "Cookie: $csrf\r\nConnection: close\r\n\r\n$body");
    is($status, 413, 'chunked body of 80 kB: 413');
    unlike($raw, qr/session-token=eyJ/, 'chunked body: no session cookie');
    still_answers('chunked body');
    # A Content-Length far larger than what is sent: refused without waiting for it all.
    my $t0 = time;
    ($status, $raw) = raw_request('protect',
                                  "POST /api/auth/callback/credentials HTTP/1.1\r\nHost: $host\r\n"
        . "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000000\r\n"
        . "Cookie: $csrf\r\nConnection: close\r\n\r\n" . ('a=' . 'b' x 69_998), timeout => 8);
    is($status, 413, 'Content-Length of 1 GB with 70 kB sent: 413');
    ok(time - $t0 < 8, 'Content-Length of 1 GB: answered without waiting for the rest');
    still_answers('lying Content-Length');
}

# Just under the limits: a sign-in whose body is 63 KiB in 64 fields, each under 4 KiB.
{
    my $body = signin_body(map { ("f$_" => 'u' x 1000) } 1 .. 61);
    ok(length($body) > 60_000 && length($body) < 65_536, 'control body: ' . length($body)
       . ' bytes');
    my $res = req(POST => "$base/callback/credentials", [Cookie => $csrf, @FORM], $body);
    is($res->code, 302, 'control: 64 fields, 61 kB: signed in (302)');
    ok(session_cookie($res), 'control: a session cookie');
    $res = req(POST => "$base/callback/credentials", [Cookie => $csrf, @FORM],
               signin_body(filler => 'z' x 4096));
    is($res->code, 302, 'control: a field of exactly 4096 bytes is accepted');
}

# --- query strings ----------------------------------------------------------------------------
for my $route (qw(signin error csrf session providers signout verify-request)) {
    my $res = req(GET => "$base/$route?callbackUrl=%2F" . ('q' x 5000));
    is($res->code, 414, "$route with a 5 kB query value: the module's 414");
    unlike($res->content, qr/qqqqqqqqqq/, "$route 5 kB: not echoed");
    $res = req(GET => "$base/$route?error=" . ('%3Cscript%3E' x 900));
    ok($res->code == 414 || $res->code == 400, "$route with a 10 kB query: a clean 414/400 ("
       . $res->code . ')');
    unlike($res->content, qr/<script/i, "$route 10 kB: not echoed");
    $res = req(GET => "$base/$route?" . join('&', map { "p$_=1" } 1 .. 65));
    is($res->code, 414, "$route with 65 query fields: 414");
}
still_answers('after the query strings');

# --- Cookie headers ---------------------------------------------------------------------------
{
    my $res = req(GET => "$base/session", [Cookie => "$session; big=" . ('c' x 9000)]);
    is($res->code, 400, 'one Cookie header over httpd\'s 8190-byte field limit: httpd\'s 400');
    unlike($res->content, qr/alice/, 'oversized Cookie: no session data');
    still_answers('oversized Cookie header');

    # Three Cookie headers of 7 kB each: httpd joins repeated headers and applies its
    # field limit to the result, so this is its 400 too.
    my $three = join '', map { "Cookie: pad$_=" . ('k' x 7000) . "\r\n" } 1 .. 3;
    my ($status, $raw) = raw_request('protect', "GET /api/auth/session HTTP/1.1\r\nHost: $host\r\n"
                                     . "Cookie: $session\r\n$three" . "Connection: close\r\n\r\n");
    is($status, 400, '21 kB in three Cookie headers: httpd\'s 400');
    still_answers('21 kB in three Cookie headers');

    # Scenario bigcookie raises httpd's limit to 64 KiB, so Cookie headers past the
    # module's 16 KiB cap (NA_MAX_COOKIE_HEADER) reach it. Expected: the module ignores
    # such a header as a whole. Observed: the CSRF and callback-url cookies in it are
    # ignored, the session cookie is still read (na_chunk_read has no header cap), see
    # the report; bounded either way (16 chunks, 16 KiB of token), so never an error.
    my $big = signin('bigcookie', 'alice@example.com');
    my $bigbase = url('bigcookie', '/api/auth');
    my ($btoken, undef, $bres) = csrf_roundtrip('bigcookie');
    my $bcsrf = cookie_header_of($bres, qr/csrf-token$/);
    my $pad = join '; ', map { "pad$_=" . ('k' x 7000) } 1 .. 3;
    for my $size ('21 kB', '60 kB') {
        my $p = $size eq '21 kB' ? $pad : 'pad=' . ('k' x 60_000);
        my $res2 = req(GET => "$bigbase/session", [Cookie => "$bcsrf; $big; $p"]);
        is($res2->code, 200, "bigcookie, a $size Cookie header: session answers 200");
        $res2 = req(GET => "$bigbase/csrf", [Cookie => "$bcsrf; $big; $p"]);
        is($res2->code, 200, "bigcookie, a $size Cookie header: csrf answers 200");
        isnt((json_of($res2) || {})->{csrfToken}, $btoken,
             "bigcookie, $size: the CSRF cookie in it is ignored (a new token)");
        $res2 = req(GET => "$bigbase/session", [Cookie => "$bcsrf; $big; $p"]);
        is($res2->content, '{}', "bigcookie, a $size Cookie header: ignored, no session");
        my $page2 = req(GET => url('bigcookie', '/static/index.html'), [Cookie => "$big; $p"]);
        is($page2->code, 302, "bigcookie, $size: the protected location redirects");
    }
    {
        my $res2 = req(GET => "$bigbase/session", [Cookie => "$big; pad=" . ('k' x 9000)]);
        is((json_of($res2) || {})->{user}{email}, 'alice@example.com',
           'bigcookie, a 9.5 kB Cookie header (under 16 KiB): the session is read');
    }
    still_answers('bigcookie');

    # Under the caps: many small cookies next to the session are fine.
    $res = req(GET => "$base/session", [Cookie => join('; ', $session, map { "c$_=v" } 1 .. 600)]);
    is((json_of($res) || {})->{user}{email}, 'alice@example.com',
       '600 small cookies: the session is read');
    my $many = join '; ', map({ "c$_=v" } 1 .. 600), $session;
    my $page = req(GET => url('protect', '/static/index.html'), [Cookie => $many]);
    is($page->code, 200, '600 small cookies: the protected location serves');
}

# Oversized requests are client faults: nothing above info from the module.
log_clean($mark, expect => [qr/NA00010: client sent an unreadable or oversized body \(413\)/,
                            qr/NA00004: client sent an oversized query string/]);
done_testing();
