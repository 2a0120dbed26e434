/* test_ros_tls.c — cmocka tests of the memory-BIO TLS client against an in-process OpenSSL server:
 * default verification, CA file, name check, pinning, verification off, anonymous DH allowed (not
 * forced), garbage input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "transports/ros_tls.h"
#include "util/tb_buf.h"

/* ---- an in-memory TLS server ---- */

typedef struct server {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *in, *out; /* in: what the client sent; out: what the server sends */
	X509 *cert;
	unsigned char fp[32];
} server;

static void server_cert(server *s, const char *cn)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509_NAME *name;
	unsigned int ml;

	s->ctx = SSL_CTX_new(TLS_server_method());
	s->cert = X509_new();
	assert_non_null(key);
	ASN1_INTEGER_set(X509_get_serialNumber(s->cert), 7);
	X509_gmtime_adj(X509_getm_notBefore(s->cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(s->cert), 3600);
	X509_set_pubkey(s->cert, key);
	name = X509_get_subject_name(s->cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(s->cert, name);
	assert_true(X509_sign(s->cert, key, EVP_sha256()) > 0);
	assert_int_equal(SSL_CTX_use_certificate(s->ctx, s->cert), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(s->ctx, key), 1);
	assert_int_equal(X509_digest(s->cert, EVP_sha256(), s->fp, &ml), 1);
	EVP_PKEY_free(key);
}

/* Writes the server's certificate to a new file named after the template path (a CA file that
 * vouches for the server). */
static void server_ca_file(const server *s, char *path)
{
	FILE *f = fdopen(mkstemp(path), "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, s->cert), 1);
	fclose(f);
}

static void server_adh(server *s)
{
	s->ctx = SSL_CTX_new(TLS_server_method());
	assert_int_equal(SSL_CTX_set_max_proto_version(s->ctx, TLS1_2_VERSION), 1);
	assert_int_equal(SSL_CTX_set_cipher_list(s->ctx, "ADH-AES256-GCM-SHA384:@SECLEVEL=0"), 1);
	SSL_CTX_set_dh_auto(s->ctx, 1);
}

static void server_start(server *s)
{
	s->ssl = SSL_new(s->ctx);
	s->in = BIO_new(BIO_s_mem());
	s->out = BIO_new(BIO_s_mem());
	SSL_set_bio(s->ssl, s->in, s->out);
	SSL_set_accept_state(s->ssl);
}

static void server_free(server *s)
{
	SSL_free(s->ssl);
	SSL_CTX_free(s->ctx);
	X509_free(s->cert);
}

static tb_err sink(void *arg, const void *data, size_t len)
{
	return tb_buf_append(arg, data, len);
}

/* Moves bytes both ways until nothing moves; returns the client's last error. */
static tb_err pump(server *s, ros_tls *t, tb_buf *plain, tb_errctx *e)
{
	unsigned char buf[16384];
	bool moved = true;

	while (moved) {
		size_t n;
		int r;
		moved = false;
		while ((n = ros_tls_take(t, buf, sizeof buf)) > 0) {
			BIO_write(s->in, buf, (int)n);
			moved = true;
		}
		r = SSL_do_handshake(s->ssl);
		if (r == 1) {
			char echo[256];
			int got;
			while ((got = SSL_read(s->ssl, echo, sizeof echo)) > 0)
				SSL_write(s->ssl, echo, got); /* an echo server */
		}
		while ((r = BIO_read(s->out, buf, sizeof buf)) > 0) {
			tb_err rc = ros_tls_feed(t, buf, (size_t)r, sink, plain, e);
			if (rc != TB_OK)
				return rc;
			moved = true;
		}
	}
	return TB_OK;
}

static tb_err tls_connect(server *s, const ros_tls_opts *o, ros_tls **t, tb_buf *plain, tb_errctx *e)
{
	tb_err rc;

	server_start(s);
	rc = ros_tls_new(o, t, e);
	if (rc != TB_OK)
		return rc;
	return pump(s, *t, plain, e);
}

/* ---- tests ---- */

static void self_signed_refused_by_default(void **state)
{
	server s = {0};
	ros_tls *t;
	tb_buf plain;
	tb_errctx e;
	ros_tls_opts o = {.host = "router.example"};
	(void)state;
	tb_buf_init(&plain, 0);
	server_cert(&s, "router.example");
	assert_int_equal(tls_connect(&s, &o, &t, &plain, &e), TB_ERR_DENIED);
	assert_non_null(strstr(e.msg, "self-signed"));
	assert_false(ros_tls_ready(t));
	assert_int_equal(ros_tls_write(t, "x", 1, &e), TB_ERR_INTERNAL);
	ros_tls_free(t);
	server_free(&s);
	tb_buf_free(&plain);
}

static void ca_file_and_name_check(void **state)
{
	server s = {0};
	ros_tls *t;
	tb_buf plain;
	tb_errctx e;
	char path[] = "/tmp/ros-tls-ca-XXXXXX";
	ros_tls_opts o = {.host = "router.example", .ca_file = path};
	(void)state;
	tb_buf_init(&plain, 0);
	server_cert(&s, "router.example");
	server_ca_file(&s, path);

	/* trusted and the right name: data flows both ways */
	assert_int_equal(tls_connect(&s, &o, &t, &plain, &e), TB_OK);
	assert_true(ros_tls_ready(t));
	assert_int_equal(ros_tls_write(t, "/login", 6, &e), TB_OK);
	assert_int_equal(pump(&s, t, &plain, &e), TB_OK);
	assert_int_equal(plain.len, 6);
	assert_memory_equal(plain.data, "/login", 6);
	ros_tls_free(t);
	SSL_free(s.ssl);

	/* trusted but another name */
	o.host = "other.example";
	assert_int_equal(tls_connect(&s, &o, &t, &plain, &e), TB_ERR_DENIED);
	ros_tls_free(t);
	SSL_free(s.ssl);

	/* ... accepted when the name check is off */
	o.skip_hostname_check = true;
	assert_int_equal(tls_connect(&s, &o, &t, &plain, &e), TB_OK);
	assert_true(ros_tls_ready(t));
	ros_tls_free(t);
	SSL_free(s.ssl);
	s.ssl = NULL;

	o.ca_file = "/nonexistent/ca.pem";
	assert_int_equal(ros_tls_new(&o, &t, &e), TB_ERR_INVALID_ARG);
	unlink(path);
	server_free(&s);
	tb_buf_free(&plain);
}

static void pinned_certificate(void **state)
{
	server s = {0};
	ros_tls *t;
	tb_buf plain;
	tb_errctx e;
	unsigned char wrong[32];
	ros_tls_opts o = {.host = "10.0.0.1"};
	(void)state;
	tb_buf_init(&plain, 0);
	server_cert(&s, "whatever");
	o.pin = s.fp;
	assert_int_equal(tls_connect(&s, &o, &t, &plain, &e), TB_OK);
	assert_true(ros_tls_ready(t));
	ros_tls_free(t);
	SSL_free(s.ssl);

	memcpy(wrong, s.fp, sizeof wrong);
	wrong[31] ^= 1;
	o.pin = wrong;
	assert_int_equal(tls_connect(&s, &o, &t, &plain, &e), TB_ERR_DENIED);
	assert_false(ros_tls_ready(t));
	ros_tls_free(t);
	server_free(&s);
	tb_buf_free(&plain);
}

static void anonymous_dh(void **state)
{
	server s = {0};
	ros_tls *t;
	tb_buf plain;
	tb_errctx e;
	ros_tls_opts o = {.host = "10.0.0.1"};
	(void)state;
	tb_buf_init(&plain, 0);
	server_adh(&s);
	/* without the opt-in no suite is shared */
	assert_int_not_equal(tls_connect(&s, &o, &t, &plain, &e), TB_OK);
	ros_tls_free(t);
	SSL_free(s.ssl);
	o.adh = true;
	assert_int_equal(tls_connect(&s, &o, &t, &plain, &e), TB_OK);
	assert_true(ros_tls_ready(t));
	assert_true(ros_tls_anonymous(t));
	assert_int_equal(ros_tls_write(t, "abc", 3, &e), TB_OK);
	assert_int_equal(pump(&s, t, &plain, &e), TB_OK);
	assert_int_equal(plain.len, 3);
	ros_tls_free(t);
	server_free(&s);
	tb_buf_free(&plain);
}

/* tls_anonymous_dh allows anonymous DH, it does not force it: a router with a certificate is
 * reached (TLS 1.3 as ever) and its certificate is still checked, so an untrusted one is refused
 * and a trusted one accepted. (Forcing it offered only ADH suites: no shared cipher.) */
static void anonymous_dh_allowed_not_forced(void **state)
{
	server s = {0};
	ros_tls *t;
	tb_buf plain;
	tb_errctx e;
	char path[] = "/tmp/ros-tls-ca-XXXXXX";
	ros_tls_opts o = {.host = "router.example", .adh = true};
	(void)state;
	tb_buf_init(&plain, 0);
	server_cert(&s, "router.example");
	assert_int_equal(tls_connect(&s, &o, &t, &plain, &e), TB_ERR_DENIED);
	assert_non_null(strstr(e.msg, "self-signed"));
	ros_tls_free(t);
	SSL_free(s.ssl);
	server_ca_file(&s, path);
	o.ca_file = path;
	assert_int_equal(tls_connect(&s, &o, &t, &plain, &e), TB_OK);
	assert_true(ros_tls_ready(t));
	assert_false(ros_tls_anonymous(t));
	assert_int_equal(SSL_version(s.ssl), TLS1_3_VERSION);
	ros_tls_free(t);
	unlink(path);
	server_free(&s);
	tb_buf_free(&plain);
}

/* [router] tls_verify = false: a certificate nobody vouches for, for another name, is accepted
 * (encrypted, not authenticated); with verification it is refused (above). */
static void verification_off(void **state)
{
	server s = {0};
	ros_tls *t;
	tb_buf plain;
	tb_errctx e;
	ros_tls_opts o = {.host = "other.example", .skip_verify = true};
	(void)state;
	tb_buf_init(&plain, 0);
	server_cert(&s, "router.example");
	assert_int_equal(tls_connect(&s, &o, &t, &plain, &e), TB_OK);
	assert_true(ros_tls_ready(t));
	assert_false(ros_tls_anonymous(t));
	ros_tls_free(t);
	server_free(&s);
	tb_buf_free(&plain);
}

static void garbage_is_an_error(void **state)
{
	ros_tls *t;
	tb_buf plain;
	tb_errctx e;
	unsigned char junk[512];
	ros_tls_opts o = {.host = "10.0.0.1"};
	(void)state;
	tb_buf_init(&plain, 0);
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 37 + 11);
	assert_int_equal(ros_tls_new(&o, &t, &e), TB_OK);
	assert_true(ros_tls_pending(t) > 0); /* the ClientHello */
	assert_int_not_equal(ros_tls_feed(t, junk, sizeof junk, sink, &plain, &e), TB_OK);
	assert_int_equal(plain.len, 0);
	ros_tls_free(t);
	tb_buf_free(&plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(self_signed_refused_by_default),
		cmocka_unit_test(ca_file_and_name_check),
		cmocka_unit_test(pinned_certificate),
		cmocka_unit_test(anonymous_dh),
		cmocka_unit_test(anonymous_dh_allowed_not_forced),
		cmocka_unit_test(verification_off),
		cmocka_unit_test(garbage_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
