# Runs busybox's own testsuite (/bb/testsuite, from Debian's source
# package: runner/keeltool/bbsource.py) on every applet it has tests for
# but those named as arguments, with a clean environment and the one
# Debian's build gives it (debian/rules: TESTSUITE_ENV). runtest prints a
# PASS:, FAIL:, SKIPPED: or UNTESTED: line per test; its output goes
# through a pipe, as in a build, so that no test sees a terminal.
cd /bb/testsuite || exit 1
applets=$(ls | sed -n 's/\.tests$//p'; for d in *; do [ -d "$d" ] && echo "$d"; done)
for skip in "$@"; do applets=$(echo "$applets" | grep -vx "$skip"); done
env -i PATH=/bin:/usr/bin:/sbin:/usr/sbin HOME=/ \
	SKIP_KNOWN_BUGS=y LANG=C.UTF-8 LC_ALL=C.UTF-8 SKIP_INTERNET_TESTS=y \
	SHELL=/bin/sh ECHO=/bin/echo \
	./runtest $(echo "$applets" | sort -u) < /dev/null 2>&1 | cat
echo "testsuite: runtest done"
