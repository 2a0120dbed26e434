/* acs_client.c — what the test ACS does as a client and as a narrator: the Connection Request
 * (HTTP GET answering one Digest or Basic challenge) and the readable print of a CPE message. */
#include "tools/test-acs/acs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tools/test-acs/acs_http.h"

/* http://host:port/path split; false for anything else (no https here). */
static bool split_url(const char *url, char *host, size_t hn, char *port, size_t pn, char *path, size_t n)
{
	const char *h, *p, *s;
	if (strncmp(url, "http://", 7) != 0)
		return false;
	h = url + 7;
	s = strchr(h, '/');
	if (!s)
		s = h + strlen(h);
	if (*h == '[') { /* IPv6 literal */
		const char *close = strchr(h, ']');
		if (!close || close > s)
			return false;
		snprintf(host, hn, "%.*s", (int)(close - h - 1), h + 1);
		p = close + 1;
	} else {
		p = memchr(h, ':', (size_t)(s - h));
		snprintf(host, hn, "%.*s", (int)((p ? p : s) - h), h);
	}
	if (p && *p == ':')
		snprintf(port, pn, "%.*s", (int)(s - p - 1), p + 1);
	else
		snprintf(port, pn, "80");
	snprintf(path, n, "%s", *s ? s : "/");
	return true;
}

static int connect_to(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int fd = -1;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

/* One GET with an optional Authorization; the status, or -1. */
static int get_once(int fd, const char *host, const char *port, const char *path, const char *auth,
		    int timeout_ms, acs_http_msg *resp)
{
	char req[2048];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: trbridge-test-acs\r\n%s%s%s\r\n",
			 path, host, port, auth ? "Authorization: " : "", auth ? auth : "", auth ? "\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof req || !acs_http_write(fd, req, (size_t)n) ||
	    acs_http_read(fd, resp, timeout_ms) != 0)
		return -1;
	free(resp->body);
	resp->body = NULL;
	return acs_http_status(resp);
}

int acs_connection_request(const char *url, const char *user, const char *password, int timeout_ms,
			   tb_errctx *e)
{
	char host[256], port[16], path[512], chal[1024], auth[2048];
	acs_http_msg *resp = malloc(sizeof *resp);
	int fd, st = -1;
	bool can = true; /* false: a challenge we cannot answer */

	if (!resp) {
		tb_errf(e, TB_ERR_NOMEM, "no memory");
		return -1;
	}
	if (!split_url(url, host, sizeof host, port, sizeof port, path, sizeof path)) {
		tb_errf(e, TB_ERR_INVALID_ARG, "not an http URL: %.200s", url);
	} else if ((fd = connect_to(host, port)) < 0) {
		tb_errf(e, TB_ERR_IO, "connect %s:%s: %s", host, port, strerror(errno));
	} else {
		st = get_once(fd, host, port, path, NULL, timeout_ms, resp);
		if (st == 401 && acs_http_header(resp, "WWW-Authenticate", chal, sizeof chal)) {
			if (strncasecmp(chal, "Digest", 6) != 0)
				acs_basic_header(user, password, auth, sizeof auth);
			else
				can = acs_digest_answer(chal, user, password, "GET", path, auth, sizeof auth);
			st = can ? get_once(fd, host, port, path, auth, timeout_ms, resp) : -1;
			if (!can)
				tb_errf(e, TB_ERR_AUTH, "a Digest challenge we cannot answer: %.200s", chal);
		}
		if (st < 0 && can)
			tb_errf(e, TB_ERR_IO, "no HTTP answer from %s:%s", host, port);
		close(fd);
	}
	free(resp);
	return st;
}

void acs_print_record(const acs_record *r, void *file)
{
	FILE *f = file;
	const cwmp_msg *m = r->msg;

	fprintf(f, "[session %d] CPE -> ACS: ", r->session);
	if (!r->len)
		fprintf(f, "(empty POST)");
	else if (!m)
		fprintf(f, "undecodable: %s", r->decode.msg);
	else {
		fprintf(f, "%s%s", m->method == CWMP_M_UNKNOWN ? m->method_name : cwmp_method_name(m->method),
			m->hdr.id ? "" : " (no ID)");
		if (m->hdr.id)
			fprintf(f, " id=%s", m->hdr.id);
	}
	fprintf(f, " -> HTTP %d\n", r->answer);
	if (m && m->method == CWMP_M_INFORM) {
		const cwmp_inform *in = &m->u.inform;
		fprintf(f, "    device %s-%s-%s (%s)", in->device_id.oui, in->device_id.product_class,
			in->device_id.serial_number, in->device_id.manufacturer);
		for (size_t i = 0; i < in->events.n; i++)
			fprintf(f, "%s \"%s\"", i ? "," : "  events", in->events.v[i].code);
		fprintf(f, "\n");
	}
	const cwmp_param_values *pv = !m ? NULL
				      : m->method == CWMP_M_INFORM ? &m->u.inform.params
				      : m->method == CWMP_M_GET_PARAMETER_VALUES_RESPONSE ? &m->u.values : NULL;
	for (size_t i = 0; pv && i < pv->n; i++)
		fprintf(f, "    %s = %s (%s)\n", pv->v[i].name, pv->v[i].value,
			cwmp_type_name(pv->v[i].type) ? cwmp_type_name(pv->v[i].type) : "untyped");
	for (size_t i = 0; m && m->method == CWMP_M_GET_PARAMETER_NAMES_RESPONSE && i < m->u.infos.n; i++)
		fprintf(f, "    %s%s\n", m->u.infos.v[i].name, m->u.infos.v[i].writable ? " (writable)" : "");
	if (m && m->method == CWMP_M_FAULT)
		fprintf(f, "    fault %d %s\n", m->u.fault.code, m->u.fault.string);
	if (m && m->method == CWMP_M_SET_PARAMETER_VALUES_RESPONSE)
		fprintf(f, "    status %d\n", m->u.status);
	if (m && m->method == CWMP_M_ADD_OBJECT_RESPONSE)
		fprintf(f, "    instance %u status %d\n", m->u.add_resp.instance_number, m->u.add_resp.status);
	for (size_t i = 0; i < r->findings.n && i < ACS_CHECK_MAX; i++)
		fprintf(f, "    RULE BROKEN: %s\n", r->findings.what[i]);
}
