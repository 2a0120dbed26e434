/* sim_session.h — one RouterOS API session of routeros-sim: input reassembly, login (plain and
 * the pre-6.43 MD5 challenge), command dispatch with tags, and long-running commands (listen,
 * follow, ping, traceroute, fetch) that end with /cancel. */
#ifndef SIM_SESSION_H
#define SIM_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/routeros-sim/sim.h"
#include "tools/routeros-sim/sim_query.h"
#include "transports/ros_word.h"

#define SIM_MAX_SENTENCE (64 * 1024)
#define SIM_MAX_WORDS 512
#define SIM_MAX_OUTPUT (8 * 1024 * 1024)

typedef enum sim_cmd_kind { SIM_CMD_LISTEN, SIM_CMD_PING, SIM_CMD_TRACE, SIM_CMD_FETCH } sim_cmd_kind;

/* A command that keeps running after its first reply. */
typedef struct sim_cmd {
	struct sim_cmd *next;
	char *tag;       /* NULL when the command had none */
	sim_cmd_kind kind;
	int menu;        /* SIM_CMD_LISTEN: the menu watched */
	char *proplist;  /* NULL: every property */
	sim_query query;
	int64_t next_ms; /* when the next row is due */
	int interval_ms;
	unsigned step, count; /* rows sent so far; count 0 = until cancelled */
	unsigned received;    /* ping: replies so far */
	uint64_t rtt_sum_us, rtt_min_us, rtt_max_us;
	unsigned total;  /* fetch: size in KiB */
	char *arg;       /* ping/traceroute address, fetch url */
	char *file;      /* fetch: the file it writes (dst-path, else the url's last part) */
	bool keep;       /* fetch: with a dst-path, the finished file is listed in /file */
	bool to_user;    /* fetch: output=user, the finished row carries the text in "data" */
	struct sim_upload *upload; /* fetch upload=yes: the HTTP request under way */
	bool finished;   /* ends with !done at the next pump */
} sim_cmd;

typedef struct sim_session {
	sim_router *router;
	struct sim_session *next_in_router;
	ros_reader reader;
	tb_buf out;             /* bytes waiting to be written */
	bool logged_in;
	bool challenged;        /* pre-6.43 login: a challenge was handed out */
	unsigned char challenge[16];
	sim_cmd *cmds;
	ros_sentence held;      /* delay fault: the command read and waiting until busy_until_ms */
	bool holding;
	int64_t busy_until_ms;
	bool close_after_flush; /* !fatal was sent */
	bool drop_now;          /* close without flushing (reboot, drop fault, protocol error) */
	void *conn;             /* the loop's connection carrying it */
} sim_session;

/* A new session on r (linked into r->sessions); NULL on NOMEM. */
sim_session *sim_session_new(sim_router *r);
void sim_session_free(sim_session *s);
/* Takes received bytes; a protocol error marks the session for closing. */
void sim_session_input(sim_session *s, const void *data, size_t len);
/* Processes whole sentences and due rows of running commands. */
void sim_session_pump(sim_session *s, int64_t now_ms);
/* Whether the session has work that comes due with time (a held command, a running ping,
 * traceroute or fetch), so the loop's tick must pump it. */
bool sim_session_timed(const sim_session *s);

/* sim_commands.c: the menu commands (print/getall/listen/add/set/remove/enable/disable).
 * Returns false when `cmd` is not a command of menu `menu`. */
bool sim_commands_run(sim_session *s, int menu, const char *cmd, const ros_sentence *sn,
		      const char *tag);
/* Sends the current state of an item (or its death) to every matching listen of s. */
void sim_commands_notify(sim_session *s, int menu, const sim_item *it, bool dead);
/* set on one item (the "=prop=value" words of sn, or disabled="true"/"false" when not NULL),
 * with the change raised to listeners and sync; false with *trap when refused. */
bool sim_commands_set_item(sim_router *r, int menu, sim_item *it, const ros_sentence *sn,
			   const char *disabled, sim_trap *trap);
/* /import =file-name=F: runs the lines of a file in /file (sim_import.c). */
void sim_import_run(sim_session *s, const ros_sentence *sn, const char *tag);
/* /export =file=F: the configuration as F.rsc in /file (sim_export.c). */
void sim_export_run(sim_session *s, const ros_sentence *sn, const char *tag);

/* sim_tools.c: /ping, /tool/traceroute, /tool/fetch. Returns false when word is not a tool. */
/* /system/package/apply-changes (7.18 on) and /system/routerboard/upgrade; false: not one. */
bool sim_packages_command(sim_session *s, const char *word, const ros_sentence *sn,
			  const char *tag);
bool sim_tools_start(sim_session *s, const char *word, const ros_sentence *sn, const char *tag,
		     int64_t now_ms);
/* Emits the rows due at now_ms; sets c->finished after the last one. */
void sim_tools_step(sim_session *s, sim_cmd *c, int64_t now_ms);

/* Session helpers shared by the files above. */
sim_cmd *sim_session_add_cmd(sim_session *s, sim_cmd_kind kind, const char *tag);
void sim_cmd_free(sim_cmd *c);
/* The two traps RouterOS gives for an unknown command path, then !done. */
void sim_session_no_such_command(sim_session *s, const char *word, const char *tag);

#endif
