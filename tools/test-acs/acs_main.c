/* acs_main.c — trbridge-test-acs: runs the test ACS on a loopback port with a script of RPCs (one
 * per line), prints every CPE message of each session readably, exits after --sessions sessions.
 * Script lines:  GetRPCMethods | GetParameterValues NAME... | GetParameterNames PATH 0|1 |
 *   SetParameterValues NAME TYPE VALUE (TYPE: string int unsignedInt boolean dateTime ...) |
 *   SetParameterAttributes NAME 0|1|2 (its Notification) |
 *   AddObject OBJ. | DeleteObject OBJ.N. | Reboot [KEY] | FactoryReset | ScheduleInform SECONDS
 *   Lines starting with # are comments. Optional --cr URL sends one Connection Request first. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/test-acs/acs.h"

#define MAX_WORDS 64

static cwmp_type type_named(const char *t)
{
	for (int i = CWMP_T_STRING; i < CWMP_T_OTHER; i++)
		if (strcmp(cwmp_type_name((cwmp_type)i) + 4, t) == 0)
			return (cwmp_type)i;
	return CWMP_T_NONE;
}

/* Queues the RPC of one script line; false (with a message) when it does not parse. */
static bool queue_line(acs *a, char *line, int lineno)
{
	char *w[MAX_WORDS], *save = NULL;
	int n = 0;
	cwmp_msg m;
	cwmp_param_value pv;
	cwmp_set_attr sa;
	tb_errctx e;
	const char *verb;

	for (char *t = strtok_r(line, " \t\r\n", &save); t && n < MAX_WORDS; t = strtok_r(NULL, " \t\r\n", &save))
		w[n++] = t;
	if (n == 0 || w[0][0] == '#')
		return true;
	verb = w[0];
	cwmp_msg_init(&m, CWMP_M_UNKNOWN);
	if (!strcmp(verb, "GetRPCMethods") && n == 1) {
		m.method = CWMP_M_GET_RPC_METHODS;
	} else if (!strcmp(verb, "GetParameterValues") && n >= 2) {
		m.method = CWMP_M_GET_PARAMETER_VALUES;
		m.u.names = (cwmp_strings){ (size_t)n - 1, (const char **)&w[1] };
	} else if (!strcmp(verb, "GetParameterNames") && n == 3) {
		m.method = CWMP_M_GET_PARAMETER_NAMES;
		m.u.gpn.path = strcmp(w[1], "\"\"") ? w[1] : "";
		m.u.gpn.next_level = !strcmp(w[2], "1") || !strcmp(w[2], "true");
	} else if (!strcmp(verb, "SetParameterValues") && n >= 4 && type_named(w[2]) != CWMP_T_NONE) {
		m.method = CWMP_M_SET_PARAMETER_VALUES;
		pv = (cwmp_param_value){ w[1], w[3], type_named(w[2]) };
		m.u.spv.params = (cwmp_param_values){ 1, &pv };
		m.u.spv.parameter_key = "trbridge-test-acs";
	} else if (!strcmp(verb, "SetParameterAttributes") && n == 3 && w[2][0] >= '0' &&
		   w[2][0] <= '2' && !w[2][1]) {
		m.method = CWMP_M_SET_PARAMETER_ATTRIBUTES;
		sa = (cwmp_set_attr){.name = w[1], .notification_change = true,
				     .notification = w[2][0] - '0'};
		m.u.set_attrs.n = 1;
		m.u.set_attrs.v = &sa;
	} else if ((!strcmp(verb, "AddObject") || !strcmp(verb, "DeleteObject")) && n == 2) {
		m.method = verb[0] == 'A' ? CWMP_M_ADD_OBJECT : CWMP_M_DELETE_OBJECT;
		m.u.object.object_name = w[1];
		m.u.object.parameter_key = "trbridge-test-acs";
	} else if (!strcmp(verb, "Reboot") && n <= 2) {
		m.method = CWMP_M_REBOOT;
		m.u.command_key = n == 2 ? w[1] : "";
	} else if (!strcmp(verb, "FactoryReset") && n == 1) {
		m.method = CWMP_M_FACTORY_RESET;
	} else if (!strcmp(verb, "ScheduleInform") && n == 2) {
		m.method = CWMP_M_SCHEDULE_INFORM;
		m.u.schedule_inform.delay_seconds = (uint32_t)strtoul(w[1], NULL, 10);
	} else {
		fprintf(stderr, "trbridge-test-acs: script line %d: cannot read \"%s\"\n", lineno, verb);
		return false;
	}
	if (acs_add_rpc(a, &m, &e) != TB_OK) {
		fprintf(stderr, "trbridge-test-acs: script line %d: %s\n", lineno, e.msg);
		return false;
	}
	return true;
}

static void usage(void)
{
	fprintf(stderr, "usage: trbridge-test-acs [--port N] [--script FILE] [--sessions N] [--timeout SECONDS]\n"
			"         [--digest USER:PASSWORD] [--cr URL --cr-auth USER:PASSWORD]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },    { "script", required_argument, NULL, 's' },
		{ "sessions", required_argument, NULL, 'n' }, { "timeout", required_argument, NULL, 't' },
		{ "digest", required_argument, NULL, 'd' },  { "cr", required_argument, NULL, 'c' },
		{ "cr-auth", required_argument, NULL, 'a' }, { NULL, 0, NULL, 0 },
	};
	acs_config cfg = { 0 };
	const char *script = NULL, *cr = NULL;
	char *cr_user = "", *cr_pass = "";
	int sessions = 1, timeout = 60, o, rc = 0;
	tb_errctx e;
	acs *a;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *colon = optarg ? strchr(optarg, ':') : NULL;
		switch (o) {
		case 'p': cfg.port = atoi(optarg); break;
		case 's': script = optarg; break;
		case 'n': sessions = atoi(optarg); break;
		case 't': timeout = atoi(optarg); break;
		case 'd':
			if (!colon)
				return usage(), 2;
			*colon = '\0';
			cfg.auth = ACS_AUTH_DIGEST;
			cfg.username = optarg;
			cfg.password = colon + 1;
			break;
		case 'c': cr = optarg; break;
		case 'a':
			if (!colon)
				return usage(), 2;
			*colon = '\0';
			cr_user = optarg;
			cr_pass = colon + 1;
			break;
		default: return usage(), 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (!(a = acs_start(&cfg, &e))) {
		fprintf(stderr, "trbridge-test-acs: %s\n", e.msg);
		return 1;
	}
	printf("trbridge-test-acs: listening on %s\n", acs_url(a));
	fflush(stdout);
	if (script) {
		FILE *f = fopen(script, "r");
		char line[4096];
		int n = 0;
		if (!f) {
			perror(script);
			acs_stop(a);
			return 1;
		}
		while (fgets(line, sizeof line, f))
			if (!queue_line(a, line, ++n))
				rc = 2;
		fclose(f);
	}
	if (rc == 0 && cr) {
		int st = acs_connection_request(cr, cr_user, cr_pass, 10000, &e);
		printf("Connection Request to %s: %s%d\n", cr, st < 0 ? e.msg : "HTTP ", st);
	}
	size_t shown = 0;
	for (int done = 0; rc == 0 && done < sessions;) {
		bool ended = acs_wait_sessions(a, done + 1, timeout * 1000);
		for (size_t n = acs_record_count(a); shown < n; shown++)
			acs_print_record(acs_record_at(a, shown), stdout);
		fflush(stdout);
		if (!ended) {
			fprintf(stderr, "trbridge-test-acs: no session ended within %d s\n", timeout);
			rc = 1;
		}
		done++;
	}
	size_t broken = acs_findings_total(a);
	printf("trbridge-test-acs: %d session(s) completed, %zu rule(s) broken\n", acs_sessions_completed(a), broken);
	acs_stop(a);
	return rc ? rc : broken ? 3 : 0;
}
