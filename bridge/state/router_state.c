/* router_state.c — restores a router's run-time management state from its state-store record at
 * start, and saves it (debounced, on the loop) whenever an ACS, a controller or the bridge changes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/state/router_state.h"
#include "util/tb_buf.h"
#include "util/tb_log.h"

static const char *const state_roots[] = {
	"Device.ManagementServer.",
	"Device.CWMPManagementServer.",
	"Device.LocalAgent.Controller.{i}.",
	"Device.LocalAgent.MTP.{i}.",
	"Device.LocalAgent.ControllerTrust.",
};

static const dm_snapshot_spec state_spec = {
	.roots = state_roots,
	.n_roots = sizeof state_roots / sizeof state_roots[0],
};

struct router_state {
	dm_tree *tree;
	tb_state_store *store;
	tb_timer timer;
	bool armed;           /* the timer is scheduled */
	bool dirty;           /* a change is not saved yet */
	bool written;         /* last_write_ms is meaningful */
	uint64_t last_write_ms;
	char record[STATE_STORE_MAX_NAME + 1];
};

const dm_snapshot_spec *router_state_spec(void)
{
	return &state_spec;
}

tb_err router_state_record_name(const char *router, char *out, size_t len)
{
	int n = snprintf(out, len, "state-%s", router ? router : "");

	if (n < 0 || (size_t)n >= len || !state_store_name_ok(out))
		return TB_ERR_INVALID_ARG;
	return TB_OK;
}

tb_err router_state_restore(dm_tree *t, tb_state_store *store, const char *record, bool *restored,
			    tb_errctx *e)
{
	unsigned char *data = NULL;
	size_t len = 0, skipped = 0;
	tb_errctx inner;
	tb_err rc;

	*restored = false;
	rc = state_store_get(store, record, &data, &len, &inner);
	if (rc == TB_ERR_NO_SUCH_OBJECT)
		return TB_OK;
	if (rc != TB_OK)
		return tb_errf(e, rc, "state record %s unusable: %s", record, inner.msg);
	rc = dm_snapshot_restore(t, &state_spec, data, len, DM_ORIGIN_BRIDGE, &skipped, &inner);
	free(data);
	if (rc != TB_OK)
		return tb_errf(e, rc, "state record %s unusable: %s", record, inner.msg);
	if (skipped)
		tb_warn("state record %s: %zu item(s) skipped", record, skipped);
	*restored = true;
	return TB_OK;
}

static tb_err save(router_state *h, tb_errctx *e)
{
	tb_buf b;
	tb_err rc;

	tb_buf_init(&b, DM_SNAPSHOT_MAX_BYTES);
	rc = dm_snapshot_save(h->tree, &state_spec, &b, e);
	if (rc == TB_OK)
		rc = state_store_put(h->store, h->record, b.data ? (const void *)b.data : "", b.len,
				     e);
	tb_buf_free(&b);
	h->last_write_ms = tb_loop_now_ms();
	h->written = true;
	if (rc == TB_OK)
		h->dirty = false;
	return rc;
}

static void schedule(router_state *h, uint64_t delay_ms)
{
	h->armed = true;
	tb_timer_schedule(&h->timer, delay_ms);
}

static void on_timer(tb_timer *timer)
{
	router_state *h = timer->arg;
	tb_errctx e;

	h->armed = false;
	if (!h->dirty)
		return;
	if (save(h, &e) != TB_OK) {
		tb_error("state record %s not saved (retry in %u s): %s", h->record,
			 ROUTER_STATE_RETRY_MS / 1000u, e.msg);
		schedule(h, ROUTER_STATE_RETRY_MS);
	}
}

static void on_change(void *ctx, dm_tree *t, const dm_event *ev)
{
	router_state *h = ctx;
	dm_id node = dm_obj_node(ev->obj);
	uint64_t now, due;

	(void)t;
	if (ev->origin == DM_ORIGIN_ROUTER || !dm_snapshot_covers(&state_spec, node))
		return;
	h->dirty = true;
	if (h->armed)
		return;
	now = tb_loop_now_ms();
	due = h->written ? h->last_write_ms + ROUTER_STATE_DEBOUNCE_MS : now;
	schedule(h, due > now ? due - now : 0);
}

tb_err router_state_watch(dm_tree *t, tb_loop *loop, tb_state_store *store, const char *record,
			  router_state **out)
{
	router_state *h;
	tb_err rc;

	*out = NULL;
	if (!record || !state_store_name_ok(record))
		return TB_ERR_INVALID_ARG;
	h = calloc(1, sizeof *h);
	if (!h)
		return TB_ERR_NOMEM;
	h->tree = t;
	h->store = store;
	snprintf(h->record, sizeof h->record, "%s", record);
	tb_timer_init(&h->timer, loop, on_timer, h);
	rc = dm_tree_listen(t, on_change, h);
	if (rc != TB_OK) {
		free(h);
		return rc;
	}
	*out = h;
	return TB_OK;
}

tb_err router_state_flush(router_state *h, tb_errctx *e)
{
	if (!h->dirty)
		return TB_OK;
	if (h->armed) {
		tb_timer_cancel(&h->timer);
		h->armed = false;
	}
	return save(h, e);
}

bool router_state_dirty(const router_state *h)
{
	return h->dirty;
}

void router_state_free(router_state *h)
{
	if (!h)
		return;
	dm_tree_unlisten(h->tree, on_change, h);
	if (h->armed)
		tb_timer_cancel(&h->timer);
	free(h);
}
