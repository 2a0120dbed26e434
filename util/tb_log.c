/* tb_log.c — the single log sink: one line per event, timestamped, level-filtered.
 * Control characters in messages are escaped so a peer cannot forge log lines. */
#include "util/tb_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static tb_log_level log_level = TB_LOG_INFO;

void tb_log_set_level(tb_log_level level)
{
	log_level = level;
}

tb_log_level tb_log_get_level(void)
{
	return log_level;
}

int tb_log_level_parse(const char *name)
{
	static const char *names[] = {"error", "warn", "info", "debug"};
	for (int i = 0; i < 4; i++)
		if (strcasecmp(name, names[i]) == 0)
			return i;
	return -1;
}

void tb_log(tb_log_level level, const char *fmt, ...)
{
	static const char *tags[] = {"ERROR", "WARN", "INFO", "DEBUG"};
	char msg[1024];
	char line[1100];
	char stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t o = 0;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	for (const char *p = msg; *p && o + 4 < sizeof line; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(line + o, sizeof line - o, "\\x%02x", c);
		} else {
			line[o++] = (char)c;
		}
	}
	line[o] = '\0';
	fprintf(stderr, "%s.%03ldZ %s %s\n", stamp, ts.tv_nsec / 1000000L, tags[level], line);
}
