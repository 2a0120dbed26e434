/* dm_tree_path.c — instance paths of tree objects: writing "Device.IP.Interface.2." for an object
 * and finding the object an instance path names, one schema lookup per segment. */
#include "datamodel/dm_tree.h"

#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_value.h"

#include "datamodel/dm_tree_priv.h"

#define MAX_DEPTH 64

/* Appends n bytes to buf as far as they fit (keeping room for the NUL); always counts them. */
static void put(char *buf, size_t len, size_t *pos, const char *s, size_t n)
{
	if (*pos + 1 < len) {
		size_t room = len - *pos - 1;
		memcpy(buf + *pos, s, n < room ? n : room);
	}
	*pos += n;
}

/* "<inst>." into num (at least 12 bytes), without snprintf (a Get of Device. writes thousands of
 * paths); returns its length. */
static size_t inst_text(uint32_t inst, char *num)
{
	char rev[10];
	size_t n = 0, k = 0;

	do {
		rev[n++] = (char)('0' + inst % 10);
		inst /= 10;
	} while (inst);
	while (n)
		num[k++] = rev[--n];
	num[k++] = '.';
	return k;
}

size_t dm_obj_path(const dm_obj *o, char *buf, size_t len)
{
	const dm_obj *chain[MAX_DEPTH];
	size_t n = 0, pos = 0;

	for (; o && n < MAX_DEPTH; o = o->parent)
		chain[n++] = o;
	while (n > 0) {
		const dm_obj *c = chain[--n];
		const char *name = dm_schema_node(c->node)->name;
		char num[16];
		put(buf, len, &pos, name, strlen(name));
		put(buf, len, &pos, ".", 1);
		if (c->inst)
			put(buf, len, &pos, num, inst_text(c->inst, num));
	}
	if (len > 0)
		buf[pos < len ? pos : len - 1] = '\0';
	return pos;
}

tb_err dm_obj_path_into(const dm_obj *o, char *buf, size_t len, size_t *n)
{
	size_t need = dm_obj_path(o, buf, len);

	if (n)
		*n = need;
	return need < len ? TB_OK : TB_ERR_TOO_BIG;
}

/* Parses a decimal instance number without sign or leading zeros; 0 if it is not one. */
static uint32_t parse_inst(const char *s, size_t n)
{
	uint64_t v = 0;

	if (n == 0 || n > 10 || s[0] == '0')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return v <= UINT32_MAX ? (uint32_t)v : 0;
}

dm_obj *dm_tree_find(dm_tree *t, const char *path)
{
	dm_obj *o = NULL;
	dm_id table = DM_ID_NONE; /* set when the previous segment named a table */
	const char *p = path;

	if (!t || !path)
		return NULL;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (n == 0)
			return NULL; /* ".." or a leading dot */
		if (!o) {
			if (n != 6 || memcmp(p, "Device", 6) != 0)
				return NULL;
			o = t->root;
		} else if (table != DM_ID_NONE) {
			o = dm_obj_instance(o, table, parse_inst(p, n));
			table = DM_ID_NONE;
		} else {
			dm_id c = dm_schema_child(o->node, p, n);
			if (c == DM_ID_NONE || dm_schema_node(c)->kind != DM_OBJECT)
				return NULL;
			if (dm_schema_node(c)->flags & DM_F_MULTI)
				table = c;
			else
				o = dm_obj_child(o, c);
		}
		if (!o)
			return NULL;
		p += n;
		if (*p == '.')
			p++;
	}
	/* a path that ends on a table name ("Device.IP.Interface.") names no object */
	return table == DM_ID_NONE ? o : NULL;
}

tb_err dm_tree_find_param(dm_tree *t, const char *param_path, dm_obj **obj, dm_id *param)
{
	const char *dot = strrchr(param_path, '.');
	char objpath[1024];
	size_t n;
	dm_obj *o;

	if (!dot || !dot[1])
		return TB_ERR_NO_SUCH_PATH;
	n = (size_t)(dot - param_path) + 1;
	if (n >= sizeof objpath)
		return TB_ERR_NO_SUCH_PATH;
	memcpy(objpath, param_path, n);
	objpath[n] = '\0';
	o = dm_tree_find(t, objpath);
	if (!o)
		return TB_ERR_NO_SUCH_OBJECT;
	*param = dm_schema_child(o->node, dot + 1, strlen(dot + 1));
	if (*param == DM_ID_NONE || dm_schema_node(*param)->kind != DM_PARAM)
		return TB_ERR_NO_SUCH_PATH;
	*obj = o;
	return TB_OK;
}

tb_err dm_tree_set_path(dm_tree *t, const char *param_path, const char *value, dm_origin origin,
			tb_errctx *e)
{
	size_t cap = strlen(value) + 8; /* canonical text is at most "false" for "0" longer */
	char *canon;
	dm_obj *o;
	dm_id param;
	tb_err rc = dm_tree_find_param(t, param_path, &o, &param);

	if (rc != TB_OK)
		return tb_errf(e, rc, "%s: %s", param_path, tb_err_str(rc));
	canon = malloc(cap);
	if (!canon)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	rc = dm_value_check(dm_schema_node(param), value, canon, cap, e);
	if (rc == TB_OK)
		rc = dm_obj_set(t, o, param, canon, origin);
	free(canon);
	return rc;
}
