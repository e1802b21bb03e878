# Configurations that must pass `apache2 -t` with "Syntax OK": DESIGN.md's example as
# written (only its file paths moved to a scratch directory, its LoadModule line kept
# verbatim through a modules/ symlink), and one configuration that uses every directive
# and every key with valid values, so over-strict parsing shows up here (long lines use
# httpd's backslash continuation, which must reach the key=value parser joined).
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();

# --- DESIGN.md "An example that must work as written (secrets aside)" -----------------
{
    my $dir = NextAuth::Test::scratch_dir();
    mkdir "$dir/modules" or die "$dir/modules: $!";
    symlink(NextAuth::Test::module_so(), "$dir/modules/mod_nextauth.so")
        or die "symlink: $!";
    write_file("$dir/nextauth.secret", "design-example-secret-0123456789\n");
    write_file("$dir/staff.htpasswd", "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
    my $example = <<'EOF';
LoadModule nextauth_module modules/mod_nextauth.so
<VirtualHost *:8080>
    NextAuthURL      http://127.0.0.1:8080
    NextAuthSecret   file:/etc/apache2/nextauth.secret
    NextAuthProvider github clientId=abc clientSecret=def
    NextAuthProvider email  server=smtp://127.0.0.1:2525 from=noreply@example.com
    NextAuthProvider credentials name="Staff login" authn=file
    NextAuthPages    signIn=/auth/signin error=/auth/error
    NextAuthDatabase dbd
    DBDriver sqlite3
    DBDParams /var/lib/nextauth/nextauth.db
    <Location /api/auth>
        AuthUserFile /etc/apache2/staff.htpasswd
    </Location>
    <Location /private>
        AuthType NextAuth
        Require nextauth-email *@example.com
    </Location>
</VirtualHost>
EOF
    $example =~ s{/etc/apache2/}{$dir/}g;
    $example =~ s{/var/lib/nextauth/}{$dir/}g;
    my $out = conf_ok('DESIGN.md example', $example, without => ['nextauth'], dir => $dir);
    unlike($out, qr/warn|AH\d+/i, 'DESIGN.md example: no warning either') or diag($out);
}

# --- every directive, every key ----------------------------------------------------
{
    my $dir = NextAuth::Test::scratch_dir();
    write_file("$dir/old.secret", "rotated-out-secret\n");
    local $ENV{NEXTAUTH_TEST_GOOD_SECRET} = 'from-the-environment';
    conf_ok('every directive and key', <<"EOF", dir => $dir);
NextAuthURL https://www.example.com/
NextAuthBasePath /auth
NextAuthSecret current-secret-0123456789
NextAuthSecret file:$dir/old.secret
NextAuthSecret env:NEXTAUTH_TEST_GOOD_SECRET
NextAuthProvider github clientId=gh clientSecret=gh-secret scope="read:user user:email" \\
    checks=state timeout=5
NextAuthProvider google clientId=g clientSecret=env:NEXTAUTH_TEST_GOOD_SECRET \\
    checks=state,pkce,nonce logout=on
NextAuthProvider gitlab clientId=gl clientSecret=file:$dir/old.secret
NextAuthProvider discord clientId=d clientSecret=d
NextAuthProvider keycloak clientId=k clientSecret=k issuer=https://kc.example.com/realms/main
NextAuthProvider auth0 clientId=a clientSecret=a issuer=https://tenant.auth0.com/
NextAuthProvider okta clientId=o clientSecret=o issuer=https://dev-1.okta.com
NextAuthProvider azure-ad clientId=z clientSecret=z
NextAuthProvider corp-oidc type=oidc name="Corp \\"SSO\\"" clientId=c clientSecret=c \\
    issuer=https://idp.example.com trustEmail=on \\
    authorization=https://idp.example.com/auth token=https://idp.example.com/token \\
    jwks=https://idp.example.com/jwks userinfo=https://idp.example.com/me
NextAuthProvider corp-oauth type=oauth name="Corp OAuth" clientId=c clientSecret=c \\
    authorization=https://idp.example.com/auth token=https://idp.example.com/token \\
    userinfo=https://idp.example.com/me
NextAuthProvider email server=smtps://user:pass\@mail.example.com:465 \\
    from="Example <noreply\@example.com>" maxAge=600 confirm=off timeout=10
NextAuthProvider staff type=credentials name="Staff login" authn=file usernameLabel="E-mail" \\
    passwordLabel=Password
NextAuthPages signIn=/login signOut=/logout error=/oops verifyRequest=/check-mail \\
    newUser=/welcome?first=1
NextAuthTheme colorScheme=dark brandColor=#336699 logo=https://cdn.example.com/logo.svg \\
    buttonText=#fff
NextAuthSession strategy=database maxAge=86400 updateAge=3600
NextAuthDatabase dbd
DBDriver sqlite3
DBDParams $dir/nextauth.db
NextAuthSignInAllow *\@example.com alice\@example.org
NextAuthSignInAllow *
NextAuthRedirectAllow https://app.example.com https://*.example.net http://127.0.0.1:3000
NextAuthCookie secure=on domain=example.com prefix=myapp
NextAuthRateLimit emailAddress=5/3600 emailIp=off credentialsUser=100/3600 \\
    credentialsIp=300/60
NextAuthRateLimitCache shmcb:$dir/limits(65536)
NextAuthEventLog "|/usr/bin/logger -t nextauth" events=signIn,signOut,createUser,linkAccount,session
<Location /private>
    AuthType NextAuth
    Require valid-user
    NextAuthUnauthenticated 401
    NextAuthStripCookies On
    NextAuthIdentityHeaders Off
</Location>
<Location /api>
    NextAuthUnauthenticated pass
</Location>
<Location /app>
    NextAuthUnauthenticated redirect
</Location>
<VirtualHost *:8443>
    ServerName other.example.com
    NextAuthURL http://other.example.com:8443
    NextAuthSecret other
    NextAuthProvider credentials
    NextAuthSession strategy=jwt
    NextAuthCookie secure=auto
    NextAuthTheme colorScheme=light brandColor=#abcd logo=/logo.png
    NextAuthRateLimit credentialsUser=3/60
    NextAuthEventLog $dir/other-events.log
</VirtualHost>
EOF
}

# A server touched only by NextAuthBasePath (the nosecret scenario) passes: nothing
# needs a secret until a provider is configured.
conf_ok('NextAuthBasePath alone', "NextAuthBasePath /api/auth\n");
conf_ok('NextAuthBearer with URI audiences (RFC 8707 resource indicators)',
        "<Location /x>\nNextAuthBearer issuer=https://id.example.com "
        . "audience=https://api.example.com/v1,urn:example:api\n</Location>\n");
# And a server with no NextAuth directive at all, the module merely loaded.
conf_ok('module loaded, not configured', "");

log_clean($mark);
done_testing();
