/* test_adapter_operate.c — the router's command provider (dm_cmd) against routeros-sim: IPPing and
 * TraceRoute results, firmware Download() (+ AutoActivate reboot) with progress, Reboot() with its
 * command key in the Boot!, FactoryReset(), configuration Backup() (a real HTTP PUT to the test
 * ACS) and Restore(), cancellation, and refusals. */
#include "tests/integration/adapter_itest.h"

#include <sys/stat.h>

#include "tools/test-acs/acs.h"

#include "bridge/routeros/ros_operate.h"
#include "datamodel/dm_cmd.h"

typedef struct op_result {
	dm_cmd_call call;
	bool done;
	tb_err rc;
	char msg[256];
	size_t n;
	char names[64][48];
	char values[64][64];
	size_t n_progress;
	char status[16][16]; /* the progress reports, in order */
	int percent[16];
	bool cancel_at_progress; /* cancel from inside the first progress report */
	tb_err cancel_rc;
} op_result;

static void op_done(dm_cmd_call *call, const dm_cmd_result *res)
{
	op_result *r = call->arg;
	r->done = true;
	r->rc = res->rc;
	snprintf(r->msg, sizeof r->msg, "%s", res->err_msg);
	for (size_t i = 0; i < res->n_out && i < 64; i++) {
		snprintf(r->names[i], sizeof r->names[i], "%s", res->out[i].name);
		snprintf(r->values[i], sizeof r->values[i], "%s", res->out[i].value);
	}
	r->n = res->n_out < 64 ? res->n_out : 64;
}

static void op_progress(dm_cmd_call *call, const dm_cmd_progress *p)
{
	op_result *r = call->arg;
	if (r->n_progress < 16) {
		snprintf(r->status[r->n_progress], sizeof r->status[0], "%s", p->status);
		r->percent[r->n_progress] = p->percent;
	}
	r->n_progress++;
	if (r->cancel_at_progress) {
		r->cancel_at_progress = false;
		r->cancel_rc = dm_cmd_cancel(call);
	}
}

static void op_init(op_result *r)
{
	memset(r, 0, sizeof *r);
	r->call.done = op_done;
	r->call.progress = op_progress;
	r->call.arg = r;
}

/* Starts cmd_path on obj_path of router 0 with command key "ck-1". */
static tb_err op_start(at_env *env, const char *cmd_path, const char *obj_path, const dm_nv *in,
		       size_t n, op_result *r, tb_errctx *e)
{
	dm_obj *obj = dm_tree_find(env->r[0].tree, obj_path);
	dm_cmd_req req = {.tree = env->r[0].tree, .obj = obj, .command = dm_schema_find(cmd_path),
			  .in = in, .n_in = n, .command_key = "ck-1", .origin = DM_ORIGIN_USP};
	assert_non_null(obj);
	return dm_cmd_start(&ros_operate_provider, env->r[0].ad, &req, &r->call, e);
}

static bool op_is_done(void *arg)
{
	return ((op_result *)arg)->done;
}

static const char *out_of(const op_result *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->names[i], name))
			return r->values[i];
	fail_msg("no output %s", name);
	return NULL;
}

static void run_op(at_env *env, const char *cmd_path, const char *obj_path, const dm_nv *in,
		   size_t n, op_result *r)
{
	tb_errctx e;
	op_init(r);
	if (op_start(env, cmd_path, obj_path, in, n, r, &e) != TB_OK)
		fail_msg("%s: %s", cmd_path, e.msg);
	assert_true(tb_loop_run_until(env->loop, op_is_done, r, 20000));
}

static bool op_has_progress(void *arg)
{
	return ((op_result *)arg)->n_progress > 0;
}

static bool booted(void *arg)
{
	return ((at_router *)arg)->boots > 0;
}

static bool is_down(void *arg)
{
	return !ros_adapter_is_up(arg);
}

static void test_diagnostics(void **state)
{
	static op_result r;
	at_env env;
	tb_errctx e;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	{
		const dm_nv in[] = {{"Host", "10.20.30.40"}, {"NumberOfRepetitions", "2"},
				     {"ProtocolVersion", "Any"}, {"Timeout", "1000"},
				     {"DataBlockSize", "64"}};
		run_op(&env, "Device.IP.Diagnostics.IPPing()", "Device.IP.Diagnostics.", in, 5, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	assert_string_equal(out_of(&r, "Status"), "Complete");
	assert_string_equal(out_of(&r, "SuccessCount"), "2");
	assert_string_equal(out_of(&r, "FailureCount"), "0");
	assert_true(strtoul(out_of(&r, "MaximumResponseTimeDetailed"), NULL, 10) >=
		    strtoul(out_of(&r, "MinimumResponseTimeDetailed"), NULL, 10));
	assert_true(strtoul(out_of(&r, "AverageResponseTimeDetailed"), NULL, 10) > 0);
	{
		/* 192.0.2.0/24 never answers in the simulator */
		const dm_nv in[] = {{"Host", "192.0.2.1"}, {"NumberOfRepetitions", "2"}};
		run_op(&env, "Device.IP.Diagnostics.IPPing()", "Device.IP.Diagnostics.", in, 2, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	assert_string_equal(out_of(&r, "SuccessCount"), "0");
	assert_string_equal(out_of(&r, "FailureCount"), "2");
	{
		const dm_nv in[] = {{"Host", "198.51.100.7"}, {"ProtocolVersion", "Any"}};
		run_op(&env, "Device.IP.Diagnostics.TraceRoute()", "Device.IP.Diagnostics.", in, 2,
		       &r);
	}
	assert_int_equal(r.rc, TB_OK);
	assert_string_equal(out_of(&r, "RouteHops.3.Host"), "198.51.100.7");
	assert_string_equal(out_of(&r, "RouteHops.1.ErrorCode"), "0");
	assert_true(strlen(out_of(&r, "RouteHops.2.RTTimes")) > 0);
	/* refusals happen at once */
	op_init(&r);
	assert_int_equal(op_start(&env, "Device.IP.Diagnostics.IPPing()", "Device.", NULL, 0, &r, &e),
			 TB_ERR_INVALID_ARG);
	assert_int_equal(op_start(&env, "Device.SelfTestDiagnostics()", "Device.", NULL, 0, &r, &e),
			 TB_ERR_NOT_SUPPORTED);
	assert_false(r.done);
	at_teardown(&env);
}

static void test_download_and_reboot(void **state)
{
	static op_result r;
	at_env env;
	tb_errctx e;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	{
		const dm_nv in[] = {{"URL", "http://192.0.2.80/routeros-7.17-arm.npk"},
				     {"AutoActivate", "false"}};
		run_op(&env, "Device.DeviceInfo.FirmwareImage.{i}.Download()",
		       "Device.DeviceInfo.FirmwareImage.1.", in, 2, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	/* the simulator streams connecting, four downloading rows, finished */
	assert_int_equal(r.n_progress, 6);
	assert_string_equal(r.status[0], "connecting");
	assert_int_equal(r.percent[0], -1);
	assert_string_equal(r.status[1], "downloading");
	for (size_t i = 2; i < 5; i++)
		assert_true(r.percent[i] >= r.percent[i - 1] && r.percent[i] < 100);
	assert_string_equal(r.status[5], "finished");
	assert_int_equal(r.percent[5], 100);
	at_settle(&env, 3000); /* an uptime worth going backwards from */
	/* once sent, a reboot cannot be cancelled: it goes on and succeeds */
	op_init(&r);
	assert_int_equal(op_start(&env, "Device.Reboot()", "Device.", NULL, 0, &r, &e), TB_OK);
	assert_int_equal(dm_cmd_cancel(&r.call), TB_ERR_NOT_SUPPORTED);
	assert_true(tb_loop_run_until(env.loop, op_is_done, &r, 20000));
	assert_int_equal(r.rc, TB_OK);
	assert_true(tb_loop_run_until(env.loop, is_down, env.r[0].ad, 5000));
	op_init(&r);
	assert_int_equal(op_start(&env, "Device.Reboot()", "Device.", NULL, 0, &r, &e),
			 TB_ERR_UNAVAILABLE);
	assert_true(tb_loop_run_until(env.loop, booted, &env.r[0], 15000));
	assert_string_equal(env.r[0].boot_cause, "RemoteReboot");
	assert_string_equal(env.r[0].boot_key, "ck-1"); /* Boot!'s CommandKey */
	at_teardown(&env);
}

/* The router stores the image under the file name of the URL's path: a query string (a signed
 * download link) or a fragment is no part of it; a URL that names no package (nor a manifest)
 * is refused before anything is fetched: RouterOS installs only <name>-<version>[-<arch>].npk. */
static void test_download_file_name(void **state)
{
	static op_result r;
	static at_result res;
	at_env env;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	{
		const dm_nv in[] = {
			{"URL", "https://192.0.2.80/fw/routeros-7.17-arm.npk?X-Token=a/b%2Fc&e=1#top"},
			{"AutoActivate", "false"}};
		run_op(&env, "Device.DeviceInfo.FirmwareImage.{i}.Download()",
		       "Device.DeviceInfo.FirmwareImage.1.", in, 2, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	for (int i = 0; i < 2; i++) {
		const dm_nv in[] = {{"URL", i ? "http://192.0.2.80/firmware.bin" : "http://192.0.2.80"},
				    {"AutoActivate", "false"}};
		tb_errctx e;
		op_init(&r);
		assert_int_equal(op_start(&env, "Device.DeviceInfo.FirmwareImage.{i}.Download()",
					  "Device.DeviceInfo.FirmwareImage.1.", in, 2, &r, &e),
				 TB_ERR_INVALID_ARG);
	}
	{
		const char *const w[] = {"/file/print"};
		char name[128];
		at_raw(&env, &res, w, 1);
		assert_false(res.trapped);
		assert_int_equal(res.n, 1);
		assert_true(at_item_get(res.items[0], "name", name, sizeof name));
		assert_string_equal(name, "routeros-7.17-arm.npk");
	}
	at_teardown(&env);
}

/* A reboot right after another one: the uptime has not grown enough to go back by much, yet the
 * second boot is seen too (the connection the reboot took down), with its own command key. */
static void test_reboot_right_after_a_reboot(void **state)
{
	static op_result r;
	at_env env;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	for (int i = 1; i <= 2; i++) {
		run_op(&env, "Device.Reboot()", "Device.", NULL, 0, &r);
		assert_int_equal(r.rc, TB_OK);
		assert_true(tb_loop_run_until(env.loop, is_down, env.r[0].ad, 5000));
		assert_true(tb_loop_run_until(env.loop, at_is_up, env.r[0].ad, 15000));
		assert_int_equal(env.r[0].boots, i);
		assert_string_equal(env.r[0].boot_cause, "RemoteReboot");
		assert_string_equal(env.r[0].boot_key, "ck-1");
	}
	at_teardown(&env);
}

/* AutoActivate=true: once the download finished the router is rebooted to install it (RouterOS
 * installs packages at boot); the command succeeds and the boot is ours (RemoteReboot). Without
 * AutoActivate (above) nothing reboots. A CHR: routeros is its only package, one file is all. */
static void test_download_auto_activate(void **state)
{
	static const char *const chr[] = {"--model", "chr", NULL};
	static op_result r;
	at_env env;
	(void)state;

	at_setup(&env, 1, "7.16", chr);
	at_settle(&env, 3000); /* an uptime worth going backwards from */
	{
		const dm_nv in[] = {{"URL", "http://192.0.2.80/routeros-7.17.npk"},
				    {"AutoActivate", "true"}};
		run_op(&env, "Device.DeviceInfo.FirmwareImage.{i}.Download()",
		       "Device.DeviceInfo.FirmwareImage.1.", in, 2, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	assert_string_equal(r.status[r.n_progress - 1], "finished");
	assert_true(tb_loop_run_until(env.loop, booted, &env.r[0], 20000));
	assert_string_equal(env.r[0].boot_cause, "RemoteReboot");
	at_teardown(&env);
}

static void test_cancel(void **state)
{
	static op_result r;
	const dm_nv long_ping[] = {{"Host", "10.20.30.40"}, {"NumberOfRepetitions", "100"}};
	at_env env;
	tb_errctx e;
	(void)state;

	at_setup(&env, 1, "7.16", NULL);
	/* a ping series: progress counts the pings sent; cancel ends it at once */
	op_init(&r);
	assert_int_equal(op_start(&env, "Device.IP.Diagnostics.IPPing()", "Device.IP.Diagnostics.",
				  long_ping, 2, &r, &e), TB_OK);
	assert_true(r.call.running);
	assert_true(tb_loop_run_until(env.loop, op_has_progress, &r, 10000));
	assert_string_equal(r.status[0], "running");
	assert_int_equal(r.percent[0], 1); /* 1 of 100 */
	assert_false(r.done);
	assert_int_equal(dm_cmd_cancel(&r.call), TB_OK);
	assert_true(r.done);
	assert_int_equal(r.rc, TB_ERR_CANCELLED);
	assert_int_equal(r.n, 0);
	assert_int_equal(dm_cmd_cancel(&r.call), TB_ERR_NO_SUCH_OBJECT);
	/* cancelled from inside its own progress report */
	op_init(&r);
	r.cancel_at_progress = true;
	{
		const dm_nv in[] = {{"URL", "http://192.0.2.80/routeros-7.17-arm.npk"},
				    {"AutoActivate", "true"}};
		assert_int_equal(op_start(&env, "Device.DeviceInfo.FirmwareImage.{i}.Download()",
					  "Device.DeviceInfo.FirmwareImage.1.", in, 2, &r, &e), TB_OK);
	}
	assert_true(tb_loop_run_until(env.loop, op_is_done, &r, 10000));
	assert_int_equal(r.cancel_rc, TB_OK);
	assert_int_equal(r.rc, TB_ERR_CANCELLED);
	assert_int_equal(r.n_progress, 1);
	/* the session goes on: the next command runs, nothing reboots */
	{
		const dm_nv in[] = {{"Host", "10.20.30.40"}, {"NumberOfRepetitions", "1"}};
		run_op(&env, "Device.IP.Diagnostics.IPPing()", "Device.IP.Diagnostics.", in, 2, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	assert_string_equal(out_of(&r, "SuccessCount"), "1");
	assert_true(ros_adapter_is_up(env.r[0].ad));
	assert_int_equal(env.r[0].boots, 0);
	at_teardown(&env);
}

static bool hostname_is_default(void *arg)
{
	at_router *r = arg;
	return ros_adapter_is_up(r->ad) &&
	       !strcmp(at_get(r->tree, "Device.DeviceInfo.HostName"), "MikroTik");
}

/* FactoryReset keeps the account the bridge logs in with (keep-users=yes): the router comes back
 * with its default configuration (no port forwards, identity MikroTik) and the adapter logs in
 * again. A bare reset would have left admin with the factory password and locked it out. */
static void test_factory_reset(void **state)
{
	static op_result r;
	at_env env;
	(void)state;

	at_setup(&env, 1, "7.16", (const char *const[]){"--password", "s3cret", NULL});
	assert_true(at_count(env.r[0].tree, "Device.NAT.PortMapping.{i}.") > 0);
	at_settle(&env, 2000); /* an uptime worth going backwards from */
	run_op(&env, "Device.FactoryReset()", "Device.", NULL, 0, &r);
	assert_int_equal(r.rc, TB_OK);
	assert_true(tb_loop_run_until(env.loop, booted, &env.r[0], 15000));
	assert_string_equal(env.r[0].boot_cause, "RemoteFactoryReset");
	assert_true(tb_loop_run_until(env.loop, hostname_is_default, &env.r[0], 10000));
	assert_int_equal(at_count(env.r[0].tree, "Device.NAT.PortMapping.{i}."), 0);
	at_teardown(&env);
}

/* The router's /file names, one per line. */
static void router_files(at_env *env, char *out, size_t len)
{
	static at_result res;
	static const char *const w[] = {"/file/print", "=.proplist=name"};
	size_t used = 0;

	at_raw(env, &res, w, 2);
	out[0] = '\0';
	for (size_t i = 0; i < res.n && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s", res.items[i]);
}

static void set_identity(at_env *env, const char *name)
{
	static at_result res;
	char word[96];
	const char *w[] = {"/system/identity/set", word};

	snprintf(word, sizeof word, "=name=%s", name);
	at_raw(env, &res, w, 2);
	assert_false(res.trapped);
}

/* Backup() exports the configuration and PUTs it (with the credentials, Basic) to the URL; a
 * wrong password is the server's 401; Restore() of that file brings back the value changed
 * meanwhile. Neither leaves a file on the router. */
static void test_backup_and_restore(void **state)
{
	static op_result r;
	acs_config ac = {.file_auth = ACS_AUTH_BASIC, .username = "up", .password = "pw"};
	char *dir = itest_tmpdir("cfgfile"), url[128], files[4096], path[256];
	const char *extra[] = {"--fetch-dir", dir, NULL};
	acs *server;
	at_env env;
	tb_errctx e;
	size_t len;
	char *body;
	FILE *f;
	(void)state;

	assert_non_null(dir);
	assert_non_null(server = acs_start(&ac, &e));
	at_setup(&env, 1, "7.16", extra);
	assert_non_null(at_find(env.r[0].tree, "Device.DeviceInfo.",
				"Device.DeviceInfo.VendorConfigFile.{i}.", "Name", "config.rsc"));
	set_identity(&env, "before-backup");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/files/r0.rsc", acs_port(server));
	{
		const dm_nv in[] = {{"URL", url}, {"Username", "up"}, {"Password", "pw"}};
		run_op(&env, "Device.DeviceInfo.VendorConfigFile.{i}.Backup()",
		       "Device.DeviceInfo.VendorConfigFile.1.", in, 3, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	assert_non_null(body = acs_wait_file(server, "/files/r0.rsc", 5000, &len));
	assert_non_null(strstr(body, "/system identity\nset name=before-backup\n"));
	router_files(&env, files, sizeof files);
	assert_null(strstr(files, ".rsc"));
	{
		const dm_nv in[] = {{"URL", url}, {"Username", "up"}, {"Password", "wrong"}};
		run_op(&env, "Device.DeviceInfo.VendorConfigFile.{i}.Backup()",
		       "Device.DeviceInfo.VendorConfigFile.1.", in, 3, &r);
	}
	assert_int_equal(r.rc, TB_ERR_COMMAND_FAILED);
	assert_non_null(strstr(r.msg, "401"));
	router_files(&env, files, sizeof files);
	assert_null(strstr(files, ".rsc"));
	/* the uploaded file, served back to the router: the restore brings the old name back */
	snprintf(path, sizeof path, "%s/r0.rsc", dir);
	assert_non_null(f = fopen(path, "w"));
	fwrite(body, 1, len, f);
	fclose(f);
	free(body);
	set_identity(&env, "changed");
	at_wait_value(&env, "Device.DeviceInfo.HostName", "changed");
	{
		const dm_nv in[] = {{"URL", "http://192.0.2.9/files/r0.rsc"}};
		run_op(&env, "Device.DeviceInfo.VendorConfigFile.{i}.Restore()",
		       "Device.DeviceInfo.VendorConfigFile.1.", in, 1, &r);
	}
	assert_int_equal(r.rc, TB_OK);
	at_wait_value(&env, "Device.DeviceInfo.HostName", "before-backup");
	router_files(&env, files, sizeof files);
	assert_null(strstr(files, "r0.rsc"));
	at_teardown(&env);
	acs_stop(server);
	unlink(path);
	rmdir(dir);
	free(dir);
}

/* RouterOS 6 uploads over FTP and SFTP only: an http URL is refused before the router is asked;
 * an unknown scheme on any version. */
static void test_backup_refusals(void **state)
{
	static op_result r;
	at_env env;
	tb_errctx e;
	(void)state;

	at_setup(&env, 1, "6.49", NULL);
	op_init(&r);
	{
		const dm_nv in[] = {{"URL", "http://192.0.2.1/x.rsc"}};
		assert_int_equal(op_start(&env, "Device.DeviceInfo.VendorConfigFile.{i}.Backup()",
					  "Device.DeviceInfo.VendorConfigFile.1.", in, 1, &r, &e),
				 TB_ERR_NOT_SUPPORTED);
	}
	{
		const dm_nv in[] = {{"URL", "gopher://192.0.2.1/x.rsc"}};
		assert_int_equal(op_start(&env, "Device.DeviceInfo.VendorConfigFile.{i}.Backup()",
					  "Device.DeviceInfo.VendorConfigFile.1.", in, 1, &r, &e),
				 TB_ERR_NOT_SUPPORTED);
	}
	assert_false(r.done);
	at_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_diagnostics, at_test_teardown),
		cmocka_unit_test_teardown(test_download_and_reboot, at_test_teardown),
		cmocka_unit_test_teardown(test_reboot_right_after_a_reboot, at_test_teardown),
		cmocka_unit_test_teardown(test_download_auto_activate, at_test_teardown),
		cmocka_unit_test_teardown(test_download_file_name, at_test_teardown),
		cmocka_unit_test_teardown(test_factory_reset, at_test_teardown),
		cmocka_unit_test_teardown(test_backup_and_restore, at_test_teardown),
		cmocka_unit_test_teardown(test_backup_refusals, at_test_teardown),
		cmocka_unit_test_teardown(test_cancel, at_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
