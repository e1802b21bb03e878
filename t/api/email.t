# E-mail magic links through a real httpd (t/conf/email.conf.in; SPEC 1.2, 1.3, 7):
# refused addresses and a failing SMTP server end on EmailSignin with no row left; the
# link's GET and HEAD only show the confirmation page (a mail scanner spends nothing);
# its POST needs the CSRF token, spends the token once, and signs in; truncated,
# other-address, expired and missing tokens end on Verification or configuration; the
# per-address limit answers 429 with Retry-After. The full flow with a real SMTP server
# and chromium is t/email/.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use Apache::TestUtil qw(t_catfile);
use Digest::SHA qw(sha256_hex);
use NextAuth::Test;

my $mark = log_mark();
my $DB = t_catfile(Apache::Test::vars('serverroot'), 'dbfiles', 'email.db');
my $SECRET = secret_of('email');
my $BASE = origin('email') . '/api/auth';

sub sql {
    my ($text) = @_;
    open my $fh, '-|', 'sqlite3', '-cmd', '.timeout 5000', '-separator', "\t", $DB, $text
        or die "sqlite3: $!";
    my @rows = map { chomp; [split /\t/, $_, -1] } <$fh>;
    close $fh or die "sqlite3 failed on: $text\n";
    return @rows;
}

sub count { my ($t, $w) = @_; (sql("SELECT count(*) FROM $t WHERE " . ($w // '1=1')))[0][0] }

my $seq = 0;
# A verification row as signin/email stores it; returns the raw token.
sub plant {
    my ($email, $expires) = @_;
    my $token = sha256_hex("token-$$-" . ++$seq);
    my $hash = sha256_hex($token . $SECRET);
    sql(qq{INSERT INTO verification_token (identifier, token, expires) VALUES ('$email', '$hash', $expires)});
    return $token;
}

sub post_form {
    my ($path, $cookie, @pairs) = @_;
    return req(POST => url('email', "/api/auth$path"),
               [Cookie => $cookie, 'Content-Type' => 'application/x-www-form-urlencoded'],
               form_body(@pairs));
}

sub link_path {
    my ($id, $token, $email) = @_;
    return "/api/auth/callback/$id?token=$token&email=" . uri_component($email);
}

sub hidden_fields {
    my ($html) = @_;
    my %f;
    while ($html =~ /<input[^>]*type="hidden"[^>]*>/g) {
        my $tag = $&;
        my ($name) = $tag =~ /name="([^"]*)"/;
        my ($value) = $tag =~ /value="([^"]*)"/;
        $f{$name} = $value // '' if defined $name;
    }
    return %f;
}

# --- signin/email: refusals and a failing SMTP server leave nothing ------------------
{
    my ($csrf, $jar) = csrf_roundtrip('email');
    for my $bad ('a@x.com,victim@y.com', '"e@attacker.com"@victim.com',
                 "attacker\@evil.com\x{FF20}victim.com", 'x@evil.com@victim.com',
                 "a\@x.com\r\nBcc: v\@y.com", '<b>@x.com', ('a' x 300) . '@x.com', '') {
        my $res = post_form('/signin/email', $jar, csrfToken => $csrf, email => $bad);
        is($res->code, 302, 'bad address: 302');
        is($res->header('Location'), "$BASE/signin?error=EmailSignin",
           'bad address: EmailSignin');
    }
    my $res = post_form('/signin/email', $jar, csrfToken => 'f' x 64, email => 'a@example.com');
    is($res->header('Location'), "$BASE/signin?csrf=true", 'wrong CSRF: back to sign-in');

    $res = post_form('/signin/email', $jar, csrfToken => $csrf, email => 'Sam@Example.com');
    is($res->header('Location'), "$BASE/signin?error=EmailSignin", 'SMTP down: EmailSignin');
    is(count('verification_token'), 0, 'SMTP down: the token was withdrawn');
    is(count('users'), 0, 'SMTP down: no user');

    $res = post_form('/signin/email', $jar, csrfToken => $csrf, email => 'sam@example.com',
                     json => 'true');
    is($res->code, 200, 'json=true: 200');
    is((json_of($res) || {})->{url}, "$BASE/signin?error=EmailSignin", 'json=true: the URL');
}

# --- one line per failure, at the level of its class -----------------------------------
# A client fault (a refused address, a wrong CSRF token, a used or expired link) is one
# info line; a peer fault (the SMTP server down) one error line, and no info line beside it.
{
    my ($csrf, $jar) = csrf_roundtrip('email');
    my $m = log_mark();
    my $res = post_form('/signin/email', $jar, csrfToken => $csrf, email => 'a@x.com,b@y.com');
    is($res->header('Location'), "$BASE/signin?error=EmailSignin", 'level: refused address');
    log_event($m, qr/NA00037: magic-link request refused: e-mail address refused/, 'info',
              'refused address: one info line');

    $m = log_mark();
    $res = post_form('/signin/email', $jar, csrfToken => $csrf, email => 'lev@example.com');
    is($res->header('Location'), "$BASE/signin?error=EmailSignin", 'level: SMTP down');
    log_event($m, qr/NA00036: email: the sign-in mail was not sent: smtp /, 'error',
              'SMTP down: one error line, no info line beside it');

    $m = log_mark();
    $res = post_form('/signin/email', $jar, csrfToken => $csrf, email => 'lev@example.com',
                     json => 'true');
    is($res->code, 200, 'level: SMTP down, json=true: still 200');

    my $late = plant('lev@example.com', time - 5);
    $m = log_mark();
    $res = req(GET => url('email', link_path('quick', $late, 'lev@example.com')));
    is($res->header('Location'), "$BASE/error?error=Verification", 'level: expired link');
    log_event($m, qr/NA00082: quick: magic link refused: expired/, 'info',
              'expired link: one info line');

    $m = log_mark();
    $res = req(GET => url('email', link_path('quick', $late, 'lev@example.com')));
    is($res->header('Location'), "$BASE/error?error=Verification", 'level: used link');
    log_event($m, qr/NA00081: quick: magic link refused: unknown/, 'info',
              'used link: one info line');

    $m = log_mark();
    $res = req(GET => url('email', '/api/auth/callback/quick?email=lev%40example.com'));
    is($res->header('Location'), "$BASE/error?error=configuration", 'level: no token');
    log_event($m, qr/NA00161: quick: magic link without a token/, 'info',
              'no token: one info line');

    $m = log_mark();
    $res = post_form('/callback/email', $jar, csrfToken => '0' x 64, token => 'f' x 64,
                     email => 'lev@example.com');
    is($res->header('Location'), "$BASE/signin?csrf=true", 'level: wrong CSRF');
    log_event($m, qr{NA00083: CSRF check failed on POST /api/auth/callback/email}, 'info',
              'wrong CSRF on the confirmation: one info line');
}

# --- the per-address limit: 4 requests, then 429 ---------------------------------------
{
    my ($csrf, $jar) = csrf_roundtrip('email');
    my @codes = map {
        post_form('/signin/email', $jar, csrfToken => $csrf, email => 'limit@example.com')->code
    } 1 .. 5;
    is_deeply([@codes[0 .. 3]], [302, 302, 302, 302], 'limit: four requests are answered');
    my $res = post_form('/signin/email', $jar, csrfToken => $csrf, email => 'LIMIT@example.com');
    is($res->code, 429, 'limit: then 429, whatever the letter case');
    like($res->header('Retry-After') // '', qr/^\d+$/, 'limit: Retry-After');
    like($res->content, qr/<html/i, 'limit: a page');
    unlike($res->content, qr/limit\@example\.com/i, 'limit: the page does not echo the address');
    is_deeply([html_problems($res->content)], [], 'limit: well-formed page');
}

# --- the link: GET and HEAD show the page, POST spends once ----------------------------
{
    my $token = plant('pat@example.com', time + 600);
    my $path = link_path('email', $token, 'pat@example.com');
    my $head = req(HEAD => url('email', $path));
    is($head->code, 200, 'HEAD: 200');
    my $page = req(GET => url('email', $path));
    is($page->code, 200, 'GET: the confirmation page');
    like($page->content, qr/pat\@example\.com/, 'GET: names the address');
    like($page->header('Cache-Control') // '', qr/no-store/, 'GET: not stored');
    is_deeply([html_problems($page->content)], [], 'GET: well-formed page');
    is(count('verification_token', "identifier = 'pat\@example.com'"), 1,
       'GET and HEAD spent nothing');
    ok(!session_cookie($page), 'GET: no session');

    my %f = hidden_fields($page->content);
    is($f{token}, $token, 'page: carries the token');
    my $jar = cookie_jar($page);
    my %forged_fields = (%f, csrfToken => '0' x 64);
    my $forged = post_form('/callback/email', $jar, %forged_fields);
    is($forged->header('Location'), "$BASE/signin?csrf=true", 'POST, wrong CSRF: refused');
    is(count('verification_token', "identifier = 'pat\@example.com'"), 1,
       'POST, wrong CSRF: token kept');

    my %other_fields = (%f, email => 'eve@example.com');
    my $other = post_form('/callback/email', $jar, %other_fields);
    is($other->header('Location'), "$BASE/error?error=Verification", 'other address: Verification');

    my $ok = post_form('/callback/email', $jar, %f);
    is($ok->code, 302, 'POST: 302');
    ok(session_cookie($ok), 'POST: signed in');
    is(count('verification_token'), 0, 'POST: token spent');
    is(count('users', "email = 'pat\@example.com' AND \"emailVerified\" IS NOT NULL"), 1,
       'POST: a verified user');
    my $again = post_form('/callback/email', $jar, %f);
    is($again->header('Location'), "$BASE/error?error=Verification", 'replay: Verification');
    ok(!session_cookie($again), 'replay: no session');
}

# --- confirm=off, bad and expired tokens ------------------------------------------------
{
    my $token = plant('quinn@example.com', time + 600);
    for my $case ([substr($token, 0, 40), 'truncated'], [uc $token, 'upper-case'],
                  ["$token'--", 'SQL in the token']) {
        my $res = req(GET => url('email', link_path('quick', $case->[0], 'quinn@example.com')));
        is($res->header('Location'), "$BASE/error?error=Verification", "$case->[1]: Verification");
    }
    my $res = req(GET => url('email', '/api/auth/callback/quick?email=quinn%40example.com'));
    is($res->header('Location'), "$BASE/error?error=configuration", 'no token: configuration');
    $res = req(GET => url('email', link_path('quick', $token, 'quinn@example.com')));
    ok(session_cookie($res), 'confirm=off: the GET signs in');

    my $late = plant('rae@example.com', time - 5);
    $res = req(GET => url('email', link_path('quick', $late, 'rae@example.com')));
    is($res->header('Location'), "$BASE/error?error=Verification", 'expired: Verification');
    is(count('verification_token', "identifier = 'rae\@example.com'"), 0, 'expired: row consumed');
    is(count('users', "email = 'rae\@example.com'"), 0, 'expired: no user');
}

log_clean($mark, allow => [qr/NA00036/], expect => [qr/NA00036/],
          name => 'error log: only the failed sends, no token');
unlike(join('', NextAuth::Test::log_lines_since($mark)), qr/[0-9a-f]{64}/, 'no token or hash in the log');
done_testing();
