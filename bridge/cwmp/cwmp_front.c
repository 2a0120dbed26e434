/* cwmp_front.c — what the fleet's CPEs share: the cap on sessions under way at once ([acs]
 * max_sessions; the others wait in one queue, first come first served, Connection Requests at its
 * head), and the Connection Request listener with its router-name index (O(1) per request). */
#include "bridge/cwmp/cwmp_priv.h"

#include <stdlib.h>
#include <string.h>

#include "transports/cr_server.h"
#include "util/tb_log.h"

struct cwmp_front {
	tb_loop *loop;
	const tb_config *cfg;
	size_t max, running, peak;
	cwmp_cpe *head, *tail;  /* waiting for a slot */
	tb_timer pump;          /* starts waiting sessions outside the callers' stacks */
	cwmp_cpe **names;       /* the CPEs by router name (chained through by_name) */
	size_t n_names;         /* buckets, a power of two */
	cr_server *cr;
};

static size_t bucket(const cwmp_front *f, const char *name)
{
	uint64_t h = 1469598103934665603ull;
	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	return (size_t)h & (f->n_names - 1);
}

static cwmp_cpe *find(const cwmp_front *f, const char *name)
{
	cwmp_cpe *c = f->names[bucket(f, name)];
	while (c && strcmp(c->name, name))
		c = c->by_name;
	return c;
}

/* ---- the session cap ---- */

static void pump(tb_timer *t)
{
	cwmp_front *f = t->arg;

	while (f->head && f->running < f->max) {
		cwmp_cpe *c = f->head;
		cwmp_front_unqueue(f, c);
		f->running++;
		if (f->running > f->peak)
			f->peak = f->running;
		cwmp_cpe_begin(c); /* gives the slot back through cwmp_front_done if it cannot run */
	}
}

void cwmp_front_want(cwmp_front *f, cwmp_cpe *c)
{
	if (c->q_prev || c->q_next || f->head == c)
		return;
	if (c->urgent) {
		c->q_next = f->head;
		if (f->head)
			f->head->q_prev = c;
		else
			f->tail = c;
		f->head = c;
	} else {
		c->q_prev = f->tail;
		if (f->tail)
			f->tail->q_next = c;
		else
			f->head = c;
		f->tail = c;
	}
	if (f->running < f->max && !f->pump.armed)
		tb_timer_schedule(&f->pump, 0);
}

void cwmp_front_unqueue(cwmp_front *f, cwmp_cpe *c)
{
	if (!c->q_prev && !c->q_next && f->head != c)
		return;
	if (c->q_prev)
		c->q_prev->q_next = c->q_next;
	else
		f->head = c->q_next;
	if (c->q_next)
		c->q_next->q_prev = c->q_prev;
	else
		f->tail = c->q_prev;
	c->q_prev = c->q_next = NULL;
}

void cwmp_front_done(cwmp_front *f, cwmp_cpe *c)
{
	(void)c;
	if (f->running)
		f->running--;
	if (f->head && !f->pump.armed)
		tb_timer_schedule(&f->pump, 0);
}

size_t cwmp_front_sessions(const cwmp_front *f)
{
	return f->running;
}

size_t cwmp_front_sessions_peak(const cwmp_front *f)
{
	return f->peak;
}

/* ---- the CPEs by name ---- */

tb_err cwmp_front_add(cwmp_front *f, cwmp_cpe *c)
{
	size_t b = bucket(f, c->name);

	if (find(f, c->name))
		return TB_ERR_INVALID_ARG;
	c->by_name = f->names[b];
	f->names[b] = c;
	return TB_OK;
}

void cwmp_front_remove(cwmp_front *f, cwmp_cpe *c)
{
	cwmp_front_unqueue(f, c);
	for (cwmp_cpe **p = &f->names[bucket(f, c->name)]; *p; p = &(*p)->by_name)
		if (*p == c) {
			*p = c->by_name;
			break;
		}
	if (c->session)
		cwmp_front_done(f, c);
}

/* ---- Connection Requests ---- */

/* The ACS authenticates with the credentials it set on this router (or the config's defaults);
 * HTTPConnectionRequestEnable false makes the router unknown to the listener. */
static bool cr_lookup(void *arg, const char *name, cr_credentials *out)
{
	cwmp_cpe *c = find(arg, name);

	if (!c || strcmp(cwmp_value(c, "Device.ManagementServer.HTTPConnectionRequestEnable"),
			 "false") == 0)
		return false;
	snprintf(out->username, sizeof out->username, "%s",
		 cwmp_value(c, "Device.ManagementServer.ConnectionRequestUsername"));
	snprintf(out->password, sizeof out->password, "%s",
		 cwmp_value(c, "Device.ManagementServer.ConnectionRequestPassword"));
	return true;
}

static cr_verdict cr_request(void *arg, const char *name)
{
	cwmp_cpe *c = find(arg, name);
	return c ? (cr_verdict)cwmp_cpe_connection_request(c) : CR_UNAVAILABLE;
}

int cwmp_front_cr_port(const cwmp_front *f)
{
	return f->cr ? cr_server_port(f->cr) : 0;
}

/* ---- life ---- */

tb_err cwmp_front_new(tb_loop *loop, const tb_config *cfg, size_t routers, cwmp_front **out,
		      tb_errctx *e)
{
	const tb_config_acs *acs = &cfg->acs;
	cwmp_front *f = calloc(1, sizeof *f);
	size_t nb = 16;

	*out = NULL;
	if (!f)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	while (nb < routers)
		nb *= 2;
	f->names = calloc(nb, sizeof *f->names);
	if (!f->names) {
		free(f);
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	}
	f->n_names = nb;
	f->loop = loop;
	f->cfg = cfg;
	f->max = acs->max_sessions > 0 ? (size_t)acs->max_sessions : 1;
	tb_timer_init(&f->pump, loop, pump, f);
	if (!acs->tls_verify && strncmp(acs->url, "https:", 6) == 0)
		tb_warn("cwmp: TLS without verifying the ACS's certificate and host name ([acs] "
			"tls_verify = false)");
	if (acs->connection_request_port > 0) {
		static const cr_server_ops ops = {.credentials = cr_lookup,
						  .request = cr_request};
		cr_server_ops o = ops;
		cr_server_cfg c;
		tb_err rc;

		o.arg = f;
		memset(&c, 0, sizeof c);
		c.iface = acs->connection_request_bind[0] ? acs->connection_request_bind : NULL;
		c.port = acs->connection_request_port;
		c.path = acs->connection_request_path;
		c.max_nonces = routers > 1024 ? routers : 0;
		rc = cr_server_new(loop, &c, &o, &f->cr, e);
		if (rc != TB_OK) {
			free(f->names);
			free(f);
			return rc;
		}
		tb_info("cwmp: Connection Requests on port %d", cr_server_port(f->cr));
	}
	*out = f;
	return TB_OK;
}

void cwmp_front_free(cwmp_front *f)
{
	if (!f)
		return;
	tb_timer_cancel(&f->pump);
	cr_server_free(f->cr);
	free(f->names);
	free(f);
}
