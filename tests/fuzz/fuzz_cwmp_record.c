/* fuzz_cwmp_record.c — libFuzzer target: a CPE's record in the state store ("cwmp-<router>",
 * bridge/cwmp/cwmp_store.c) read back from any bytes: refused or taken, never a crash, never more
 * than its caps; what was taken saves again. The CPE starts anew for every input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/cwmp/cwmp_priv.h"
#include "util/tb_log.h"

static tb_loop *loop;
static tb_config *cfg;
static cwmp_front *front;
static dm_tree *tree;

static const char conf[] = "[acs]\nurl = http://127.0.0.1:9/acs\nconnection_request_port = 0\n"
			   "[router r1]\naddress = 127.0.0.1\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	tb_errctx e;

	(void)argc;
	(void)argv;
	tb_log_set_level(TB_LOG_ERROR);
	if (tb_loop_new(NULL, &loop) != TB_OK ||
	    tb_config_parse_buffer("f.conf", conf, strlen(conf), &cfg, &e, NULL) != TB_OK ||
	    cwmp_front_new(loop, cfg, 1, &front, &e) != TB_OK || !(tree = dm_tree_new()))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *text = malloc(len + 1);
	cwmp_cpe_env env;
	cwmp_cpe *cpe;
	tb_errctx e;
	tb_buf out;

	if (!text)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	memset(&env, 0, sizeof env);
	env.loop = loop;
	env.cfg = cfg;
	env.router = &cfg->routers[0];
	env.tree = tree;
	env.front = front;
	if (cwmp_cpe_new(&env, &cpe, &e) != TB_OK)
		abort();
	if (cwmp_store_parse(cpe, text, &e) == TB_OK) {
		tb_buf_init(&out, 0);
		if (cwmp_evq_save(&cpe->events, &out) != TB_OK ||
		    cwmp_attrs_save(cpe->attrs, &out) != TB_OK ||
		    cwmp_transfer_save(cpe, &out) != TB_OK)
			abort();
		tb_buf_free(&out);
	}
	cwmp_cpe_free(cpe);
	free(text);
	return 0;
}
