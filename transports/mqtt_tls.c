/* mqtt_tls.c — the TLS contexts of the MQTT clients: one SSL_CTX per distinct (CA, client certificate,
 * verification) set, shared by every client that uses it (10,000 per-router connections load the CA
 * once), TLS 1.2 or later, and the broker's host name checked against its certificate. */
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "transports/mqtt_internal.h"
#include "util/tb_log.h"

struct mqtt_tls {
	mqtt_tls *next;
	unsigned refs;
	char *ca_file, *cert_file, *key_file; /* owned copies, NULL when unset */
	bool insecure;
	SSL_CTX *ctx;
};

static mqtt_tls *contexts; /* loop thread only */
static const char *server_name; /* loop thread only: set around one libmosquitto connect call */

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool is_ip(const char *s)
{
	unsigned char buf[16];
	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* libmosquitto names the host it was given (our looked-up address) in the SNI extension; the
 * handshake it starts inside its connect call names the broker's host name instead. A handshake
 * starts before the ClientHello is built, so the name set here is the one sent. */
void mqtt_tls_server_name(const char *host)
{
	server_name = host;
}

static void info_cb(const SSL *ssl, int where, int ret)
{
	(void)ret;
	if ((where & SSL_CB_HANDSHAKE_START) && server_name)
		SSL_set_tlsext_host_name((SSL *)ssl, server_name); /* ours to change: libmosquitto's SSL */
}

/* OpenSSL checks the chain; at the leaf we check that it names the host we connect to, which is
 * where the SNI extension (above) holds it. */
static int verify_cb(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	X509 *cert = X509_STORE_CTX_get_current_cert(x);
	const char *host;

	if (!ok || X509_STORE_CTX_get_error_depth(x) != 0)
		return ok;
	host = ssl ? SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) : NULL;
	if (host && cert &&
	    (is_ip(host) ? X509_check_ip_asc(cert, host, 0) : X509_check_host(cert, host, 0, 0, NULL)) == 1)
		return 1;
	X509_STORE_CTX_set_error(x, X509_V_ERR_HOSTNAME_MISMATCH);
	return 0;
}

const char *mqtt_tls_verify_error(void *ssl)
{
	long r = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
	return r == X509_V_OK ? NULL : X509_verify_cert_error_string(r);
}

static tb_err tls_setup(mqtt_tls *t, tb_errctx *e)
{
	t->ctx = SSL_CTX_new(TLS_client_method());
	if (!t->ctx)
		return tb_errf(e, TB_ERR_NOMEM, "mqtt: cannot create a TLS context");
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION); /* R-MQTT.48 */
	SSL_CTX_set_mode(t->ctx, SSL_MODE_RELEASE_BUFFERS);   /* less memory per idle connection */
	SSL_CTX_set_info_callback(t->ctx, info_cb);
	if (t->insecure) {
		SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL);
	} else {
		SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, verify_cb);
		if (t->ca_file ? SSL_CTX_load_verify_locations(t->ctx, t->ca_file, NULL) != 1
			       : SSL_CTX_set_default_verify_paths(t->ctx) != 1)
			return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: cannot load the CA certificates %s",
				       t->ca_file ? t->ca_file : "of the system store");
	}
	if (t->cert_file &&
	    (SSL_CTX_use_certificate_chain_file(t->ctx, t->cert_file) != 1 ||
	     SSL_CTX_use_PrivateKey_file(t->ctx, t->key_file ? t->key_file : t->cert_file,
					 SSL_FILETYPE_PEM) != 1 ||
	     SSL_CTX_check_private_key(t->ctx) != 1))
		return tb_errf(e, TB_ERR_INVALID_ARG, "mqtt: cannot use the client certificate %s",
			       t->cert_file);
	return TB_OK;
}

static void tls_free(mqtt_tls *t)
{
	SSL_CTX_free(t->ctx);
	free(t->ca_file);
	free(t->cert_file);
	free(t->key_file);
	free(t);
}

static char *dup_or_null(const char *s, bool *fail)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*fail = true;
	return d;
}

tb_err mqtt_tls_get(const char *ca_file, const char *cert_file, const char *key_file, bool insecure,
		    mqtt_tls **out, tb_errctx *e)
{
	bool fail = false;
	mqtt_tls *t;
	tb_err rc;

	for (t = contexts; t; t = t->next)
		if (t->insecure == insecure && same(t->ca_file, ca_file) && same(t->cert_file, cert_file) &&
		    same(t->key_file, key_file)) {
			t->refs++;
			*out = t;
			return TB_OK;
		}
	*out = NULL;
	t = calloc(1, sizeof *t);
	if (!t)
		return tb_errf(e, TB_ERR_NOMEM, "mqtt: out of memory");
	t->ca_file = dup_or_null(ca_file, &fail);
	t->cert_file = dup_or_null(cert_file, &fail);
	t->key_file = dup_or_null(key_file, &fail);
	t->insecure = insecure;
	rc = fail ? tb_errf(e, TB_ERR_NOMEM, "mqtt: out of memory") : tls_setup(t, e);
	if (rc != TB_OK) {
		ERR_clear_error();
		tls_free(t);
		return rc;
	}
	t->refs = 1;
	t->next = contexts;
	contexts = t;
	*out = t;
	return TB_OK;
}

SSL_CTX *mqtt_tls_ctx(mqtt_tls *t)
{
	return t->ctx;
}

void mqtt_tls_put(mqtt_tls *t)
{
	mqtt_tls **p;

	if (!t || --t->refs > 0)
		return;
	for (p = &contexts; *p && *p != t; p = &(*p)->next)
		;
	if (*p)
		*p = t->next;
	tls_free(t);
}
