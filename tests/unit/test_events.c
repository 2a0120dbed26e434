/* test_events.c — cmocka tests of tree change events: value/add/delete events with origin and full
 * instance path, no event for unchanged values, delete seen before the free, unlisten. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_tree.h"

#define MAX_SEEN 16

typedef struct seen {
	dm_event_kind kind;
	dm_origin origin;
	dm_obj *obj;
	dm_id param;
	char path[128];
	char old_value[64];
	char new_value[64];
	char extra[64]; /* what the listener could read from the object during the call */
} seen;

typedef struct recorder {
	seen ev[MAX_SEEN];
	size_t n;
	dm_id read_param; /* read this parameter of ev->obj during the call */
} recorder;

static void record_ev(void *ctx, dm_tree *t, const dm_event *ev)
{
	recorder *r = ctx;
	seen *s;
	(void)t;
	assert_true(r->n < MAX_SEEN);
	s = &r->ev[r->n++];
	memset(s, 0, sizeof(*s));
	s->kind = ev->kind;
	s->origin = ev->origin;
	s->obj = ev->obj;
	s->param = ev->param;
	snprintf(s->path, sizeof s->path, "%s", ev->path);
	if (ev->kind == DM_EV_VALUE) {
		snprintf(s->old_value, sizeof s->old_value, "%s", ev->old_value);
		snprintf(s->new_value, sizeof s->new_value, "%s", ev->new_value);
	} else {
		assert_null(ev->old_value);
		assert_null(ev->new_value);
		assert_int_equal(ev->param, DM_ID_NONE);
	}
	if (r->read_param != DM_ID_NONE)
		snprintf(s->extra, sizeof s->extra, "%s", dm_obj_get(ev->obj, r->read_param));
}

static dm_id id(const char *template_path)
{
	dm_id n = dm_schema_find(template_path);
	assert_int_not_equal(n, DM_ID_NONE);
	return n;
}

static void value_events_only_for_real_changes(void **state)
{
	dm_tree *t = dm_tree_new();
	recorder r = { .read_param = DM_ID_NONE };
	dm_obj *di = dm_tree_find(t, "Device.DeviceInfo.");
	dm_id host = id("Device.DeviceInfo.HostName");
	dm_id up = id("Device.DeviceInfo.UpTime");
	(void)state;
	assert_int_equal(dm_tree_listen(t, record_ev, &r), TB_OK);
	assert_int_equal(dm_obj_set(t, di, host, "gw", DM_ORIGIN_CWMP), TB_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].kind, DM_EV_VALUE);
	assert_int_equal(r.ev[0].origin, DM_ORIGIN_CWMP);
	assert_ptr_equal(r.ev[0].obj, di);
	assert_int_equal(r.ev[0].param, host);
	assert_string_equal(r.ev[0].path, "Device.DeviceInfo.HostName");
	assert_string_equal(r.ev[0].old_value, "");
	assert_string_equal(r.ev[0].new_value, "gw");
	/* the same value again: nothing */
	assert_int_equal(dm_obj_set(t, di, host, "gw", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(r.n, 1);
	/* an unset parameter set to its zero value: set, but nothing changed */
	assert_int_equal(dm_obj_set(t, di, up, "0", DM_ORIGIN_ROUTER), TB_OK);
	assert_true(dm_obj_is_set(di, up));
	assert_int_equal(r.n, 1);
	assert_int_equal(dm_obj_set(t, di, up, "17", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1].origin, DM_ORIGIN_ROUTER);
	assert_string_equal(r.ev[1].old_value, "0");
	assert_string_equal(r.ev[1].new_value, "17");
	assert_int_equal(dm_obj_set(t, di, host, "gw2", DM_ORIGIN_USP), TB_OK);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ev[2].origin, DM_ORIGIN_USP);
	assert_string_equal(r.ev[2].old_value, "gw");
	assert_string_equal(r.ev[2].new_value, "gw2");
	dm_tree_free(t);
}

static void ev_is(const recorder *r, size_t i, dm_event_kind kind, dm_origin origin,
		  const char *path)
{
	assert_true(i < r->n);
	assert_int_equal(r->ev[i].kind, kind);
	assert_int_equal(r->ev[i].origin, origin);
	assert_string_equal(r->ev[i].path, path);
}

static void count_is(const recorder *r, size_t i, dm_origin origin, const char *path,
		     const char *old_value, const char *new_value)
{
	ev_is(r, i, DM_EV_VALUE, origin, path);
	assert_string_equal(r->ev[i].old_value, old_value);
	assert_string_equal(r->ev[i].new_value, new_value);
}

static void add_and_delete_events(void **state)
{
	dm_tree *t = dm_tree_new();
	recorder r = { .read_param = DM_ID_NONE };
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_id itf = id("Device.IP.Interface.{i}.");
	dm_id name = id("Device.IP.Interface.{i}.Name");
	dm_obj *i1, *i2, *a;
	(void)state;
	assert_int_equal(dm_tree_listen(t, record_ev, &r), TB_OK);
	/* an Add: ADD, then the new count of the table */
	assert_int_equal(dm_obj_add(t, ip, itf, 0, DM_ORIGIN_ROUTER, &i1), TB_OK);
	assert_int_equal(r.n, 2);
	ev_is(&r, 0, DM_EV_ADD, DM_ORIGIN_ROUTER, "Device.IP.Interface.1.");
	assert_ptr_equal(r.ev[0].obj, i1);
	count_is(&r, 1, DM_ORIGIN_ROUTER, "Device.IP.InterfaceNumberOfEntries", "0", "1");
	assert_string_equal(dm_obj_get(ip, id("Device.IP.InterfaceNumberOfEntries")), "1");

	/* add with initial values: one ADD event with the values already readable, no VALUE
	 * events for them */
	r.read_param = name;
	{
		dm_id ps[2] = { name, id("Device.IP.Interface.{i}.Stats.BytesSent") };
		const char *vs[2] = { "lan", "99" };
		assert_int_equal(dm_obj_add_init(t, ip, itf, 0, 2, ps, vs, DM_ORIGIN_BRIDGE, &i2),
				 TB_OK);
	}
	assert_int_equal(r.n, 4);
	ev_is(&r, 2, DM_EV_ADD, DM_ORIGIN_BRIDGE, "Device.IP.Interface.2.");
	assert_string_equal(r.ev[2].extra, "lan");
	count_is(&r, 3, DM_ORIGIN_BRIDGE, "Device.IP.InterfaceNumberOfEntries", "1", "2");
	assert_string_equal(dm_obj_get(dm_tree_find(t, "Device.IP.Interface.2.Stats."),
				       id("Device.IP.Interface.{i}.Stats.BytesSent")), "99");

	assert_int_equal(dm_obj_add(t, i2, id("Device.IP.Interface.{i}.IPv4Address.{i}."), 0,
				    DM_ORIGIN_ROUTER, &a), TB_OK);
	assert_int_equal(r.n, 6);
	ev_is(&r, 4, DM_EV_ADD, DM_ORIGIN_ROUTER, "Device.IP.Interface.2.IPv4Address.1.");
	count_is(&r, 5, DM_ORIGIN_ROUTER, "Device.IP.Interface.2.IPv4AddressNumberOfEntries", "0",
		 "1");

	/* deleting an instance with a sub-instance: one DEL (object still readable during it),
	 * nothing for the sub-instance, then the new count */
	assert_int_equal(dm_obj_delete(t, i2, DM_ORIGIN_USP), TB_OK);
	assert_int_equal(r.n, 8);
	ev_is(&r, 6, DM_EV_DEL, DM_ORIGIN_USP, "Device.IP.Interface.2.");
	assert_string_equal(r.ev[6].extra, "lan");
	count_is(&r, 7, DM_ORIGIN_USP, "Device.IP.InterfaceNumberOfEntries", "2", "1");
	dm_tree_free(t);
}

static void failed_initial_values_add_nothing(void **state)
{
	dm_tree *t = dm_tree_new();
	recorder r = { .read_param = DM_ID_NONE };
	dm_obj *ip = dm_tree_find(t, "Device.IP.");
	dm_id itf = id("Device.IP.Interface.{i}.");
	dm_id bad = id("Device.DeviceInfo.HostName"); /* not inside the new instance */
	const char *v = "x";
	dm_obj *o;
	(void)state;
	assert_int_equal(dm_tree_listen(t, record_ev, &r), TB_OK);
	assert_int_equal(dm_obj_add_init(t, ip, itf, 0, 1, &bad, &v, DM_ORIGIN_ROUTER, &o),
			 TB_ERR_INVALID_ARG);
	assert_null(o);
	assert_int_equal(r.n, 0);
	assert_int_equal(dm_obj_count(ip, itf), 0);
	dm_tree_free(t);
}

static void two_listeners_and_unlisten(void **state)
{
	dm_tree *t = dm_tree_new();
	recorder a = { .read_param = DM_ID_NONE }, b = { .read_param = DM_ID_NONE };
	dm_obj *di = dm_tree_find(t, "Device.DeviceInfo.");
	dm_id host = id("Device.DeviceInfo.HostName");
	(void)state;
	assert_int_equal(dm_tree_listen(t, record_ev, &a), TB_OK);
	assert_int_equal(dm_tree_listen(t, record_ev, &b), TB_OK);
	assert_int_equal(dm_obj_set(t, di, host, "one", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(a.n, 1);
	assert_int_equal(b.n, 1);
	dm_tree_unlisten(t, record_ev, &a);
	assert_int_equal(dm_obj_set(t, di, host, "two", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(a.n, 1);
	assert_int_equal(b.n, 2);
	dm_tree_unlisten(t, record_ev, &b);
	assert_int_equal(dm_obj_set(t, di, host, "three", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(b.n, 2);
	assert_int_equal(dm_tree_listen(t, NULL, NULL), TB_ERR_INVALID_ARG);
	dm_tree_free(t);
}

/* A listener that unregisters itself and registers another one during its first event. */
typedef struct self_remover {
	int calls;
	recorder *late;
} self_remover;

static void remove_self(void *ctx, dm_tree *t, const dm_event *ev)
{
	self_remover *s = ctx;
	(void)ev;
	s->calls++;
	dm_tree_unlisten(t, remove_self, s);
	assert_int_equal(dm_tree_listen(t, record_ev, s->late), TB_OK);
}

static void unlisten_during_an_event(void **state)
{
	dm_tree *t = dm_tree_new();
	recorder after = { .read_param = DM_ID_NONE }, late = { .read_param = DM_ID_NONE };
	self_remover s = { 0, &late };
	dm_obj *di = dm_tree_find(t, "Device.DeviceInfo.");
	dm_id host = id("Device.DeviceInfo.HostName");
	(void)state;
	assert_int_equal(dm_tree_listen(t, remove_self, &s), TB_OK);
	assert_int_equal(dm_tree_listen(t, record_ev, &after), TB_OK);
	assert_int_equal(dm_obj_set(t, di, host, "a", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(s.calls, 1);
	assert_int_equal(after.n, 1); /* the listener after it still got this event */
	assert_int_equal(late.n, 0);  /* registered during the event: only later ones */
	assert_int_equal(dm_obj_set(t, di, host, "b", DM_ORIGIN_ROUTER), TB_OK);
	assert_int_equal(s.calls, 1);
	assert_int_equal(after.n, 2);
	assert_int_equal(late.n, 1);
	dm_tree_free(t);
}

static void long_paths_are_delivered_whole(void **state)
{
	dm_tree *t = dm_tree_new();
	recorder r = { .read_param = DM_ID_NONE };
	dm_obj *pool, *cl, *addr;
	dm_id ip = id("Device.DHCPv4.Server.Pool.{i}.Client.{i}.IPv4Address.{i}.IPAddress");
	char want[128];
	(void)state;
	assert_int_equal(dm_obj_add(t, dm_tree_find(t, "Device.DHCPv4.Server."),
				    id("Device.DHCPv4.Server.Pool.{i}."), 0, DM_ORIGIN_ROUTER, &pool),
			 TB_OK);
	assert_int_equal(dm_obj_add(t, pool, id("Device.DHCPv4.Server.Pool.{i}.Client.{i}."),
				    4000000000u, DM_ORIGIN_ROUTER, &cl), TB_OK);
	assert_int_equal(dm_obj_add(t, cl,
				    id("Device.DHCPv4.Server.Pool.{i}.Client.{i}.IPv4Address.{i}."),
				    0, DM_ORIGIN_ROUTER, &addr), TB_OK);
	assert_int_equal(dm_tree_listen(t, record_ev, &r), TB_OK);
	assert_int_equal(dm_obj_set(t, addr, ip, "192.168.88.10", DM_ORIGIN_ROUTER), TB_OK);
	snprintf(want, sizeof want, "%s",
		 "Device.DHCPv4.Server.Pool.1.Client.4000000000.IPv4Address.1.IPAddress");
	assert_string_equal(r.ev[0].path, want);
	assert_string_equal(dm_origin_name(DM_ORIGIN_ROUTER), "router");
	assert_string_equal(dm_origin_name(DM_ORIGIN_CWMP), "cwmp");
	assert_string_equal(dm_origin_name(DM_ORIGIN_USP), "usp");
	assert_string_equal(dm_origin_name(DM_ORIGIN_BRIDGE), "bridge");
	dm_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(value_events_only_for_real_changes),
		cmocka_unit_test(add_and_delete_events),
		cmocka_unit_test(failed_initial_values_add_nothing),
		cmocka_unit_test(two_listeners_and_unlisten),
		cmocka_unit_test(unlisten_during_an_event),
		cmocka_unit_test(long_paths_are_delivered_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
