/* test_router_state.c — cmocka tests of bridge/router_state over a real state-store directory and
 * loop: debounced saves on controller changes only, flush, restore into a fresh tree, bad records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge/state/router_state.h"
#include "datamodel/dm_value.h"

#define RECORD "state-r1"

typedef struct fixture {
	char dir[64];
	tb_state_store *store;
	tb_loop *loop;
	dm_tree *tree;
	router_state *rs;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	tb_errctx e;
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/tb_rstate_XXXXXX");
	if (!mkdtemp(f->dir) || state_store_open(f->dir, &f->store, &e) != TB_OK ||
	    tb_loop_new(NULL, &f->loop) != TB_OK || !(f->tree = dm_tree_new()))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *de;
	char path[512];
	router_state_free(f->rs);
	dm_tree_free(f->tree);
	tb_loop_free(f->loop);
	state_store_close(f->store);
	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || de->d_name[1] == '.'))
			continue;
		snprintf(path, sizeof path, "%s/%s", f->dir, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	dm_value_release_patterns();
	return 0;
}

static void watch(fixture *f)
{
	assert_int_equal(router_state_watch(f->tree, f->loop, f->store, RECORD, &f->rs), TB_OK);
}

static dm_obj *add_controller(dm_tree *t, dm_origin origin)
{
	dm_obj *la = dm_tree_find(t, "Device.LocalAgent."), *o;
	assert_int_equal(dm_obj_add(t, la, dm_schema_find("Device.LocalAgent.Controller.{i}."), 0,
				    origin, &o),
			 TB_OK);
	return o;
}

static void set(dm_tree *t, const char *path, const char *value, dm_origin origin)
{
	tb_errctx e;
	assert_int_equal(dm_tree_set_path(t, path, value, origin, &e), TB_OK);
}

/* The record's text, or NULL when there is none. */
static char *record(fixture *f)
{
	unsigned char *data = NULL;
	size_t len;
	tb_errctx e;
	tb_err rc = state_store_get(f->store, RECORD, &data, &len, &e);
	if (rc == TB_ERR_NO_SUCH_OBJECT)
		return NULL;
	assert_int_equal(rc, TB_OK);
	return (char *)data;
}

static bool saved(void *arg)
{
	return !router_state_dirty(arg);
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

static void test_debounced_save(void **state)
{
	fixture *f = *state;
	char *text;
	watch(f);
	assert_false(router_state_dirty(f->rs));
	/* a burst of controller changes: one write, with all of them */
	add_controller(f->tree, DM_ORIGIN_USP);
	set(f->tree, "Device.LocalAgent.Controller.1.EndpointID", "proto::c1", DM_ORIGIN_USP);
	set(f->tree, "Device.LocalAgent.Controller.1.Enable", "true", DM_ORIGIN_USP);
	assert_true(router_state_dirty(f->rs));
	assert_null(record(f)); /* nothing is written outside the loop */
	assert_true(tb_loop_run_until(f->loop, saved, f->rs, 5000));
	text = record(f);
	assert_non_null(text);
	assert_non_null(strstr(text, "V Device.LocalAgent.Controller.1.EndpointID proto::c1\n"));
	assert_non_null(strstr(text, "V Device.LocalAgent.Controller.1.Enable true\n"));
	free(text);
	/* a change right after a write waits for the debounce interval */
	set(f->tree, "Device.LocalAgent.Controller.1.EndpointID", "proto::c1b", DM_ORIGIN_USP);
	assert_false(tb_loop_run_until(f->loop, saved, f->rs, 100));
	text = record(f);
	assert_null(strstr(text, "proto::c1b"));
	free(text);
	assert_true(tb_loop_run_until(f->loop, saved, f->rs, 5000));
	text = record(f);
	assert_non_null(strstr(text, "proto::c1b"));
	free(text);
}

/* Changes seen on the router, and changes outside the covered sub-trees, write nothing. */
static void test_no_save_without_cause(void **state)
{
	fixture *f = *state;
	dm_obj *la = dm_tree_find(f->tree, "Device.LocalAgent.");
	watch(f);
	add_controller(f->tree, DM_ORIGIN_ROUTER);
	set(f->tree, "Device.LocalAgent.Controller.1.EndpointID", "proto::r", DM_ORIGIN_ROUTER);
	set(f->tree, "Device.DeviceInfo.ProvisioningCode", "x", DM_ORIGIN_CWMP);
	assert_int_equal(dm_obj_add(f->tree, la,
				    dm_schema_find("Device.LocalAgent.Subscription.{i}."), 0,
				    DM_ORIGIN_USP, NULL),
			 TB_OK);
	assert_false(router_state_dirty(f->rs));
	tb_loop_run_until(f->loop, never, NULL, 50);
	assert_null(record(f));
	/* the ACS (CWMP) and the bridge itself do count */
	set(f->tree, "Device.ManagementServer.PeriodicInformInterval", "600", DM_ORIGIN_CWMP);
	assert_true(router_state_dirty(f->rs));
}

static void test_flush(void **state)
{
	fixture *f = *state;
	tb_errctx e;
	char *text;
	watch(f);
	assert_int_equal(router_state_flush(f->rs, &e), TB_OK); /* nothing to write */
	assert_null(record(f));
	set(f->tree, "Device.ManagementServer.URL", "https://acs.example/", DM_ORIGIN_BRIDGE);
	assert_int_equal(router_state_flush(f->rs, &e), TB_OK);
	assert_false(router_state_dirty(f->rs));
	text = record(f);
	assert_non_null(strstr(text, "V Device.ManagementServer.URL https://acs.example/\n"));
	free(text);
	/* the flush cancelled the pending (immediate) timer: a change right after it waits for the
	 * debounce (1 s after that write) instead of riding the old timer out at once */
	uint64_t flushed = tb_loop_now_ms();
	set(f->tree, "Device.ManagementServer.URL", "https://acs2.example/", DM_ORIGIN_BRIDGE);
	tb_loop_run_until(f->loop, never, NULL, 200);
	text = record(f);
	if (tb_loop_now_ms() - flushed < 900) /* else the machine stalled: nothing to conclude */
		assert_null(strstr(text, "acs2.example"));
	free(text);
	assert_true(tb_loop_run_until(f->loop, saved, f->rs, 5000));
	text = record(f);
	assert_non_null(strstr(text, "acs2.example"));
	free(text);
}

/* A controller added at run time survives a restart with its instance number, through a real
 * store directory that is closed and opened again. */
static void test_restart(void **state)
{
	fixture *f = *state;
	dm_tree *fresh = dm_tree_new();
	tb_errctx e;
	bool restored = true;
	dm_obj *c;
	assert_non_null(fresh);
	assert_int_equal(router_state_restore(f->tree, f->store, RECORD, &restored, &e), TB_OK);
	assert_false(restored); /* first start: the caller writes config defaults */
	set(f->tree, "Device.ManagementServer.ParameterKey", "key-17", DM_ORIGIN_BRIDGE);
	watch(f);
	add_controller(f->tree, DM_ORIGIN_USP);
	add_controller(f->tree, DM_ORIGIN_USP);
	add_controller(f->tree, DM_ORIGIN_USP);
	set(f->tree, "Device.LocalAgent.Controller.2.EndpointID", "proto::two", DM_ORIGIN_USP);
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree, "Device.LocalAgent.Controller.3."),
				       DM_ORIGIN_USP),
			 TB_OK);
	assert_int_equal(dm_obj_delete(f->tree, dm_tree_find(f->tree, "Device.LocalAgent.Controller.1."),
				       DM_ORIGIN_USP),
			 TB_OK);
	set(f->tree, "Device.ManagementServer.ParameterKey", "key-18", DM_ORIGIN_CWMP);
	assert_int_equal(router_state_flush(f->rs, &e), TB_OK);
	router_state_free(f->rs);
	f->rs = NULL;
	state_store_close(f->store);
	assert_int_equal(state_store_open(f->dir, &f->store, &e), TB_OK);

	assert_int_equal(router_state_restore(fresh, f->store, RECORD, &restored, &e), TB_OK);
	assert_true(restored);
	assert_null(dm_tree_find(fresh, "Device.LocalAgent.Controller.1."));
	c = dm_tree_find(fresh, "Device.LocalAgent.Controller.2.");
	assert_non_null(c);
	assert_string_equal(dm_obj_get(c, dm_schema_find("Device.LocalAgent.Controller.{i}.EndpointID")),
			    "proto::two");
	assert_string_equal(dm_obj_get(dm_tree_find(fresh, "Device.ManagementServer."),
				       dm_schema_find("Device.ManagementServer.ParameterKey")),
			    "key-18");
	/* numbers handed out before the restart stay used */
	assert_int_equal(dm_obj_inst(add_controller(fresh, DM_ORIGIN_USP)), 4);
	dm_tree_free(fresh);
}

/* Roles and permissions a controller wrote (Device.LocalAgent.ControllerTrust.) survive a
 * restart, with their instance numbers. */
static void test_roles_restart(void **state)
{
	fixture *f = *state;
	dm_tree *fresh = dm_tree_new();
	dm_obj *ct = dm_tree_find(f->tree, "Device.LocalAgent.ControllerTrust."), *r, *p;
	tb_errctx e;
	bool restored;
	assert_non_null(fresh);
	assert_non_null(ct);
	watch(f);
	assert_int_equal(dm_obj_add(f->tree, ct,
				    dm_schema_find("Device.LocalAgent.ControllerTrust.Role.{i}."), 0,
				    DM_ORIGIN_USP, &r), TB_OK);
	assert_int_equal(dm_obj_add(f->tree, r,
				    dm_schema_find("Device.LocalAgent.ControllerTrust.Role.{i}."
						   "Permission.{i}."), 0, DM_ORIGIN_USP, &p), TB_OK);
	set(f->tree, "Device.LocalAgent.ControllerTrust.Role.1.Name", "Ops", DM_ORIGIN_USP);
	set(f->tree, "Device.LocalAgent.ControllerTrust.Role.1.Permission.1.Targets",
	    "Device.IP.,Device.Reboot()", DM_ORIGIN_USP);
	set(f->tree, "Device.LocalAgent.ControllerTrust.Role.1.Permission.1.Param", "r-x-",
	    DM_ORIGIN_USP);
	assert_int_equal(router_state_flush(f->rs, &e), TB_OK);
	assert_int_equal(router_state_restore(fresh, f->store, RECORD, &restored, &e), TB_OK);
	assert_true(restored);
	p = dm_tree_find(fresh, "Device.LocalAgent.ControllerTrust.Role.1.Permission.1.");
	assert_non_null(p);
	assert_string_equal(dm_obj_get(p, dm_schema_find("Device.LocalAgent.ControllerTrust.Role.{i}."
							 "Permission.{i}.Targets")),
			    "Device.IP.,Device.Reboot()");
	assert_string_equal(dm_obj_get(p, dm_schema_find("Device.LocalAgent.ControllerTrust.Role.{i}."
							 "Permission.{i}.Param")),
			    "r-x-");
	assert_int_equal(dm_obj_next_inst(dm_tree_find(fresh, "Device.LocalAgent.ControllerTrust."),
					  dm_schema_find("Device.LocalAgent.ControllerTrust.Role.{i}.")),
			 2);
	dm_tree_free(fresh);
}

/* A corrupt record is refused with an error that names it, and the tree stays as it was. */
static void test_corrupt_record(void **state)
{
	fixture *f = *state;
	char path[256];
	tb_errctx e;
	bool restored = true;
	int fd;
	add_controller(f->tree, DM_ORIGIN_BRIDGE);
	set(f->tree, "Device.LocalAgent.Controller.1.EndpointID", "x", DM_ORIGIN_BRIDGE);
	/* well-framed but not a snapshot */
	assert_int_equal(state_store_put(f->store, RECORD, "garbage\n", 8, &e), TB_OK);
	tb_err_clear(&e);
	assert_int_equal(router_state_restore(f->tree, f->store, RECORD, &restored, &e), TB_ERR_PARSE);
	assert_false(restored);
	assert_non_null(strstr(e.msg, RECORD));
	assert_string_equal(dm_obj_get(dm_tree_find(f->tree, "Device.LocalAgent.Controller.1."),
				       dm_schema_find("Device.LocalAgent.Controller.{i}.EndpointID")),
			    "x");
	/* a snapshot whose file was damaged on disk */
	watch(f);
	set(f->tree, "Device.LocalAgent.Controller.1.EndpointID", "proto::a", DM_ORIGIN_USP);
	assert_int_equal(router_state_flush(f->rs, &e), TB_OK);
	snprintf(path, sizeof path, "%s/%s", f->dir, RECORD);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "Z", 1, 20), 1);
	close(fd);
	tb_err_clear(&e);
	restored = true;
	assert_int_equal(router_state_restore(f->tree, f->store, RECORD, &restored, &e), TB_ERR_PARSE);
	assert_false(restored);
	assert_non_null(strstr(e.msg, RECORD));
	assert_non_null(dm_tree_find(f->tree, "Device.LocalAgent.Controller.1."));
}

static void test_record_name(void **state)
{
	char name[STATE_STORE_MAX_NAME + 1], big[200];
	(void)state;
	assert_int_equal(router_state_record_name("edge-7", name, sizeof name), TB_OK);
	assert_string_equal(name, "state-edge-7");
	assert_int_equal(router_state_record_name("../etc", name, sizeof name), TB_ERR_INVALID_ARG);
	assert_int_equal(router_state_record_name("a.tmp", name, sizeof name), TB_ERR_INVALID_ARG);
	memset(big, 'r', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(router_state_record_name(big, name, sizeof name), TB_ERR_INVALID_ARG);
	assert_int_equal(router_state_record_name("r", name, 4), TB_ERR_INVALID_ARG);
}

static void test_watch_errors(void **state)
{
	fixture *f = *state;
	router_state *h = (router_state *)1;
	assert_int_equal(router_state_watch(f->tree, f->loop, f->store, "bad/name", &h),
			 TB_ERR_INVALID_ARG);
	assert_null(h);
	router_state_free(NULL);
	/* a freed handle no longer listens */
	watch(f);
	router_state_free(f->rs);
	f->rs = NULL;
	add_controller(f->tree, DM_ORIGIN_USP);
	tb_loop_run_until(f->loop, never, NULL, 20);
	assert_null(record(f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_debounced_save, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_save_without_cause, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roles_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
