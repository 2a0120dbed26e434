/* ros_tls.c — TLS client on memory BIOs: lws 4.1.6 starts a raw client's TLS handshake before the
 * socket is connected, so ros_client runs plain lws raw TCP and encrypts here. */
#include "transports/ros_tls.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

/* the strong certificate suites, then the anonymous DH ones (TLS 1.2 and older: TLS 1.3 has none);
 * "-aNULL" (not "!aNULL", as in DEFAULT, which no later item could undo) keeps them addable, and
 * SECLEVEL 0 lets OpenSSL 3 use them. A server with a certificate picks a certificate suite. */
#define ROS_TLS_ADH_CIPHERS "HIGH:-aNULL:-eNULL:ADH-AES256-GCM-SHA384:ADH-AES128-GCM-SHA256:" \
			    "ADH-AES256-SHA256:ADH-AES128-SHA256:ADH-AES256-SHA:ADH-AES128-SHA:" \
			    "@SECLEVEL=0"

struct ros_tls {
	SSL *ssl;
	BIO *rbio, *wbio; /* owned by ssl */
	bool ready;
	bool pinned;
	unsigned char pin[32];
};

/* One client context for every connection of the process (the system CA store is loaded once);
 * per-connection choices are made on the SSL object. Loop thread only. */
static SSL_CTX *tls_ctx;
static unsigned tls_ctx_users;

static SSL_CTX *tls_ctx_get(void)
{
	if (!tls_ctx) {
		tls_ctx = SSL_CTX_new(TLS_client_method());
		if (!tls_ctx)
			return NULL;
		SSL_CTX_set_default_verify_paths(tls_ctx);
		SSL_CTX_set_mode(tls_ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	}
	tls_ctx_users++;
	return tls_ctx;
}

static void tls_ctx_put(void)
{
	if (tls_ctx_users && --tls_ctx_users == 0) {
		SSL_CTX_free(tls_ctx);
		tls_ctx = NULL;
	}
}

/* The text of OpenSSL's last error (or of the certificate verdict) into e. */
static tb_err tls_error(ros_tls *t, tb_errctx *e, const char *what)
{
	long vr = SSL_get_verify_result(t->ssl);
	unsigned long err = ERR_get_error();
	char buf[160];

	ERR_clear_error();
	if (vr != X509_V_OK)
		return tb_errf(e, TB_ERR_DENIED, "%s: certificate rejected: %s", what,
			       X509_verify_cert_error_string(vr));
	ERR_error_string_n(err, buf, sizeof buf);
	return tb_errf(e, TB_ERR_IO, "%s: %s", what, err ? buf : "TLS failure");
}

static tb_err tls_setup_checks(ros_tls *t, const ros_tls_opts *o, tb_errctx *e)
{
	unsigned char addr[16];
	bool is_ip;

	/* allowed, not forced: a certificate, if the router sends one, is checked as always (a
	 * client's SSL_VERIFY_PEER does not apply to an anonymous suite) */
	if (o->adh && !SSL_set_cipher_list(t->ssl, ROS_TLS_ADH_CIPHERS))
		return tb_errf(e, TB_ERR_NOT_SUPPORTED, "anonymous DH unavailable in this OpenSSL");
	if (o->pin) {
		/* the handshake accepts any certificate; tls_check_pin() then demands the pinned one */
		memcpy(t->pin, o->pin, sizeof t->pin);
		t->pinned = true;
		SSL_set_verify(t->ssl, SSL_VERIFY_NONE, NULL);
		return TB_OK;
	}
	is_ip = inet_pton(AF_INET, o->host, addr) == 1 || inet_pton(AF_INET6, o->host, addr) == 1;
	if (!is_ip)
		SSL_set_tlsext_host_name(t->ssl, o->host);
	if (o->skip_verify) {
		SSL_set_verify(t->ssl, SSL_VERIFY_NONE, NULL);
		return TB_OK;
	}
	SSL_set_verify(t->ssl, SSL_VERIFY_PEER, NULL);
	if (o->ca_file) {
		X509_STORE *st = X509_STORE_new();
		int ok = st && X509_STORE_load_file(st, o->ca_file) == 1 &&
			 SSL_set1_verify_cert_store(t->ssl, st) == 1;
		X509_STORE_free(st);
		if (!ok)
			return tb_errf(e, TB_ERR_INVALID_ARG, "cannot load CA file %s", o->ca_file);
	}
	if (o->skip_hostname_check)
		return TB_OK;
	if (is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(t->ssl), o->host) != 1
		  : SSL_set1_host(t->ssl, o->host) != 1)
		return tb_errf(e, TB_ERR_INVALID_ARG, "cannot check the certificate against %s", o->host);
	return TB_OK;
}

tb_err ros_tls_new(const ros_tls_opts *o, ros_tls **out, tb_errctx *e)
{
	ros_tls *t = calloc(1, sizeof *t);
	SSL_CTX *ctx;
	tb_err rc;

	*out = NULL;
	if (!t)
		return tb_errf(e, TB_ERR_NOMEM, "out of memory");
	ctx = tls_ctx_get();
	if (!ctx) {
		free(t);
		return tb_errf(e, TB_ERR_NOMEM, "cannot create the TLS context");
	}
	t->ssl = SSL_new(ctx);
	t->rbio = BIO_new(BIO_s_mem());
	t->wbio = BIO_new(BIO_s_mem());
	if (!t->ssl || !t->rbio || !t->wbio) {
		BIO_free(t->rbio);
		BIO_free(t->wbio);
		t->rbio = t->wbio = NULL;
		ros_tls_free(t);
		return tb_errf(e, TB_ERR_NOMEM, "cannot create the TLS session");
	}
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	SSL_set_connect_state(t->ssl);
	rc = tls_setup_checks(t, o, e);
	if (rc == TB_OK && SSL_do_handshake(t->ssl) != 1 &&
	    SSL_get_error(t->ssl, -1) != SSL_ERROR_WANT_READ)
		rc = tls_error(t, e, "TLS start");
	if (rc != TB_OK) {
		ros_tls_free(t);
		return rc;
	}
	*out = t;
	return TB_OK;
}

void ros_tls_free(ros_tls *t)
{
	if (!t)
		return;
	SSL_free(t->ssl);
	tls_ctx_put();
	free(t);
}

bool ros_tls_ready(const ros_tls *t)
{
	return t->ready;
}

bool ros_tls_anonymous(const ros_tls *t)
{
	return t->ready && SSL_get0_peer_certificate(t->ssl) == NULL;
}

static tb_err tls_check_pin(ros_tls *t, tb_errctx *e)
{
	X509 *cert = SSL_get1_peer_certificate(t->ssl);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int ml = 0;
	bool ok;

	if (!cert)
		return tb_errf(e, TB_ERR_DENIED, "the router sent no certificate to match the pin");
	ok = X509_digest(cert, EVP_sha256(), md, &ml) == 1 && ml == sizeof t->pin &&
	     CRYPTO_memcmp(md, t->pin, sizeof t->pin) == 0;
	X509_free(cert);
	return ok ? TB_OK
		  : tb_errf(e, TB_ERR_DENIED, "certificate does not match the pinned fingerprint");
}

tb_err ros_tls_feed(ros_tls *t, const void *data, size_t len, ros_tls_sink sink, void *arg,
		    tb_errctx *e)
{
	unsigned char buf[16384];

	if (len && BIO_write(t->rbio, data, (int)len) != (int)len)
		return tb_errf(e, TB_ERR_NOMEM, "cannot buffer TLS input");
	if (!t->ready) {
		int r = SSL_do_handshake(t->ssl);
		if (r != 1) {
			int err = SSL_get_error(t->ssl, r);
			if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
				return TB_OK;
			return tls_error(t, e, "TLS handshake");
		}
		if (t->pinned && tls_check_pin(t, e) != TB_OK)
			return e->code;
		t->ready = true;
	}
	for (;;) {
		int n = SSL_read(t->ssl, buf, sizeof buf);
		if (n > 0) {
			tb_err rc = sink(arg, buf, (size_t)n);
			if (rc != TB_OK)
				return rc;
			continue;
		}
		int err = SSL_get_error(t->ssl, n);
		if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
			return TB_OK;
		if (err == SSL_ERROR_ZERO_RETURN)
			return tb_errf(e, TB_ERR_CLOSED, "the router closed the TLS session");
		return tls_error(t, e, "TLS read");
	}
}

tb_err ros_tls_write(ros_tls *t, const void *data, size_t len, tb_errctx *e)
{
	if (!t->ready)
		return tb_errf(e, TB_ERR_INTERNAL, "TLS write before the handshake");
	if (len && SSL_write(t->ssl, data, (int)len) != (int)len)
		return tls_error(t, e, "TLS write");
	return TB_OK;
}

size_t ros_tls_take(ros_tls *t, unsigned char *buf, size_t cap)
{
	int n = BIO_read(t->wbio, buf, (int)cap);
	return n > 0 ? (size_t)n : 0;
}

size_t ros_tls_pending(const ros_tls *t)
{
	return BIO_ctrl_pending(t->wbio);
}
