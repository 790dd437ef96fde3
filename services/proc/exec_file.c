/*
 * The files exec loads from (see exec_file.h): the head the checks read
 * (the #! line, the ELF and program headers, PT_INTERP's path) is copied
 * once; everything else is mapped from the file's pages or read when the
 * loader needs it, so a large program costs no kernel copy of itself.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/vm_object.h>
#include <svc/vfs.h>

#include "exec_file.h"

/* elf_source.read: len bytes at off through the file's kread. */
static int read_at(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct file *f = ctx;
	ssize_t n;

	vfs_lock();
	n = f->fops->kread(f, buf, len, &off);
	vfs_unlock();
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EIO;
}

int exec_file_open(struct exec_file *ef, struct file *f)
{
	uint64_t pos = 0;
	ssize_t n;

	ef->f = f;
	vfs_lock();
	ef->size = f->inode->size;
	vfs_unlock();
	if (!f->fops || !f->fops->kread)
		return -EACCES;
	ef->head_len = (size_t)MIN(ef->size, (uint64_t)ELF_HEAD_MAX);
	ef->head = kmalloc(ef->head_len ? ef->head_len : 1);
	if (!ef->head)
		return -ENOMEM;
	vfs_lock();
	n = f->fops->kread(f, ef->head, ef->head_len, &pos);
	vfs_unlock();
	if (n < 0)
		return (int)n;
	ef->head_len = (size_t)n; /* shorter if it shrank meanwhile */
	if (ef->size < ef->head_len)
		ef->size = ef->head_len;
	return 0;
}

void exec_file_source(struct exec_file *ef)
{
	ef->src.obj = NULL;
	if (ef->f->fops->mmap && ef->f->fops->mmap(ef->f, &ef->src.obj))
		ef->src.obj = NULL; /* copied instead */
	ef->src.read = read_at;
	ef->src.ctx = ef->f;
}

void exec_file_drop(struct exec_file *ef)
{
	if (ef->src.obj)
		vm_object_put(ef->src.obj);
	kfree(ef->head);
	if (ef->f) {
		vfs_lock();
		vfs_file_put(ef->f);
		vfs_unlock();
	}
	*ef = (struct exec_file){ 0 };
}
