/* tb_log.h — one-line log messages to stderr, with a level threshold; when stderr is the systemd
 * journal (JOURNAL_STREAM names it) each line carries the journal's "<N>" priority prefix instead of
 * a timestamp. Callers never pass secrets: passwords and keys are logged as "<set>" by the code
 * that knows them. */
#ifndef TB_LOG_H
#define TB_LOG_H

#include <stdbool.h>
#include <stdio.h>

typedef enum tb_log_level {
	TB_LOG_ERROR = 0,
	TB_LOG_WARN,
	TB_LOG_INFO,
	TB_LOG_DEBUG,
} tb_log_level;

/* Messages above this level are dropped. Default TB_LOG_INFO. */
void tb_log_set_level(tb_log_level level);
tb_log_level tb_log_get_level(void);

/* Parses "error", "warn", "info", "debug"; returns -1 for anything else. */
int tb_log_level_parse(const char *name);

/* Looks at the environment once: when JOURNAL_STREAM ("DEV:INODE", set by systemd for a service
 * whose stderr goes to the journal) names the file behind stderr, lines are written for journald:
 * "<3>message" (error), "<4>" (warn), "<6>" (info), "<7>" (debug), no timestamp (the journal has
 * its own). Otherwise "<ISO time> <LEVEL> message". Returns whether the journal format is on. */
bool tb_log_detect_journal(void);
/* Sets the format and the stream directly (tests); NULL stream: stderr. */
void tb_log_set_output(FILE *stream, bool journal);

/* Writes one line. Control characters inside the message (newlines too) are escaped as \xNN, so
 * one event is one line and a peer's text cannot forge another line. */
void tb_log(tb_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define tb_error(...) tb_log(TB_LOG_ERROR, __VA_ARGS__)
#define tb_warn(...) tb_log(TB_LOG_WARN, __VA_ARGS__)
#define tb_info(...) tb_log(TB_LOG_INFO, __VA_ARGS__)
#define tb_debug(...) tb_log(TB_LOG_DEBUG, __VA_ARGS__)

#endif
