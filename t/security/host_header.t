# A forged Host header (issue 11 item 1; scenario protect: github and credentials, no
# NextAuthURL, so the origin is ServerName's). Name-based virtual hosting sends a request
# with any Host to some virtual host; before the fix, the module built every absolute URL
# from that Host: an attacker's POST signin/github with "Host: evil.example" got an
# authorization URL whose redirect_uri sends the victim's code to evil.example, and a
# magic link requested that way was mailed pointing there. Now no absolute URL the module
# emits (redirect_uri, sign-in redirects, callback URLs, page links) names the client's
# Host; a Host no host can have answers 400 with an INFO line instead of a 500 that blamed
# a missing NextAuthSecret. (An e-mail provider without NextAuthURL does not start:
# config/cross.t.)
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('protect');
my ($port) = $origin =~ /:(\d+)$/;
my @EVIL = ('evil.example', "evil.example:$port", 'localhost', "127.0.0.2:$port");

sub with_host {
    my ($host, $method, $path, $extra, $body) = @_;
    my $req = "$method $path HTTP/1.1\r\nHost: $host\r\n" . ($extra // '');
    $req .= 'Content-Type: application/x-www-form-urlencoded' . "\r\nContent-Length: "
            . length($body) . "\r\n" if defined $body;
    my ($status, $raw) = raw_request('protect', "${req}Connection: close\r\n\r\n" . ($body // ''));
    my ($head, $content) = split /\r\n\r\n/, $raw, 2;
    my ($location) = ($head // '') =~ /\r\nLocation: ([^\r\n]*)/i;
    return ($status, $location // '', $content // '');
}

# The CSRF pair every POST needs (double submit: cookie + field), got on the real origin.
my ($token, $jar) = csrf_roundtrip('protect');

for my $host (@EVIL) {
    # OAuth: the authorization URL carries our callback as redirect_uri.
    my ($status, $location) = with_host($host, 'POST', '/api/auth/signin/github', "Cookie: $jar\r\n",
                                        form_body(csrfToken => $token));
    is($status, 302, "Host $host: POST signin/github redirects to the provider");
    my $redirect_uri = query_param($location, 'redirect_uri') // '';
    is($redirect_uri, "$origin/api/auth/callback/github",
       "Host $host: redirect_uri is ServerName's origin, not the Host's");

    # A protected page: the sign-in redirect and its callbackUrl.
    ($status, $location) = with_host($host, 'GET', '/static/index.html');
    is($status, 302, "Host $host: protected page redirects to sign in");
    is($location, "$origin/api/auth/signin?callbackUrl=" . uri_component("$origin/static/index.html"),
       "Host $host: sign-in redirect and its callbackUrl on the real origin");

    # The sign-in page: its form actions are absolute URLs too.
    my $page;
    ($status, undef, $page) = with_host($host, 'GET', '/api/auth/signin');
    is($status, 200, "Host $host: sign-in page");
    unlike($page, qr{\Q//$host/\E}, "Host $host: no URL on the page names the Host");
    like($page, qr{action="\Q$origin\E/api/auth/callback/credentials"},
         "Host $host: the form posts to the real origin");

    # What a callbackUrl may point to is judged against the real origin.
    ($status, undef, my $json) = with_host($host, 'POST', '/api/auth/signin/github',
                                          "Cookie: $jar\r\n",
                                          form_body(csrfToken => $token, json => 'true',
                                                    callbackUrl => "http://$host/after"));
    is($status, 200, "Host $host: json sign-in answers 200");
    my ($cb) = ($json // '') =~ /"url":"([^"]*)"/;
    my $state_cb = query_param($cb // '', 'redirect_uri') // '';
    is($state_cb, "$origin/api/auth/callback/github", "Host $host: json redirect_uri real origin");
}

# Hosts httpd lets through but that no host can have: 400 and an INFO line, never a 500.
for my $host ('a_b', 'under_score.example') {
    my $m = log_mark();
    my ($status) = with_host($host, 'GET', '/static/index.html');
    is($status, 400, "Host $host on a protected page: 400, not 500");
    ($status) = with_host($host, 'GET', '/api/auth/session');
    is($status, 400, "Host $host on a route: 400");
    log_clean($m, expect => [qr/\[nextauth:info\].*NA00091: client sent a Host header that is not a host name: \Q$host\E/],
              name => "Host $host: INFO NA00091, no error line");
}

log_clean($mark);
done_testing();
