/* fuzz_sim_import.c — libFuzzer target: any bytes as the .rsc file routeros-sim's /import runs
 * (menu lines, set lines, quotes and escapes, wrapped lines): a trap or !done, never a crash, an
 * overrun or a leak; every value it applies went through the menus' own validation. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/routeros-sim/sim_menus.h"
#include "tools/routeros-sim/sim_session.h"
#include "transports/ros_word.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void send_words(sim_session *s, const char *const *w, size_t n)
{
	tb_buf b;

	tb_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++)
		if (ros_word_append_str(&b, w[i]) != TB_OK)
			break;
	if (ros_sentence_end(&b) == TB_OK)
		sim_session_input(s, b.data, b.len);
	tb_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const sim_config cfg = {.routers = 1, .version = 716, .seed = 7, .user = "admin",
				       .password = "", .reboot_delay_ms = 0};
	static const char *const login[] = {"/login", "=name=admin", "=password="};
	static const char *const run[] = {"/import", "=file-name=f.rsc"};
	sim_router r = {.index = 0, .cfg = &cfg};
	sim_session *s = sim_session_new(&r);
	sim_table *files;
	sim_item *f;
	char *text;

	if (!s)
		return 0;
	if (!(text = malloc(size + 1)))
		goto out;
	memcpy(text, data, size);
	text[size] = '\0'; /* a NUL inside ends the file, as /file contents are text */
	send_words(s, login, 3);
	files = sim_router_table(&r, SIM_FILE);
	if (files && (f = sim_table_seed(files, "name=f.rsc", NULL)) &&
	    sim_item_set(files, f, "contents", text) == TB_OK) {
		send_words(s, run, 2);
		sim_session_pump(s, 1000);
	}
	free(text);
out:
	sim_session_free(s);
	sim_state_free(&r);
	return 0;
}
