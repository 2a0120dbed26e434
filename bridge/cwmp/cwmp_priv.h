/* cwmp_priv.h — inside the CWMP front: one router's CPE and the helpers its parts share. */
#ifndef CWMP_PRIV_H
#define CWMP_PRIV_H

#include "bridge/cwmp/cwmp.h"
#include "bridge/cwmp/cwmp_attrs.h"
#include "bridge/cwmp/cwmp_events.h"
#include "bridge/cwmp/cwmp_path.h"
#include "bridge/cwmp/cwmp_rpc.h"

struct cwmp_cpe {
	cwmp_cpe_env env;
	char name[TB_CONFIG_MAX_ROUTER_NAME + 1];
	cwmp_attrs *attrs;   /* notification attributes and the changes they hold for the ACS */
	cwmp_events events;  /* what the next Inform reports */
};

/* The tree's object of a single-instance path ("Device.ManagementServer."), NULL if absent. */
dm_obj *cwmp_obj(cwmp_cpe *c, const char *path);
/* A parameter's value by tree path; "" when absent. */
const char *cwmp_value(cwmp_cpe *c, const char *path);
/* Sets a parameter by tree path with origin `origin`, checked against the schema. */
tb_err cwmp_set_value(cwmp_cpe *c, const char *path, const char *value, dm_origin origin);

/* After a successful SetParameterValues/AddObject/DeleteObject: ParameterKey takes the ACS's
 * key (TR-069 A.3.2.1: only when the RPC succeeds). */
void cwmp_set_parameter_key(cwmp_cpe *c, const char *key);

#endif
