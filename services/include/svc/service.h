/*
 * Boot-time initialisation of services by level, registered where the
 * service is written instead of being called from a fixed boot sequence:
 *
 *     SERVICE_INIT(vfs, SVC_LEVEL_FS, vfs_init);
 *
 * puts { "vfs", SVC_LEVEL_FS, vfs_init } in a linker section. Before init
 * starts any program, service_init_all() runs every level in order, and
 * within a level the functions in section order (which nothing may rely
 * on: order by level).
 */
#ifndef SVC_SERVICE_H
#define SVC_SERVICE_H

enum svc_level {
	SVC_LEVEL_EARLY, /* tables and caches that need nothing else */
	SVC_LEVEL_MM,    /* memory management beyond the core's */
	SVC_LEVEL_PROC,  /* processes, signals */
	SVC_LEVEL_FS,    /* file systems, the VFS */
	SVC_LEVEL_DEV,   /* devices, terminals */
	SVC_LEVEL_LATE,  /* what needs all of the above */
	SVC_LEVEL_COUNT
};

struct service_init {
	const char *name;
	enum svc_level level;
	/* Returns 0, or -errno when the service cannot work. */
	int (*fn)(void);
};

#define SERVICE_INIT(name_, level_, fn_)                                  \
	_Static_assert((level_) >= 0 && (level_) < SVC_LEVEL_COUNT,       \
		       #name_ ": a valid level");                         \
	static const struct service_init service_init_##name_             \
		__attribute__((used, section("keel_service_init"),        \
			       aligned(8))) = { #name_, (level_), (fn_) }

/*
 * Runs every registered init function, level by level. Stops at the first
 * that fails and returns its -errno with *failed set to it; 0 when all
 * succeeded. Called once, by services_main.
 */
int service_init_all(const struct service_init **failed);

#endif
