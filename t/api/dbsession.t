# Database sessions (SPEC 1.5, 5, 6.1 "Rolling refresh (database strategy)", 8) on
# SQLite through mod_dbd (t/conf/dbsession.conf.in). Users and sessions rows are made
# here with the sqlite3 CLI, since credentials sign-ins never make database sessions:
# a valid token answers the user and opens a protected location; updateAge moves the
# row only when due and the JSON expires is the one before; an expired row is deleted
# and its cookie cleared; unknown and forged tokens (SQL in the cookie included) are
# refused; sign-out deletes the row; credentials sign-ins get a JWT that database mode
# accepts; a database without the tables is a Configuration error naming the schema.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use Apache::TestUtil qw(t_catfile);
use NextAuth::Test;

my $mark = log_mark();
my $DB = t_catfile(Apache::Test::vars('serverroot'), 'dbfiles', 'sessions.db');
my $COOKIE = 'next-auth.session-token';

sub sql {
    my ($text) = @_;
    open my $fh, '-|', 'sqlite3', '-cmd', '.timeout 5000', '-separator', "\t", $DB, $text
        or die "sqlite3: $!";
    my @rows = map { chomp; [split /\t/, $_, -1] } <$fh>;
    close $fh or die "sqlite3 failed on: $text\n";
    return @rows;
}

my $n = 0;
# A user and a session row expiring at $expires; returns (token, user id).
sub session_row {
    my ($expires, %u) = @_;
    $n++;
    my $email = $u{email} // "db$n\@example.com";
    sql(qq{INSERT INTO users (name, email, image) VALUES ('DB User $n', '$email', NULL)});
    my ($id) = map { $_->[0] } sql(qq{SELECT id FROM users WHERE email = '$email'});
    my $token = sprintf('%08x-%04x-4%03x-a%03x-%012x', $n * 7919, $n, $n, $n, $$ * 1000 + $n);
    sql(qq{INSERT INTO sessions ("userId", expires, "sessionToken") VALUES ($id, $expires, '$token')});
    return ($token, $id);
}

sub row_expires {
    my ($token) = @_;
    my @r = sql(qq{SELECT expires FROM sessions WHERE "sessionToken" = '$token'});
    return @r ? $r[0][0] : undef;
}

sub session_get {
    my ($scenario, $cookie) = @_;
    return req(GET => url($scenario, '/api/auth/session'), [Cookie => $cookie]);
}

sub iso {
    my @t = gmtime($_[0]);
    return sprintf('%04d-%02d-%02dT%02d:%02d:%02d.000Z', $t[5] + 1900, $t[4] + 1, @t[3, 2, 1, 0]);
}

sub cleared {
    my ($res) = @_;
    my $c = cookie_named($res, $COOKIE);
    return $c && $c->{value} eq '' && grep { $_ eq 'Max-Age=0' } @{ $c->{attrs} };
}

# --- a valid session ------------------------------------------------------------------
{
    my $now = time;
    my $exp = $now + 3500; # refreshed 100 s ago: updateAge (600) not due
    my ($token, $id) = session_row($exp, email => 'dbvalid@example.com');
    my $res = session_get('dbsession', "$COOKIE=$token");
    is($res->code, 200, 'valid: 200');
    my $j = json_of($res) || {};
    is($j->{user}{email}, 'dbvalid@example.com', 'valid: the user of the row');
    like($j->{user}{name} // '', qr/^DB User \d+$/, 'valid: name from users');
    ok(exists $j->{user}{image} && !defined $j->{user}{image}, 'valid: image null');
    is($j->{expires}, iso($exp), 'valid: expires is the row\'s');
    is(row_expires($token), $exp, 'valid: row not moved before updateAge');
    my $c = cookie_named($res, $COOKIE);
    ok($c && $c->{value} eq $token, 'valid: the cookie is re-set with the same token');

    my $page = req(GET => url('dbsession', '/dbprivate/index.html'), [Cookie => "$COOKIE=$token"]);
    is($page->code, 200, 'protected: 200 with a database session');
    like($page->content, qr/PROTECTED-STATIC-CONTENT/, 'protected: the page');
    is($page->header('X-Echo-Email'), 'dbvalid@example.com', 'protected: X-NextAuth-Email');
    is($page->header('X-Echo-Sub'), $id, 'protected: X-NextAuth-Sub is the user id');
    is(req(GET => url('dbsession', '/dbprivate/index.html'))->code, 401, 'protected: 401 without');
}

# --- updateAge ------------------------------------------------------------------------
{
    my $now = time;
    my $old = $now + 3600 - 600 - 30; # last set 630 s ago: due
    my ($token) = session_row($old);
    my $res = session_get('dbsession', "$COOKIE=$token");
    is((json_of($res) || {})->{expires}, iso($old), 'updateAge: JSON expires before the update');
    my $moved = row_expires($token);
    ok($moved >= $now + 3600 - 2 && $moved <= time + 3600 + 2, "updateAge: row moved to now+maxAge ($moved)");
    my $c = cookie_named($res, $COOKIE);
    my ($expires) = grep { /^Expires=/i } @{ $c->{attrs} || [] };
    ok($expires, 'updateAge: cookie has Expires');
}

# --- expired --------------------------------------------------------------------------
{
    my ($token) = session_row(time - 5);
    my $res = session_get('dbsession', "$COOKIE=$token");
    is($res->content, '{}', 'expired: {}');
    ok(cleared($res), 'expired: cookie cleared');
    ok(!defined row_expires($token), 'expired: row deleted');
    my ($t2) = session_row(time - 5);
    is(req(GET => url('dbsession', '/dbprivate/index.html'), [Cookie => "$COOKIE=$t2"])->code,
       401, 'expired: protected page refused');
}

# --- unknown and forged ---------------------------------------------------------------
{
    my ($before) = map { $_->[0] } sql('SELECT count(*) FROM sessions');
    for my $forged ('0badc0de-0000-4000-8000-000000000000', "'%20OR%201=1%20--",
                    'a' x 64, 'x' x 36, '') {
        my $res = session_get('dbsession', "$COOKIE=$forged");
        is($res->code, 200, "forged '$forged': 200");
        is($res->content, '{}', "forged '$forged': {}");
        is(req(GET => url('dbsession', '/dbprivate/index.html'), [Cookie => "$COOKIE=$forged"])->code,
           401, "forged '$forged': protected page refused");
    }
    my ($after) = map { $_->[0] } sql('SELECT count(*) FROM sessions');
    is($after, $before, 'forged: no row touched');
}

# --- sign-out -------------------------------------------------------------------------
{
    my ($token) = session_row(time + 3500);
    my ($csrf, $jar) = csrf_roundtrip('dbsession');
    my $res = req(POST => url('dbsession', '/api/auth/signout'),
                  [Cookie => "$jar; $COOKIE=$token",
                   'Content-Type' => 'application/x-www-form-urlencoded'],
                  form_body(csrfToken => $csrf, callbackUrl => url('dbsession', '/bye')));
    is($res->code, 302, 'sign-out: 302');
    is($res->header('Location'), url('dbsession', '/bye'), 'sign-out: to the callback URL');
    ok(cleared($res), 'sign-out: cookie cleared');
    ok(!defined row_expires($token), 'sign-out: row deleted');
    is(session_get('dbsession', "$COOKIE=$token")->content, '{}', 'sign-out: token dead');
}

# --- credentials with strategy=database: a JWT, accepted --------------------------------
{
    my ($before) = map { $_->[0] } sql('SELECT count(*) FROM sessions');
    my $cookie = signin('dbsession', 'alice@example.com');
    like($cookie, qr/^\Q$COOKIE\E=eyJ/, 'credentials: a JWE session cookie, not a row');
    my $j = json_of(session_get('dbsession', $cookie)) || {};
    is($j->{user}{email}, 'alice@example.com', 'credentials: GET session accepts the JWT');
    is(req(GET => url('dbsession', '/dbprivate/index.html'), [Cookie => $cookie])->code, 200,
       'credentials: protected page accepts the JWT');
    my ($after) = map { $_->[0] } sql('SELECT count(*) FROM sessions');
    is($after, $before, 'credentials: no sessions row');
    is(scalar(sql(q{SELECT id FROM users WHERE email = 'alice@example.com'})), 0,
       'credentials: no users row');
}

# --- a database without the tables ------------------------------------------------------
{
    my $tok = '11111111-2222-4333-8444-555555555555';
    my $page = req(GET => url('dbnotable', '/dbprivate/index.html'), [Cookie => "$COOKIE=$tok"]);
    is($page->code, 500, 'no tables: protected page 500');
    my $res = session_get('dbnotable', "$COOKIE=$tok");
    is($res->content, '{}', 'no tables: GET session {}');
    ok(!cleared($res), 'no tables: the cookie is not cleared for a database fault');
    my ($csrf, $jar) = csrf_roundtrip('dbnotable');
    my $out = req(POST => url('dbnotable', '/api/auth/signout'),
                  [Cookie => "$jar; $COOKIE=$tok",
                   'Content-Type' => 'application/x-www-form-urlencoded'],
                  form_body(csrfToken => $csrf));
    is($out->code, 302, 'no tables: sign-out redirects');
    like($out->header('Location') // '', qr{/api/auth/error\?error=Configuration$},
         'no tables: sign-out is a Configuration error');
    is(req(GET => $out->header('Location'))->code, 500, 'no tables: the error page is 500');
}

log_clean($mark, allow => [qr/NA0004[01]/],
          expect => [qr/\[nextauth:error\].*NA00040: .*conf\/schema\/sqlite\.sql/]);
my @schema = grep { /NA00040/ } NextAuth::Test::log_lines_since($mark);
ok(@schema >= 1 && @schema <= 2, 'no tables: the schema hint is logged once per process ('
   . scalar(@schema) . ')');

done_testing();
