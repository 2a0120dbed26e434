/* bench_usp_get.c — what access control (ControllerTrust) costs a Get of Device., and how big the
 * Records answering Get Device. and GetSupportedDM Device. are ([usp] max_record_size): one router
 * tree, the request handlers called directly (no MTP), the controller's acl made per request as the
 * agent does. Usage: bench_usp_get [small|busy] [ROUNDS]: 5 batches of ROUNDS Gets per case, the
 * fastest batch is reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_router.h"
#include "bridge/usp/usp_acl.h"
#include "bridge/usp/usp_engine.h"
#include "bridge/usp/usp_roles.h"
#include "proto/usp_msg.h"
#include "proto/usp_record.h"

/* A router with a busy LAN: 24 ports, 500 leases, 500 hosts, 200 routes, 50 port mappings. */
static const bench_router_size busy = {.ethernet = 24, .leases = 500, .hosts = 500,
				       .routes = 200, .mappings = 50};

typedef struct answer {
	size_t msg_bytes;
	size_t params;
} answer;

static void on_resp(void *arg, usp_resp *r)
{
	answer *a = arg;
	tb_buf b;

	if (!r)
		bench_die("no answer", "");
	tb_buf_init(&b, 0);
	if (usp_msg_pack(r->msg, &b, NULL) != TB_OK)
		bench_die("cannot pack", "");
	a->msg_bytes = b.len;
	a->params = 0;
	if (r->msg->body->response &&
	    r->msg->body->response->resp_type_case == USP__RESPONSE__RESP_TYPE_GET_RESP) {
		Usp__GetResp__RequestedPathResult *rr = r->msg->body->response->get_resp->req_path_results[0];
		for (size_t i = 0; i < rr->n_resolved_path_results; i++)
			a->params += rr->resolved_path_results[i]->n_result_params;
	}
	tb_buf_free(&b);
	usp_resp_free(r);
}

/* Runs one request as `controller` (NULL: no acl at all), its acl made first. */
static answer run(dm_tree *t, const char *controller, Usp__Header__MsgType type, void *body)
{
	usp_ctx c = {.tree = t, .controller_id = controller};
	usp_msg_frame f;
	answer a = {0};

	if (controller && usp_acl_for(t, controller, &c.acl) != TB_OK)
		bench_die("no acl for", controller);
	if (usp_msg_frame_init(&f, "bench-1", type, body, NULL) != TB_OK)
		bench_die("cannot frame", "");
	usp_handle(&c, &f.msg, on_resp, &a);
	usp_acl_free(c.acl);
	return a;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void perm(dm_tree *t, const char *role, const char *order, const char *targets,
		 const char *p, const char *o, const char *i, const char *c)
{
	static const char *const names[] = {"Enable", "Order", "Targets", "Param", "Obj",
					    "InstantiatedObj", "CommandEvent"};
	const char *values[] = {"true", order, targets, p, o, i, c};
	dm_id table = dm_schema_find("Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}.");
	dm_id ids[7];
	dm_obj *po;

	for (int k = 0; k < 7; k++)
		ids[k] = dm_schema_child(table, names[k], strlen(names[k]));
	if (dm_obj_add_init(t, dm_tree_find(t, role), table, 0, 7, ids, values, DM_ORIGIN_BRIDGE,
			    &po) != TB_OK)
		bench_die("cannot add a permission to", role);
}

static void controller(dm_tree *t, const char *eid, const char *role)
{
	static const char *const names[] = {"EndpointID", "Enable", "AssignedRole"};
	const char *values[] = {eid, "true", role};
	dm_id table = dm_schema_find("Device.LocalAgent.Controller.{i}.");
	dm_id ids[3];
	dm_obj *c;

	for (int k = 0; k < 3; k++)
		ids[k] = dm_schema_child(table, names[k], strlen(names[k]));
	if (dm_obj_add_init(t, dm_tree_find(t, "Device.LocalAgent."), table, 0, 3, ids, values,
			    DM_ORIGIN_BRIDGE, &c) != TB_OK)
		bench_die("cannot add controller", eid);
}

/* Roles: the built-in FullAccess and ReadOnly, and a FullAccess with exceptions that name
 * instances and search (the slow path of the evaluation). */
static void roles(dm_tree *t)
{
	static const char *const rn[] = {"Name", "Enable"};
	const char *rv[] = {"Mixed", "true"};
	dm_id role = dm_schema_find("Device.LocalAgent.ControllerTrust.Role.{i}.");
	dm_id ids[2] = {dm_schema_child(role, rn[0], 4), dm_schema_child(role, rn[1], 6)};
	dm_obj *r;

	if (usp_roles_add_builtin(t, NULL) != TB_OK ||
	    dm_obj_add_init(t, dm_tree_find(t, "Device.LocalAgent.ControllerTrust."), role, 0, 2,
			    ids, rv, DM_ORIGIN_BRIDGE, &r) != TB_OK)
		bench_die("cannot add roles", "");
	perm(t, "Device.LocalAgent.ControllerTrust.Role.3.", "1", "Device.", "rwxn", "rwxn", "rwxn",
	     "rwxn");
	perm(t, "Device.LocalAgent.ControllerTrust.Role.3.", "2",
	     "Device.Hosts.Host.[Active==true].HostName", "----", "r---", "r---", "----");
	perm(t, "Device.LocalAgent.ControllerTrust.Role.3.", "3", "Device.WiFi.AccessPoint.1.",
	     "----", "----", "----", "----");
	perm(t, "Device.LocalAgent.ControllerTrust.Role.3.", "4",
	     "Device.DHCPv4.Server.Pool.*.Client.*.IPv4Address.", "r---", "r---", "r---", "----");
	controller(t, "self::full", "Device.LocalAgent.ControllerTrust.Role.1");
	controller(t, "self::ro", "Device.LocalAgent.ControllerTrust.Role.2");
	controller(t, "self::mixed", "Device.LocalAgent.ControllerTrust.Role.3");
}

int main(int argc, char **argv)
{
	const bench_router_size *sz = argc > 1 && strcmp(argv[1], "busy") == 0 ? &busy
										 : &bench_router_small;
	unsigned rounds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 200;
	static const char *const who[] = {NULL, "self::full", "self::ro", "self::mixed"};
	static const char *const label[] = {"no acl", "FullAccess", "ReadOnly",
					    "FullAccess + instance/search exceptions"};
	const char *paths[] = {"Device."};
	dm_tree *t = bench_router_tree(0, sz);
	Usp__Get get;
	Usp__GetSupportedDM gsdm;

	roles(t);
	usp__get__init(&get);
	get.param_paths = (char **)paths;
	get.n_param_paths = 1;
	printf("router: %u ethernet, %u leases, %u hosts, %u routes, %u port mappings\n", sz->ethernet,
	       sz->leases, sz->hosts, sz->routes, sz->mappings);
	/* batches of each case in turn, the fastest batch counts: the machine is shared */
	double best[4] = {0};
	answer got[4];
	for (int batch = 0; batch < 5; batch++)
		for (size_t w = 0; w < sizeof who / sizeof *who; w++) {
			double t0, t1;
			got[w] = run(t, who[w], USP__HEADER__MSG_TYPE__GET, &get.base); /* warm up */
			t0 = now_ns();
			for (unsigned k = 0; k < rounds; k++)
				got[w] = run(t, who[w], USP__HEADER__MSG_TYPE__GET, &get.base);
			t1 = now_ns();
			if (batch == 0 || (t1 - t0) / rounds < best[w])
				best[w] = (t1 - t0) / rounds;
		}
	for (size_t w = 0; w < sizeof who / sizeof *who; w++)
		printf("Get Device. %-42s %8.1f us  (%zu parameters, %zu bytes)\n", label[w],
		       best[w] / 1000.0, got[w].params, got[w].msg_bytes);

	/* the Records the biggest answers need (to_id/from_id as long as endpoint IDs get) */
	usp__get_supported_dm__init(&gsdm);
	gsdm.obj_paths = (char **)paths;
	gsdm.n_obj_paths = 1;
	gsdm.return_commands = gsdm.return_events = gsdm.return_params = true;
	gsdm.return_unique_key_sets = true;
	const char *names[] = {"Get Device.", "GetSupportedDM Device."};
	answer sizes[2] = {run(t, NULL, USP__HEADER__MSG_TYPE__GET, &get.base),
			   run(t, NULL, USP__HEADER__MSG_TYPE__GET_SUPPORTED_DM, &gsdm.base)};
	for (int i = 0; i < 2; i++) {
		usp_record_addr addr = {.to_id = "self::controller-with-a-long-endpoint-id-0123456789",
					.from_id = "os::E48D8C-HE2080000000000000000000000000000000"};
		unsigned char *junk = calloc(1, sizes[i].msg_bytes);
		tb_buf rec;
		tb_buf_init(&rec, 0);
		if (!junk || usp_record_encode_msg(&addr, junk, sizes[i].msg_bytes, &rec, NULL) != TB_OK)
			bench_die("cannot encode a Record", "");
		printf("%-24s Msg %8zu bytes, Record %8zu bytes\n", names[i], sizes[i].msg_bytes,
		       rec.len);
		tb_buf_free(&rec);
		free(junk);
	}
	dm_tree_free(t);
	return 0;
}
