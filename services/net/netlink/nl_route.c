/*
 * NETLINK_ROUTE's answers for a machine whose one interface is lo
 * (index 1, up, MTU 65536, 127.0.0.1/8 and ::1/128, host scope): an
 * RTM_GETLINK dump (or a get by index or IFLA_IFNAME) gives RTM_NEWLINK,
 * an RTM_GETADDR dump RTM_NEWADDR for the family asked (AF_UNSPEC: both),
 * each dump ended by NLMSG_DONE, with the request's sequence number and
 * the socket's port id, as Linux's rtnetlink. Another request type is an
 * NLMSG_ERROR of EOPNOTSUPP; a link that is not lo ENODEV; NLM_F_ACK
 * adds an NLMSG_ERROR of 0 after a request that succeeded. An error
 * carries the request's header only (as NETLINK_CAP_ACK would). Plain
 * logic over a buffer, but for the queueing at the end.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>

#include "nl_internal.h"

#define ARPHRD_LOOPBACK 772
#define LO_FLAGS (0x1 | 0x8 | 0x40 | IFF_LOWER_UP) /* UP LOOPBACK RUNNING */
#define REPLY_MAX 8192u

struct reply {
	uint8_t *buf;
	size_t len;
	bool full;
	uint32_t portid;
};

/* Room for n bytes at the end (zeroed), or NULL when the reply is
 * full. */
static void *put(struct reply *r, size_t n)
{
	void *p;

	if (r->full || r->len + NL_ALIGN(n) > REPLY_MAX) {
		r->full = true;
		return NULL;
	}
	p = r->buf + r->len;
	memset(p, 0, NL_ALIGN(n));
	r->len += NL_ALIGN(n);
	return p;
}

/* Starts a message answering req: its offset in the reply. */
static size_t begin(struct reply *r, const struct linux_nlmsghdr *req,
		    uint16_t type, uint16_t flags)
{
	size_t at = r->len;
	struct linux_nlmsghdr *h = put(r, sizeof(*h));

	if (h) {
		h->nlmsg_type = type;
		h->nlmsg_flags = flags;
		h->nlmsg_seq = req->nlmsg_seq;
		h->nlmsg_pid = r->portid;
	}
	return at;
}

/* Ends the message begun at at: its length. */
static void end(struct reply *r, size_t at)
{
	struct linux_nlmsghdr h;

	if (r->full)
		return;
	memcpy(&h, r->buf + at, sizeof(h));
	h.nlmsg_len = (uint32_t)(r->len - at);
	memcpy(r->buf + at, &h, sizeof(h));
}

static void attr(struct reply *r, uint16_t type, const void *data,
		 size_t n)
{
	struct linux_rtattr a = { (uint16_t)(sizeof(a) + n), type };
	uint8_t *p = put(r, sizeof(a) + n);

	if (!p)
		return;
	memcpy(p, &a, sizeof(a));
	memcpy(p + sizeof(a), data, n);
}

static void attr_u32(struct reply *r, uint16_t type, uint32_t v)
{
	attr(r, type, &v, sizeof(v));
}

static void new_link(struct reply *r, const struct linux_nlmsghdr *req,
		     uint16_t flags)
{
	static const uint8_t zero_mac[6];
	struct linux_ifinfomsg ifi = { .ifi_type = ARPHRD_LOOPBACK,
				       .ifi_index = 1,
				       .ifi_flags = LO_FLAGS };
	size_t at = begin(r, req, RTM_NEWLINK, flags);
	uint8_t oper = 0; /* IF_OPER_UNKNOWN: lo's */
	void *p = put(r, sizeof(ifi));

	if (p)
		memcpy(p, &ifi, sizeof(ifi));
	attr(r, IFLA_IFNAME, "lo", 3);
	attr_u32(r, IFLA_MTU, 65536);
	attr_u32(r, IFLA_TXQLEN, 1000);
	attr(r, IFLA_OPERSTATE, &oper, 1);
	attr(r, IFLA_ADDRESS, zero_mac, sizeof(zero_mac));
	attr(r, IFLA_BROADCAST, zero_mac, sizeof(zero_mac));
	end(r, at);
}

static void new_addr(struct reply *r, const struct linux_nlmsghdr *req,
		     int family)
{
	static const uint8_t v4[4] = { 127, 0, 0, 1 };
	static const uint8_t v6[16] = { [15] = 1 };
	struct linux_ifaddrmsg ifa = {
		.ifa_family = (uint8_t)family,
		.ifa_prefixlen = family == AF_INET ? 8 : 128,
		.ifa_flags = IFA_F_PERMANENT,
		.ifa_scope = RT_SCOPE_HOST,
		.ifa_index = 1,
	};
	size_t at = begin(r, req, RTM_NEWADDR, NLM_F_MULTI);
	void *p = put(r, sizeof(ifa));

	if (p)
		memcpy(p, &ifa, sizeof(ifa));
	if (family == AF_INET) {
		attr(r, IFA_ADDRESS, v4, sizeof(v4));
		attr(r, IFA_LOCAL, v4, sizeof(v4));
		attr(r, IFA_LABEL, "lo", 3);
	} else {
		attr(r, IFA_ADDRESS, v6, sizeof(v6));
	}
	end(r, at);
}

static void done(struct reply *r, const struct linux_nlmsghdr *req)
{
	size_t at = begin(r, req, NLMSG_DONE, NLM_F_MULTI);
	int32_t *zero = put(r, sizeof(*zero));

	(void)zero; /* put zeroed it */
	end(r, at);
}

static void error(struct reply *r, const struct linux_nlmsghdr *req,
		  int err)
{
	size_t at = begin(r, req, NLMSG_ERROR, 0);
	uint8_t *p = put(r, sizeof(int32_t) + sizeof(*req));
	int32_t e = err;

	if (p) {
		memcpy(p, &e, sizeof(e));
		memcpy(p + sizeof(e), req, sizeof(*req));
	}
	end(r, at);
}

/* The link a non-dump RTM_GETLINK names (index, else IFLA_IFNAME): is it
 * lo? */
static bool asks_lo(const uint8_t *body, size_t n)
{
	struct linux_ifinfomsg ifi;
	size_t off = sizeof(ifi);

	if (n < sizeof(ifi))
		return false;
	memcpy(&ifi, body, sizeof(ifi));
	if (ifi.ifi_index)
		return ifi.ifi_index == 1;
	while (off + sizeof(struct linux_rtattr) <= n) {
		struct linux_rtattr a;

		memcpy(&a, body + off, sizeof(a));
		if (a.rta_len < sizeof(a) || off + a.rta_len > n)
			break;
		if (a.rta_type == IFLA_IFNAME)
			return a.rta_len - sizeof(a) >= 2 &&
			       !memcmp(body + off + sizeof(a), "lo", 2) &&
			       (a.rta_len - sizeof(a) == 2 ||
				!body[off + sizeof(a) + 2]);
		off += NL_ALIGN(a.rta_len);
	}
	return false;
}

/* Answers one request: 0, or the errno of its NLMSG_ERROR. */
static int answer(struct reply *r, const struct linux_nlmsghdr *h,
		  const uint8_t *body, size_t n)
{
	int family = n ? body[0] : AF_UNSPEC;

	switch (h->nlmsg_type) {
	case RTM_GETLINK:
		if ((h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
			new_link(r, h, NLM_F_MULTI);
			done(r, h);
			return 0;
		}
		if (!asks_lo(body, n))
			return -ENODEV;
		new_link(r, h, 0);
		return 0;
	case RTM_GETADDR:
		if ((h->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
			return -EOPNOTSUPP;
		if (family == AF_UNSPEC || family == AF_INET)
			new_addr(r, h, AF_INET);
		if (family == AF_UNSPEC || family == AF_INET6)
			new_addr(r, h, AF_INET6);
		done(r, h);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* Queues the reply on n as one datagram from the kernel (port id 0). */
static int queue(struct nl_sock *n, const struct reply *r)
{
	struct linux_sockaddr_nl from = { .nl_family = AF_NETLINK };
	struct unix_msg *msg;

	if (n->u.rcvq.bytes + r->len > n->u.rcvbuf) {
		n->u.err = ENOBUFS; /* Linux's overrun */
		unix_changed(&n->u, POLLERR);
		return 0;
	}
	msg = unix_msg_alloc(r->len);
	if (!msg)
		return -ENOMEM;
	memcpy(msg->data, r->buf, r->len);
	msg->len = r->len;
	memcpy(msg->from.bytes, &from, sizeof(from));
	msg->from.len = sizeof(from);
	msgq_push(&n->u.rcvq, msg);
	unix_data_ready(&n->u);
	return 0;
}

int nl_route_request(struct nl_sock *n, const uint8_t *req, size_t len)
{
	struct reply r = { .portid = n->portid };
	size_t off = 0;
	int err = 0;

	r.buf = kmalloc(REPLY_MAX);
	if (!r.buf)
		return -ENOMEM;
	while (!err && off + sizeof(struct linux_nlmsghdr) <= len) {
		struct linux_nlmsghdr h;
		size_t body;
		int res;

		memcpy(&h, req + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off)
			break;
		body = h.nlmsg_len - sizeof(h);
		off += NL_ALIGN(h.nlmsg_len);
		if (!(h.nlmsg_flags & NLM_F_REQUEST) ||
		    h.nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		/* Each answer, and each error or ack, is a datagram of
		 * its own, as Linux's. */
		r.len = 0;
		r.full = false;
		res = answer(&r, &h, req + off - NL_ALIGN(h.nlmsg_len) +
					     sizeof(h),
			     body);
		if (r.len)
			err = queue(n, &r);
		if (!err && (res || (h.nlmsg_flags & NLM_F_ACK))) {
			r.len = 0;
			error(&r, &h, res);
			err = queue(n, &r);
		}
	}
	kfree(r.buf);
	return err;
}
