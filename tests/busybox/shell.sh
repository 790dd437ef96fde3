# The scripted busybox shell run (runner/keeltool/suite_busybox.py): the
# same busybox runs this script natively (chrooted into the same root file
# system) and on Keel, and the two outputs must match line by line.
#
# Each section starts with a "== name" line, so a difference points at its
# section. Every line printed must be the same on any Linux: no times,
# pids, inode numbers, or sizes that depend on the file system (directory
# sizes, block counts). Exit statuses are printed as "rc=N".

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export LC_ALL=C
umask 022
W=/tmp/bbshell
rm -rf $W
mkdir -p $W && cd $W || exit 99

echo "== echo and printf"
echo plain words
echo -n "no newline"; echo
printf '%s|%5d|%-4s|%x|%o|%c\n' str 42 ab 255 8 z
printf '%.3f %e\n' 3.14159 12345.678
printf 'esc: \t tab \\ backslash \101\n'

echo "== variables and parameter expansion"
v=hello; w="a b  c"
echo "${v} ${#v} ${v#h} ${v%lo} ${v##*l} ${v%%l*}"
echo "${unset:-default} ${unset:=assigned} $unset"
echo "${v:1:3} ${v/l/L} ${v//l/L}"
set -- one "two three" four
echo "$# $1 $2 $3"
for a in "$@"; do echo "arg: $a"; done
for a in $w; do echo "word: $a"; done
shift; echo "after shift: $*"
echo $((3 + 4 * 5)) $((17 / 5)) $((17 % 5)) $((1 << 10)) $(( (2 + 3) * 4 ))
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo "i=$i"

echo "== exit codes"
true; echo "true rc=$?"
false; echo "false rc=$?"
sh -c 'exit 7'; echo "exit 7 rc=$?"
(exit 3); echo "subshell rc=$?"
nosuchcommand 2>/dev/null; echo "not found rc=$?"
! true; echo "negated rc=$?"
true && echo "and ran"; false || echo "or ran"
false && echo "never"; echo "after and rc=$?"
sh -c 'kill -TERM $$'; echo "killed rc=$?"

echo "== redirects"
echo first > f1
echo second >> f1
cat f1
cat < f1 | wc -l
echo to-stderr >&2 2>/dev/null
{ echo out; echo err >&2; } > both.txt 2>&1
sort both.txt
{ echo out; echo err >&2; } 2>/dev/null
exec 3> fd3.txt
echo via fd 3 >&3
exec 3>&-
cat fd3.txt
exec 4< f1
read -r line <&4; echo "read from fd 4: $line"
exec 4<&-
cat nonexistent 2> err.txt; echo "rc=$?"; sed 's/^cat: //' err.txt
: > empty; wc -c < empty
echo noclobber > nc.txt; set -C; (echo x > nc.txt) 2>/dev/null; echo "noclobber rc=$?"; set +C

echo "== here-docs"
name=world
cat <<EOF
hello $name
  indented $((6 * 7))
EOF
cat <<'EOF'
literal $name $(not run)
EOF
cat <<-EOF
	tabs stripped
	EOF
tr a-z A-Z <<EOF
upper case me
EOF

echo "== subshells and command substitution"
x=outer; (x=inner; echo "in: $x"); echo "out: $x"
echo "nested $(echo "one $(echo two $(echo three))")"
echo "backticks `echo old style`"
n=$(printf 'a\nb\nc\n' | wc -l); echo "lines: $n"
files=$(cd / && echo bin); echo "cd in subshell kept: $(pwd | sed "s|$W|W|")"
( cd /; pwd ); pwd | sed "s|$W|W|"

echo "== functions, case, loops"
greet() { echo "hi $1"; return 4; }
greet you; echo "function rc=$?"
count() { local n=0; for x in "$@"; do n=$((n + 1)); done; echo $n; }
count a b c d
for f in apple banana cherry; do
	case $f in
	a*) echo "$f starts with a" ;;
	*an*) echo "$f has an" ;;
	*) echo "$f other" ;;
	esac
done
n=0; until [ $n -ge 3 ]; do n=$((n + 1)); [ $n -eq 2 ] && continue; echo "n=$n"; done
for i in 1 2 3 4 5; do [ $i -eq 4 ] && break; echo "loop $i"; done

echo "== pipelines"
seq 1 10 | grep -v 3 | tr '\n' ' '; echo
printf 'b\na\nc\na\nb\na\n' | sort | uniq -c
printf 'b\na\nc\na\nb\na\n' | sort | uniq -c | sort -rn | head -1
seq 100 | awk '{ s += $1 } END { print "sum", s }'
yes x | head -3
seq 1000 | tail -2
echo "abc def" | rev
false | true; echo "pipe rc=$?"
true | false; echo "pipe rc=$?"
seq 20000 | wc -l
dd if=/dev/zero bs=4096 count=64 2>/dev/null | wc -c
head -c 100000 /dev/zero | od -An -c | head -2

echo "== text tools"
printf 'one 1\ntwo 2\nthree 3\nfour 4\n' > t.txt
cut -d' ' -f2 t.txt | tr '\n' ,; echo
cut -c1-3 t.txt | paste -s -d: -
sed -n '2,3p' t.txt
sed 's/o/0/g; /three/d' t.txt
sed -e '1i\
inserted' -e '$a\
appended' t.txt
awk '$2 % 2 == 0 { print $1 }' t.txt
awk -F' ' '{ n[$2 % 2] = n[$2 % 2] " " $1 } END { print "odd" n[1]; print "even" n[0] }' t.txt
awk 'BEGIN { printf "%d %s %.2f\n", 7, substr("keelos", 1, 4), 2 / 3; print length("abc"), index("abc", "c"), toupper("x") }'
grep -n o t.txt
grep -c e t.txt
grep -E 'one|four' t.txt
grep -i TWO t.txt
grep -v -e one -e two t.txt
grep -w tw t.txt; echo "grep none rc=$?"
sort -k2 -nr t.txt | head -2
sort -u <<EOF
z
a
z
m
EOF
nl t.txt
tac t.txt
head -2 t.txt; tail -1 t.txt
wc t.txt
fold -w 5 <<EOF
abcdefghijklmnop
EOF
expand <<EOF
a	b	c
EOF
printf 'x\ny\n' > c1; printf 'x\nz\n' > c2
diff c1 c2 | grep -v '^---\|^+++' ; echo "diff rc=$?"
cmp c1 c2; echo "cmp rc=$?"
echo hello world | tr -d o | tr -s l
echo "a,b,c" | awk -F, '{ print $3 $2 $1 }'
expr 6 \* 7; expr length hello; expr substr keelos 2 3
echo "3 4 + p" | dc
echo "scale=3; 10/3" | bc
factor 360
seq -s, 1 5
seq 10 -3 1 | xargs
printf 'line1\nline2\n' | strings
echo hello | od -c
echo hello | hexdump -C
echo hello | xxd
echo "hello" | base64; echo aGVsbG8K | base64 -d
printf 'abc' | md5sum; printf 'abc' | sha1sum; printf 'abc' | sha256sum
printf 'abc' | sha512sum | cut -c1-32
printf 'abc' | crc32
echo 'A-B_c' | sed 's/[^a-zA-Z]/ /g'
printf '%s\n' 3 1 2 | sort -n | tr '\n' ' '; echo
shuf -i 1-5 | sort -n | xargs
echo dos | unix2dos | od -c | head -1

echo "== files and directories"
mkdir -p d/sub/deep; touch d/a d/sub/b d/sub/deep/c
ls d; ls -a d | xargs; ls -R d
ls -1 d/sub
echo data > d/file
cp d/file d/copy; cat d/copy
mv d/copy d/moved; ls d
ln -s file d/link; readlink d/link; cat d/link
ln d/file d/hard; stat -c '%h %s %n' d/file d/hard
realpath d/sub/../sub/deep
basename /a/b/c.txt .txt; dirname /a/b/c.txt
chmod 640 d/file; stat -c '%a %A %n' d/file
chmod u+x,g-r d/file; stat -c '%a' d/file
ls -l d/file | awk '{ print $1, $2, $5, $NF }'
test -f d/file && echo "is file"; test -d d/sub && echo "is dir"
test -L d/link && echo "is link"; [ -x d/file ] && echo "is executable"
[ -e d/nope ]; echo "missing rc=$?"
[ d/file -ef d/hard ] && echo "same file"
touch -d '2020-01-02 03:04:05' d/a; stat -c '%Y' d/a
[ d/file -nt d/a ] && echo "newer"
truncate -s 1000 d/big; stat -c '%s' d/big
dd if=/dev/zero of=d/zero bs=512 count=3 2>/dev/null; stat -c '%s' d/zero
rm d/link d/hard; ls d
rmdir d/sub/deep 2>/dev/null; echo "rmdir non-empty rc=$?"
rm -r d/sub/deep; rmdir d/sub 2>/dev/null; echo "rmdir rc=$?"
rm -rf d/sub; ls d
mkfifo ff; stat -c '%F' ff
(echo through fifo > ff &); cat ff
rm ff
t=$(mktemp -p $W tmp.XXXXXX); test -f "$t" && echo "mktemp made a file"; rm "$t"
echo x | tee t1 t2 > /dev/null; cat t1 t2
echo sync >s; sync; cat s
cd d && pwd | sed "s|$W|W|" && cd ..
cd -P /tmp/bbshell/d/.. && pwd

echo "== find and xargs"
mkdir -p tree/a/b tree/c
for f in tree/x.txt tree/a/y.txt tree/a/b/z.c tree/c/w.txt; do echo "$f" > $f; done
find tree | sort
find tree -type f -name '*.txt' | sort
find tree -type d | sort | xargs echo dirs:
find tree -name '*.txt' | sort | xargs cat
find tree -type f -print0 | sort -z | xargs -0 wc -l | sort
find tree -type f | xargs -n 1 basename | sort
find tree -type f -exec grep -l a {} \; | sort
find tree -newer tree/x.txt -type f | wc -l >/dev/null; echo "find -newer rc=$?"
find tree -maxdepth 1 | sort
find tree -empty; echo "empty rc=$?"
echo a b c d e | xargs -n 2 echo pair:
printf '1\n2\n3\n' | xargs -I{} echo item {}

echo "== archives"
tar cf t.tar tree
tar tf t.tar | sort
mkdir out && tar xf t.tar -C out && diff -r tree out/tree && echo "tar round trip ok"
tar czf t.tgz tree && mkdir out2 && tar xzf t.tgz -C out2 && diff -r tree out2/tree && echo "tar.gz round trip ok"
tar cjf t.tbz tree && tar tjf t.tbz | sort | head -2
gzip -c t.tar > t.tar.gz; gunzip -c t.tar.gz | cmp - t.tar && echo "gzip ok"
zcat t.tar.gz | tar tf - | wc -l
bzip2 -c t.tar | bunzip2 -c | cmp - t.tar && echo "bzip2 ok"
find tree | sort | cpio -o -H newc 2>/dev/null > t.cpio
mkdir out3 && (cd out3 && cpio -i -d 2>/dev/null < ../t.cpio) && diff -r tree out3/tree && echo "cpio ok"
uuencode -m t.txt t.txt | uudecode -o t.dec && cmp t.txt t.dec && echo "uu ok"

echo "== job control"
# ash prints "Terminated" only when the wait builtin itself reaps the job;
# whether the job died before the wait began is timing, so those messages
# go to /dev/null and the statuses are what is compared.
sleep 100 &
jobs
kill %1 2>/dev/null
wait %1 2>/dev/null; echo "kill %1 rc=$?"
jobs; echo "no job left"
sleep 0.2 &
wait; echo "wait rc=$?"
sh -c 'exit 5' &
wait $!; echo "wait pid rc=$?"
sleep 100 &
p=$!; kill -9 $p; wait $p 2>/dev/null; echo "kill -9 rc=$?"
mkfifo go
(read x < go; echo "background after $x") &
echo foreground first
echo foreground > go
wait; rm go
for i in 1 2 3; do (echo "job $i" > job$i.out) & done; wait; cat job1.out job2.out job3.out
sleep 100 & sleep 100 &
kill %1 %2; wait 2>/dev/null; echo "killed two rc=$?"
timeout 1 sleep 10; echo "timeout rc=$?"

echo "== traps and signals"
trap 'echo caught USR1' USR1
kill -USR1 $$
trap 'echo caught TERM; trap - TERM' TERM
kill -TERM $$
trap - USR1
sh -c 'trap "echo child exit trap" EXIT; echo child runs'
sh -c 'trap "echo int ignored" INT; kill -INT $$; echo still alive'
sh -c 'trap "" TERM; kill -TERM $$; echo ignored TERM'
sh -c 'trap "echo on exit \$?" EXIT; exit 9'; echo "rc=$?"
trap 'echo in subshell trap' USR2; (kill -USR2 $$; :) ; trap - USR2

echo "== read and IFS"
echo "a:b:c" | { IFS=: read -r x y z; echo "$z $y $x"; }
printf 'l1\nl2\nl3\n' | while read -r l; do echo "got $l"; done
IFS=, ; set -- $(echo "p,q,r"); echo "$2"; unset IFS
read -r first rest <<EOF
alpha beta gamma
EOF
echo "$first / $rest"

echo "== scripts and exec"
printf '#!/bin/sh\necho "script $0 args $*"\nexit 4\n' > s1.sh
chmod +x s1.sh; ./s1.sh a b; echo "shebang rc=$?"
printf '#!/usr/bin/awk -f\nBEGIN { print "awk script" }\n' > s2.awk; chmod +x s2.awk; ./s2.awk
printf 'echo no shebang line\n' > s3; chmod +x s3; ./s3
printf 'echo not executable\n' > s4; ./s4 2>/dev/null; echo "noexec rc=$?"
mkdir dir.x; ./dir.x 2>/dev/null; echo "exec dir rc=$?"
sh -c 'exec echo replaced; echo not here'
sh -c 'echo "$0 $1 $2"' zero one two
sh -s x y <<EOF
echo "stdin script \$1 \$2"
EOF
echo 'echo via pipe $((1 + 1))' | sh
env sh -c 'echo env ran sh'
busybox echo via busybox
busybox sh -c 'echo nested shell'

echo "== error messages"
mkdir ed; echo x > ed/f
cat ed 2>&1; cat ed/f/x 2>&1; cat ed/none 2>&1
mkdir ed 2>&1; rmdir ed 2>&1; rm ed 2>&1
ln -s ed/f ed/f 2>&1; ln -s loop1 ed/loop1; cat ed/loop1 2>&1
echo full > /dev/full 2>/dev/null; echo "dev full rc=$?"
long=$(printf '%0300d' 0); touch ed/$long 2>&1 | sed "s/$long/LONG/"
cd /nonexistent 2>/dev/null; echo "cd rc=$?"
mv ed/none ed/g 2>&1
chmod 000 ed/f; echo "root reads: $(cat ed/f)"
rm -r ed; ls ed 2>&1

echo "== more files"
printf 'a\nb\n' > m1
cp -p m1 m2; [ "$(stat -c %Y m1)" = "$(stat -c %Y m2)" ] && echo "cp -p keeps mtime"
touch -r s1.sh m1; [ "$(stat -c %Y m1)" = "$(stat -c %Y s1.sh)" ] && echo "touch -r"
sed -i 's/a/A/' m1; cat m1
ln -sf m1 ml; ln -sf m2 ml; readlink ml; readlink -f ml | sed "s|$W|W|"
mv m2 m1; cat m1; ls m2 2>/dev/null || echo "m2 gone"
dd if=/dev/zero of=sp bs=1 count=1 seek=99999 2>/dev/null; stat -c %s sp
dd if=m1 bs=1 skip=2 2>/dev/null; printf 'x' | dd of=m1 bs=1 seek=0 conv=notrunc 2>/dev/null; cat m1
dd if=/dev/zero bs=1k count=1 2>/dev/null | tr '\0' a | dd conv=ucase 2>/dev/null | head -c 8; echo
mkdir -m 711 md; stat -c %a md
chown 12:34 m1; stat -c '%u %g' m1
chgrp 0 m1; stat -c '%u %g' m1
stat -c '%U %G' md
id -u; id -un; id -g; whoami
cat -n m1
tail -c 3 m1 | od -c | head -1
awk -F: '{ print $1, $3, $7 }' /etc/passwd
seq 1 5 > u; seq 3 7 >> u; sort u | uniq -d | xargs; sort u | uniq -u | xargs
echo 'ab1-cd!' | tr -c 'a-z\n' '_'
seq -w 8 11 | xargs
printf '%b\n' 'a\tb'
printf '%*d|\n' 6 42
diff -u m1 u > m.patch; patch m1 < m.patch >/dev/null; cmp m1 u && echo "patched"
ls -ld m1 ml md | awk '{ print $1, $3, $4, $NF }'
[ -r m1 ] && [ -w m1 ] && [ -s m1 ] && echo "r w s"
umask; umask 077; touch um; stat -c %a um; umask 022
getopts ab: opt -b val; echo "getopts $opt $OPTARG"
kill -l 15; kill -l TERM
seq 200000 | sort -rn | head -2
dd if=/dev/zero bs=65536 count=64 2>/dev/null | md5sum
seq 50000 | tee big1 | md5sum; md5sum < big1
cat big1 big1 | wc -l
sha3sum /etc/group | cut -d' ' -f1
printf '1p\nq\n' | ed m1 >/dev/null; echo "ed rc=$?"
hexdump -n 8 -e '8/1 "%02x" "\n"' /dev/zero

echo "== more shell"
readlink /proc/self/exe
cat /proc/self/cmdline | tr '\0' ' '; echo
[ -t 0 ] && echo "stdin is a tty" || echo "stdin is not a tty"
eval "cat <<EOF
$(seq 30000)
EOF" | tail -1
eval "cat <<EOF
$(seq 30000)
EOF" | wc -c
mkfifo rt; exec 7<>rt
read -t 0.2 x <&7; echo "read -t rc=$?"
exec 7<&-; rm rt
exec 5> fd5.txt; sh -c 'echo inherited fd 5 >&5'; exec 5>&-; cat fd5.txt
(exec > ex.txt; echo "into file"; exec 1>&2; echo "to stderr") 2>&1; cat ex.txt
mkfifo hf
sh -c 'trap "echo child got HUP; kill \$!; exit 0" HUP; sleep 100 & echo ready > hf; wait' &
read r < hf; echo "child $r"; kill -HUP $!; wait $!; echo "HUP child rc=$?"
rm hf
yes | head -100000 | wc -l
awk 'BEGIN { while (("echo a; echo b" | getline l) > 0) print "getline", l; close("echo a; echo b") }'
awk 'BEGIN { r = system("exit 3"); print "system", r }'
echo "to awk pipe" | awk '{ print | "cat" }'
sed -n '1w sedw.txt' t.txt; cat sedw.txt
printf 'x\n' | sed '1r t.txt' | head -3
printf 'a\0b\0' | xargs -0 echo nul:
xargs -r echo never < /dev/null; echo "xargs -r rc=$?"
wc -c < /dev/null
head -c 5000 /dev/urandom | wc -c
date -u -d @86400 +'%Y-%m-%d %H:%M:%S'
date -u -d '2020-02-29 12:00:00' +%s
sh -c 'cat' < t.txt | head -1
i=0; while read -r l; do i=$((i + 1)); done < t.txt; echo "read $i lines"
for sig in INT QUIT USR1 USR2 ALRM; do sh -c "kill -$sig \$\$"; echo "$sig rc=$?"; done 2>/dev/null
sleep 0.1 | sleep 0.1; echo "sleep pipe rc=$?"
echo "nested $( (echo a; echo b) | (read x; read y; echo $y$x) )"
sh -c 'echo $#' a b c
v=$(exit 6); echo "assignment rc=$?"
f() { echo "in f: $*"; }; f "$(echo x y)" z
echo "${PWD##*/}"

echo "== more files 2"
mkdir -p cp1/d; echo one > cp1/d/f; ln -s d/f cp1/l; ln cp1/d/f cp1/h
chmod 751 cp1/d; touch -d '2001-02-03 04:05:06' cp1/d/f cp1/d
cp -a cp1 cp2; diff -r cp1 cp2 && echo "cp -a same"
stat -c '%a %h %Y' cp2/d cp2/d/f; readlink cp2/l
tar cf cp.tar cp1; mkdir cpx; tar xf cp.tar -C cpx
# busybox tar leaves a directory's time as the extraction made it
stat -c '%a %h' cpx/cp1/d; stat -c '%a %h %Y' cpx/cp1/d/f; readlink cpx/cp1/l
touch -d @0 epoch; stat -c %Y epoch
find cp1 -type l; find cp1 -perm 751; find cp1 -type f -links 2 | sort
find cp1 -newer epoch -type f | sort
chmod -R go-rwx cp2; stat -c '%a %n' cp2/d cp2/d/f
ln -s nowhere dangling; [ -e dangling ] || echo "dangling not -e"; [ -L dangling ] && echo "dangling -L"
mkdir mvd mvd2; echo m > mvd/f; mv mvd mvd2/; ls mvd2/mvd
mkdir empty1 empty2; mv empty1 empty2 2>/dev/null; ls -d empty2/empty1
rename_rc=0; mkdir full1; touch full1/x; mkdir target2; touch target2/y; mv -T full1 target2 2>/dev/null || rename_rc=$?; echo "mv onto non-empty rc=$rename_rc"
cd cp1; ln -s d dl; cd dl; pwd | sed "s|$W|W|"; pwd -P | sed "s|$W|W|"; cd ../..
echo 12345 > tr.txt; truncate -s 2 tr.txt; cat tr.txt; echo
truncate -s 5 tr.txt; od -c tr.txt | head -1
od -N 4 -tx1 /dev/zero
rm -rf cp1 cp2 cpx cp.tar

echo "== directories at scale"
mkdir many; i=0; while [ $i -lt 1500 ]; do : > many/file$i; i=$((i + 1)); done
ls many | wc -l; ls many | sort | head -3 | xargs; find many -type f | wc -l
rm many/file1*; ls many | wc -l; rm -r many; [ -e many ] || echo "many removed"
p=deep; for i in $(seq 60); do p=$p/dir$i; done; mkdir -p $p; echo bottom > $p/f
(cd $p && pwd | wc -c && cat f); find deep -name f | wc -c; rm -r deep
mknod nul c 1 3; echo x > nul; stat -c '%t %T %F' nul; wc -c < nul; rm nul
touch "$(printf 'h\303\251llo w\303\266rld')"; ls | grep -c llo; rm h*llo*
dd if=/dev/zero bs=65536 count=128 2>/dev/null | tr '\0' z > bigz; stat -c %s bigz
tail -c 5 bigz; echo; head -c 3 bigz; echo; md5sum < bigz; rm bigz

echo "== misc applets"
echo "uname: $(uname -s)"
env -i A=1 B=2 env | sort
sleep 0 && echo slept
usleep 1 && echo usleept
test 3 -gt 2 && echo "3 > 2"
[ "abc" = abc ] && [ -n x ] && [ -z "" ] && echo "string tests"
getopt -o ab: -- -a -b val rest
echo "nproc ok: $(nproc | grep -c '^[0-9]')"
which sh | sed 's|/usr||'
echo abcdef | cut -b 2-4
printf 'word1 word2\n' | wc -w
echo "tty: $(tty >/dev/null 2>&1; echo ran)"
hostname >/dev/null && echo "hostname ran"
cat /proc/self/stat >/dev/null && echo "proc readable"
echo x > /dev/null && echo "dev null"
head -c 16 /dev/urandom | wc -c
dd if=/dev/zero bs=1 count=5 2>/dev/null | od -An -tx1
ls /proc/self/fd >/dev/null && echo "fd dir"
echo "echo sourced" > src.sh; . ./src.sh
eval 'echo evaluated $((2 + 2))'
command -v cat >/dev/null && echo "command -v"
type echo
sh -c 'set -e; false; echo not reached'; echo "set -e rc=$?"
sh -c 'set -u; echo $nosuch' 2>/dev/null; echo "set -u rc=$?"
echo end
