/* ros_bootloader.c — the RouterBOARD bootloader after a firmware upgrade ([router]
 * upgrade_bootloader): once the rebooted router is synced, /system/routerboard print; when
 * current-firmware is not upgrade-firmware (the bootloader the new RouterOS carries),
 * /system/routerboard/upgrade, then the second reboot that writes it. A CHR (routerboard=false)
 * or an up-to-date bootloader is left alone. */
#include "bridge/routeros/ros_adapter_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_operate.h"
#include "util/tb_log.h"

#define BL_TIMEOUT_MS 60000u

typedef struct bl_run {
	ros_adapter *ad;
	char name[64]; /* the router's, for the log (the adapter may go first) */
	char *key;
	char routerboard[8], current[32], upgrade[32];
	bool trapped;
	char msg[200];
	uint32_t tag;
} bl_run;

static void bl_free(bl_run *b)
{
	free(b->key);
	free(b);
}

void ros_adapter_bootloader_due(ros_adapter *ad, const char *command_key)
{
	char *key;

	if (!ad->upgrade_bootloader)
		return;
	if (!(key = strdup(command_key ? command_key : ""))) {
		tb_error("router %s: the bootloader upgrade is not done (out of memory)", ad->name);
		return;
	}
	free(ad->bootloader_key);
	ad->bootloader_key = key;
	ad->bootloader_due = true;
}

static void reboot_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	bl_run *b = arg;
	tb_err rc;

	if (!ros_reboot_reply(r, err, &b->trapped, b->msg, sizeof b->msg, &rc))
		return;
	if (rc != TB_OK)
		tb_error("router %s: the reboot that writes the bootloader failed: %s", b->name,
			 b->msg);
	bl_free(b);
}

static void upgrade_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	static const char *const reboot[] = {"/system/reboot"};
	bl_run *b = arg;

	if (r && r->type == ROS_REPLY_TRAP) {
		b->trapped = true;
		snprintf(b->msg, sizeof b->msg, "%s", r->message ? r->message : "failure");
		return;
	}
	if (r && r->type != ROS_REPLY_DONE)
		return;
	if (!r || b->trapped) {
		tb_error("router %s: /system/routerboard/upgrade failed: %s", b->name,
			 r ? b->msg : err ? err->msg : "connection lost");
		bl_free(b);
		return;
	}
	tb_info("router %s: bootloader %s -> %s: rebooting to write it", b->name, b->current,
		b->upgrade);
	b->trapped = false;
	if (ros_adapter_expect_boot(b->ad, "RemoteReboot", b->key) != TB_OK ||
	    ros_client_command(ros_adapter_client(b->ad), reboot, 1, 0, reboot_reply, b,
			       &b->tag) != TB_OK) {
		tb_error("router %s: the reboot that writes the bootloader could not be sent",
			 b->name);
		bl_free(b);
	}
}

static void print_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	static const char *const upgrade[] = {"/system/routerboard/upgrade"};
	bl_run *b = arg;
	const char *v;

	if (r && r->type == ROS_REPLY_RE) {
		if ((v = ros_reply_get(r, "routerboard")))
			snprintf(b->routerboard, sizeof b->routerboard, "%s", v);
		if ((v = ros_reply_get(r, "current-firmware")))
			snprintf(b->current, sizeof b->current, "%s", v);
		if ((v = ros_reply_get(r, "upgrade-firmware")))
			snprintf(b->upgrade, sizeof b->upgrade, "%s", v);
		return;
	}
	if (r && r->type == ROS_REPLY_TRAP) {
		b->trapped = true;
		return;
	}
	if (r && r->type != ROS_REPLY_DONE)
		return;
	if (!r || b->trapped) {
		tb_error("router %s: /system/routerboard could not be read: no bootloader upgrade",
			 b->name);
	} else if (strcmp(b->routerboard, "true") != 0 && strcmp(b->routerboard, "yes") != 0) {
		tb_info("router %s: not a RouterBOARD: no bootloader to upgrade", b->name);
	} else if (!b->upgrade[0] || !strcmp(b->current, b->upgrade)) {
		tb_info("router %s: bootloader %s is the current one", b->name, b->current);
	} else if (ros_client_command(ros_adapter_client(b->ad), upgrade, 1, BL_TIMEOUT_MS,
				      upgrade_reply, b, &b->tag) == TB_OK) {
		return;
	} else {
		tb_error("router %s: /system/routerboard/upgrade could not be sent", b->name);
	}
	(void)err;
	bl_free(b);
}

void ros_bootloader_synced(ros_adapter *ad)
{
	static const char *const words[] = {"/system/routerboard/print"};
	bl_run *b;

	if (!ad->bootloader_due)
		return;
	ad->bootloader_due = false;
	if (!(b = calloc(1, sizeof *b))) {
		tb_error("router %s: no bootloader upgrade (out of memory)", ad->name);
		return;
	}
	b->ad = ad;
	snprintf(b->name, sizeof b->name, "%s", ad->name);
	b->key = ad->bootloader_key;
	ad->bootloader_key = NULL;
	if (ros_client_command(ros_adapter_client(ad), words, 1, BL_TIMEOUT_MS, print_reply, b,
			       &b->tag) != TB_OK) {
		tb_error("router %s: /system/routerboard could not be read: no bootloader upgrade",
			 ad->name);
		bl_free(b);
	}
}
