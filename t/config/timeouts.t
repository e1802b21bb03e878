# NextAuthSession idle=, absolute= and expose= (issue 12) are checked by `apache2 -t`: each
# bad value is one line naming the directive, the value and what is accepted; idle past
# maxAge and absolute below idle are found on the merged server (NA00001, check_config),
# also when the two come from different lines or from the main server.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();
my $S = "NextAuthSecret test-secret\n";
my $IDLE = qr/accepted: 60 seconds up to maxAge/;
my $ABS = qr/accepted: 60 to 315360000 seconds \(ten years\), not below idle/;

my @bad = (
    ['idle=59', 'idle=59', [qr/NextAuthSession idle='59'/, $IDLE]],
    ['idle=0', 'idle=0', [qr/NextAuthSession idle='0'/, $IDLE]],
    ['idle=10m', 'idle=10m', [qr/NextAuthSession idle='10m'/, $IDLE]],
    ['idle empty', 'idle=', [qr/NextAuthSession idle=''/, $IDLE]],
    ['absolute=30', 'absolute=30', [qr/NextAuthSession absolute='30'/, $ABS]],
    ['absolute past ten years', 'absolute=315360001',
     [qr/NextAuthSession absolute='315360001'/, $ABS]],
    ['absolute=-1', 'absolute=-1', [qr/NextAuthSession absolute='-1'/, $ABS]],
    ['expose=idToken', 'expose=idToken',
     [qr/NextAuthSession expose='idToken'.*accepted: accessToken, error/]],
    ['expose with one bad word', 'expose=accessToken,refreshToken',
     [qr/NextAuthSession expose=.*'refreshToken'.*accepted: accessToken, error/]],
    ['expose empty list', 'expose=,', [qr/NextAuthSession expose=.*empty list/,
                                        qr/accepted: .*accessToken, error/]],
    ['idle twice', 'idle=600 idle=900', [qr/NextAuthSession.*'idle' is given twice/,
                                          qr/accepted:/]],
);
for my $case (@bad) {
    my ($what, $args, $line) = @$case;
    conf_fails($what, "${S}NextAuthSession $args\n", $line);
}

conf_fails('idle past the default maxAge', "${S}NextAuthSession idle=2592001\n",
           [qr/^NA00001: \[localhost\] NextAuthSession idle=2592001 is longer than maxAge=2592000/,
            qr/accepted: idle 60 up to maxAge/]);
conf_fails('idle past maxAge given on another line',
           "${S}NextAuthSession idle=7200\nNextAuthSession maxAge=3600\n",
           [qr/NextAuthSession idle=7200 is longer than maxAge=3600/, qr/accepted:/]);
conf_fails('absolute below idle', "${S}NextAuthSession idle=600 absolute=300\n",
           [qr/NextAuthSession absolute=300 is shorter than idle=600/,
            qr/accepted: absolute from idle up to 315360000 \(ten years\)/]);
conf_fails('a vhost absolute below the main server idle',
           "${S}NextAuthSession idle=900\n<VirtualHost *:8080>\n    ServerName auth.example.com\n"
           . "    NextAuthSession absolute=600\n</VirtualHost>\n",
           [qr/^NA00001: \[auth\.example\.com:8080\] NextAuthSession absolute=600 is shorter than idle=900/,
            qr/accepted:/]);

conf_ok('every key at its bounds',
        "${S}NextAuthSession maxAge=600 idle=600 absolute=315360000 expose=accessToken,error\n");
conf_ok('idle and absolute at 60', "${S}NextAuthSession idle=60 absolute=60\n");
conf_ok('expose alone', "${S}NextAuthSession expose=error\n");

log_clean($mark);
done_testing();
