/* ros_persist.h — the record that keeps a router's instance numbers across restarts (TR-369
 * R-ARC.8): RouterOS item → instance bindings and each table's next number, in the state store. */
#ifndef ROS_PERSIST_H
#define ROS_PERSIST_H

#include <stddef.h>
#include <stdint.h>

#include "util/tb_err.h"

#define ROS_PERSIST_MAX_BYTES (1024u * 1024u) /* a larger record is refused */
#define ROS_PERSIST_MAX_LINES 20000u
#define ROS_PERSIST_MAX_PATH 256u
#define ROS_PERSIST_MAX_ID 64u /* with the NUL: ros_binding.id */

/* "b <table template> <menu> <instance path> <id>": the instance bound to RouterOS item id. */
typedef struct ros_persist_binding {
	char *object;               /* "Device.NAT.PortMapping.{i}." */
	char *menu;                 /* "/ip/firewall/nat" */
	char *path;                 /* "Device.NAT.PortMapping.3." */
	char id[ROS_PERSIST_MAX_ID]; /* ".id" or a LIST item's text */
} ros_persist_binding;

/* "n <table path> <next>": the next number of one table under one parent. */
typedef struct ros_persist_counter {
	char *table; /* "Device.NAT.PortMapping." */
	uint32_t next;
} ros_persist_counter;

typedef struct ros_persist_rec {
	ros_persist_binding *b;
	size_t n_b;
	ros_persist_counter *c;
	size_t n_c;
} ros_persist_rec;

/* Parses a record (outside input: every field is checked, sizes capped). On error *out is empty
 * and e says which line is wrong (TB_ERR_PARSE, TB_ERR_TOO_BIG, TB_ERR_NOMEM). */
tb_err ros_persist_decode(const char *data, size_t len, ros_persist_rec *out, tb_errctx *e);
void ros_persist_rec_free(ros_persist_rec *r);

/* The instance number a path ends with ("Device.NAT.PortMapping.3." → 3; 0 if none), and the
 * length of its table path ("Device.NAT.PortMapping."). */
uint32_t ros_persist_path_inst(const char *path, size_t *table_len);

#endif
