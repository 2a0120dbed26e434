/* dm_tree_value.c — parameter values of tree objects: only set values are stored, packed into one
 * block per object as canonical text; reads of unset parameters give the schema's zero value. */
#include "datamodel/dm_tree.h"

#include <stdlib.h>
#include <string.h>

#include "datamodel/dm_tree_priv.h"
#include "datamodel/dm_value.h"

/* Each record in o->vals: two bytes of slot (low, high), then the text and its NUL. */
#define REC_HDR 2

static int param_slot_of(const dm_obj *o, dm_id param)
{
	if (!o || param >= dm_schema_count())
		return -1;
	const dm_node *n = dm_schema_node(param);
	if (n->kind != DM_PARAM || n->parent != o->node)
		return -1;
	return dm_schema_param_slot(param);
}

/* The record of `slot` in o->vals, or NULL. */
static const char *rec_find(const dm_obj *o, int slot)
{
	const char *p = o->vals, *end;

	if (!p)
		return NULL;
	end = p + o->vlen;
	while (p < end) {
		int s = (unsigned char)p[0] | (unsigned char)p[1] << 8;
		if (s == slot)
			return p;
		p += REC_HDR + strlen(p + REC_HDR) + 1;
	}
	return NULL;
}

const char *dm_obj_get(const dm_obj *o, dm_id param)
{
	int slot = param_slot_of(o, param);
	const char *r;

	if (slot < 0)
		return "";
	r = rec_find(o, slot);
	return r ? r + REC_HDR : dm_value_zero(dm_schema_node(param));
}

void dm_obj_values(const dm_obj *o, const char **vals, size_t n)
{
	const char *p = o->vals, *end = p ? p + o->vlen : NULL;

	for (size_t i = 0; i < n; i++)
		vals[i] = NULL;
	while (p && p < end) {
		size_t s = (unsigned char)p[0] | (size_t)(unsigned char)p[1] << 8;
		const char *text = p + REC_HDR;
		size_t len = strlen(text);
		if (s < n)
			vals[s] = text;
		p = text + len + 1;
	}
}

bool dm_obj_is_set(const dm_obj *o, dm_id param)
{
	int slot = param_slot_of(o, param);
	return slot >= 0 && rec_find(o, slot) != NULL;
}

/* Replaces o's value block by one where `slot` holds canon; *old_block gets the previous block
 * (the caller frees it after any event that points into it). */
static tb_err vals_replace(dm_obj *o, int slot, const char *canon, char **old_block)
{
	const char *old = rec_find(o, slot);
	size_t old_len = old ? REC_HDR + strlen(old + REC_HDR) + 1 : 0;
	size_t clen = strlen(canon);
	size_t nlen = o->vlen - old_len + REC_HDR + clen + 1;
	char *nv, *w;

	if (clen > UINT32_MAX || nlen > UINT32_MAX)
		return TB_ERR_TOO_BIG;
	nv = malloc(nlen);
	if (!nv)
		return TB_ERR_NOMEM;
	w = nv;
	if (old) {
		size_t before = (size_t)(old - o->vals);
		memcpy(w, o->vals, before);
		w += before;
		memcpy(w, old + old_len, o->vlen - before - old_len);
		w += o->vlen - before - old_len;
	} else if (o->vlen) {
		memcpy(w, o->vals, o->vlen);
		w += o->vlen;
	}
	w[0] = (char)(slot & 0xFF);
	w[1] = (char)(slot >> 8);
	memcpy(w + REC_HDR, canon, clen + 1);
	*old_block = o->vals;
	o->vals = nv;
	o->vlen = (uint32_t)nlen;
	return TB_OK;
}

tb_err dm_obj_set_silent(dm_obj *o, dm_id param, const char *canon)
{
	int slot = param_slot_of(o, param);
	char *old_block = NULL;
	tb_err rc;

	if (slot < 0 || !canon)
		return TB_ERR_INVALID_ARG;
	rc = vals_replace(o, slot, canon, &old_block);
	free(old_block);
	return rc;
}

static tb_err set_value(dm_tree *t, dm_obj *o, dm_id param, const char *canon, dm_origin origin)
{
	int slot = param_slot_of(o, param);
	const char *old_rec;
	const char *old_value;
	char *old_block = NULL;
	tb_err rc;

	if (slot < 0 || !canon)
		return TB_ERR_INVALID_ARG;
	old_rec = rec_find(o, slot);
	if (old_rec && strcmp(old_rec + REC_HDR, canon) == 0)
		return TB_OK;
	old_value = old_rec ? old_rec + REC_HDR : dm_value_zero(dm_schema_node(param));
	rc = vals_replace(o, slot, canon, &old_block);
	if (rc != TB_OK)
		return rc;
	/* old_value still points into old_block (or the schema), so it is valid during the event */
	if (strcmp(old_value, canon) != 0) {
		dm_event_emit(t, DM_EV_VALUE, origin, o, param, old_value,
			      o->vals + o->vlen - strlen(canon) - 1);
	}
	free(old_block);
	return TB_OK;
}

/* A parameter with a twin (dm_node.twin) holds one value under two names: both are set, each
 * with its own event. Twins live in single-instance objects, whose template path is their path. */
tb_err dm_obj_set(dm_tree *t, dm_obj *o, dm_id param, const char *canon, dm_origin origin)
{
	dm_id twin = param < dm_schema_count() ? dm_schema_node(param)->twin : 0;
	dm_obj *other;
	tb_err rc = set_value(t, o, param, canon, origin);

	if (rc != TB_OK || twin == 0)
		return rc;
	other = dm_tree_find(t, dm_schema_node(dm_schema_node(twin)->parent)->path);
	return other ? set_value(t, other, twin, canon, origin) : TB_OK;
}

dm_obj *dm_obj_find_by_value(dm_obj *parent, dm_id table, dm_id param, const char *val)
{
	for (dm_obj *i = dm_obj_first(parent, table); i; i = dm_obj_next(i))
		if (strcmp(dm_obj_get(i, param), val) == 0)
			return i;
	return NULL;
}
