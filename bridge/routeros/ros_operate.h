/* ros_operate.h — the router's command provider (dm_cmd.h): Reboot(), FactoryReset(), IPPing(),
 * TraceRoute(), FirmwareImage.{i}.Download() and Activate(), VendorConfigFile.{i}.Restore() carried
 * out with RouterOS commands. */
#ifndef ROS_OPERATE_H
#define ROS_OPERATE_H

#include <stdbool.h>
#include <stddef.h>

#include "datamodel/dm_cmd.h"
#include "transports/ros_client.h"

/* The provider; its ctx is the router's ros_adapter.
 * start: TB_ERR_NOT_SUPPORTED for a command no RouterOS command carries, TB_ERR_UNAVAILABLE while
 * the router is down, TB_ERR_INVALID_ARG for a missing Host/URL. Otherwise the run ends later with
 * TB_OK and the output arguments, TB_ERR_COMMAND_FAILED (the router's !trap text, a lost
 * connection) or TB_ERR_CANCELLED. Reboot(), FactoryReset() and Activate() succeed when the router
 * drops the connection (it answers nothing); the next Boot! carries the request's command key.
 * Restore() fetches the URL's file and runs /import on it: a file the router fetched but would not
 * import ends with TB_ERR_DEVICE (the !trap text), a failed fetch with TB_ERR_COMMAND_FAILED.
 * Progress: the download's phase and percentage, the share of pings sent.
 * cancel: stops a ping, traceroute or download with /cancel; a reboot, once sent, goes on. */
extern const dm_cmd_provider ros_operate_provider;

/* Drops "user:password@" from every URL in a router's message (in place): the message becomes a
 * CWMP FaultString, a USP err_msg and a log line. */
void ros_scrub_credentials(char *msg);

/* A reply to a command that reboots the router (/system/reboot, apply-changes, a reset): the
 * router answers nothing and drops the connection, which is the success. false while more is to
 * come (a !trap is kept in *trapped and msg for the !done after it); true at the end, *rc TB_OK or
 * TB_ERR_COMMAND_FAILED with msg saying why. */
bool ros_reboot_reply(const ros_reply *r, const tb_errctx *err, bool *trapped, char *msg,
		      size_t len, tb_err *rc);

#endif
