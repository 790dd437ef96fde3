/*
 * Interprets the device tree for boot (see devtree.h). One walk over the
 * tokens (fdt.c) keeps a stack of the open nodes with the properties that
 * matter; a node is interpreted when it ends, when its properties and
 * those of its ancestors are all known (properties precede subnodes).
 * Addresses under /soc are taken as physical: QEMU's virt has an empty
 * (identity) `ranges`.
 */
#include "../common/bm.h"
#include "devtree.h"
#include "fdt.h"

#define DT_MAX_DEPTH 8
#define DT_MAX_INTC 16
#define CPU_INTC_S_EXT 9 /* a hart's S-mode external interrupt */
#define PLIC_MAX_IRQ 1023
#define PLIC_MAX_SIZE (64ul << 20) /* the PLIC's whole register space */
#define UART_MAX_SHIFT 3
#define MMIO_PAGE 4096
/* The clock conversions (timer.c) assume at most 1 GHz. */
#define TIMEBASE_MAX 1000000000ull

struct prop {
	const uint8_t *val;
	uint32_t len;
};

struct dt_node {
	const char *name;
	unsigned addr_cells, size_cells; /* for the children */
	struct prop reg, compatible, device_type, status, interrupts;
	struct prop intr_ext;
	uint32_t phandle;
	uint32_t reg_shift, ndev, timebase;
};

struct cpu_intc {
	uint32_t phandle;
	unsigned long hartid;
};

struct walk {
	struct dt_info *dt;
	struct dt_node stack[DT_MAX_DEPTH];
	int depth;
	struct cpu_intc intc[DT_MAX_INTC];
	unsigned nintc;
	struct prop plic_intr_ext;
	uint64_t timebase;
	unsigned long harts[HAL_MAX_CPUS];
	unsigned nharts;
};

/* Does node name (up to '@') equal want? */
static bool name_is(const char *name, const char *want)
{
	while (*want && *name == *want) {
		name++;
		want++;
	}
	return *want == 0 && (*name == 0 || *name == '@');
}

static bool status_ok(const struct dt_node *n)
{
	return !n->status.val || fdt_str_is(n->status.val, n->status.len,
					    "okay") ||
	       fdt_str_is(n->status.val, n->status.len, "ok");
}

static bool compatible(const struct dt_node *n, const char *c)
{
	return n->compatible.val &&
	       fdt_strlist_has(n->compatible.val, n->compatible.len, c);
}

/* Reads the idx-th (address, size) pair of n's reg with the parent's
 * cells; size is 0 when the parent has #size-cells = 0. */
static bool reg_pair(const struct dt_node *n, const struct dt_node *parent,
		     unsigned idx, uint64_t *addr, uint64_t *size)
{
	uint32_t stride = (parent->addr_cells + parent->size_cells) * 4;
	uint32_t pos;

	*size = 0;
	if (!n->reg.val || stride == 0 ||
	    (uint64_t)idx * stride >= n->reg.len)
		return false;
	pos = idx * stride;
	if (!fdt_read_cells(n->reg.val, n->reg.len, &pos, parent->addr_cells,
			    addr))
		return false;
	return parent->size_cells == 0 ||
	       fdt_read_cells(n->reg.val, n->reg.len, &pos,
			      parent->size_cells, size);
}

static void add_ranges(struct dt_range *list, unsigned *count,
		       const struct dt_node *n, const struct dt_node *parent)
{
	uint64_t addr, size;
	unsigned i;

	for (i = 0; reg_pair(n, parent, i, &addr, &size); i++) {
		if (size == 0 || addr + size < addr)
			continue;
		if (*count == DT_MAX_RANGES) {
			bm_printf("riscv64: too many memory ranges in DT\n");
			return;
		}
		list[*count].base = addr;
		list[*count].size = size;
		(*count)++;
	}
}

static bool first_reg(const struct dt_node *n, const struct dt_node *parent,
		      struct rv_mmio *out)
{
	uint64_t addr, size;

	if (!reg_pair(n, parent, 0, &addr, &size) || size == 0)
		return false;
	out->base = addr;
	out->size = size;
	return true;
}

static uint32_t first_cell(const struct prop *p)
{
	return p->val && p->len >= 4 ? fdt_be32(p->val) : 0;
}

static void device_node(struct walk *w, const struct dt_node *n,
			const struct dt_node *parent)
{
	struct rv_machine *m = &rv_machine;

	if (!status_ok(n))
		return;
	if ((compatible(n, "ns16550a") || compatible(n, "ns16550")) &&
	    m->uart.size == 0 && n->reg_shift <= UART_MAX_SHIFT &&
	    first_reg(n, parent, &m->uart)) {
		m->uart.size = MMIO_PAGE; /* 8 registers << shift */
		m->uart_irq = first_cell(&n->interrupts);
		if (m->uart_irq > PLIC_MAX_IRQ)
			m->uart_irq = 0; /* no input interrupt */
		m->uart_shift = n->reg_shift;
	} else if ((compatible(n, "riscv,plic0") ||
		    compatible(n, "sifive,plic-1.0.0")) &&
		   m->plic.size == 0 && first_reg(n, parent, &m->plic)) {
		if (m->plic.size > PLIC_MAX_SIZE)
			m->plic.size = PLIC_MAX_SIZE;
		m->plic_ndev = n->ndev > PLIC_MAX_IRQ ? PLIC_MAX_IRQ : n->ndev;
		w->plic_intr_ext = n->intr_ext;
	} else if (compatible(n, "sifive,test0") && m->finisher.size == 0 &&
		   first_reg(n, parent, &m->finisher)) {
		m->finisher.size = MMIO_PAGE;
	} else if (compatible(n, "google,goldfish-rtc") && m->rtc.size == 0 &&
		   first_reg(n, parent, &m->rtc)) {
		m->rtc.size = MMIO_PAGE;
	}
}

/* A node ends: interpret it with its ancestors' properties. */
static void end_node(struct walk *w)
{
	int d = w->depth;
	const struct dt_node *n = &w->stack[d];
	const struct dt_node *parent = d > 0 ? &w->stack[d - 1] : NULL;
	uint64_t hartid, unused;

	if (!parent)
		return;
	if (d == 1 && n->device_type.val &&
	    fdt_str_is(n->device_type.val, n->device_type.len, "memory"))
		add_ranges(w->dt->ram, &w->dt->nram, n, parent);
	if (d == 2 && name_is(parent->name, "reserved-memory"))
		add_ranges(w->dt->reserved, &w->dt->nreserved, n, parent);
	if (n->timebase && (name_is(n->name, "cpus") || d == 2))
		w->timebase = n->timebase;
	if (d == 2 && name_is(parent->name, "cpus") && n->device_type.val &&
	    fdt_str_is(n->device_type.val, n->device_type.len, "cpu") &&
	    status_ok(n) && reg_pair(n, parent, 0, &hartid, &unused)) {
		if (w->nharts < HAL_MAX_CPUS)
			w->harts[w->nharts++] = hartid;
	}
	if (d == 3 && compatible(n, "riscv,cpu-intc") && n->phandle &&
	    w->nintc < DT_MAX_INTC &&
	    reg_pair(parent, &w->stack[1], 0, &hartid, &unused)) {
		w->intc[w->nintc].phandle = n->phandle;
		w->intc[w->nintc].hartid = hartid;
		w->nintc++;
	}
	device_node(w, n, parent);
}

static uint64_t prop_number(const struct fdt_token *t)
{
	uint32_t pos = 0;
	uint64_t v = 0;

	fdt_read_cells(t->value, t->len, &pos, t->len == 8 ? 2 : 1, &v);
	return v;
}

static void chosen_prop(struct walk *w, const struct fdt_token *t)
{
	if (name_is(t->name, "bootargs") && t->len > 0 &&
	    t->value[t->len - 1] == 0)
		w->dt->bootargs = (const char *)t->value;
	else if (name_is(t->name, "linux,initrd-start"))
		w->dt->initrd_start = prop_number(t);
	else if (name_is(t->name, "linux,initrd-end"))
		w->dt->initrd_end = prop_number(t);
}

static void node_prop(struct walk *w, const struct fdt_token *t)
{
	struct dt_node *n = &w->stack[w->depth];
	struct prop p = { t->value, t->len };

	if (w->depth == 1 && name_is(n->name, "chosen"))
		chosen_prop(w, t);
	if (name_is(t->name, "#address-cells"))
		n->addr_cells = (unsigned)prop_number(t);
	else if (name_is(t->name, "#size-cells"))
		n->size_cells = (unsigned)prop_number(t);
	else if (name_is(t->name, "reg"))
		n->reg = p;
	else if (name_is(t->name, "compatible"))
		n->compatible = p;
	else if (name_is(t->name, "device_type"))
		n->device_type = p;
	else if (name_is(t->name, "status"))
		n->status = p;
	else if (name_is(t->name, "interrupts"))
		n->interrupts = p;
	else if (name_is(t->name, "interrupts-extended"))
		n->intr_ext = p;
	else if (name_is(t->name, "phandle") ||
		 (name_is(t->name, "linux,phandle") && !n->phandle))
		n->phandle = (uint32_t)prop_number(t);
	else if (name_is(t->name, "reg-shift"))
		n->reg_shift = (uint32_t)prop_number(t);
	else if (name_is(t->name, "riscv,ndev"))
		n->ndev = (uint32_t)prop_number(t);
	else if (name_is(t->name, "timebase-frequency"))
		n->timebase = (uint32_t)prop_number(t);
}

/* Walks every token; nodes deeper than DT_MAX_DEPTH are skipped whole.
 * Returns false on a malformed blob. */
static bool walk_tree(const struct fdt *fdt, struct walk *w)
{
	struct fdt_iter it;
	struct fdt_token t;
	int skip = 0; /* depth inside a skipped subtree */

	w->depth = -1;
	fdt_iter_start(&it, fdt);
	for (;;) {
		switch (fdt_next(&it, &t)) {
		case FDT_TOK_BEGIN:
			if (skip || w->depth + 1 >= DT_MAX_DEPTH) {
				skip++;
				break;
			}
			w->depth++;
			memset(&w->stack[w->depth], 0, sizeof(w->stack[0]));
			w->stack[w->depth].name = t.name;
			w->stack[w->depth].addr_cells = 2;
			w->stack[w->depth].size_cells = 1;
			break;
		case FDT_TOK_PROP:
			if (!skip)
				node_prop(w, &t);
			break;
		case FDT_TOK_END:
			if (skip) {
				skip--;
				break;
			}
			end_node(w);
			w->depth--;
			break;
		case FDT_TOK_DONE:
			return true;
		case FDT_TOK_ERROR:
			return false;
		}
	}
}

/* PLIC context of each hart's S-mode external interrupt: the index of the
 * (intc phandle, 9) pair in the PLIC's interrupts-extended. */
static void plic_contexts(struct walk *w)
{
	struct rv_machine *m = &rv_machine;
	const struct prop *ie = &w->plic_intr_ext;
	uint32_t ctx, i, j, cpu;

	for (cpu = 0; cpu < m->nharts; cpu++)
		m->plic_ctx[cpu] = 2 * m->harts[cpu] + 1; /* QEMU's layout */
	for (ctx = 0; ie->val && (ctx + 1) * 8 <= ie->len; ctx++) {
		uint32_t ph = fdt_be32(ie->val + ctx * 8);
		uint32_t irq = fdt_be32(ie->val + ctx * 8 + 4);

		if (irq != CPU_INTC_S_EXT)
			continue;
		for (i = 0; i < w->nintc; i++) {
			if (w->intc[i].phandle != ph)
				continue;
			for (j = 0; j < m->nharts; j++) {
				if (m->harts[j] == w->intc[i].hartid)
					m->plic_ctx[j] = ctx;
			}
		}
	}
}

/* Harts in DT order, the boot hart moved to the front (it is CPU 0). */
static void order_harts(struct walk *w, unsigned long boot_hart)
{
	struct rv_machine *m = &rv_machine;
	unsigned i;

	m->harts[0] = boot_hart;
	m->nharts = 1;
	for (i = 0; i < w->nharts; i++) {
		if (w->harts[i] != boot_hart && m->nharts < HAL_MAX_CPUS)
			m->harts[m->nharts++] = w->harts[i];
	}
}

/* Is [initrd_start, initrd_end) non-empty and inside one RAM range? */
static bool initrd_in_ram(const struct dt_info *dt)
{
	unsigned i;

	if (dt->initrd_end <= dt->initrd_start)
		return false;
	for (i = 0; i < dt->nram; i++) {
		const struct dt_range *r = &dt->ram[i];

		if (dt->initrd_start >= r->base &&
		    dt->initrd_end <= r->base + r->size)
			return true;
	}
	return false;
}

bool rv_devtree_parse(const void *blob, size_t avail,
		      unsigned long boot_hart, struct dt_info *dt)
{
	static struct walk w; /* too big for the boot stack's comfort */
	struct fdt fdt;
	uint64_t addr, size;
	unsigned i;

	memset(dt, 0, sizeof(*dt));
	memset(&w, 0, sizeof(w));
	memset(&rv_machine, 0, sizeof(rv_machine));
	w.dt = dt;
	if (!fdt_init(&fdt, blob, avail) || !walk_tree(&fdt, &w)) {
		bm_printf("riscv64: malformed device tree\n");
		return false;
	}
	for (i = 0; i < 64 && fdt_rsv_entry(&fdt, i, &addr, &size); i++) {
		if (dt->nreserved < DT_MAX_RANGES && size) {
			dt->reserved[dt->nreserved].base = addr;
			dt->reserved[dt->nreserved].size = size;
			dt->nreserved++;
		}
	}
	order_harts(&w, boot_hart);
	plic_contexts(&w);
	rv_machine.timebase_hz = w.timebase;
	if (dt->nram == 0 || w.timebase == 0 || w.timebase > TIMEBASE_MAX) {
		bm_printf("riscv64: device tree lacks %s\n",
			  dt->nram ? "a usable timebase-frequency" : "memory");
		return false;
	}
	if (dt->initrd_end && !initrd_in_ram(dt)) {
		bm_printf("riscv64: ignoring an initrd outside RAM\n");
		dt->initrd_start = dt->initrd_end = 0;
	}
	return true;
}
