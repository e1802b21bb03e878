# CSRF on the state-changing POSTs (SPEC §4, issue 4 item 3; scenario protect, otherkey as
# the site with another secret): a credentials sign-in with the right password but a
# missing cookie, a missing / empty / mismatched / re-cased body token, a token sent in
# the query instead of the body, a cookie minted under another secret or with a forged
# hash, or no form content type, is answered with next-auth's redirect to
# <base>/signin?csrf=true ({"url"} with json=true) and never sets a session cookie; a GET
# (or PUT) of callback/credentials is 405 and signs nobody in. Sign-out with a bad token
# goes to <base>/signout?csrf=true and clears nothing; POST session answers 400 {}.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $base = url('protect', '/api/auth');
my @FORM = ('Content-Type' => 'application/x-www-form-urlencoded');
my %CREDS = (username => 'alice@example.com', password => 'wonderland');

my ($token, undef, $first) = csrf_roundtrip('protect');
my $csrf = cookie_header_of($first, qr/csrf-token$/);
my ($token2) = csrf_roundtrip('protect');          # valid, but not this cookie's
my ($otoken, undef, $ores) = csrf_roundtrip('otherkey');
my $ocsrf = cookie_header_of($ores, qr/csrf-token$/);
my ($t, $h) = $csrf =~ /=([0-9a-f]{64})%7C([0-9a-f]{64})$/;

sub post {
    my ($path, $cookie, $body, @headers) = @_;
    return req(POST => "$base/$path", [($cookie ? (Cookie => $cookie) : ()), @headers], $body);
}

sub csrf_failed {
    my ($res, $what, %o) = @_;
    my $page = $o{page} // 'signin';
    if ($o{json}) {
        is($res->code, 200, "$what: 200 (json)");
        is_deeply(json_of($res), { url => "$base/$page?csrf=true" },
                  "$what: {\"url\": <base>/$page?csrf=true}");
    }
    else {
        is($res->code, 302, "$what: 302");
        is($res->header('Location'), "$base/$page?csrf=true", "$what: to <base>/$page?csrf=true");
    }
    is(session_cookie($res), '', "$what: no session cookie");
    if ($o{minted}) {
        ok(cookie_named($res, 'next-auth.csrf-token'),
           "$what: a fresh CSRF cookie replaces the bad one");
    }
}

# --- callback/credentials ---------------------------------------------------------------------
csrf_failed(post('callback/credentials', undef, form_body(csrfToken => $token, %CREDS), @FORM),
            'no CSRF cookie', minted => 1);
csrf_failed(post('callback/credentials', $csrf, form_body(%CREDS), @FORM), 'no body token');
csrf_failed(post('callback/credentials', $csrf, form_body(csrfToken => '', %CREDS), @FORM),
            'empty body token');
csrf_failed(post('callback/credentials', $csrf, form_body(csrfToken => $token2, %CREDS), @FORM),
            'the token of another cookie');
csrf_failed(post('callback/credentials', $csrf, form_body(csrfToken => uc $token, %CREDS), @FORM),
            'the token in upper case');
csrf_failed(post('callback/credentials', $csrf, form_body(csrfToken => substr($token, 0, 63),
                                                          %CREDS), @FORM),
            'a truncated token');
csrf_failed(post('callback/credentials', $csrf, form_body(csrfToken => "$token|$h", %CREDS), @FORM),
            'the whole cookie value as token');
csrf_failed(post('callback/credentials', $ocsrf, form_body(csrfToken => $otoken, %CREDS), @FORM),
            'cookie and token of another secret', minted => 1);
csrf_failed(post('callback/credentials', "next-auth.csrf-token=$t%7C" . ('0' x 64),
                 form_body(csrfToken => $t,
                           %CREDS), @FORM), 'a cookie with a forged hash', minted => 1);
csrf_failed(post("callback/credentials?csrfToken=$token", $csrf, form_body(%CREDS), @FORM),
            'the token in the query, not the body');
csrf_failed(post('callback/credentials', $csrf, form_body(csrfToken => $token, %CREDS)),
            'no Content-Type: the body is not read');
csrf_failed(post('callback/credentials', $csrf, form_body(csrfToken => $token, %CREDS),
                 'Content-Type' => 'text/plain'), 'Content-Type text/plain: the body is not read');
csrf_failed(post('callback/credentials', $csrf, form_body(csrfToken => $token2, %CREDS,
                                                          json => 'true'), @FORM),
            'mismatched token, json=true', json => 1);
csrf_failed(post('callback/credentials', undef, '{"csrfToken":"' . $token
                 . '","username":"alice@example.com",'
                 . '"password":"wonderland","json":"true"}', 'Content-Type' => 'application/json'),
            'JSON body without the cookie', json => 1);
{
    # The controls: the same request with the right cookie and token signs in.
    my $res = post('callback/credentials', $csrf, form_body(csrfToken => $token, %CREDS), @FORM);
    is($res->code, 302, 'control: right cookie and token: 302');
    ok(session_cookie($res), 'control: right cookie and token: a session');
    $res = post('callback/credentials', $csrf, '{"csrfToken":"' . $token
                . '","username":"alice@example.com",'
                . '"password":"wonderland","json":"true"}', 'Content-Type' => 'application/json');
    is($res->code, 200, 'control: a JSON body with the token: 200');
    ok(session_cookie($res), 'control: a JSON body with the token: a session');
    ok(!cookie_named($res, 'next-auth.csrf-token'), 'control: a valid CSRF cookie is not re-sent');
}

# GET or PUT cannot sign in, whatever they carry.
for my $m (qw(GET PUT)) {
    my $q = '?' . form_body(csrfToken => $token, %CREDS);
    my $res = req($m => "$base/callback/credentials$q", [Cookie => $csrf, @FORM],
                  $m eq 'PUT' ? form_body(csrfToken => $token, %CREDS) : undef);
    is($res->code, 405, "$m callback/credentials: 405");
    like($res->header('Allow') // '', qr/\bPOST\b/, "$m callback/credentials: Allow names POST");
    {
        unlike($res->header('Allow') // '', qr/\bGET\b/,
               "$m callback/credentials: Allow does not name GET");
    }
    is(session_cookie($res), '', "$m callback/credentials: no session cookie");
}

# --- signin/:provider -------------------------------------------------------------------------
csrf_failed(post('signin/github', $csrf, form_body(csrfToken => $token2), @FORM),
            'signin/github, mismatched token');
csrf_failed(post('signin/github', undef, form_body(csrfToken => $token), @FORM),
            'signin/github, no cookie', minted => 1);
csrf_failed(post('signin/github', $csrf, form_body(json => 'true'), @FORM),
            'signin/github, no token, json=true',
            json => 1);
csrf_failed(post('signin', $csrf, form_body(csrfToken => $token), @FORM),
            'signin without a provider');
csrf_failed(post('signin/nope', $csrf, form_body(csrfToken => $token), @FORM),
            'signin/<unknown provider>');

# --- signout: a bad token clears nothing ------------------------------------------------------
{
    my $session = signin('protect', 'alice@example.com');
    for my $case (['no cookie', $session, form_body(csrfToken => $token)],
                  ['mismatched token', "$csrf; $session", form_body(csrfToken => $token2)],
                  ['no token', "$csrf; $session", form_body(callbackUrl => '/x')],
                  ['another secret', "$ocsrf; $session", form_body(csrfToken => $otoken)]) {
        my ($what, $cookie, $body) = @$case;
        my $res = post('signout', $cookie, $body, @FORM);
        csrf_failed($res, "signout, $what", page => 'signout');
        ok(!grep({ /session-token=;/ } set_cookies($res)),
           "signout, $what: the session is not cleared");
    }
    csrf_failed(post('signout', "$csrf; $session", form_body(csrfToken => $token2, json => 'true'),
                     @FORM),
                'signout, mismatched token, json=true', page => 'signout', json => 1);
    my $res = req(GET => "$base/session", [Cookie => $session]);
    is((json_of($res) || {})->{user}{email}, 'alice@example.com',
       'after the refused sign-outs: still signed in');
    # The control.
    $res = post('signout', "$csrf; $session", form_body(csrfToken => $token), @FORM);
    ok(grep({ /^next-auth\.session-token=;.*Max-Age=0/ } set_cookies($res)),
       'control: a valid sign-out clears');

    # POST session (the client's update) with a bad token: 400 {}, one info line.
    my $m = log_mark();
    $res = post('session', "$csrf; $session", '{"csrfToken":"' . $token2 . '","data":{}}',
                'Content-Type' => 'application/json');
    is($res->code, 400, 'POST session, mismatched token: 400');
    is($res->content, '{}', 'POST session, mismatched token: {}');
    is(session_cookie($res), '', 'POST session, mismatched token: no cookie refreshed');
    log_event($m, qr/NA00165: CSRF check failed on the session update/, 'info',
              'POST session, mismatched token: one info line (a client fault)');
}

# One line per failure, at info, numbered by the route that refused it.
{
    my $m = log_mark();
    csrf_failed(post('signout', $csrf, form_body(csrfToken => $token2), @FORM),
                'sign-out, mismatched token', page => 'signout');
    log_event($m, qr{NA00168: CSRF check failed on POST /api/auth/signout}, 'info',
              'sign-out, mismatched token: one info line');
    $m = log_mark();
    csrf_failed(post('callback/credentials', $csrf, form_body(csrfToken => $token2, %CREDS),
                     @FORM), 'callback/credentials, mismatched token');
    log_event($m, qr{NA00167: CSRF check failed on POST /api/auth/callback/credentials}, 'info',
              'callback/credentials, mismatched token: one info line');
    $m = log_mark();
    my $res = post('callback/credentials', $csrf,
                   form_body(csrfToken => $token, username => $CREDS{username},
                             password => 'not-the-password'), @FORM);
    is($res->code, 302, 'wrong password: 302');
    like($res->header('Location') // '', qr{[?&]error=CredentialsSignin}, 'wrong password: CredentialsSignin');
    log_event($m, qr/NA00020: credentials sign-in failed for user 'alice\@example\.com' \(wrong password\)/,
              'info', 'wrong password: one info line (no second NA00008 line beside it)');
}

# Failed checks are client faults: info (NA00017 / NA00003), no error.
log_clean($mark, expect => [qr/NA00017: CSRF check failed/, qr/NA00167: CSRF check failed/,
                          qr/NA00168: CSRF check failed/]);
done_testing();
