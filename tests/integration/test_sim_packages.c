/* test_sim_packages.c — routeros-sim's packages and upgrades over real sockets, per version mode:
 * uploaded .npk files installed at boot and deleted, a package of another architecture or older
 * than the installed RouterOS left out, an installed package without its upgrade uninstalled at a
 * plain reboot, /system/package/apply-changes (7.18 on: refused while a package is missing,
 * ignore-missing), and the RouterBOARD bootloader upgrade (current-firmware / upgrade-firmware). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_sim.h"
#include "itest_util.h"

static itest_env env; /* only sim_port is used: itest_ros talks to the simulator alone */
static sim_proc sim;
static char out[16384];

static void start(const char *version, const char *model)
{
	char opt[32];

	snprintf(opt, sizeof opt, "--model=%s", model);
	sim = sim_start(1, version, opt, NULL);
	env.sim_port = sim.port;
}

/* /tool/fetch of a package file into the root of /file (as trbridge does: dst-path). */
static void upload(const char *file)
{
	char url[160], dst[160];

	snprintf(url, sizeof url, "=url=http://192.0.2.80/%s", file);
	snprintf(dst, sizeof dst, "=dst-path=%s", file);
	assert_true(itest_ros(&env, 0, out, sizeof out, "/tool/fetch", url, dst, NULL));
}

/* A command that reboots the router: the connection drops without an answer; the router
 * listens again after the reboot delay. */
static void reboot_with(const char *command)
{
	assert_false(itest_ros(&env, 0, out, sizeof out, command, NULL));
	sim_wait_back(env.sim_port);
}

/* The value of prop in the reply of print on menu (the first row with it). */
static const char *print(const char *menu, const char *prop)
{
	static char val[128];
	char cmd[96], key[64];
	const char *p;

	snprintf(cmd, sizeof cmd, "%s/print", menu);
	assert_true(itest_ros(&env, 0, out, sizeof out, cmd, NULL));
	snprintf(key, sizeof key, "=%s=", prop);
	if (!(p = strstr(out, key)))
		return "";
	p += strlen(key);
	snprintf(val, sizeof val, "%.*s", (int)strcspn(p, "\n"), p);
	return val;
}

/* 7.16 on an arm hAP ac²: a routeros package of the router's architecture installs at the next
 * boot and its file is gone; the bootloader stays until /system/routerboard/upgrade and a second
 * reboot. */
static void upgrade_then_bootloader(void **state)
{
	(void)state;
	start("7.16", "hap-ac2");
	upload("routeros-7.17-arm.npk");
	assert_non_null(strstr(print("/file", "name"), "routeros-7.17-arm.npk"));
	assert_string_equal(print("/system/resource", "version"), "7.16 (stable)");
	reboot_with("/system/reboot");
	assert_string_equal(print("/system/resource", "version"), "7.17 (stable)");
	assert_string_equal(print("/system/package", "version"), "7.17");
	assert_string_equal(print("/file", "name"), "");
	assert_string_equal(print("/system/routerboard", "upgrade-firmware"), "7.17");
	assert_string_equal(print("/system/routerboard", "current-firmware"), "7.16");
	assert_true(itest_ros(&env, 0, out, sizeof out, "/system/routerboard/upgrade", NULL));
	assert_string_equal(print("/system/routerboard", "current-firmware"), "7.16");
	reboot_with("/system/reboot");
	assert_string_equal(print("/system/routerboard", "current-firmware"), "7.17");
	/* before 7.18 there is no apply-changes */
	assert_false(itest_ros(&env, 0, out, sizeof out, "/system/package/apply-changes", NULL));
	assert_non_null(strstr(out, "no such command"));
}

/* Packages RouterOS leaves out at boot: another architecture, older than the installed
 * RouterOS (that takes /system/package/downgrade). Their files are gone all the same. */
static void rejected_packages(void **state)
{
	(void)state;
	start("7.16", "hap-ac2");
	upload("routeros-7.17-arm64.npk");
	reboot_with("/system/reboot");
	assert_string_equal(print("/system/resource", "version"), "7.16 (stable)");
	assert_string_equal(print("/file", "name"), "");
	upload("routeros-7.15-arm.npk");
	reboot_with("/system/reboot");
	assert_string_equal(print("/system/resource", "version"), "7.16 (stable)");
	assert_string_equal(print("/file", "name"), "");
}

/* 7.16 on a hAP ax² (arm64, wifi-qcom since 7.13): the system package alone upgrades at a plain
 * reboot and the Wi-Fi package, without its upgrade, is gone (MikroTik manual, Packages: every
 * package must have the system package's version). */
static void plain_reboot_drops_a_package_left_behind(void **state)
{
	(void)state;
	start("7.16", "hap-ax2");
	assert_non_null(strstr(print("/system/package", "name"), "routeros"));
	assert_true(itest_ros(&env, 0, out, sizeof out, "/system/package/print", NULL));
	assert_non_null(strstr(out, "=name=wifi-qcom"));
	upload("routeros-7.17-arm64.npk");
	reboot_with("/system/reboot");
	assert_string_equal(print("/system/resource", "version"), "7.17 (stable)");
	assert_true(itest_ros(&env, 0, out, sizeof out, "/system/package/print", NULL));
	assert_null(strstr(out, "=name=wifi-qcom"));
}

/* 7.18 on a hAP ax²: apply-changes refuses while wifi-qcom has no upgrade beside the system
 * package (nothing reboots), takes both once both are there, and with ignore-missing upgrades
 * the system package alone. */
static void apply_changes_on_718(void **state)
{
	(void)state;
	start("7.18", "hap-ax2");
	upload("routeros-7.19-arm64.npk");
	assert_false(itest_ros(&env, 0, out, sizeof out, "/system/package/apply-changes", NULL));
	assert_non_null(strstr(out, "missing packages: wifi-qcom"));
	assert_string_equal(print("/system/resource", "version"), "7.18 (stable)"); /* no reboot */
	upload("wifi-qcom-7.19-arm64.npk");
	reboot_with("/system/package/apply-changes");
	assert_string_equal(print("/system/resource", "version"), "7.19 (stable)");
	assert_true(itest_ros(&env, 0, out, sizeof out, "/system/package/print", NULL));
	assert_non_null(strstr(out, "=name=wifi-qcom\n=version=7.19"));
	upload("routeros-7.20-arm64.npk");
	assert_false(itest_ros(&env, 0, out, sizeof out, "/system/package/apply-changes",
			       "=ignore-missing=yes", NULL));
	sim_wait_back(env.sim_port);
	assert_string_equal(print("/system/resource", "version"), "7.20 (stable)");
}

/* A CHR has no RouterBOARD bootloader to upgrade. */
static void chr_has_no_bootloader(void **state)
{
	(void)state;
	start("7.16", "chr");
	assert_false(itest_ros(&env, 0, out, sizeof out, "/system/routerboard/upgrade", NULL));
	assert_non_null(strstr(out, "not a RouterBOARD"));
	upload("routeros-7.17.npk"); /* x86 files name no architecture */
	reboot_with("/system/reboot");
	assert_string_equal(print("/system/resource", "version"), "7.17 (stable)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(upgrade_then_bootloader, sim_teardown),
		cmocka_unit_test_teardown(rejected_packages, sim_teardown),
		cmocka_unit_test_teardown(plain_reboot_drops_a_package_left_behind, sim_teardown),
		cmocka_unit_test_teardown(apply_changes_on_718, sim_teardown),
		cmocka_unit_test_teardown(chr_has_no_bootloader, sim_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
