/*
 * In-kernel tests of the console contract every backend implements: a
 * write of nothing, a read with nothing waiting, and the window size,
 * which is either unknown (-ENOTTY: a serial line, or a hosted kernel
 * whose stdout is no terminal, as under the test runner) or a real size.
 */
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/ktest.h>

KTEST(console, winsize_is_known_or_enotty)
{
	unsigned rows = 0, cols = 0;
	int r = console_winsize(&rows, &cols);

	KT_EXPECT(t, r == 0 || r == -ENOTTY);
	if (r == 0)
		KT_EXPECT(t, rows > 0 && cols > 0);
	else
		KT_EXPECT(t, rows == 0 && cols == 0); /* untouched */
}

