/* test_e2e_firmware.c — firmware upgrades end to end, both protocols: trbridge with a
 * routeros-sim router, its simulated file server, the scripted test ACS and a USP controller
 * (trbridge-ctl over mosquitto). On a hAP ac² with RouterOS 7.16 (Wi-Fi in the "wireless"
 * package): a manifest's packages fetched and installed in one reboot; a package left behind, a
 * file the server lacks: a failed transfer, no reboot, nothing left in /file; a package the
 * router rejects at boot (another architecture, older than the installed RouterOS): CWMP
 * TransferComplete 9018, USP Boot! FirmwareUpdated false; with [router] upgrade_bootloader the
 * RouterBOARD bootloader follows a real upgrade (a second reboot). On a hAP ax² with 7.18: the
 * upgrade goes through /system/package/apply-changes. */
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

/* What the file server hands out: packages (text is enough for the simulator) and manifests. */
static const struct {
	const char *name, *text;
} served[] = {
	{"routeros-7.17-arm.npk", NULL},
	{"wireless-7.17-arm.npk", NULL},
	{"routeros-7.17-arm64.npk", NULL},
	{"wireless-7.17-arm64.npk", NULL},
	{"routeros-7.15-arm.npk", NULL},
	{"wireless-7.15-arm.npk", NULL},
	{"routeros-7.19-arm64.npk", NULL},
	{"wifi-qcom-7.19-arm64.npk", NULL},
	{"fw-7.17.xml", "<upgrade version=\"1\" type=\"links\"><links>\n"
			" <link><url>http://127.0.0.1:9/routeros-7.17-arm.npk</url></link>\n"
			" <link><url>http://127.0.0.1:9/wireless-7.17-arm.npk?sig=1</url></link>\n"
			"</links></upgrade>\n"},
	{"fw-arm64.xml", "<upgrade version=\"1\"><links>"
			 "<link><url>http://127.0.0.1:9/routeros-7.17-arm64.npk</url></link>"
			 "<link><url>http://127.0.0.1:9/wireless-7.17-arm64.npk</url></link>"
			 "</links></upgrade>"},
	{"fw-7.15.xml", "<upgrade version=\"1\"><links>"
			"<link><url>http://127.0.0.1:9/routeros-7.15-arm.npk</url></link>"
			"<link><url>http://127.0.0.1:9/wireless-7.15-arm.npk</url></link>"
			"</links></upgrade>"},
	{"fw-gone.xml", "<upgrade version=\"1\"><links>"
			"<link><url>http://127.0.0.1:9/routeros-7.17-arm.npk</url></link>"
			"<link><url>http://127.0.0.1:9/wireless-7.17-gone.npk</url></link>"
			"</links></upgrade>"},
	{"fw-7.19.xml", "<upgrade version=\"1\"><links>"
			"<link><url>http://127.0.0.1:9/routeros-7.19-arm64.npk</url></link>"
			"<link><url>http://127.0.0.1:9/wifi-qcom-7.19-arm64.npk</url></link>"
			"</links></upgrade>"},
};

static bool put_files(void)
{
	char path[128];
	FILE *f;

	snprintf(files, sizeof files, "/tmp/tb-e2e-fw-files.XXXXXX");
	if (!mkdtemp(files))
		return false;
	for (size_t i = 0; i < sizeof served / sizeof served[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", files, served[i].name);
		if (!(f = fopen(path, "w")))
			return false;
		fputs(served[i].text ? served[i].text : "not really a package\n", f);
		if (fclose(f) != 0)
			return false;
	}
	return true;
}

static void remove_files(void)
{
	char path[128];

	for (size_t i = 0; i < sizeof served / sizeof served[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", files, served[i].name);
		unlink(path);
	}
	rmdir(files);
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

/* A CWMP Download of a firmware image; its TransferComplete. */
static const acs_record *download(const char *key, const char *url)
{
	cwmp_msg m;

	cwmp_msg_init(&m, CWMP_M_DOWNLOAD);
	m.u.download.command_key = key;
	m.u.download.file_type = "1 Firmware Upgrade Image";
	m.u.download.url = url;
	itest_acs_rpc(&acs_t, &m);
	itest_acs_cr_session(&acs_t, &env, 0);
	return transfer_complete(key);
}

static const char *get(const char *path)
{
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "get", path, NULL), 0);
	return out;
}

/* What the router's /file and /system/package print (every word, one per line). */
static const char *router(const char *cmd)
{
	static char ros[8192];
	assert_true(itest_ros(&env, 0, ros, sizeof ros, cmd, NULL));
	return ros;
}

static int start(const char *sim_args, const char *router_conf)
{
	itest_env_opts o = {.routers = 1, .router_conf = router_conf};
	char args[256];

	if (!put_files())
		return -1;
	snprintf(args, sizeof args, "--fetch-dir %s %s", files, sim_args);
	o.sim_args = args;
	if (!itest_acs_env_start(&acs_t, &env, &o, NULL))
		return -1;
	fprintf(stderr, "test_e2e_firmware: logs in %s\n", env.dir);
	return 0;
}

static int setup_716(void **state)
{
	(void)state;
	return start("--ros-version 7.16 --model hap-ac2", "upgrade_bootloader = yes\n");
}

static int setup_718(void **state)
{
	(void)state;
	return start("--ros-version 7.18 --model hap-ax2", NULL);
}

static int teardown(void **state)
{
	(void)state;
	itest_acs_env_stop(&acs_t, &env);
	remove_files();
	return 0;
}

/* The system package alone on a router with the wireless package: refused before any reboot
 * (RouterOS would drop the Wi-Fi driver), and the fetched file removed. */
static void cwmp_package_left_behind(void **state)
{
	const acs_record *tc;

	(void)state;
	tc = download("fw-alone", "http://127.0.0.1:9/routeros-7.17-arm.npk");
	assert_int_equal(tc->msg->u.transfer_complete.fault_code, CWMP_FAULT_TRANSFER_FAILURE);
	assert_non_null(strstr(tc->msg->u.transfer_complete.fault_string, "behind (wireless)"));
	assert_null(strstr(router("/file/print"), ".npk"));
	assert_int_equal(itest_env_log_count(&env, "booted"), 0);
	assert_non_null(strstr(get("Device.DeviceInfo.SoftwareVersion"), "= 7.16"));
}

/* A manifest whose second file the server lacks: 9016, no reboot, the first file removed. */
static void cwmp_failed_fetch_leaves_nothing(void **state)
{
	const acs_record *tc;

	(void)state;
	tc = download("fw-gone", "http://127.0.0.1:9/fw-gone.xml");
	assert_int_equal(tc->msg->u.transfer_complete.fault_code, CWMP_FAULT_TRANSFER_ACCESS);
	assert_null(strstr(router("/file/print"), ".npk"));
	assert_int_equal(itest_env_log_count(&env, "booted"), 0);
}

/* CWMP: the router fetches arm64 packages, reboots, and comes back with its RouterOS (it is an
 * arm router): TransferComplete with 9018 ("file corrupted or otherwise unusable", TR-069
 * Amendment 6) after "1 BOOT"; the package files are gone. */
static void cwmp_rejected_package_is_9018(void **state)
{
	const acs_record *tc;

	(void)state;
	tc = download("fw-arm64", "http://127.0.0.1:9/fw-arm64.xml");
	assert_int_equal(tc->msg->u.transfer_complete.fault_code, CWMP_FAULT_TRANSFER_CORRUPTED);
	assert_non_null(strstr(tc->msg->u.transfer_complete.fault_string, "runs RouterOS 7.16"));
	assert_non_null(strstr(get("Device.DeviceInfo.SoftwareVersion"), "= 7.16"));
	assert_null(strstr(router("/file/print"), ".npk"));
	assert_int_equal(itest_env_log_count(&env, "Download \"fw-arm64\" failed (9018)"), 1);
	assert_int_equal(acs_findings_total(acs_t.a), 0);
}

/* USP: Download() with AutoActivate of packages older than the installed RouterOS: the router
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
				   "URL=http://127.0.0.1:9/fw-7.15.xml", "AutoActivate=true", NULL),
			 0);
	assert_true(itest_wait_file(path, "Event Device.Boot!", WAIT_MS));
	assert_true(itest_wait_file(path, "FirmwareUpdated = false", 1000));
	assert_true(itest_wait_file(path, "CommandKey = fw-old", 1000));
	assert_non_null(strstr(get("Device.DeviceInfo.SoftwareVersion"), "= 7.16"));
	itest_ctl_stop(pid);
}

/* A manifest with the system and the Wi-Fi package (the second URL signed with a query): both
 * fetched, one reboot, both installed: TransferComplete without fault (7.17 everywhere is
 * checked below, once the bootloader's reboot is over). */
static void cwmp_manifest_upgrades_every_package(void **state)
{
	const acs_record *tc;

	(void)state;
	tc = download("fw-7.17", "http://127.0.0.1:9/fw-7.17.xml");
	assert_int_equal(tc->msg->u.transfer_complete.fault_code, 0);
}

/* [router] upgrade_bootloader: after the upgrade to 7.17 (above) the RouterBOARD's bootloader is
 * 7.16 and the new RouterOS carries 7.17: /system/routerboard/upgrade and a second reboot write
 * it. After the rejected packages (RouterOS still 7.16) the bootloader was current: no reboot. */
static void bootloader_follows_the_upgrade(void **state)
{
	bool written = false;
	const char *rb;

	(void)state;
	for (int i = 0; i < 400 && !written; i++) {
		char ros[2048];
		written = itest_ros(&env, 0, ros, sizeof ros, "/system/routerboard/print", NULL) &&
			  strstr(ros, "=current-firmware=7.17");
		if (!written)
			usleep(100000);
	}
	assert_true(written);
	assert_int_equal(itest_env_log_count(&env, "bootloader 7.16 -> 7.17: rebooting"), 1);
	assert_int_equal(itest_env_log_count(&env, "bootloader 7.16 is the current one"), 2);
	/* trbridge has the router back */
	for (int i = 0; i < 400 && itest_ctl(&env, 0, NULL, out, sizeof out, "get",
					      "Device.DeviceInfo.SoftwareVersion", NULL) != 0; i++)
		usleep(100000);
	assert_non_null(strstr(get("Device.DeviceInfo.SoftwareVersion"), "= 7.17"));
	rb = router("/system/package/print");
	assert_non_null(strstr(rb, "=name=wireless\n=version=7.17"));
	assert_non_null(strstr(rb, "=name=routeros\n=version=7.17"));
	assert_null(strstr(router("/file/print"), ".npk"));
}

/* 7.18: USP Download() of a manifest on a hAP ax² (wifi-qcom): the packages are applied with
 * /system/package/apply-changes; Boot! FirmwareUpdated true, 7.19 with wifi-qcom 7.19. */
static void usp_apply_changes_on_718(void **state)
{
	char path[600];
	pid_t pid;

	(void)state;
	snprintf(path, sizeof path, "%s/sub-fw-719.out", env.dir);
	pid = itest_subscribe(&env, 0, path, "Event", "Device.Boot!", false);
	assert_true(pid > 0);
	assert_int_equal(itest_ctl(&env, 0, NULL, out, sizeof out, "operate",
				   "Device.DeviceInfo.FirmwareImage.1.Download()", "--key", "fw-719",
				   "URL=http://127.0.0.1:9/fw-7.19.xml", "AutoActivate=true", NULL),
			 0);
	assert_true(itest_wait_file(path, "Event Device.Boot!", WAIT_MS));
	assert_true(itest_wait_file(path, "FirmwareUpdated = true", 1000));
	assert_int_equal(itest_env_log_count(&env, "/system/package/apply-changes"), 1);
	assert_non_null(strstr(get("Device.DeviceInfo.SoftwareVersion"), "= 7.19"));
	assert_non_null(strstr(router("/system/package/print"), "=name=wifi-qcom\n=version=7.19"));
	itest_ctl_stop(pid);
}

int main(void)
{
	const struct CMUnitTest on_716[] = {
		cmocka_unit_test(cwmp_package_left_behind),
		cmocka_unit_test(cwmp_failed_fetch_leaves_nothing),
		cmocka_unit_test(cwmp_rejected_package_is_9018),
		cmocka_unit_test(usp_rejected_package_boots_the_old_firmware),
		cmocka_unit_test(cwmp_manifest_upgrades_every_package),
		cmocka_unit_test(bootloader_follows_the_upgrade),
	};
	const struct CMUnitTest on_718[] = {
		cmocka_unit_test(usp_apply_changes_on_718),
	};
	int failed = cmocka_run_group_tests(on_716, setup_716, teardown);

	return failed + cmocka_run_group_tests(on_718, setup_718, teardown);
}
