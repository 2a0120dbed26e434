/* test_mqtt_client_tls.c — MQTT over TLS against a real mosquitto: the broker's certificate and
 * host name are verified (also when the broker is given by name), and verification can be off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "itest_util.h"
#include "mqtt_fixture.h"

/* A mosquitto with an MQTT-over-TLS listener on a certificate for san (NULL: 127.0.0.1 and
 * localhost), the CA file that vouches for it, and a loop for the clients under test. */
typedef struct tls_broker {
	char *dir;
	int port; /* the TLS listener */
	pid_t pid;
	char ca[512];
	tb_loop *loop;
} tls_broker;

static void tls_broker_start(tls_broker *b, const char *tag, const char *san)
{
	int port = itest_free_port_range(2);

	b->dir = itest_tmpdir(tag);
	assert_non_null(b->dir);
	assert_true(san ? itest_make_cert_for(b->dir, san) : itest_make_cert(b->dir));
	b->pid = itest_start_mosquitto_tls(b->dir, port, port + 1);
	assert_true(b->pid > 0);
	b->port = port + 1;
	snprintf(b->ca, sizeof b->ca, "%s/cert.pem", b->dir);
	assert_int_equal(tb_loop_new(NULL, &b->loop), TB_OK);
}

/* The TLS listener's URI with host as its host. */
static void tls_broker_uri(const tls_broker *b, const char *host, char *uri, size_t cap)
{
	snprintf(uri, cap, "mqtts://%s:%d", host, b->port);
}

/* Frees the two clients, lets the loop settle and stops the broker. */
static void tls_broker_stop(tls_broker *b, mqtt_client *c1, mqtt_client *c2)
{
	mqtt_client_free(c1);
	mqtt_client_free(c2);
	tb_loop_run_until(b->loop, never, NULL, 100);
	tb_loop_free(b->loop);
	itest_stop(b->pid);
	free(b->dir);
}

/* Runs the loop until the client has failed at least once (a refused handshake). */
static bool client_failed(void *arg)
{
	mqtt_client_info i;
	mqtt_client_get_info(arg, &i);
	return i.retries > 0;
}

static void mqtts_verifies_the_broker_certificate(void **state)
{
	tls_broker b;
	agent good = {0}, unverified = {0};
	tb_mtp_cbs gcb = {.user = &good, .recv = a_recv, .up = a_up, .down = a_down};
	tb_mtp_cbs ucb = {.user = &unverified, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .client_id = "agent-tls",
			       .topics = {"usp/agent/tls"}, .clean_start = true, .qos = 1,
			       .username = "u", .password = "secret-never-logged",
			       .retry_min_s = 1, .retry_mult_permille = 1000};
	char uri[64];
	mqtt_client *cg, *cu;
	tb_errctx e;
	(void)state;

	tls_broker_start(&b, "mqtts", NULL);
	tls_broker_uri(&b, "127.0.0.1", uri, sizeof uri);
	cfg.uri = uri;
	/* no CA: the system store does not know the broker's self-signed certificate */
	assert_int_equal(mqtt_client_new(b.loop, &cfg, &ucb, &cu, &e), TB_OK);
	cfg.ca_file = b.ca;
	cfg.client_id = "agent-tls-2";
	assert_int_equal(mqtt_client_new(b.loop, &cfg, &gcb, &cg, &e), TB_OK);
	assert_true(tb_loop_run_until(b.loop, agent_up, &good, 10000));
	/* the one without the CA failed its handshake (and keeps failing), never came up */
	assert_true(tb_loop_run_until(b.loop, client_failed, cu, 20000));
	{
		mqtt_client_info i;
		mqtt_client_get_info(cu, &i);
		assert_int_equal(i.status, MQTT_STATUS_ERROR_UNREACHABLE);
		assert_true(i.tls);
	}
	assert_int_equal(unverified.ups, 0);
	assert_false(mqtt_client_is_up(cu));
	tls_broker_stop(&b, cu, cg);
}

static void mqtts_checks_the_host_name_and_can_be_told_not_to_verify(void **state)
{
	tls_broker b;
	agent wrong_name = {0}, insecure = {0};
	tb_mtp_cbs wcb = {.user = &wrong_name, .recv = a_recv, .up = a_up, .down = a_down};
	tb_mtp_cbs icb = {.user = &insecure, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .client_id = "agent-name",
			       .topics = {"usp/agent/tls"}, .clean_start = true,
			       .retry_min_s = 1, .retry_mult_permille = 1000};
	char uri[64];
	mqtt_client *cw, *ci;
	tb_errctx e;
	(void)state;

	/* a certificate the CA file vouches for, but for another name than 127.0.0.1 */
	tls_broker_start(&b, "mqtts-name", "DNS:elsewhere.invalid");
	tls_broker_uri(&b, "127.0.0.1", uri, sizeof uri);
	cfg.uri = uri;
	cfg.ca_file = b.ca;
	assert_int_equal(mqtt_client_new(b.loop, &cfg, &wcb, &cw, &e), TB_OK);
	/* tls_verify = false: neither chain nor name is checked (a warning says so) */
	cfg.ca_file = NULL;
	cfg.insecure = true;
	cfg.client_id = "agent-insecure";
	assert_int_equal(mqtt_client_new(b.loop, &cfg, &icb, &ci, &e), TB_OK);
	assert_true(tb_loop_run_until(b.loop, agent_up, &insecure, 10000));
	assert_true(tb_loop_run_until(b.loop, client_failed, cw, 20000));
	assert_int_equal(wrong_name.ups, 0);
	tls_broker_stop(&b, cw, ci);
}

/* A broker given by name: the client connects to the address the name resolves to, and the TLS
 * handshake still names the host (SNI) and checks the certificate against that name. */
static void mqtts_by_name_checks_the_name_not_the_address(void **state)
{
	tls_broker b;
	agent by_name = {0}, by_addr = {0};
	tb_mtp_cbs ncb = {.user = &by_name, .recv = a_recv, .up = a_up, .down = a_down};
	tb_mtp_cbs acb = {.user = &by_addr, .recv = a_recv, .up = a_up, .down = a_down};
	mqtt_client_cfg cfg = {.endpoint_id = AGENT_EID, .client_id = "agent-byname",
			       .topics = {"usp/agent/tls"}, .clean_start = true,
			       .retry_min_s = 1, .retry_mult_permille = 1000};
	char nuri[64], auri[64];
	mqtt_client *cn, *ca_;
	tb_errctx e;
	(void)state;

	/* the certificate names localhost only, not its address */
	tls_broker_start(&b, "mqtts-byname", "DNS:localhost");
	tls_broker_uri(&b, "localhost", nuri, sizeof nuri);
	tls_broker_uri(&b, "127.0.0.1", auri, sizeof auri);
	cfg.ca_file = b.ca;
	cfg.uri = nuri;
	assert_int_equal(mqtt_client_new(b.loop, &cfg, &ncb, &cn, &e), TB_OK);
	cfg.uri = auri;
	cfg.client_id = "agent-byaddr";
	assert_int_equal(mqtt_client_new(b.loop, &cfg, &acb, &ca_, &e), TB_OK);
	assert_true(tb_loop_run_until(b.loop, agent_up, &by_name, 10000));
	assert_true(tb_loop_run_until(b.loop, client_failed, ca_, 20000));
	assert_int_equal(by_addr.ups, 0);
	tls_broker_stop(&b, cn, ca_);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mqtts_verifies_the_broker_certificate),
		cmocka_unit_test(mqtts_checks_the_host_name_and_can_be_told_not_to_verify),
		cmocka_unit_test(mqtts_by_name_checks_the_name_not_the_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
