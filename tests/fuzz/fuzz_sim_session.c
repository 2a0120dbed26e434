/* fuzz_sim_session.c — libFuzzer target: arbitrary bytes into a logged-in routeros-sim session
 * (sentence reassembly, queries, add/set/remove, listen, tools, faults); nothing may crash or leak. */
#include <stddef.h>
#include <stdint.h>

#include "tools/routeros-sim/sim_session.h"
#include "transports/ros_word.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const sim_config cfg = {.routers = 1, .version = 716, .seed = 7, .user = "admin",
				       .password = "", .reboot_delay_ms = 0};
	sim_router r = {.index = 0, .cfg = &cfg};
	sim_session *s = sim_session_new(&r);
	tb_buf login;
	int64_t now = 1000;

	if (!s)
		return 0;
	tb_buf_init(&login, 0);
	if (ros_word_append_str(&login, "/login") == TB_OK &&
	    ros_word_append_str(&login, "=name=admin") == TB_OK &&
	    ros_word_append_str(&login, "=password=") == TB_OK && ros_sentence_end(&login) == TB_OK)
		sim_session_input(s, login.data, login.len);
	tb_buf_free(&login);
	/* the input in two pieces, to exercise reassembly across reads */
	sim_session_input(s, data, size / 2);
	sim_session_pump(s, now);
	sim_session_input(s, data + size / 2, size - size / 2);
	for (int i = 0; i < 8 && !s->drop_now; i++) {
		sim_session_pump(s, now);
		tb_buf_reset(&s->out);
		now += 500;
	}
	sim_session_free(s);
	sim_state_free(&r);
	return 0;
}
