/* fuzz_ros_reply.c — libFuzzer target for the RouterOS reply decoder: arbitrary bytes fed to a
 * ros_conn (logged in with three commands in flight, or still logging in), in fuzzer-chosen pieces. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "transports/ros_conn.h"

static void on_reply(void *arg, const ros_reply *r, const tb_errctx *err)
{
	ros_conn *c = arg;
	static const char *const next[] = {"/next", "=a=b"};

	(void)err;
	if (!r)
		return;
	for (size_t i = 0; i < r->n_attrs; i++) /* touch every attribute byte */
		if (r->attrs[i].name_len && r->attrs[i].name[0] == 'x' && r->attrs[i].value_len)
			(void)ros_conn_command(c, next, 2, on_reply, c, NULL);
	if (r->type == ROS_REPLY_TRAP && r->category == 2)
		(void)ros_conn_cancel(c, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char login_ok[] = {5, '!', 'd', 'o', 'n', 'e', 0};
	static const char *const cmd[] = {"/interface/print"};
	ros_conn_cfg cfg = {.user = "admin", .password = "pw", .max_sentence = 8192, .max_words = 128};
	ros_conn *c;
	size_t len;

	if (size < 1 || ros_conn_new(&cfg, NULL, &c) != TB_OK)
		return 0;
	if (ros_conn_start(c) != TB_OK)
		goto out;
	if (data[0] & 1) {
		/* logged in, three commands pending (tags 1, 2, 3) */
		if (ros_conn_feed(c, login_ok, sizeof login_ok) != TB_OK)
			goto out;
		for (int i = 0; i < 3; i++)
			(void)ros_conn_command(c, cmd, 1, on_reply, c, NULL);
	}
	/* the first byte also picks the piece size, so reassembly across reads is exercised */
	size_t piece = (size_t)(data[0] >> 1) + 1;
	for (size_t off = 1; off < size; off += piece) {
		size_t n = size - off < piece ? size - off : piece;
		if (ros_conn_feed(c, data + off, n) != TB_OK)
			break;
		ros_conn_out(c, &len);
		ros_conn_sent(c, len);
	}
out:
	ros_conn_free(c);
	return 0;
}
