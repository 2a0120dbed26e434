/* ros_operate.h — the USP operate provider of one router: Reboot(), FactoryReset(), IPPing(),
 * TraceRoute(), FirmwareImage.{i}.Download() and Activate() carried out with RouterOS commands. */
#ifndef ROS_OPERATE_H
#define ROS_OPERATE_H

#include <stddef.h>

#include "bridge/routeros/ros_adapter.h"
#include "datamodel/dm_tree.h"
#include "util/tb_err.h"

/* One input or output argument ("Host", "RouteHops.2.RTTimes"). */
typedef struct ros_nv {
	const char *name;
	const char *value;
} ros_nv;

/* The command finished. rc TB_OK: out holds the output arguments (valid during the call only).
 * Otherwise e says why: TB_ERR_UNAVAILABLE (router down), TB_ERR_COMMAND_FAILED (the router's
 * !trap text), TB_ERR_INVALID_ARG (a bad input argument). */
typedef void (*ros_operate_done_fn)(void *arg, tb_err rc, const ros_nv *out, size_t n_out,
				    const tb_errctx *e);

/* Starts `command` (a DM_COMMAND node) on object obj. Returns TB_OK and then calls done exactly
 * once, later, from the loop; or returns an error at once (done is not called):
 * TB_ERR_NOT_SUPPORTED for a command this router cannot run, TB_ERR_UNAVAILABLE while it is
 * down, TB_ERR_INVALID_ARG for missing/malformed inputs (message in e). Reboot and
 * FactoryReset succeed when the router drops the connection (it answers nothing). */
tb_err ros_operate_start(ros_adapter *ad, dm_obj *obj, dm_id command, const ros_nv *in,
			 size_t n_in, ros_operate_done_fn done, void *arg, tb_errctx *e);

/* Is this command carried by the provider? (for GetSupportedDM / early refusal) */
bool ros_operate_supported(dm_id command);

#endif
