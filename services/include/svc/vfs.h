/*
 * The virtual file system: the objects every file system and file system
 * call share (DESIGN.md §8).
 *
 *   inode    one file (regular, directory, symlink, device, fifo): its
 *            attributes, its inode_ops (namespace operations) and the
 *            file_ops its open files get. Reference counted; freed when
 *            the last reference goes and no name links to it.
 *   dentry   one name in a directory, tied to its inode. The tree of
 *            dentries *is* the directory contents of the in-memory file
 *            systems (tmpfs, devfs), as Linux's libfs: a lookup is a walk
 *            of the children list, and the file system's inode_ops only
 *            make and unmake inodes.
 *   mount    a file system's root dentry attached over a directory
 *            dentry of its parent mount; a path is (mount, dentry), so
 *            `..` at a mount's root leaves through its mount point.
 *   file     an open file: a path, its flags and position, its file_ops.
 *
 * Locking: one VFS mutex (vfs_lock) serialises all namespace changes and
 * file I/O for now. Every vfs_* call below takes it itself unless it says
 * "caller holds vfs_lock". Finer locks come with concurrent writers.
 *
 * Credentials: the system calls pass the caller's (cred_current_fs(),
 * its fs uid and gid and its groups: <svc/cred.h>); the kernel's own work
 * (mounting, the initramfs, pseudo files) passes VFS_ROOT_CRED.
 */
#ifndef SVC_VFS_H
#define SVC_VFS_H

#include <keel/list.h>
#include <keel/types.h>
#include <svc/cred.h>
#include <uapi/stat.h>

#define VFS_PATH_MAX 4096 /* Linux PATH_MAX, NUL included */
#define VFS_NAME_MAX 255  /* Linux NAME_MAX */
#define VFS_SYMLOOP_MAX 40 /* links followed in one lookup, then ELOOP */

struct inode;
struct dentry;
struct file;
struct mount;
struct pipe;
struct path;
struct poll_table;
struct vm_object;

extern const struct vfs_cred VFS_ROOT_CRED;

struct vfs_time {
	int64_t sec;
	uint32_t nsec;
};

/* Namespace operations of a directory (and readlink of a symlink). The
 * VFS has checked the name, permissions and that the target is absent (or
 * present, for unlink/rmdir) before it calls one, with vfs_lock held.
 * create and symlink may be NULL (and iops itself): the file system makes
 * no nodes, and the VFS answers as Linux does (-EACCES for a regular
 * file, -EPERM otherwise). */
struct inode_ops {
	/* Makes a new inode of mode (S_IF* type | permissions) and rdev,
	 * owned by cred, and attaches it to the negative dentry d. */
	int (*create)(struct inode *dir, struct dentry *d, uint32_t mode,
		      uint32_t rdev, const struct vfs_cred *cred);
	/* A new symlink inode with target at d. */
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target,
		       const struct vfs_cred *cred);
	/* Copies at most size bytes of the link target (no NUL); returns
	 * the length copied. */
	ssize_t (*readlink)(struct inode *inode, char *buf, size_t size);
	/* Sets the size of a regular file: frees pages past it, and a grown
	 * file reads zeros (a hole). */
	int (*truncate)(struct inode *inode, uint64_t size);
	/* A magic link (procfs fd/N): the path it stands for, with a
	 * reference, in *out; a walk following the link goes there instead
	 * of through readlink's text, so that a pipe or a deleted file opens
	 * again, as Linux's. -EINVAL: an ordinary link after all. NULL: no
	 * magic links. vfs_lock held. */
	int (*get_path)(struct inode *inode, struct path *out);
	/* Releases the file system's part of an inode being freed. */
	void (*destroy)(struct inode *inode);
	/* fallocate(2)'s work on a regular file, after the VFS's checks:
	 * mode 0 or FALLOC_FL_KEEP_SIZE reserves [off, off + len),
	 * FALLOC_FL_PUNCH_HOLE | KEEP_SIZE frees it; other modes
	 * -EOPNOTSUPP. NULL: -EOPNOTSUPP for every mode. */
	int (*fallocate)(struct inode *inode, int mode, uint64_t off,
			 uint64_t len);
	/* A generated directory (procfs): brings dir's entries in line with
	 * the present (adds the missing, detaches the gone) before a lookup
	 * in it or a listing of it. 0 or -errno; NULL: the entries are what
	 * the tree holds. */
	int (*refresh)(struct dentry *dir);
	/* A generated directory's entries that are found but not listed
	 * (procfs's /proc/<tid> of a thread that does not lead its process,
	 * as Linux's proc_pid_lookup): called by the walk when name (len
	 * bytes, no NUL) is not among dir's entries after refresh; adds it,
	 * marked unlisted, and returns 0, or -ENOENT. vfs_lock held. NULL:
	 * what refresh made is all there is. */
	int (*lookup)(struct dentry *dir, const char *name, size_t len);
};

/* What an open file does. pos is the file position the call uses (the
 * file's own, or pread's). buffers are user addresses: implementations
 * copy with the short-count uaccess calls. read, write and ioctl run with
 * vfs_lock held unless the ops set own_lock. */
struct file_ops {
	/* The file locks itself: read, write, ioctl and fcntl are called
	 * without vfs_lock and may sleep (pipes, eventfd, terminals). They
	 * must not touch the namespace or f->pos without taking vfs_lock. */
	bool own_lock;
	ssize_t (*read)(struct file *f, uptr_t buf, size_t len, uint64_t *pos);
	ssize_t (*write)(struct file *f, uptr_t buf, size_t len,
			 uint64_t *pos);
	/* SEEK_DATA / SEEK_HOLE from off: the offset found, or -ENXIO. NULL:
	 * the whole file is data. */
	int64_t (*seek_data)(struct file *f, uint64_t off, int whence);
	/* write from kernel memory (the initramfs unpacking); NULL: the
	 * file cannot be filled that way. */
	ssize_t (*kwrite)(struct file *f, const void *buf, size_t len,
			  uint64_t *pos);
	/* read into kernel memory (exec reading a program); NULL: the file
	 * cannot be read that way. */
	ssize_t (*kread)(struct file *f, void *buf, size_t len,
			 uint64_t *pos);
	/* lseek's work for files that are not plain data (devices); NULL:
	 * the generic one (vfs_llseek). */
	int64_t (*llseek)(struct file *f, int64_t off, int whence);
	/* ioctl, after the generic ones (FIOCLEX, FIONCLEX, FIONBIO,
	 * FIOASYNC; FIONREAD of a regular file); NULL gives -ENOTTY. */
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* fcntl commands other than the descriptor and status-flag ones
	 * (F_GETPIPE_SZ...); NULL gives -EINVAL. */
	long (*fcntl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* fsync/fdatasync: writes the file's data back (datasync: the data
	 * alone). NULL: the file cannot be synced (-EINVAL, as devices and
	 * pipes). */
	int (*fsync)(struct file *f, bool datasync);
	/* The POLL* events ready now, after poll_wait(pt, wq) for each queue
	 * whose wake-ups can change them (<svc/poll.h>); must not sleep,
	 * called without vfs_lock. NULL: always readable and writable
	 * (POLL_DEFAULT_MASK). */
	uint32_t (*poll)(struct file *f, struct poll_table *pt);
	/* mmap: a new memory object (<keel/vm_object.h>, one reference,
	 * the caller's) whose pager serves the file's pages from byte 0 on,
	 * shared with read and write (the page cache). Called without
	 * vfs_lock. NULL: the file cannot be mapped (-ENODEV). */
	int (*mmap)(struct file *f, struct vm_object **out);
	/* The last reference to the open file is going (vfs_lock held):
	 * release what the file type keeps in f->priv. */
	void (*release)(struct file *f);
	/* A device file is being opened (vfs_open, vfs_lock held, after
	 * the device's ops were set): 0, or the errno that refuses the open
	 * (/dev/tty without a controlling terminal: -ENXIO). NULL: 0. */
	int (*open)(struct file *f);
	/* An anonymous inode's file ("[eventfd]"): the name Linux's
	 * anon_inode_getfile gives it, which the fd's link in /proc shows
	 * as "anon_inode:[eventfd]". NULL for other files. */
	const char *anon_name;
};

struct super_block {
	uint32_t dev;        /* st_dev */
	uint32_t next_ino;
	const char *fs_name; /* "tmpfs" */
	uint32_t magic;      /* statfs f_type (TMPFS_MAGIC...) */
	unsigned mounts;     /* mounts of it; the last umount frees it */
	struct dentry *root; /* its root, for that last umount */
};

struct inode {
	uint64_t ino;
	uint32_t mode;  /* S_IF* | permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint32_t rdev;  /* device number for S_IFCHR / S_IFBLK */
	uint64_t size;
	uint64_t blocks; /* 512-byte units in use */
	struct vfs_time atime, mtime, ctime;
	unsigned refs;
	struct super_block *sb;
	const struct inode_ops *iops;
	const struct file_ops *fops;
	void *priv; /* the file system's (tmpfs: data pages, link target) */
	struct pipe *pipe; /* a fifo's, while one of its ends is open */
	bool linkable; /* O_TMPFILE without O_EXCL: linkat may name it while
			* nlink is 0 (Linux's I_LINKABLE), until it does */
	int write_count;   /* Linux's i_writecount (atomic): > 0, files open
			    * for writing; < 0, programs running from it
			    * (exec); each side gets -ETXTBSY from the other */
};

/* The list links come first in dentry and mount so that the lists point
 * at the objects' starts (Valgrind sees them as reachable, not "possibly
 * lost", in the permanent tree). */
struct dentry {
	struct list_head sibling;  /* in parent->children */
	char name[VFS_NAME_MAX + 1];
	struct dentry *parent; /* itself for a file system's root */
	struct inode *inode;
	struct list_head children; /* directories: their entries */
	unsigned refs;             /* users beyond the tree's own link */
	bool attached;             /* in the tree (not unlinked) */
	bool mounted;              /* some mount sits on it */
	bool unlisted;             /* found by the walk, left out of
				    * getdents64 (inode_ops.lookup) */
	uint64_t cookie;           /* getdents64 position, ever growing */
};

struct mount {
	struct list_head link;     /* in the mount list */
	struct dentry *root;       /* the file system's root (or, for a bind
				    * mount, the directory bound) */
	struct dentry *mountpoint; /* in parent; root itself at / */
	struct mount *parent;      /* NULL for the root mount */
	unsigned long flags;       /* MS_RDONLY, MS_NOSUID... as mounted */
	unsigned refs;             /* paths held into it (vfs_path_get) */
	bool detached;             /* umount2'd; freed with its last path */
	int id;                    /* mountinfo's mount ID */
	char source[64];           /* mount(2)'s source, as /proc/mounts
				    * shows it */
	char options[32];          /* the file system's options shown after
				    * the flags (tmpfs: "mode=755") */
};

struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

struct file {
	struct path path;
	struct inode *inode;
	uint32_t flags; /* O_* (status and access mode) */
	uint64_t pos;
	unsigned refs;  /* descriptors and calls using it */
	const struct file_ops *fops;
	void *priv;       /* the file type's (a pipe, an eventfd...) */
	uint64_t version; /* the file type's (a fifo reader: writers seen) */
	struct list_head watches; /* epoll items on it (svc/epoll.h) */
	int8_t write_hold; /* its part of inode->write_count: +1 open for
			    * writing, -1 denying writes, 0; given back by
			    * the last vfs_file_put */
};

static inline bool vfs_is_dir(const struct inode *i)
{
	return (i->mode & S_IFMT) == S_IFDIR;
}

/* ---- Time, inodes and dentries (vfs/inode.c) ------------------------ */

struct vfs_time vfs_now(void);

/* A new inode with one reference on sb, numbered from it, times now. */
struct inode *vfs_inode_new(struct super_block *sb, uint32_t mode,
			    const struct vfs_cred *cred);
void vfs_inode_get(struct inode *i);
/* Drops a reference; the last one with no links destroys the inode. */
void vfs_inode_put(struct inode *i);

/* A new negative dentry called name under parent (not yet attached). */
struct dentry *vfs_dentry_new(struct dentry *parent, const char *name);
/* Adds d (with its inode set) to its parent's entries. */
void vfs_dentry_attach(struct dentry *d);
/* Takes d out of its parent's entries; freed when unused. */
void vfs_dentry_detach(struct dentry *d);
void vfs_dentry_get(struct dentry *d);
void vfs_dentry_put(struct dentry *d);
/* Runs d's refresh hook, if its inode has one (see inode_ops). */
int vfs_dentry_refresh(struct dentry *d);
/* The child name (len bytes) of d, asking d's lookup hook (inode_ops)
 * for an unlisted one when the tree has none; NULL when there is none. */
struct dentry *vfs_dentry_lookup(struct dentry *d, const char *name,
				 size_t len);
/* The entry called name (len bytes) in directory d, or NULL. */
struct dentry *vfs_dentry_child(struct dentry *d, const char *name,
				size_t len);

/* ---- Mounts and the root (vfs/mount.c) ------------------------------ */

/* Mounts a file system whose root is root: at / when at is NULL (once),
 * else on the directory at. Caller holds vfs_lock. */
int vfs_mount(struct dentry *root, const struct path *at);
/* vfs_mount with mount(2)'s flags (MS_RDONLY...) and source name; *out
 * (may be NULL) is the new mount. A root that is not a file system's
 * root is a bind mount. Caller holds vfs_lock. */
int vfs_mount_flags(struct dentry *root, const struct path *at,
		    unsigned long flags, const char *source,
		    struct mount **out);
/* Takes the mount m (a mount's root, not the namespace root) out of the
 * tree: -EBUSY when mounts sit inside it or, without detach, when a
 * path other than the caller's `held` ones is inside it; with detach it
 * goes from the tree now and is freed with its last path. The file
 * system's tree is freed with its last mount. Caller holds vfs_lock. */
int vfs_umount(struct mount *m, bool detach, unsigned held);
/* Whether writes through p's mount are refused (MS_RDONLY: -EROFS). */
bool vfs_path_readonly(const struct path *p);
/* The mount sitting on dentry d of mount mnt, or NULL. */
struct mount *vfs_mount_on(struct mount *mnt, struct dentry *d);
/* Calls fn for every mount, oldest first, until one returns non-zero,
 * which it returns (0 when none did). Caller holds vfs_lock. */
int vfs_mount_each(int (*fn)(const struct mount *m, void *arg), void *arg);
/* The root of the namespace ({NULL, NULL} before anything is mounted). */
struct path vfs_root(void);
/* The root the calling process sees: its chroot(2) directory, or the
 * namespace's root for kernel threads and before any chroot. No
 * reference is taken: valid while vfs_lock is held. */
struct path vfs_proc_root(void);
void vfs_path_get(const struct path *p);
void vfs_path_put(const struct path *p);

/* ---- The lock ------------------------------------------------------- */

void vfs_lock(void);
void vfs_unlock(void);

/* ---- Permissions (vfs/permission.c) --------------------------------- */

#define VFS_MAY_EXEC 1
#define VFS_MAY_WRITE 2
#define VFS_MAY_READ 4

/* Whether cred may access inode with mask (VFS_MAY_*): owner, group or
 * other bits, root may do anything except execute a file without any
 * execute bit. 0 or -EACCES. */
int vfs_permission(const struct inode *inode, int mask,
		   const struct vfs_cred *cred);

/* ---- Path walk (vfs/namei.c); caller holds vfs_lock ----------------- */

#define LOOKUP_FOLLOW 1    /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 2 /* the last component must be a directory */
/* openat2's RESOLVE_* restrictions, for the whole walk: */
#define LOOKUP_NO_SYMLINKS 4    /* any symlink: -ELOOP */
#define LOOKUP_NO_MAGICLINKS 8  /* procfs's fd/exe/cwd/root links: -ELOOP */
#define LOOKUP_NO_XDEV 16       /* crossing a mount: -EXDEV */
#define LOOKUP_BENEATH 32       /* start is the root; leaving it: -EXDEV */
#define LOOKUP_IN_ROOT 64       /* start is the root, as for chroot */
/* An empty path names start itself (linkat's AT_EMPTY_PATH). Since
 * Linux 6.10 any caller may, for a file it opened itself; Keel does not
 * tell whose credentials opened a file, so it lets every caller. */
#define LOOKUP_EMPTY 128
#define LOOKUP_RESOLVE                                                  \
	(LOOKUP_NO_SYMLINKS | LOOKUP_NO_MAGICLINKS | LOOKUP_NO_XDEV |   \
	 LOOKUP_BENEATH | LOOKUP_IN_ROOT)

/*
 * Resolves path (a kernel string) from start (for a relative path; an
 * absolute one starts at the root) to *out, holding a reference. Returns
 * 0, -ENOENT, -ENOTDIR, -ENAMETOOLONG (a component over NAME_MAX), -ELOOP
 * (more than 40 links), -EACCES (search permission).
 */
int vfs_lookup(const struct path *start, const char *path, unsigned flags,
	       struct path *out);

/*
 * Resolves all but the last component of path: *parent (a directory, a
 * reference held) and the last name copied to last (NAME_MAX + 1 bytes).
 * *trailing_slash says whether the path ended with '/'. A path whose last
 * component is "." or ".." or that is "/" gives last "." / ".." (callers
 * refuse those as their call does). Errors as vfs_lookup, and -ENOENT for
 * an empty path.
 */
int vfs_lookup_parent(const struct path *start, const char *path,
		      struct path *parent, char *last, bool *trailing_slash);
/* vfs_lookup_parent with the LOOKUP_RESOLVE flags of flags. */
int vfs_lookup_parent_flags(const struct path *start, const char *path,
			    unsigned flags, struct path *parent, char *last,
			    bool *trailing_slash);

/* Writes the absolute path of p into buf (size bytes). Returns the length
 * with the NUL, -ERANGE if it does not fit, -ENOENT if p was unlinked. */
int vfs_path_name(const struct path *p, char *buf, size_t size);

/* ---- Open files (vfs/file.c) ---------------------------------------- */

/*
 * Opens path relative to start as open(2) with flags and mode (umask
 * already applied). Returns 0 with *out (one reference), or the errno
 * open(2) gives.
 */
int vfs_open(const struct path *start, const char *path, uint32_t flags,
	     uint32_t mode, const struct vfs_cred *cred, struct file **out);
/* vfs_open restricted by openat2's resolve flags (LOOKUP_RESOLVE bits). */
int vfs_open_resolve(const struct path *start, const char *path,
		     uint32_t flags, uint32_t mode, unsigned resolve,
		     const struct vfs_cred *cred, struct file **out);
/* An open file on an existing path (reference taken on it): 0 with *out,
 * -ENFILE when the system's open files reached /proc/sys/fs/file-max, or
 * -ENOMEM. vfs_file_new is the same with NULL for either error. */
int vfs_file_alloc(const struct path *p, uint32_t flags, struct file **out);
struct file *vfs_file_new(const struct path *p, uint32_t flags);
/* A regular file opened for writing (O_WRONLY, O_RDWR) counts as a
 * writer of its inode from vfs_file_alloc to its last vfs_file_put, which
 * is -ETXTBSY from vfs_file_alloc while a program runs from the inode.
 * vfs_deny_write makes f (open read-only) a denier instead, as exec does
 * with the program it runs (Linux's deny_write_access): -ETXTBSY while
 * the inode is open for writing. */
int vfs_deny_write(struct file *f);
/* The system's open files (struct file), and their limit (file-max:
 * Linux's default for this machine's memory until set; set: -EINVAL
 * for 0). */
size_t vfs_nr_files(void);
size_t vfs_file_max(void);
int vfs_set_file_max(uint64_t max);
void vfs_file_get(struct file *f);
/* Drops a reference; the last one removes the file's epoll watches,
 * runs file_ops.release and frees it. Caller holds vfs_lock. */
void vfs_file_put(struct file *f);

/* The last reference to f went: its flock(2) lock goes (vfs/flock.c). */
void flock_file_closed(struct file *f);

/* Nameless files (vfs/anon.c; caller holds vfs_lock): an inode of mode
 * on a pseudo file system sb (one reference), and an open file on it
 * with ops and the file type's priv (it takes its own reference): 0,
 * -ENFILE or -ENOMEM. */
struct inode *vfs_anon_inode(struct super_block *sb, uint32_t mode);
int vfs_file_anon_alloc(struct inode *i, uint32_t flags,
			const struct file_ops *ops, void *priv,
			struct file **out);

/* read/write at *pos (the file's position when pos is NULL), with the
 * checks read(2)/write(2) make: -EBADF for the wrong access mode, -EISDIR,
 * -EINVAL for O_PATH; O_APPEND writes at the end. */
ssize_t vfs_read(struct file *f, uptr_t buf, size_t len, uint64_t *pos);
ssize_t vfs_write(struct file *f, uptr_t buf, size_t len, uint64_t *pos);
/* The result of vfs_write/vfs_truncate past RLIMIT_FSIZE: an -EFBIG that
 * raises SIGXFSZ (a kernel-internal value, never returned to the user):
 * the syscall turns it into -EFBIG with vfs_fsize_signal once it has let
 * go of the VFS lock. */
#define VFS_EFBIG_SIGXFSZ (-EFBIG - 1000)
/* ret, or -EFBIG after sending SIGXFSZ to the caller when ret is
 * VFS_EFBIG_SIGXFSZ (as Linux's send_sig(SIGXFSZ, current, 0)). */
long vfs_fsize_signal(long ret);
/* Where vfs_write_mode puts the bytes: as the file's O_APPEND says, at the
 * end whatever it says (pwritev2's RWF_APPEND), or at *pos (the position
 * when NULL) whatever it says (RWF_NOAPPEND). Appending with pos NULL
 * moves the position to the end first, as O_APPEND does. */
enum vfs_append { VFS_APPEND_FILE, VFS_APPEND_ALWAYS, VFS_APPEND_NEVER };
ssize_t vfs_write_mode(struct file *f, uptr_t buf, size_t len, uint64_t *pos,
		       enum vfs_append how);
int64_t vfs_llseek(struct file *f, int64_t off, int whence);
/* The offset SEEK_SET, SEEK_CUR or SEEK_END counts from in f, for lseek
 * and for record locks' l_whence; -EINVAL for any other whence. */
int vfs_whence_base(const struct file *f, int whence, int64_t *base);
/* Copies directory entries as struct linux_dirent64 into buf. */
ssize_t vfs_getdents64(struct file *f, uptr_t buf, size_t len);

/* ---- Attributes and namespace changes (vfs/attr.c, vfs/dir.c) -------- */

struct linux_stat;
void vfs_fill_stat(const struct inode *i, struct linux_stat *st);
/* Sets regular file i's size: -EISDIR, -EINVAL (not a regular file, past
 * INT64_MAX), VFS_EFBIG_SIGXFSZ (growing past RLIMIT_FSIZE), the fs's. */
int vfs_truncate(struct inode *i, uint64_t size, const struct vfs_cred *c);
/* Linux's file_remove_privs, for a write or truncate by cred: a regular
 * file loses its set-uid bit, and its set-gid bit when group executable
 * or of a group cred is not in, unless cred is root (CAP_FSETID). */
void vfs_drop_setid(struct inode *i, const struct vfs_cred *cred);
/* chmod's work: the permission bits of mode (07777), ctime now; -EPERM
 * unless cred owns i or is root. */
int vfs_chmod(struct inode *i, uint32_t mode, const struct vfs_cred *cred);
/* chown's work: uid and gid set (VFS_ID_UNCHANGED: kept), set-uid and
 * group-executable set-gid dropped from non-directories, ctime now (even
 * when nothing changes, as Linux); -EPERM unless cred is root. */
#define VFS_ID_UNCHANGED UINT32_MAX
int vfs_chown(struct inode *i, uint32_t uid, uint32_t gid,
	      const struct vfs_cred *cred);
/* utimensat's work: atime and mtime set to the given times (NULL: left
 * as they are; both NULL changes nothing, ctime included), ctime now.
 * touch: both are now (times NULL or both UTIME_NOW), which the owner,
 * root or a caller with write permission may do (-EACCES); any other
 * change needs the owner or root (-EPERM), as Linux. */
int vfs_set_times(struct inode *i, const struct vfs_time *atime,
		  const struct vfs_time *mtime, bool touch,
		  const struct vfs_cred *cred);
/* access(2)'s check of mask (VFS_MAY_*; 0: existence only). */
int vfs_access(const struct inode *i, int mask, const struct vfs_cred *cred);

/* The work of mkdirat, mknodat, unlinkat, rmdir, symlinkat, linkat,
 * renameat2 (flags RENAME_NOREPLACE / RENAME_EXCHANGE / RENAME_WHITEOUT)
 * relative to start;
 * errnos as Linux. Caller holds vfs_lock. */
int vfs_mknod(const struct path *start, const char *path, uint32_t mode,
	      uint32_t rdev, const struct vfs_cred *cred);
int vfs_unlink(const struct path *start, const char *path, bool dir,
	       const struct vfs_cred *cred);
int vfs_symlink(const struct path *start, const char *path,
		const char *target, const struct vfs_cred *cred);
int vfs_link(const struct path *old_start, const char *old_path,
	     unsigned lookup_flags, const struct path *new_start,
	     const char *new_path, const struct vfs_cred *cred);
/* Makes the entry name in directory dir as the initramfs and devfs do,
 * without a path walk or permission check: a node of mode (S_IFLNK with
 * target, or S_IFDIR, S_IFREG, S_IFCHR... with rdev), owned by root.
 * -EEXIST if the name is taken. Caller holds vfs_lock (or is boot). */
int vfs_make_node(struct dentry *dir, const char *name, uint32_t mode,
		  uint32_t rdev, const char *target);
int vfs_rename(const struct path *old_start, const char *old_path,
	       const struct path *new_start, const char *new_path,
	       unsigned flags, const struct vfs_cred *cred);
/* O_TMPFILE's node: a regular file of mode in directory dir with no name
 * (nlink 0), which linkat may name when linkable; *out (a reference) is
 * its path. -ENOTDIR, -ENOENT (dir removed), -EROFS, -EACCES (write and
 * search on dir), -EOPNOTSUPP (dir's file system makes no files),
 * -ENOMEM. Caller holds vfs_lock. */
int vfs_make_tmpfile(const struct path *dir, uint32_t mode, bool linkable,
		     const struct vfs_cred *cred, struct path *out);
#endif
