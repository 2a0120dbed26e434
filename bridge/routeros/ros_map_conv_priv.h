/* ros_map_conv_priv.h — what the converter files of ros_map.h share: the output helper, interface
 * references and the converter families kept in files of their own. */
#ifndef ROS_MAP_CONV_PRIV_H
#define ROS_MAP_CONV_PRIV_H

#include "bridge/routeros/ros_map.h"

/* s (n bytes) into out, NUL-terminated; TB_ERR_TOO_BIG when it does not fit. */
tb_err ros_map_put(char *out, size_t out_len, const char *s, size_t n);
/* Is s a dotted IPv4 address (no prefix)? An IPv4 or IPv6 address? */
bool ros_map_is_ipv4(const char *s);
bool ros_map_is_ip(const char *s);

/* An interface name -> the path of the instance with that Name of the first of the tables
 * ("Device.Ethernet.Interface.|Device.PPP.Interface.") that has one; "" when none does. */
tb_err ros_map_ifref_to_tr(const char *tables, const char *name, dm_tree *tree, char *out,
			   size_t out_len);
/* A reference to an instance of one of pm->arg's tables -> its Name ("" -> ""). */
tb_err ros_map_ifref_to_ros(const ros_param_map *pm, const char *tr, dm_tree *tree, char *out,
			    size_t out_len, tb_errctx *e);

/* ros_map_conv_net.c: PORT_LOW/HIGH, ALL_IFACES, GW_IP/IFACE, NTP. */
tb_err ros_map_net_to_tr(const ros_param_map *pm, const char *ros, dm_tree *tree,
			 ros_map_lookup_fn item, void *item_ctx, char *out, size_t out_len);
tb_err ros_map_net_to_ros(const ros_param_map *pm, const char *tr, dm_tree *tree,
			  ros_map_lookup_fn lookup, void *lookup_ctx, char *out, size_t out_len,
			  tb_errctx *e);

/* ros_map_conv_ipv6.c: CIDR6_IP, CIDR6_NET, PREFIX_REF, DHCP6_REQUEST. */
tb_err ros_map_ipv6_to_tr(const ros_param_map *pm, const char *ros, dm_tree *tree, char *out,
			  size_t out_len);
tb_err ros_map_ipv6_to_ros(const ros_param_map *pm, const char *tr, dm_tree *tree,
			   ros_map_lookup_fn lookup, void *lookup_ctx, char *out, size_t out_len,
			   tb_errctx *e);

/* ros_map_conv_fw.c: FW_ADDR, FW_MASK, PROTO, FW_PORT, FW_PORT_MAX, ENUM_LIST, NEGATED (writes:
 * all but NEGATED, which ros_apply writes through the row it negates). */
tb_err ros_map_fw_to_tr(const ros_param_map *pm, const char *ros, char *out, size_t out_len);
tb_err ros_map_fw_to_ros(const ros_param_map *pm, const char *tr, ros_map_lookup_fn lookup,
			 void *lookup_ctx, char *out, size_t out_len, tb_errctx *e);

/* ros_map_conv_link.c: CHANNEL, CHANNELS, AUTO_CHANNEL, RATE, ETH_MAX, ETH_DUPLEX, WIFI_RATE,
 * DBM, PAIR (writes: CHANNEL only). */
tb_err ros_map_link_to_tr(const ros_param_map *pm, const char *ros, ros_map_lookup_fn item,
			  void *item_ctx, char *out, size_t out_len);
tb_err ros_map_link_to_ros(const ros_param_map *pm, const char *tr, ros_map_lookup_fn lookup,
			   void *lookup_ctx, char *out, size_t out_len, tb_errctx *e);

/* ros_map_conv_row.c: ROW_REF, ROW_LIST (writes: ROW_REF). */
tb_err ros_map_row_to_tr(const ros_param_map *pm, const char *ros, dm_tree *tree,
			 ros_map_lookup_fn item, void *item_ctx, char *out, size_t out_len);
tb_err ros_map_row_to_ros(const ros_param_map *pm, const char *tr, dm_tree *tree,
			  ros_map_lookup_fn lookup, void *lookup_ctx, char *out, size_t out_len,
			  tb_errctx *e);

#endif
