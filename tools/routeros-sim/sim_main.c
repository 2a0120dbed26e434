/* sim_main.c — routeros-sim command line: N emulated MikroTik routers speaking the RouterOS API on
 * consecutive ports of one process, with versions, seeds, TLS and fault injection. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/routeros-sim/sim_loop.h"
#include "util/tb_log.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: routeros-sim --routers N --port P [options]\n"
		"  --routers N          number of emulated routers (router i listens on P+i)\n"
		"  --port P             first plain API port\n"
		"  --tls-port P2        first API-SSL port (needs --cert and --key)\n"
		"  --cert F --key F     PEM certificate chain and key for API-SSL\n"
		"  --user U             API user (default admin)\n"
		"  --password PW        its password (default empty)\n"
		"  --ros-version V      RouterOS version 6.x or 7.x (default 7.16), e.g. 6.40, 6.49,\n"
		"                       7.12, 7.16, 7.18\n"
		"  --model M            mixed (default: one per router from the seed), hap-ac2,\n"
		"                       hap-ax2, rb4011 or chr\n"
		"  --wifi PKG           auto (default: the model's), none, wireless, wifiwave2\n"
		"                       (before 7.13), wifi-qcom or wifi-qcom-ac (7.13 and later)\n"
		"  --factory-password PW  the admin password after a reset without keep-users\n"
		"  --ipv6-package S     enabled (default) or disabled: 6.x's ipv6 package\n"
		"  --seed S             seed of the per-router state (default 1)\n"
		"  --fault SPEC         drop:R, delay:R:MS, trap:R:/cmd[:N], fatal:R, clear:R\n"
		"                       (R a router index or *; repeatable)\n"
		"  --reboot-delay MS    outage after /system/reboot (default 3000)\n"
		"  --bind ADDR          listening address (default 127.0.0.1)\n"
		"  --log-level L        error, warn, info (default) or debug\n");
}

static bool parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* Is the combination of version, model and Wi-Fi package one RouterOS can run? */
static bool config_valid(const sim_config *c)
{
	if (c->model == SIM_MODEL_HAP_AX2 && c->version < 700)
		return false; /* 802.11ax needs RouterOS 7 */
	if (c->wifi == SIM_WIFI_WAVE2 && (c->version < 700 || c->version >= 713))
		return false;
	if ((c->wifi == SIM_WIFI_QCOM || c->wifi == SIM_WIFI_QCOM_AC) && c->version < 713)
		return false;
	return true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"routers", required_argument, NULL, 'n'}, {"port", required_argument, NULL, 'p'},
		{"tls-port", required_argument, NULL, 't'}, {"cert", required_argument, NULL, 'c'},
		{"key", required_argument, NULL, 'k'}, {"user", required_argument, NULL, 'u'},
		{"password", required_argument, NULL, 'w'}, {"ros-version", required_argument, NULL, 'v'},
		{"seed", required_argument, NULL, 's'}, {"fault", required_argument, NULL, 'f'},
		{"reboot-delay", required_argument, NULL, 'r'}, {"bind", required_argument, NULL, 'b'},
		{"log-level", required_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'},
		{"model", required_argument, NULL, 'm'}, {"wifi", required_argument, NULL, 'W'},
		{"factory-password", required_argument, NULL, 'F'},
		{"ipv6-package", required_argument, NULL, '6'},
		{NULL, 0, NULL, 0}};
	sim_config cfg = {.routers = 1, .bind = "127.0.0.1", .user = "admin", .password = "",
			  .version = 716, .seed = 1, .reboot_delay_ms = 3000};
	sim_fault_spec faults[64];
	size_t nfaults = 0;
	sim_loop *loop;
	tb_errctx e;
	long v;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (!parse_int(optarg, 1, 60000, &v))
				goto bad;
			cfg.routers = (int)v;
			break;
		case 'p':
		case 't':
			if (!parse_int(optarg, 1, 65535, &v))
				goto bad;
			*(opt == 'p' ? &cfg.port : &cfg.tls_port) = (int)v;
			break;
		case 'c':
			cfg.cert = optarg;
			break;
		case 'k':
			cfg.key = optarg;
			break;
		case 'u':
			cfg.user = optarg;
			break;
		case 'w':
			cfg.password = optarg;
			break;
		case 'v':
			if (!sim_version_parse(optarg, &cfg.version))
				goto bad;
			break;
		case 'm':
			if (sim_model_parse(optarg) < 0)
				goto bad;
			cfg.model = (sim_model_id)sim_model_parse(optarg);
			break;
		case 'W':
			if (sim_wifi_parse(optarg) < 0)
				goto bad;
			cfg.wifi = (sim_wifi_pkg)sim_wifi_parse(optarg);
			break;
		case 'F':
			cfg.factory_password = optarg;
			break;
		case '6':
			if (strcmp(optarg, "enabled") && strcmp(optarg, "disabled"))
				goto bad;
			cfg.ipv6_disabled = !strcmp(optarg, "disabled");
			break;
		case 's':
			cfg.seed = strtoull(optarg, NULL, 0);
			break;
		case 'f':
			if (nfaults == sizeof faults / sizeof faults[0] ||
			    sim_fault_parse(optarg, &faults[nfaults], &e) != TB_OK) {
				fprintf(stderr, "routeros-sim: %s\n",
					nfaults == 64 ? "too many --fault options" : e.msg);
				return 2;
			}
			nfaults++;
			break;
		case 'r':
			if (!parse_int(optarg, 0, 3600000, &v))
				goto bad;
			cfg.reboot_delay_ms = (int)v;
			break;
		case 'b':
			cfg.bind = optarg;
			break;
		case 'l':
			if (tb_log_level_parse(optarg) < 0)
				goto bad;
			tb_log_set_level((tb_log_level)tb_log_level_parse(optarg));
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (!cfg.port || optind != argc || (cfg.tls_port && (!cfg.cert || !cfg.key)) ||
	    !config_valid(&cfg) ||
	    cfg.port + cfg.routers - 1 > 65535 ||
	    (cfg.tls_port && cfg.tls_port + cfg.routers - 1 > 65535))
		goto bad;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (sim_loop_create(&loop, &cfg, &e) != TB_OK) {
		fprintf(stderr, "routeros-sim: %s\n", e.msg);
		return 1;
	}
	for (size_t i = 0; i < nfaults; i++)
		sim_loop_fault(loop, &faults[i]);
	tb_info("routeros-sim: %d routers (RouterOS %d.%02d) on %s:%d%s", cfg.routers,
		cfg.version / 100, cfg.version % 100, cfg.bind, cfg.port,
		cfg.tls_port ? " + API-SSL" : "");
	if (sim_loop_run(loop, &stop_flag, &e) != TB_OK) {
		fprintf(stderr, "routeros-sim: %s\n", e.msg);
		sim_loop_free(loop);
		return 1;
	}
	sim_loop_free(loop);
	return 0;
bad:
	usage(stderr);
	return 2;
}
