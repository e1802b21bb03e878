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
use Encode ();
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
    conf_check conf_fails conf_ok start_httpd is_root write_file log_event
    NO_STORE_HEADERS
    form_body signin signin_form session_cookie cookie_header_of header_problems
    html_problems echo_of on_origin query_param uri_decode password_of
    page_headers PAGE_CSP raw_request session_mint session_open
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
    custom      => 'custom-scenario-secret-4f1d9a',
    customq     => 'customq-scenario-secret',
    theme       => 'theme-scenario-secret',
    themelight  => 'themelight-scenario-secret',
    redirallow  => 'redirallow-scenario-secret',
    otherkey    => 'otherkey-scenario-secret',
    protect     => 'protect-scenario-secret-9b7e21',
    protectroot => 'protectroot-scenario-secret',
    proxyroot   => 'proxyroot-scenario-secret',
    bigcookie   => 'bigcookie-scenario-secret',
    limit       => 'limit-scenario-secret-5c2e',
    dbsession   => 'dbsession-scenario-secret',
    dbnotable   => 'dbnotable-scenario-secret',
    email       => 'email-scenario-secret',
    siblinga    => 'sibling-scenario-secret',
    siblingb    => 'sibling-scenario-secret',
    siblingc    => 'sibling-shared-scenario-secret',
    siblingd    => 'sibling-shared-scenario-secret',
    events      => 'events-scenario-secret-71c3',
    eventspipe  => 'eventspipe-scenario-secret-2d9a',
    eventsstuck => 'eventsstuck-scenario-secret-8e0f',
    metrics     => 'metrics-scenario-secret-7a31',
    timeout     => 'timeout-scenario-secret-3e8b',
    revoke      => 'revoke-scenario-secret-6d0c',
);

# Every secret of t/conf/*.conf.in, client secrets included: none may reach a log.
our @NEVER_LOGGED = (values(%SECRETS), qw(gh-client-secret corp-secret gl-secret
                                          gh-basepath-secret gh-custom-secret
                                          gh-theme-secret gh-protect-secret
                                          gh-dbsession-secret gh-dbnotable-secret
                                          gh-metrics-secret));

# Users of t/conf/people.htpasswd (the scenarios added for pages/, protect/, security/)
# and their passwords; carol's name is not an e-mail address.
our %PEOPLE = (
    'alice@example.com' => 'wonderland',
    'bob@other.org'     => 'builder',
    'carol'             => 'carol-pass',
    'mallory@evil.test' => 'mallory-pass',
);

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

# One event, one line (STYLE: client faults at info, ours and our peers' at error, never
# both): since MARK the module wrote exactly one line at info or above, it matches RE and
# it is at LEVEL ('info' or 'error').
sub log_event {
    my ($mark, $re, $level, $name) = @_;
    my @lines = grep { /\[nextauth:(?:info|notice|warn|error|crit|alert|emerg)\]/ }
                log_lines_since($mark);
    my $ok = ok(@lines == 1 && $lines[0] =~ $re && $lines[0] =~ /\[nextauth:\Q$level\E\]/,
                $name // "one $level line matching $re");
    diag('module lines: ' . (@lines ? join('', @lines) : "none\n")) unless $ok;
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
LoadModule socache_shmcb_module "$m/mod_socache_shmcb.so"
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

# --- sign-in, headers, pages, backends (pages/, protect/, security/) ------------------

sub password_of { $PEOPLE{ $_[0] } // die "no password known for '$_[0]'" }

# application/x-www-form-urlencoded body of PAIRS (a list, order kept).
sub form_body {
    my (@pairs) = @_;
    my @out;
    while (my ($k, $v) = splice @pairs, 0, 2) {
        push @out, uri_component($k) . '=' . uri_component($v);
    }
    return join '&', @out;
}

# The value of query parameter NAME in URL (percent-decoded, '+' is a space), or undef.
sub query_param {
    my ($url, $name) = @_;
    my ($query) = ($url // '') =~ /\?([^#]*)/ or return undef;
    for my $pair (split /&/, $query) {
        my ($k, $v) = split /=/, $pair, 2;
        next unless defined $k && uri_decode($k) eq $name;
        ($v //= '') =~ tr/+/ /;
        return uri_decode($v);
    }
    return undef;
}

# The Cookie header a browser would send back for the cookies of RES named like
# PATTERN (a regex), e.g. the session chunks; deleted cookies are left out.
sub cookie_header_of {
    my ($res, $pattern) = @_;
    my @keep = grep { $_->{name} =~ $pattern && $_->{value} ne ''
                      && !grep { /^Max-Age=0$/i } @{ $_->{attrs} } }
               map { parse_set_cookie($_) } set_cookies($res);
    return join '; ', map { "$_->{name}=$_->{value}" } @keep;
}

# The session cookie(s) a response set, as a Cookie header ('' when none).
sub session_cookie {
    my ($res, $name) = @_;
    $name //= 'next-auth.session-token';
    return cookie_header_of($res, qr/^\Q$name\E(?:\.\d+)?$/);
}

# Session tokens as next-auth makes them (dir/A256GCM under HKDF-SHA256(secret, salt "",
# next-auth's info)), to give a test a token with the iat, auth_time or sid it needs, and
# to read the ones the module issues. Needs CryptX (Debian libcryptx-perl).
my $SESSION_INFO = 'NextAuth.js Generated Encryption Key';
my $SESSION_SEQ = 0;

sub session_key {
    my ($scenario) = @_;
    require Crypt::KeyDerivation;
    return Crypt::KeyDerivation::hkdf(secret_of($scenario), '', 'SHA256', 32, $SESSION_INFO);
}

# The token of CLAIMS (a hash, encoded as JSON::PP's canonical order, or a JSON text).
sub session_mint {
    my ($scenario, $claims) = @_;
    require Crypt::AuthEnc::GCM;
    require MIME::Base64;
    my $h = MIME::Base64::encode_base64url('{"alg":"dir","enc":"A256GCM"}');
    my $pt = ref $claims ? JSON::PP->new->canonical->encode($claims) : $claims;
    my $iv = pack('N3', 0x7e55, time, ++$SESSION_SEQ);
    my ($ct, $tag) = Crypt::AuthEnc::GCM::gcm_encrypt_authenticate('AES', session_key($scenario),
                                                                   $iv, $h, $pt);
    return join '.', $h, '', map { MIME::Base64::encode_base64url($_) } $iv, $ct, $tag;
}

# The claims of TOKEN (a hash whose '_json' is the plaintext as it was), or undef when it
# does not open under the scenario's key.
sub session_open {
    my ($scenario, $token) = @_;
    require Crypt::AuthEnc::GCM;
    require MIME::Base64;
    my @p = split /\./, $token, -1;
    return undef unless @p == 5;
    my $pt = Crypt::AuthEnc::GCM::gcm_decrypt_verify('AES', session_key($scenario),
                                                     MIME::Base64::decode_base64url($p[2]), $p[0],
                                                     MIME::Base64::decode_base64url($p[3]),
                                                     MIME::Base64::decode_base64url($p[4]));
    return undef unless defined $pt;
    my $claims = JSON::PP->new->decode($pt);
    $claims->{_json} = $pt;
    return $claims;
}

# POST <base>/callback/<provider> after the CSRF round trip, as the built-in form does.
# Returns (response, Cookie header of the CSRF round trip). OPT: base, provider, fields
# (extra form fields, a list), cookie (extra cookies), headers.
sub signin_form {
    my ($scenario, $user, $password, %opt) = @_;
    my $base = $opt{base} // '/api/auth';
    my ($token, $jar) = csrf_roundtrip($scenario, base => $base);
    my $cookie = join '; ', grep { length } $jar, $opt{cookie} // '';
    my $res = req(POST => url($scenario, "$base/callback/" . ($opt{provider} // 'credentials')),
                  [Cookie => $cookie, 'Content-Type' => 'application/x-www-form-urlencoded',
                   @{ $opt{headers} || [] }],
                  form_body(csrfToken => $token, username => $user, password => $password,
                            @{ $opt{fields} || [] }));
    return ($res, $cookie);
}

# A real credentials sign-in (t/conf/people.htpasswd); dies unless it issued a session.
# Returns the Cookie header carrying the session (chunks included).
sub signin {
    my ($scenario, $user, %opt) = @_;
    my ($res) = signin_form($scenario, $user, $opt{password} // password_of($user), %opt);
    my $cookie = session_cookie($res, $opt{session_name});
    die "sign-in of $user on $scenario did not issue a session: " . $res->status_line
        . "\n" . $res->headers->as_string unless $cookie;
    return $cookie;
}

# Problems with the response headers as a list of strings: CR or LF inside a header
# name or value (after LWP's parsing, a header injection shows up as an extra header, so
# names outside ALLOWED, a regex, are reported too when it is given).
sub header_problems {
    my ($res, $allowed) = @_;
    my @bad;
    $res->headers->scan(sub {
        my ($k, $v) = @_;
        push @bad, "CR/LF in $k" if "$k$v" =~ /[\r\n]/;
        push @bad, "unexpected header $k: $v" if $allowed && $k !~ $allowed;
    });
    return @bad;
}

# Structural checks of a page: every attribute of every tag is name="value" with no
# '"', '<' or '>' inside the value, no raw "<script" anywhere, and the document is
# valid UTF-8. Returns a list of problems.
sub html_problems {
    my ($html) = @_;
    my @bad;
    push @bad, 'raw <script' if $html =~ /<\s*script/i;
    {
        # Strict UTF-8 (Encode's "UTF-8", not Perl's lax "utf8"): no overlong forms, no
        # surrogates, nothing above U+10FFFF.
        my $copy = $html;
        push @bad, 'not valid UTF-8'
            unless eval { Encode::decode('UTF-8', $copy, Encode::FB_CROAK()); 1 };
    }
    (my $tags = $html) =~ s{<style>.*?</style>}{<style>}gs;
    while ($tags =~ /<([a-zA-Z][a-zA-Z0-9]*)((?:[^>"]|"[^"]*")*)>/g) {
        my ($tag, $attrs) = ($1, $2);
        $attrs =~ s{\s*/\s*$}{};
        my $rest = $attrs;
        while (length $rest) {
            my ($name, $value);
            if ($rest =~ s/^\s+([a-zA-Z][a-zA-Z0-9:_-]*)="([^"<>]*)"//) {
                ($name, $value) = ($1, $2);
            }
            elsif ($rest =~ s/^\s+([a-zA-Z][a-zA-Z0-9_-]*)(?=\s|$)//) { $name = $1 }   # boolean
            else {
                push @bad, "<$tag> has a malformed attribute list: '$attrs'";
                last;
            }
            push @bad, "<$tag> has an event handler attribute $name" if $name =~ /^on/i;
            push @bad, "<$tag $name> is a script URL"
                if defined $value && $name =~ /^(?:href|src|action|formaction)$/i
                   && $value =~ /^\s*(?:javascript|vbscript|data):/i;
        }
    }
    return @bad;
}

# The KEY=VALUE lines of t/htdocs/protect/cgi/echo.cgi as a hash (undef unless the body
# came from it).
sub echo_of {
    my ($res) = @_;
    my $body = ref $res ? $res->content : $res;
    return undef unless defined $body && $body =~ s/^ECHO-CGI\n//;
    my %env;
    for my $line (split /\n/, $body) {
        my ($k, $v) = split /=/, $line, 2;
        $env{$k} = $v;
    }
    return \%env;
}

# The Content-Security-Policy of a built-in page without a theme logo.
use constant PAGE_CSP => "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
                       . "base-uri 'none'; frame-ancestors 'none'";

# The headers every built-in page carries (DESIGN "Pages"): HTML type, a CSP that allows
# no script and no framing, X-Frame-Options, Referrer-Policy, no caching (the pages hold
# the CSRF token), Vary: Accept-Language; none with CR or LF. OPT: status, csp.
sub page_headers {
    my ($res, $what, %opt) = @_;
    is($res->code, $opt{status} // 200, "$what: status " . ($opt{status} // 200));
    is($res->header('Content-Type'), 'text/html; charset=UTF-8', "$what: text/html; charset=UTF-8");
    is($res->header('Content-Security-Policy'), $opt{csp} // PAGE_CSP,
       "$what: CSP without script, frame-ancestors 'none'");
    is($res->header('X-Frame-Options'), 'DENY', "$what: X-Frame-Options: DENY");
    is($res->header('Referrer-Policy'), 'no-referrer', "$what: Referrer-Policy: no-referrer");
    is($res->header('X-Content-Type-Options'), 'nosniff', "$what: X-Content-Type-Options: nosniff");
    is($res->header('Cache-Control'), 'no-store', "$what: Cache-Control: no-store");
    like($res->header('Vary') // '', qr/(?:^|,\s*)Accept-Language(?:\s*,|$)/i,
         "$what: Vary: Accept-Language");
    is_deeply([header_problems($res)], [], "$what: no CR/LF in any header");
}

# Sends BYTES (a whole HTTP/1.1 request, written as given: exact header spellings,
# chunked bodies, lying lengths) to SCENARIO's port and reads the answer until the server
# closes or TIMEOUT (default 10 s) passes. Returns (status or 0, raw response text).
sub raw_request {
    my ($scenario, $bytes, %opt) = @_;
    my ($port) = origin($scenario) =~ /:(\d+)$/;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp',
                                  Timeout => 5) or return (0, "connect: $!");
    local $SIG{PIPE} = 'IGNORE';
    my $off = 0;
    while ($off < length $bytes) {
        my $n = syswrite($s, $bytes, 65536, $off);
        last unless $n;               # the server may answer and close before the end
        $off += $n;
    }
    shutdown($s, 1) if $opt{half_close};
    my $buf = '';
    my $deadline = time + ($opt{timeout} // 10);
    while (time < $deadline) {
        my $rin = '';
        vec($rin, fileno($s), 1) = 1;
        last unless select(my $rout = $rin, undef, undef, 0.5) >= 0;
        next unless vec($rout // '', fileno($s), 1);
        my $n = sysread($s, $buf, 65536, length $buf);
        last unless $n;
    }
    close $s;
    my ($status) = $buf =~ m{^HTTP/1\.[01] (\d{3})};
    return ($status // 0, $buf);
}

# 1 when URL stays on one of ORIGINS (scheme://host[:port] as the module spells them):
# it is exactly the origin or the origin followed by '/', '?' or '#', and nothing a
# browser would strip or reinterpret (controls, whitespace, backslashes) appears before
# the path starts. Anything else, relative URLs included, is "elsewhere".
sub on_origin {
    my ($url, @origins) = @_;
    return 0 unless defined $url;
    return 0 if $url =~ /[\x00-\x20\x7f]/;
    for my $o (@origins) {
        if (ref $o eq 'Regexp') {
            return 1 if $url =~ /^$o(?:[\/?#]|$)/;
        }
        elsif (index($url, $o) == 0) {
            my $next = substr($url, length $o, 1);
            return 1 if $next eq '' || $next =~ m{^[/?#]$};
        }
    }
    return 0;
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
