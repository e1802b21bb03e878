# Problems that need the merged configuration of a server are found by check_config,
# which `apache2 -t` runs (STYLE 2.5): a provider without a secret, an email provider
# without a database, authn providers that are not loaded, database sessions without a
# database, NextAuthDatabase dbd without mod_dbd. Each is one NA00001 line that names
# the server, the directive and what is accepted.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $S = "NextAuthSecret test-secret\n";
my $DB = "NextAuthDatabase dbd\nDBDriver sqlite3\nDBDParams \@DIR\@/nextauth.db\n";

conf_fails('provider without NextAuthSecret',
           "NextAuthProvider github clientId=a clientSecret=TOPSECRET123\n",
           [qr/^NA00001: \[localhost\] NextAuthSecret is required once a NextAuthProvider is/,
            qr/accepted: a literal value, file:PATH or env:NAME/],
           never => ['TOPSECRET123']);

# The message names the virtual host, with the port of its <VirtualHost> address.
conf_fails('vhost provider without NextAuthSecret', <<'EOF',
<VirtualHost *:8080>
    ServerName auth.example.com
    NextAuthProvider credentials
</VirtualHost>
EOF
           [qr/^NA00001: \[auth\.example\.com:8080\] NextAuthSecret is required/, qr/accepted:/]);

# The check runs on the merged configuration: a secret set in the main server covers a
# vhost that configures its own providers.
conf_ok('vhost inherits the main server\'s secret', <<'EOF');
NextAuthSecret main-secret
<VirtualHost *:8080>
    ServerName auth.example.com
    NextAuthProvider credentials
</VirtualHost>
EOF

conf_fails('email provider without NextAuthDatabase',
           "${S}NextAuthProvider email server=smtp://127.0.0.1:2525 from=noreply\@example.com\n",
           [qr/^NA00001: \[localhost\] NextAuthProvider email: needs NextAuthDatabase dbd/,
            qr/accepted: add NextAuthDatabase dbd with DBDriver and DBDParams/]);

conf_fails('email provider with NextAuthDatabase off',
           "${S}NextAuthDatabase off\nNextAuthProvider email server=smtp://127.0.0.1:2525 "
             . "from=noreply\@example.com\n",
           [qr/NextAuthProvider email: needs NextAuthDatabase dbd/, qr/accepted:/]);

# A magic link's origin never comes from a request (a client's Host header would pick
# where the victim's link points): without NextAuthURL the server does not start.
conf_fails('email provider without NextAuthURL',
           "${S}${DB}NextAuthProvider email server=smtp://127.0.0.1:2525 from=noreply\@example.com\n",
           [qr/^NA00001: \[localhost\] NextAuthProvider email: needs NextAuthURL, the origin every magic link points to/,
            qr/accepted: e\.g\. NextAuthURL https:\/\/www\.example\.com/]);

conf_fails('email provider of a vhost without NextAuthURL (the main server has one)', <<'EOF',
NextAuthSecret main-secret
NextAuthDatabase dbd
DBDriver sqlite3
DBDParams @DIR@/nextauth.db
<VirtualHost *:8080>
    ServerName other.example.com
    NextAuthProvider email server=smtp://127.0.0.1:2525 from=noreply@example.com
</VirtualHost>
EOF
           [qr/^NA00001: \[other\.example\.com:8080\] NextAuthProvider email: needs NextAuthURL/]);

conf_ok('email provider with NextAuthDatabase dbd and NextAuthURL',
        "${S}${DB}NextAuthURL https://www.example.com\n"
        . "NextAuthProvider email server=smtp://127.0.0.1:2525 from=noreply\@example.com\n");

conf_fails('credentials authn=nonexistent',
           "${S}NextAuthProvider credentials authn=nonexistent\n",
           [qr/^NA00001: \[localhost\] NextAuthProvider credentials authn='nonexistent': /,
            qr/no Apache authn provider/, qr/accepted: file, dbm, dbd, ldap/]);

conf_fails('credentials authn= second name unknown',
           "${S}NextAuthProvider credentials authn=file,nonexistent\n",
           [qr/NextAuthProvider credentials authn='nonexistent': /, qr/accepted: file,/]);

conf_fails('credentials authn=file without mod_authn_file',
           "${S}NextAuthProvider credentials authn=file\n",
           [qr/NextAuthProvider credentials authn='file': /, qr/mod_authn_file/, qr/accepted:/],
           without => ['authn_file']);

conf_fails('credentials with the default authn (file) not loaded',
           "${S}NextAuthProvider credentials\n",
           [qr/NextAuthProvider credentials authn='file': /, qr/accepted:/],
           without => ['authn_file']);

conf_fails('strategy=database without NextAuthDatabase',
           "${S}NextAuthSession strategy=database\n"
             . "NextAuthProvider github clientId=a clientSecret=b\n",
           [qr/^NA00001: \[localhost\] NextAuthSession strategy=database: needs NextAuthDatabase/,
            qr/accepted: strategy=jwt, or add NextAuthDatabase dbd/]);

conf_fails('strategy=database with only credentials',
           "${S}${DB}NextAuthSession strategy=database\nNextAuthProvider credentials\n",
           [qr/NextAuthSession strategy=database: credentials sign-ins always use JWT/,
            qr/accepted: strategy=jwt/]);

conf_fails('NextAuthDatabase dbd without mod_dbd',
           "${S}NextAuthDatabase dbd\nNextAuthProvider credentials\n",
           [qr/^NA00001: \[localhost\] NextAuthDatabase dbd: mod_dbd is not loaded/,
            qr/accepted: LoadModule dbd_module/],
           without => ['dbd']);

# The rate-limit counters need their mod_socache provider once a server offers
# credentials or e-mail sign-in; the line names the LoadModule to add.
conf_fails('NextAuthRateLimitCache redis without mod_socache_redis',
           "${S}NextAuthRateLimitCache redis:127.0.0.1:6379\nNextAuthProvider credentials\n",
           [qr/^NA00062: NextAuthRateLimitCache redis:127\.0\.0\.1:6379: /,
            qr/no mod_socache provider 'redis'/,
            qr/accepted: LoadModule socache_redis_module modules\/mod_socache_redis\.so/]);
conf_fails('the default cache (shmcb) without mod_socache_shmcb',
           "${S}NextAuthProvider credentials\n",
           [qr/^NA00062: NextAuthRateLimitCache shmcb \(the default\): /,
            qr/accepted: LoadModule socache_shmcb_module/],
           without => ['socache_shmcb']);
conf_fails('a bad shmcb size',
           "${S}NextAuthRateLimitCache shmcb:\@DIR\@/limits(12)\nNextAuthProvider credentials\n",
           [qr/^NA00062: NextAuthRateLimitCache 'shmcb:.*limits\(12\)': /, qr/accepted:/]);
conf_ok('no provider that needs counters: no socache needed',
        "${S}NextAuthProvider github clientId=a clientSecret=b\n", without => ['socache_shmcb']);
conf_fails('NextAuthTokenCache redis without mod_socache_redis',
           "${S}NextAuthTokenCache redis:127.0.0.1:6379\nNextAuthProvider github clientId=a clientSecret=b\n",
           [qr/^NA00250: NextAuthTokenCache redis:127\.0\.0\.1:6379: /,
            qr/no mod_socache provider 'redis'/,
            qr/accepted: LoadModule socache_redis_module modules\/mod_socache_redis\.so/]);
like(conf_ok('token records: no NextAuthTokenCache and no shmcb still starts (no records kept)',
             "${S}NextAuthProvider github clientId=a clientSecret=b\n", without => ['socache_shmcb']),
     qr/NA00262: NextAuthTokenCache shmcb:logs\/nextauth-tokens\(8388608\) \(the default\): no mod_socache provider 'shmcb'.*keep no tokens/,
     'token records: the missing default cache is named, with what it costs');
like(conf_ok('revocation list: no shmcb still starts (sessions cannot be revoked)',
             "${S}NextAuthProvider github clientId=a clientSecret=b\n", without => ['socache_shmcb']),
     qr/NA00264: NextAuthRevocation shmcb:logs\/nextauth-revocations\(2097152\) \(the default\): no mod_socache provider 'shmcb'.*sessions cannot be revoked/,
     'revocation list: the missing default cache is named, with what it costs');
conf_fails('NextAuthRevocation on redis without mod_socache_redis',
           "${S}NextAuthRevocation cache=redis:127.0.0.1:6379\nNextAuthProvider credentials\n",
           [qr/^NA00265: NextAuthRevocation redis:127\.0\.0\.1:6379: /,
            qr/no mod_socache provider 'redis'/]);
like(conf_ok('NextAuthRevocation off: no cache and no warning',
             "${S}NextAuthRevocation off\nNextAuthProvider github clientId=a clientSecret=b\n",
             without => ['socache_shmcb']),
     qr/^(?!.*NA00264)/s, 'NextAuthRevocation off: no NA00264');
like(conf_ok('an OIDC provider alone and no shmcb still starts (back channel not rate limited)',
             "${S}NextAuthProvider kc type=oidc issuer=https://id.example.com clientId=a clientSecret=b\n",
             without => ['socache_shmcb']),
     qr/NA00278: NextAuthRateLimitCache shmcb \(the default\): no mod_socache provider 'shmcb'.*not rate limited/,
     'OIDC alone: the missing counter cache is named, with what it costs');
conf_ok('revocation list on redis', "LoadModule socache_redis_module "
        . NextAuth::Test::moddir() . "/mod_socache_redis.so\n"
        . "${S}NextAuthRevocation cache=redis:127.0.0.1:6379 failOpen=on\nNextAuthProvider credentials\n");
conf_ok('token records on redis', "LoadModule socache_redis_module "
        . NextAuth::Test::moddir() . "/mod_socache_redis.so\n"
        . "${S}NextAuthTokenCache redis:127.0.0.1:6379\nNextAuthProvider github clientId=a clientSecret=b\n");
conf_ok('memcache loaded', "LoadModule socache_memcache_module "
        . NextAuth::Test::moddir() . "/mod_socache_memcache.so\n"
        . "${S}NextAuthRateLimitCache memcache:127.0.0.1:11211\nNextAuthProvider credentials\n");

# Each server with a problem gets its own line; a good one gets none.
{
    my $out = conf_fails('two broken vhosts and a good one', <<'EOF',
<VirtualHost *:8080>
    ServerName one.example
    NextAuthProvider credentials
</VirtualHost>
<VirtualHost *:8081>
    ServerName good.example
    NextAuthSecret s
    NextAuthProvider credentials
</VirtualHost>
<VirtualHost *:8082>
    ServerName two.example
    NextAuthSecret s
    NextAuthProvider email server=smtp://127.0.0.1:2525 from=a@b.example
</VirtualHost>
EOF
        [qr/^NA00001: \[one\.example:8080\] NextAuthSecret is required/]);
    like($out, qr/^NA00001: \[two\.example:8082\] NextAuthProvider email: needs NextAuthDatabase/m,
         'second broken vhost reported too');
    unlike($out, qr/good\.example/, 'the good vhost is not reported');
}

log_clean($mark);
done_testing();
