/*
 * devpts (services/fs/devpts/): the file system on /dev/pts that holds
 * the pty slaves' device nodes, N for pty N (char 136:N), made when
 * /dev/ptmx opens a master and removed when that master closes, and a
 * ptmx node (char 5:2, mode 0) as Linux's. One instance: every mount of
 * it shows the same ptys (Linux's single-instance devpts before 4.7;
 * Keel has one mount namespace).
 */
#ifndef SVC_DEVPTS_H
#define SVC_DEVPTS_H

#include <keel/types.h>

struct dentry;
struct inode;
struct vfs_cred;

#define PTY_SLAVE_MAJOR 136 /* Linux's UNIX98_PTY_SLAVE_MAJOR */
#define PTY_MAX 256         /* ptys at once; minors fit DEV_MKDEV */
/* What /proc/mounts shows after "rw,relatime": Linux's defaults. */
#define DEVPTS_OPTIONS "mode=600,ptmxmode=000"

/* The node of pty index (below PTY_MAX) for its master's opener cred:
 * owned by cred's uid and gid, mode 0600 (Linux's default mount options).
 * Its dentry (one reference, the caller's) or NULL (no memory, -EEXIST).
 * Caller holds vfs_lock. */
struct dentry *devpts_pty_new(unsigned index, const struct vfs_cred *cred);
/* Takes the node d (from devpts_pty_new) away and drops the caller's
 * reference. Caller holds vfs_lock. */
void devpts_pty_kill(struct dentry *d);
/* Whether inode i is on devpts. */
bool devpts_owns(const struct inode *i);

#endif
