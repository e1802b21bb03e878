# NextAuthEventLog at start-up (issue 16): good values pass `apache2 -t` (which opens no
# log); a file that cannot be opened for appending stops the start with NA00210, naming
# the file; a piped logger is started by the parent and gets the lines.
use strict;
use warnings;

use Apache::Test qw(-withtestmore);
use NextAuth::Test;

my $mark = log_mark();

conf_ok('event log: a file, the default events', "NextAuthEventLog logs/events.log\n");
conf_ok('event log: a piped logger and every event',
        "NextAuthEventLog \"|/bin/cat\" events=signIn,signOut,createUser,linkAccount,session\n");
conf_ok('event log: in a virtual host',
        "<VirtualHost 127.0.0.1:8530>\n NextAuthEventLog \"|\$cat >/dev/null\" events=signOut\n"
          . "</VirtualHost>\n");

# The parent opens the file before it gives up root; a directory that does not exist
# cannot hold it, whoever runs the test.
my $started = eval { NextAuth::Test::start_httpd("NextAuthEventLog \@DIR\@/missing/events.log\n") };
my $why = $@;
ok(!$started, 'event log in a missing directory: httpd does not start');
$started->stop if $started;
like($why, qr/NA00210: NextAuthEventLog '[^']*\/missing\/events\.log': cannot open the file for appending \(No such file or directory\)/,
     'event log in a missing directory: NA00210 names the file and the reason');

# A relative file is under ServerRoot; the parent creates it at start.
{
    my $srv = NextAuth::Test::start_httpd("NextAuthEventLog logs-events.log\n");
    ok(-e "$srv->{dir}/logs-events.log", 'relative event log: created under ServerRoot');
    $srv->stop;
}

log_clean($mark);
done_testing();
