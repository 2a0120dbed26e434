/* test_e2e_cfgfile.c — USP over MQTT: Device.DeviceInfo.VendorConfigFile.1.Backup() makes the
 * router export its configuration and PUT it to a real HTTP server (the test ACS's file server)
 * with the command's credentials, OperationComplete carries the outcome (7022 for a refused
 * password); Restore() of the uploaded file brings back a value changed meanwhile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"
#include "tools/test-acs/acs.h"

#define WAIT_MS 30000

static itest_env env;
static acs *server;
static char *files; /* routeros-sim's --fetch-dir */
static char out[1 << 16];

static int setup(void **state)
{
	acs_config ac = {.file_auth = ACS_AUTH_BASIC, .username = "backup", .password = "b4ckup"};
	itest_env_opts o = {.routers = 1};
	char sim_args[128];
	tb_errctx e;

	(void)state;
	if (!(server = acs_start(&ac, &e)) || !(files = itest_tmpdir("cfgfile-files")))
		return -1;
	snprintf(sim_args, sizeof sim_args, "--fetch-dir %s", files);
	o.sim_args = sim_args;
	return itest_env_start(&env, &o) ? 0 : -1;
}

static int teardown(void **state)
{
	char path[256];

	(void)state;
	itest_env_stop(&env);
	acs_stop(server);
	snprintf(path, sizeof path, "%s/usp.rsc", files);
	unlink(path);
	rmdir(files);
	free(files);
	return 0;
}

static void backup_then_restore(void **state)
{
	char path[600], url[160], user[64], file[256], ros[4096];
	size_t len;
	char *body;
	FILE *f;
	pid_t pid;

	(void)state;
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.DeviceInfo.VendorConfigFile.1.", NULL),
			 0);
	assert_non_null(strstr(out, "Name = config.rsc"));
	assert_non_null(strstr(out, "UseForBackupRestore = true"));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/set", "=name=usp-backup",
			      NULL));
	snprintf(path, sizeof path, "%s/sub-cfg.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "OperationComplete",
			      "Device.DeviceInfo.VendorConfigFile.1.", false);
	assert_true(pid > 0);
	snprintf(url, sizeof url, "URL=http://127.0.0.1:%d/files/usp.rsc", acs_port(server));
	snprintf(user, sizeof user, "Username=backup");
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.DeviceInfo.VendorConfigFile.1.Backup()", url, user,
				   "Password=b4ckup", "--key", "bk-1", NULL),
			 0);
	assert_true(itest_wait_file(path, "bk-1", WAIT_MS));
	assert_non_null(body = acs_wait_file(server, "/files/usp.rsc", WAIT_MS, &len));
	assert_non_null(strstr(body, "/system identity\nset name=usp-backup\n"));
	/* a password the server refuses: the command fails (7022) */
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.DeviceInfo.VendorConfigFile.1.Backup()", url, user,
				   "Password=nope", "--key", "bk-2", NULL),
			 0);
	assert_true(itest_wait_file(path, "bk-2", WAIT_MS));
	assert_true(itest_wait_file(path, "7022", 1000));
	assert_int_equal(itest_env_log_count(&env, "b4ckup"), 0); /* no password in a log line */
	/* the uploaded file served back: Restore() undoes the change */
	snprintf(file, sizeof file, "%s/usp.rsc", files);
	assert_non_null(f = fopen(file, "w"));
	assert_int_equal(fwrite(body, 1, len, f), len);
	fclose(f);
	free(body);
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/set", "=name=changed",
			      NULL));
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.DeviceInfo.VendorConfigFile.1.Restore()",
				   "URL=http://192.0.2.9/usp.rsc", "Username=", "Password=", "--key",
				   "rs-1", NULL),
			 0);
	assert_true(itest_wait_file(path, "rs-1", WAIT_MS));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/system/identity/print", NULL));
	assert_non_null(strstr(ros, "=name=usp-backup"));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/file/print", NULL));
	assert_null(strstr(ros, ".rsc"));
	itest_ctl_stop(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backup_then_restore),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
