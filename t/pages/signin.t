# The built-in sign-in page (SPEC §1.1, §11; scenario default: credentials "Staff login",
# github, email, corp-sso (OIDC) in that order, no theme): headers, document shell, one
# div.provider per provider in configuration order with the right form, dividers where
# next-auth draws them, the CSRF token of the cookie in every form, callbackUrl carried;
# the error banner for every sign-in code (SPEC §3.1), the generic message for anything
# else, including the provider id of GET signin/<id> (next-auth's quirk); email pre-fill.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $origin = origin('default');
my $base = "$origin/api/auth";

sub page {
    my ($path, @headers) = @_;
    return req(GET => url('default', $path), \@headers);
}

sub csrf_cookie_token {
    my ($res) = @_;
    my $c = cookie_named($res, 'next-auth.csrf-token') or return undef;
    return ($c->{value} =~ /^([0-9a-f]{64})%7C/)[0];
}

# --- the page, fresh visitor ----------------------------------------------------------------
my $res = page('/api/auth/signin');
page_headers($res, 'signin');
my $html = $res->content;
is_deeply([html_problems($html)], [], 'signin: well-formed attributes, no script, UTF-8');
like($html, qr/^<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">/,
     'signin: doctype, lang en, charset');
like($html, qr{<meta name="viewport" content="width=device-width, initial-scale=1">},
     'signin: viewport meta');
like($html, qr{<title>Sign In</title>}, 'signin: title');
like($html, qr{<body\ class="__next-auth-theme-auto"><div\ class="page"><div\ class="signin">
                (?:<img[^>]*>)?<div\ class="card">}x,
     'signin: body class auto, div.page > div.signin > div.card');
unlike($html, qr/<img[^>]*class="logo"/, 'signin: no theme logo');
unlike($html, qr/class="banner"/, 'signin: no error banner without an error');
unlike($html, qr/--brand-color:#/, 'signin: no brand colour without a theme');

# Every URL in the page is on this site (no third-party request, DESIGN "Pages").
my @urls = $html =~ /\s(?:src|href|action)="([^"]*)"/g;
ok(@urls >= 6, 'signin: the page has form actions and logo URLs');
is_deeply([grep { !on_origin($_, $origin) } @urls], [],
          'signin: every src/href/action is on this site');

my $token = csrf_cookie_token($res);
ok($token, 'signin: a CSRF cookie is minted');
my @forms = $html =~ m{(<form .*?</form>)}gs;
is(scalar @forms, 4, 'signin: one form per provider');
my @csrf = $html =~ /<input type="hidden" name="csrfToken" value="([^"]*)">/g;
is_deeply(\@csrf, [($token) x 4], 'signin: every form carries the token of the CSRF cookie');
my @cb = $html =~ /<input type="hidden" name="callbackUrl" value="([^"]*)">/g;
is_deeply([grep { $_ ne $origin } @cb], [],
          'signin: callbackUrl fields hold the resolved URL (the origin)');

my $DIVIDER = '<div class="divider" role="separator"><span>or</span></div>';
my @providers = $html =~ m{<div class="provider">(.*?</form>(?:\Q$DIVIDER\E)?)</div>}gs;
is(scalar @providers, 4, 'signin: four div.provider');
my @actions = map { m{<form action="([^"]*)" method="POST">} ? $1 : '' } @providers;
is_deeply(\@actions, ["$base/callback/credentials", "$base/signin/github", "$base/signin/email",
                      "$base/signin/corp-sso"],
          'signin: forms in configuration order, right routes');

# credentials: username/password from the provider's labels (defaults), submit button.
for my $f (['username', 'Username', 'text'], ['password', 'Password', 'password']) {
    my ($key, $label, $type) = @$f;
    my $id = "input-$key-for-credentials-provider";
    like($providers[0], qr{<label\ class="section-header"\ for="$id">$label</label>
                           <input\ name="$key"\ id="$id"\ type="$type"[^>]*required>}x,
         "credentials: $key field with its label");
}
like($providers[0], qr{<button id="submitButton" type="submit">Sign in with Staff login</button>},
     'credentials: "Sign in with <name>"');
# github: a styled button with the badge from this site.
my $style = '--provider-bg: #24292f; --provider-dark-bg: #24292f; --provider-color: #fff; '
          . '--provider-dark-color: #fff; --provider-bg-hover: rgba(36, 41, 47, 0.8); '
          . '--provider-dark-bg-hover: rgba(36, 41, 47, 0.8)';
like($providers[1], qr{<button type="submit" class="button" style="\Q$style\E">},
     'github: button with next-auth\'s provider style variables');
like($providers[1],
     qr{id="provider-logo"\ src="\Q$base\E/logo/github\.svg".*
        id="provider-logo-dark"\ src="\Q$base\E/logo/github\.svg"}x,
     'github: light and dark logos served by the module');
like($providers[1], qr{<span>Sign in with GitHub</span>}, 'github: "Sign in with GitHub"');
# email: e-mail input, no value without ?email=.
like($providers[2],
     qr{<label\ class="section-header"\ for="input-email-for-email-provider">Email</label>
        <input\ id="input-email-for-email-provider"\ autofocus\ type="email"\ name="email"\ value=""
        \ placeholder="email\@example\.com"\ required>}x,
     'email: labelled e-mail input with next-auth\'s placeholder');
like($providers[2], qr{<button id="submitButton" type="submit">Sign in with Email</button>},
     'email: submit');
like($providers[3], qr{<span>Sign in with Corp SSO</span>}, 'oidc: "Sign in with Corp SSO"');

# Dividers: after a form followed by more providers, and before a form after OAuth.
my @div = map { my $p = $_; [($p =~ /^<div class="divider"/ ? 1 : 0),
                             ($p =~ m{</form><div class="divider"} ? 1 : 0)] } @providers;
is_deeply(\@div, [[0, 1], [0, 0], [1, 1], [0, 0]], 'signin: dividers where next-auth draws them');
like($html,
     qr{<div class="provider">\Q$DIVIDER\E<form action="\Q$base\E/signin/email"},
     'signin: the e-mail form after an OAuth button starts with a divider');

# --- with the CSRF cookie back: the same token, nothing re-minted ----------------------------
{
    my ($t, $jar) = csrf_roundtrip('default');
    my $again = page('/api/auth/signin', Cookie => $jar);
    is($again->code, 200, 'signin with cookies: 200');
    my @tokens = $again->content =~ /name="csrfToken" value="([^"]*)"/g;
    is_deeply([@tokens], [($t) x 4], 'signin with cookies: the cookie\'s token in every form');
    ok(!cookie_named($again, 'next-auth.csrf-token'), 'signin with cookies: no new CSRF cookie');
}

# --- callbackUrl ------------------------------------------------------------------------------
{
    my $r = page('/api/auth/signin?callbackUrl=%2Fdashboard%3Ftab%3D1');
    my @v = $r->content =~ /name="callbackUrl" value="([^"]*)"/g;
    is_deeply(\@v, [("$origin/dashboard?tab=1") x 4],
              'callbackUrl: a local path, made absolute, in every form');
    my $c = cookie_named($r, 'next-auth.callback-url');
    is($c && uri_decode($c->{value}), "$origin/dashboard?tab=1", 'callbackUrl: the cookie follows');
    $r = page('/api/auth/signin?callbackUrl=https%3A%2F%2Fevil.example%2F');
    @v = $r->content =~ /name="callbackUrl" value="([^"]*)"/g;
    is_deeply(\@v, [($origin) x 4], 'callbackUrl: a foreign origin falls back to the site');
}

# --- email pre-fill ---------------------------------------------------------------------------
{
    my $r = page('/api/auth/signin?email=alice%40example.com');
    like($r->content, qr{name="email" value="alice\@example\.com"},
         'email: pre-filled from ?email=');
}

# --- error banners (SPEC §3.1) ---------------------------------------------------------------
my %MSG = (
    retry       => 'Please try to sign in with a different account.',
    not_linked  => 'To prove it is you, sign in with the account you used the first time.',
    email       => 'We could not send the sign-in email.',
    credentials => 'Sign-in failed. Please check that the details you entered are correct.',
    session     => 'Please sign in to see this page.',
    default     => 'Sign-in did not work.',
);
my %CODE = (
    Signin => 'retry', OAuthSignin => 'retry', OAuthCallback => 'retry',
    OAuthCreateAccount => 'retry', EmailCreateAccount => 'retry', Callback => 'retry',
    OAuthAccountNotLinked => 'not_linked', EmailSignin => 'email',
    CredentialsSignin => 'credentials', SessionRequired => 'session',
    Default => 'default', Configuration => 'default', AccessDenied => 'default',
    credentialssignin => 'default', Nonsense => 'default', '' => 'none',
);
sub banner {
    my ($r) = @_;
    return $r->content =~ m{<div class="banner" role="alert"><p>([^<]*)</p></div>} ? $1 : undef;
}
for my $code (sort keys %CODE) {
    my $r = page('/api/auth/signin?error=' . uri_component($code));
    is($r->code, 200, "banner error=$code: 200");
    if ($CODE{$code} eq 'none') {
        is(banner($r), undef, 'banner error= (empty): no banner');
        next;
    }
    is(banner($r), $MSG{ $CODE{$code} }, "banner error=$code: the $CODE{$code} message");
    like($r->content, qr{<div class="card"><div class="banner"},
         "banner error=$code: above the forms");
}
{
    my $r = page('/api/auth/signin/github');
    is($r->code, 200, 'GET signin/github: the page (next-auth treats the id as the error)');
    is(banner($r), $MSG{default}, 'GET signin/github: the generic banner');
    $r = page('/api/auth/signin/CredentialsSignin');
    is(banner($r), $MSG{credentials}, 'GET signin/<code>: the path form of error');
    $r = page('/api/auth/signin?csrf=true');
    is(banner($r), undef, 'csrf=true: no message, as in next-auth');
}

# HEAD: the page's headers, no body.
{
    my $r = req(HEAD => url('default', '/api/auth/signin'));
    is($r->code, 200, 'HEAD signin: 200');
    is($r->content, '', 'HEAD signin: no body');
    is($r->header('X-Frame-Options'), 'DENY', 'HEAD signin: the page headers');
}

log_clean($mark);
done_testing();
