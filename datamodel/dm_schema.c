/* dm_schema.c — lookups in the generated TR-181 schema table: by path, by child name (binary
 * search in each object's sorted child index), tree walks, parameter slots and arguments. */
#include <stdio.h>
#include <string.h>

#include "datamodel/dm_path.h"
#include "datamodel/dm_schema.h"
#include "datamodel/dm_schema_gen.h"

size_t dm_schema_count(void)
{
	return dm_gen_node_count;
}

const dm_node *dm_schema_node(dm_id id)
{
	return id < dm_gen_node_count ? &dm_gen_nodes[id] : NULL;
}

/* Compares a node's name with the first `len` bytes of `name`, as memcmp/strcmp order. */
static int schema__cmp_name(const char *node_name, const char *name, size_t len)
{
	int c = strncmp(node_name, name, len);
	if (c != 0)
		return c;
	return node_name[len] == '\0' ? 0 : 1;
}

dm_id dm_schema_child(dm_id obj, const char *name, size_t name_len)
{
	if (obj >= dm_gen_node_count || name == NULL || memchr(name, '\0', name_len) != NULL)
		return DM_ID_NONE;
	const dm_schema_index *ix = &dm_gen_index[obj];
	size_t lo = 0, hi = ix->child_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		dm_id id = dm_gen_sorted_children[ix->child_off + mid];
		int c = schema__cmp_name(dm_gen_nodes[id].name, name, name_len);
		if (c == 0)
			return id;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return DM_ID_NONE;
}

/* Template paths: "Device." then segments; an object segment ends with '.', a table with
 * ".{i}."; the last segment of a parameter, command or event has no '.'. */
dm_id dm_schema_find(const char *path)
{
	static const char root[] = "Device.";
	if (path == NULL || strncmp(path, root, sizeof root - 1) != 0)
		return DM_ID_NONE;
	dm_id cur = DM_ID_ROOT;
	const char *p = path + sizeof root - 1;
	while (*p != '\0') {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		/* a command name may contain no '.', so "Reboot()" ends the path */
		dm_id next = dm_schema_child(cur, p, len);
		if (next == DM_ID_NONE)
			return DM_ID_NONE;
		const dm_node *n = &dm_gen_nodes[next];
		if (dot == NULL)
			return n->kind == DM_OBJECT ? DM_ID_NONE : next;
		if (n->kind != DM_OBJECT)
			return DM_ID_NONE;
		p = dot + 1;
		if (n->flags & DM_F_MULTI) {
			if (strncmp(p, "{i}.", 4) != 0)
				return DM_ID_NONE;
			p += 4;
		}
		cur = next;
	}
	return cur;
}

dm_id dm_schema_find_memo(dm_schema_memo *memo, const char *path)
{
	if (!memo->done) {
		memo->id = dm_schema_find(path);
		memo->done = true;
	}
	return memo->id;
}

dm_id dm_schema_find_subtree(const char *path)
{
	char with_inst[DM_PATH_MAX_LEN + 8];
	dm_id n = dm_schema_find(path);
	size_t len = path ? strlen(path) : 0;

	if (n != DM_ID_NONE || len == 0 || path[len - 1] != '.' || len + 5 > sizeof with_inst)
		return n;
	snprintf(with_inst, sizeof with_inst, "%s{i}.", path);
	n = dm_schema_find(with_inst);
	return n != DM_ID_NONE && (dm_schema_node(n)->flags & DM_F_MULTI) ? n : DM_ID_NONE;
}

dm_id dm_schema_first_child(dm_id obj)
{
	return obj < dm_gen_node_count ? dm_gen_index[obj].first_child : DM_ID_NONE;
}

dm_id dm_schema_next_sibling(dm_id id)
{
	return id < dm_gen_node_count ? dm_gen_index[id].next_sibling : DM_ID_NONE;
}

size_t dm_schema_param_count(dm_id obj)
{
	return obj < dm_gen_node_count ? dm_gen_index[obj].param_count : 0;
}

int dm_schema_param_slot(dm_id param)
{
	return param < dm_gen_node_count ? dm_gen_index[param].param_slot : -1;
}

size_t dm_schema_args(dm_id cmd_or_event, const dm_arg **out)
{
	const dm_arg *first = NULL;
	size_t count = 0;
	if (cmd_or_event < dm_gen_node_count && dm_gen_index[cmd_or_event].arg_count > 0) {
		first = &dm_gen_args[dm_gen_index[cmd_or_event].arg_off];
		count = dm_gen_index[cmd_or_event].arg_count;
	}
	if (out != NULL)
		*out = first;
	return count;
}

bool dm_schema_in_view(dm_id id, uint32_t view_flag)
{
	return id < dm_gen_node_count && (dm_gen_nodes[id].flags & view_flag) != 0;
}

bool dm_schema_writable(dm_id id, uint32_t view_flag)
{
	uint32_t f;

	if (!dm_schema_in_view(id, view_flag))
		return false;
	f = dm_gen_nodes[id].flags;
	if (view_flag == DM_F_CWMP)
		return (f & DM_F_CWMP_WRITABLE) != 0;
	return (f & (DM_F_WRITABLE | DM_F_WRITE_ONCE)) != 0;
}

const char *dm_schema_version(void)
{
	return dm_gen_version;
}

size_t dm_schema_key_params(dm_id table, uint32_t view, dm_id *out, size_t max)
{
	const char *k = dm_schema_node(table)->unique_keys;
	size_t n = 0;

	while (k && *k) {
		size_t len = strcspn(k, "|+");
		dm_id p = dm_schema_child(table, k, len);
		bool seen = false;

		for (size_t i = 0; i < n; i++)
			seen = seen || out[i] == p;
		if (p != DM_ID_NONE && !seen && n < max && dm_schema_in_view(p, view) &&
		    dm_schema_node(p)->kind == DM_PARAM)
			out[n++] = p;
		k += len;
		if (*k)
			k++;
	}
	return n;
}
