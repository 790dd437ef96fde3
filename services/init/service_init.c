/*
 * The walk over the registered service init functions (<svc/service.h>):
 * the keel_service_init linker section, whose bounds the linker provides.
 */
#include <keel/log.h>
#include <svc/service.h>

extern const struct service_init __start_keel_service_init[]
	__attribute__((weak));
extern const struct service_init __stop_keel_service_init[]
	__attribute__((weak));

int service_init_all(const struct service_init **failed)
{
	for (int level = 0; level < SVC_LEVEL_COUNT; level++) {
		for (const struct service_init *s = __start_keel_service_init;
		     s < __stop_keel_service_init; s++) {
			int err;

			if ((int)s->level != level)
				continue;
			err = s->fn();
			pr_debug("service: %s (level %d): %d\n", s->name,
				 level, err);
			if (err) {
				*failed = s;
				return err;
			}
		}
	}
	return 0;
}
