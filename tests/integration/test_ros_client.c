/* test_ros_client.c — ros_client over real loopback sockets against a small scripted RouterOS API
 * server running in a thread: login (both flows), commands, timeouts, drops and reconnects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "itest_util.h"
#include "transports/ros_client.h"
#include "transports/ros_client_lws.h"
#include "transports/ros_word.h"

/* ---- the scripted server ---- */

typedef struct fake_router {
	int lfd, port;
	bool legacy;          /* answer /login with a challenge (pre-6.43) */
	const char *password; /* the one accepted */
	volatile int stop;
	volatile int mute; /* stop answering anything (a hung router) */
	SSL_CTX *tls; /* NULL: plain TCP */
	volatile int accepts, cancels, logins_ok, handshakes;
	pthread_t th;
} fake_router;

/* One accepted connection, plain or TLS. */
typedef struct peer {
	int fd;
	SSL *ssl;
} peer;

static void send_words(const peer *p, const char *const *w, size_t n)
{
	tb_buf b;
	tb_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ros_word_append_str(&b, w[i]), TB_OK);
	assert_int_equal(ros_sentence_end(&b), TB_OK);
	if (p->ssl)
		assert_int_equal(SSL_write(p->ssl, b.data, (int)b.len), (int)b.len);
	else
		assert_int_equal(send(p->fd, b.data, b.len, MSG_NOSIGNAL), (ssize_t)b.len);
	tb_buf_free(&b);
}


static bool legacy_ok(const fake_router *fr, const char *resp)
{
	unsigned char msg[256], md[16];
	unsigned int ml;
	char hex[40];
	size_t pl = strlen(fr->password);

	msg[0] = 0;
	memcpy(msg + 1, fr->password, pl);
	for (int i = 0; i < 16; i++)
		msg[1 + pl + i] = (unsigned char)(0x11 * i);
	EVP_Digest(msg, 1 + pl + 16, md, &ml, EVP_md5(), NULL);
	strcpy(hex, "00");
	for (int i = 0; i < 16; i++)
		sprintf(hex + 2 + 2 * i, "%02x", md[i]);
	return resp && strcmp(resp, hex) == 0;
}

/* Serves one connection; returns when the peer goes away, on /test/drop or on stop. */
static void serve(fake_router *fr, const peer *fd)
{
	ros_reader rd;
	bool logged = false, drop = false;

	ros_reader_init(&rd, 1 << 20, 1000);
	while (!fr->stop) {
		struct pollfd p = {.fd = fd->fd, .events = POLLIN};
		unsigned char buf[4096];
		ros_sentence s;
		tb_errctx e;
		ssize_t n;

		if (!(fd->ssl && SSL_pending(fd->ssl)) && poll(&p, 1, 50) <= 0)
			continue;
		n = fd->ssl ? SSL_read(fd->ssl, buf, sizeof buf) : recv(fd->fd, buf, sizeof buf, 0);
		if (n <= 0)
			break;
		ros_reader_feed(&rd, buf, (size_t)n);
		while (ros_reader_next(&rd, &s, &e) == 1) {
			const char *cmd = s.words[0], *tag = ros_sentence_attr(&s, ".tag=");
			char tagw[32];
			snprintf(tagw, sizeof tagw, ".tag=%s", tag ? tag : "");
			if (fr->mute) {
				/* a hung router reads but never answers */
			} else if (strcmp(cmd, "/login") == 0) {
				const char *pw = ros_sentence_attr(&s, "=password=");
				const char *resp = ros_sentence_attr(&s, "=response=");
				if (fr->legacy && !resp) {
					const char *w[] = {"!done", "=ret=00112233445566778899aabbccddeeff"};
					send_words(fd, w, 2);
				} else if ((fr->legacy && legacy_ok(fr, resp)) ||
					   (!fr->legacy && pw && strcmp(pw, fr->password) == 0)) {
					const char *w[] = {"!done"};
					logged = true;
					fr->logins_ok++;
					send_words(fd, w, 1);
				} else {
					const char *w[] = {"!trap", "=message=invalid user name or password (6)"};
					const char *d[] = {"!done"};
					send_words(fd, w, 2);
					send_words(fd, d, 1);
				}
			} else if (!logged) {
				const char *w[] = {"!fatal", "not logged in"};
				send_words(fd, w, 2);
			} else if (strcmp(cmd, "/test/drop") == 0) {
				drop = true;
			} else if (strcmp(cmd, "/test/hang") == 0) {
				/* never answered */
			} else if (strcmp(cmd, "/cancel") == 0) {
				const char *w[] = {"!done", tagw};
				fr->cancels++;
				send_words(fd, w, 2);
			} else if (strcmp(cmd, "/system/identity/print") == 0) {
				const char *w[] = {"!re", "=name=Fake=Router", tagw};
				const char *d[] = {"!done", tagw};
				send_words(fd, w, 3);
				send_words(fd, d, 2);
			} else {
				const char *w[] = {"!trap", "=category=0",
						   "=message=no such command prefix", tagw};
				const char *d[] = {"!done", tagw};
				send_words(fd, w, 4);
				send_words(fd, d, 2);
			}
			ros_sentence_free(&s);
			if (drop)
				goto out;
		}
	}
out:
	ros_reader_free(&rd);
}

static void *router_main(void *arg)
{
	fake_router *fr = arg;

	while (!fr->stop) {
		struct pollfd p = {.fd = fr->lfd, .events = POLLIN};
		if (poll(&p, 1, 50) <= 0)
			continue;
		peer pe = {.fd = accept(fr->lfd, NULL, NULL)};
		if (pe.fd < 0)
			continue;
		fr->accepts++;
		if (fr->tls) {
			pe.ssl = SSL_new(fr->tls);
			SSL_set_fd(pe.ssl, pe.fd);
			if (SSL_accept(pe.ssl) == 1) {
				fr->handshakes++;
				serve(fr, &pe);
			}
			SSL_free(pe.ssl);
		} else {
			serve(fr, &pe);
		}
		close(pe.fd);
	}
	return NULL;
}

static void router_start_tls(fake_router *fr, bool legacy, const char *password, SSL_CTX *tls)
{
	memset(fr, 0, sizeof *fr);
	fr->tls = tls;
	fr->legacy = legacy;
	fr->password = password;
	fr->lfd = itest_listen(&fr->port, 0);
	assert_true(fr->lfd >= 0);
	assert_int_equal(pthread_create(&fr->th, NULL, router_main, fr), 0);
}

static void router_start(fake_router *fr, bool legacy, const char *password)
{
	router_start_tls(fr, legacy, password, NULL);
}

static void router_stop(fake_router *fr)
{
	fr->stop = 1;
	pthread_join(fr->th, NULL);
	close(fr->lfd);
	SSL_CTX_free(fr->tls);
}

/* A server context with a fresh self-signed P-256 certificate; *fp receives its SHA-256. */
static SSL_CTX *tls_self_signed(char fp[97])
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	unsigned char md[32];
	unsigned int ml;

	assert_non_null(ctx);
	assert_non_null(key);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"router", -1, -1,
				   0);
	X509_set_issuer_name(x, name);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	assert_int_equal(SSL_CTX_use_certificate(ctx, x), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(ctx, key), 1);
	assert_int_equal(X509_digest(x, EVP_sha256(), md, &ml), 1);
	for (unsigned i = 0; i < ml; i++)
		sprintf(fp + 3 * i, "%02X%s", md[i], i + 1 < ml ? ":" : "");
	X509_free(x);
	EVP_PKEY_free(key);
	return ctx;
}

/* A server context offering anonymous DH only, as a RouterOS API-SSL service without a
 * certificate does. */
static SSL_CTX *tls_adh(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	assert_non_null(ctx);
	assert_int_equal(SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION), 1);
	assert_int_equal(SSL_CTX_set_cipher_list(ctx, "ADH-AES128-SHA256:ADH-AES256-SHA:@SECLEVEL=0"), 1);
	SSL_CTX_set_dh_auto(ctx, 1);
	return ctx;
}

/* ---- the client side ---- */

typedef struct watch {
	ros_client *client;
	int ups, downs;
	tb_errctx last_down;
} watch;

static void on_state(void *arg, bool up, const tb_errctx *why)
{
	watch *w = arg;
	if (up) {
		w->ups++;
	} else {
		w->downs++;
		w->last_down = *why;
	}
}

typedef struct result {
	int res, traps, done, failed;
	tb_err err;
	char name[64], message[128];
} result;

static void on_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	result *res = arg;
	if (!r) {
		res->failed = 1;
		res->err = err->code;
		return;
	}
	if (r->type == ROS_REPLY_RE) {
		const char *n = ros_reply_get(r, "name");
		res->res++;
		snprintf(res->name, sizeof res->name, "%s", n ? n : "");
	} else if (r->type == ROS_REPLY_TRAP) {
		res->traps++;
		snprintf(res->message, sizeof res->message, "%s", r->message ? r->message : "");
	} else if (r->type == ROS_REPLY_DONE) {
		res->done = 1;
	}
}

static bool is_up(void *arg)
{
	return ros_client_is_up(((watch *)arg)->client);
}
static bool is_down(void *arg)
{
	return !ros_client_is_up(((watch *)arg)->client);
}
static bool has_downs(void *arg)
{
	return ((watch *)arg)->downs > 0;
}
static bool result_final(void *arg)
{
	result *r = arg;
	return r->done || r->failed;
}

static ros_client *start_client_opts(tb_loop *loop, ros_client_opts *o, watch *w)
{
	ros_client *c;
	memset(w, 0, sizeof *w);
	o->host = "127.0.0.1";
	o->user = "admin";
	o->connect_timeout_ms = 8000; /* generous: valgrind is slow */
	o->on_state = on_state;
	o->arg = w;
	assert_int_equal(ros_client_new(loop, o, &c), TB_OK);
	w->client = c;
	return c;
}

static ros_client *start_client(tb_loop *loop, int port, const char *password, watch *w)
{
	ros_client_opts o = {.port = port, .password = password};
	return start_client_opts(loop, &o, w);
}

static tb_loop *new_loop(void)
{
	const struct lws_protocols *lists[] = {ros_client_protocols, NULL};
	tb_loop *l;
	assert_int_equal(tb_loop_new(lists, &l), TB_OK);
	return l;
}

static void login_command_drop_reconnect(void **state)
{
	static const char *const ident[] = {"/system/identity/print"};
	static const char *const drop[] = {"/test/drop"};
	fake_router fr;
	tb_loop *loop = new_loop();
	watch w;
	result r1 = {0}, r2 = {0}, r3 = {0}, rd = {0};
	ros_client *c;

	(void)state;
	router_start(&fr, false, "s3cret");
	c = start_client(loop, fr.port, "s3cret", &w);
	assert_true(tb_loop_run_until(loop, is_up, &w, 5000));
	assert_int_equal(w.ups, 1);

	assert_int_equal(ros_client_command(c, ident, 1, 0, on_reply, &r1, NULL), TB_OK);
	assert_true(tb_loop_run_until(loop, result_final, &r1, 5000));
	assert_int_equal(r1.res, 1);
	assert_string_equal(r1.name, "Fake=Router");
	assert_int_equal(r1.done, 1);

	/* an unknown command: one trap then done */
	{
		static const char *const bad[] = {"/ip/adress/print"};
		result rb = {0};
		assert_int_equal(ros_client_command(c, bad, 1, 0, on_reply, &rb, NULL), TB_OK);
		assert_true(tb_loop_run_until(loop, result_final, &rb, 5000));
		assert_int_equal(rb.traps, 1);
		assert_string_equal(rb.message, "no such command prefix");
		assert_int_equal(rb.done, 1);
	}

	/* the router drops the socket: the pending command fails, commands are refused */
	assert_int_equal(ros_client_command(c, drop, 1, 0, on_reply, &rd, NULL), TB_OK);
	assert_true(tb_loop_run_until(loop, is_down, &w, 5000));
	assert_int_equal(rd.failed, 1);
	assert_int_equal(rd.err, TB_ERR_CLOSED);
	assert_int_equal(ros_client_command(c, ident, 1, 0, on_reply, &r2, NULL), TB_ERR_UNAVAILABLE);
	assert_int_equal(w.downs, 1);

	/* ... and the client comes back by itself (first retry waits 1..2 s) */
	assert_true(tb_loop_run_until(loop, is_up, &w, 8000));
	assert_int_equal(w.ups, 2);
	assert_int_equal(fr.accepts, 2);
	assert_int_equal(ros_client_command(c, ident, 1, 0, on_reply, &r3, NULL), TB_OK);
	assert_true(tb_loop_run_until(loop, result_final, &r3, 5000));
	assert_int_equal(r3.done, 1);

	ros_client_free(c);
	tb_loop_free(loop);
	router_stop(&fr);
}

static void keepalive_detects_hung_router(void **state)
{
	fake_router fr;
	tb_loop *loop = new_loop();
	watch w;
	ros_client *c;
	ros_client_opts o = {.password = "pw", .keepalive_ms = 200, .command_timeout_ms = 300};

	(void)state;
	router_start(&fr, false, "pw");
	o.port = fr.port;
	c = start_client_opts(loop, &o, &w);
	assert_true(tb_loop_run_until(loop, is_up, &w, 5000));
	fr.mute = 1;
	assert_true(tb_loop_run_until(loop, has_downs, &w, 5000));
	assert_int_equal(w.last_down.code, TB_ERR_TIMEOUT);
	assert_non_null(strstr(w.last_down.msg, "keepalive"));
	ros_client_free(c);
	tb_loop_free(loop);
	router_stop(&fr);
}

static bool cancels_seen(void *arg)
{
	return ((fake_router *)arg)->cancels > 0;
}

static void command_timeout_cancels(void **state)
{
	static const char *const hang[] = {"/test/hang"};
	fake_router fr;
	tb_loop *loop = new_loop();
	watch w;
	result r = {0};
	ros_client *c;

	(void)state;
	router_start(&fr, false, "pw");
	c = start_client(loop, fr.port, "pw", &w);
	assert_true(tb_loop_run_until(loop, is_up, &w, 5000));
	assert_int_equal(ros_client_command(c, hang, 1, 200, on_reply, &r, NULL), TB_OK);
	assert_true(tb_loop_run_until(loop, result_final, &r, 5000));
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.err, TB_ERR_TIMEOUT);
	assert_true(tb_loop_run_until(loop, cancels_seen, &fr, 5000));
	assert_true(ros_client_is_up(c));
	ros_client_free(c);
	tb_loop_free(loop);
	router_stop(&fr);
}

static void legacy_login(void **state)
{
	fake_router fr;
	tb_loop *loop = new_loop();
	watch w;
	ros_client *c;
	ros_client_opts o = {.password = "old-pass", .start_delay_ms = 100};

	(void)state;
	router_start(&fr, true, "old-pass");
	o.port = fr.port;
	c = start_client_opts(loop, &o, &w);
	assert_false(ros_client_is_up(c));
	assert_int_equal(fr.accepts, 0);
	assert_true(tb_loop_run_until(loop, is_up, &w, 5000));
	assert_int_equal(fr.logins_ok, 1);
	ros_client_free(c);
	tb_loop_free(loop);
	router_stop(&fr);
}

static void wrong_password_reported(void **state)
{
	fake_router fr;
	tb_loop *loop = new_loop();
	watch w;
	ros_client *c;

	(void)state;
	router_start(&fr, false, "right");
	c = start_client(loop, fr.port, "wrong", &w);
	assert_true(tb_loop_run_until(loop, has_downs, &w, 5000));
	assert_int_equal(w.ups, 0);
	assert_int_equal(w.last_down.code, TB_ERR_AUTH);
	assert_non_null(strstr(w.last_down.msg, "invalid user name or password"));
	ros_client_free(c);
	tb_loop_free(loop);
	router_stop(&fr);
}

static void refused_port_retries(void **state)
{
	fake_router fr;
	tb_loop *loop = new_loop();
	watch w;
	ros_client *c;
	int port;

	(void)state;
	router_start(&fr, false, "x");
	port = fr.port;
	router_stop(&fr); /* nothing listens there now */
	c = start_client(loop, port, "x", &w);
	assert_true(tb_loop_run_until(loop, has_downs, &w, 5000));
	assert_false(ros_client_is_up(c));
	ros_client_free(c);
	tb_loop_free(loop);
}

static void tls_self_signed_refused_by_default(void **state)
{
	fake_router fr;
	tb_loop *loop = new_loop();
	char fp[97];
	watch w;
	ros_client *c;
	ros_client_opts o = {.password = "pw", .tls = true};

	(void)state;
	router_start_tls(&fr, false, "pw", tls_self_signed(fp));
	o.port = fr.port;
	c = start_client_opts(loop, &o, &w);
	assert_true(tb_loop_run_until(loop, has_downs, &w, 10000));
	assert_int_equal(w.ups, 0);
	assert_int_equal(w.last_down.code, TB_ERR_DENIED);
	assert_non_null(strstr(w.last_down.msg, "self-signed"));
	assert_int_equal(fr.logins_ok, 0);
	ros_client_free(c);
	tb_loop_free(loop);
	router_stop(&fr);
}

static void tls_ca_file(void **state)
{
	static const char *const ident[] = {"/system/identity/print"};
	fake_router fr;
	tb_loop *loop = new_loop();
	char fp[97], path[] = "/tmp/ros-ca-XXXXXX";
	watch w;
	result r = {0};
	ros_client *c;
	ros_client_opts o = {.password = "pw"};
	SSL_CTX *ctx = tls_self_signed(fp);
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, SSL_CTX_get0_certificate(ctx)), 1);
	fclose(f);
	router_start_tls(&fr, false, "pw", ctx);
	o.port = fr.port;
	o.tls_ca_file = path;
	/* the certificate names "router", not 127.0.0.1: the name check refuses it */
	c = start_client_opts(loop, &o, &w);
	assert_true(tb_loop_run_until(loop, has_downs, &w, 10000));
	assert_int_equal(w.last_down.code, TB_ERR_DENIED);
	ros_client_free(c);
	/* trusted chain, name check off: accepted */
	o.tls_skip_hostname_check = true;
	c = start_client_opts(loop, &o, &w);
	assert_true(tb_loop_run_until(loop, is_up, &w, 10000));
	assert_int_equal(ros_client_command(c, ident, 1, 0, on_reply, &r, NULL), TB_OK);
	assert_true(tb_loop_run_until(loop, result_final, &r, 5000));
	assert_int_equal(r.done, 1);
	ros_client_free(c);
	unlink(path);
	tb_loop_free(loop);
	router_stop(&fr);
}

static void tls_pinned_certificate(void **state)
{
	static const char *const ident[] = {"/system/identity/print"};
	fake_router fr;
	tb_loop *loop = new_loop();
	char fp[97];
	watch w;
	result r = {0};
	ros_client *c;
	ros_client_opts o = {.password = "pw"};

	(void)state;
	router_start_tls(&fr, false, "pw", tls_self_signed(fp));
	o.port = fr.port;
	o.tls_fingerprint = fp;
	c = start_client_opts(loop, &o, &w);
	assert_true(tb_loop_run_until(loop, is_up, &w, 10000));
	assert_int_equal(fr.handshakes, 1);
	assert_int_equal(ros_client_command(c, ident, 1, 0, on_reply, &r, NULL), TB_OK);
	assert_true(tb_loop_run_until(loop, result_final, &r, 5000));
	assert_string_equal(r.name, "Fake=Router");
	ros_client_free(c);

	/* another certificate's fingerprint: refused before /login is sent */
	o.tls_fingerprint = "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:"
			    "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff";
	c = start_client_opts(loop, &o, &w);
	assert_true(tb_loop_run_until(loop, has_downs, &w, 10000));
	assert_int_equal(w.last_down.code, TB_ERR_DENIED);
	assert_int_equal(fr.logins_ok, 1);
	ros_client_free(c);

	o.tls_fingerprint = "not hex";
	assert_int_equal(ros_client_new(loop, &o, &c), TB_ERR_INVALID_ARG);
	tb_loop_free(loop);
	router_stop(&fr);
}

static void tls_anonymous_dh(void **state)
{
	fake_router fr;
	tb_loop *loop = new_loop();
	watch w;
	ros_client *c;
	ros_client_opts o = {.password = "pw", .tls = true};

	(void)state;
	router_start_tls(&fr, false, "pw", tls_adh());
	o.port = fr.port;
	/* without the opt-in, a certificate-less router is refused */
	c = start_client_opts(loop, &o, &w);
	assert_true(tb_loop_run_until(loop, has_downs, &w, 10000));
	assert_int_equal(fr.logins_ok, 0);
	ros_client_free(c);
	/* with it, the session works */
	o.tls_adh = true;
	c = start_client_opts(loop, &o, &w);
	assert_true(tb_loop_run_until(loop, is_up, &w, 10000));
	assert_int_equal(fr.logins_ok, 1);
	ros_client_free(c);
	tb_loop_free(loop);
	router_stop(&fr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(login_command_drop_reconnect),
		cmocka_unit_test(command_timeout_cancels),
		cmocka_unit_test(keepalive_detects_hung_router),
		cmocka_unit_test(legacy_login),
		cmocka_unit_test(wrong_password_reported),
		cmocka_unit_test(refused_port_retries),
		cmocka_unit_test(tls_self_signed_refused_by_default),
		cmocka_unit_test(tls_ca_file),
		cmocka_unit_test(tls_pinned_certificate),
		cmocka_unit_test(tls_anonymous_dh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
