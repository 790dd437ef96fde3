/*
 * Unit tests of tmpfs file mappings (services/fs/tmpfs/tmpfs_mmap.c): the
 * memory object a file's mmap gives serves the file's own pages, so a
 * shared mapping and the file's read/write see each other's bytes, a
 * private one copies on write, a page wholly past the end faults with
 * -ENXIO, directories cannot be mapped, and the object keeps the data
 * alive after the file's last name and descriptor are gone; two mmaps of
 * a file share one object (and so shared futex keys). Each test
 * ends with frames_free back at its baseline.
 */
#include "unit.h"

#include <string.h>

#include "../../hal/hosted/hosted.h"
#include "mm_fixtures.h"
#include "mm/mm.h"

#include <keel/errno.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <keel/vm_object.h>
#include <svc/fs.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>

#define PG PAGE_SIZE
#define BASE 0x400000ul
#define RW (VM_READ | VM_WRITE)
#define FILE_LEN (PG + 100) /* two pages, the second partly */

/* Boots memory and the file systems (once: later calls change nothing),
 * then returns the free frames to come back to. */
static size_t boot(void)
{
	unit_boot_mm();
	ck_assert_int_eq(vfs_boot(), 0);
	return frames_free();
}

static struct file *make_file(const char *name)
{
	static char data[FILE_LEN];
	struct path root;
	struct file *f;
	uint64_t pos = 0;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	vfs_lock();
	root = vfs_root();
	vfs_unlock();
	ck_assert_int_eq(vfs_open(&root, name, O_RDWR | O_CREAT | O_TRUNC,
				  0644, &VFS_ROOT_CRED, &f),
			 0);
	vfs_lock();
	ck_assert_int_eq(f->fops->kwrite(f, data, sizeof(data), &pos),
			 (ssize_t)sizeof(data));
	vfs_unlock();
	return f;
}

static void close_and_unlink(struct file *f, const char *name)
{
	struct path root;

	vfs_lock();
	vfs_file_put(f);
	root = vfs_root();
	vfs_unlock();
	ck_assert_int_eq(vfs_unlink(&root, name, false, &VFS_ROOT_CRED), 0);
}

static char file_byte(struct file *f, uint64_t at)
{
	char c = 0;

	vfs_lock();
	ck_assert_int_eq(f->fops->kread(f, &c, 1, &at), 1);
	vfs_unlock();
	return c;
}

START_TEST(shared_mapping_is_the_file)
{
	size_t before = boot();
	struct file *f = make_file("shared");
	struct vm_space *vs = vm_space_create();
	struct vm_object *obj;
	uint64_t pos = 5;
	char got[4];

	ck_assert_ptr_nonnull(vs);
	ck_assert_int_eq(f->fops->mmap(f, &obj), 0);
	ck_assert_int_eq(vm_map_object(vs, BASE, 3 * PG, obj, 0, RW,
				       VM_MAP_SHARED),
			 0);
	vm_object_put(obj); /* the mapping holds its own */
	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_WRITE), 0);
	ck_assert_int_eq(vm_read(vs, BASE + 1, got, 3), 0);
	ck_assert_int_eq(memcmp(got, "bcd", 3), 0);
	ck_assert_int_eq(vm_write(vs, BASE + 2, "XY", 2), 0);
	ck_assert_int_eq(file_byte(f, 3), 'Y');
	vfs_lock();
	ck_assert_int_eq(f->fops->kwrite(f, "Z", 1, &pos), 1);
	vfs_unlock();
	ck_assert_int_eq(vm_read(vs, BASE + 5, got, 1), 0);
	ck_assert_int_eq(got[0], 'Z');
	/* The tail of the last page is there (zeros); the page after it is
	 * wholly past the end. */
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + PG, USER_ACCESS_READ), 0);
	ck_assert_int_eq(vm_read(vs, BASE + PG + 100, got, 1), 0);
	ck_assert_int_eq(got[0], 0);
	ck_assert_int_eq(vm_handle_fault(vs, BASE + 2 * PG, USER_ACCESS_READ),
			 -ENXIO);
	/* The mapping keeps the data after the name and file are gone. */
	close_and_unlink(f, "shared");
	ck_assert_int_eq(vm_read(vs, BASE + 2, got, 2), 0);
	ck_assert_int_eq(memcmp(got, "XY", 2), 0);
	vm_space_put(vs);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(private_mapping_copies_on_write)
{
	size_t before = boot();
	struct file *f = make_file("private");
	struct vm_space *vs = vm_space_create();
	struct vm_object *obj;
	char got[2];

	ck_assert_ptr_nonnull(vs);
	ck_assert_int_eq(f->fops->mmap(f, &obj), 0);
	ck_assert_int_eq(vm_map_object(vs, BASE, 2 * PG, obj, PG, RW, 0), 0);
	vm_object_put(obj);
	/* From byte PG on: the second page of the file. */
	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_WRITE), 0);
	ck_assert_int_eq(vm_read(vs, BASE, got, 1), 0);
	ck_assert_int_eq(got[0], (char)('a' + PG % 26));
	ck_assert_int_eq(vm_write(vs, BASE, "!", 1), 0);
	ck_assert_int_eq(file_byte(f, PG), (char)('a' + PG % 26));
	ck_assert_int_eq(vm_handle_fault(vs, BASE + PG, USER_ACCESS_READ),
			 -ENXIO);
	close_and_unlink(f, "private");
	vm_space_put(vs);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

/* Two mmaps of one file share its object, so shared futex keys agree
 * across spaces and addresses (private ones do not); once the last
 * mapping is gone the file gets a fresh object. */
START_TEST(one_object_per_file_and_its_futex_keys)
{
	size_t before = boot();
	struct file *f = make_file("one");
	struct vm_space *a = vm_space_create(), *b = vm_space_create();
	struct vm_object *oa, *ob, *oc;
	struct vm_futex_key ka, kb;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(f->fops->mmap(f, &oa), 0);
	ck_assert_int_eq(f->fops->mmap(f, &ob), 0);
	ck_assert_ptr_eq(oa, ob);
	ck_assert_int_eq(vm_map_object(a, BASE, 2 * PG, oa, 0, RW,
				       VM_MAP_SHARED),
			 0);
	ck_assert_int_eq(vm_map_object(b, BASE + 8 * PG, 2 * PG, ob, 0, RW,
				       VM_MAP_SHARED),
			 0);
	vm_object_put(oa);
	vm_object_put(ob);
	ck_assert_int_eq(vm_futex_key(a, BASE + PG + 8, true, &ka), 0);
	ck_assert_int_eq(vm_futex_key(b, BASE + 9 * PG + 8, true, &kb), 0);
	ck_assert(vm_futex_key_equal(&ka, &kb));
	ck_assert_int_eq(vm_futex_key(b, BASE + 9 * PG + 12, true, &kb), 0);
	ck_assert(!vm_futex_key_equal(&ka, &kb));
	ck_assert_int_eq(vm_futex_key(a, BASE + PG + 8, false, &ka), 0);
	ck_assert_int_eq(vm_futex_key(b, BASE + 9 * PG + 8, false, &kb), 0);
	ck_assert(!vm_futex_key_equal(&ka, &kb));
	vm_space_put(a);
	ck_assert_int_eq(f->fops->mmap(f, &oc), 0);
	ck_assert_ptr_eq(oc, ob); /* b still maps it */
	vm_object_put(oc);
	vm_space_put(b);
	/* no mapping left: the object went, a new mmap makes another */
	ck_assert_int_eq(f->fops->mmap(f, &oc), 0);
	vm_object_put(oc);
	close_and_unlink(f, "one");
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(directories_cannot_be_mapped)
{
	struct path root;
	struct file *d;
	struct vm_object *obj;

	boot();
	vfs_lock();
	root = vfs_root();
	vfs_unlock();
	ck_assert_int_eq(vfs_open(&root, "/", O_RDONLY | O_DIRECTORY, 0,
				  &VFS_ROOT_CRED, &d),
			 0);
	ck_assert_ptr_nonnull(d->fops->mmap);
	ck_assert_int_eq(d->fops->mmap(d, &obj), -ENODEV);
	vfs_lock();
	vfs_file_put(d);
	vfs_unlock();
}
END_TEST

static Suite *test_tmpfs_mmap_suite(void)
{
	Suite *s = suite_create("tmpfs_mmap");
	TCase *tc = tcase_create("mmap");

	tcase_add_test(tc, shared_mapping_is_the_file);
	tcase_add_test(tc, private_mapping_copies_on_write);
	tcase_add_test(tc, one_object_per_file_and_its_futex_keys);
	tcase_add_test(tc, directories_cannot_be_mapped);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(test_tmpfs_mmap_suite);
