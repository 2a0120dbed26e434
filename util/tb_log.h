/* tb_log.h — one-line log messages to stderr (or syslog-style file), with a level threshold.
 * Callers never pass secrets: passwords and keys are logged as "<set>" by the code that knows them. */
#ifndef TB_LOG_H
#define TB_LOG_H

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

/* Writes one line: "<ISO time> <level> <message>\n". Newlines inside the message are replaced. */
void tb_log(tb_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define tb_error(...) tb_log(TB_LOG_ERROR, __VA_ARGS__)
#define tb_warn(...) tb_log(TB_LOG_WARN, __VA_ARGS__)
#define tb_info(...) tb_log(TB_LOG_INFO, __VA_ARGS__)
#define tb_debug(...) tb_log(TB_LOG_DEBUG, __VA_ARGS__)

#endif
