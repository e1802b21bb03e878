# `make install` as a Debian administrator sees it: the module where apxs says modules go
# and mods-available/nextauth.{load,conf}, so that the Debian way (a2enmod nextauth, then
# apachectl -t) works. Installed into a DESTDIR scratch tree, then checked with apache2 -t
# against a configuration that includes the installed .load and .conf files.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $root = $ENV{NEXTAUTH_ROOT};
plan skip_all => 'NEXTAUTH_ROOT is not set (run through t/run-httpd-tests.sh)' unless $root;

my $mark = log_mark();
my $dest = NextAuth::Test::scratch_dir();
my $apxs = $ENV{APXS} || 'apxs';
my $out = `DESTDIR='$dest' '$root/scripts/install-module.sh' '$apxs' 2>&1`;
is($? >> 8, 0, 'install-module.sh exits 0') or diag($out);

chomp(my $libexec = `'$apxs' -q LIBEXECDIR`);
chomp(my $sysconf = `'$apxs' -q SYSCONFDIR`);
my $so = "$dest$libexec/mod_nextauth.so";
ok(-f $so, "module installed at $libexec/mod_nextauth.so");
my $load = "$dest$sysconf/mods-available/nextauth.load";
my $conf = "$dest$sysconf/mods-available/nextauth.conf";
ok(-f $load && -f $conf, 'mods-available/nextauth.load and nextauth.conf installed');

SKIP: {
    skip 'nothing to check without the .load file', 6 unless -f $load && -f $so;
    open my $fh, '<', $load or die "$load: $!";
    my @lines = <$fh>;
    close $fh;
    # a2enmod reads "# Depends:" above the first directive: the rate-limit counters live
    # in mod_socache_shmcb by default (NextAuthRateLimitCache).
    like($lines[0], qr/^# Depends: .*\bsocache_shmcb\b/, 'a2enmod nextauth enables socache_shmcb');
    my ($line) = grep { !/^\s*(?:#|$)/ } @lines;
    like($line, qr{^LoadModule nextauth_module \Q$libexec\E/mod_nextauth\.so$},
         'the .load line names the installed module');
    # a2enmod links these two files into mods-enabled; include them as apache2.conf would,
    # with the module path moved into DESTDIR.
    (my $dest_load = $line) =~ s{\Q$libexec\E}{$dest$libexec};
    my $body = "$dest_load" . "Include $conf\n";
    my $checked = conf_ok('installed nextauth.load + nextauth.conf', $body,
                           without => ['nextauth']);
    unlike($checked, qr/NextAuth/, 'the shipped nextauth.conf enables nothing by itself');
}

log_clean($mark);
done_testing();
