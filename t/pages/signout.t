# The built-in sign-out and verify-request pages (SPEC §1.4, §1.8, §11; scenario
# default): headers, shell, the sign-out confirmation form posting to <base>/signout with
# the CSRF cookie's token, and "check your email" with a link to the site showing its
# host; verify-request drops provider/type (nothing of them is echoed).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('default');
my $base = "$origin/api/auth";
(my $host = $origin) =~ s{^http://}{};

# --- sign-out ----------------------------------------------------------------------------
{
    my ($token, $jar) = csrf_roundtrip('default');
    my $res = req(GET => url('default', '/api/auth/signout'), [Cookie => $jar]);
    page_headers($res, 'signout');
    my $html = $res->content;
    is_deeply([html_problems($html)], [], 'signout: well-formed, no script');
    like($html, qr/^<!DOCTYPE html><html lang="en">/, 'signout: lang en');
    like($html, qr{<title>Sign Out</title>}, 'signout: title');
    my $card = '<body class="__next-auth-theme-auto"><div class="page"><div class="signout">'
             . '<div class="card"><h1>Sign out</h1><p>Do you really want to sign out?</p>';
    like($html, qr{\Q$card\E}, 'signout: heading and question');
    my @forms = $html =~ m{(<form .*?</form>)}gs;
    is(scalar @forms, 2, 'signout: two forms (this session, and every session)');
    my $open = qq{<form action="$base/signout" method="POST">}
             . qq{<input type="hidden" name="csrfToken" value="$token">};
    like($forms[0], qr{^\Q$open\E},
         'signout: POST to <base>/signout with the cookie\'s CSRF token');
    like($forms[0], qr{<button id="submitButton" type="submit">Sign out</button></form>$},
         'signout: the submit button');
    my $everywhere = $open . qq{<input type="hidden" name="callbackUrl" value="$origin">}
                   . '<input type="hidden" name="everywhere" value="true">'
                   . '<button id="everywhereButton" type="submit">Sign out everywhere</button></form>';
    is($forms[1], $everywhere,
         'signout: the second form posts everywhere=true with the same CSRF token');
    is_deeply([set_cookies($res)], [], 'signout: nothing to set for a browser with both cookies');

    # The form works: posting it signs out and goes to the callback URL.
    my $post = req(POST => url('default', '/api/auth/signout'),
                   [Cookie => $jar, 'Content-Type' => 'application/x-www-form-urlencoded'],
                   form_body(csrfToken => $token));
    is($post->code, 302, 'posting the form: 302');
    is($post->header('Location'), $origin, 'posting the form: to the callback URL (the origin)');
}
{
    my $res = req(GET => url('default', '/api/auth/signout?callbackUrl=%2Fbye'));
    is($res->code, 200, 'signout with callbackUrl: the page');
    like($res->content, qr{name="callbackUrl" value="\Q$origin\E/bye"},
         'signout with callbackUrl: carried into the form');
}

# --- verify-request -----------------------------------------------------------------------
for my $path ('/api/auth/verify-request', '/api/auth/verify-request?provider=email&type=email') {
    my $res = req(GET => url('default', $path));
    page_headers($res, "GET $path");
    my $html = $res->content;
    is_deeply([html_problems($html)], [], "$path: well-formed, no script");
    like($html, qr{<title>Verify Request</title>}, "$path: title");
    my $card = '<div class="verify-request"><div class="card"><h1>Check your email</h1>'
             . '<p>We have sent a sign-in link to your email address.</p>'
             . qq{<p><a class="site" href="$origin">$host</a></p></div>};
    like($html, qr{\Q$card\E}, "$path: heading, text, link to the site with its host");
    unlike($html, qr/<form/, "$path: no form");
}

log_clean($mark);
done_testing();
