/*
 * The sanitizer runtimes in the hosted kernel's ASan + UBSan build
 * (HOSTED_SANITIZE, `make asan`; docs/hardening.md): their settings, which
 * the kernel carries itself so that every boot of that build (the runner's
 * asan-* suites, a hand run) behaves the same whatever the environment
 * says, and their preparation for confinement. Empty in other builds.
 *
 * Settings: a report ends the kernel (halt_on_error; the exit status is
 * HOSTED_SANITIZER_STATUS), with a symbolized stack; no leak check at exit
 * (memcheck does leaks, and LeakSanitizer's exit-time scan ptraces the
 * process from a clone, which confinement forbids); no use-after-return
 * detection (its fake stacks would have to follow every kernel-task
 * switch, and tasks that die never switch back to free theirs); the
 * kernel's own SIGSEGV handler (guard pages, kernel faults) stays in
 * charge.
 */
#include "hosted.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>

#define STR2(x) #x
#define STR(x) STR2(x)

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
	return "detect_leaks=0:halt_on_error=1:abort_on_error=0:"
	       "detect_stack_use_after_return=0:handle_segv=0:"
	       "handle_sigbus=0:handle_sigill=0:handle_sigfpe=0:"
	       "allow_user_segv_handler=1:print_summary=1:color=never:"
	       "exitcode=" STR(HOSTED_SANITIZER_STATUS);
}

const char *__ubsan_default_options(void)
{
	return "print_stacktrace=1:halt_on_error=1:print_summary=1:color=never:"
	       "exitcode=" STR(HOSTED_SANITIZER_STATUS);
}

/*
 * Readies ASan's runtime for confinement: it caches /proc/self/maps (a
 * report names modules), and its symbolizer (libbacktrace), which reads
 * the executable's and the libraries' debug information on first use and
 * keeps it, is used once now, while it still may open them. UBSan's
 * runtime is a library of its own whose symbolizer starts afresh at its
 * first report: confined, its frames stay module+offset, which the runner
 * symbolizes (runner/keeltool/sanitizer.py).
 */
void hosted_sanitizer_prepare(void)
{
	__sanitizer_sandbox_arguments args = { 0 };
	char line[128];

	__sanitizer_sandbox_on_notify(&args);
	__sanitizer_symbolize_pc(__builtin_return_address(0), "%F %L", line,
				 sizeof(line));
}
#else
void hosted_sanitizer_prepare(void)
{
}
#endif
