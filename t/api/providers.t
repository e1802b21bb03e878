# GET <base>/providers (SPEC §1.7, §12, §16): an object keyed by provider id in
# configuration order; each value has exactly id, name, type, signinUrl, callbackUrl;
# `type` is oauth for OIDC providers too; URLs come from NextAuthURL, else from the
# request's own host and port (never from X-Forwarded-*); no cache headers.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();

my @KEYS = sort qw(id name type signinUrl callbackUrl);

# Checks one /providers answer against [id, name, type] triples and the expected URL base.
sub check_providers {
    my ($what, $res, $base_url, @want) = @_;
    is($res->code, 200, "$what: 200");
    is($res->header('Content-Type'), 'application/json; charset=utf-8',
       "$what: JSON content type, as next-auth behind Next.js sends it");
    for my $h (qw(Cache-Control Pragma Expires)) {
        ok(!defined $res->header($h), "$what: no $h header (only csrf and session have them)");
    }
    my $data = json_of($res);
    is(ref $data, 'HASH', "$what: body is a JSON object") or diag($res->content);
    is_deeply([json_keys($res->content)], [map { $_->[0] } @want],
              "$what: keyed by id, in configuration order");
    for my $w (@want) {
        my ($id, $name, $type) = @$w;
        my $p = $data->{$id};
        is_deeply([sort keys %{ $p || {} }], \@KEYS, "$what/$id: exactly the five keys");
        is_deeply($p, {
            id          => $id,
            name        => $name,
            type        => $type,
            signinUrl   => "$base_url/signin/$id",
            callbackUrl => "$base_url/callback/$id",
        }, "$what/$id: values");
    }
}

# The everyday scenario: no NextAuthURL, so the URLs are built from the request.
{
    my $origin = origin('default');
    my @want = (
        ['credentials', 'Staff login', 'credentials'],  # quoted name="Staff login"
        ['github',      'GitHub',      'oauth'],        # preset name
        ['email',       'Email',       'email'],
        ['corp-sso',    'Corp SSO',    'oauth'],        # type=oidc is "oauth" on the wire
    );
    my $res = req(GET => url('default', '/api/auth/providers'));
    check_providers('default', $res, "$origin/api/auth", @want);

    # The Host the client sends never becomes the origin (security/host_header.t does the
    # same without NextAuthURL, where the origin is ServerName's).
    my ($port) = $origin =~ /:(\d+)$/;
    $res = req(GET => url('default', '/api/auth/providers'), [Host => "localhost:$port"]);
    check_providers('default, Host localhost', $res, "$origin/api/auth", @want);
    $res = req(GET => url('default', '/api/auth/providers'), [Host => 'www.example.test']);
    check_providers('default, Host www.example.test', $res, "$origin/api/auth", @want);

    # Forwarded headers from the client are never trusted for absolute URLs.
    $res = req(GET => url('default', '/api/auth/providers'), [
        'X-Forwarded-Host'  => 'evil.example',
        'X-Forwarded-Proto' => 'https',
        'X-Forwarded-Port'  => '443',
        'Forwarded'         => 'host=evil.example;proto=https',
    ]);
    check_providers('default, X-Forwarded-*', $res, "$origin/api/auth", @want);
    unlike($res->content, qr/evil\.example|https:/, 'no trace of the forwarded values');

    # A query string changes nothing.
    $res = req(GET => url('default', '/api/auth/providers?callbackUrl=/x&a=b'));
    check_providers('default, with a query', $res, "$origin/api/auth", @want);

    # HEAD: same headers, no body.
    $res = req(HEAD => url('default', '/api/auth/providers'));
    is($res->code, 200, 'HEAD providers: 200');
    is($res->content, '', 'HEAD providers: no body');
    is($res->header('Content-Type'), 'application/json; charset=utf-8', 'HEAD: content type');
}

# NextAuthBasePath /auth/v1/ (trailing slash dropped): URLs under the custom base path.
{
    my $res = req(GET => url('basepath', '/auth/v1/providers'));
    check_providers('basepath', $res, origin('basepath') . '/auth/v1',
                    ['github', 'GitHub', 'oauth']);
}

# NextAuthURL with a path: origin and base path both come from it, whatever the Host.
{
    my $base = 'http://auth.example.test:8080/myapp/api/authentication';
    my $res = req(GET => url('urlpath', '/myapp/api/authentication/providers'));
    check_providers('urlpath', $res, $base, ['credentials', 'Credentials', 'credentials']);
    $res = req(GET => url('urlpath', '/myapp/api/authentication/providers'),
               [Host => 'other.example:1234', 'X-Forwarded-Host' => 'evil.example']);
    check_providers('urlpath, foreign Host', $res, $base,
                    ['credentials', 'Credentials', 'credentials']);
}

# https NextAuthURL: https URLs although the client spoke http to the vhost.
{
    my $res = req(GET => url('secure', '/api/auth/providers'));
    check_providers('secure', $res, 'https://www.example.test/api/auth',
                    ['credentials', 'Staff login', 'credentials'],
                    ['gitlab', 'GitLab', 'oauth']);
}

# NextAuthCookie secure=off does not change the URLs of an https site.
{
    my $res = req(GET => url('cookieoff', '/api/auth/providers'));
    check_providers('cookieoff', $res, 'https://off.example.test/api/auth',
                    ['credentials', 'Credentials', 'credentials']);
}

# No secret string, provider secret or client secret ever reaches the JSON.
{
    my $res = req(GET => url('default', '/api/auth/providers'));
    unlike($res->content, qr/gh-client-secret|corp-secret|default-scenario-secret|clientId|
                             gh-client-id|smtp:|noreply|idp\.example\.test|authn/x,
           'providers JSON leaks no configuration beyond the five keys');
}

log_clean($mark);
done_testing();
