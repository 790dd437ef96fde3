/*
 * Unit tests of the unix socket service's plain logic: the receive
 * queue (msgq.c) and its stream read's boundaries (a message with fds
 * ends a read, other creds end it when they matter, peek leaves the
 * queue alone, a short copy stops), the socket ABI constants against the
 * host's <sys/socket.h>, socket(2)'s argument checks before any user
 * access, and the lives of pairs, connections and a closed listener's
 * pending ones, all given back (mem_usage). The data paths run in tests/abi/socket_*.c.
 */
#include "syscall_fixture.h"
#include "unit.h"

#include <string.h>
#include <sys/socket.h>

/* The host's values, taken before Keel's headers define the same names
 * (glibc's are enums with macros of the same name). */
static const long host[][2] = {
	{ AF_UNIX, 1 },		  { AF_INET, 2 },	{ AF_INET6, 10 },
	{ AF_NETLINK, 16 },	  { AF_PACKET, 17 },	{ AF_MAX, 46 },
	{ SOCK_STREAM, 1 },	  { SOCK_DGRAM, 2 },	{ SOCK_RAW, 3 },
	{ SOCK_RDM, 4 },	  { SOCK_SEQPACKET, 5 }, { SOCK_DCCP, 6 },
	{ SOCK_PACKET, 10 },	  { SOCK_NONBLOCK, 04000 },
	{ SOCK_CLOEXEC, 02000000 }, { MSG_OOB, 1 },	{ MSG_PEEK, 2 },
	{ MSG_DONTROUTE, 4 },	  { MSG_CTRUNC, 8 },	{ MSG_TRUNC, 0x20 },
	{ MSG_DONTWAIT, 0x40 },	  { MSG_EOR, 0x80 },	{ MSG_WAITALL, 0x100 },
	{ MSG_ERRQUEUE, 0x2000 }, { MSG_NOSIGNAL, 0x4000 },
	{ MSG_MORE, 0x8000 },	  { MSG_WAITFORONE, 0x10000 },
	{ MSG_CMSG_CLOEXEC, 0x40000000 }, { SCM_RIGHTS, 1 },
	{ SCM_CREDENTIALS, 2 },	  { SHUT_RD, 0 },	{ SHUT_WR, 1 },
	{ SHUT_RDWR, 2 },	  { SOMAXCONN, 4096 },
	{ sizeof(struct msghdr), 56 }, { sizeof(struct mmsghdr), 64 },
	{ sizeof(struct cmsghdr), 16 }, { sizeof(struct ucred), 12 },
	{ offsetof(struct msghdr, msg_flags), 48 },
	{ offsetof(struct msghdr, msg_controllen), 40 },
	{ offsetof(struct mmsghdr, msg_len), 56 },
};

#undef AF_UNIX
#undef AF_INET
#undef AF_INET6
#undef AF_NETLINK
#undef AF_PACKET
#undef AF_MAX
#undef SOCK_STREAM
#undef SOCK_DGRAM
#undef SOCK_RAW
#undef SOCK_RDM
#undef SOCK_SEQPACKET
#undef SOCK_DCCP
#undef SOCK_PACKET
#undef SOCK_NONBLOCK
#undef SOCK_CLOEXEC
#undef MSG_OOB
#undef MSG_PEEK
#undef MSG_DONTROUTE
#undef MSG_CTRUNC
#undef MSG_TRUNC
#undef MSG_DONTWAIT
#undef MSG_EOR
#undef MSG_WAITALL
#undef MSG_ERRQUEUE
#undef MSG_NOSIGNAL
#undef MSG_MORE
#undef MSG_WAITFORONE
#undef MSG_CMSG_CLOEXEC
#undef SCM_RIGHTS
#undef SCM_CREDENTIALS
#undef SHUT_RD
#undef SHUT_WR
#undef SHUT_RDWR
#undef SOMAXCONN
#undef AF_UNSPEC
#undef SOL_SOCKET
#undef SO_DEBUG
#undef SO_REUSEADDR
#undef SO_TYPE
#undef SO_ERROR
#undef SO_DONTROUTE
#undef SO_BROADCAST
#undef SO_SNDBUF
#undef SO_RCVBUF
#undef SO_KEEPALIVE
#undef SO_OOBINLINE
#undef SO_PRIORITY
#undef SO_LINGER
#undef SO_REUSEPORT
#undef SO_PASSCRED
#undef SO_PEERCRED
#undef SO_RCVLOWAT
#undef SO_SNDLOWAT
#undef SO_ACCEPTCONN
#undef SO_SNDBUFFORCE
#undef SO_RCVBUFFORCE
#undef SO_PROTOCOL
#undef SO_DOMAIN

#include <keel/errno.h>
#include <keel/failalloc.h>
#include <keel/heap.h>
#include <svc/proc.h>
#include <svc/syscall.h>

#include "../../services/net/unix/unix_internal.h"

/* Keel's values in the order of host[]. */
static const long keel[] = {
	AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_MAX,
	SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_RDM, SOCK_SEQPACKET,
	SOCK_DCCP, SOCK_PACKET, SOCK_NONBLOCK, SOCK_CLOEXEC, MSG_OOB,
	MSG_PEEK, MSG_DONTROUTE, MSG_CTRUNC, MSG_TRUNC, MSG_DONTWAIT,
	MSG_EOR, MSG_WAITALL, MSG_ERRQUEUE, MSG_NOSIGNAL, MSG_MORE,
	MSG_WAITFORONE, MSG_CMSG_CLOEXEC, SCM_RIGHTS, SCM_CREDENTIALS,
	SHUT_RD, SHUT_WR, SHUT_RDWR, SOMAXCONN,
	sizeof(struct linux_msghdr), sizeof(struct linux_mmsghdr),
	sizeof(struct linux_cmsghdr), sizeof(struct linux_ucred),
	offsetof(struct linux_msghdr, msg_flags),
	offsetof(struct linux_msghdr, msg_controllen),
	offsetof(struct linux_mmsghdr, msg_len),
};

static struct unix_msg *msg_of(const char *text, uint32_t pid)
{
	size_t len = strlen(text);
	struct unix_msg *m = unix_msg_alloc(len);

	ck_assert_ptr_nonnull(m);
	memcpy(m->data, text, len);
	m->len = len;
	m->scm.creds.pid = pid;
	return m;
}

struct sink {
	char buf[64];
	size_t used, limit;
};

/* Copies into the sink up to its limit (a "fault" past it). */
static ssize_t to_sink(void *arg, const void *src, size_t n)
{
	struct sink *s = arg;
	size_t room = s->limit - s->used;

	if (!room)
		return -EFAULT;
	n = n < room ? n : room;
	memcpy(s->buf + s->used, src, n);
	s->used += n;
	return (ssize_t)n;
}

static void free_all(struct list_head *l)
{
	while (!list_empty(l)) {
		struct unix_msg *m = list_first_entry(l, struct unix_msg, link);

		list_del(&m->link);
		kfree(m);
	}
}

START_TEST(a_stream_read_joins_messages_and_consumes_them)
{
	struct msgq q;
	struct list_head done;
	struct msgq_read r = { 0 };
	struct sink s = { .limit = sizeof(s.buf) };

	unit_boot_mm();
	msgq_init(&q);
	list_init(&done);
	msgq_push(&q, msg_of("abc", 1));
	msgq_push(&q, msg_of("defg", 1));
	ck_assert_uint_eq(q.bytes, 7);
	ck_assert_int_eq(msgq_read_stream(&q, 5, false, false, to_sink, &s,
					  &done, &r), 5);
	ck_assert(!memcmp(s.buf, "abcde", 5));
	ck_assert_uint_eq(q.bytes, 2);
	ck_assert_uint_eq(q.count, 1);
	ck_assert_uint_eq(msgq_head(&q)->off, 2);
	ck_assert(r.has_first);
	free_all(&done);
	free_all(&q.msgs);
}
END_TEST

START_TEST(peek_leaves_the_queue_and_a_short_copy_stops)
{
	struct msgq q;
	struct list_head done;
	struct msgq_read r = { 0 };
	struct sink s = { .limit = 2 };

	unit_boot_mm();
	msgq_init(&q);
	list_init(&done);
	msgq_push(&q, msg_of("abc", 1));
	ck_assert_int_eq(msgq_read_stream(&q, 3, true, false, to_sink, &s,
					  &done, &r), 2);
	ck_assert_uint_eq(q.bytes, 3);
	ck_assert(list_empty(&done));
	/* Nothing copies: the error comes back. */
	s.used = 2;
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(msgq_read_stream(&q, 3, false, false, to_sink, &s,
					  &done, &r), -EFAULT);
	ck_assert_uint_eq(q.bytes, 3);
	free_all(&q.msgs);
}
END_TEST

START_TEST(fds_and_other_creds_end_a_stream_read)
{
	struct msgq q;
	struct list_head done;
	struct msgq_read r = { 0 };
	struct sink s = { .limit = sizeof(s.buf) };
	struct unix_msg *with_fds;

	unit_boot_mm();
	msgq_init(&q);
	list_init(&done);
	msgq_push(&q, msg_of("ab", 1));
	with_fds = msg_of("cd", 1);
	with_fds->scm.nfds = 1; /* no real file: never released here */
	msgq_push(&q, with_fds);
	msgq_push(&q, msg_of("ef", 1));
	ck_assert_int_eq(msgq_read_stream(&q, 10, false, false, to_sink, &s,
					  &done, &r), 4);
	ck_assert_ptr_eq(r.fds, with_fds);
	ck_assert(r.stopped);
	with_fds->scm.nfds = 0;
	free_all(&done);
	/* With creds checked, a message of another pid is not joined. */
	msgq_push(&q, msg_of("gh", 2));
	memset(&r, 0, sizeof(r));
	s.used = 0;
	ck_assert_int_eq(msgq_read_stream(&q, 10, false, true, to_sink, &s,
					  &done, &r), 2);
	ck_assert_uint_eq(r.creds.pid, 1);
	ck_assert_uint_eq(q.count, 1);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(msgq_read_stream(&q, 10, false, true, to_sink, &s,
					  &done, &r), 2);
	ck_assert_uint_eq(r.creds.pid, 2);
	ck_assert_ptr_null(msgq_head(&q));
	free_all(&done);
}
END_TEST

START_TEST(pop_and_drain_keep_the_counts)
{
	struct msgq q;
	struct list_head l;

	unit_boot_mm();
	msgq_init(&q);
	list_init(&l);
	ck_assert_ptr_null(msgq_pop(&q));
	msgq_push(&q, msg_of("x", 1));
	msgq_push(&q, msg_of("yz", 1));
	kfree(msgq_pop(&q));
	ck_assert_uint_eq(q.bytes, 2);
	msgq_drain(&q, &l);
	ck_assert_uint_eq(q.count, 0);
	ck_assert_uint_eq(q.bytes, 0);
	free_all(&l);
}
END_TEST

START_TEST(abi_constants_are_the_hosts)
{
	ck_assert_uint_eq(ARRAY_SIZE(keel), ARRAY_SIZE(host));
	for (size_t k = 0; k < ARRAY_SIZE(host); k++) {
		/* host[k][1] is the value Linux documents: a typo in the
		 * table itself shows up as well. */
		ck_assert_int_eq(keel[k], host[k][0]);
		ck_assert_int_eq(host[k][0], host[k][1]);
	}
}
END_TEST

START_TEST(socket_checks_its_arguments_first)
{
	static struct proc proc = { .pid = 1, .name = "unix" };
	const uint64_t bad_family[6] = { AF_MAX, SOCK_STREAM, 0 };
	const uint64_t bad_type[6] = { AF_UNIX, 11, 0 };
	const uint64_t rdm[6] = { AF_UNIX, SOCK_RDM, 0 };
	const uint64_t proto[6] = { AF_UNIX, SOCK_STREAM, 2 };
	const uint64_t packet[6] = { AF_PACKET, SOCK_STREAM, 0 };
	const uint64_t flag[6] = { AF_UNIX, SOCK_STREAM | 0x100000, 0 };

	unit_boot_mm();
	ck_assert_int_eq(unit_syscall(&proc, SYSNR_socket, bad_family),
			 -EAFNOSUPPORT);
	ck_assert_int_eq(unit_syscall(&proc, SYSNR_socket, bad_type), -EINVAL);
	ck_assert_int_eq(unit_syscall(&proc, SYSNR_socket, rdm),
			 -ESOCKTNOSUPPORT);
	ck_assert_int_eq(unit_syscall(&proc, SYSNR_socket, proto),
			 -EPROTONOSUPPORT);
	ck_assert_int_eq(unit_syscall(&proc, SYSNR_socket, packet),
			 -EAFNOSUPPORT);
	ck_assert_int_eq(unit_syscall(&proc, SYSNR_socket, flag), -EINVAL);
}
END_TEST

/* A new socket of type with its file (the file owns it). */
static struct socket *new_sock(int type, struct file **f)
{
	struct socket *s;

	ck_assert_int_eq(sock_create(AF_UNIX, type, 0, &s), 0);
	ck_assert_int_eq(sock_file(s, 0, f), 0);
	return s;
}

static void assert_given_back(const struct mem_usage *before)
{
	struct mem_usage after;

	mem_usage(&after);
	ck_assert_uint_eq(after.heap_objects, before->heap_objects);
	ck_assert_uint_eq(after.heap_bytes, before->heap_bytes);
}

START_TEST(a_pair_and_its_files_are_given_back)
{
	struct mem_usage before;
	struct socket *a, *b;
	struct file *fa, *fb;

	unit_boot_mm();
	unix_service_init();
	/* Once first, so that lazily made state is there. */
	a = new_sock(SOCK_STREAM, &fa);
	vfs_file_put(fa);
	mem_usage(&before);
	a = new_sock(SOCK_STREAM, &fa);
	b = new_sock(SOCK_STREAM, &fb);
	ck_assert_int_eq(a->ops->pair(a, b), 0);
	ck_assert_uint_eq(a->ops->poll(a, NULL), POLLOUT | POLLWRNORM |
							 POLLWRBAND);
	vfs_file_put(fa);
	/* The peer's end sees the close. */
	ck_assert(b->ops->poll(b, NULL) & POLLHUP);
	vfs_file_put(fb);
	assert_given_back(&before);
}
END_TEST

/* bind, listen, connect and accept on an abstract name, all in kernel
 * memory; then a listener closed with a connection pending resets it. */
START_TEST(a_connection_and_a_closed_listener_are_given_back)
{
	static const uint8_t name[] = { AF_UNIX, 0, 0, 'k', 'e', 'e', 'l' };
	struct mem_usage before;
	struct socket *l, *c, *c2, *n;
	struct file *fl, *fc, *fc2, *fn;
	struct unix_sock *u;

	unit_boot_mm();
	unix_service_init();
	mem_usage(&before);
	l = new_sock(SOCK_STREAM, &fl);
	c = new_sock(SOCK_STREAM, &fc);
	c2 = new_sock(SOCK_STREAM, &fc2);
	ck_assert_int_eq(l->ops->listen(l, 1), -EINVAL); /* unbound */
	ck_assert_int_eq(l->ops->bind(l, name, sizeof(name)), 0);
	ck_assert_int_eq(c->ops->bind(c, name, sizeof(name)), -EADDRINUSE);
	ck_assert_int_eq(c->ops->connect(c, name, sizeof(name), true),
			 -ECONNREFUSED);
	ck_assert_int_eq(l->ops->listen(l, 0), 0);
	ck_assert_int_eq(c->ops->connect(c, name, sizeof(name), true), 0);
	/* Linux's order: a full listener (backlog 0 holds one) before
	 * the caller's own state. */
	ck_assert_int_eq(c->ops->connect(c, name, sizeof(name), true),
			 -EAGAIN);
	ck_assert(l->ops->poll(l, NULL) & POLLIN);
	n = sock_alloc_like(l);
	ck_assert_int_eq(l->ops->accept(l, n, true), 0);
	ck_assert_int_eq(sock_file(n, 0, &fn), 0);
	ck_assert_int_eq(c->ops->connect(c, name, sizeof(name), true),
			 -EISCONN);
	{
		struct socket *none = sock_alloc_like(l);

		ck_assert_int_eq(l->ops->accept(l, none, true), -EAGAIN);
		sock_free(none);
	}
	/* A second client stays pending; closing the listener resets it. */
	ck_assert_int_eq(c2->ops->connect(c2, name, sizeof(name), true), 0);
	vfs_file_put(fl);
	u = c2->sk;
	ck_assert_int_eq(u->err, ECONNRESET);
	ck_assert_uint_eq(u->shutdown, UNIX_SHUTDOWN_MASK);
	vfs_file_put(fc2);
	vfs_file_put(fn);
	vfs_file_put(fc);
	assert_given_back(&before);
}
END_TEST

static Suite *unix_suite(void)
{
	Suite *s = suite_create("unix");
	TCase *tc = tcase_create("unix sockets");

	tcase_add_test(tc, a_stream_read_joins_messages_and_consumes_them);
	tcase_add_test(tc, peek_leaves_the_queue_and_a_short_copy_stops);
	tcase_add_test(tc, fds_and_other_creds_end_a_stream_read);
	tcase_add_test(tc, pop_and_drain_keep_the_counts);
	tcase_add_test(tc, abi_constants_are_the_hosts);
	tcase_add_test(tc, socket_checks_its_arguments_first);
	tcase_add_test(tc, a_pair_and_its_files_are_given_back);
	tcase_add_test(tc, a_connection_and_a_closed_listener_are_given_back);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(unix_suite);
