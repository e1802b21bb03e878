# NextAuthMetrics (scenario metrics): a scripted mix of sign-ins and session reads, then
# the exact change of every counter it touches, read as differences between two scrapes
# (the counters are shared by the whole server and count from its start). Every line of
# a scrape must parse as the Prometheus text format 0.0.4; other methods get 405; the
# mod_status section shows the same totals.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $BASE = url('metrics', '/api/auth');
my $METRICS = url('metrics', '/metrics');
my ($GOOD, $WRONG, $CSRF, $READS, $ANON) = (3, 2, 2, 3, 2);

# A scrape as { series => value }; every line is checked against the format.
sub scrape {
    my ($what) = @_;
    my $res = req(GET => $METRICS);
    is($res->code, 200, "$what: 200");
    is($res->header('Content-Type'), 'text/plain; version=0.0.4; charset=utf-8',
       "$what: the exposition format's content type");
    my (%value, %typed, @bad);
    for my $line (split /\n/, $res->decoded_content) {
        if ($line =~ /^# (HELP|TYPE) (nextauth_[a-z_]+) (.+)$/) {
            $typed{$2} = $3 if $1 eq 'TYPE';
            push @bad, "type $line" if $1 eq 'TYPE' && $3 !~ /^(counter|histogram)$/;
            next;
        }
        my ($name, $labels, $v) = $line =~
            /^(nextauth_[a-z_]+)(\{(?:[a-z]+="(?:[^"\\\n]|\\[\\"n])*"(?:,|(?=\})))*\})? ([0-9]+(?:\.[0-9]+)?)$/
            or do { push @bad, $line; next };
        (my $family = $name) =~ s/_(bucket|sum|count)$// unless $typed{$name};
        $family //= $name;
        push @bad, "untyped $line" unless $typed{$name} || $typed{$family};
        push @bad, "repeated $line" if exists $value{ $name . ($labels // '') };
        $value{ $name . ($labels // '') } = $v;
    }
    is_deeply(\@bad, [], "$what: every line parses, each sample typed before it");
    return \%value;
}

sub signins { "nextauth_signins_total{provider=\"$_[0]\",outcome=\"$_[1]\"}" }

my $before = scrape('first scrape');
ok(exists $before->{ signins('credentials', 'success') }, 'the credentials provider is labelled');
ok(exists $before->{ signins('github', 'failure') }, 'every configured provider is labelled');
ok(exists $before->{ signins('other', 'success') }, 'unknown providers count as other');
is($before->{'nextauth_idp_request_duration_seconds_bucket{le="+Inf"}'},
   $before->{nextauth_idp_request_duration_seconds_count}, 'histogram: +Inf is the count');

# --- the mix ---------------------------------------------------------------------------
my $cookie;
$cookie = signin('metrics', 'alice@example.com') for 1 .. $GOOD;
for (1 .. $WRONG) {
    my ($res) = signin_form('metrics', 'bob@other.org', 'not-his-password');
    is($res->header('Location'), "$BASE/signin?error=CredentialsSignin", 'wrong password refused');
}
for (1 .. $CSRF) {
    my $res = req(POST => "$BASE/callback/credentials",
                  ['Content-Type' => 'application/x-www-form-urlencoded'],
                  form_body(csrfToken => 'forged', username => 'alice@example.com',
                            password => password_of('alice@example.com')));
    is($res->header('Location'), "$BASE/signin?csrf=true", 'forged CSRF token refused');
}
# A user of this test alone: 3 failures, then the limit refuses the 4th attempt.
my $probe = "metrics-probe-$$-" . time();
for my $i (1 .. 4) {
    my ($res) = signin_form('metrics', $probe, "guess-$i");
    is($res->header('Location'), "$BASE/signin?error=CredentialsSignin", "probe attempt $i refused");
}
for (1 .. $READS) {
    my $res = req(GET => "$BASE/session", [Cookie => $cookie]);
    like($res->decoded_content, qr/alice\@example\.com/, 'session read with the cookie');
}
for (1 .. $ANON) {
    is(req(GET => "$BASE/session")->decoded_content, '{}', 'session read without a cookie');
}

# --- the counts ------------------------------------------------------------------------
my $after = scrape('second scrape');
my %expect = (
    signins('credentials', 'success') => $GOOD,
    signins('credentials', 'failure') => $WRONG + $CSRF + 4,
    signins('github', 'success') => 0,
    signins('github', 'failure') => 0,
    signins('other', 'failure') => 0,
    'nextauth_errors_total{code="CredentialsSignin"}' => $WRONG + 4,
    'nextauth_errors_total{code="Configuration"}' => 0,
    'nextauth_errors_total{code="other"}' => 0,
    'nextauth_csrf_failures_total' => $CSRF,
    'nextauth_rate_limit_refusals_total{kind="credentialsUser"}' => 1,
    'nextauth_rate_limit_refusals_total{kind="credentialsIp"}' => 0,
    'nextauth_rate_limit_refusals_total{kind="emailAddress"}' => 0,
    'nextauth_idp_request_duration_seconds_count' => 0,
);
for my $series (sort keys %expect) {
    is($after->{$series} - $before->{$series}, $expect{$series}, "$series grew by $expect{$series}");
}
# Each child has its own memo: which reads hit depends on which child took them, but
# every read with a cookie is exactly one of the two, and a read without none.
my $memo = sub { $_[0]{'nextauth_session_memo_total{result="hit"}'}
                 + $_[0]{'nextauth_session_memo_total{result="miss"}'} };
is($memo->($after) - $memo->($before), $READS, "memo hits + misses grew by $READS");

# --- methods, and a location without it ------------------------------------------------
for my $method (qw(POST PUT DELETE)) {
    my $res = req($method => $METRICS);
    is($res->code, 405, "$method /metrics: 405");
    # httpd lists the methods in no fixed order, and adds TRACE while TraceEnable is on.
    my @allow = sort grep { $_ ne 'TRACE' } split /\s*,\s*/, $res->header('Allow') // '';
    is("@allow", 'GET HEAD', "$method /metrics: Allow: GET, HEAD");
}
my $head = req(HEAD => $METRICS);
is($head->code, 200, 'HEAD /metrics: 200');
is($head->content, '', 'HEAD /metrics: no body');
unlike(req(GET => url('metrics', '/metrics/off'))->decoded_content // '', qr/nextauth_signins_total/,
       'NextAuthMetrics Off: no counters');

# --- mod_status ------------------------------------------------------------------------
SKIP: {
    my $auto = req(GET => url('metrics', '/server-status?auto'));
    skip 'mod_status is not available', 3 unless $auto->code == 200;
    my $now = scrape('third scrape');
    my $success = 0;
    $success += $now->{$_} for grep { /^nextauth_signins_total\{.*outcome="success"\}$/ } keys %$now;
    like($auto->decoded_content, qr/^NextAuthSignInsSuccess: $success$/m,
         "?auto: NextAuthSignInsSuccess is the scrape's sum ($success)");
    like($auto->decoded_content,
         qr/^NextAuthCSRFFailures: $now->{nextauth_csrf_failures_total}$/m,
         '?auto: NextAuthCSRFFailures as the scrape');
    like(req(GET => url('metrics', '/server-status'))->decoded_content,
         qr{<h2>mod_nextauth</h2>.*NextAuthSignInsFailure: \d+}s, 'the HTML page has the section');
}

done_testing();
