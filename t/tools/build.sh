#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
# Builds build/tools/na_smtp_tool (the sign-in mail and SMTP core as a command, used by
# t/peers/smtp.test.js) against build/libnextauth.a. Run from anywhere.
set -eu
cd "$(dirname "$0")/../.."
# Only the core library: the tool needs neither apxs nor the module.
make --no-print-directory -f Makefile.apxs build/libnextauth.a >/dev/null
PKGS="apr-1 apr-util-1 openssl libcurl jansson"
mkdir -p build/tools
${CC:-cc} -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude $(pkg-config --cflags $PKGS) \
    -o build/tools/na_smtp_tool.tmp t/tools/na_smtp_tool.c build/libnextauth.a \
    $(pkg-config --libs $PKGS) -lunistring
mv -f build/tools/na_smtp_tool.tmp build/tools/na_smtp_tool
echo "built build/tools/na_smtp_tool"
