# Secrets are never echoed (DESIGN "NextAuthSecret ... never logged", STYLE 2.4): a
# configuration that fails for any reason on a line, or near a line, that carries a
# secret prints neither the NextAuthSecret value (literal, file content or environment
# value) nor a provider's clientSecret nor an SMTP password.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $SECRET = 'TOPSECRET123';

my $dir = NextAuth::Test::scratch_dir();
write_file("$dir/topsecret.file", "$SECRET\n");
local $ENV{NEXTAUTH_TEST_TOPSECRET} = $SECRET;

my @CASES = (
    ['unknown key after clientSecret',
     "NextAuthSecret s\nNextAuthProvider github clientId=abc clientSecret=$SECRET bogus=1\n",
     [qr/^NextAuthProvider github: unknown key 'bogus'/]],
    ['bad issuer after clientSecret',
     "NextAuthSecret s\nNextAuthProvider corp type=oidc clientId=a clientSecret=$SECRET issuer=x\n",
     [qr/^NextAuthProvider corp issuer='x'/]],
    ['clientSecret given twice',
     "NextAuthSecret s\n"
       . "NextAuthProvider github clientId=a clientSecret=$SECRET clientSecret=$SECRET\n",
     [qr/^NextAuthProvider github: /, qr/clientSecret/]],
    ['clientSecret with an unbalanced quote',
     "NextAuthSecret s\nNextAuthProvider github clientId=a clientSecret=\"$SECRET\n",
     [qr/^NextAuthProvider github clientSecret="/, qr/unbalanced quote/]],
    ['quoted clientSecret, then a bad key',
     "NextAuthSecret s\nNextAuthProvider github clientId=a clientSecret=\"$SECRET x\" nope=1\n",
     [qr/unknown key 'nope'/]],
    ['clientSecret from a file, then a bad key',
     "NextAuthSecret s\n"
       . "NextAuthProvider github clientId=a clientSecret=file:$dir/topsecret.file nope=1\n",
     [qr/unknown key 'nope'/]],
    ['clientSecret from env:, then a bad key',
     "NextAuthSecret s\n"
       . "NextAuthProvider github clientId=a clientSecret=env:NEXTAUTH_TEST_TOPSECRET nope=1\n",
     [qr/unknown key 'nope'/]],
    ['literal NextAuthSecret, provider fails',
     "NextAuthSecret $SECRET\nNextAuthProvider github clientId=abc\n",
     [qr/^NextAuthProvider github: /]],
    ['NextAuthSecret from a file, provider fails',
     "NextAuthSecret file:$dir/topsecret.file\nNextAuthProvider github clientId=abc\n",
     [qr/^NextAuthProvider github: /]],
    ['NextAuthSecret from env:, check_config fails',
     "NextAuthSecret env:NEXTAUTH_TEST_TOPSECRET\n"
       . "NextAuthProvider email server=smtp://x from=a\@b.example\n",
     [qr/NextAuthProvider email: needs NextAuthDatabase/]],
    ['SMTP password in a bad server URL',
     "NextAuthSecret s\n"
       . "NextAuthProvider email server=ftp://user:$SECRET\@mail.example from=a\@b.example\n",
     [qr/^NextAuthProvider email server: /]],
    ['SMTP password, bad from=',
     "NextAuthSecret s\n"
       . "NextAuthProvider email server=smtps://user:$SECRET\@mail.example from=bad\n",
     [qr/^NextAuthProvider email from='bad'/]],
    ['secret in a second NextAuthSecret, then a bad one',
     "NextAuthSecret $SECRET\nNextAuthSecret env:NEXTAUTH_TEST_SURELY_UNSET\n",
     [qr/^NextAuthSecret: environment variable 'NEXTAUTH_TEST_SURELY_UNSET'/]],
);

for my $case (@CASES) {
    my ($what, $conf, $line) = @$case;
    conf_fails($what, $conf, $line, never => [$SECRET]);
}

# And the good case: a secret from each source, nothing echoed on success either.
{
    my $out = conf_ok('secret from each source',
                      "NextAuthSecret $SECRET\nNextAuthSecret file:$dir/topsecret.file\n"
                        . "NextAuthSecret env:NEXTAUTH_TEST_TOPSECRET\n"
                        . "NextAuthProvider github clientId=a clientSecret=$SECRET\n");
    ok(index($out, $SECRET) < 0, 'secret from each source: nothing echoed');
}

log_clean($mark);
done_testing();
