/* itest_metrics.c — /metrics scraped with curl and parsed by prometheus_client (see
 * itest_metrics.h). */
#include "itest_metrics.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest_bridge.h"
#include "itest_util.h"

int itest_http_get(const char *dir, int port, const char *path, const char *body_path)
{
	char url[256], log[512], code[16];
	char *argv[] = {"/usr/bin/curl", "-sS", "-o", (char *)body_path, "-w", "%{http_code}", url, NULL};

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	snprintf(log, sizeof log, "%s/curl.out", dir);
	if (itest_run(argv, log) != 0 || itest_read_file(log, code, sizeof code) <= 0)
		return -1;
	return atoi(code);
}

bool itest_metrics_scrape(const char *dir, int port, char *out, size_t len)
{
	char body[512], parsed[512];
	char *argv[] = {"/usr/bin/python3", TB_SOURCE_DIR "/tests/python/promcheck.py", body,
			"--dashboard", TB_SOURCE_DIR "/examples/grafana-dashboard.json", NULL};

	snprintf(body, sizeof body, "%s/metrics.txt", dir);
	snprintf(parsed, sizeof parsed, "%s/metrics.parsed", dir);
	if (itest_http_get(dir, port, "/metrics", body) != 200) {
		snprintf(out, len, "GET /metrics failed");
		return false;
	}
	if (itest_run(argv, parsed) != 0) {
		itest_read_file(parsed, out, len);
		return false;
	}
	return itest_read_file(parsed, out, len) > 0;
}

double itest_metric(const char *samples, const char *key, bool *found)
{
	size_t n = strlen(key);
	const char *p = samples;

	while (p && *p) {
		if (strncmp(p, key, n) == 0 && p[n] == ' ') {
			if (found)
				*found = true;
			return strtod(p + n + 1, NULL);
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (found)
		*found = false;
	return 0;
}

double itest_metric_need(const char *samples, const char *key)
{
	bool found;
	double v = itest_metric(samples, key, &found);
	if (!found)
		fail_msg("no sample %s in:\n%s", key, samples);
	return v;
}
