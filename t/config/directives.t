# Every bad value stops `apache2 -t` with one line naming the directive, the value and
# what is accepted (DESIGN "Configuration contract", STYLE 2.5). One small configuration
# per case, checked with `apache2 -t -f FILE` on a private ServerRoot; the expected line
# is matched piece by piece (directive, value, accepted list) rather than verbatim, so
# wording may improve without touching the tests.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();

my $S = "NextAuthSecret test-secret\n";
my $ACCEPT_URL = qr/accepted: an absolute http:\/\/ or https:\/\/ URL/;
my $ACCEPT_PATH = qr/accepted: a path on this site starting with a single '\/'/;
my $ACCEPT_SECONDS = qr/accepted: 1 to 315360000/;
my $ACCEPT_SECRET = qr/accepted: a literal value, file:PATH or env:NAME/;

# [name, configuration, [patterns one line must match], options]
my @CASES = (
    # --- NextAuthProvider -----------------------------------------------------------
    ['unknown key (typo clientSecert=)',
     "${S}NextAuthProvider github clientId=a clientSecert=b\n",
     [qr/^NextAuthProvider github: /, qr/'clientSecert'/,
      qr/accepted: type, name, clientId, clientSecret, issuer,/]],
    ['key that does not apply to the kind',
     "${S}NextAuthProvider github clientId=a clientSecret=b server=smtp://x\n",
     [qr/^NextAuthProvider github: /, qr/'server'/, qr/oauth/, qr/accepted: type, name,/]],
    ['provider issuer= not a URL',
     "${S}NextAuthProvider corp type=oidc clientId=a clientSecret=b issuer=not-a-url\n",
     [qr/^NextAuthProvider corp issuer='not-a-url': /, qr/accepted: http:\/\/ or https:\/\//]],
    ['provider issuer= with another scheme',
     "${S}NextAuthProvider corp type=oidc clientId=a clientSecret=b issuer=ftp://idp.example\n",
     [qr/^NextAuthProvider corp issuer='ftp:\/\/idp\.example': /, qr/accepted: http/]],
    ['provider token= with a fragment',
     "${S}NextAuthProvider corp type=oauth clientId=a clientSecret=b "
       . "authorization=https://i.example/a token=https://i.example/t#x "
       . "userinfo=https://i.example/u\n",
     [qr/^NextAuthProvider corp token='https:\/\/i\.example\/t#x': /, qr/accepted:/]],
    ['unknown provider type',
     "${S}NextAuthProvider corp type=saml\n",
     [qr/^NextAuthProvider corp type='saml': /, qr/accepted: oauth, oidc, email, credentials/]],
    ['custom id without type=',
     "${S}NextAuthProvider corp clientId=a clientSecret=b\n",
     [qr/^NextAuthProvider corp: /, qr/type= is needed/, qr/built-in ids: github, google/,
      qr/accepted types: oauth, oidc, email, credentials/]],
    ['provider id with capitals',
     "${S}NextAuthProvider GitHub clientId=a clientSecret=b\n",
     [qr/^NextAuthProvider 'GitHub': /, qr/accepted: lower-case letters, digits/]],
    ['duplicate provider id',
     "${S}NextAuthProvider github clientId=a clientSecret=b\n"
       . "NextAuthProvider github clientId=c clientSecret=d\n",
     [qr/^NextAuthProvider github: duplicate provider id/, qr/accepted: each id once/]],
    ['OAuth provider without clientSecret',
     "${S}NextAuthProvider github clientId=abc\n",
     [qr/^NextAuthProvider github: /, qr/clientSecret= (?:is|are) required/,
      qr/file:PATH or env:NAME/]],
    ['OIDC provider without issuer',
     "${S}NextAuthProvider corp type=oidc clientId=a clientSecret=b\n",
     [qr/^NextAuthProvider corp: an OpenID provider needs issuer=, which every ID token's iss must equal/,
      qr/accepted: issuer=https:\/\/idp\.example\.com/]],
    # Endpoints alone once passed, and crashed the child at the first ID token (no issuer
    # to compare iss with).
    ['OIDC provider with endpoints but no issuer',
     "${S}NextAuthProvider corp type=oidc clientId=a clientSecret=b "
       . "authorization=https://i.example/a token=https://i.example/t jwks=https://i.example/k\n",
     [qr/^NextAuthProvider corp: an OpenID provider needs issuer=/]],
    ['bad trustEmail= value',
     "${S}NextAuthProvider corp type=oidc clientId=a clientSecret=b issuer=https://i.example trustEmail=yes\n",
     [qr/^NextAuthProvider corp trustEmail='yes': /, qr/accepted: off, on/]],
    ['bad checks= list item',
     "${S}NextAuthProvider github clientId=a clientSecret=b checks=state,foo\n",
     [qr/^NextAuthProvider github checks='state,foo': /, qr/'foo'/,
      qr/accepted: state, pkce, nonce/]],
    ['bad logout= value',
     "${S}NextAuthProvider github clientId=a clientSecret=b logout=maybe\n",
     [qr/^NextAuthProvider github logout='maybe': /, qr/accepted: off, on/]],
    ['bad timeout=',
     "${S}NextAuthProvider github clientId=a clientSecret=b timeout=forever\n",
     [qr/^NextAuthProvider github timeout='forever': /, $ACCEPT_SECONDS]],
    ['email from= not an address',
     "${S}NextAuthProvider email server=smtp://127.0.0.1:25 from=nobody\n",
     [qr/^NextAuthProvider email from='nobody': /, qr/accepted: e\.g\. noreply\@example\.com/]],
    ['email server= not SMTP (value withheld: it may hold a password)',
     "${S}NextAuthProvider email server=ftp://u:TOPSECRET123\@mail.example from=a\@b.example\n",
     [qr/^NextAuthProvider email server: not an SMTP URL/, qr/accepted: smtp:\/\/host/]],
    ['email confirm= not on/off',
     "${S}NextAuthProvider email server=smtp://x from=a\@b.example confirm=maybe\n",
     [qr/^NextAuthProvider email confirm='maybe': /, qr/accepted: off, on/]],
    ['email maxAge= not seconds',
     "${S}NextAuthProvider email server=smtp://x from=a\@b.example maxAge=1d\n",
     [qr/^NextAuthProvider email maxAge='1d': /, $ACCEPT_SECONDS]],
    ['unbalanced quote',
     "${S}NextAuthProvider credentials name=\"Staff login authn=file\n",
     [qr/^NextAuthProvider credentials name="/, qr/unbalanced quote/,
      qr/accepted: a double-quoted value/]],
    ['unbalanced quote in NextAuthPages',
     "NextAuthPages signIn=\"/sign in\n",
     [qr/^NextAuthPages signIn="/, qr/unbalanced quote/, qr/accepted:/]],
    ['empty value',
     "${S}NextAuthProvider credentials usernameLabel=\n",
     [qr/^NextAuthProvider credentials usernameLabel='': /, qr/empty/, qr/accepted:/]],
    ['clientSecret=file: unreadable',
     "${S}NextAuthProvider github clientId=a clientSecret=file:/nonexistent/gh.secret\n",
     [qr/^NextAuthProvider github clientSecret: /, qr/'\/nonexistent\/gh\.secret'/,
      qr/No such file or directory/, $ACCEPT_SECRET]],
    ['clientSecret=env: unset',
     "${S}NextAuthProvider github clientId=a clientSecret=env:NEXTAUTH_TEST_SURELY_UNSET\n",
     [qr/^NextAuthProvider github clientSecret: /, qr/'NEXTAUTH_TEST_SURELY_UNSET'/,
      $ACCEPT_SECRET]],

    # --- NextAuthURL / NextAuthBasePath -----------------------------------------------
    ['NextAuthURL with another scheme', "NextAuthURL ftp://www.example.com\n",
     [qr/^NextAuthURL 'ftp:\/\/www\.example\.com': /, $ACCEPT_URL]],
    ['NextAuthURL not a URL', "NextAuthURL www.example.com\n",
     [qr/^NextAuthURL 'www\.example\.com': /, $ACCEPT_URL]],
    ['NextAuthURL with a query', "NextAuthURL https://www.example.com/?a=b\n",
     [qr/^NextAuthURL 'https:\/\/www\.example\.com\/\?a=b': /, $ACCEPT_URL]],
    ['NextAuthURL with a fragment', "NextAuthURL https://www.example.com/#top\n",
     [qr/^NextAuthURL 'https:\/\/www\.example\.com\/#top': /, $ACCEPT_URL]],
    ['NextAuthURL with an empty port', "NextAuthURL https://www.example.com:/\n",
     [qr/^NextAuthURL 'https:\/\/www\.example\.com:\/': /, $ACCEPT_URL]],
    ['NextAuthBasePath relative', "NextAuthBasePath api/auth\n",
     [qr/^NextAuthBasePath 'api\/auth': /, qr/accepted: a local path/]],
    ['NextAuthBasePath with dot segments', "NextAuthBasePath /api/../auth\n",
     [qr/^NextAuthBasePath '\/api\/\.\.\/auth': /, qr/accepted: a local path/]],
    ['NextAuthBasePath the site root', "NextAuthBasePath /\n",
     [qr/^NextAuthBasePath '\/': /, qr/accepted: a local path below the site root/]],
    ['NextAuthBasePath network path', "NextAuthBasePath //evil.example/auth\n",
     [qr/^NextAuthBasePath '\/\/evil\.example\/auth': /, qr/accepted:/]],

    # --- NextAuthPages ----------------------------------------------------------------
    ['signIn= absolute URL to another site', "NextAuthPages signIn=https://evil.example\n",
     [qr/^NextAuthPages signIn='https:\/\/evil\.example': /, $ACCEPT_PATH]],
    ['signIn= network path', "NextAuthPages signIn=//evil.example\n",
     [qr/^NextAuthPages signIn='\/\/evil\.example': /, $ACCEPT_PATH]],
    ['error= backslash network path', "NextAuthPages error=/\\evil.example\n",
     [qr/^NextAuthPages error='\/\\\\?evil\.example': /, $ACCEPT_PATH]],
    ['signOut= javascript:', "NextAuthPages signOut=javascript:alert(1)\n",
     [qr/^NextAuthPages signOut='javascript:alert\(1\)': /, $ACCEPT_PATH]],
    ['verifyRequest= relative', "NextAuthPages verifyRequest=auth/verify\n",
     [qr/^NextAuthPages verifyRequest='auth\/verify': /, $ACCEPT_PATH]],
    ['unknown page key', "NextAuthPages home=/x\n",
     [qr/^NextAuthPages: unknown key 'home'/,
      qr/accepted: signIn, signOut, error, verifyRequest, newUser/]],

    # --- NextAuthTheme ----------------------------------------------------------------
    ['colorScheme=blue', "NextAuthTheme colorScheme=blue\n",
     [qr/^NextAuthTheme colorScheme='blue': /, qr/accepted: auto, light, dark/]],
    ['brandColor=red', "NextAuthTheme brandColor=red\n",
     [qr/^NextAuthTheme brandColor='red': /, qr/accepted: #rgb, #rgba, #rrggbb or #rrggbbaa/]],
    ['brandColor with 5 digits', "NextAuthTheme brandColor=#12345\n",
     [qr/^NextAuthTheme brandColor='#12345': /, qr/accepted: #rgb/]],
    ['buttonText not a colour', "NextAuthTheme buttonText=white\n",
     [qr/^NextAuthTheme buttonText='white': /, qr/accepted: #rgb/]],
    ['logo= javascript:', "NextAuthTheme logo=javascript:alert(1)\n",
     [qr/^NextAuthTheme logo='javascript:alert\(1\)': /, qr/accepted: a local path or an http/]],
    ['NextAuthTheme without arguments', "NextAuthTheme\n",
     [qr/^NextAuthTheme /, qr/key=value/, qr/accepted keys: colorScheme, brandColor, logo/]],

    # --- NextAuthSession --------------------------------------------------------------
    ['maxAge=30d', "NextAuthSession maxAge=30d\n",
     [qr/^NextAuthSession maxAge='30d': not a whole number of seconds/, $ACCEPT_SECONDS]],
    ['maxAge=0', "NextAuthSession maxAge=0\n",
     [qr/^NextAuthSession maxAge='0': /, $ACCEPT_SECONDS]],
    ['maxAge=-5', "NextAuthSession maxAge=-5\n",
     [qr/^NextAuthSession maxAge='-5': /, $ACCEPT_SECONDS]],
    ['maxAge beyond ten years', "NextAuthSession maxAge=99999999999\n",
     [qr/^NextAuthSession maxAge='99999999999': /, $ACCEPT_SECONDS]],
    ['updateAge=1.5', "NextAuthSession updateAge=1.5\n",
     [qr/^NextAuthSession updateAge='1\.5': /, $ACCEPT_SECONDS]],
    ['strategy=redis', "NextAuthSession strategy=redis\n",
     [qr/^NextAuthSession strategy='redis': /, qr/accepted: jwt, database/]],

    # --- NextAuthCookie ---------------------------------------------------------------
    ['secure=maybe', "NextAuthCookie secure=maybe\n",
     [qr/^NextAuthCookie secure='maybe': /, qr/accepted: auto, on, off/]],
    ['shared=sometimes', "NextAuthCookie shared=sometimes\n",
     [qr/^NextAuthCookie shared='sometimes': /, qr/accepted: auto, on, off/]],
    ['domain= not a host', "NextAuthCookie domain=exa_mple.com\n",
     [qr/^NextAuthCookie domain='exa_mple\.com': /, qr/accepted: e\.g\. example\.com/]],
    ['prefix= with a space', "NextAuthCookie prefix=\"my app\"\n",
     [qr/^NextAuthCookie prefix='my app': /, qr/letters, digits/]],
    ['prefix= two names', "NextAuthCookie prefix=a,b\n",
     [qr/^NextAuthCookie prefix/, qr/a,b/, qr/accepted: a name/]],

    # --- NextAuthRedirectAllow / NextAuthSignInAllow ------------------------------------
    ['redirect origin javascript:', "NextAuthRedirectAllow javascript:alert(1)\n",
     [qr/^NextAuthRedirectAllow 'javascript:alert\(1\)': /, qr/accepted: an origin such as/]],
    ['redirect origin with a path', "NextAuthRedirectAllow https://app.example.com/path\n",
     [qr/^NextAuthRedirectAllow 'https:\/\/app\.example\.com\/path': /, qr/accepted: an origin/]],
    ['redirect wildcard on a TLD', "NextAuthRedirectAllow https://*.com\n",
     [qr/^NextAuthRedirectAllow 'https:\/\/\*\.com': /, qr/accepted: .*\*\.example\.com/]],
    ['sign-in pattern without @', "NextAuthSignInAllow not-an-email\n",
     [qr/^NextAuthSignInAllow 'not-an-email': /, qr/accepted: e-mail patterns such as/]],
    ['sign-in pattern with two @', "NextAuthSignInAllow a\@b\@example.com\n",
     [qr/^NextAuthSignInAllow 'a\@b\@example\.com': /, qr/accepted: e-mail patterns/]],
    ['sign-in pattern without local part', "NextAuthSignInAllow \@example.com\n",
     [qr/^NextAuthSignInAllow '\@example\.com': /, qr/accepted: e-mail patterns/]],

    # --- NextAuthDatabase / NextAuthUnauthenticated / flags ----------------------------
    ['NextAuthDatabase mysql', "NextAuthDatabase mysql\n",
     [qr/^NextAuthDatabase 'mysql': /, qr/accepted: dbd, off/]],
    ['NextAuthUnauthenticated maybe',
     "<Location /private>\n NextAuthUnauthenticated maybe\n</Location>\n",
     [qr/^NextAuthUnauthenticated 'maybe': /, qr/accepted: redirect, 401, pass/]],
    ['NextAuthStripCookies maybe',
     "<Location /private>\n NextAuthStripCookies maybe\n</Location>\n",
     [qr/^NextAuthStripCookies /, qr/On or Off/]],
    ['NextAuthMetrics maybe',
     "<Location /metrics>\n NextAuthMetrics maybe\n</Location>\n",
     [qr/^NextAuthMetrics /, qr/On or Off/]],
    ['NextAuthMetrics outside a directory', "NextAuthMetrics On\n",
     [qr/^NextAuthMetrics not allowed here/]],

    # --- tokens and claims (issue 12) -------------------------------------------------
    ['token cache not PROVIDER[:ARGS]', "NextAuthTokenCache 'redis x'\n",
     [qr/^NextAuthTokenCache 'redis x': /, qr/accepted: a mod_socache provider/]],
    ['token cache inside a virtual host',
     "<VirtualHost *:8080>\n NextAuthTokenCache shmcb\n</VirtualHost>\n",
     [qr/^NextAuthTokenCache 'shmcb': not inside <VirtualHost>/,
      qr/accepted: once, in the main server configuration/]],
    ['refresh window not before=SECONDS', "NextAuthRefresh 60\n",
     [qr/^NextAuthRefresh '60': /, qr/accepted: before=SECONDS \(0 to 86400/, qr/or off/]],
    ['refresh window too long', "NextAuthRefresh before=86401\n",
     [qr/^NextAuthRefresh 'before=86401': /, qr/accepted: before=SECONDS/]],
    ['refresh window negative', "NextAuthRefresh before=-5\n",
     [qr/^NextAuthRefresh 'before=-5': /, qr/accepted:/]],
    ['provider refreshBefore=0', "${S}NextAuthProvider github clientId=a clientSecret=b refreshBefore=0\n",
     [qr/^NextAuthProvider github refreshBefore='0': /, $ACCEPT_SECONDS]],
    ['pass tokens of an unknown kind', "<Location /x>\nNextAuthPassTokens refresh\n</Location>\n",
     [qr/^NextAuthPassTokens 'refresh': /, qr/accepted: access, id or none/]],
    ['pass tokens as something else',
     "<Location /x>\nNextAuthPassTokens access as=cookie\n</Location>\n",
     [qr/^NextAuthPassTokens 'as=cookie': /, qr/accepted: as=bearer .* or as=header/]],
    ['revocation with an unknown key', "NextAuthRevocation ttl=60\n",
     [qr/^NextAuthRevocation: unknown key 'ttl'; accepted: cache, failOpen/]],
    ['revocation failOpen not on/off', "NextAuthRevocation failOpen=maybe\n",
     [qr/^NextAuthRevocation failOpen='maybe': accepted: off, on/]],
    ['revocation cache not PROVIDER[:ARGS]', "NextAuthRevocation cache=\"redis x\"\n",
     [qr/^NextAuthRevocation cache= 'redis x': /, qr/accepted: a mod_socache provider/]],
    ['revocation without arguments', "NextAuthRevocation\n",
     [qr/^NextAuthRevocation needs arguments; accepted: off, or cache, failOpen/]],
    ['revocation inside a virtual host',
     "<VirtualHost *:8080>\n NextAuthRevocation failOpen=on\n</VirtualHost>\n",
     [qr/^NextAuthRevocation 'failOpen=on': not inside <VirtualHost>/]],
    ['revocation cache of a provider not loaded', "NextAuthSecret revocation-directive-test-secret\nNextAuthRevocation cache=memcache:127.0.0.1:1\n",
     [qr/NextAuthRevocation memcache:127.0.0.1:1: no mod_socache provider 'memcache' is loaded/]],
    ['bearer issuer without audience', "<Location /x>\nNextAuthBearer issuer=https://id.example.com\n</Location>\n",
     [qr/^NextAuthBearer needs issuer=URL with audience=NAME/, qr/accepted: on, off, or issuer/]],
    ['bearer issuer not http(s)', "<Location /x>\nNextAuthBearer issuer=ftp://id audience=api\n</Location>\n",
     [qr/^NextAuthBearer issuer='ftp:\/\/id': not an absolute URL; accepted: http/]],
    ['bearer with a bare word', "<Location /x>\nNextAuthBearer maybe\n</Location>\n",
     [qr/^NextAuthBearer: 'maybe' is not key=value; accepted keys: issuer, audience/]],
    ['rate limit of back-channel logouts not N/SECONDS', "NextAuthRateLimit backchannelIp=lots\n",
     [qr/^NextAuthRateLimit backchannelIp='lots': not N\/SECONDS; accepted: N\/SECONDS/]],
    ['pass claims with an empty name', "<Location /x>\nNextAuthPassClaims email,,groups\n</Location>\n",
     [qr/^NextAuthPassClaims /, qr/accepted:/]],
    ['pass claims with a name that is no header', "<Location /x>\nNextAuthPassClaims 'a/b'\n</Location>\n",
     [qr/^NextAuthPassClaims /, qr/accepted:/]],
    ['pass claims with an unbalanced quote', "<Location /x>\nNextAuthPassClaims email,\"groups\n</Location>\n",
     [qr/^NextAuthPassClaims: unbalanced quote/, qr/accepted: claim names/]],
    ['Require nextauth-claim with an unbalanced quote',
     "<Location /x>\nAuthType NextAuth\nRequire nextauth-claim groups \"admins\n</Location>\n",
     [qr/Require nextauth-claim: unbalanced quote/, qr/accepted: NAME VALUE/]],
    ['Require nextauth-claim without a value',
     "<Location /x>\nAuthType NextAuth\nRequire nextauth-claim groups\n</Location>\n",
     [qr/Require nextauth-claim /, qr/accepted:/]],
    ['Require nextauth-claim with a bad name',
     "<Location /x>\nAuthType NextAuth\nRequire nextauth-claim 'gro ups' admins\n</Location>\n",
     [qr/Require nextauth-claim /, qr/accepted:/]],

    # --- NextAuthRateLimit / NextAuthRateLimitCache ------------------------------------
    ['rate limit without a window', "NextAuthRateLimit credentialsUser=3\n",
     [qr/^NextAuthRateLimit credentialsUser='3': /, qr/accepted: N\/SECONDS .* or off/]],
    ['rate limit of zero seconds', "NextAuthRateLimit credentialsIp=10/0\n",
     [qr/^NextAuthRateLimit credentialsIp='10\/0': SECONDS/, qr/accepted: N\/SECONDS/]],
    ['rate limit of zero events', "NextAuthRateLimit emailAddress=0/3600\n",
     [qr/^NextAuthRateLimit emailAddress='0\/3600': N /, qr/accepted: N\/SECONDS/]],
    ['rate limit with a unit', "NextAuthRateLimit emailIp=30/1h\n",
     [qr/^NextAuthRateLimit emailIp='30\/1h': /, qr/accepted: N\/SECONDS/]],
    ['rate limit unknown key', "NextAuthRateLimit passwordUser=3/60\n",
     [qr/^NextAuthRateLimit: unknown key 'passwordUser'/,
      qr/accepted: emailAddress, emailIp, credentialsUser, credentialsIp/]],
    ['rate limit key twice', "NextAuthRateLimit emailIp=1/60 emailIp=2/60\n",
     [qr/^NextAuthRateLimit: key 'emailIp' is given twice/, qr/accepted: each key once/]],
    ['rate limit without arguments', "NextAuthRateLimit\n",
     [qr/^NextAuthRateLimit /, qr/accepted keys: emailAddress, emailIp/]],
    ['rate-limit cache not PROVIDER[:ARGS]', "NextAuthRateLimitCache redis/x:6379\n",
     [qr/^NextAuthRateLimitCache 'redis\/x:6379': /, qr/accepted: a mod_socache provider/]],
    ['rate-limit cache inside a virtual host',
     "<VirtualHost *:8080>\n NextAuthRateLimitCache shmcb\n</VirtualHost>\n",
     [qr/^NextAuthRateLimitCache 'shmcb': not inside <VirtualHost>/,
      qr/accepted: once, in the main server configuration/]],

    # --- NextAuthEventLog -------------------------------------------------------------
    # (an empty "" is no argument to httpd: its arity message, like the three below)
    ['event log without a file', "NextAuthEventLog \"\"\n",
     [qr/^NextAuthEventLog takes 1-2 arguments, FILE\|"\|command" \[events=/]],
    ['event log pipe without a command', "NextAuthEventLog \"|\"\n",
     [qr/^NextAuthEventLog '\|': no file or command/, qr/accepted: a file/]],
    ['event log unknown option', "NextAuthEventLog logs/e.log event=signIn\n",
     [qr/^NextAuthEventLog 'event=signIn': unknown option/, qr/accepted: events=NAME,NAME/]],
    ['event log unknown event', "NextAuthEventLog logs/e.log events=signIn,signin\n",
     [qr/^NextAuthEventLog events='signIn,signin': unknown event 'signin'/,
      qr/accepted: a comma-separated list of signIn, signOut, createUser, linkAccount, session/]],
    ['event log empty event list', "NextAuthEventLog logs/e.log events=\n",
     [qr/^NextAuthEventLog events='': empty event name/, qr/accepted: a comma-separated list/]],
    ['event log with three arguments', "NextAuthEventLog logs/e.log events=signIn x\n",
     [qr/^NextAuthEventLog takes 1-2 arguments, FILE\|"\|command" \[events=/]],

    # --- NextAuthSecret ---------------------------------------------------------------
    ['secret file: missing', "NextAuthSecret file:/nonexistent/nextauth.secret\n",
     [qr/^NextAuthSecret: /, qr/'\/nonexistent\/nextauth\.secret'/,
      qr/No such file or directory/, $ACCEPT_SECRET]],
    ['secret file: without a path', "NextAuthSecret file:\n",
     [qr/^NextAuthSecret: /, qr/file: needs a path/, $ACCEPT_SECRET]],
    ['secret relative file: (under ServerRoot) missing',
     "NextAuthSecret file:conf/missing.secret\n",
     [qr/^NextAuthSecret: /, qr/\/conf\/missing\.secret'/, qr/No such file/, $ACCEPT_SECRET]],
    ['secret env: unset', "NextAuthSecret env:NEXTAUTH_TEST_SURELY_UNSET\n",
     [qr/^NextAuthSecret: /, qr/'NEXTAUTH_TEST_SURELY_UNSET'/, qr/not set/, $ACCEPT_SECRET]],
);

for my $case (@CASES) {
    my ($what, $conf, $line, %opt) = @$case;
    conf_fails($what, $conf, $line, %opt);
}

# Secret files that exist but cannot serve: empty, too large, unreadable (mode 000).
{
    my $dir = NextAuth::Test::scratch_dir();
    write_file("$dir/empty.secret", "\n");
    conf_fails('secret file: empty', "NextAuthSecret file:$dir/empty.secret\n",
               [qr/^NextAuthSecret: /, qr/\Q$dir\E\/empty\.secret/, qr/no secret/, $ACCEPT_SECRET]);
    write_file("$dir/big.secret", 'x' x 10000);
    conf_fails('secret file: too large', "NextAuthSecret file:$dir/big.secret\n",
               [qr/^NextAuthSecret: /, qr/big\.secret' is larger than \d+ bytes/, $ACCEPT_SECRET]);
    write_file("$dir/locked.secret", "TOPSECRET123\n", 0000);
  SKIP: {
        skip 'root reads mode-000 files; run-httpd-tests.sh runs this suite as nobody', 4
            if is_root();
        conf_fails('secret file: mode 000', "NextAuthSecret file:$dir/locked.secret\n",
                   [qr/^NextAuthSecret: /, qr/\Q$dir\E\/locked\.secret/, qr/Permission denied/,
                    $ACCEPT_SECRET], never => ['TOPSECRET123']);
    }
}

log_clean($mark);
done_testing();
