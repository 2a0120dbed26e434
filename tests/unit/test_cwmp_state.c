/* test_cwmp_state.c — what a CPE keeps: the event queue's TR-069 rules (single and repeating codes,
 * what an InformResponse, a failed session and a TransferCompleteResponse remove), the record in
 * the state store across a restart (events, attributes, held changes, reboot key, ScheduleInform,
 * ProvisioningCode, BOOTSTRAP URL, a firmware transfer's version before), the version check after
 * a firmware image's boot, and the config values that win over stored ones only when the config
 * changed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bridge/cwmp/cwmp_priv.h"
#include "datamodel/dm_value.h"

static bool has_code(const cwmp_evq *q, cwmp_event_code code, const char *key)
{
	for (size_t i = 0; i < q->n; i++)
		if (q->v[i].code == code && (!key || strcmp(q->v[i].key, key) == 0))
			return true;
	return false;
}

static void event_rules(void **state)
{
	cwmp_evq q = {0};
	(void)state;

	cwmp_evq_add(&q, CWMP_EV_BOOT, NULL);
	cwmp_evq_add(&q, CWMP_EV_BOOT, NULL);
	cwmp_evq_add(&q, CWMP_EV_M_REBOOT, "k1");
	cwmp_evq_add(&q, CWMP_EV_M_REBOOT, "k2");
	cwmp_evq_add(&q, CWMP_EV_CONNECTION_REQUEST, NULL);
	assert_int_equal(q.n, 4); /* BOOT once, M Reboot per key */
	/* a failed session before the InformResponse: all but 6 CONNECTION REQUEST stay */
	cwmp_evq_failed(&q);
	assert_int_equal(q.n, 3);
	assert_false(has_code(&q, CWMP_EV_CONNECTION_REQUEST, NULL));
	/* transfers stay until their TransferCompleteResponse */
	cwmp_evq_add(&q, CWMP_EV_TRANSFER_COMPLETE, NULL);
	cwmp_evq_add(&q, CWMP_EV_M_DOWNLOAD, "dl-1");
	cwmp_evq_add(&q, CWMP_EV_M_DOWNLOAD, "dl-2");
	cwmp_evq_add(&q, CWMP_EV_PERIODIC, NULL); /* queued after the Inform was built */
	cwmp_evq_informed(&q, 6);
	assert_int_equal(q.n, 4);
	assert_true(has_code(&q, CWMP_EV_PERIODIC, NULL));
	assert_false(has_code(&q, CWMP_EV_BOOT, NULL));
	cwmp_evq_transfer_done(&q, "dl-1", true);
	assert_false(has_code(&q, CWMP_EV_M_DOWNLOAD, "dl-1"));
	assert_true(has_code(&q, CWMP_EV_TRANSFER_COMPLETE, NULL));
	cwmp_evq_transfer_done(&q, "dl-2", false);
	assert_false(has_code(&q, CWMP_EV_TRANSFER_COMPLETE, NULL));
	assert_int_equal(q.n, 1);
	/* CommandKeys are cut to 32 bytes and kept on one line */
	cwmp_evq_add(&q, CWMP_EV_M_SCHEDULE_INFORM, "0123456789012345678901234567890123456789\nx");
	assert_string_equal(q.v[1].key, "01234567890123456789012345678901");
	cwmp_evq_add(&q, CWMP_EV_M_SCHEDULE_INFORM, "a\nb");
	assert_string_equal(q.v[2].key, "a?b");
	assert_string_equal(cwmp_event_name(CWMP_EV_DIAGNOSTICS_COMPLETE), "8 DIAGNOSTICS COMPLETE");
}

static void full_queue_drops_oldest_repeating(void **state)
{
	cwmp_evq q = {0};
	char key[8];
	(void)state;

	cwmp_evq_add(&q, CWMP_EV_BOOT, NULL);
	for (int i = 0; i < CWMP_EVENTS_MAX + 3; i++) {
		snprintf(key, sizeof key, "%d", i);
		cwmp_evq_add(&q, CWMP_EV_M_SCHEDULE_INFORM, key);
	}
	assert_int_equal(q.n, CWMP_EVENTS_MAX);
	assert_true(has_code(&q, CWMP_EV_BOOT, NULL));
	assert_false(has_code(&q, CWMP_EV_M_SCHEDULE_INFORM, "0"));
	assert_true(has_code(&q, CWMP_EV_M_SCHEDULE_INFORM, "66"));
}

/* ---- a CPE with a real store ---- */

typedef struct fx {
	char dir[64];
	tb_loop *loop;
	tb_config *cfg;
	tb_state_store *store;
	cwmp_front *front;
	dm_tree *tree;
	cwmp_cpe *cpe;
} fx;

static void open_cpe(fx *f, const char *conf, bool restored)
{
	cwmp_cpe_env env;
	tb_errctx e;

	assert_int_equal(tb_config_parse_buffer("t.conf", conf, strlen(conf), &f->cfg, &e, NULL),
			 TB_OK);
	assert_int_equal(cwmp_front_new(f->loop, f->cfg, 1, &f->front, &e), TB_OK);
	memset(&env, 0, sizeof env);
	env.loop = f->loop;
	env.cfg = f->cfg;
	env.router = &f->cfg->routers[0];
	env.tree = f->tree;
	env.store = f->store;
	env.state_restored = restored;
	env.front = f->front;
	assert_int_equal(cwmp_cpe_new(&env, &f->cpe, &e), TB_OK);
}

static void close_cpe(fx *f)
{
	cwmp_cpe_free(f->cpe); /* saves what is unsaved */
	cwmp_front_free(f->front);
	tb_config_free(f->cfg);
	f->cpe = NULL;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	tb_errctx e;

	snprintf(f->dir, sizeof f->dir, "/tmp/test_cwmp_state.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(tb_loop_new(NULL, &f->loop), TB_OK);
	assert_int_equal(state_store_open(f->dir, &f->store, &e), TB_OK);
	f->tree = dm_tree_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	char cmd[128];
	if (f->cpe)
		close_cpe(f);
	dm_tree_free(f->tree);
	state_store_close(f->store);
	tb_loop_free(f->loop);
	dm_value_release_patterns();
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static const char conf_a[] = "[acs]\nurl = http://acs-a.example/cwmp\nusername = cpe\n"
			     "connection_request_port = 0\n[router gw-1]\naddress = 192.0.2.1\n";
static const char conf_b[] = "[acs]\nurl = http://acs-b.example/cwmp\nusername = cpe\n"
			     "connection_request_port = 0\n[router gw-1]\naddress = 192.0.2.1\n";

/* ConnectionRequestURL: http://<host>:<port><path>/<router name>, IPv6 in brackets. */
static void connection_request_url(void **state)
{
	static const char conf[] = "[acs]\nurl = http://acs.example/\nconnection_request_port = 30005\n"
				   "connection_request_path = /cr\n"
				   "connection_request_host = [2001:db8::1]\n[router gw-1]\naddress = x\n";
	tb_config *cfg;
	tb_errctx e;
	char url[128];

	(void)state;
	assert_int_equal(tb_config_parse_buffer("t.conf", conf, strlen(conf), &cfg, &e, NULL), TB_OK);
	assert_int_equal(cwmp_mgmt_cr_url(cfg, "gw-1", url, sizeof url), TB_OK);
	assert_string_equal(url, "http://[2001:db8::1]:30005/cr/gw-1");
	assert_int_equal(cwmp_mgmt_cr_url(cfg, "gw-1", url, 20), TB_ERR_TOO_BIG);
	cfg->acs.connection_request_port = 0;
	assert_int_equal(cwmp_mgmt_cr_url(cfg, "gw-1", url, sizeof url), TB_OK);
	assert_string_equal(url, "");
	tb_config_free(cfg);
}

static void record_survives_a_restart(void **state)
{
	fx *f = *state;
	tb_errctx e;
	const char *const *paths;
	uint64_t seq;

	open_cpe(f, conf_a, false);
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.CWMPRetryMinimumWaitInterval"),
			    "5");
	cwmp_attrs_arm(f->cpe->attrs);
	cwmp_evq_add(&f->cpe->events, CWMP_EV_M_DOWNLOAD, "dl 1");
	cwmp_evq_add(&f->cpe->events, CWMP_EV_CONNECTION_REQUEST, NULL);
	assert_int_equal(cwmp_attrs_set(f->cpe->attrs, "Device.DeviceInfo.HostName",
					dm_schema_find("Device.DeviceInfo.HostName"), 1, 1), TB_OK);
	assert_int_equal(dm_tree_set_path(f->tree, "Device.DeviceInfo.HostName", "gw",
					  DM_ORIGIN_ROUTER, &e), TB_OK);
	assert_int_equal(cwmp_cpe_schedule_inform(f->cpe, 3600, "later"), TB_OK);
	f->cpe->reboot_asked = true;
	snprintf(f->cpe->reboot_key, sizeof f->cpe->reboot_key, "rb-7");
	snprintf(f->cpe->bootstrap_url, sizeof f->cpe->bootstrap_url, "http://acs-a.example/cwmp");
	f->cpe->router_boot = 1700000000;
	assert_int_equal(dm_tree_set_path(f->tree, "Device.DeviceInfo.ProvisioningCode",
					  "line1\nline2", DM_ORIGIN_CWMP, &e), TB_OK);
	close_cpe(f);

	dm_tree_free(f->tree); /* the bridge restarts: a new tree */
	f->tree = dm_tree_new();
	open_cpe(f, conf_a, true);
	assert_true(has_code(&f->cpe->events, CWMP_EV_M_DOWNLOAD, "dl 1"));
	assert_false(has_code(&f->cpe->events, CWMP_EV_CONNECTION_REQUEST, NULL));
	assert_int_equal(cwmp_attrs_notification(f->cpe->attrs, "Device.DeviceInfo.HostName",
						 dm_schema_find("Device.DeviceInfo.HostName")), 1);
	assert_true(cwmp_attrs_subscriber(f->cpe->attrs, "Device.DeviceInfo.HostName"));
	assert_int_equal(cwmp_attrs_pending(f->cpe->attrs, &paths, &seq), 1);
	assert_string_equal(paths[0], "Device.DeviceInfo.HostName");
	assert_int_equal(f->cpe->n_sched, 1);
	assert_string_equal(f->cpe->sched[0].key, "later");
	assert_true(f->cpe->reboot_asked);
	assert_true(f->cpe->reboot_sent); /* asked before the restart: the M Reboot comes with BOOT */
	assert_string_equal(f->cpe->reboot_key, "rb-7");
	assert_string_equal(f->cpe->bootstrap_url, "http://acs-a.example/cwmp");
	assert_int_equal(f->cpe->router_boot, 1700000000);
	assert_string_equal(cwmp_value(f->cpe, "Device.DeviceInfo.ProvisioningCode"), "line1\nline2");
}

/* The ACS changed ManagementServer.URL; the config did not change: the ACS's value stays. The
 * config's url changes: it wins. (The tree's ManagementServer values come back from the router's
 * state record in the daemon; here the tree keeps them.) */
static void changed_config_url_wins(void **state)
{
	fx *f = *state;
	tb_errctx e;

	open_cpe(f, conf_a, false);
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.URL"),
			    "http://acs-a.example/cwmp");
	/* a new CPE writes nothing yet; the ACS's URL makes it keep the config's fingerprints */
	assert_false(f->cpe->on_disk);
	assert_false(f->cpe->save_timer.armed);
	assert_int_equal(dm_tree_set_path(f->tree, "Device.ManagementServer.URL",
					  "http://acs-c.example/", DM_ORIGIN_CWMP, &e), TB_OK);
	assert_true(f->cpe->save_timer.armed);
	assert_int_equal(dm_tree_set_path(f->tree, "Device.ManagementServer.Username", "acs-set",
					  DM_ORIGIN_CWMP, &e), TB_OK);
	close_cpe(f);
	open_cpe(f, conf_a, true);
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.URL"),
			    "http://acs-c.example/");
	close_cpe(f);
	open_cpe(f, conf_b, true);
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.URL"),
			    "http://acs-b.example/cwmp");
	/* the username did not change in the config: what the ACS set stays */
	assert_string_equal(cwmp_value(f->cpe, "Device.ManagementServer.Username"), "acs-set");
}

static void corrupt_record_starts_as_new(void **state)
{
	fx *f = *state;
	tb_errctx e;
	static const char bad[] = "TBCWMP 1\nH 0 zz\nEND\n";
	static const char newer[] = "TBCWMP 9\nE 0 \nEND\n";

	assert_int_equal(state_store_put(f->store, "cwmp-gw-1", bad, sizeof bad - 1, &e), TB_OK);
	open_cpe(f, conf_a, false);
	assert_int_equal(f->cpe->events.n, 0);
	close_cpe(f);
	assert_int_equal(state_store_put(f->store, "cwmp-gw-1", newer, sizeof newer - 1, &e), TB_OK);
	open_cpe(f, conf_a, false);
	assert_int_equal(f->cpe->events.n, 0);
}

/* A firmware image's record: an older trbridge's (no "v" line: the SoftwareVersion before) still
 * loads; the version is checked once the router is back: the image's version (from its file
 * name) or, when the name tells none, another version than before, else 9018; "v" survives a
 * restart. */
static void firmware_record_and_version_check(void **state)
{
	fx *f = *state;
	tb_errctx e;
	static const char old[] = "TBCWMP 1\n"
				  "T 0 2 4000000000 1700000000 0 0 0\nX 0 k fw-named\n"
				  "X 0 t 1 Firmware Upgrade Image\nX 0 u http://f/routeros-7.17-arm.npk\n"
				  "T 1 2 4000000000 1700000000 0 0 0\nX 1 k fw-unnamed\n"
				  "X 1 t 1 Firmware Upgrade Image\nX 1 u http://f/fw.npk?t=1\n"
				  "T 2 2 4000000000 1700000000 0 0 0\nX 2 k fw-same\n"
				  "X 2 t 1 Firmware Upgrade Image\nX 2 u http://f/fw.npk\nX 2 v 7.16\n"
				  "X 2 z a field of a later version\nEND\n";

	assert_int_equal(state_store_put(f->store, "cwmp-gw-1", old, sizeof old - 1, &e), TB_OK);
	open_cpe(f, conf_a, true);
	for (int i = 0; i < 3; i++)
		assert_int_equal(f->cpe->xfer[i]->state, CWMP_XFER_BOOTING);
	assert_string_equal(f->cpe->xfer[0]->sw_before, "");
	assert_string_equal(f->cpe->xfer[2]->sw_before, "7.16");
	assert_int_equal(dm_tree_set_path(f->tree, "Device.DeviceInfo.SoftwareVersion", "7.16",
					  DM_ORIGIN_ROUTER, &e), TB_OK);
	/* the boot is seen before the sync: nothing ends until the router is synced */
	f->cpe->router_up = false;
	cwmp_transfer_booted(f->cpe);
	assert_int_equal(f->cpe->xfer[0]->state, CWMP_XFER_BOOTING);
	f->cpe->router_up = true;
	cwmp_transfer_synced(f->cpe);
	assert_int_equal(f->cpe->xfer[0]->state, CWMP_XFER_DONE);
	assert_int_equal(f->cpe->xfer[0]->fault, CWMP_FAULT_TRANSFER_CORRUPTED); /* 7.16, not 7.17 */
	assert_non_null(strstr(f->cpe->xfer[0]->fault_msg, "7.16, not 7.17"));
	assert_int_equal(f->cpe->xfer[1]->fault, 0); /* nothing to compare with: taken as done */
	assert_int_equal(f->cpe->xfer[2]->fault, CWMP_FAULT_TRANSFER_CORRUPTED); /* still 7.16 */
	close_cpe(f);
	open_cpe(f, conf_a, true);
	assert_string_equal(f->cpe->xfer[2]->sw_before, "7.16");
	assert_int_equal(f->cpe->xfer[2]->fault, CWMP_FAULT_TRANSFER_CORRUPTED);
}

/* An Upload's record: the upload flag and its credentials come back after a restart; one the
 * restart interrupted is 9011 (not a Download's 9017); a TransferComplete goes only in a session
 * whose Inform carried its events. */
static void upload_record(void **state)
{
	fx *f = *state;
	tb_errctx e;
	cwmp_msg m;
	cwmp_arena *a;
	cwmp_inform_marks marks;
	static const char rec[] = "TBCWMP 1\n"
				  "T 0 3 0 1700000000 1700000100 0 0 1\nX 0 k up-done\n"
				  "X 0 t 1 Vendor Configuration File\nX 0 u http://f/up.rsc\n"
				  "X 0 n cpe\nX 0 p s3cret\n"
				  "T 1 1 0 1700000000 0 0 0 1\nX 1 k up-cut\n"
				  "X 1 t 3 Vendor Configuration File 1\nX 1 u ftp://f/up.rsc\nEND\n";

	assert_int_equal(state_store_put(f->store, "cwmp-gw-1", rec, sizeof rec - 1, &e), TB_OK);
	open_cpe(f, conf_a, true);
	assert_true(f->cpe->xfer[0]->upload);
	assert_string_equal(f->cpe->xfer[0]->password, "s3cret");
	assert_int_equal(f->cpe->xfer[1]->state, CWMP_XFER_DONE);
	assert_int_equal(f->cpe->xfer[1]->fault, CWMP_FAULT_UPLOAD_FAILURE);
	/* not announced yet: nothing to send in this session, but something to report */
	assert_false(cwmp_cpe_next_transfer(f->cpe, &m));
	assert_true(cwmp_cpe_next_transfer(f->cpe, NULL));
	assert_non_null(a = cwmp_arena_new());
	assert_int_equal(cwmp_inform_build(f->cpe, a, &m, &marks), TB_OK);
	cwmp_arena_free(a);
	assert_true(cwmp_cpe_next_transfer(f->cpe, &m));
	assert_string_equal(m.u.transfer_complete.command_key, "up-done");
	close_cpe(f);
	open_cpe(f, conf_a, true);
	assert_true(f->cpe->xfer[0]->upload && f->cpe->xfer[1]->upload);
	assert_string_equal(f->cpe->xfer[1]->file_type, "3 Vendor Configuration File 1");
}

/* Seconds until the periodic Inform timer fires. */
static double periodic_due_s(const fx *f)
{
	assert_true(f->cpe->periodic_timer.armed);
	return ((double)f->cpe->periodic_timer.due - (double)tb_loop_now_ms()) / 1000.0;
}

static void set_periodic_time(fx *f, int64_t t)
{
	char buf[21];
	tb_errctx e;

	cwmp_time_format(t, buf);
	assert_int_equal(dm_tree_set_path(f->tree, "Device.ManagementServer.PeriodicInformTime", buf,
					  DM_ORIGIN_CWMP, &e), TB_OK);
}

/* Periodic Informs fall on PeriodicInformTime + n·PeriodicInformInterval (TR-181
 * ManagementServer.PeriodicInformTime: the reference may be in the past or the future), an interval
 * from now with the Unknown Time; a change of any of the three by anyone re-arms the timer. */
static void periodic_inform_phase(void **state)
{
	fx *f = *state;
	tb_errctx e;
	int64_t now = (int64_t)time(NULL);

	open_cpe(f, conf_a, false);
	assert_in_range((int64_t)periodic_due_s(f), 3598, 3600); /* the config's 3600, from now */
	set_periodic_time(f, now + 3 * 86400 + 100);              /* a reference to come */
	assert_in_range((int64_t)periodic_due_s(f), 97, 101);
	set_periodic_time(f, now - 10 * 3600 - 3500);             /* one long past */
	assert_in_range((int64_t)periodic_due_s(f), 97, 101);
	assert_int_equal(dm_tree_set_path(f->tree, "Device.ManagementServer.PeriodicInformInterval", "60",
					  DM_ORIGIN_USP, &e), TB_OK);
	assert_in_range((int64_t)periodic_due_s(f), 37, 41); /* (10·3600 + 3500) mod 60 = 20 past */
	set_periodic_time(f, CWMP_TIME_UNKNOWN);
	assert_in_range((int64_t)periodic_due_s(f), 57, 60);
	assert_int_equal(dm_tree_set_path(f->tree, "Device.ManagementServer.PeriodicInformEnable", "false",
					  DM_ORIGIN_CWMP, &e), TB_OK);
	assert_false(f->cpe->periodic_timer.armed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(event_rules),
		cmocka_unit_test(full_queue_drops_oldest_repeating),
		cmocka_unit_test(connection_request_url),
		cmocka_unit_test_setup_teardown(record_survives_a_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(changed_config_url_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(corrupt_record_starts_as_new, setup, teardown),
		cmocka_unit_test_setup_teardown(periodic_inform_phase, setup, teardown),
		cmocka_unit_test_setup_teardown(firmware_record_and_version_check, setup, teardown),
		cmocka_unit_test_setup_teardown(upload_record, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
