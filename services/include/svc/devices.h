/*
 * Character devices by number (services/fs/devfs/devices.c): what a
 * device node opens, and the table devfs makes its nodes from.
 */
#ifndef SVC_DEVICES_H
#define SVC_DEVICES_H

#include <keel/types.h>

struct file_ops;

/* Linux's new_encode_dev for small numbers: what st_rdev shows. */
#define DEV_MKDEV(major, minor) (((major) << 8) | (minor))
#define DEV_MAJOR(dev) (((dev) >> 8) & 0xfff)
#define DEV_MINOR(dev) ((dev) & 0xff)

struct chrdev {
	const char *name; /* its node in /dev */
	uint32_t rdev;
	uint32_t perm;    /* the node's permission bits */
	const struct file_ops *ops;
};

/* The devices, ended by an entry with a NULL name. */
extern const struct chrdev chrdevs[];

/* The driver of character device rdev, or NULL (open gives -ENXIO). */
const struct file_ops *vfs_chrdev_ops(uint32_t rdev);

#endif
