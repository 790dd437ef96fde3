/*
 * A file exec loads from (the program, its dynamic linker): the open file
 * (held until the image is built), the first bytes the ELF checks read,
 * and the elf_source through which the loader maps or copies the rest.
 */
#ifndef SERVICES_PROC_EXEC_FILE_H
#define SERVICES_PROC_EXEC_FILE_H

#include <svc/elf.h>

struct file;

struct exec_file {
	struct file *f;   /* a reference, or NULL */
	void *head;       /* the first head_len bytes of the file */
	size_t head_len;  /* MIN(size, ELF_HEAD_MAX) */
	uint64_t size;    /* the file's size when it was opened */
	struct elf_source src;
};

/* Makes ef hold f (its reference passes to ef) and read its head. 0,
 * -ENOMEM or the read's errno; ef holds f either way (exec_file_drop). */
int exec_file_open(struct exec_file *ef, struct file *f);

/* Sets ef->src for elf_load: the file's memory object when its type can
 * be mapped (else the loader copies), reads through kread. */
void exec_file_source(struct exec_file *ef);

/* Drops what ef holds (nothing for a zeroed one). Takes vfs_lock. */
void exec_file_drop(struct exec_file *ef);

#endif
