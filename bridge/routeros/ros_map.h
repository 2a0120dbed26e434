/* ros_map.h — declarative mapping between TR-181 objects and RouterOS menus: one table entry per
 * object, one row per parameter, with a converter kind; plus the converters both ways. */
#ifndef ROS_MAP_H
#define ROS_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datamodel/dm_tree.h"
#include "util/tb_err.h"

/* How a RouterOS value becomes a TR-181 value and back. */
typedef enum ros_conv_kind {
	ROS_CV_TEXT = 0,  /* unchanged */
	ROS_CV_BOOL,      /* true/yes/false/no <-> true/false */
	ROS_CV_NOT_BOOL,  /* disabled <-> Enable */
	ROS_CV_DURATION,  /* 1w2d3h -> seconds */
	ROS_CV_CIDR_IP,   /* 192.168.88.1/24 -> 192.168.88.1 (write: with the mask of sibling arg) */
	ROS_CV_CIDR_MASK, /* 192.168.88.1/24 -> 255.255.255.0 (write: with the address of arg) */
	ROS_CV_ENUM,      /* arg "ros=tr|ros=tr": both ways; unknown values are not mapped */
	ROS_CV_IFREF,     /* interface name <-> path of the instance with that Name of table `arg`,
	                   * or of the first of its tables that has one ("Device.Ethernet.Interface.|
	                   * Device.PPP.Interface."): RouterOS interface names are unique */
	ROS_CV_CONST,     /* arg, whatever the router says (prop may be NULL) */
	ROS_CV_VERSION,   /* "7.16 (stable)" -> "7.16" */
	ROS_CV_KIB,       /* bytes -> KiB */
	ROS_CV_CLOCK,     /* /system/clock date + the item's time and gmt-offset -> dateTime */
	ROS_CV_CHANNEL,   /* frequency in MHz ("2412") <-> IEEE channel number (1); 6 GHz (5955..)
	                   * too; write: 6 GHz when sibling arg ("OperatingFrequencyBand") says so;
	                   * a list or range of frequencies is no one channel */
	ROS_CV_CHANNELS,  /* frequencies "2412,2437" / ranges "5180-5240" -> channels "1,6" /
	                   * "36,40,44,48" (PossibleChannels); read only */
	ROS_CV_AUTO_CHANNEL,/* the radio picks its channel: no frequency, "auto", or a list or
	                   * range of them -> true; read only */
	ROS_CV_EXPIRES,   /* time left ("7m30s") -> dateTime of the end (UTC now + it); read only */
	ROS_CV_RANGE_MIN, /* pool ranges "a-b,c-d" -> a (lowest of the first range); read only */
	ROS_CV_RANGE_MAX, /* pool ranges "a-b,c-d" -> d (highest of the last range); read only */
	ROS_CV_PORT_LOW,  /* ports "5000-5010" -> 5000, "80" -> 80, absent -> 0; write: with the range
	                   * end of sibling arg (NULL: none) -> "5000-5010" / "80", 0 -> "" */
	ROS_CV_PORT_HIGH, /* ports "5000-5010" -> 5010, "80" -> 0; write: with the start of sibling
	                   * arg -> the same text as PORT_LOW */
	ROS_CV_ALL_IFACES,/* AllInterfaces: true when the item has neither prop nor arg
	                   * ("in-interface-list", "in-interface"); write: "" (with ROS_PM_UNSET the
	                   * list goes: TR-181 cannot name interface lists, a controller that
	                   * writes AllInterfaces chooses by Interface alone) */
	ROS_CV_FLAGS,     /* arg "dhcp=DHCPv4|ospf=OSPF|=Static": the TR-181 value of the first
	                   * flag property of the item that is true; "" names the default (prop
	                   * NULL); read only */
	ROS_CV_GW_IP,     /* route gateway "10.0.0.1", "10.0.0.1%ether1", "fe80::1%ether1" -> the
	                   * address; an interface gateway ("ether1") -> ""; write: the address
	                   * (a link-local IPv6 one with "%<sibling Interface's Name>"), or when
	                   * empty the Name of sibling "Interface" (an IP.Interface reference) */
	ROS_CV_GW_IFACE,  /* route gateway -> the IP.Interface it leaves by: "ether1", the %ether1 of
	                   * "10.0.0.1%ether1", else item property arg ("immediate-gw" on 7,
	                   * "gateway-status" "... reachable via ether1" on 6); write: sibling
	                   * "GatewayIPAddress" (IPv4) or "NextHop" (IPv6) when set, else this
	                   * interface's Name */
	ROS_CV_NTP,       /* NTP servers, arg "N" is NTPServerN. 7: the N-th item of prop "servers";
	                   * 6: the N-th of primary-ntp, secondary-ntp (not 0.0.0.0) and the names of
	                   * server-dns-names. Write (with ROS_PM_GROUP, from NTPServer1..5):
	                   * "servers" takes them all; primary-ntp and secondary-ntp the first two
	                   * addresses, server-dns-names the names */
	ROS_CV_JOIN,      /* the value and then the item's properties named in arg ("secondary-dns"),
	                   * the non-empty ones, as one comma list; read only */
	ROS_CV_DNS_TYPE,  /* a learned DNS server's Type: IPv6 -> DHCPv6, else DHCPv4; read only */
	ROS_CV_ADDR_TYPE, /* an address's "dynamic" -> Static, or IPCP when the item's interface
	                   * names an instance of arg's tables (PPP), else DHCP; read only */
	ROS_CV_AUTO_NUM,  /* a number or "auto" (the router negotiates) -> arg; write: the number */
	ROS_CV_HEX,       /* "0x0003000148a9" -> "0003000148a9" (hexBinary: a DUID); read only */
	ROS_CV_LIFETIME,  /* "<value>, 2d23h59m" (a DHCPv6 prefix or address with its time left)
	                   * -> dateTime of the end; no time: 9999-12-31T23:59:59Z; read only */
	ROS_CV_CIDR6_IP,  /* "2001:db8::1/64" (or "<that>, <time left>") -> "2001:db8::1"; write:
	                   * with the length of the IPv6Prefix that sibling arg ("Prefix") names,
	                   * else /64 (an IPv6Address has no length of its own) */
	ROS_CV_CIDR6_NET, /* "2001:db8::1/64" (or "<that>, <time left>") -> its prefix
	                   * "2001:db8::/64"; read only */
	ROS_CV_PREFIX_REF,/* an address "2001:db8::1/64" -> the IP.Interface.{i}.IPv6Prefix.{i}
	                   * whose Prefix is its prefix ("" when none); write: sibling arg
	                   * ("IPAddress") with the length of the prefix named */
	ROS_CV_FW_ADDR,   /* firewall address "192.168.88.0/24" -> "192.168.88.0"; write: with the
	                   * length ("/24") of sibling arg, "" -> "" (every address) */
	ROS_CV_FW_MASK,   /* "192.168.88.0/24" -> "/24" (an address alone: "/32"), "" -> ""; write:
	                   * sibling arg's address with this length */
	ROS_CV_PROTO,     /* protocol name or number -> the number, none -> -1; write: the number,
	                   * -1 -> "" */
	ROS_CV_FW_PORT,   /* ports "80" / "8000-8080" -> 80 / 8000, none -> -1 (a list maps to
	                   * nothing); write: with sibling arg's range end, -1 -> "" */
	ROS_CV_FW_PORT_MAX,/* the range end: 8080, -1 for one port or none */
	ROS_CV_ENUM_LIST, /* a comma list, each item through arg "ros=tr|..." (RouterOS items
	                   * without one are left out); both ways */
	ROS_CV_NEGATED,   /* "!value" -> true, else false: the ...Exclude of the row arg negates;
	                   * written as that row (ROS_PM_NEGATABLE) */
	ROS_CV_DHCP6_REQUEST,/* DHCPv6 client "request" list ("address,prefix") -> does it hold arg
	                   * ("address" / "prefix")? write (GROUP): the list from the siblings
	                   * RequestAddresses and RequestPrefixes */
	ROS_CV_RATE,      /* ethernet rate "1Gbps", "100Mbps", "2.5Gbps" -> Mbps; read only */
	ROS_CV_ETH_MAX,   /* MaxBitRate: -1 while auto-negotiation (prop) is on, else the forced
	                   * speed (item "speed": 6's "100Mbps", 7's "100M-baseT-full") in Mbps */
	ROS_CV_ETH_DUPLEX,/* DuplexMode: Auto while auto-negotiation (prop) is on, else Full/Half
	                   * from 6's full-duplex or 7's speed suffix */
	ROS_CV_WIFI_RATE, /* a Wi-Fi client's rate "144.4Mbps-20MHz/2S/SGI", "6Mbps" -> kbps
	                   * (144400, 6000); read only */
	ROS_CV_DBM,       /* a signal "-61" or "-61@HT20-7" (6's strength at a rate) -> -61; read
	                   * only */
	ROS_CV_PAIR,      /* "sent,received" ("44025,59534": a client's bytes or packets) -> the
	                   * first (arg "1") or second (arg "2"); read only */
	ROS_CV_ROW_REF,   /* a name -> the path of the instance of the parent's table arg
	                   * ("Port|Name": Port.{i} under the same parent) whose parameter (Name)
	                   * has it, "" when none; write: an instance of that table under the same
	                   * parent -> its value of that parameter. Needs ROS_MAP_PARENT */
	ROS_CV_ROW_LIST,  /* (no property) the paths of every instance of the parent's table arg
	                   * ("Port|ManagementPort": Port.{i} under the same parent) whose boolean
	                   * parameter (ManagementPort) is false, as a list; read only. Needs
	                   * ROS_MAP_PARENT */
} ros_conv_kind;

/* The name a lookup answers with the path of the parent instance of the row being converted
 * ("Device.Bridging.Bridge.1."): ROW_REF and ROW_LIST find their rows there. */
#define ROS_MAP_PARENT ".."


enum {
	ROS_PM_WRITE = 1u << 0,   /* carried to the router on SET/ADD */
	ROS_PM_COUNTER = 1u << 1, /* changes without notice: its table is printed again when read
	                           * (ros_map_init sets ROS_MT_COUNTERS on the table) */
	ROS_PM_REQUIRED = 1u << 2,/* sent on ADD even when the controller gave no value (CWMP's
	                           * AddObject gives none): the parameter's zero value, or for an
	                           * ENUM row whose zero value is empty the first value of its table */
	ROS_PM_UNSET = 1u << 3,   /* an empty RouterOS value means the property is absent: left out
	                           * of /add, removed with /unset on SET (ports 0, no interface) */
	ROS_PM_GROUP = 1u << 4,   /* rows written together: a SET of one writes every GROUP row of
	                           * its menu (their values depend on each other: NTP) */
	ROS_PM_OPTIONAL = 1u << 5,/* absent from an item that names a profile (the table's ref_prop
	                           * set): the parameter is left alone, the profile's SUB table gives
	                           * it (an SSID set in a configuration profile, not inline) */
	ROS_PM_NEGATABLE = 1u << 6,/* the value may be "!value" (all but it): read without the
	                           * "!", written with it when sibling <param>Exclude is true */
	ROS_PM_CREATE = 1u << 7,  /* the router cannot make the item without it (a port's
	                           * interface, a VLAN's vlan-ids): an Add that does not give it
	                           * (CWMP's AddObject gives nothing) makes the instance in the tree
	                           * alone, and the SET that gives every such row adds the item with
	                           * all the instance's values */
};

typedef struct ros_param_map {
	const char *param;   /* relative TR-181 name: "Enable", "Stats.BytesSent" */
	const char *prop;    /* RouterOS property: "disabled" */
	ros_conv_kind conv;
	const char *arg;     /* ENUM table, IFREF target table path, CONST value */
	unsigned flags;      /* ROS_PM_* */
} ros_param_map;

enum {
	ROS_MT_SINGLE = 1u << 0,  /* a single-instance object: the menu has one item without .id */
	ROS_MT_LISTEN = 1u << 1,  /* follow the menu with `listen` */
	ROS_MT_ADD = 1u << 2,     /* Add/Delete carried to the router (/add, /remove) */
	ROS_MT_COUNTERS = 1u << 3,/* print again when read and older than refresh_age */
	ROS_MT_SUB = 1u << 4,     /* values only, for an object found through the link: a
	                           * sub-object of the linked instance ("...Interface.{i}.Stats.")
	                           * or, for a table, the linked instance itself (leases adding
	                           * HostName to Hosts.Host by address) */
	ROS_MT_LIST = 1u << 5,    /* one instance per item of the comma list `list_prop` of a
	                           * single-item menu (/ip/dns servers); rows read ".value" */
	ROS_MT_LINK_NET = 1u << 7,/* the link matches when the parent's link_param (an IPv4
	                           * address) lies inside the item's link_prop (a CIDR) */
	ROS_MT_ORDERED = 1u << 6, /* item order matters (firewall rules): an undone removal puts
	                           * the item back before the one that followed it (place-before) */
	ROS_MT_POSITION = 1u << 9,/* items carry ".nth", their 1-based position in the print (the
	                           * table's query keeps one chain: a firewall rule's Order); a
	                           * listen update prints the table again, so positions stay true */
	ROS_MT_EXTRA = 1u << 10,  /* extra instances of an object another table maps (the bridge's
	                           * own management port among the Port rows): neither its rows
	                           * that do not write nor its lack of ADD make the object read-only
	                           * in the CWMP view (tests/unit/test_cwmp_view.c); its own
	                           * instances are not deleted */
	ROS_MT_MONITOR = 1u << 8, /* read with "<menu>/monitor =numbers=<the linked instances' link
	                           * values> =once=" instead of print (a SUB table; printed again
	                           * like counters: /interface/ethernet link rate) */
};

/* What a router has installed that decides whether a menu is there and holds its items; found
 * at each login by ros_features_detect (package list, then probing). */
enum {
	ROS_FEAT_WIRELESS = 1u << 0,  /* /interface/wireless: the wireless package (or, before 7.13,
	                               * the same code inside routeros) */
	ROS_FEAT_WIFIWAVE2 = 1u << 1, /* /interface/wifiwave2: the wifiwave2 package (7.x < 7.13) */
	ROS_FEAT_WIFI = 1u << 2,      /* /interface/wifi: a wifi-qcom, wifi-qcom-ac (or other wifi-*)
	                               * driver package (7.13 and later) */
	ROS_FEAT_IPV6 = 1u << 3,      /* /ipv6: the ipv6 package enabled (6.x; installed but often
	                               * disabled), part of routeros on 7.x */
};

/* One axis of a fan-out table: a RouterOS item whose list properties hold several things
 * becomes one TR-181 instance per element (per combination of elements, with several axes). */
typedef struct ros_fan_axis {
	const char *const *props; /* comma-list properties whose elements are taken together
	                           * ("tagged", "untagged"), NULL-terminated */
	const char *as;           /* each instance's item holds its element as this property */
	const char *from;         /* NULL, or the property given the name of the list the element
	                           * came from ("untagged") */
	bool ranges;              /* "100-110" stands for each number from 100 to 110 */
} ros_fan_axis;

/* Most instances one item fans out to; an item with more is not mapped (logged). */
#define ROS_FAN_MAX 1024

/* One TR-181 object <-> one RouterOS menu. */
typedef struct ros_map_table {
	const char *object;          /* template path: "Device.IP.Interface.{i}.IPv4Address.{i}." */
	const char *menu;            /* "/ip/address" */
	const char *const *query;    /* print/listen query words ("?type=ether"), NULL-terminated */
	const char *link_prop;       /* nested: item property naming the parent ("interface") */
	const char *link_param;      /* ... matched against this parameter of the parent ("Name");
	                              * NULL: against the parent table's `key_prop` instead (a
	                              * lease's "server" names the pool's dhcp-server item) */
	const char *key_prop;        /* kept with each binding, for nested tables that link by it */
	const char *ref_prop;        /* a second such value ("address-pool": the /ip/pool name) */
	bool link_ref;               /* link_param NULL: match the parent's ref_prop, not key_prop */
	const char *link_menu;       /* keyed links: the menu of the table linked to, when several
	                              * menus map that object ("/interface/wireless") */
	unsigned flags;              /* ROS_MT_* */
	const char *const *add_words;/* extra words on /add ("=action=dst-nat"), NULL-terminated */
	const char *add_name;        /* the /add names the item "<add_name><n>" ("bridge1"), n the
	                              * first number no sibling instance's Name has: TR-181 gives a
	                              * new bridge no name */
	const char *const *restore;  /* properties re-sent when a removal is undone, NULL-terminated */
	int min_version, max_version;/* major*100+minor, inclusive; 0: open */
	unsigned feature;            /* ROS_FEAT_* the router must have (0: none) */
	const char *fixed_parent;    /* the parent instance, created if missing ("...Router.1.") */
	const char *const *fixed_values; /* values it is created with ("Enable=true"), NULL-ended */
	const char *list_prop;       /* ROS_MT_LIST: the list property ("servers") */
	const char *list_skip;       /* ROS_MT_LIST: items also in this property of the item are
	                              * another table's ("dynamic-servers" skips "servers") */
	const char *const *follows;  /* menus ("/interface/bridge/port") whose changes this table
	                              * reads (ROW_REF, ROW_LIST): a change there prints it again;
	                              * NULL-terminated */
	const ros_fan_axis *fan;     /* NULL, or the axes of a fan-out table: each instance is
	                              * bound to "<.id>/<element>[/<element>...]" and reads a copy
	                              * of the item holding its elements; a change of the item adds
	                              * and removes instances as its lists change */
	size_t n_fan;
	const char *fan_ref;         /* a member table (its last axis has `from`): the ROW_REF row
	                              * ("VLAN") naming the row of another table of the menu whose
	                              * item an instance belongs to. Add, Delete and SET edit that
	                              * item's lists (ros_apply_member.c) */
	const ros_param_map *params;
	size_t n_params;
	/* resolved at start-up by ros_map_init() */
	dm_id node;                  /* the object node */
	dm_id *param_ids;            /* per params[i] (DM_ID_NONE if the schema lacks it) */
} ros_map_table;

/* Every mapping table, parents before children. Resolves the schema ids on the first call
 * (loop thread). Returns the count; *out the array. */
size_t ros_map_tables(const ros_map_table *const **out);
/* Resolves the schema ids of every table; TB_ERR_INTERNAL names a path the schema lacks. */
tb_err ros_map_init(tb_errctx *e);
/* Does param's value reach the tree only when it is read: a ROS_PM_COUNTER row in any table
 * (printed again before a Get, never announced by listen)? Such a value has no change of its own
 * to notify. False before ros_map_init. */
bool ros_map_polled(dm_id param);
/* Is this table served by a router of this version (major*100+minor) with these ROS_FEAT_*? */
bool ros_map_serves(const ros_map_table *m, int version, unsigned features);
/* The table entry mapping schema object `node` for this version and features, or NULL. */
const ros_map_table *ros_map_find(dm_id node, int version, unsigned features);

/* The area tables (ros_map_<area>.c); writable only for ros_map_init's resolved ids. */
extern ros_map_table ros_map_deviceinfo[], ros_map_interfaces[], ros_map_ppp[], ros_map_ip[],
	ros_map_nat[], ros_map_time[], ros_map_dhcp[], ros_map_wifi[], ros_map_routing[],
	ros_map_ipv6[], ros_map_firewall[], ros_map_bridging[], ros_map_vendor[];
extern const size_t ros_map_deviceinfo_n, ros_map_interfaces_n, ros_map_ppp_n, ros_map_ip_n,
	ros_map_nat_n, ros_map_time_n, ros_map_dhcp_n, ros_map_wifi_n, ros_map_routing_n,
	ros_map_ipv6_n, ros_map_firewall_n, ros_map_bridging_n, ros_map_vendor_n;

/* The counters of /interface every interface's Stats object maps (ros_map_interfaces.c). */
#define ROS_MAP_IF_STATS_N 8
extern const ros_param_map ros_map_if_stats[ROS_MAP_IF_STATS_N];

/* Reads another value by name: a property of the same RouterOS item (CLOCK), or a sibling
 * parameter by relative name (CIDR written from IPAddress + SubnetMask). NULL when absent. */
typedef const char *(*ros_map_lookup_fn)(void *ctx, const char *name);

/* Does the item (values through get) pass the query words of a table ("?name=value", "?name",
 * "?-name", "?#|", "?#&", "?#!"), as RouterOS evaluates them (a stack; every value left must be
 * true)? NULL query: yes. Used where the router cannot filter: updates from `listen`, so an item
 * that stops matching leaves the table. */
bool ros_map_query_match(const char *const *query, ros_map_lookup_fn get, void *ctx);

/* RouterOS value -> TR-181 text (not yet validated against the schema). TB_ERR_PARSE when the
 * value cannot be mapped (the parameter is then left alone). `tree` is needed by IFREF, `item`
 * (may be NULL) by CLOCK. */
tb_err ros_map_to_tr(const ros_param_map *pm, const char *ros, dm_tree *tree,
		     ros_map_lookup_fn item, void *item_ctx, char *out, size_t out_len);

/* TR-181 canonical value -> RouterOS text for a router of `version`. TB_ERR_INVALID_VALUE when the
 * router cannot represent it (message in e), TB_ERR_NOT_WRITABLE for read-only conversions. */
tb_err ros_map_to_ros(const ros_param_map *pm, const char *tr, int version, dm_tree *tree,
		      ros_map_lookup_fn lookup, void *lookup_ctx, char *out, size_t out_len,
		      tb_errctx *e);

#endif
