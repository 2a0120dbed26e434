/* test_e2e_state_disk.c — issue 7 item 3 on a real disk: state_dir is a 256 KiB tmpfs of the
 * test's own, filled to the last byte, then remounted read-only. An Add of a Persistent
 * subscription that cannot be saved fails with 7017 and leaves nothing behind; once the disk has
 * room again the same Add succeeds and survives a restart. Mounting needs CAP_SYS_ADMIN (CI runs
 * as root): without it the test reports itself not run (exit 77), never passed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"

#define NOT_RUN 77 /* ctest SKIP_RETURN_CODE */

static char out[1 << 16];
static char disk[64];
static itest_env env;

static bool mount_disk(unsigned long flags)
{
	return mount("tmpfs", disk, "tmpfs", flags, "size=256k,mode=0700") == 0;
}

static int setup(void **state)
{
	char state_dir[128];
	itest_env_opts o = {.routers = 1, .state_dir = state_dir};
	(void)state;
	snprintf(state_dir, sizeof state_dir, "%s/state", disk);
	return itest_env_start(&env, &o) ? 0 : -1;
}

ITEST_ENV_TEARDOWN(env)

/* Writes zeros to <disk>/filler until the file system is full. */
static void fill_disk(void)
{
	char path[128], block[4096] = {0};
	int fd;

	snprintf(path, sizeof path, "%s/filler", disk);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	while (write(fd, block, sizeof block) > 0)
		;
	assert_int_equal(errno, ENOSPC);
	close(fd);
}

static void free_disk(void)
{
	char path[128];

	snprintf(path, sizeof path, "%s/filler", disk);
	assert_int_equal(unlink(path), 0);
}

/* Adds a Persistent ValueChange subscription with this ID; returns trbridge-ctl's exit status. */
static int add_persistent(const char *id)
{
	char idw[64];

	snprintf(idw, sizeof idw, "ID=%s", id);
	return itest_ctl(&env, 0, NULL, out, sizeof out, "add", "Device.LocalAgent.Subscription.",
			 "Enable=true", idw, "NotifType=ValueChange",
			 "ReferenceList=Device.DeviceInfo.HostName", "Persistent=true", NULL);
}

static const char *subscription_ids(void)
{
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.LocalAgent.Subscription.*.ID", NULL),
			 0);
	return out;
}

static void refused_then_saved(const char *id)
{
	int st = add_persistent(id);

	if (st != 1 || !strstr(out, "7017"))
		fail_msg("Add of %s on a full/read-only disk: exit %d, no 7017:\n%s", id, st, out);
	print_message("Add %s: %s", id, out);
	assert_null(strstr(subscription_ids(), id));
}

static void full_disk(void **state)
{
	(void)state;
	fill_disk();
	refused_then_saved("on-full-disk");
	assert_true(itest_env_log_count(&env, "not saved, the request fails") >= 1);
	free_disk();
	assert_int_equal(add_persistent("on-full-disk"), 0);
	assert_true(itest_env_restart_bridge(&env));
	assert_non_null(strstr(subscription_ids(), "= on-full-disk"));
}

static void read_only_disk(void **state)
{
	(void)state;
	assert_true(mount_disk(MS_REMOUNT | MS_RDONLY));
	refused_then_saved("on-read-only-disk");
	assert_true(mount_disk(MS_REMOUNT));
	assert_int_equal(add_persistent("on-read-only-disk"), 0);
	assert_true(itest_env_restart_bridge(&env));
	assert_non_null(strstr(subscription_ids(), "= on-read-only-disk"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(full_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(read_only_disk, setup, teardown),
	};
	int rc;

	snprintf(disk, sizeof disk, "/tmp/trbridge-disk-XXXXXX");
	if (!mkdtemp(disk))
		return 1;
	if (!mount_disk(0)) {
		fprintf(stderr, "test_e2e_state_disk: NOT RUN: cannot mount a tmpfs (%s); needs "
				"CAP_SYS_ADMIN, as root in CI\n",
			strerror(errno));
		rmdir(disk);
		return NOT_RUN;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	umount2(disk, MNT_DETACH);
	rmdir(disk);
	return rc;
}
