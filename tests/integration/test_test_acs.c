/* test_test_acs.c — the scripted test ACS (tools/test-acs) driven over real loopback sockets by a
 * minimal CPE written here: Digest and Basic challenges, the session cookie, scripted RPCs, the ID
 * check, 503 with Retry-After, 401 loops, a connection closed mid-session, Connection Requests.
 * Each broken rule must show as a finding, so the ACS cannot pass a bad CPE silently. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "itest_util.h"
#include "proto/cwmp_soap.h"
#include "tools/test-acs/acs.h"
#include "tools/test-acs/acs_http.h"

#define WAIT_MS 20000

static int dial(acs *a)
{
	int fd = itest_connect(acs_port(a));
	assert_true(fd >= 0);
	return fd;
}

/* POSTs body (may be "") with optional extra headers; returns the response (caller frees body). */
static int post(int fd, const char *body, const char *headers, acs_http_msg *resp)
{
	char head[2048];
	int n = snprintf(head, sizeof head,
			 "POST /acs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: %zu\r\n%s\r\n",
			 strlen(body), headers ? headers : "");
	assert_true(acs_http_write(fd, head, (size_t)n));
	assert_true(acs_http_write(fd, body, strlen(body)));
	if (acs_http_read(fd, resp, WAIT_MS) != 0)
		return -1;
	return acs_http_status(resp);
}

static char *encode(cwmp_msg *m)
{
	tb_buf b;
	tb_buf_init(&b, 0);
	assert_int_equal(cwmp_encode(m, &b, NULL), TB_OK);
	return (char *)b.data;
}

static char *inform_xml(void)
{
	static cwmp_event ev[] = { { "0 BOOTSTRAP", "" }, { "1 BOOT", "" } };
	static cwmp_param_value pv[] = { { "Device.RootDataModelVersion", "2.17", CWMP_T_STRING } };
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_INFORM);
	m.hdr.id = "cpe-1";
	m.hdr.supported_versions = CWMP_SUPPORTED_VERSIONS;
	m.u.inform.device_id = (cwmp_device_id){ "MikroTik", "D4CA6D", "RB4011", "SN1" };
	m.u.inform.events = (cwmp_events){ 2, ev };
	m.u.inform.current_time = 1714557600;
	m.u.inform.params = (cwmp_param_values){ 1, pv };
	return encode(&m);
}

/* The GetParameterValuesResponse a CPE gives to request id. */
static char *gpv_response(const char *id)
{
	static cwmp_param_value pv[] = { { "Device.DeviceInfo.UpTime", "77", CWMP_T_UNSIGNED_INT } };
	cwmp_msg m;
	cwmp_msg_init(&m, CWMP_M_GET_PARAMETER_VALUES_RESPONSE);
	m.hdr.id = id;
	m.u.values = (cwmp_param_values){ 1, pv };
	return encode(&m);
}

static cwmp_msg *decode(const acs_http_msg *resp)
{
	cwmp_msg *m;
	tb_errctx e;
	if (cwmp_decode(resp->body, resp->len, NULL, &m, &e) != TB_OK)
		fail_msg("ACS sent what we cannot decode: %s", e.msg);
	return m;
}

/* "Authorization: Digest ..." answering the challenge in resp for a POST to /acs. */
static void digest_for(const acs_http_msg *resp, const char *user, const char *pass, char *out, size_t n)
{
	static const char name[] = "Authorization: ";
	char chal[512];
	assert_true(acs_http_header(resp, "WWW-Authenticate", chal, sizeof chal));
	assert_non_null(strstr(chal, "qop=\"auth\""));
	assert_non_null(strstr(chal, "algorithm=MD5"));
	assert_true(n > sizeof name + 2);
	strcpy(out, name);
	assert_true(acs_digest_answer(chal, user, pass, "POST", "/acs", out + strlen(name), n - sizeof name - 2));
	strcat(out, "\r\n");
}

static void full_session_with_digest(void **state)
{
	(void)state;
	acs_config cfg = { .auth = ACS_AUTH_DIGEST, .username = "acs", .password = "s3cret" };
	tb_errctx e;
	acs *a = acs_start(&cfg, &e);
	acs_http_msg *resp = malloc(sizeof *resp);
	static const char *names[] = { "Device.DeviceInfo.UpTime" };
	cwmp_msg rpc, *m;
	char auth[1024], cookie[256], hdrs[1400], *x;
	int fd;

	assert_non_null(a);
	cwmp_msg_init(&rpc, CWMP_M_GET_PARAMETER_VALUES);
	rpc.u.names = (cwmp_strings){ 1, names };
	assert_int_equal(acs_add_rpc(a, &rpc, &e), TB_OK);
	cwmp_msg_init(&rpc, CWMP_M_REBOOT);
	rpc.u.command_key = "rb";
	assert_int_equal(acs_add_rpc(a, &rpc, &e), TB_OK);

	fd = dial(a);
	x = inform_xml();
	assert_int_equal(post(fd, x, NULL, resp), 401);
	free(resp->body);
	digest_for(resp, "acs", "wrong", auth, sizeof auth);
	assert_int_equal(post(fd, x, auth, resp), 401);
	free(resp->body);
	digest_for(resp, "acs", "s3cret", auth, sizeof auth);
	assert_int_equal(post(fd, x, auth, resp), 200);
	free(x);
	m = decode(resp);
	assert_int_equal(m->method, CWMP_M_INFORM_RESPONSE);
	assert_string_equal(m->hdr.id, "cpe-1");
	cwmp_msg_free(m);
	assert_true(acs_http_header(resp, "Set-Cookie", cookie, sizeof cookie));
	free(resp->body);
	*strchr(cookie, ';') = '\0';
	snprintf(hdrs, sizeof hdrs, "%sCookie: %s\r\n", auth, cookie);

	assert_int_equal(post(fd, "", hdrs, resp), 200);
	m = decode(resp);
	assert_int_equal(m->method, CWMP_M_GET_PARAMETER_VALUES);
	assert_string_equal(m->hdr.id, "acs-1");
	free(resp->body);
	x = gpv_response(m->hdr.id);
	cwmp_msg_free(m);
	assert_int_equal(post(fd, x, hdrs, resp), 200);
	free(x);
	m = decode(resp);
	assert_int_equal(m->method, CWMP_M_REBOOT);
	assert_string_equal(m->u.command_key, "rb");
	cwmp_msg_free(m);
	free(resp->body);
	/* answer the Reboot with the wrong ID: the ACS must say so */
	cwmp_msg_init(&rpc, CWMP_M_REBOOT_RESPONSE);
	rpc.hdr.id = "not-acs-2";
	x = encode(&rpc);
	assert_int_equal(post(fd, x, hdrs, resp), 204);
	free(x);
	free(resp->body);
	close(fd);

	assert_true(acs_wait_sessions(a, 1, WAIT_MS));
	assert_int_equal(acs_sessions_completed(a), 1);
	assert_int_equal(acs_record_count(a), 4); /* Inform, empty POST, 2 responses (401s are not kept) */
	const acs_record *r = acs_record_at(a, 0);
	assert_int_equal(r->answer, 200);
	assert_int_equal(r->msg->method, CWMP_M_INFORM);
	assert_int_equal(r->findings.n, 0);
	assert_int_equal(acs_record_at(a, 1)->len, 0);
	assert_int_equal(acs_record_at(a, 2)->msg->method, CWMP_M_GET_PARAMETER_VALUES_RESPONSE);
	assert_int_equal(acs_record_at(a, 2)->findings.n, 0);
	r = acs_record_at(a, 3);
	assert_int_equal(r->answer, 204);
	assert_int_equal(r->findings.n, 1);
	assert_non_null(strstr(r->findings.what[0], "acs-2"));
	assert_int_equal(acs_findings_total(a), 1);
	free(resp);
	acs_stop(a);
}

static void cookie_and_order_rules(void **state)
{
	(void)state;
	acs_config cfg = { 0 };
	acs *a = acs_start(&cfg, NULL);
	acs_http_msg *resp = malloc(sizeof *resp);
	char *x = inform_xml();
	int fd = dial(a);

	/* an empty POST before any Inform */
	assert_int_equal(post(fd, "", NULL, resp), 400);
	free(resp->body);
	close(fd);
	fd = dial(a);
	assert_int_equal(post(fd, x, NULL, resp), 200);
	free(resp->body);
	/* the cookie is not sent back */
	assert_int_equal(post(fd, "", NULL, resp), 204);
	free(resp->body);
	close(fd);
	assert_true(acs_wait_sessions(a, 1, WAIT_MS));
	assert_int_equal(acs_record_count(a), 3);
	assert_non_null(strstr(acs_record_at(a, 0)->findings.what[0], "before any Inform"));
	assert_int_equal(acs_record_at(a, 1)->findings.n, 0);
	assert_non_null(strstr(acs_record_at(a, 2)->findings.what[0], "cookie"));
	free(x);
	free(resp);
	acs_stop(a);
}

static void inform_503_then_accepted(void **state)
{
	(void)state;
	acs_config cfg = { .inform_status = 503, .retry_after = 7, .inform_failures = 1 };
	acs *a = acs_start(&cfg, NULL);
	acs_http_msg *resp = malloc(sizeof *resp);
	char ra[16], *x = inform_xml();
	int fd = dial(a);

	assert_int_equal(post(fd, x, NULL, resp), 503);
	assert_true(acs_http_header(resp, "Retry-After", ra, sizeof ra));
	assert_string_equal(ra, "7");
	free(resp->body);
	/* the ACS closed the connection: end of stream, no further message */
	assert_int_equal(acs_http_read(fd, resp, WAIT_MS), -1);
	close(fd);
	fd = dial(a);
	assert_int_equal(post(fd, x, NULL, resp), 200);
	free(resp->body);
	close(fd);
	assert_true(acs_wait_sessions(a, 1, WAIT_MS));
	assert_int_equal(acs_sessions_completed(a), 0); /* closed mid-session, no 204 */
	free(x);
	free(resp);
	acs_stop(a);
}

static void auth_loop_and_close_mid_session(void **state)
{
	(void)state;
	acs_config cfg = { .auth = ACS_AUTH_BASIC, .username = "u", .password = "p", .auth_loop = true };
	acs *a = acs_start(&cfg, NULL);
	acs_http_msg *resp = malloc(sizeof *resp);
	char basic[128], hdr[200], *x = inform_xml();
	int fd = dial(a);

	acs_basic_header("u", "p", basic, sizeof basic);
	snprintf(hdr, sizeof hdr, "Authorization: %s\r\n", basic);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(post(fd, x, hdr, resp), 401);
		assert_true(acs_http_header(resp, "WWW-Authenticate", basic, sizeof basic));
		assert_string_equal(basic, "Basic realm=\"trbridge-test-acs\"");
		free(resp->body);
	}
	close(fd);
	acs_stop(a);

	cfg = (acs_config){ .close_after = 2 };
	a = acs_start(&cfg, NULL);
	fd = dial(a);
	assert_int_equal(post(fd, x, NULL, resp), 200);
	free(resp->body);
	assert_int_equal(post(fd, "", NULL, resp), -1);
	close(fd);
	assert_true(acs_wait_sessions(a, 1, WAIT_MS));
	assert_int_equal(acs_record_at(a, 1)->answer, 0);
	free(x);
	free(resp);
	acs_stop(a);
}

static void connection_request(void **state)
{
	(void)state;
	acs_config cfg = { .auth = ACS_AUTH_DIGEST, .username = "cr", .password = "crpw" };
	acs *a = acs_start(&cfg, NULL);
	tb_errctx e;

	assert_int_equal(acs_connection_request(acs_url(a), "cr", "crpw", WAIT_MS, &e), 200);
	assert_int_equal(acs_connection_request(acs_url(a), "cr", "nope", WAIT_MS, &e), 401);
	acs_stop(a);
	assert_int_equal(acs_connection_request("http://127.0.0.1:1/x", "cr", "crpw", WAIT_MS, &e), -1);
}

/* The ACS's Digest on the bridge's parser: an answer to a challenge checks out with the right
 * password, method and nonce only; SHA-256 and opaque are followed; a challenge without qop=auth
 * or with an unknown algorithm is not answered. */
static void digest_answer_and_check(void **state)
{
	(void)state;
	char a[1024];
	const char *chal = "Digest realm=\"r, 1\", qop=\"auth,auth-int\", nonce=\"n\\\"1\", algorithm=MD5";
	assert_true(acs_digest_answer(chal, "u", "p", "POST", "/acs", a, sizeof a));
	assert_true(acs_digest_check(a, "u", "p", "r, 1", "POST", "n\"1"));
	assert_false(acs_digest_check(a, "u", "q", "r, 1", "POST", "n\"1"));
	assert_false(acs_digest_check(a, "u", "p", "r, 1", "GET", "n\"1"));
	assert_false(acs_digest_check(a, "u", "p", "r, 1", "POST", "n2"));
	assert_true(acs_digest_answer("Digest realm=\"r\", qop=\"auth\", nonce=\"x\", algorithm=SHA-256, opaque=\"o\"",
				      "u", "p", "GET", "/cr", a, sizeof a));
	assert_non_null(strstr(a, "algorithm=SHA-256"));
	assert_non_null(strstr(a, "opaque=\"o\""));
	assert_true(acs_digest_check(a, "u", "p", "r", "GET", "x"));
	assert_false(acs_digest_answer("Digest realm=\"r\", nonce=\"x\"", "u", "p", "GET", "/", a, sizeof a));
	assert_false(acs_digest_answer("Digest realm=\"r\", qop=\"auth\", nonce=\"x\", algorithm=MD5-sess", "u", "p",
				       "GET", "/", a, sizeof a));
	assert_false(acs_digest_answer("Digest realm=\"r\", qop=\"auth\", nonce=\"x\"", "u", "p", "GET", "/", a, 40));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_session_with_digest),
		cmocka_unit_test(cookie_and_order_rules),
		cmocka_unit_test(inform_503_then_accepted),
		cmocka_unit_test(auth_loop_and_close_mid_session),
		cmocka_unit_test(connection_request),
		cmocka_unit_test(digest_answer_and_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
