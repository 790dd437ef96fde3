/*
 * Internal interfaces between the files of the hosted backend (the kernel
 * as a Linux process). Nothing outside hal/hosted and its unit tests may
 * include this.
 */
#ifndef HAL_HOSTED_HOSTED_H
#define HAL_HOSTED_HOSTED_H

#include <hal/hal.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/ucontext.h>

/* ---- Physical memory (phys.c) ----------------------------------------- */

/*
 * Creates the physical memory (a memfd of size bytes) and maps it once as
 * the direct map. Fills bi->mem with the usable RAM (all of it minus what
 * hosted_phys_reserve took). Exits with a message on host failure.
 */
void hosted_phys_init(uint64_t size, struct hal_boot_info *bi);

/* Takes len bytes (page aligned) off the top of RAM for the HAL's own use
 * (the initrd, say); returns their physical base. Call before bi is used. */
hal_paddr_t hosted_phys_reserve(struct hal_boot_info *bi, uint64_t len);

/* The memfd behind physical memory (for stub processes to map). */
int hosted_phys_fd(void);

/* Bytes of physical memory (the memfd's size). */
uint64_t hosted_phys_size(void);

/* ---- Confinement (confine.c) ------------------------------------------ */

/*
 * Called before any thread exists: unless cmdline has `noconfine` or the
 * kernel runs under Valgrind, forks the stub launcher (stubs are then
 * started through hosted_launcher_spawn). Exits with a message on failure.
 */
void hosted_confine_prepare(const char *cmdline);

/*
 * Called once the host side of boot is done: in the same cases, installs
 * the seccomp allow-list on every thread; a host call off it panics.
 * With `hosted.confine_check` on cmdline, then tries to open a host file.
 */
void hosted_confine(const char *cmdline);

/* ---- Sanitizer runtimes (sanitizer.c) --------------------------------- */

/* The exit status of the ASan + UBSan build when a sanitizer reports an
 * error (a panic is 99, memcheck's error status 97). */
#define HOSTED_SANITIZER_STATUS 98

/* In the sanitizer build: lets the runtimes read what a report needs
 * (the memory map, the executable) before confinement forbids it. */
void hosted_sanitizer_prepare(void);

/* Maps the kernel's own executable for hosted_symbol_name (symbols.c);
 * call before confinement. Without it, backtraces use libunwind's names. */
void hosted_symbols_load(void);
bool hosted_symbols_loaded(void);

/* The function holding return address ip from the loaded symbol table:
 * false if none does. Makes no host call. */
bool hosted_symbol_name(uintptr_t ip, char *name, size_t size,
			uintptr_t *offset);

/* Whether stubs are started by the launcher. */
bool hosted_launcher_active(void);

/* Starts a stub with ctx_fd as its context page (fd 3) and physical
 * memory (fd 4), a child of this process. Returns 0 with *pid set, or a
 * positive host errno (as posix_spawn). */
int hosted_launcher_spawn(int ctx_fd, pid_t *pid);

/* ---- Boot (boot.c) ---------------------------------------------------- */

/* What the host command line asked for. */
struct hosted_opts {
	uint64_t mem;       /* bytes of physical memory */
	unsigned cpus;      /* vCPUs, 1 .. HAL_MAX_CPUS */
	const char *initrd; /* file to load as the initrd, or NULL */
	const char *stub;   /* stub binary, or NULL for the default */
	char *cmdline;      /* kernel command line (malloc'ed, never NULL) */
};

#define HOSTED_DEFAULT_MEM (256ull << 20)

/*
 * Parses the host command line of keel-kernel into o. Returns 0; 1 if
 * --help printed the usage (to stdout); or -EINVAL after printing what is
 * wrong and the usage to stderr (-ENOMEM if memory ran out). Only after 0
 * must o be released with hosted_opts_free.
 */
int hosted_parse_args(int argc, char **argv, struct hosted_opts *o);
void hosted_opts_free(struct hosted_opts *o);

/* Parses a size such as 4096, 64K, 256M or 2G; false if malformed. */
bool hosted_parse_size(const char *s, uint64_t *out);

/* Brings the machine up as o describes and enters core_main on vCPU 0. */
__attribute__((noreturn)) void hosted_boot(const struct hosted_opts *o);

/* Loads file into physical memory reserved from bi (as a boot loader
 * would) and records it as the initrd. Exits with a message on failure. */
void hosted_load_initrd(const char *file, struct hal_boot_info *bi);

/* ---- CPUs and interrupts (cpu.c, irq.c) ------------------------------- */

/*
 * State of one vCPU (a host thread). Fields marked "atomic" are shared with
 * the thread's own signal handlers or other threads and are only accessed
 * with __atomic builtins.
 */
struct hosted_cpu {
	unsigned id;
	pid_t tid;            /* host thread id, for tgkill */
	int irq_on;           /* atomic: the "interrupts enabled" flag */
	uint64_t pending;     /* atomic: lines that fired while irq_on == 0 */
	uint64_t raised;      /* atomic: lines raised by other threads */
	int in_user;          /* atomic: inside hal_user_run's wait */
	int user_kicked;      /* atomic: an interrupt must end user mode */
	pid_t user_pid;       /* atomic: stub running user code, or 0 */
	pid_t user_tid;       /* atomic: ... and its thread (the kick's
			       * target), or 0 */
	timer_t timer;        /* this vCPU's POSIX timer */
	bool timer_ok;
	bool online;
	void *altstack;
};

/* This thread's vCPU (vCPU 0 for threads that are no vCPU). */
struct hosted_cpu *hosted_cpu_self(void);

/*
 * Makes the calling thread vCPU 0 of a machine with ncpus CPUs: installs
 * the interrupt and kernel-fault signal handlers, a signal stack and the
 * CPU's timer. Interrupts start disabled. Idempotent (unit tests call it
 * once per test). Exits with a message on host failure.
 */
void hosted_cpu_boot(unsigned ncpus);

/* Sets up the calling thread as vCPU id (signal stack, timer, state). */
void hosted_cpu_attach(unsigned id);

/* Body of a secondary vCPU's thread (global: a stack root for
 * hal_backtrace). */
void *hosted_cpu_thread(void *arg);

/* Number of vCPUs the machine has (as hosted_cpu_boot was told). */
unsigned hosted_cpu_count(void);

/* Makes line pending on cpu and signals that CPU's thread; callable from
 * any thread (the console input thread, another vCPU). */
void hosted_irq_raise(unsigned cpu, unsigned line);

/* Test hook: when set, interrupts are dispatched to it instead of
 * core_irq (unit tests of the HAL without the core's handlers). */
extern void (*hosted_irq_divert)(unsigned line);

/* Installs the interrupt signal handlers (process-wide, once). */
void hosted_irq_init(void);

/* Whether line is unmasked (timer and IPI always are). */
bool hosted_irq_line_unmasked(unsigned line);

/*
 * Signal numbers used inside the kernel process: the per-vCPU timer and
 * the "some line was raised" doorbell (IPIs, console input).
 */
int hosted_sig_timer(void);
int hosted_sig_irq(void);

/* Creates the calling vCPU's POSIX timer (signal to this thread only). */
void hosted_timer_attach(void);

/* Installs the handlers for faults of the kernel itself (SIGSEGV ...). */
void hosted_fault_init(void);

/* From the kernel-fault handler (probe.c): whether this fault is an armed
 * hal_probe_access's own (then uc is changed to land it). */
bool hosted_probe_trap(int sig, const siginfo_t *si, ucontext_t *uc);

/* ---- User mode (stub_host.c) ------------------------------------------ */

struct hosted_stub;

/* Sets the path of the stub binary; NULL picks keel-stub next to the
 * running executable (or $KEEL_STUB when set). */
void hosted_stub_set_path(const char *path);

/* The stub binary's path as set. */
const char *hosted_stub_path(void);

/* Called by the interrupt handler after it dispatched an interrupt on this
 * CPU: if user code is running here, kicks its stub out of user mode. */
void hosted_user_interrupted(void);


/* The host pid of as's stub process: 0 before the first hal_user_run,
 * -1 once it died (for tests and diagnostics). */
pid_t hosted_stub_pid(const struct hal_as *as);

/* The host tid of as's stub thread for vCPU cpu: 0 if it has not
 * started (for tests and diagnostics). */
pid_t hosted_stub_thread_tid(const struct hal_as *as, unsigned cpu);

/* How often the core called the TLB functions on as (for tests). */
struct hosted_tlb_calls {
	uint64_t updates, invalidates, flushes;
};
void hosted_tlb_calls(const struct hal_as *as, struct hosted_tlb_calls *out);

/* Kills and frees the stubs that destroyed address spaces left for
 * reuse (tests that need a fresh stub). */
void hosted_stub_pool_drain(void);

/* Kills every stub process (power off). Async-signal-safe. */
void hosted_stub_kill_all(void);

/* ---- Console (console.c) ---------------------------------------------- */

/* Starts the input thread reading stdin (raises HAL_IRQ_CONSOLE). */
void hosted_console_init(void);

/* Called when HAL_IRQ_CONSOLE gets unmasked: raises it if input waits. */
void hosted_console_unmasked(void);

/* ---- The host terminal (term.c) --------------------------------------- */

struct termios;

/* Puts the host terminal on stdin (if it is one) in raw input mode and
 * arranges for its settings to come back at exit and on fatal signals;
 * reads the window size. Called by hosted_console_init. */
void hosted_term_init(void);
/* Rereads the window size (after SIGWINCH). */
void hosted_term_update_size(void);
/* The pieces, on any terminal fd (tests use a pty): raw input mode with
 * the old settings saved (0, or -1 when fd is no terminal); putting them
 * back; the size in cells (-1 when unknown). */
int hosted_term_raw(int fd, struct termios *old);
void hosted_term_restore(int fd, const struct termios *old);
int hosted_term_size(int fd, unsigned *rows, unsigned *cols);

/* ---- Host errors ------------------------------------------------------ */

/* The one place host errno values become Keel's negative Linux errno. */
int hosted_errno(int host_errno);

/* Writes a message straight to stderr (async-signal-safe). */
void hosted_die_write(const char *msg);

#endif
