/* usp_notify_retry.c — delivery of Notify messages and the TR-369 retry of those sent with
 * send_resp=true (R-NOT.1..4): same msg_id, growing waits, until a NotifyResp or NotifExpiration. */
#include "bridge/usp/usp_notify_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/usp/usp_metrics.h"
#include "util/tb_log.h"

static void pending_free(usp_pending *p)
{
	tb_timer_cancel(&p->timer);
	tb_metric_add(tb_metric0(&usp_m_notify_pending), -1);
	free(p->bytes);
	free(p->to);
	free(p);
}

/* Unlinks and frees every pending entry for which pred holds. */
static size_t pending_remove(usp_subs *s, bool (*pred)(const usp_pending *p, const void *arg),
			     const void *arg)
{
	usp_pending **pp = &s->pending;
	size_t n = 0;

	while (*pp) {
		usp_pending *p = *pp;
		if (pred(p, arg)) {
			*pp = p->next;
			pending_free(p);
			n++;
		} else {
			pp = &p->next;
		}
	}
	return n;
}

static bool is_entry(const usp_pending *p, const void *arg)
{
	return p == arg;
}

static bool of_sub(const usp_pending *p, const void *arg)
{
	uint32_t inst = *(const uint32_t *)arg;
	return inst == 0 || p->sub_inst == inst;
}

/* Waits for the next retry from the controller's USPNotifRetry* parameters (defaults 5 s, 2000),
 * never past the deadline. */
static void schedule_next(usp_subs *s, usp_pending *p)
{
	dm_obj *agent = usp_subs__agent(s);
	dm_obj *c = agent ? dm_obj_instance(agent, s->sid.ctrl_table, p->ctrl_inst) : NULL;
	unsigned long min_s = c ? strtoul(dm_obj_get(c, s->sid.ctrl_min_wait), NULL, 10) : 0;
	unsigned long mult = c ? strtoul(dm_obj_get(c, s->sid.ctrl_mult), NULL, 10) : 0;
	uint64_t wait, now = tb_loop_now_ms();

	if (min_s < 1 || min_s > 65535)
		min_s = 5;
	if (mult < 1000 || mult > 65535)
		mult = 2000;
	wait = tb_retry_wait_ms(p->attempts, (unsigned)min_s, (unsigned)mult, 0);
	wait = wait * s->ms_per_s / 1000;
	p->last_wait = wait;
	if (p->deadline && now + wait > p->deadline)
		wait = p->deadline > now ? p->deadline - now : 0;
	tb_timer_schedule(&p->timer, wait);
}

static void retry_fire(tb_timer *tm)
{
	usp_pending *p = tm->arg;
	usp_subs *s = p->owner;
	tb_err rc;

	if (p->deadline && tb_loop_now_ms() >= p->deadline) {
		tb_info("usp_notify: Notify %s to %s expired after %u attempts", p->msg_id, p->to,
			p->attempts);
		pending_remove(s, is_entry, p);
		return;
	}
	/* a disabled controller is not sent to, but the retries go on (as during an MTP outage) */
	rc = usp_subs__controller(s, p->ctrl_inst)
		     ? s->send(s->send_ctx, p->bytes, p->len, p->to, true)
		     : TB_ERR_UNAVAILABLE;
	p->attempts++;
	tb_metric_inc(tb_metric0(&usp_m_notify_retried));
	if (rc == TB_OK)
		tb_metric_inc(tb_metric0(&usp_m_notify_sent));
	tb_debug("usp_notify: retry %u of Notify %s to %s: %s", p->attempts - 1, p->msg_id, p->to,
		 tb_err_str(rc));
	schedule_next(s, p);
}

tb_err usp_subs__deliver(usp_subs *s, const char *msg_id, const tb_buf *msg, const char *to,
			 uint32_t ctrl_inst, uint32_t sub_inst, bool retry, unsigned expiration)
{
	tb_err rc = s->send(s->send_ctx, msg->data, msg->len, to, retry);
	usp_pending *p, **tail;

	tb_metric_inc(tb_metric0(&usp_m_notify_queued));
	if (rc == TB_OK)
		tb_metric_inc(tb_metric0(&usp_m_notify_sent));
	if (!retry) {
		if (rc != TB_OK) /* NotifRetry=false: the delivery state is ignored */
			tb_debug("usp_notify: Notify %s to %s not sent: %s", msg_id, to,
				 tb_err_str(rc));
		return TB_OK;
	}
	p = calloc(1, sizeof *p);
	if (!p || !(p->bytes = malloc(msg->len ? msg->len : 1)) || !(p->to = strdup(to))) {
		if (p)
			free(p->bytes);
		free(p);
		tb_error("usp_notify: no memory to keep Notify %s for retries", msg_id);
		return TB_ERR_NOMEM;
	}
	memcpy(p->bytes, msg->data, msg->len);
	p->len = msg->len;
	snprintf(p->msg_id, sizeof p->msg_id, "%s", msg_id);
	p->owner = s;
	p->ctrl_inst = ctrl_inst;
	p->sub_inst = sub_inst;
	p->attempts = 1;
	p->deadline = expiration ? tb_loop_now_ms() + usp_subs__ms(s, expiration) : 0;
	tb_timer_init(&p->timer, s->loop, retry_fire, p);
	tb_metric_inc(tb_metric0(&usp_m_notify_pending));
	for (tail = &s->pending; *tail; tail = &(*tail)->next)
		;
	*tail = p;
	schedule_next(s, p);
	return TB_OK;
}

void usp_subs__drop_pending(usp_subs *s, uint32_t sub_inst)
{
	pending_remove(s, of_sub, &sub_inst);
}

bool usp_subs_notify_resp(usp_subs *s, const char *msg_id)
{
	const usp_pending *p = s->pending;

	while (msg_id && p && strcmp(p->msg_id, msg_id) != 0)
		p = p->next;
	if (!p)
		return false;
	uint32_t ctrl = p->ctrl_inst, sub = p->sub_inst;
	pending_remove(s, is_entry, p);
	if (sub == 0) /* an OnBoardRequest: its restart time begins now */
		usp_onboard__answered(s, ctrl);
	return true;
}

size_t usp_subs_pending(const usp_subs *s)
{
	size_t n = 0;

	for (const usp_pending *p = s->pending; p; p = p->next)
		n++;
	return n;
}

bool usp_subs_retry_info(const usp_subs *s, const char *msg_id, unsigned *attempts,
			 uint64_t *last_wait_ms)
{
	for (const usp_pending *p = s->pending; p; p = p->next) {
		if (strcmp(p->msg_id, msg_id) == 0) {
			if (attempts)
				*attempts = p->attempts;
			if (last_wait_ms)
				*last_wait_ms = p->last_wait;
			return true;
		}
	}
	return false;
}
