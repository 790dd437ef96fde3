/*
 * The only way to touch user memory. These work on the current task's
 * address space by walking its page tables (never by dereferencing the
 * user address), honour page protection as user code would, and fault
 * pages in through the address space's fault handler. Any address that is
 * not mapped, not user, or not accessible gives -EFAULT: never a crash.
 */
#ifndef KEEL_UACCESS_H
#define KEEL_UACCESS_H

#include <keel/types.h>

int copy_from_user(void *dst, uptr_t src, size_t len);
int copy_to_user(uptr_t dst, const void *src, size_t len);
int clear_user(uptr_t dst, size_t len);

/*
 * Copies a NUL-terminated string of at most max-1 characters into dst
 * (max bytes). Returns its length, -ENAMETOOLONG if no NUL was found within
 * max bytes, or -EFAULT.
 */
ssize_t strncpy_from_user(char *dst, uptr_t src, size_t max);

#endif
