/* ros_features.c — which optional menus a router has, asked at each login rather than guessed
 * from the version: the installed and enabled packages first (/system/package: Wi-Fi, 6.x's
 * ipv6), then a count-only print of each Wi-Fi menu the packages left open (its code may live
 * inside another package). */
#include "bridge/routeros/ros_adapter_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_convert.h"
#include "util/tb_log.h"

unsigned ros_features_of_package(const char *name)
{
	/* wireless (v6 also had wireless-cm2 / -fp / -rep), wifiwave2 (7.x before 7.13), and the
	 * 7.13 driver packages wifi-qcom and wifi-qcom-ac (MikroTik's WiFi manual page) */
	if (!strncmp(name, "wireless", 8))
		return ROS_FEAT_WIRELESS;
	if (!strcmp(name, "wifiwave2"))
		return ROS_FEAT_WIFIWAVE2;
	if (!strncmp(name, "wifi-", 5))
		return ROS_FEAT_WIFI;
	if (!strcmp(name, "ipv6")) /* 6.x (MikroTik wiki, IPv6: "Package requirement: ipv6") */
		return ROS_FEAT_IPV6;
	return 0;
}

typedef struct ros_detect {
	ros_adapter *ad;
	uint64_t gen;
	unsigned features;
	unsigned probing;  /* features whose probe is still out */
	bool lost;         /* a probe lost its connection: the next login starts over */
	void (*done)(ros_adapter *ad);
} ros_detect;

static void detect_end(ros_detect *d)
{
	ros_adapter *ad = d->ad;
	if (d->gen == ad->gen && !d->lost) {
		ad->features = d->features;
		tb_debug("router %s: menus:%s%s%s%s", ad->name,
			 d->features & ROS_FEAT_WIRELESS ? " wireless" : "",
			 d->features & ROS_FEAT_WIFIWAVE2 ? " wifiwave2" : "",
			 d->features & ROS_FEAT_WIFI ? " wifi" : "",
			 d->features & ROS_FEAT_IPV6 ? " ipv6" : "");
		d->done(ad);
	}
	free(d);
}

/* One probe per menu: a trap (no such menu) or no items says no. */
typedef struct ros_probe {
	ros_detect *d;
	unsigned feature;
	bool trapped;
} ros_probe;

static void probe_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_probe *p = arg;
	ros_detect *d = p->d;
	(void)err;
	if (r && r->type == ROS_REPLY_TRAP)
		p->trapped = true;
	if (r && r->type != ROS_REPLY_DONE)
		return;
	if (!r)
		d->lost = true;
	else if (!p->trapped && r->ret && strtoul(r->ret, NULL, 10) > 0)
		d->features |= p->feature;
	d->probing &= ~p->feature;
	free(p);
	if (!d->probing)
		detect_end(d);
}

static void probe(ros_detect *d, unsigned feature, const char *cmd)
{
	const char *w[] = {cmd, "=count-only="};
	ros_probe *p = calloc(1, sizeof *p);

	if (!p)
		return;
	*p = (ros_probe){d, feature, false};
	d->probing |= feature;
	if (ros_client_command(d->ad->client, w, 2, 0, probe_reply, p, NULL) != TB_OK) {
		d->probing &= ~feature;
		free(p);
	}
}

static void package_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_detect *d = arg;
	const char *name, *disabled;
	bool off;
	(void)err;

	if (r && r->type == ROS_REPLY_RE) {
		name = ros_reply_get(r, "name");
		disabled = ros_reply_get(r, "disabled");
		if (name && !(disabled && ros_conv_bool(disabled, &off) == TB_OK && off))
			d->features |= ros_features_of_package(name);
		return;
	}
	if (r && r->type != ROS_REPLY_DONE)
		return;
	if (!r || d->gen != d->ad->gen) { /* the connection went: the next login starts over */
		free(d);
		return;
	}
	if (d->ad->version >= 700) /* IPv6 is part of routeros */
		d->features |= ROS_FEAT_IPV6;
	/* wireless code without a package of its own (inside routeros before 7.13), or a driver
	 * package of a name we do not know: a menu with items is there */
	if (!(d->features & (ROS_FEAT_WIRELESS | ROS_FEAT_WIFIWAVE2)))
		probe(d, ROS_FEAT_WIRELESS, "/interface/wireless/print");
	if (d->ad->version >= 713 && !(d->features & ROS_FEAT_WIFI))
		probe(d, ROS_FEAT_WIFI, "/interface/wifi/print");
	if (!d->probing)
		detect_end(d);
}

void ros_features_detect(ros_adapter *ad, void (*done)(ros_adapter *ad))
{
	static const char *const w[] = {"/system/package/print", "=.proplist=name,disabled"};
	ros_detect *d = calloc(1, sizeof *d);

	if (!d)
		return; /* nothing syncs; the next login tries again */
	*d = (ros_detect){.ad = ad, .gen = ad->gen, .done = done};
	if (ros_client_command(ad->client, w, 2, 0, package_reply, d, NULL) != TB_OK)
		free(d);
}
