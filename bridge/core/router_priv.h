/* router_priv.h — inside one managed router: its tree, RouterOS adapter, USP agent and CWMP CPE,
 * and how they are wired (applier, command provider, counter refresh, Boot! and 1 BOOT). For
 * router*.c only. */
#ifndef TB_ROUTER_PRIV_H
#define TB_ROUTER_PRIV_H

#include <stdbool.h>

#include "bridge/config/config.h"
#include "bridge/core/router.h"
#include "bridge/core/write_policy.h"
#include "bridge/cwmp/cwmp.h"
#include "bridge/routeros/ros_adapter.h"
#include "bridge/state/router_state.h"
#include "bridge/state/state_store.h"
#include "bridge/usp/usp_agent.h"
#include "bridge/usp/usp_periodic.h"
#include "datamodel/dm_tree.h"
#include "transports/tb_loop.h"

struct tb_router {
	const tb_router_shared *sh;
	tb_loop *loop;
	const tb_config *cfg;
	tb_config_router *rc; /* owned copy */
	tb_state_store *store;
	dm_tree *tree;
	ros_adapter *adapter; /* NULL until its paced start */
	usp_agent *agent;     /* NULL until the router's identity is known */
	usp_agent_hub *hub;   /* the fleet's, handed to the agent; may be NULL */
	usp_periodic *periodic; /* Periodic! events of the agent */
	cwmp_front *cwmp;     /* the fleet's CWMP front; NULL when [acs] url is empty */
	cwmp_cpe *cpe;        /* this router's CWMP CPE, from its start on */
	router_state *state;  /* saves what an ACS or controllers change; NULL without a store */
	bool state_restored;  /* the saved state replaced the config's defaults */
	tb_migration migration; /* as last logged */
	tb_write_policy policy; /* what one protocol may not write while both manage it */
	/* a reboot the adapter saw: Boot! waits for the sync that follows it, so that it can tell
	 * whether SoftwareVersion changed across the reboot (FirmwareUpdated) */
	bool boot_pending;
	char boot_cause[32];
	char *boot_key;
	char boot_software[72]; /* DeviceInfo.SoftwareVersion before the reboot */
	char state_record[96];
};

/* The value of a parameter of the router's tree by instance path; "" when it does not exist. */
const char *tb_router_param(struct tb_router *r, const char *path);

#endif
