/*
 * In-kernel tests of the core library as it runs on each backend (the
 * unit tests cover it in depth on the host): string functions, the
 * formatter, errno names and the boot command-line parser.
 */
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/log.h>
#include <keel/string.h>

#include "kernel/cmdline.h"

KTEST(lib, strings)
{
	char buf[8];
	uint64_t v = 0;

	KT_EXPECT_EQ(t, kstrlen("keel"), 4);
	KT_EXPECT_EQ(t, kstrnlen("keel", 2), 2);
	KT_EXPECT(t, kstrcmp("abc", "abd") < 0);
	KT_EXPECT(t, kstrncmp("abc", "abd", 2) == 0);
	KT_EXPECT(t, kstrchr("abc", 'c') != NULL);
	KT_EXPECT_EQ(t, kstrlcpy(buf, "0123456789", sizeof(buf)), 10);
	KT_EXPECT(t, kstrcmp(buf, "0123456") == 0);
	KT_EXPECT_EQ(t, kstrtou64("0x10", 0, &v), 0);
	KT_EXPECT_EQ(t, v, 16);
	KT_EXPECT_EQ(t, kstrtou64("99999999999999999999", 10, &v), -ERANGE);
}

KTEST(lib, format)
{
	char buf[32];

	KT_EXPECT_EQ(t, ksnprintf(buf, sizeof(buf), "%d|%5s|%-3x|%05u", -12,
				  "ab", 0xau, 7u),
		     19);
	KT_EXPECT(t, kstrcmp(buf, "-12|   ab|a  |00007") == 0);
	KT_EXPECT_EQ(t, ksnprintf(buf, 4, "%lld", -1234567890123ll), 14);
	KT_EXPECT(t, kstrcmp(buf, "-12") == 0);
	ksnprintf(buf, sizeof(buf), "%p", (void *)buf);
	KT_EXPECT(t, kstrncmp(buf, "0x", 2) == 0);
}

KTEST(lib, errno_names)
{
	KT_EXPECT(t, kstrcmp(errno_name(-EFAULT), "EFAULT") == 0);
	KT_EXPECT(t, kstrcmp(errno_name(1000), "E?") == 0);
	/* The whole asm-generic table, and the kernel-internal codes. */
	KT_EXPECT(t, kstrcmp(errno_name(EOVERFLOW), "EOVERFLOW") == 0);
	KT_EXPECT(t, kstrcmp(errno_name(-EHWPOISON), "EHWPOISON") == 0);
	KT_EXPECT(t, kstrcmp(errno_name(-ERESTARTSYS), "ERESTARTSYS") == 0);
	KT_EXPECT(t, kstrcmp(errno_name(-ENOGRACE), "ENOGRACE") == 0);
	KT_EXPECT(t, kstrcmp(errno_name(41), "E?") == 0);
	KT_EXPECT_EQ(t, ERESTART_RESTARTBLOCK, 516);
}

KTEST(lib, cmdline)
{
	const char *cl = "loglevel=3 ktest=sched quiet -- /bin/x ktest=no";
	const char *v;
	size_t len;

	KT_ASSERT(t, cmdline_find(cl, "loglevel", &v, &len));
	KT_EXPECT(t, len == 1 && v[0] == '3');
	KT_ASSERT(t, cmdline_find(cl, "ktest", &v, &len));
	KT_EXPECT(t, len == 5 && kstrncmp(v, "sched", 5) == 0);
	KT_ASSERT(t, cmdline_find(cl, "quiet", &v, &len));
	KT_EXPECT_EQ(t, len, 0);
	KT_EXPECT(t, !cmdline_find(cl, "log", &v, &len)); /* whole words */
	KT_EXPECT(t, !cmdline_find(cl, "/bin/x", &v, &len)); /* after -- */
	KT_EXPECT(t, !cmdline_find("", "ktest", &v, &len));
	KT_EXPECT(t, !cmdline_find("   ", "ktest", &v, &len));
}
