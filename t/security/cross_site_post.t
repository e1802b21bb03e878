# Cross-site POSTs (issue 11 item 10; scenarios protect, email, redirallow): beyond
# next-auth's double-submit token, a state-changing POST whose browser says it comes from
# another site (Sec-Fetch-Site: cross-site, or an Origin that is neither the site nor one
# NextAuthRedirectAllow lists; "null" says nothing, as our pages' no-referrer policy makes
# browsers send it on their own form posts) gets the CSRF answer even with a valid
# token: back to the page with csrf=true, nothing signed in, out or mailed. Same-origin
# and absent headers work as before; an OAuth form_post callback is not such a POST.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('protect');
my @FOREIGN = ([Origin => 'http://evil.example'], ['Sec-Fetch-Site' => 'cross-site'],
               [Origin => 'null', 'Sec-Fetch-Site' => 'cross-site'], [Origin => "$origin.evil.example"],
               [Origin => 'http://127.0.0.1:1']);

sub credentials {
    my ($scenario, @headers) = @_;
    my ($res) = signin_form($scenario, 'alice@example.com', 'wonderland', headers => [@headers]);
    return $res;
}

# --- credentials sign-in -------------------------------------------------------------------
for my $h (@FOREIGN) {
    my $res = credentials('protect', @$h);
    is($res->code, 302, "credentials with @$h: 302");
    is($res->header('Location'), "$origin/api/auth/signin?csrf=true",
       "credentials with @$h: back to sign in with csrf=true");
    is(session_cookie($res), '', "credentials with @$h: no session");
}
# Origin: null is what browsers send from our own pages (Referrer-Policy: no-referrer).
for my $h ([Origin => $origin], ['Sec-Fetch-Site' => 'same-origin'], ['Sec-Fetch-Site' => 'none'],
           [Origin => 'null', 'Sec-Fetch-Site' => 'same-origin'], [Origin => 'null'],
           ['Sec-Fetch-Site' => 'same-site'], []) {
    my $res = credentials('protect', @$h);
    is($res->code, 302, "credentials with @$h: 302");
    is($res->header('Location'), $origin, "credentials with '@$h': signed in as before");
    ok(session_cookie($res), "credentials with '@$h': a session");
}

# --- POST signin/github (the OAuth start) -------------------------------------------------------
for my $h (@FOREIGN[0, 1]) {
    my ($token, $jar) = csrf_roundtrip('protect');
    my $res = req(POST => url('protect', '/api/auth/signin/github'),
                  [Cookie => $jar, 'Content-Type' => 'application/x-www-form-urlencoded', @$h],
                  form_body(csrfToken => $token));
    is($res->header('Location'), "$origin/api/auth/signin?csrf=true",
       "signin/github with @$h: csrf=true, not the provider");
}

# --- sign-out: the session survives a cross-site POST -------------------------------------------
{
    my $session = signin('protect', 'alice@example.com');
    my ($token, $jar) = csrf_roundtrip('protect');
    my $cookie = "$jar; $session";
    my $res = req(POST => url('protect', '/api/auth/signout'),
                  [Cookie => $cookie, 'Content-Type' => 'application/x-www-form-urlencoded',
                   Origin => 'http://evil.example'], form_body(csrfToken => $token));
    is($res->header('Location'), "$origin/api/auth/signout?csrf=true", 'signout cross-site: csrf=true');
    unlike(join("\n", $res->header('Set-Cookie')), qr/session-token=;/, 'signout cross-site: session kept');
    $res = req(POST => url('protect', '/api/auth/signout'),
               [Cookie => $cookie, 'Content-Type' => 'application/x-www-form-urlencoded',
                Origin => $origin], form_body(csrfToken => $token));
    is($res->header('Location'), $origin, 'signout same-origin: signed out');
    like(join("\n", $res->header('Set-Cookie')), qr/session-token=;/, 'signout same-origin: cleared');
}

# --- the magic-link confirmation POST: refused before the token is even looked at -------------
{
    my $eorigin = origin('email');
    my ($token, $jar) = csrf_roundtrip('email');
    my $form = form_body(csrfToken => $token, token => 'f' x 64, email => 'a@example.com');
    my @h = (Cookie => $jar, 'Content-Type' => 'application/x-www-form-urlencoded');
    my $res = req(POST => url('email', '/api/auth/callback/email'), [@h, 'Sec-Fetch-Site' => 'cross-site'], $form);
    is($res->header('Location'), "$eorigin/api/auth/signin?csrf=true", 'e-mail confirm cross-site: csrf=true');
    $res = req(POST => url('email', '/api/auth/callback/email'), [@h, Origin => $eorigin], $form);
    is($res->header('Location'), "$eorigin/api/auth/error?error=Verification",
       'e-mail confirm same-origin: on to the token check (unknown token: Verification)');
}

# --- origins NextAuthRedirectAllow trusts may post -----------------------------------------------
{
    my $rorigin = origin('redirallow');
    for my $o ('https://app.example.com', 'https://partner.example.org:8443') {
        my $res = credentials('redirallow', Origin => $o);
        is($res->header('Location'), $rorigin, "redirallow, Origin $o: signed in");
    }
    my $res = credentials('redirallow', Origin => 'https://partner.example.org');
    is($res->header('Location'), "$rorigin/api/auth/signin?csrf=true",
       'redirallow, the allowed host on another port: refused');
}

log_clean($mark, expect => [qr/NA00094: POST \/api\/auth\/callback\/credentials refused: Sec-Fetch-Site: cross-site/,
                            qr/NA00095: POST \/api\/auth\/callback\/credentials refused: Origin http:\/\/evil\.example is neither/,
                            qr/NA00094: .*Sec-Fetch-Site: cross-site/]);
done_testing();
