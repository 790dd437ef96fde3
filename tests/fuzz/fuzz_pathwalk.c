/*
 * libFuzzer harness of the path walk (services/vfs/namei.c) over a tree
 * the input builds: a fresh tmpfs mounted on /w of a tmpfs root for each
 * input, so that walks cross a mount both ways. The input is a script of
 * lines, one operation each, its first byte saying which:
 *   d PATH          mkdir (vfs_mknod S_IFDIR, relative to the tree)
 *   f PATH          a regular file (vfs_mknod S_IFREG)
 *   s PATH\tTARGET  a symlink (vfs_symlink)
 *   l F PATH        vfs_lookup with the LOOKUP_* flags in F's low 7 bits
 *                   (the seeds set its high bit, so that F is not a NUL)
 *   p F PATH        vfs_lookup_parent_flags with the resolve flags of F
 * Relative paths start at the tree's root, absolute ones at /.
 *
 * Checks beyond "no crash": every answer is 0 or an errno the contract
 * (<svc/vfs.h>) names; a lookup that succeeded names a path that
 * vfs_path_name writes and that, walked again from /, reaches the same
 * mount and dentry (the reference walk); a parent lookup gives a
 * directory and a last component of at most NAME_MAX bytes; after every
 * input the tree is unmounted and its memory comes back (a fresh tmpfs
 * can always be made: a leak would exhaust the harness's RAM).
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <keel/errno.h>
#include <svc/fs.h>
#include <svc/vfs.h>

#define MAX_OPS 64

static struct path ns_root, tree_at; /* "/" and "/w" (the mount point) */
static char name_buf[VFS_PATH_MAX];

/* The namespace once: a tmpfs at / with a directory w. */
static void boot_vfs(void)
{
	struct dentry *root;

	if (ns_root.dentry)
		return;
	fuzz_boot_mm();
	root = tmpfs_new();
	FUZZ_CHECK(root != NULL);
	FUZZ_CHECK(vfs_mount(root, NULL) == 0);
	vfs_dentry_put(root);
	ns_root = vfs_root();
	FUZZ_CHECK(vfs_make_node(ns_root.dentry, "w", S_IFDIR | 0755, 0,
				 NULL) == 0);
	FUZZ_CHECK(vfs_lookup(&ns_root, "w", LOOKUP_DIRECTORY, &tree_at) == 0);
}

static bool walk_errno(int err)
{
	return err == 0 || err == -ENOENT || err == -ENOTDIR ||
	       err == -ENAMETOOLONG || err == -ELOOP || err == -EACCES ||
	       err == -EXDEV;
}

/* The reference walk: p's name, walked again from /, is p. */
static void check_found(const struct path *p)
{
	struct path again;
	int n = vfs_path_name(p, name_buf, sizeof(name_buf));

	FUZZ_CHECK(n > 0 || n == -ERANGE);
	if (n < 0)
		return;
	FUZZ_CHECK((size_t)n == strlen(name_buf) + 1 && name_buf[0] == '/');
	FUZZ_CHECK(vfs_lookup(&ns_root, name_buf, 0, &again) == 0);
	FUZZ_CHECK(again.mnt == p->mnt && again.dentry == p->dentry);
	vfs_path_put(&again);
}

static void do_lookup(const struct path *tree, unsigned flags,
		      const char *path)
{
	struct path out;
	int err;

	if (flags & (LOOKUP_BENEATH | LOOKUP_IN_ROOT))
		flags &= ~(unsigned)LOOKUP_NO_MAGICLINKS; /* any mix is fine */
	err = vfs_lookup(tree, path, flags, &out);
	FUZZ_CHECK(walk_errno(err));
	if (err)
		return;
	if (flags & LOOKUP_DIRECTORY)
		FUZZ_CHECK(vfs_is_dir(out.dentry->inode));
	check_found(&out);
	vfs_path_put(&out);
}

static void do_parent(const struct path *tree, unsigned flags,
		      const char *path)
{
	char last[VFS_NAME_MAX + 1];
	struct path parent;
	bool slash;
	int err = vfs_lookup_parent_flags(tree, path, flags & LOOKUP_RESOLVE,
					  &parent, last, &slash);

	FUZZ_CHECK(walk_errno(err));
	if (err)
		return;
	FUZZ_CHECK(vfs_is_dir(parent.dentry->inode));
	FUZZ_CHECK(strnlen(last, sizeof(last)) <= VFS_NAME_MAX);
	check_found(&parent);
	vfs_path_put(&parent);
}

static void make_symlink(const struct path *tree, char *arg)
{
	char *tab = strchr(arg, '\t');
	const char *target = "x";
	int err;

	if (tab) {
		*tab = '\0';
		target = tab + 1;
	}
	err = vfs_symlink(tree, arg, target, &VFS_ROOT_CRED);
	FUZZ_CHECK(err <= 0);
}

/* Runs one line (NUL-terminated, no newline). */
static void run_line(const struct path *tree, char *line)
{
	char op = line[0];
	unsigned flags;

	if (op == 'd' || op == 'f') {
		FUZZ_CHECK(vfs_mknod(tree, line + 1,
				     (op == 'd' ? S_IFDIR : S_IFREG) | 0755, 0,
				     &VFS_ROOT_CRED) <= 0);
		return;
	}
	if (op == 's') {
		make_symlink(tree, line + 1);
		return;
	}
	if ((op != 'l' && op != 'p') || !line[1])
		return;
	flags = (unsigned char)line[1] & (LOOKUP_FOLLOW | LOOKUP_DIRECTORY |
					  LOOKUP_RESOLVE);
	if (op == 'l')
		do_lookup(tree, flags, line + 2);
	else
		do_parent(tree, flags, line + 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *script = fuzz_cstring(data, size), *line = script;
	struct dentry *fs;
	struct mount *m;
	struct path tree;

	boot_vfs();
	fs = tmpfs_new();
	FUZZ_CHECK(fs != NULL);
	FUZZ_CHECK(vfs_mount_flags(fs, &tree_at, 0, "fuzz", &m) == 0);
	vfs_dentry_put(fs);
	FUZZ_CHECK(vfs_lookup(&ns_root, "/w", 0, &tree) == 0);
	FUZZ_CHECK(tree.mnt == m);
	for (int n = 0; line && n < MAX_OPS; n++) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		run_line(&tree, line);
		line = nl ? nl + 1 : NULL;
	}
	vfs_path_put(&tree);
	FUZZ_CHECK(vfs_umount(m, true, 0) == 0);
	free(script);
	return 0;
}
