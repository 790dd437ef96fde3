/*
 * libFuzzer harness of the terminal's ioctl decoder (services/tty/tty.c:
 * tty_ioctl, what a file open on a tty does, and tty_ioctl_peer, what a
 * pty master passes to its slave) on a tty of its own with a driver
 * whose output goes nowhere, as processes of one session call it with
 * arguments in their user memory, mixed with terminal input, reads,
 * writes and a hang-up, so that what one call set changes what the next
 * one sees.
 *
 * The world of each input: an address space of the hosted core with a
 * read-write page, a read-only page, a hole and another read-write page
 * (LAYOUT below), and four processes known to the job-control
 * bookkeeping (services/tty/job.c, job_add): 100 leads session 100 and
 * its foreground group, 101 is a background group of it, 102 a member
 * of the foreground group, 103 leads a session of its own. The tty
 * controls session 100 (or none, by the first byte). A fifth caller is a
 * kernel task (no process). The processes have no threads, so the
 * SIGTTOU the decoder sends finds no one (signal_send's zombie case):
 * the decoder's answer is what is under test, not the stop.
 *
 * The input is a script of operations, one byte each and their argument
 * bytes: an ioctl (caller and whether through the master, request from
 * the table or a raw number, argument: an offset into the layout, with
 * bytes to put there first, a small integer or a raw 64-bit value),
 * terminal input (ldisc_receive, as the console's interrupt), a read, a
 * write, setpgid, setsid, a SIGTTOU/SIGTTIN disposition or mask change,
 * and the master's close (tty_hangup: -EIO from then on).
 *
 * Checks beyond "no crash":
 *  - each request answers what Linux's rules give (computed before the
 *    call): 0 or an errno Linux gives for it (ENOTTY for a number a
 *    terminal does not know, ENOIOCTLCMD for one the master keeps);
 *  - -EFAULT only for an argument user code could not have accessed, and
 *    a request with no precondition succeeds exactly when it could;
 *  - the job-control answers follow Linux's rules as the decoder's
 *    contract states them (who is in the background, ignored or blocked
 *    SIGTTOU, the controlling terminal, the session leader);
 *  - a refusal changes nothing: termios, window size, session,
 *    foreground group, input and every process's terminal;
 *  - what a get request writes is the tty's state, and an accepted set is
 *    what a later TCGETS/TIOCGWINSZ gives back (all of struct termios:
 *    the flags, c_line and c_cc, as a Linux pty keeps them but for the
 *    CSIZE/PARENB it forces; TCGETS2's speeds 38400);
 *  - the line discipline's counters stay tail <= line <= head, as
 *    fuzz_ldisc checks, FIONREAD is ldisc_readable, TCFLSH reaches the
 *    driver;
 *  - a process that holds the terminal is in the session it controls;
 *  - after teardown the heap objects and frames are back (no leak).
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/errno.h>
#include <keel/failalloc.h>
#include <keel/vm.h>
#include "sched/sched.h"
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/vfs.h>
#include <uapi/ioctls.h>
#include <uapi/signal.h>
#include <uapi/termios.h>

#include "../../services/tty/tty_core.h"
#include "../../services/tty/tty_internal.h"

/* The user memory: pages of BASE + i * PAGE by LAYOUT[i]; the rest of
 * the address space is unmapped. */
#define BASE 0x10000000ul
#define PAGE 4096ul
#define NPAGES 5
static const unsigned LAYOUT[NPAGES] = {
	HAL_PROT_READ | HAL_PROT_WRITE, HAL_PROT_READ, 0,
	HAL_PROT_READ | HAL_PROT_WRITE, 0,
};
/* Where the harness's own TCGETS/TIOCGWINSZ go: inside page 3. */
#define SCRATCH (BASE + 3 * PAGE + 512)

#define NPROCS 4
#define KERNEL NPROCS /* the caller index of a kernel task */

static struct tty tty;
static struct vm_space *vs;
static struct proc procs[NPROCS];
static struct sighand hands[NPROCS];
static struct thread threads[NPROCS];
static struct task tasks[NPROCS + 1];
static size_t output;  /* bytes the terminal got */
static int flushed = -1; /* the last TCFLSH the driver heard of */
static bool trace; /* FUZZ_TTY_TRACE set: every call's answer on stderr */

static void fake_output(struct tty *t, const char *buf, size_t len)
{
	FUZZ_CHECK(t == &tty && (buf != NULL || len == 0));
	output += len;
}

static void fake_flushed(struct tty *t, unsigned how)
{
	FUZZ_CHECK(t == &tty && how <= TCIOFLUSH);
	flushed = (int)how;
}

/* A terminal whose output goes nowhere, at any amount at once. */
static const struct tty_driver fake_driver = {
	.output = fake_output,
	.flushed = fake_flushed,
};
static struct file file; /* the open file the ioctls come through */

/* ---- The world -------------------------------------------------------- */

static void map_layout(void)
{
	vs = vm_space_create();
	FUZZ_CHECK(vs != NULL);
	for (unsigned i = 0; i < NPAGES; i++) {
		if (LAYOUT[i])
			FUZZ_CHECK(vm_map_zero(vs, BASE + i * PAGE, PAGE,
					       LAYOUT[i]) == 0);
	}
}

/* Process i: pid 100 + i in session sid and group pgid, holding the tty
 * if ctty; its thread's task runs in the layout. */
static void make_proc(unsigned i, int sid, int pgid, bool ctty)
{
	struct proc *p = &procs[i];
	struct job_info ji = { pgid, sid, ctty ? &tty : NULL };

	memset(p, 0, sizeof(*p));
	memset(&hands[i], 0, sizeof(hands[i]));
	memset(&threads[i], 0, sizeof(threads[i]));
	p->pid = 100 + (int)i;
	p->sid = sid;
	p->pgid = pgid;
	p->sighand = &hands[i];
	threads[i].tid = p->pid;
	threads[i].proc = p;
	threads[i].task = &tasks[i];
	FUZZ_CHECK(job_add(p, &ji) == 0);
}

static void make_world(bool controls)
{
	fuzz_boot_mm();
	map_layout();
	tty_setup(&tty, &fake_driver, "fuzz tty");
	if (controls) {
		tty.session = 100;
		tty.fg_pgrp = 100;
	}
	make_proc(0, 100, 100, controls);
	make_proc(1, 100, 101, controls);
	make_proc(2, 100, 100, controls);
	make_proc(3, 103, 103, false);
	memset(tasks, 0, sizeof(tasks));
	for (unsigned i = 0; i <= NPROCS; i++) {
		tasks[i].vm = vs;
		task_set_owner(&tasks[i], i < NPROCS ? &threads[i] : NULL);
	}
}

static void drop_world(void)
{
	this_cpu()->current = NULL;
	for (unsigned i = 0; i < NPROCS; i++)
		job_forget(&procs[i]);
	vm_space_put(vs);
	vs = NULL;
}

static void become(unsigned who)
{
	this_cpu()->current = &tasks[who];
}

/* ---- A model of the rules --------------------------------------------- */

/* Whether user code could access [va, va + len) with prot. */
static bool accessible(uint64_t va, size_t len, unsigned prot)
{
	if (va < BASE || va + len > BASE + NPAGES * PAGE || va + len < va)
		return false;
	for (uint64_t pg = (va - BASE) / PAGE;
	     pg <= (va + len - 1 - BASE) / PAGE; pg++) {
		if ((LAYOUT[pg] & prot) != prot)
			return false;
	}
	return true;
}

struct caller {
	bool known;           /* a process of the bookkeeping */
	struct job_info ji;   /* its job state (job_get) */
	int pid;
	struct proc *p;
};

static struct caller caller_of(unsigned who)
{
	struct caller c = { 0 };

	if (who == KERNEL)
		return c;
	c.p = &procs[who];
	c.pid = c.p->pid;
	c.known = job_get(c.p, &c.ji);
	FUZZ_CHECK(c.known);
	return c;
}

/*
 * What the job-control check of a caller changing the settings gives
 * (Linux's tty_check_change with SIGTTOU, and the decoder's contract for
 * the default action, which is -EIO: see services/tty/tty.c): 0 unless
 * it is in a background group of the terminal it holds; then 0 when
 * SIGTTOU is ignored or blocked, else -EIO at the default action and
 * -ERESTARTSYS when a handler is to run.
 */
static long ttou_check(const struct caller *c)
{
	uint64_t h;

	if (!c->known || c->ji.ctty != &tty || !tty.fg_pgrp ||
	    c->ji.pgid == tty.fg_pgrp)
		return 0;
	h = c->p->sighand->action[SIGTTOU - 1].sa_handler;
	if (h == SIG_IGN || (threads[c->p - procs].sig.blocked &
			     SIG_BIT(SIGTTOU)))
		return 0;
	return h == SIG_DFL ? -EIO : -ERESTARTSYS;
}

static bool pgrp_in_session(int pgrp, int sid)
{
	for (unsigned i = 0; i < NPROCS; i++) {
		if (procs[i].pgid == pgrp && procs[i].sid == sid)
			return true;
	}
	return false;
}

/* ---- State that a refusal must leave alone ---------------------------- */

struct snapshot {
	struct linux_termios tio;
	struct linux_winsize ws;
	int session, fg_pgrp;
	bool hung_up;
	size_t tail, line, head;
	struct tty *ctty[NPROCS];
};

static void snap(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->tio = tty.ld.tio;
	s->ws = tty.ws;
	s->session = tty.session;
	s->fg_pgrp = tty.fg_pgrp;
	s->hung_up = tty.hung_up;
	s->tail = tty.ld.tail;
	s->line = tty.ld.line;
	s->head = tty.ld.head;
	for (unsigned i = 0; i < NPROCS; i++) {
		struct job_info ji;

		FUZZ_CHECK(job_get(&procs[i], &ji));
		s->ctty[i] = ji.ctty;
	}
}

static void check_invariants(void)
{
	FUZZ_CHECK(tty.ld.tail <= tty.ld.line && tty.ld.line <= tty.ld.head);
	FUZZ_CHECK(tty.ld.head - tty.ld.tail <= LDISC_BUF);
	for (unsigned i = 0; i < NPROCS; i++) {
		struct job_info ji;

		FUZZ_CHECK(job_get(&procs[i], &ji));
		if (ji.ctty == &tty)
			FUZZ_CHECK(tty.session == procs[i].sid);
	}
}

/* ---- The script --------------------------------------------------------- */

/* The requests: how big their argument is and which way it goes. */
enum arg_use { ARG_NONE, ARG_IN, ARG_OUT };

struct request {
	unsigned cmd;
	enum arg_use use;
	size_t len;
};

static const struct request REQUESTS[] = {
	{ TCGETS, ARG_OUT, sizeof(struct linux_termios) },
	{ TCGETS2, ARG_OUT, sizeof(struct linux_termios2) },
	{ TCSETS, ARG_IN, sizeof(struct linux_termios) },
	{ TCSETSW, ARG_IN, sizeof(struct linux_termios) },
	{ TCSETSF, ARG_IN, sizeof(struct linux_termios) },
	{ TCSETS2, ARG_IN, sizeof(struct linux_termios2) },
	{ TCSETSW2, ARG_IN, sizeof(struct linux_termios2) },
	{ TCSETSF2, ARG_IN, sizeof(struct linux_termios2) },
	{ TIOCGWINSZ, ARG_OUT, sizeof(struct linux_winsize) },
	{ TIOCSWINSZ, ARG_IN, sizeof(struct linux_winsize) },
	{ TIOCGPGRP, ARG_OUT, 4 },
	{ TIOCSPGRP, ARG_IN, 4 },
	{ TIOCGSID, ARG_OUT, 4 },
	{ TIOCSCTTY, ARG_NONE, 0 },
	{ TIOCNOTTY, ARG_NONE, 0 },
	{ FIONREAD, ARG_OUT, 4 }, /* TIOCINQ */
	{ TIOCOUTQ, ARG_OUT, 4 },
	{ TCFLSH, ARG_NONE, 0 },
	{ TCXONC, ARG_NONE, 0 },
	{ TCSBRK, ARG_NONE, 0 },
	/* Requests the decoder does not know (ENOTTY): FIONBIO is the VFS's
	 * (services/vfs/sys_fd.c answers it before the file does); the
	 * others are Linux's that Keel does not have (TIOCEXCL, TIOCNXCL,
	 * TIOCSTI, TCSBRKP, TCGETA). */
	{ FIONBIO, ARG_NONE, 0 },
	{ 0x540C, ARG_NONE, 0 },
	{ 0x540D, ARG_NONE, 0 },
	{ 0x5412, ARG_NONE, 0 },
	{ 0x5425, ARG_NONE, 0 },
	{ 0x5405, ARG_NONE, 0 },
};
#define NREQUESTS (sizeof(REQUESTS) / sizeof(REQUESTS[0]))

static const struct request *request_of(unsigned cmd)
{
	static struct request unknown;

	for (size_t i = 0; i < NREQUESTS; i++) {
		if (REQUESTS[i].cmd == cmd)
			return &REQUESTS[i];
	}
	unknown = (struct request){ cmd, ARG_NONE, 0 };
	return &unknown;
}

static bool is_get(unsigned cmd)
{
	return cmd == TCGETS || cmd == TCGETS2 || cmd == TIOCGWINSZ ||
	       cmd == FIONREAD || cmd == TIOCOUTQ;
}

static bool is_termios_set(unsigned cmd)
{
	return cmd == TCSETS || cmd == TCSETSW || cmd == TCSETSF ||
	       cmd == TCSETS2 || cmd == TCSETSW2 || cmd == TCSETSF2;
}

static size_t readable(void)
{
	return ldisc_readable(&tty.ld);
}

/* The termios the harness reads back through TCGETS (or TCGETS2),
 * as caller who. */
static void tcgets(unsigned who, struct linux_termios2 *out, bool two)
{
	memset(out, 0, sizeof(*out));
	become(who);
	FUZZ_CHECK(tty_ioctl(&tty, &file, two ? TCGETS2 : TCGETS, SCRATCH) ==
		   0);
	FUZZ_CHECK(vm_read(vs, SCRATCH, out, two ? sizeof(*out)
					     : sizeof(struct linux_termios)) ==
		   0);
}

/* ---- One ioctl ---------------------------------------------------------- */

struct call {
	unsigned who;
	bool peer; /* through the pty master */
	unsigned cmd;
	uint64_t arg;
	const struct request *req;
	uint8_t in[64]; /* what the argument held before (ARG_IN) */
};

/* What a get request wrote is the state. */
static void check_get(const struct call *c)
{
	union {
		struct linux_termios2 tio2;
		struct linux_winsize ws;
		uint32_t n;
	} out;

	memset(&out, 0, sizeof(out));
	FUZZ_CHECK(vm_read(vs, c->arg, &out, c->req->len) == 0);
	switch (c->cmd) {
	case TCGETS:
	case TCGETS2:
		FUZZ_CHECK(memcmp(&out.tio2, &tty.ld.tio,
				  sizeof(struct linux_termios)) == 0);
		if (c->cmd == TCGETS2)
			FUZZ_CHECK(out.tio2.c_ispeed == 38400 &&
				   out.tio2.c_ospeed == 38400);
		break;
	case TIOCGWINSZ:
		FUZZ_CHECK(memcmp(&out.ws, &tty.ws, sizeof(out.ws)) == 0);
		break;
	case FIONREAD:
		FUZZ_CHECK(out.n == readable());
		break;
	case TIOCOUTQ:
		FUZZ_CHECK(out.n == 0); /* output is synchronous */
		break;
	}
}

/* An accepted TCSETS* installed the argument, and TCGETS gives it back. */
static void check_termios_set(const struct call *c)
{
	struct linux_termios2 back;

	FUZZ_CHECK(memcmp(&tty.ld.tio, c->in, sizeof(tty.ld.tio)) == 0);
	if (c->cmd == TCSETSF || c->cmd == TCSETSF2)
		FUZZ_CHECK(readable() == 0 && tty.ld.head == tty.ld.tail);
	tcgets(c->who, &back, c->cmd == TCSETS2 || c->cmd == TCSETSW2 ||
				      c->cmd == TCSETSF2);
	FUZZ_CHECK(memcmp(&back, c->in, sizeof(struct linux_termios)) == 0);
}

static void check_winsize_set(const struct call *c)
{
	struct linux_winsize back;

	FUZZ_CHECK(memcmp(&tty.ws, c->in, sizeof(tty.ws)) == 0);
	become(c->who);
	FUZZ_CHECK(tty_ioctl(&tty, &file, TIOCGWINSZ, SCRATCH) == 0);
	FUZZ_CHECK(vm_read(vs, SCRATCH, &back, sizeof(back)) == 0);
	FUZZ_CHECK(memcmp(&back, c->in, sizeof(back)) == 0);
}

/* What a pty master passes to its slave (tty_ioctl_peer). */
static bool peer_request(unsigned cmd)
{
	return is_termios_set(cmd) || cmd == TCGETS || cmd == TCGETS2 ||
	       cmd == TIOCGWINSZ || cmd == TIOCSWINSZ || cmd == TIOCGPGRP ||
	       cmd == TIOCGSID || cmd == TIOCSPGRP || cmd == TIOCSCTTY;
}

/* The answer the rules give for c by k in the state before the call:
 * through the tty's own file (tty_ioctl) or its pty master's
 * (tty_ioctl_peer, c->peer). */
static long expected(const struct call *c, const struct caller *k)
{
	const struct request *q = c->req;
	bool ok = q->use == ARG_NONE ||
		  accessible(c->arg, q->len,
			     q->use == ARG_IN ? HAL_PROT_READ : HAL_PROT_WRITE);
	long jc = ttou_check(k);
	uint32_t v;

	if (!c->peer && tty.hung_up)
		return c->cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	if (c->peer && !peer_request(c->cmd))
		return -ENOIOCTLCMD;
	if (is_get(c->cmd))
		return ok ? 0 : -EFAULT;
	if (is_termios_set(c->cmd))
		return jc ? jc : ok ? 0 : -EFAULT;
	switch (c->cmd) {
	case TIOCSWINSZ:
		return ok ? 0 : -EFAULT;
	case TIOCGPGRP:
	case TIOCGSID:
		/* Through the master: anyone's. */
		if (!c->peer && (!k->known || k->ji.ctty != &tty))
			return -ENOTTY;
		if (c->cmd == TIOCGSID && !tty.session)
			return -ENOTTY;
		return ok ? 0 : -EFAULT;
	case TIOCSPGRP:
		if (!k->known || k->ji.ctty != &tty)
			return -ENOTTY;
		if (jc)
			return jc;
		if (!ok)
			return -EFAULT;
		memcpy(&v, c->in, 4);
		if ((int32_t)v < 0)
			return -EINVAL;
		if (!pgrp_in_session((int)v, k->ji.sid))
			return -EPERM;
		return tty.session == k->ji.sid ? 0 : -ENOTTY;
	case TIOCSCTTY:
		if (!k->known)
			return -EPERM;
		if (k->ji.ctty == &tty)
			return 0;
		if (k->ji.sid != k->pid || k->ji.ctty)
			return -EPERM;
		if (tty.hung_up ||
		    (tty.session && tty.session != k->ji.sid && c->arg != 1))
			return -EPERM;
		return 0;
	case TIOCNOTTY:
		return k->known && k->ji.ctty == &tty ? 0 : -ENOTTY;
	case TCFLSH:
		return c->arg <= TCIOFLUSH ? 0 : -EINVAL;
	case TCXONC:
		return c->arg <= 3 ? 0 : -EINVAL;
	case TCSBRK:
		return 0;
	default:
		return -ENOTTY;
	}
}

/* What an accepted job-control request did. */
static void check_job_effect(const struct call *c, const struct caller *k,
			     const struct snapshot *before)
{
	struct job_info now;
	uint32_t v;

	if (c->cmd == TIOCSPGRP) {
		memcpy(&v, c->in, 4);
		FUZZ_CHECK(tty.fg_pgrp == (int)v);
		return;
	}
	FUZZ_CHECK(job_get(k->p, &now));
	if (c->cmd == TIOCSCTTY) {
		/* It holds the terminal, which controls its session. */
		FUZZ_CHECK(now.ctty == &tty);
		FUZZ_CHECK(tty.session == k->ji.sid);
		if (k->ji.ctty != &tty)
			FUZZ_CHECK(tty.fg_pgrp == k->ji.pgid);
	} else if (c->cmd == TIOCNOTTY) {
		FUZZ_CHECK(now.ctty == NULL);
		if (k->ji.sid == k->pid) /* the leader: the whole session */
			FUZZ_CHECK(tty.session == 0 && tty.fg_pgrp == 0);
		else
			FUZZ_CHECK(tty.session == before->session &&
				   tty.fg_pgrp == before->fg_pgrp);
	}
}

static void check_answer(const struct call *c, const struct caller *k,
			 long r, long want, const struct snapshot *before)
{
	struct snapshot after;

	if (r != want || trace)
		fprintf(stderr,
			"caller %u%s, request %#x, arg %#llx: %ld (the rules: "
			"%ld)\n",
			c->who, c->peer ? " (master)" : "", c->cmd,
			(unsigned long long)c->arg, r, want);
	FUZZ_CHECK(r == want);
	snap(&after);
	if (r) {
		FUZZ_CHECK(memcmp(before, &after, sizeof(after)) == 0);
		return;
	}
	if (is_get(c->cmd) || c->cmd == TIOCGPGRP || c->cmd == TIOCGSID) {
		if (c->cmd == TIOCGPGRP || c->cmd == TIOCGSID) {
			uint32_t v;

			FUZZ_CHECK(vm_read(vs, c->arg, &v, 4) == 0);
			FUZZ_CHECK((int)v == (c->cmd == TIOCGPGRP ? tty.fg_pgrp
							       : tty.session));
		} else {
			check_get(c);
		}
		FUZZ_CHECK(memcmp(before, &after, sizeof(after)) == 0);
	} else if (is_termios_set(c->cmd)) {
		check_termios_set(c);
	} else if (c->cmd == TIOCSWINSZ) {
		check_winsize_set(c);
	} else if (c->cmd == TCFLSH) {
		if (c->arg != TCOFLUSH)
			FUZZ_CHECK(readable() == 0 &&
				   tty.ld.head == tty.ld.tail);
		FUZZ_CHECK(flushed == (int)c->arg);
	} else if (c->cmd == TIOCSPGRP || c->cmd == TIOCSCTTY ||
		   c->cmd == TIOCNOTTY) {
		check_job_effect(c, k, before);
	}
}

/* The argument: an offset into the layout with bytes to put there, a
 * small integer, or any 64-bit value. */
static uint64_t take_arg(struct fuzz_script *s)
{
	uint8_t kind = fuzz_take8(s), n;
	uint16_t off = 0;
	uint64_t raw = 0;
	uint8_t bytes[64];

	switch (kind % 4) {
	case 0:
		fuzz_take(s, &off, sizeof(off));
		return BASE + off % (NPAGES * PAGE);
	case 1:
		fuzz_take(s, &off, sizeof(off));
		n = fuzz_take8(s) % sizeof(bytes);
		n = (uint8_t)fuzz_take(s, bytes, n);
		off %= NPAGES * PAGE;
		/* As the program would have put it there (any page that is
		 * mapped, read-only ones too: the harness writes as the
		 * kernel). */
		(void)vm_write(vs, BASE + off, bytes, n);
		return BASE + off;
	case 2:
		return fuzz_take8(s) % 8;
	default:
		fuzz_take(s, &raw, sizeof(raw));
		return raw;
	}
}

static void do_ioctl(struct fuzz_script *s)
{
	struct call c = { 0 };
	struct snapshot before;
	struct caller k;
	uint8_t sel;
	long r, want;

	sel = fuzz_take8(s);
	c.who = sel % (NPROCS + 1);
	/* A hung-up slave's master is gone: no call comes through it. */
	c.peer = (sel / (NPROCS + 1)) % 2 && !tty.hung_up;
	sel = fuzz_take8(s);
	if (sel % (NREQUESTS + 1) < NREQUESTS)
		c.cmd = REQUESTS[sel % (NREQUESTS + 1)].cmd;
	else
		fuzz_take(s, &c.cmd, sizeof(c.cmd));
	c.req = request_of(c.cmd);
	c.arg = take_arg(s);
	if (c.req->use == ARG_IN)
		(void)vm_read(vs, c.arg, c.in, c.req->len);
	k = caller_of(c.who);
	snap(&before);
	want = expected(&c, &k);
	become(c.who);
	if (c.peer)
		r = tty_ioctl_peer(&tty, c.cmd, c.arg);
	else
		r = tty_ioctl(&tty, &file, c.cmd, c.arg);
	this_cpu()->current = NULL;
	check_answer(&c, &k, r, want, &before);
}

/* setpgid(2) as Linux allows it: a process that leads no session joins
 * a group of its session, or makes its own. */
static void do_setpgid(struct fuzz_script *s)
{
	struct proc *p = &procs[fuzz_take8(s) % NPROCS];
	struct proc *to = &procs[fuzz_take8(s) % NPROCS];

	if (p->sid == p->pid)
		return;
	if (to == p)
		p->pgid = p->pid;
	else if (to->sid == p->sid)
		p->pgid = to->pgid;
}

/* setsid(2): a process that leads no group leads a new session. */
static void do_setsid(struct fuzz_script *s)
{
	struct proc *p = &procs[fuzz_take8(s) % NPROCS];

	if (p->pgid == p->pid)
		return;
	p->sid = p->pgid = p->pid;
}

/* A disposition of SIGTTOU or SIGTTIN (default, ignored, a handler), or
 * its bit in the thread's mask. */
static void do_signals(struct fuzz_script *s)
{
	unsigned who = fuzz_take8(s) % NPROCS;
	uint8_t how = fuzz_take8(s);
	int sig = how & 1 ? SIGTTIN : SIGTTOU;
	static const uint64_t handlers[] = { SIG_DFL, SIG_IGN, 0x401000 };

	if (how & 2)
		threads[who].sig.blocked ^= SIG_BIT(sig);
	else
		hands[who].action[sig - 1].sa_handler =
			handlers[(how >> 2) % 3];
}

/* Terminal input (as the console's interrupt handler passes it on) or
 * output (as a write), of a length byte and that many bytes. */
static void do_bytes(struct fuzz_script *s, bool input)
{
	char buf[256];
	size_t n = fuzz_take(s, buf, fuzz_take8(s));

	spin_lock(&tty.lock);
	if (input)
		ldisc_receive(&tty.ld, buf, n);
	else
		ldisc_write(&tty.ld, buf, n);
	spin_unlock(&tty.lock);
}

static void do_read(struct fuzz_script *s)
{
	char buf[256];
	size_t want = fuzz_take8(s), got, could;
	bool eof;

	spin_lock(&tty.lock);
	could = readable();
	got = could ? ldisc_read(&tty.ld, buf, want, &eof) : 0;
	spin_unlock(&tty.lock);
	FUZZ_CHECK(got <= want && got <= could);
}

/* The pty's master closes (tty_hangup): the session loses the terminal. */
static void do_hangup(void)
{
	tty_hangup(&tty);
	FUZZ_CHECK(tty.hung_up && !tty.session && !tty.fg_pgrp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_script s = { data, size };
	struct mem_usage start, end;

	fuzz_boot_mm();
	trace = getenv("FUZZ_TTY_TRACE") != NULL;
	mem_usage(&start);
	output = 0;
	flushed = -1;
	make_world(!(fuzz_take8(&s) & 1));
	while (s.left) {
		switch (fuzz_take8(&s) % 9) {
		case 0:
		case 1:
			do_ioctl(&s);
			break;
		case 2:
			do_bytes(&s, true);
			break;
		case 3:
			do_read(&s);
			break;
		case 4:
			do_bytes(&s, false);
			break;
		case 5:
			do_setpgid(&s);
			break;
		case 6:
			do_setsid(&s);
			break;
		case 7:
			do_signals(&s);
			break;
		default:
			do_hangup();
		}
		check_invariants();
	}
	drop_world();
	mem_usage(&end);
	FUZZ_CHECK(end.heap_objects == start.heap_objects);
	FUZZ_CHECK(end.frames_free == start.frames_free);
	return 0;
}
