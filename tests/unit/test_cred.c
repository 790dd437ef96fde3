/*
 * Unit tests of the credential rules (services/proc/cred.c): set*uid,
 * setre*uid, setres*uid and setfs*uid with and without the capability,
 * as Linux's kernel/sys.c decides them (refusals change nothing), exec's
 * saved and fs ids, AT_SECURE, and group lists (sorted, counted, looked
 * up by the VFS's in-group test).
 */
#include "unit.h"

#include <keel/errno.h>
#include <svc/cred.h>

#define NONE CRED_ID_NONE

static const struct cred_ids user = { 1000, 1000, 1000, 1000 };
static const struct cred_ids root = { 0, 0, 0, 0 };

static bool ids_are(const struct cred_ids *ids, uint32_t r, uint32_t e,
		    uint32_t s, uint32_t fs)
{
	return ids->real == r && ids->eff == e && ids->saved == s &&
	       ids->fs == fs;
}

START_TEST(setuid_as_root_sets_all_four)
{
	struct cred_ids ids = root;

	ck_assert_int_eq(cred_ids_set(&ids, 1000, true), 0);
	ck_assert(ids_are(&ids, 1000, 1000, 1000, 1000));
	/* And root is gone for good: 0 is none of the ids now. */
	ck_assert_int_eq(cred_ids_set(&ids, 0, false), -EPERM);
	ck_assert(ids_are(&ids, 1000, 1000, 1000, 1000));
	ck_assert_int_eq(cred_ids_set(&ids, NONE, true), -EINVAL);
}
END_TEST

START_TEST(setuid_without_the_capability_takes_the_real_or_saved_id)
{
	struct cred_ids ids = { 1000, 2000, 3000, 2000 };

	ck_assert_int_eq(cred_ids_set(&ids, 3000, false), 0);
	ck_assert(ids_are(&ids, 1000, 3000, 3000, 3000));
	ck_assert_int_eq(cred_ids_set(&ids, 1000, false), 0);
	ck_assert(ids_are(&ids, 1000, 1000, 3000, 1000));
	ck_assert_int_eq(cred_ids_set(&ids, 2000, false), -EPERM);
	ck_assert(ids_are(&ids, 1000, 1000, 3000, 1000));
}
END_TEST

START_TEST(setreuid_follows_linux)
{
	struct cred_ids ids = root;

	/* Root swaps: the saved id follows the new effective one. */
	ck_assert_int_eq(cred_ids_set_re(&ids, 1000, 2000, true), 0);
	ck_assert(ids_are(&ids, 1000, 2000, 2000, 2000));
	/* Unprivileged: real from real or effective, effective from any. */
	ck_assert_int_eq(cred_ids_set_re(&ids, 2000, 1000, false), 0);
	ck_assert(ids_are(&ids, 2000, 1000, 1000, 1000));
	ck_assert_int_eq(cred_ids_set_re(&ids, 3000, NONE, false), -EPERM);
	ck_assert_int_eq(cred_ids_set_re(&ids, NONE, 3000, false), -EPERM);
	ck_assert(ids_are(&ids, 2000, 1000, 1000, 1000));
	/* Effective only, set to the real one: the saved id stays. */
	ids = (struct cred_ids){ 1000, 2000, 2000, 2000 };
	ck_assert_int_eq(cred_ids_set_re(&ids, NONE, 1000, false), 0);
	ck_assert(ids_are(&ids, 1000, 1000, 2000, 1000));
	/* Effective only, set to other than the real: saved follows. */
	ck_assert_int_eq(cred_ids_set_re(&ids, NONE, 2000, false), 0);
	ck_assert(ids_are(&ids, 1000, 2000, 2000, 2000));
	/* Neither: nothing changes but fs, which follows the effective. */
	ids.fs = 5;
	ck_assert_int_eq(cred_ids_set_re(&ids, NONE, NONE, false), 0);
	ck_assert(ids_are(&ids, 1000, 2000, 2000, 2000));
}
END_TEST

START_TEST(setresuid_takes_any_of_the_three_or_needs_the_capability)
{
	struct cred_ids ids = { 1000, 2000, 3000, 2000 };

	ck_assert_int_eq(cred_ids_set_res(&ids, 3000, 1000, 2000, false), 0);
	ck_assert(ids_are(&ids, 3000, 1000, 2000, 1000));
	ck_assert_int_eq(cred_ids_set_res(&ids, NONE, 4000, NONE, false),
			 -EPERM);
	ck_assert(ids_are(&ids, 3000, 1000, 2000, 1000));
	ck_assert_int_eq(cred_ids_set_res(&ids, NONE, NONE, NONE, false), 0);
	ck_assert_int_eq(cred_ids_set_res(&ids, 7, 8, 9, true), 0);
	ck_assert(ids_are(&ids, 7, 8, 9, 8));
}
END_TEST

START_TEST(setfsuid_always_returns_the_old_id)
{
	struct cred_ids ids = user;

	ck_assert_uint_eq(cred_ids_set_fs(&ids, 5, false), 1000);
	ck_assert_uint_eq(ids.fs, 1000); /* refused: 5 is none of them */
	ck_assert_uint_eq(cred_ids_set_fs(&ids, 5, true), 1000);
	ck_assert_uint_eq(ids.fs, 5);
	ck_assert_uint_eq(cred_ids_set_fs(&ids, 1000, false), 5);
	ck_assert_uint_eq(ids.fs, 1000);
	ck_assert_uint_eq(cred_ids_set_fs(&ids, NONE, true), 1000);
	ck_assert_uint_eq(ids.fs, 1000); /* -1 is only a query */
}
END_TEST

START_TEST(exec_makes_saved_and_fs_the_effective_id)
{
	struct cred_ids ids = { 1000, 2000, 3000, 4000 };
	struct proc_cred c = { .uid = { 1, 1, 1, 1 }, .gid = { 2, 2, 2, 2 } };

	cred_ids_exec(&ids);
	ck_assert(ids_are(&ids, 1000, 2000, 2000, 2000));
	ck_assert(!cred_secure_exec(&c));
	c.gid.eff = 3;
	ck_assert(cred_secure_exec(&c));
	c.gid.eff = 2;
	c.uid.eff = 0;
	ck_assert(cred_secure_exec(&c));
	ck_assert(cred_capable(&c));
}
END_TEST

START_TEST(group_lists_are_sorted_and_searched)
{
	static const uint32_t gids[] = { 50, 7, 300, 7, 1 };
	struct cred_groups *g;
	struct vfs_cred c;

	unit_boot_mm();
	g = cred_groups_new(gids, 5);
	c = (struct vfs_cred){ .uid = 1000, .gid = 99, .groups = g };
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->n, 5);
	ck_assert_uint_eq(g->gid[0], 1);
	ck_assert_uint_eq(g->gid[1], 7);
	ck_assert_uint_eq(g->gid[2], 7);
	ck_assert_uint_eq(g->gid[3], 50);
	ck_assert_uint_eq(g->gid[4], 300);
	ck_assert(vfs_cred_in_group(&c, 99)); /* the fs gid */
	ck_assert(vfs_cred_in_group(&c, 1));
	ck_assert(vfs_cred_in_group(&c, 300));
	ck_assert(vfs_cred_in_group(&c, 50));
	ck_assert(!vfs_cred_in_group(&c, 8));
	ck_assert(!vfs_cred_in_group(&c, 1000));
	cred_groups_get(g);
	cred_groups_put(g);
	ck_assert_uint_eq(g->refs, 1);
	cred_groups_put(g); /* freed: Valgrind checks there is no leak */
	c.groups = NULL;
	ck_assert(!vfs_cred_in_group(&c, 1));
	ck_assert_ptr_null(cred_groups_new(gids, CRED_NGROUPS_MAX + 1));
	g = cred_groups_new(NULL, 0);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->n, 0);
	cred_groups_put(g);
}
END_TEST

static Suite *cred_suite(void)
{
	Suite *s = suite_create("cred");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, setuid_as_root_sets_all_four);
	tcase_add_test(tc,
		       setuid_without_the_capability_takes_the_real_or_saved_id);
	tcase_add_test(tc, setreuid_follows_linux);
	tcase_add_test(tc,
		       setresuid_takes_any_of_the_three_or_needs_the_capability);
	tcase_add_test(tc, setfsuid_always_returns_the_old_id);
	tcase_add_test(tc, exec_makes_saved_and_fs_the_effective_id);
	tcase_add_test(tc, group_lists_are_sorted_and_searched);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(cred_suite);
