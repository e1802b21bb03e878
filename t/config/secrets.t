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
write_file("$dir/topsecret.file", "$SECRET\n", 0600);
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

# --- who may read and write a file: secret -------------------------------------------
# A file anyone on the host can write lets anyone plant a known secret and forge sessions
# after the next restart: refused, naming the directive, the path and the mode. A file
# anyone can read still starts (NA00120 warns, with the fix); 0600 is quiet. A symbolic
# link counts as the file it points to. Group-writable (0660) is the administrator's call.
my %FILE;   # by mode as text: $FILE{'0644'}
for my $mode (0666, 0602, 0644, 0604, 0600, 0640, 0660) {
    my $m = sprintf('%04o', $mode);
    $FILE{$m} = write_file("$dir/mode$m.secret", "$SECRET\n", $mode);
    is((stat $FILE{$m})[2] & 07777, $mode, "secret file created with mode $m");
}
my ($F0666, $F0602, $F0644, $F0604, $F0600, $F0640, $F0660) =
    @FILE{qw(0666 0602 0644 0604 0600 0640 0660)};
symlink($F0666, "$dir/link-to-0666.secret") or die "symlink: $!";
symlink($F0600, "$dir/link-to-0600.secret") or die "symlink: $!";

sub writable_by_all {
    my ($head, $path, $mode) = @_;
    return [qr/^\Q$head\E: file '\Q$path\E' is writable by every user \(mode \Q$mode\E\); accepted: a file only its owner and group can write, e.g\. chmod 600 \Q$path\E$/];
}
conf_fails('NextAuthSecret file mode 0666', "NextAuthSecret file:$F0666\n",
           writable_by_all('NextAuthSecret', $F0666, '0666'), never => [$SECRET]);
conf_fails('NextAuthSecret file mode 0602', "NextAuthSecret file:$F0602\n",
           writable_by_all('NextAuthSecret', $F0602, '0602'), never => [$SECRET]);
conf_fails('NextAuthSecret through a symlink to a 0666 file',
           "NextAuthSecret file:$dir/link-to-0666.secret\n",
           writable_by_all('NextAuthSecret', "$dir/link-to-0666.secret", '0666'),
           never => [$SECRET]);
conf_fails('clientSecret file mode 0666',
           "NextAuthSecret s\nNextAuthProvider github clientId=a clientSecret=file:$F0666\n",
           writable_by_all('NextAuthProvider github clientSecret', $F0666, '0666'),
           never => [$SECRET]);

my $READABLE = qr/NA00120: (NextAuthSecret:|NextAuthProvider github clientSecret:) file '([^']+)' is readable by every user \(mode (\d+)\); chmod 600 \2, or chmod 640 and give it a group the httpd user is in \(line \d+ of /;
for my $m ('0644', '0604') {
    my $what = "NextAuthSecret file mode $m";
    my $path = $FILE{$m};
    my $out = conf_ok($what, "NextAuthSecret file:$path\n");
    like($out, qr/NA00120: NextAuthSecret: file '\Q$path\E' is readable by every user \(mode $m\); chmod 600 \Q$path\E, or chmod 640/,
         "$what: starts with a warning naming the path, the mode and the fix");
    ok(index($out, $SECRET) < 0, "$what: nothing echoed");
}
{
    my $out = conf_ok('clientSecret file mode 0644',
                      "NextAuthSecret s\nNextAuthProvider github clientId=a clientSecret=file:$F0644\n");
    like($out, qr/NA00120: NextAuthProvider github clientSecret: file '\Q$F0644\E' is readable by every user \(mode 0644\)/,
         'clientSecret file mode 0644: a warning naming the provider, the key and the path');
}
for my $case (['NextAuthSecret file mode 0600', "NextAuthSecret file:$F0600\n"],
              ['NextAuthSecret file mode 0640', "NextAuthSecret file:$F0640\n"],
              ['NextAuthSecret file mode 0660 (group-writable)', "NextAuthSecret file:$F0660\n"],
              ['NextAuthSecret through a symlink to a 0600 file',
               "NextAuthSecret file:$dir/link-to-0600.secret\n"],
              ['clientSecret file mode 0600',
               "NextAuthSecret s\nNextAuthProvider github clientId=a clientSecret=file:$F0600\n"]) {
    my $out = conf_ok(@$case);
    unlike($out, qr/NA00120/, "$case->[0]: no warning");
}

# A server that starts with a world-readable secret file says so in its error log.
{
    my $srv = NextAuth::Test::start_httpd("NextAuthSecret file:$F0644\n"
        . "NextAuthProvider github clientId=a clientSecret=file:$F0604\n");
    $srv->stop;
    my @lines = NextAuth::Test::log_lines_since({ file => "$srv->{dir}/error_log", pos => 0 });
    my @warned = map { /$READABLE/ ? "$1 $2 $3" : () } @lines;
    ok(scalar(grep { $_ eq "NextAuthSecret: $F0644 0644" } @warned),
       'started server: NA00120 for the NextAuthSecret file in the error log')
        or diag(join '', @lines);
    ok(scalar(grep { $_ eq "NextAuthProvider github clientSecret: $F0604 0604" } @warned),
       'started server: NA00120 for the clientSecret file in the error log');
    ok(!grep({ /\[(?:\w+:)?warn\]/ && /NA00120/ ? 0 : /\[(?:\w+:)?(?:error|crit|alert|emerg)\]/ } @lines),
       'started server: no error');
    ok(!grep({ index($_, $SECRET) >= 0 } @lines), 'started server: the secret is not logged');
}

log_clean($mark);
done_testing();
