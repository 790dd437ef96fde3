/*
 * Unit tests of the cpio newc reader (services/initrd/cpio.c): lookups
 * with and without leading "/" or "./", last-wins duplicates, iteration
 * past the trailer, and hostile archives: every truncation, bad magic,
 * non-hex digits, sizes past the end, names without their NUL, huge name
 * sizes, a missing trailer, wrong 070702 checksums. Archives live in
 * exactly-sized heap buffers, so Valgrind flags any read past the end.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/errno.h>
#include <svc/cpio.h>

#define ARCHIVE_MAX 8192
#define FILE_MODE 0100755u
#define DIR_MODE 0040755u

struct archive {
	unsigned char bytes[ARCHIVE_MAX];
	size_t len;
	size_t entry_off[8]; /* where each entry's header starts */
	size_t data_off[8];  /* where each entry's data starts */
	unsigned entries;
};

/* An archive with no entries yet. */
static void archive_clear(struct archive *a)
{
	a->len = 0;
	a->entries = 0;
}

static void pad4(struct archive *a)
{
	while (a->len % 4)
		a->bytes[a->len++] = 0;
}

/* Appends an entry; magic is "070701" or "070702" (checksum computed). */
static void add_entry_magic(struct archive *a, const char *magic,
			    const char *name, const void *data, size_t size,
			    unsigned mode)
{
	unsigned check = 0;
	char hdr[CPIO_HEADER_SIZE + 1];

	for (size_t i = 0; i < size; i++)
		check += ((const unsigned char *)data)[i];
	if (strcmp(magic, "070701") == 0)
		check = 0;
	snprintf(hdr, sizeof(hdr),
		 "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 magic, 1u, mode, 0u, 0u, 1u, 0u, (unsigned)size, 0u, 0u, 0u,
		 0u, (unsigned)strlen(name) + 1, check);
	ck_assert_uint_lt(a->len + CPIO_HEADER_SIZE + strlen(name) + size + 8,
			  ARCHIVE_MAX);
	ck_assert_uint_lt(a->entries, 8);
	a->entry_off[a->entries] = a->len;
	memcpy(a->bytes + a->len, hdr, CPIO_HEADER_SIZE);
	a->len += CPIO_HEADER_SIZE;
	memcpy(a->bytes + a->len, name, strlen(name) + 1);
	a->len += strlen(name) + 1;
	pad4(a);
	a->data_off[a->entries++] = a->len;
	memcpy(a->bytes + a->len, data, size);
	a->len += size;
	pad4(a);
}

static void add_entry(struct archive *a, const char *name, const void *data,
		      size_t size, unsigned mode)
{
	add_entry_magic(a, "070701", name, data, size, mode);
}

static void add_trailer(struct archive *a)
{
	add_entry(a, "TRAILER!!!", "", 0, 0);
}

/* The sample archive: a directory, two files, a trailer. */
static void make_sample(struct archive *a)
{
	archive_clear(a);
	add_entry(a, ".", "", 0, DIR_MODE);
	add_entry(a, "hello", "HELLO", 5, FILE_MODE);
	add_entry(a, "./bin/tool", "tool bytes", 10, FILE_MODE);
	add_trailer(a);
}

/* A heap copy of exactly len bytes (Valgrind sees overruns). */
static void *exact_copy(const void *bytes, size_t len)
{
	void *p = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, bytes, len);
	return p;
}

static int find_in(const struct archive *a, size_t len, const char *path,
		   struct cpio_entry *e)
{
	void *copy = exact_copy(a->bytes, len);
	int err = cpio_find(copy, len, path, e);

	free(copy);
	return err;
}

/* Header fields by number, after the 6-byte magic (newc format). */
#define FIELD_MODE 1
#define FIELD_FILESIZE 6
#define FIELD_NAMESIZE 11
#define FIELD_COUNT 13

/* Offset of the header field number n (0 = ino) of the entry at off. */
static size_t field_at(size_t entry_off, int n)
{
	return entry_off + 6 + (size_t)n * 8;
}

/* Overwrites field n of the entry at entry_off with 8 hex digits. */
static void set_field(struct archive *a, size_t entry_off, int n,
		      const char *hex8)
{
	memcpy(a->bytes + field_at(entry_off, n), hex8, 8);
}

START_TEST(finds_files_by_path)
{
	static struct archive a;
	struct cpio_entry e;
	void *copy;

	make_sample(&a);
	copy = exact_copy(a.bytes, a.len);
	ck_assert_int_eq(cpio_find(copy, a.len, "/hello", &e), 0);
	ck_assert_uint_eq(e.size, 5);
	ck_assert_int_eq(memcmp(e.data, "HELLO", 5), 0);
	ck_assert_uint_eq(e.mode, FILE_MODE);
	ck_assert_str_eq(e.name, "hello");
	ck_assert_int_eq(cpio_find(copy, a.len, "hello", &e), 0);
	ck_assert_int_eq(cpio_find(copy, a.len, "/bin/tool", &e), 0);
	ck_assert_int_eq(memcmp(e.data, "tool bytes", 10), 0);
	ck_assert_int_eq(cpio_find(copy, a.len, "bin/tool", &e), 0);
	ck_assert_int_eq(cpio_find(copy, a.len, "/nope", &e), -ENOENT);
	ck_assert_int_eq(cpio_find(copy, a.len, "/hell", &e), -ENOENT);
	ck_assert_int_eq(cpio_find(copy, a.len, "/hello/", &e), -ENOENT);
	ck_assert_int_eq(cpio_find(copy, a.len, "/bin", &e), -ENOENT);
	/* "." is the root directory. */
	ck_assert_int_eq(cpio_find(copy, a.len, "/", &e), 0);
	ck_assert_uint_eq(e.mode & CPIO_MODE_TYPE, CPIO_MODE_DIR);
	free(copy);
}
END_TEST

START_TEST(data_is_four_byte_aligned)
{
	static struct archive a;
	struct cpio_entry e;

	archive_clear(&a);
	add_entry(&a, "ab", "x", 1, FILE_MODE);    /* name ends unaligned */
	add_entry(&a, "abcd", "yz", 2, FILE_MODE); /* data ends unaligned */
	add_entry(&a, "c", "w", 1, FILE_MODE);
	add_trailer(&a);
	ck_assert_int_eq(cpio_find(a.bytes, a.len, "abcd", &e), 0);
	ck_assert_uint_eq((size_t)(e.data - a.bytes) % 4, 0);
	ck_assert_int_eq(memcmp(e.data, "yz", 2), 0);
	ck_assert_int_eq(cpio_find(a.bytes, a.len, "c", &e), 0);
	ck_assert_int_eq(e.data[0], 'w');
}
END_TEST

START_TEST(last_duplicate_wins)
{
	static struct archive a;
	struct cpio_entry e;

	archive_clear(&a);
	add_entry(&a, "f", "old", 3, FILE_MODE);
	add_entry(&a, "./f", "newer", 5, FILE_MODE);
	add_trailer(&a);
	ck_assert_int_eq(cpio_find(a.bytes, a.len, "/f", &e), 0);
	ck_assert_uint_eq(e.size, 5);
	ck_assert_int_eq(memcmp(e.data, "newer", 5), 0);
}
END_TEST

START_TEST(iteration_stops_at_the_trailer)
{
	static struct archive a;
	struct cpio_entry e;
	struct cpio_iter it;
	int n = 0;

	make_sample(&a);
	/* Junk after the trailer (block padding) is never read. */
	memset(a.bytes + a.len, 'J', 512);
	cpio_iter_init(&it, a.bytes, a.len + 512);
	while (cpio_next(&it, &e) == 0)
		n++;
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(cpio_next(&it, &e), -ENOENT);
	ck_assert_int_eq(cpio_next(&it, &e), -ENOENT);
}
END_TEST

START_TEST(every_truncation_is_rejected)
{
	static struct archive a;
	struct cpio_entry e;

	make_sample(&a);
	ck_assert_uint_eq(a.entries, 4); /* ".", hello, tool, trailer */
	ck_assert_int_eq(find_in(&a, a.len, "hello", &e), 0);
	for (size_t len = 0; len < a.len; len++)
		ck_assert_msg(find_in(&a, len, "hello", &e) == -EINVAL,
			      "prefix of %zu bytes accepted", len);
	ck_assert_int_eq(cpio_find(NULL, 0, "hello", &e), -EINVAL);
}
END_TEST

START_TEST(missing_trailer_is_rejected)
{
	static struct archive a;
	struct cpio_entry e;

	archive_clear(&a);
	add_entry(&a, "hello", "HELLO", 5, FILE_MODE);
	ck_assert_int_eq(find_in(&a, a.len, "hello", &e), -EINVAL);
	ck_assert_int_eq(find_in(&a, a.len, "nope", &e), -EINVAL);
}
END_TEST

START_TEST(bad_magic_is_rejected)
{
	static const char *const magics[] = { "070707", "070700", "171701",
					      "07070 ", "\0\0\0\0\0\0" };
	static struct archive a;
	struct cpio_entry e;

	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		make_sample(&a);
		memcpy(a.bytes, magics[i], 6);
		ck_assert_int_eq(find_in(&a, a.len, "hello", &e), -EINVAL);
	}
	/* In a later header too: the trailer's. */
	make_sample(&a);
	a.bytes[a.entry_off[3] + 5] = '9';
	ck_assert_int_eq(find_in(&a, a.len, "hello", &e), -EINVAL);
}
END_TEST

START_TEST(non_hex_digits_are_rejected)
{
	static const char bad[] = { 'g', 'G', ' ', '-', 'x', '\0', 0x80 };
	static struct archive a;
	struct cpio_entry e;

	for (int field = 0; field < FIELD_COUNT; field++) {
		for (size_t i = 0; i < sizeof(bad); i++) {
			make_sample(&a);
			a.bytes[field_at(0, field) + 3] = (unsigned char)bad[i];
			ck_assert_msg(find_in(&a, a.len, "hello", &e) ==
					      -EINVAL,
				      "field %d with %#x accepted", field,
				      bad[i]);
		}
	}
	/* Lower-case hex is fine. */
	make_sample(&a);
	set_field(&a, 0, FIELD_MODE, "000041ed");
	ck_assert_int_eq(find_in(&a, a.len, "hello", &e), 0);
}
END_TEST

START_TEST(file_size_past_the_end_is_rejected)
{
	static struct archive a;
	struct cpio_entry e;

	make_sample(&a);
	set_field(&a, a.entry_off[1], FIELD_FILESIZE, "FFFFFFFF");
	ck_assert_int_eq(find_in(&a, a.len, "hello", &e), -EINVAL);
	/* Just one byte too many for the last file before the trailer. */
	archive_clear(&a);
	add_entry(&a, "x", "12345678", 8, FILE_MODE);
	set_field(&a, 0, FIELD_FILESIZE, "00000009");
	ck_assert_int_eq(find_in(&a, a.len, "x", &e), -EINVAL);
}
END_TEST

START_TEST(bad_name_sizes_are_rejected)
{
	static const char *const sizes[] = { "FFFFFFFF", "00001001", "00000000",
					     "00000001", "00000005",
					     "00000007" };
	static struct archive a;
	struct cpio_entry e;
	size_t hello_off;

	/* "hello" has namesize 6: 5 drops the NUL, 7 goes past it. */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		make_sample(&a);
		hello_off = a.entry_off[1];
		ck_assert_int_eq(memcmp(a.bytes + field_at(hello_off,
							   FIELD_NAMESIZE),
					"00000006", 8), 0);
		set_field(&a, hello_off, FIELD_NAMESIZE, sizes[i]);
		ck_assert_msg(find_in(&a, a.len, "hello", &e) == -EINVAL,
			      "namesize %s accepted", sizes[i]);
	}
	/* A NUL inside the name. */
	make_sample(&a);
	a.bytes[a.entry_off[1] + CPIO_HEADER_SIZE + 2] = '\0';
	ck_assert_int_eq(find_in(&a, a.len, "he", &e), -EINVAL);
}
END_TEST

START_TEST(crc_variant_checks_its_sum)
{
	static struct archive a;
	struct cpio_entry e;

	archive_clear(&a);
	add_entry_magic(&a, "070702", "f", "checked", 7, FILE_MODE);
	add_trailer(&a);
	ck_assert_int_eq(find_in(&a, a.len, "f", &e), 0);
	ck_assert_int_eq(cpio_find(a.bytes, a.len, "f", &e), 0);
	ck_assert_int_eq(memcmp(e.data, "checked", 7), 0);
	/* Flip a data byte: the sum no longer matches. */
	a.bytes[a.data_off[0] + 3] ^= 1;
	ck_assert_int_eq(find_in(&a, a.len, "f", &e), -EINVAL);
}
END_TEST

static Suite *cpio_suite(void)
{
	Suite *s = suite_create("cpio");
	TCase *tc = tcase_create("newc");

	tcase_add_test(tc, finds_files_by_path);
	tcase_add_test(tc, data_is_four_byte_aligned);
	tcase_add_test(tc, last_duplicate_wins);
	tcase_add_test(tc, iteration_stops_at_the_trailer);
	tcase_add_test(tc, every_truncation_is_rejected);
	tcase_add_test(tc, missing_trailer_is_rejected);
	tcase_add_test(tc, bad_magic_is_rejected);
	tcase_add_test(tc, non_hex_digits_are_rejected);
	tcase_add_test(tc, file_size_past_the_end_is_rejected);
	tcase_add_test(tc, bad_name_sizes_are_rejected);
	tcase_add_test(tc, crc_variant_checks_its_sum);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(cpio_suite);
