/*
 * The minimal UBSan runtime of the kernel: the handlers GCC calls from
 * code compiled with -fsanitize=bounds-strict and the other checks of
 * KERNEL_UBSAN_CHECKS (services and the core, on every backend but the
 * hosted ASan + UBSan build, which links GCC's runtime instead; see
 * docs/hardening.md). An index outside
 * an array whose bound the compiler knows (a trailing array member too:
 * that is issue 12's init_cmdline.words) is a kernel panic that names the
 * source file, line and column the compiler recorded, the index and the
 * array type; the backtrace under the panic line names the function (its
 * first frame below this handler).
 *
 * These are compiler ABI, not core API: the layouts below are the ones
 * GCC and Clang pass (Linux's lib/ubsan.h has the same), and the names
 * are kept global in core.o by the Makefile (KERNEL_HARDEN_EXPORTS)
 * because every instrumented object calls them. The handlers are not
 * instrumented themselves, and never return: a write out of bounds has
 * already happened or is about to, and carrying on would corrupt the
 * kernel heap silently, which is what issue 12 was about.
 */
#include <keel/log.h>
#include <keel/types.h>

#define NO_SANITIZE __attribute__((no_sanitize("undefined")))

struct ubsan_source_location {
	const char *file;
	uint32_t line;
	uint32_t column;
};

/* type_kind 0 is an integer; type_info bit 0 says signed, the rest is
 * log2 of the width in bits. */
struct ubsan_type_descriptor {
	uint16_t type_kind;
	uint16_t type_info;
	char type_name[];
};

struct ubsan_out_of_bounds_data {
	struct ubsan_source_location location;
	const struct ubsan_type_descriptor *array_type;
	const struct ubsan_type_descriptor *index_type;
};

#define UBSAN_KIND_INTEGER 0

void __ubsan_handle_out_of_bounds(const struct ubsan_out_of_bounds_data *d,
				  uintptr_t index);
void __ubsan_handle_out_of_bounds_abort(
	const struct ubsan_out_of_bounds_data *d, uintptr_t index);

/* An integer value handle as text: values up to the width of a pointer
 * are passed inline; wider ones (never an array index here) by address. */
NO_SANITIZE static void format_index(char *buf, size_t size,
				     const struct ubsan_type_descriptor *t,
				     uintptr_t value)
{
	unsigned bits = 1u << (t->type_info >> 1);
	bool is_signed = t->type_info & 1;

	if (t->type_kind != UBSAN_KIND_INTEGER || bits > 64) {
		ksnprintf(buf, size, "(a %s)", t->type_name);
		return;
	}
	if (is_signed && bits < 64 && (value & (1ul << (bits - 1))))
		value |= ~0ul << bits; /* sign-extend */
	if (is_signed)
		ksnprintf(buf, size, "%lld", (long long)value);
	else
		ksnprintf(buf, size, "%llu", (unsigned long long)value);
}

/*
 * Panics for an index out of the bounds of an array (-fsanitize=bounds-strict).
 * The panic line reads "PANIC in an array access (FILE:LINE): index N
 * out of bounds for type 'T' ..." (GCC quotes the type name itself).
 */
NO_SANITIZE noreturn void
__ubsan_handle_out_of_bounds(const struct ubsan_out_of_bounds_data *d,
			     uintptr_t index)
{
	char text[32];

	format_index(text, sizeof(text), d->index_type, index);
	kpanic_at("an array access", d->location.file, (int)d->location.line,
		  "index %s out of bounds for type %s (column %u, called "
		  "from %p: the first frame under the handler below)",
		  text, d->array_type->type_name, d->location.column,
		  __builtin_return_address(0));
}

/* The same for code built with -fno-sanitize-recover. */
NO_SANITIZE noreturn void
__ubsan_handle_out_of_bounds_abort(const struct ubsan_out_of_bounds_data *d,
				   uintptr_t index)
{
	__ubsan_handle_out_of_bounds(d, index);
}

/*
 * The other checks (KERNEL_UBSAN_CHECKS): every handler's data starts
 * with the source location, which is all the panic names besides the
 * kind of check, "PANIC in a shift (FILE:LINE): undefined behaviour
 * (column C, called from P ...)"; the backtrace names the function. The
 * compiler passes the operands after the data; these handlers take the
 * data only (the rest stays in registers unread, which the C calling
 * conventions of both architectures allow).
 */
NO_SANITIZE noreturn static void
undefined(const char *what, const struct ubsan_source_location *l,
	  void *caller)
{
	kpanic_at(what, l->file, (int)l->line,
		  "undefined behaviour (column %u, called from %p: the first "
		  "frame under the handler below)", l->column, caller);
}

#define UBSAN_HANDLER(name, what)                                          \
	void __ubsan_handle_##name(const struct ubsan_source_location *l);  \
	void __ubsan_handle_##name##_abort(                                 \
		const struct ubsan_source_location *l);                     \
	NO_SANITIZE noreturn void __ubsan_handle_##name(                    \
		const struct ubsan_source_location *l)                      \
	{                                                                   \
		undefined(what, l, __builtin_return_address(0));            \
	}                                                                   \
	NO_SANITIZE noreturn void __ubsan_handle_##name##_abort(            \
		const struct ubsan_source_location *l)                      \
	{                                                                   \
		undefined(what, l, __builtin_return_address(0));            \
	}

UBSAN_HANDLER(shift_out_of_bounds, "a shift")
UBSAN_HANDLER(divrem_overflow, "a division")
UBSAN_HANDLER(add_overflow, "a signed addition")
UBSAN_HANDLER(sub_overflow, "a signed subtraction")
UBSAN_HANDLER(mul_overflow, "a signed multiplication")
UBSAN_HANDLER(negate_overflow, "a signed negation")
UBSAN_HANDLER(vla_bound_not_positive, "a variable-length array bound")
UBSAN_HANDLER(load_invalid_value, "a load of a bool or enum")
UBSAN_HANDLER(invalid_builtin, "a builtin's argument")
UBSAN_HANDLER(pointer_overflow, "pointer arithmetic")
UBSAN_HANDLER(nonnull_arg, "a nonnull argument")
UBSAN_HANDLER(nonnull_return_v1, "a returns_nonnull result")

/* __builtin_unreachable reached: there is nothing to carry on with. */
void __ubsan_handle_builtin_unreachable(
	const struct ubsan_source_location *l);
NO_SANITIZE noreturn void
__ubsan_handle_builtin_unreachable(const struct ubsan_source_location *l)
{
	undefined("unreachable code", l, __builtin_return_address(0));
}
