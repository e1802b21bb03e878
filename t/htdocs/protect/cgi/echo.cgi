#!/usr/bin/perl
# Echo backend of protect/*.t and security/*.t: prints the identity and the request
# headers it received as KEY=VALUE lines (CGI turns a header X-Foo-Bar into HTTP_X_FOO_BAR).
use strict;
use warnings;

print "Content-Type: text/plain\r\n\r\n";
print "ECHO-CGI\n";
for my $k (sort keys %ENV) {
    next unless $k =~ /^(?:HTTP_\w+|REMOTE_USER|AUTH_TYPE|REQUEST_METHOD|PATH_INFO|QUERY_STRING)$/;
    (my $v = $ENV{$k}) =~ s/[\r\n]/ /g;
    print "$k=$v\n";
}
