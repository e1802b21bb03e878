# Password guessing against the credentials provider (scenario limit: NextAuthRateLimit
# credentialsUser=3/60 credentialsIp=10/60, mod_remoteip trusting 127.0.0.1 so each test
# speaks for the client IP it puts in X-Forwarded-For).
# An attacker makes 3 wrong guesses for alice; the 4th attempt, even with the right
# password, is answered exactly like a wrong password (CredentialsSignin, no session),
# from any IP and in any letter case, and the log names the user, the IP and the limit.
# Spellings a directory takes for one user (fullwidth, padded, capitals) share a budget.
# Another user from the same IP is unaffected. An IP that fails 10 times over 10 usernames
# is throttled as a whole while its neighbour signs in; IPv6 clients count by their /64.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;
use Time::HiRes qw(time sleep);

my $mark = log_mark();
my $origin = origin('limit');
my $FAILED = "$origin/api/auth/signin?error=CredentialsSignin";

# Fixed windows of 60 s: start early in one, so the whole test runs inside it.
{
    my $into = time() % 60;
    sleep(61 - $into) if $into > 40;
}

sub attempt {
    my ($user, $password, $ip) = @_;
    my $started = time();
    my ($res) = signin_form('limit', $user, $password, headers => ['X-Forwarded-For' => $ip]);
    return ($res, time() - $started);
}

sub refused {
    my ($res, $what) = @_;
    is($res->code, 302, "$what: 302");
    is($res->header('Location'), $FAILED, "$what: to the sign-in page with CredentialsSignin");
    is(session_cookie($res), '', "$what: no session cookie");
}

sub signed_in {
    my ($res, $what) = @_;
    is($res->code, 302, "$what: 302");
    isnt($res->header('Location') // '', $FAILED, "$what: not CredentialsSignin");
    isnt(session_cookie($res), '', "$what: a session cookie");
}

# --- per user ------------------------------------------------------------------------
my ($wrong) = attempt('alice@example.com', 'guess-0', '198.51.100.1');
refused($wrong, 'wrong password 1');
for my $i (2 .. 3) {
    my ($res) = attempt('alice@example.com', "guess-$i", '198.51.100.1');
    refused($res, "wrong password $i");
}
my ($res, $took) = attempt('alice@example.com', password_of('alice@example.com'), '198.51.100.1');
refused($res, 'right password after 3 failures');
is($res->header('Location'), $wrong->header('Location'),
   'the throttled answer is the wrong-password answer');
cmp_ok($took, '<', 3, 'the throttled answer waits at most about 2 s');
($res) = attempt('Alice@Example.COM', password_of('alice@example.com'), '198.51.100.2');
refused($res, 'the same user in other letters from another IP');
($res) = attempt('bob@other.org', password_of('bob@other.org'), '198.51.100.1');
signed_in($res, 'another user from the same IP');

# --- one account, many spellings ----------------------------------------------------------
# LDAP and case-insensitive SQL collations take these for bob; so does the budget. Three
# wrong guesses as fullwidth "ＢＯＢ" exhaust it; bob as typed (right password), padded,
# in capitals and with a no-break space are then refused unchecked, each from its own IP.
my $FULLWIDTH_BOB = "\xef\xbc\xa2\xef\xbc\xaf\xef\xbc\xa2\@other.org"; # UTF-8 bytes
for my $i (1 .. 3) {
    my ($r) = attempt($FULLWIDTH_BOB, "guess-$i", '198.51.100.3');
    refused($r, "fullwidth bob, wrong password $i");
}
my @SPELLINGS = (['bob@other.org', '198.51.100.4'], ['  bob@other.org ', '198.51.100.5'],
                 ['BOB@OTHER.ORG', '198.51.100.6'], ["bob\@other.org\xc2\xa0", '198.51.100.7']);
for my $s (@SPELLINGS) {
    my ($r) = attempt($s->[0], password_of('bob@other.org'), $s->[1]);
    refused($r, "bob spelled '$s->[0]' after 3 failures as fullwidth, right password");
}

# --- per IP ----------------------------------------------------------------------------
for my $i (1 .. 10) {
    my ($r) = attempt("nobody$i\@example.net", 'x', '203.0.113.9');
    refused($r, "unknown user $i from 203.0.113.9") if $i == 1 || $i == 10;
}
($res) = attempt('carol', password_of('carol'), '203.0.113.9');
refused($res, 'right password from an IP with 10 failures');
($res) = attempt('carol', password_of('carol'), '203.0.113.10');
signed_in($res, 'the same user from the next IP');

# --- IPv6: one /64 is one client -------------------------------------------------------
for my $i (1 .. 10) {
    attempt("v6-$i\@example.net", 'x', sprintf('2001:db8:0:7::%x', $i));
}
($res) = attempt('mallory@evil.test', password_of('mallory@evil.test'), '2001:db8:0:7::ffff');
refused($res, 'another address of the same IPv6 /64');
($res) = attempt('mallory@evil.test', password_of('mallory@evil.test'), '2001:db8:0:8::1');
signed_in($res, 'the next /64');

log_clean($mark, expect => [
    qr/NA00060: credentials sign-in throttled for user 'alice\@example\.com' from 198\.51\.100\.1: credentialsUser=3\/60 reached/,
    qr/NA00060: credentials sign-in throttled for user 'Alice\@Example\.COM' from 198\.51\.100\.2: credentialsUser=3\/60/,
    qr/NA00060: credentials sign-in throttled for user 'carol' from 203\.0\.113\.9: credentialsIp=10\/60/,
    qr/NA00060: .* from 2001:db8:0:7::ffff: credentialsIp=10\/60/,
    map({ qr/NA00060: credentials sign-in throttled for user '.*' from \Q$_->[1]\E: credentialsUser=3\/60 reached/ }
        @SPELLINGS),
]);
# The password of a throttled attempt is never checked, never logged.
my @lines = NextAuth::Test::log_lines_since($mark);
ok(!grep({ /wonderland|builder|carol-pass|mallory-pass/ } @lines), 'no password in the log');
is(scalar(grep { /NA00020: .*'alice\@example\.com' \(wrong password\)/ } @lines), 3,
   'alice: only the 3 real guesses reached the authn provider');
is(scalar(grep { /NA00020: .*other\.org[^']*' \(/i } @lines), 3,
   'bob: only the 3 fullwidth guesses reached the authn provider');
done_testing();
