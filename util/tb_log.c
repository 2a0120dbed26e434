/* tb_log.c — the single log sink: one line per event, level-filtered, timestamped on a terminal or
 * file and with journald's priority prefix under systemd. Control characters are escaped. */
#include "util/tb_log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static tb_log_level log_level = TB_LOG_INFO;
static FILE *log_stream;  /* NULL: stderr */
static bool log_journal;  /* "<N>" prefixes, no timestamp */

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

void tb_log_set_output(FILE *stream, bool journal)
{
	log_stream = stream;
	log_journal = journal;
}

/* systemd sets JOURNAL_STREAM=<st_dev>:<st_ino> of the journal socket it hands as stdout/stderr
 * (systemd.exec(5)); a redirected stderr no longer matches it. */
bool tb_log_detect_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char tail;

	log_journal = false;
	if (v && sscanf(v, "%llu:%llu%c", &dev, &ino, &tail) == 2 &&
	    fstat(STDERR_FILENO, &st) == 0 && (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino)
		log_journal = true;
	return log_journal;
}

void tb_log(tb_log_level level, const char *fmt, ...)
{
	static const char *tags[] = {"ERROR", "WARN", "INFO", "DEBUG"};
	static const int syslog_prio[] = {3, 4, 6, 7}; /* LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG */
	FILE *out = log_stream ? log_stream : stderr;
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
	for (const char *p = msg; *p && o + 5 < sizeof line; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(line + o, sizeof line - o, "\\x%02x", c);
		} else {
			line[o++] = (char)c;
		}
	}
	line[o] = '\0';
	if (log_journal) {
		fprintf(out, "<%d>%s\n", syslog_prio[level], line);
		fflush(out);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out, "%s.%03ldZ %s %s\n", stamp, ts.tv_nsec / 1000000L, tags[level], line);
}
