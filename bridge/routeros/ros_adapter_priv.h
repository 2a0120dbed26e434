/* ros_adapter_priv.h — the adapter's internal state shared by ros_adapter.c (life cycle, identity,
 * boots), ros_sync.c (prints, listens, bindings) and ros_apply.c (the dm_applier). */
#ifndef ROS_ADAPTER_PRIV_H
#define ROS_ADAPTER_PRIV_H

#include "bridge/routeros/ros_adapter.h"
#include "bridge/routeros/ros_map.h"
#include "bridge/routeros/ros_persist.h"
#include "datamodel/dm_path.h"

/* One RouterOS item copied out of a reply. */
typedef struct ros_item {
	char **names;
	char **values;
	size_t n;
} ros_item;

/* A table instance bound to a RouterOS item. A router holds hundreds and a process thousands of
 * routers: the strings are allocated to their length (ros_sync_bind, ros_sync_keep). */
#define ROS_BINDING_ID_MAX ROS_PERSIST_MAX_ID /* with the NUL */
#define ROS_BINDING_KEY_MAX 64u               /* with the NUL; longer key/ref values are not kept */
typedef struct ros_binding {
	char *path; /* "Device.IP.Interface.2.", followed in the same block by the id */
	char *id;   /* ".id", the list item of a ROS_MT_LIST table (an IPv6 address), or a fan-out
	             * instance's "<.id>/<element>..." */
	char *key;  /* the item's key_prop value (NULL none): nested tables link by it */
	char *ref;  /* the item's ref_prop value (NULL none) */
	bool seen;  /* during a full print */
} ros_binding;

/* The adapter's view of one mapping table. */
typedef struct ros_menu {
	struct ros_adapter *ad;
	const ros_map_table *map;
	bool active;          /* served by this router's version */
	ros_binding *b;
	size_t n, cap;
	uint32_t listen_tag;
	bool listening;
	bool dirty;           /* router changes were held back during a write: print again */
	uint64_t refreshed_ms;/* last full print applied */
	bool refreshing;      /* a refresh print of it is in flight */
	char *list_now;       /* ROS_MT_LIST: the list as the router has it now */
} ros_menu;

/* A print of one menu in flight (sync, refresh or reconcile). */
typedef struct ros_print ros_print;

/* A refresh caller waiting for the prints of the menus its paths reach. */
typedef struct ros_waiter {
	ros_adapter_done_fn done;
	void *arg;
	struct ros_waiter *next;
	tb_err rc;     /* first failure among its prints */
	size_t n;      /* menus still printing */
	size_t menu[]; /* their indexes in ad->menus */
} ros_waiter;

struct ros_adapter {
	tb_loop *loop;
	dm_tree *tree;
	ros_client *client;
	char *name;
	char *ovr_serial, *ovr_product_class, *ovr_oui; /* [router] overrides: they win over the
	                                                 * router's values (ros_adapter_overridden) */
	char *reset_script;   /* [router] reset_script, NULL: none */
	bool upgrade_bootloader; /* [router] upgrade_bootloader */
	bool bootloader_due;  /* a firmware upgrade's reboot went: the bootloader after the sync */
	char *bootloader_key; /* that upgrade's command key (owned) */
	unsigned refresh_age_s;
	void (*on_state)(void *arg, bool up);
	void (*on_boot)(void *arg, const char *cause, const char *command_key);
	void *arg;

	int version;          /* major*100+minor */
	unsigned features;    /* ROS_FEAT_* found at the last login */
	bool up;              /* logged in and synced */
	uint64_t gen;         /* connection generation: stale replies are dropped */
	ros_menu *menus;
	size_t n_menus;
	size_t prints_pending;/* sync: prints still running */
	ros_print *prints;    /* sync: finished prints waiting for the others (table order) */
	ros_waiter *waiters;  /* refresh callers waiting for prints */

	bool have_uptime;
	uint64_t uptime_s, uptime_at_ms;
	const char *boot_cause; /* set by ros_adapter_expect_boot */
	char *boot_key;         /* its command key (owned) */
	bool boot_went_down;    /* ... and the connection went down since: the next sync is the boot,
	                         * whatever the uptime says (a reboot right after another one) */

	size_t writes_live;   /* applier ops alive: listen updates are held meanwhile */
	dm_txn *checked_txn;  /* the transaction whose ops were all converted already */
	tb_timer reconcile;

	/* instance numbers kept across restarts (ros_persist.c); store NULL: not kept */
	tb_state_store *store;
	char *record;
	ros_persist_counter *counters;
	size_t n_counters, cap_counters;
	bool persist_dirty, persist_armed;
	tb_timer persist_timer;

	struct ros_journal *journal; /* reverts owed to the router (ros_journal.c); NULL: none */
};

/* ---- ros_item ---- */
tb_err ros_item_from_reply(const ros_reply *r, ros_item *out);
void ros_item_free(ros_item *it);
/* Adds a property to an item (".nth" of a ROS_MT_POSITION print). */
tb_err ros_item_add(ros_item *it, const char *name, const char *value);
const char *ros_item_get(const ros_item *it, const char *name);
/* ros_item_get as a ros_map_lookup_fn (ctx is the ros_item). */
const char *ros_sync_item_lookup(void *ctx, const char *name);

/* ---- ros_sync.c ---- */
/* After login: version + uptime, every table's print, listens; sets ad->up when done. */
void ros_sync_start(ros_adapter *ad);
/* The connection went down: listens are gone. */
void ros_sync_down(ros_adapter *ad);
/* Prints one menu again and applies it when it arrives (refresh / reconcile); done may be NULL. */
tb_err ros_sync_print(ros_adapter *ad, ros_menu *m, void (*done)(ros_adapter *, ros_menu *, tb_err));
/* Applies one item of a menu (full print or listen) to the tree. */
void ros_sync_apply_item(ros_adapter *ad, ros_menu *m, const ros_item *it);
/* Applies one item as one instance (ros_sync_apply_item without lists and fan-outs). */
void ros_sync_apply_one(ros_adapter *ad, ros_menu *m, const ros_item *it);
/* Applies an item of a fan-out table (ros_sync_fan.c): one instance per combination of the
 * elements of its axes; instances of the item whose elements went are deleted. */
void ros_sync_apply_fan(ros_adapter *ad, ros_menu *m, const ros_item *it);
/* The RouterOS .id of a binding's item (a fan-out instance's id up to its first '/') into out;
 * *shared (may be NULL) tells whether other instances of the menu come from the same item. */
tb_err ros_sync_item_id(const ros_menu *m, const ros_binding *b, char *out, size_t len,
			bool *shared);
/* Deletes the instance bound to RouterOS id `id` (listen .dead=yes / pruning); of a fan-out
 * table, an item's .id deletes every instance it fanned out to. */
void ros_sync_remove_id(ros_adapter *ad, ros_menu *m, const char *id);
/* Deletes the instance of binding b (the tree event drops the binding). */
void ros_sync_remove_binding(ros_adapter *ad, ros_menu *m, ros_binding *b);
/* Tree listener: drops bindings of deleted instances. */
void ros_sync_on_tree_event(void *ctx, dm_tree *t, const dm_event *ev);
/* Menu of a mapping table (NULL when the table is not active). */
ros_menu *ros_sync_menu(ros_adapter *ad, const ros_map_table *map);
ros_binding *ros_sync_binding_by_path(ros_menu *m, const char *path);
ros_binding *ros_sync_binding_by_id(ros_menu *m, const char *id);
tb_err ros_sync_bind(ros_menu *m, const char *id, const char *path);
/* Frees what a binding holds (not the binding). */
void ros_sync_binding_free(ros_binding *b);
void ros_sync_unbind_path(ros_menu *m, const char *path);
/* The object that owns parameter `param` under obj (obj itself or a single-instance child). */
dm_obj *ros_sync_param_owner(dm_obj *obj, dm_id param);
/* The link_param values of every instance of the table map links to, as one comma list in buf
 * (the "=numbers=" of a ROS_MT_MONITOR table); returns its length (0: none). */
size_t ros_sync_link_values(ros_adapter *ad, const ros_map_table *map, char *buf, size_t len);
/* The instance of the table a nested or sub table links to, at or above obj (NULL: none). */
dm_obj *ros_sync_linked_instance(const ros_map_table *map, dm_obj *obj);
/* The key_prop (ref_prop with link_ref) value of the RouterOS item behind parent (an instance
 * of the table enclosing map's), for an /add of a nested table that links by key, or the
 * "=numbers=" of a keyed SUB item; NULL when unknown. */
const char *ros_sync_parent_key(ros_adapter *ad, const ros_map_table *map, dm_obj *parent);
/* Creates the fixed parents of the active tables that are missing (Routing.Router.1: the main
 * table exists even without routes, and before other tables are numbered). */
void ros_sync_fixed_parents(ros_adapter *ad);
/* Finds the instance a nested/sub table item links to (by link_prop/link_param), or the fixed
 * parent object of a top-level table; NULL when absent. */
dm_obj *ros_sync_link_parent(ros_adapter *ad, const ros_map_table *map, const ros_item *it);

/* ---- ros_features.c ---- */
/* The ROS_FEAT_* a package of this name brings (0: none we map). */
unsigned ros_features_of_package(const char *name);
/* Finds ad->features for this login (packages, then probes), then calls done; not at all when
 * the connection goes meanwhile. */
void ros_features_detect(ros_adapter *ad, void (*done)(ros_adapter *ad));

/* ---- ros_persist.c ---- */
/* At creation: reads the router's record from store (NULL: nothing is kept) and binds the saved
 * items to their old instance paths (instances are created by the sync). A missing or corrupt
 * record is logged and numbers start fresh; only TB_ERR_NOMEM fails. */
tb_err ros_persist_load(ros_adapter *ad, tb_state_store *store);
/* Raises every saved table counter whose parent exists (before a sync applies items). */
void ros_persist_reserve(ros_adapter *ad);
/* The same for one table under one parent (before a new instance gets the next number). */
void ros_persist_reserve_in(ros_adapter *ad, dm_obj *parent, dm_id table);
/* A binding to path was made / some binding changed: save within a second. */
void ros_persist_bound(ros_adapter *ad, const char *path);
void ros_persist_changed(ros_adapter *ad);
/* Writes now when something changed (ros_adapter_free), then forgets the timer. */
void ros_persist_flush(ros_adapter *ad);
void ros_persist_free(ros_adapter *ad);

/* ---- ros_adapter.c ---- */
/* The /system/resource values seen (uptime in seconds): detects boots. */
void ros_adapter_saw_uptime(ros_adapter *ad, uint64_t uptime_s);
/* After a full sync: OUI, serial number, overrides. */
void ros_adapter_identity(ros_adapter *ad);
/* Calls every refresh waiter with rc (and forgets them). */
void ros_adapter_flush_waiters(ros_adapter *ad, tb_err rc);
/* Every write finished: print the menus whose listen updates were held back. */
void ros_adapter_writes_done(ros_adapter *ad);

/* Does a [router] key (product_class, serial_number, oui) give this parameter its value? Then
 * what the router reports for it is not taken. */
bool ros_adapter_overridden(const ros_adapter *ad, dm_id param);

/* After each sync: the bootloader upgrade a firmware upgrade left due (ros_bootloader.c). */
void ros_bootloader_synced(ros_adapter *ad);

#endif
