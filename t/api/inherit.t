# Inheritance from the main server (STYLE 2.5 "Merge"): a virtual host without NextAuth
# directives inherits every one of the main server's; a virtual host that sets one
# replaces that one (lists such as providers and secrets as a whole) and keeps the
# others (here the cookie prefix). Apache::Test's main server is deliberately untouched
# (see conf/extra.conf.in), so this scenario runs in a second httpd of its own with
# three name-based virtual hosts on one port.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();

my $MAIN_SECRET = 'main-server-secret-inherited';
my $OVERRIDE_SECRET = 'override-vhost-secret';

my $srv = start_httpd(<<"EOF_CONF");
NextAuthSecret   $MAIN_SECRET
NextAuthBasePath /main/auth
NextAuthCookie   prefix=mainapp
NextAuthProvider github clientId=main-id clientSecret=main-secret
NextAuthProvider credentials name="Main staff"

<VirtualHost 127.0.0.1:\@PORT\@>
    ServerName inherit.test
</VirtualHost>

<VirtualHost 127.0.0.1:\@PORT\@>
    ServerName override.test
    NextAuthSecret   $OVERRIDE_SECRET
    NextAuthBasePath /override/auth
    NextAuthProvider gitlab clientId=o-id clientSecret=o-secret
</VirtualHost>

<VirtualHost 127.0.0.1:\@PORT\@>
    ServerName https.test
    NextAuthURL https://https.test
</VirtualHost>
EOF_CONF
my $slog = $srv->log_mark;
my $port = $srv->port;

sub get {
    my ($host, $path, @h) = @_;
    return req(GET => $srv->origin . $path, [Host => "$host:$port", @h]);
}

sub csrf_cookie {
    my ($res, $name, $secret, $what) = @_;
    my $c = cookie_named($res, $name);
    ok($c, "$what: Set-Cookie $name") or return;
    my ($t, $h) = ($c->{value} // '') =~ /^([0-9a-f]{64})%7C([0-9a-f]{64})$/;
    is($h, csrf_hash($t // '', $secret), "$what: hashed with the expected secret");
    return $c->{value};
}

# --- the vhost that only inherits -------------------------------------------------------
my $inherited_value;
{
    my $res = get('inherit.test', '/main/auth/providers');
    is($res->code, 200, 'inherit: providers at the inherited base path');
    is_deeply([json_keys($res->content)], ['github', 'credentials'],
              'inherit: the main server\'s providers, in order');
    is(json_of($res)->{credentials}{name}, 'Main staff', 'inherit: quoted name inherited');
    is(json_of($res)->{github}{signinUrl}, "http://inherit.test:$port/main/auth/signin/github",
       'inherit: URLs from the request and the inherited base path');

    $res = get('inherit.test', '/main/auth/csrf');
    $inherited_value = csrf_cookie($res, 'mainapp.csrf-token', $MAIN_SECRET,
                                   'inherit: cookie prefix and secret inherited');
    $res = get('inherit.test', '/api/auth/csrf');
    is($res->code, 404, 'inherit: the default base path is not used');
}

# --- the vhost that overrides secret, base path and providers ---------------------------
{
    my $res = get('override.test', '/override/auth/providers');
    is($res->code, 200, 'override: providers at its own base path');
    is_deeply([json_keys($res->content)], ['gitlab'],
              'override: its provider list replaces the main one as a whole');
    is(json_of($res)->{gitlab}{callbackUrl},
       "http://override.test:$port/override/auth/callback/gitlab", 'override: URLs');

    $res = get('override.test', '/main/auth/providers');
    is($res->code, 404, 'override: the main base path is not claimed');
    unlike($res->content, qr/signinUrl/, 'override: no JSON there');

    $res = get('override.test', '/override/auth/csrf');
    csrf_cookie($res, 'mainapp.csrf-token', $OVERRIDE_SECRET,
                'override: own secret, inherited cookie prefix');

    # A cookie minted under the main secret is not valid here.
    $res = get('override.test', '/override/auth/csrf',
               Cookie => "mainapp.csrf-token=$inherited_value");
    csrf_cookie($res, 'mainapp.csrf-token', $OVERRIDE_SECRET,
                'override: the inherit vhost\'s cookie is replaced');
}

# The inherit vhost accepts its own cookie back (same secret, same name).
{
    my $res = get('inherit.test', '/main/auth/csrf',
                  Cookie => "mainapp.csrf-token=$inherited_value");
    ok(!cookie_named($res, 'mainapp.csrf-token'), 'inherit: its own cookie is reused');
}

# --- the vhost that overrides only NextAuthURL ---------------------------------------
{
    my $res = get('https.test', '/main/auth/providers');
    is_deeply([json_keys($res->content)], ['github', 'credentials'], 'https: providers inherited');
    is(json_of($res)->{github}{signinUrl}, 'https://https.test/main/auth/signin/github',
       'https: URLs from its own NextAuthURL and the inherited base path');
    $res = get('https.test', '/main/auth/csrf');
    my $c = cookie_named($res, '__Host-mainapp.csrf-token');
    ok($c && grep({ $_ eq 'Secure' } @{ $c->{attrs} }),
       'https: secure cookie name with the inherited prefix');
}

$srv->stop;
log_clean($slog, name => 'second httpd: error log has no unexpected errors');
log_clean($mark);
done_testing();
