/* test_e2e_firmware.c — firmware upgrades end to end, both protocols: trbridge with a
 * routeros-sim router (sim0, architecture "arm", RouterOS 7.16), its simulated file server, the
 * scripted test ACS and a USP controller (trbridge-ctl over mosquitto). A package the router
 * rejects at boot (another architecture, older than the installed RouterOS) is a failure: CWMP
 * TransferComplete 9018, USP Boot! FirmwareUpdated false; the router keeps its RouterOS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itest_acs.h"
#include "itest_bridge.h"
#include "itest_util.h"
#include "proto/cwmp_fault.h"

#define WAIT_MS 40000

static itest_env env;
static itest_acs acs_t;
static char files[64]; /* routeros-sim's --fetch-dir: what the simulated file server has */
static char out[8192];

/* What the file server hands out (the simulator keeps up to 60 KB of each). */
static const char *const served[] = {"routeros-7.17-arm64.npk", "routeros-7.15-arm.npk"};

static bool put_file(const char *name)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", files, name);
	if (!(f = fopen(path, "w")))
		return false;
	fputs("not really a package\n", f);
	return fclose(f) == 0;
}

/* Sessions go on (the Download's, the one after the boot) until the TransferComplete with this
 * CommandKey came; it is returned. */
static const acs_record *transfer_complete(const char *key)
{
	for (;;) {
		for (size_t i = 0; i < acs_record_count(acs_t.a); i++) {
			const acs_record *r = acs_record_at(acs_t.a, i);
			if (r->msg && r->msg->method == CWMP_M_TRANSFER_COMPLETE &&
			    strcmp(r->msg->u.transfer_complete.command_key, key) == 0)
				return r;
		}
		if (itest_acs_next_session(&acs_t, WAIT_MS) < 0) {
			fprintf(stderr, "no TransferComplete %s; see %s\n", key, env.bridge_log);
			fail();
		}
	}
}

static void download(const char *key, const char *url)
{
	cwmp_msg m;

	cwmp_msg_init(&m, CWMP_M_DOWNLOAD);
	m.u.download.command_key = key;
	m.u.download.file_type = "1 Firmware Upgrade Image";
	m.u.download.url = url;
	itest_acs_rpc(&acs_t, &m);
	itest_acs_cr_session(&acs_t, &env, 0);
}

static const char *software_version(void)
{
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get",
				   "Device.DeviceInfo.SoftwareVersion", NULL),
			 0);
	return out;
}

static int setup(void **state)
{
	itest_env_opts o = {.routers = 1};
	char sim_args[128];

	(void)state;
	snprintf(files, sizeof files, "/tmp/tb-e2e-fw-files.XXXXXX");
	if (!mkdtemp(files))
		return -1;
	for (size_t i = 0; i < sizeof served / sizeof served[0]; i++)
		if (!put_file(served[i]))
			return -1;
	snprintf(sim_args, sizeof sim_args, "--fetch-dir %s", files);
	o.sim_args = sim_args;
	if (!itest_acs_env_start(&acs_t, &env, &o, NULL))
		return -1;
	fprintf(stderr, "test_e2e_firmware: logs in %s\n", env.dir);
	return 0;
}

static int teardown(void **state)
{
	char path[128];

	(void)state;
	itest_acs_env_stop(&acs_t, &env);
	for (size_t i = 0; i < sizeof served / sizeof served[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", files, served[i]);
		unlink(path);
	}
	rmdir(files);
	return 0;
}

/* CWMP: the router fetches an arm64 package, reboots, and comes back with its RouterOS (it is an
 * arm router): TransferComplete with 9018 ("file corrupted or otherwise unusable", TR-069
 * Amendment 6) and the version in FaultString, after "1 BOOT"; the package file is gone. */
static void cwmp_rejected_package_is_9018(void **state)
{
	const acs_record *tc;
	char ros[4096];

	(void)state;
	download("fw-arm64", "http://127.0.0.1:9/routeros-7.17-arm64.npk");
	tc = transfer_complete("fw-arm64");
	assert_int_equal(tc->msg->u.transfer_complete.fault_code, CWMP_FAULT_TRANSFER_CORRUPTED);
	assert_non_null(strstr(tc->msg->u.transfer_complete.fault_string, "7.16, not 7.17"));
	assert_non_null(strstr(software_version(), "= 7.16"));
	assert_true(itest_ros(&env, 0, ros, sizeof ros, "/file/print", NULL));
	assert_null(strstr(ros, ".npk"));
	assert_int_equal(itest_env_log_count(&env, "Download \"fw-arm64\" failed (9018)"), 1);
	assert_int_equal(acs_findings_total(acs_t.a), 0);
}

/* USP: Download() with AutoActivate of a package older than the installed RouterOS: the router
 * reboots and keeps 7.16; Boot! says FirmwareUpdated false (TR-369 Appendix "Firmware
 * Management": the controller's sign that the image did not boot). */
static void usp_rejected_package_boots_the_old_firmware(void **state)
{
	char path[600];
	pid_t pid;

	(void)state;
	snprintf(path, sizeof path, "%s/sub-fw-old.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "Event", "Device.Boot!", false);
	assert_true(pid > 0);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.DeviceInfo.FirmwareImage.1.Download()", "--key", "fw-old",
				   "URL=http://127.0.0.1:9/routeros-7.15-arm.npk", "AutoActivate=true",
				   NULL),
			 0);
	assert_true(itest_wait_file(path, "Event Device.Boot!", WAIT_MS));
	assert_true(itest_wait_file(path, "FirmwareUpdated = false", 1000));
	assert_true(itest_wait_file(path, "CommandKey = fw-old", 1000));
	assert_non_null(strstr(software_version(), "= 7.16"));
	itest_ctl_stop(pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cwmp_rejected_package_is_9018),
		cmocka_unit_test(usp_rejected_package_boots_the_old_firmware),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
