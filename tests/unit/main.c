/*
 * Runs every registered unit suite (or those whose unit name matches a
 * glob on the command line: `unit-tests vm 'c*'`; test_vm.c is unit vm)
 * in the current process, without forking, so that Valgrind sees every
 * test, and prints TAP followed by the "N passed, N failed" line.
 */
#include "unit.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hal/hal.h>
#include "../../hal/hosted/hosted.h"
#include "mm/mm.h"

extern const struct unit_suite __start_keel_unit_suites[];
extern const struct unit_suite __stop_keel_unit_suites[];

static struct hal_boot_info unit_bi;

size_t unit_boot_mm(void)
{
	static bool booted;
	static size_t free_after_boot;

	if (!booted) {
		unit_bi.cmdline = "";
		unit_bi.ncpus = 1;
		hosted_phys_init(UNIT_PHYS_BYTES, &unit_bi);
		mm_init(&unit_bi);
		free_after_boot = frames_free();
		booted = true;
	}
	return free_after_boot;
}

/* The unit name of a suite: its file's base name without test_ and .c. */
static void unit_name(const struct unit_suite *s, char *name, size_t size)
{
	const char *base = strrchr(s->file, '/');
	size_t len;

	base = base ? base + 1 : s->file;
	if (strncmp(base, "test_", 5) == 0)
		base += 5;
	len = strcspn(base, ".");
	snprintf(name, size, "%.*s", (int)len, base);
}

static bool wanted(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (fnmatch(argv[i], name, 0) == 0)
			return true;
	return false;
}

static void list_units(void)
{
	char name[64];

	fprintf(stderr, "units:");
	for (const struct unit_suite *s = __start_keel_unit_suites;
	     s < __stop_keel_unit_suites; s++) {
		unit_name(s, name, sizeof(name));
		fprintf(stderr, " %s", name);
	}
	fprintf(stderr, "\n");
}

int main(int argc, char **argv)
{
	SRunner *sr = NULL;

	for (const struct unit_suite *s = __start_keel_unit_suites;
	     s < __stop_keel_unit_suites; s++) {
		char name[64];

		unit_name(s, name, sizeof(name));
		if (!wanted(name, argc, argv))
			continue;
		if (!sr)
			sr = srunner_create(s->make());
		else
			srunner_add_suite(sr, s->make());
	}
	if (!sr) {
		fprintf(stderr, "unit-tests: no unit matches\n");
		list_units();
		return 2;
	}
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	int run = srunner_ntests_run(sr);
	srunner_free(sr);
	printf("unit: %d passed, %d failed\n", run - failed, failed);
	return failed ? 1 : 0;
}
