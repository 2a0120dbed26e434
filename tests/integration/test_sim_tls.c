/* test_sim_tls.c — routeros-sim's API-SSL listeners: a certificate made with the openssl tool,
 * a TLS client that logs in and prints on two routers, and the plain port beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest_util.h"
#include "transports/ros_word.h"

static pid_t sim_pid;

static void tls_send(SSL *ssl, const char *const *words)
{
	tb_buf b;
	tb_buf_init(&b, 0);
	for (; *words; words++)
		assert_int_equal(ros_word_append_str(&b, *words), TB_OK);
	assert_int_equal(ros_sentence_end(&b), TB_OK);
	assert_int_equal(SSL_write(ssl, b.data, (int)b.len), (int)b.len);
	tb_buf_free(&b);
}

static void tls_recv(SSL *ssl, ros_reader *rd, ros_sentence *s)
{
	tb_errctx e;
	for (;;) {
		unsigned char buf[4096];
		int n, rc = ros_reader_next(rd, s, &e);
		assert_true(rc >= 0);
		if (rc == 1)
			return;
		n = SSL_read(ssl, buf, sizeof buf);
		assert_true(n > 0);
		assert_int_equal(ros_reader_feed(rd, buf, (size_t)n), TB_OK);
	}
}

static void tls_login_and_print(void **state)
{
	char *dir = itest_tmpdir("simtls");
	char cert[512], key[512], n[8], port[16], tport[16];
	int plain = itest_free_port_range(2), tls;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	(void)state;
	assert_non_null(dir);
	do /* two distinct ranges */
		tls = itest_free_port_range(2);
	while (tls > plain - 2 && tls < plain + 2);
	assert_true(itest_make_cert(dir)); /* self-signed, for 127.0.0.1 and localhost */
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	snprintf(n, sizeof n, "2");
	snprintf(port, sizeof port, "%d", plain);
	snprintf(tport, sizeof tport, "%d", tls);
	{
		char *argv[] = {(char *)itest_bin("tools/routeros-sim"), "--routers", n, "--port", port,
				"--tls-port", tport, "--cert", cert, "--key", key, "--log-level", "warn",
				NULL};
		sim_pid = itest_spawn(argv, NULL);
	}
	assert_true(sim_pid > 0);
	assert_true(itest_wait_port(tls + 1, 10000));
	assert_true(itest_wait_port(plain + 1, 10000));
	for (int r = 0; r < 2; r++) {
		int fd = itest_connect(tls + r);
		SSL *ssl = SSL_new(ctx);
		ros_reader rd;
		ros_sentence s;
		char want[32];
		assert_true(fd >= 0);
		ros_reader_init(&rd, 1 << 20, 1024);
		SSL_set_fd(ssl, fd);
		assert_int_equal(SSL_connect(ssl), 1); /* self-signed: not verified by this client */
		tls_send(ssl, (const char *const[]){"/login", "=name=admin", "=password=", NULL});
		tls_recv(ssl, &rd, &s);
		assert_string_equal(s.words[0], "!done");
		ros_sentence_free(&s);
		tls_send(ssl, (const char *const[]){"/system/identity/print", ".tag=i", NULL});
		tls_recv(ssl, &rd, &s);
		assert_string_equal(s.words[0], "!re");
		snprintf(want, sizeof want, "rtr-%05d", r);
		assert_string_equal(ros_sentence_attr(&s, "=name="), want);
		assert_string_equal(ros_sentence_attr(&s, ".tag="), "i");
		ros_sentence_free(&s);
		tls_recv(ssl, &rd, &s);
		assert_string_equal(s.words[0], "!done");
		ros_sentence_free(&s);
		SSL_shutdown(ssl);
		SSL_free(ssl);
		close(fd);
		ros_reader_free(&rd);
	}
	SSL_CTX_free(ctx);
	{
		int st = itest_stop(sim_pid);
		sim_pid = 0;
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	unlink(cert);
	unlink(key);
	rmdir(dir);
	free(dir);
}

static int stop_leftover(void **state)
{
	(void)state;
	if (sim_pid > 0)
		itest_stop(sim_pid);
	sim_pid = 0;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(tls_login_and_print, stop_leftover),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
