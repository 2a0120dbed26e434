/* itest_metrics.h — scraping a running trbridge's /metrics for end-to-end tests: curl fetches it,
 * Python's prometheus_client parses it (tests/python/promcheck.py, which also checks the Grafana
 * dashboard's queries against it), and samples are read by name. */
#ifndef ITEST_METRICS_H
#define ITEST_METRICS_H

#include <stdbool.h>
#include <stddef.h>

/* GET http://127.0.0.1:port<path> with curl into body_path; the HTTP status (-1: curl failed). */
int itest_http_get(const char *dir, int port, const char *path, const char *body_path);
/* Scrapes /metrics on port into dir/metrics.txt and parses it; the parsed samples
 * (`name{labels} value` lines) go to out. false with the parser's complaint in out. */
bool itest_metrics_scrape(const char *dir, int port, char *out, size_t len);
/* The value of sample `key` (`name{label="v",...}` as promcheck prints it, `name{}` without
 * labels) in scraped samples; found is false (and 0 returned) when it is absent. */
double itest_metric(const char *samples, const char *key, bool *found);
/* The same, failing the test (with the samples) when it is absent. */
double itest_metric_need(const char *samples, const char *key);

#endif
