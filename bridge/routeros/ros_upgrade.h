/* ros_upgrade.h — a firmware image's Download() on a RouterOS router: one .npk, or a manifest
 * (proto/fw_manifest.h) naming several; every file fetched into the root of /file before
 * anything else, a failure removes what was fetched (no partial upgrade is left to install at
 * the next boot); with AutoActivate a check that no installed package is left behind, then one
 * reboot (/system/package/apply-changes from RouterOS 7.18, /system/reboot before). */
#ifndef ROS_UPGRADE_H
#define ROS_UPGRADE_H

#include <stdbool.h>

#include "bridge/routeros/ros_adapter.h"
#include "datamodel/dm_cmd.h"
#include "util/tb_err.h"

typedef struct ros_upgrade ros_upgrade;

typedef struct ros_upgrade_req {
	const char *url;         /* an .npk, or a manifest (a file name ending in .xml) */
	const char *username, *password; /* of the file server; NULL or "" for none */
	const char *command_key; /* the Boot!'s */
	bool activate;           /* AutoActivate: reboot into it once everything is there */
} ros_upgrade_req;

/* Ends an upgrade: TB_OK (files there; with activate, the router went down into the reboot),
 * TB_ERR_COMMAND_FAILED with msg (the router's words, or ours: a bad manifest, a package left
 * behind). Called once; the upgrade is freed right after. */
typedef void (*ros_upgrade_done_fn)(void *arg, tb_err rc, const char *msg);

/* Starts; progress goes to call (dm_cmd_report). On TB_OK *out runs until done is called. */
tb_err ros_upgrade_start(ros_adapter *ad, const ros_upgrade_req *rq, dm_cmd_call *call,
			 ros_upgrade_done_fn done, void *arg, ros_upgrade **out, tb_errctx *e);
/* Stops it and frees it (done is not called), removing the files fetched so far;
 * TB_ERR_NOT_SUPPORTED once the reboot was sent (it goes on). */
tb_err ros_upgrade_cancel(ros_upgrade *u);

#endif
