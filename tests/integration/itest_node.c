/* itest_node.c — runs the Node test peers of tests/node/ and makes test certificates (see
 * itest_node.h). */
#include "itest_node.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest_util.h"

pid_t itest_node_start(const char *script, const char *out_path, char *const args[])
{
	char path[512], ws[512];
	char *argv[40];
	int n = 0;
	struct stat st;

	snprintf(path, sizeof path, "%s/tests/node/%s", TB_SOURCE_DIR, script);
	snprintf(ws, sizeof ws, "%s/tests/node/node_modules/ws/package.json", TB_SOURCE_DIR);
	if (stat(ws, &st) != 0)
		fail_msg("the npm package ws is not installed in tests/node: run scripts/deps.sh");
	argv[n++] = "/usr/bin/env";
	argv[n++] = "node";
	argv[n++] = path;
	for (int i = 0; args && args[i] && n < 39; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return itest_spawn(argv, out_path);
}

int itest_wait_exit(pid_t pid, int timeout_ms)
{
	int status;

	for (int waited = 0; waited < timeout_ms; waited += 20) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static bool run_openssl(const char *dir, char *const argv[])
{
	char log[512];
	int status;
	pid_t pid;

	snprintf(log, sizeof log, "%s/openssl.log", dir);
	pid = itest_spawn(argv, log);
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status);
}

bool itest_make_ca(const char *dir, const char *ca)
{
	char cert[512], key[512], subj[128];

	snprintf(cert, sizeof cert, "%s/%s.pem", dir, ca);
	snprintf(key, sizeof key, "%s/%s.key", dir, ca);
	snprintf(subj, sizeof subj, "/CN=%s", ca);
	{
		char *argv[] = {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
				"-days", "2", "-subj", subj, "-keyout", key, "-out", cert, NULL};
		return run_openssl(dir, argv);
	}
}

bool itest_make_signed_cert(const char *dir, const char *ca, const char *name, const char *san)
{
	char cert[512], key[512], csr[512], ext[512], ca_cert[512], ca_key[512], subj[128];
	FILE *f;

	snprintf(cert, sizeof cert, "%s/%s.pem", dir, name);
	snprintf(key, sizeof key, "%s/%s.key", dir, name);
	snprintf(csr, sizeof csr, "%s/%s.csr", dir, name);
	snprintf(ext, sizeof ext, "%s/%s.ext", dir, name);
	snprintf(ca_cert, sizeof ca_cert, "%s/%s.pem", dir, ca);
	snprintf(ca_key, sizeof ca_key, "%s/%s.key", dir, ca);
	snprintf(subj, sizeof subj, "/CN=%s", name);
	f = fopen(ext, "w");
	if (!f)
		return false;
	fprintf(f, "subjectAltName=%s\n", san);
	fclose(f);
	{
		char *req[] = {"/usr/bin/openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", subj,
			       "-keyout", key, "-out", csr, NULL};
		char *sign[] = {"/usr/bin/openssl", "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey",
				ca_key, "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", cert,
				NULL};
		return run_openssl(dir, req) && run_openssl(dir, sign);
	}
}
