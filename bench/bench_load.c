/* bench_load.c — the load generator of bench/run.sh and the ideal agent it is compared with; C, one
 * MQTT 5 connection (libmosquitto driven by poll() on its one socket), so the client is not the limit.
 *
 *   bench_load gen --port P --agents N [--eid-prefix proto::bench-] [--path Device.DeviceInfo.]
 *                  [--inflight K] [--seconds S] [--warmup S] [--pid PID]
 *       sends USP Gets to the agents proto::bench-0 … N-1 (topic usp/agent/<eid>) round robin,
 *       K in flight, and prints one line:
 *       rate=<answers/s> p50_us=… p99_us=… cpu_us=<CPU of PID per answer> answered=… lost=…
 *   bench_load echo --port P
 *       the "echo" agent: answers every Record on usp/agent/+ with the Record itself, on its
 *       Response Topic (the limit of broker and client). Runs until SIGTERM.
 */
#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto/usp_record.h"
#include "proto/usp_req.h"

#define REPLY_TOPIC "usp/controller/bench"
#define CONTROLLER "self::bench-ctl"
#define ID_MARK "lg-"
#define ID_DIGITS 10
#define RING (1u << 16) /* send times of the requests in flight, by sequence number */
#define LOST_AFTER_NS 10000000000ll

typedef struct agent_tpl {
	char topic[128];
	unsigned char *rec;
	size_t len, id_at; /* where the ID_DIGITS digits of the msg_id sit in rec */
} agent_tpl;

typedef struct gen {
	struct mosquitto *m;
	mosquitto_property *props;
	agent_tpl *agents;
	unsigned n_agents, next_agent, inflight;
	uint64_t seq;
	int64_t sent_at[RING];
	uint64_t sent_seq[RING];
	int64_t measure_from, measure_to; /* ns, monotonic */
	uint32_t *lat_us;
	size_t n_lat, cap_lat;
	unsigned long answered, lost;
	int subscribed;
} gen;

static volatile sig_atomic_t stop;

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000ll + t.tv_nsec;
}

static const char *opt(int argc, char **argv, const char *name, const char *def)
{
	for (int i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return def;
}

static long cpu_ticks(const char *pid)
{
	char path[64], buf[1024], *p;
	long ut = 0, st = 0;
	FILE *f;

	if (!pid)
		return 0;
	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof buf, f)) {
		if (f)
			fclose(f);
		return 0;
	}
	fclose(f);
	p = strrchr(buf, ')'); /* fields after the command name: state is field 3, utime 14 */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &ut, &st) != 2)
		return 0;
	return ut + st;
}

/* Runs libmosquitto on its socket for at most timeout_ms; false when the connection failed. */
static int pump(struct mosquitto *m, int timeout_ms)
{
	struct pollfd p = {.fd = mosquitto_socket(m), .events = POLLIN};

	if (mosquitto_want_write(m))
		p.events |= POLLOUT;
	if (poll(&p, 1, timeout_ms) < 0 && errno != EINTR)
		return 0;
	if ((p.revents & (POLLIN | POLLERR | POLLHUP)) && mosquitto_loop_read(m, 64) != MOSQ_ERR_SUCCESS)
		return 0;
	/* The agents' Notifies (OnBoardRequest, Boot!) reach us unasked and we answer none; with our
	 * ACK of one delayed, a stock broker (Nagle on) holds the next answer for us ~40 ms. A real
	 * controller answers each Notify (the answer carries the ACK); we ACK at once instead, so
	 * that stall is not counted against the agent (docs/benchmarks.md). */
	setsockopt(p.fd, IPPROTO_TCP, TCP_QUICKACK, &(int){1}, sizeof(int));
	if (mosquitto_want_write(m) && mosquitto_loop_write(m, 64) != MOSQ_ERR_SUCCESS)
		return 0;
	return mosquitto_loop_misc(m) == MOSQ_ERR_SUCCESS;
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int n, const int *granted,
			 const mosquitto_property *props)
{
	(void)m;
	(void)mid;
	(void)n;
	(void)granted;
	(void)props;
	((gen *)obj)->subscribed = 1;
}

static struct mosquitto *client(const char *port, void *obj, const char *sub)
{
	struct mosquitto *m;
	char id[64];

	snprintf(id, sizeof id, "bench-%ld", (long)getpid());
	m = mosquitto_new(id, true, obj);
	if (!m)
		return NULL;
	mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
	mosquitto_subscribe_v5_callback_set(m, on_subscribe);
	if (mosquitto_connect(m, "127.0.0.1", atoi(port), 60) != MOSQ_ERR_SUCCESS ||
	    mosquitto_subscribe(m, NULL, sub, 0) != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, "bench_load: cannot connect to 127.0.0.1:%s\n", port);
		mosquitto_destroy(m);
		return NULL;
	}
	return m;
}

/* ---- the generator ---- */

static void send_one(gen *g)
{
	agent_tpl *a = &g->agents[g->next_agent++ % g->n_agents];
	uint64_t s = g->seq++;
	char digits[ID_DIGITS + 1];

	snprintf(digits, sizeof digits, "%0*llu", ID_DIGITS, (unsigned long long)(s % 10000000000ull));
	memcpy(a->rec + a->id_at, digits, ID_DIGITS);
	g->sent_at[s % RING] = now_ns();
	g->sent_seq[s % RING] = s;
	mosquitto_publish_v5(g->m, NULL, a->topic, (int)a->len, a->rec, 0, false, g->props);
}

static void on_answer(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
		      const mosquitto_property *props)
{
	gen *g = obj;
	const char *id = memmem(msg->payload, (size_t)msg->payloadlen, ID_MARK, strlen(ID_MARK));
	int64_t t = now_ns();
	uint64_t s = 0;
	(void)m;
	(void)props;

	if (!id || (const char *)msg->payload + msg->payloadlen - id < (long)(strlen(ID_MARK) + ID_DIGITS))
		return;
	for (int i = 0; i < ID_DIGITS; i++)
		s = s * 10 + (uint64_t)(id[strlen(ID_MARK) + i] - '0');
	if (g->sent_seq[s % RING] != s || !g->sent_at[s % RING])
		return; /* a late answer to a request counted lost */
	if (t >= g->measure_from && t < g->measure_to) {
		if (g->n_lat == g->cap_lat) {
			g->cap_lat = g->cap_lat ? 2 * g->cap_lat : 65536;
			g->lat_us = realloc(g->lat_us, g->cap_lat * sizeof *g->lat_us);
		}
		g->lat_us[g->n_lat++] = (uint32_t)((t - g->sent_at[s % RING]) / 1000);
		g->answered++;
	}
	g->sent_at[s % RING] = 0;
	if (t < g->measure_to)
		send_one(g);
}

static int templates(gen *g, const char *prefix, const char *path)
{
	const char *paths[] = {path};
	char msg_id[32], eid[96];

	snprintf(msg_id, sizeof msg_id, ID_MARK "%0*d", ID_DIGITS, 0);
	g->agents = calloc(g->n_agents, sizeof *g->agents);
	for (unsigned i = 0; g->agents && i < g->n_agents; i++) {
		usp_record_addr a = {USP_RECORD_VERSION_LATEST, eid, CONTROLLER};
		tb_buf msg, rec;
		tb_errctx e;
		unsigned char *at;

		snprintf(eid, sizeof eid, "%s%u", prefix, i);
		snprintf(g->agents[i].topic, sizeof g->agents[i].topic, "usp/agent/%s", eid);
		tb_buf_init(&msg, 0);
		tb_buf_init(&rec, 0);
		if (usp_req_get(msg_id, paths, 1, 0, &msg, &e) != TB_OK ||
		    usp_record_encode_msg(&a, msg.data, msg.len, &rec, &e) != TB_OK)
			return 0;
		at = memmem(rec.data, rec.len, msg_id, strlen(msg_id));
		g->agents[i].len = rec.len;
		g->agents[i].id_at = (size_t)(at - rec.data) + strlen(ID_MARK);
		g->agents[i].rec = tb_buf_steal(&rec, NULL);
		tb_buf_free(&msg);
	}
	return g->agents != NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int run_gen(int argc, char **argv)
{
	static gen g;
	const char *pid = opt(argc, argv, "--pid", NULL);
	double seconds = atof(opt(argc, argv, "--seconds", "5"));
	double warmup = atof(opt(argc, argv, "--warmup", "1"));
	long t0, t1, hz = sysconf(_SC_CLK_TCK);
	int64_t start;

	g.n_agents = (unsigned)atoi(opt(argc, argv, "--agents", "1"));
	g.inflight = (unsigned)atoi(opt(argc, argv, "--inflight", "1"));
	if (!g.n_agents || !g.inflight || g.inflight >= RING ||
	    !templates(&g, opt(argc, argv, "--eid-prefix", "proto::bench-"),
		       opt(argc, argv, "--path", "Device.DeviceInfo.")))
		return 2;
	mosquitto_property_add_string(&g.props, MQTT_PROP_RESPONSE_TOPIC, REPLY_TOPIC);
	mosquitto_property_add_string(&g.props, MQTT_PROP_CONTENT_TYPE, "usp.msg");
	g.m = client(opt(argc, argv, "--port", "1883"), &g, REPLY_TOPIC);
	if (!g.m)
		return 1;
	mosquitto_message_v5_callback_set(g.m, on_answer);
	while (!g.subscribed)
		if (!pump(g.m, 100))
			return 1;
	start = now_ns();
	g.measure_from = start + (int64_t)(warmup * 1e9);
	g.measure_to = g.measure_from + (int64_t)(seconds * 1e9);
	for (unsigned i = 0; i < g.inflight; i++)
		send_one(&g);
	while (now_ns() < g.measure_from)
		if (!pump(g.m, 10))
			return 1;
	t0 = cpu_ticks(pid);
	for (int64_t checked = now_ns(), t; (t = now_ns()) < g.measure_to;) {
		if (!pump(g.m, 10))
			return 1;
		if (t - checked < 100000000)
			continue;
		/* a request without an answer for 10 s is lost: replace it */
		checked = t;
		for (unsigned k = 0; k < RING; k++)
			if (g.sent_at[k] && t - g.sent_at[k] > LOST_AFTER_NS) {
				g.sent_at[k] = 0;
				g.lost++;
				send_one(&g);
			}
	}
	t1 = cpu_ticks(pid);
	qsort(g.lat_us, g.n_lat, sizeof *g.lat_us, cmp_u32);
	printf("rate=%.0f p50_us=%u p99_us=%u cpu_us=%.1f answered=%lu lost=%lu\n",
	       (double)g.answered / seconds, g.n_lat ? g.lat_us[g.n_lat / 2] : 0,
	       g.n_lat ? g.lat_us[(g.n_lat * 99) / 100] : 0,
	       g.answered && pid ? (double)(t1 - t0) * 1e6 / (double)hz / (double)g.answered : 0.0,
	       g.answered, g.lost);
	mosquitto_disconnect(g.m);
	pump(g.m, 0);
	mosquitto_destroy(g.m);
	return 0;
}

/* ---- the echo agent ---- */

static void on_request(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
		       const mosquitto_property *props)
{
	char *reply_to = NULL;
	(void)obj;

	if (!mosquitto_property_read_string(props, MQTT_PROP_RESPONSE_TOPIC, &reply_to, false))
		return;
	mosquitto_publish_v5(m, NULL, reply_to, msg->payloadlen, msg->payload, 0, false, props);
	free(reply_to);
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int run_echo(int argc, char **argv)
{
	gen g = {0};
	struct mosquitto *m = client(opt(argc, argv, "--port", "1883"), &g, "usp/agent/+");

	if (!m)
		return 1;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	mosquitto_message_v5_callback_set(m, on_request);
	while (!stop)
		if (!pump(m, 100))
			return 1;
	mosquitto_destroy(m);
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	mosquitto_lib_init();
	if (argc > 1 && strcmp(argv[1], "gen") == 0)
		rc = run_gen(argc, argv);
	else if (argc > 1 && strcmp(argv[1], "echo") == 0)
		rc = run_echo(argc, argv);
	else {
		fprintf(stderr, "usage: bench_load gen|echo --port P [...] (see the top of bench_load.c)\n");
		rc = 2;
	}
	mosquitto_lib_cleanup();
	return rc;
}
