# Runs the script named by $1 with a clean environment (whoever started
# us: keel-init on Keel, the chroot natively), stdin from /dev/null and
# its output in a file first, so that the script never sees a terminal (a
# terminal would make ls print columns), then shows the output and exits
# with the script's status.
env -i PATH=/bin:/usr/bin:/sbin:/usr/sbin HOME=/ /bin/sh "$1" \
	< /dev/null > /tmp/busybox-suite.out 2>&1
rc=$?
cat /tmp/busybox-suite.out
exit $rc
