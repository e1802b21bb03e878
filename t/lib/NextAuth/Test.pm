# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# Helpers for the black-box suite: requests to a scenario vhost without any client-side
# cookie handling (tests send exactly the cookies they mean to), Set-Cookie parsing, the
# CSRF round-trip, JSON decoding with key order, error-log assertions, `apache2 -t` runs
# of throw-away configurations, and a second httpd for scenarios that need a main server
# of their own.
package NextAuth::Test;

use strict;
use warnings;

use Exporter qw(import);
use Digest::SHA qw(sha256_hex);
use File::Spec::Functions qw(catfile);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use JSON::PP ();
use LWP::UserAgent;
use HTTP::Request;
use POSIX qw(WNOHANG);
use Test::More;
use Time::HiRes qw(sleep);

use Apache::Test ();
use Apache::TestRequest ();

our @EXPORT = qw(
    url origin req json_of json_keys set_cookies parse_set_cookie cookie_named
    csrf_roundtrip cookie_jar csrf_hash uri_component secret_of log_mark log_clean
    conf_check conf_fails conf_ok start_httpd is_root write_file
    NO_STORE_HEADERS
);

# The secrets the scenarios in t/conf/*.conf.in are configured with; tests recompute
# hashes from these independently of the module.
my %SECRETS = (
    default   => 'default-scenario-secret-0123456789abcdef',
    basepath  => 'file-secret-for-the-basepath-scenario',       # t/conf/nextauth.secret
    urlpath   => 'urlpath-scenario-secret',
    secure    => 'secure-scenario-secret-with-https',
    prefix    => 'env-secret-for-the-prefix-scenario',          # env:, set by TEST.PL
    cookieon  => 'cookieon-scenario-secret',
    cookieoff => 'cookieoff-scenario-secret',
);

# Every secret of t/conf/*.conf.in, client secrets included: none may reach a log.
our @NEVER_LOGGED = (values(%SECRETS), qw(gh-client-secret corp-secret gl-secret
                                          gh-basepath-secret));

use constant NO_STORE_HEADERS => (
    'Cache-Control' => 'private, no-cache, no-store',
    'Pragma'        => 'no-cache',
    'Expires'       => '0',
);

sub secret_of { $SECRETS{ $_[0] } // die "no secret known for scenario '$_[0]'" }

sub is_root { $> == 0 }

# --- requests --------------------------------------------------------------------------

my $UA = LWP::UserAgent->new(
    agent        => 'mod_nextauth-tests/1',
    max_redirect => 0,
    timeout      => 15,
    keep_alive   => 0,
    cookie_jar   => undef,
);

# The vhost of a scenario (t/conf/<name>.conf.in); 'main' is Apache::Test's main server.
sub origin {
    my ($scenario) = @_;
    my $module = $scenario eq 'main' ? 'default' : "nextauth_$scenario";
    my $url = Apache::TestRequest::module2url($module, { path => '' });
    $url =~ s{/$}{};
    # httpd listens on 0.0.0.0 only; "localhost" would try ::1 first on every request.
    $url =~ s{^http://localhost:}{http://127.0.0.1:};
    return $url;
}

sub url {
    my ($scenario, $path) = @_;
    return origin($scenario) . $path;
}

# req(METHOD, URL, [header => value, ...], [body]) -> HTTP::Response; no redirects, no jar.
sub req {
    my ($method, $url, $headers, $body) = @_;
    my $r = HTTP::Request->new($method, $url, $headers || [], $body);
    return $UA->request($r);
}

sub json_of {
    my ($res) = @_;
    my $text = ref $res ? $res->content : $res;
    my $data = eval { JSON::PP->new->utf8->decode($text) };
    return $data;
}

# Top-level keys of a JSON object in the order they appear in the text (JSON::PP hashes
# lose the order, and /providers promises configuration order).
sub json_keys {
    my ($text) = @_;
    my (@keys, $depth, $i);
    $depth = 0;
    my $n = length $text;
    for ($i = 0; $i < $n; $i++) {
        my $c = substr($text, $i, 1);
        if ($c eq '"') {
            my $start = $i + 1;
            $i++;
            while ($i < $n && substr($text, $i, 1) ne '"') {
                $i++ if substr($text, $i, 1) eq '\\';
                $i++;
            }
            my $str = substr($text, $start, $i - $start);
            if ($depth == 1 && substr($text, $i + 1) =~ /^\s*:/) {
                push @keys, JSON::PP->new->decode(qq("$str"));
            }
        }
        elsif ($c eq '{' || $c eq '[') { $depth++ }
        elsif ($c eq '}' || $c eq ']') { $depth-- }
    }
    return @keys;
}

# --- cookies ---------------------------------------------------------------------------

sub set_cookies {
    my ($res) = @_;
    return $res->headers->header('Set-Cookie');
}

# "n=v; Path=/; HttpOnly" -> { name, value, attrs => ['Path=/', 'HttpOnly'], raw }
sub parse_set_cookie {
    my ($raw) = @_;
    my ($pair, @attrs) = split /;\s*/, $raw;
    my ($name, $value) = split /=/, $pair, 2;
    return { name => $name, value => $value, attrs => \@attrs, raw => $raw };
}

# The parsed Set-Cookie for NAME, or undef; dies if the response sets it twice.
sub cookie_named {
    my ($res, $name) = @_;
    my @found = grep { $_->{name} eq $name } map { parse_set_cookie($_) } set_cookies($res);
    die "Set-Cookie $name appears " . scalar(@found) . " times" if @found > 1;
    return $found[0];
}

# JavaScript's encodeURIComponent, which next-auth applies to cookie values.
sub uri_component {
    my ($s) = @_;
    $s =~ s/([^A-Za-z0-9\-_.!~*'()])/sprintf('%%%02X', ord $1)/ge;
    return $s;
}

sub uri_decode {
    my ($s) = @_;
    $s =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
    return $s;
}

sub csrf_hash {
    my ($token, $secret) = @_;
    return sha256_hex($token . $secret);
}

# A browser's cookie jar, reduced to what these tests need: the Cookie header a client
# would send after RESPONSES, in order (a later Set-Cookie replaces an earlier one of the
# same name; an empty value or Max-Age=0 deletes it). Domain and path are not modelled:
# every cookie of the module is Path=/ and host-only.
sub cookie_jar {
    my (@responses) = @_;
    my (%jar, @order);
    for my $c (map { parse_set_cookie($_) } map { set_cookies($_) } @responses) {
        if ($c->{value} eq '' || grep { /^Max-Age=0$/i } @{ $c->{attrs} }) {
            delete $jar{ $c->{name} };
            next;
        }
        push @order, $c->{name} unless exists $jar{ $c->{name} };
        $jar{ $c->{name} } = $c->{value};
    }
    return join '; ', map { "$_=$jar{$_}" } grep { exists $jar{$_} } @order;
}

# The CSRF round-trip of next-auth's client (getCsrfToken): GET <base>/csrf and keep
# its cookies. Returns (token, Cookie header to send next, response).
sub csrf_roundtrip {
    my ($scenario, %opt) = @_;
    my $base = $opt{base} // '/api/auth';
    my $res = req(GET => url($scenario, "$base/csrf"), $opt{headers});
    my $token = (json_of($res) || {})->{csrfToken};
    return ($token, cookie_jar($res), $res);
}

# --- error log -------------------------------------------------------------------------

sub error_log_path {
    my ($file) = @_;
    return $file // catfile(Apache::Test::vars('t_logs'), 'error_log');
}

# Position in the error log; log_clean() looks only at what follows it.
sub log_mark {
    my ($file) = @_;
    my $path = error_log_path($file);
    return { file => $path, pos => (-s $path) // 0 };
}

sub log_lines_since {
    my ($mark) = @_;
    open my $fh, '<', $mark->{file} or return ();
    seek $fh, $mark->{pos}, 0;
    my @lines = <$fh>;
    close $fh;
    return @lines;
}

# One test: no [error]/[crit]/[alert]/[emerg] line, no crash, no failed assertion since
# MARK, except lines matching one of `allow`; every pattern in `expect` must appear.
sub log_clean {
    my ($mark, %opt) = @_;
    my @allow = @{ $opt{allow} || [] };
    my @expect = @{ $opt{expect} || [] };
    # Children log a crash from the parent a moment later; give it the chance.
    sleep 0.2;
    my @lines = log_lines_since($mark);
    my @bad = grep {
        my $line = $_;
        ($line =~ /\[(?:\w+:)?(?:error|crit|alert|emerg)\]/
         || $line =~ /Segmentation fault|exit signal|Assertion.*failed/
         || $line =~ /AddressSanitizer|double free/)
            && !grep { $line =~ $_ } @allow
    } @lines;
    my @missing = grep { my $re = $_; !grep { $_ =~ $re } @lines } @expect;
    # No secret of any scenario is ever logged (STYLE 2.4), at any level.
    my @leaks = grep { my $l = $_; grep { index($l, $_) >= 0 } @{ $opt{never} || \@NEVER_LOGGED } }
                @lines;
    my $ok = ok(!@bad && !@missing && !@leaks,
                $opt{name} // 'error log: no unexpected errors, no crash, no secret');
    diag("unexpected log line: $_") for @bad;
    diag("expected log line not found: $_") for @missing;
    diag("secret in log line: $_") for @leaks;
    return $ok;
}

# --- configurations for apache2 -t and for a second server ---------------------------

sub httpd_bin { $ENV{NEXTAUTH_HTTPD} || Apache::Test::vars('httpd') || '/usr/sbin/apache2' }
sub moddir   { $ENV{NEXTAUTH_MODDIR} || '/usr/lib/apache2/modules' }
sub module_so { $ENV{NEXTAUTH_SO} or die 'NEXTAUTH_SO is not set (run through t/TEST.PL)' }

# The frame every throw-away configuration shares: a private ServerRoot, the modules
# the scenarios use, and mod_nextauth.
sub conf_frame {
    my ($dir, $port, %opt) = @_;
    my $m = moddir();
    my $so = module_so();
    my $frame = <<"EOF";
ServerRoot "$dir"
ServerName localhost
Listen 127.0.0.1:$port
PidFile "$dir/httpd.pid"
ErrorLog "$dir/error_log"
LogLevel info
DefaultRuntimeDir "$dir"
LoadModule mpm_prefork_module "$m/mod_mpm_prefork.so"
LoadModule authn_core_module "$m/mod_authn_core.so"
LoadModule authn_file_module "$m/mod_authn_file.so"
LoadModule authz_core_module "$m/mod_authz_core.so"
LoadModule authz_user_module "$m/mod_authz_user.so"
LoadModule dbd_module "$m/mod_dbd.so"
LoadModule nextauth_module "$so"
StartServers 1
MinSpareServers 1
MaxSpareServers 2
EOF
    # Leave out modules a case needs absent (dbd; nextauth for an example that loads it).
    $frame =~ s/^LoadModule \Q$_\E_module .*\n//m for @{ $opt{without} || [] };
    return $frame;
}

sub write_file {
    my ($path, $text, $mode) = @_;
    open my $fh, '>', $path or die "$path: $!";
    print $fh $text;
    close $fh or die "$path: $!";
    chmod $mode, $path if defined $mode;
    return $path;
}

sub scratch_dir {
    my $base = Apache::Test::vars('t_dir') || '/tmp';
    return tempdir('nextauth-XXXXXX', DIR => (-w $base ? $base : '/tmp'), CLEANUP => 1);
}

# Runs `apache2 -t -f FILE` on the frame plus BODY (with @DIR@ replaced by the scratch
# directory). Returns (exit status, combined output, scratch dir).
sub conf_check {
    my ($body, %opt) = @_;
    my $dir = $opt{dir} // scratch_dir();
    (my $text = $body) =~ s/\@DIR\@/$dir/g;
    my $file = write_file("$dir/httpd.conf", conf_frame($dir, 8529, %opt) . $text);
    my $httpd = httpd_bin();
    local $ENV{LANG} = 'C';
    local $ENV{LC_ALL} = 'C';
    my $out = `'$httpd' -t -f '$file' 2>&1`;
    return ($? >> 8, $out, $dir);
}

sub no_crash {
    my ($what, $out) = @_;
    unlike($out, qr/Segmentation fault|Assertion.*failed|AddressSanitizer|core dumped|Aborted/,
           "$what: no crash or failed assertion");
}

# One failing case: `apache2 -t` exits non-zero and exactly one line of its output
# matches every pattern in LINE (typically: the directive, the bad value, "accepted:
# <list>"); nothing in NEVER (secrets) appears. OPT: todo, without, dir, never.
sub conf_fails {
    my ($what, $body, $line, %opt) = @_;
    my ($rc, $out) = conf_check($body, %opt);
    my @res = ref $line eq 'ARRAY' ? @$line : ($line);
    isnt($rc, 0, "$what: apache2 -t fails");
    no_crash($what, $out);
    {
        our $TODO;
        local $TODO = $opt{todo} if $opt{todo};
        my @hits = grep { my $l = $_; !grep { $l !~ $_ } @res } split /\n/, $out;
        is(scalar @hits, 1, "$what: one line names the directive, value and what is accepted")
            or diag("output:\n$out\nwanted one line matching:\n" . join("\n", @res));
    }
    for my $secret (@{ $opt{never} || [] }) {
        ok(index($out, $secret) < 0, "$what: '$secret' is not echoed");
    }
    return $out;
}

# A configuration that must pass: exit 0 and "Syntax OK".
sub conf_ok {
    my ($what, $body, %opt) = @_;
    my ($rc, $out) = conf_check($body, %opt);
    is($rc, 0, "$what: apache2 -t exits 0") or diag($out);
    like($out, qr/^Syntax OK$/m, "$what: Syntax OK");
    no_crash($what, $out);
    return $out;
}

# A free TCP port at or above FROM on the loopback address.
sub free_port {
    my ($from) = @_;
    for my $port ($from .. $from + 400) {
        my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $port,
                                      Proto => 'tcp', Listen => 1, ReuseAddr => 1);
        next unless $s;
        close $s;
        return $port;
    }
    die "no free port from $from";
}

# A second httpd (foreground parent we started ourselves, stopped by its pid) for
# scenarios that need their own main server. BODY may use @PORT@ and @DIR@.
# Returns an object: ->origin, ->log_mark, ->stop.
sub start_httpd {
    my ($body) = @_;
    my $dir = scratch_dir();
    my $base = (Apache::Test::vars('port') || 8529) + 200;
    my $port = free_port($base);
    (my $text = $body) =~ s/\@DIR\@/$dir/g;
    $text =~ s/\@PORT\@/$port/g;
    my $file = write_file("$dir/httpd.conf", conf_frame($dir, $port) . $text);
    write_file("$dir/error_log", '');
    my $httpd = httpd_bin();
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        # Its own session: prefork's shutdown signals its whole process group, which
        # would otherwise include this test and the harness.
        POSIX::setsid();
        open STDOUT, '>>', "$dir/error_log";
        open STDERR, '>>', "$dir/error_log";
        exec $httpd, '-f', $file, '-DFOREGROUND' or POSIX::_exit(127);
    }
    my $self = bless { pid => $pid, dir => $dir, port => $port }, 'NextAuth::Test::Server';
    for (1 .. 100) {
        if (waitpid($pid, WNOHANG) == $pid) {
            delete $self->{pid};
            my $log = do { local (@ARGV, $/) = ("$dir/error_log"); <> };
            die "second httpd did not start:\n$log";
        }
        my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                      Proto => 'tcp', Timeout => 1);
        return $self if $s;
        sleep 0.1;
    }
    $self->stop;
    die "second httpd did not listen on port $port";
}

package NextAuth::Test::Server;

sub origin   { "http://127.0.0.1:$_[0]{port}" }
sub port     { $_[0]{port} }
sub log_mark { NextAuth::Test::log_mark("$_[0]{dir}/error_log") }

sub stop {
    my ($self) = @_;
    my $pid = delete $self->{pid} or return;
    kill 'TERM', $pid;
    for (1 .. 100) {
        return if waitpid($pid, POSIX::WNOHANG()) == $pid;
        Time::HiRes::sleep(0.1);
    }
    kill 'KILL', $pid;
    waitpid($pid, 0);
}

sub DESTROY { $_[0]->stop }

1;
