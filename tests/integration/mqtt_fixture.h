/* mqtt_fixture.h — what the MQTT client tests share: our side of the MTP (an "agent" that counts
 * ups, downs and messages, with the loop conditions on them) and an MQTT packet reader for the
 * scripted brokers. Include after cmocka.h. */
#ifndef MQTT_FIXTURE_H
#define MQTT_FIXTURE_H

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "transports/mqtt_client.h"
#include "transports/tb_loop.h"

#define AGENT_EID "os::00AABB-SN0001"

/* ---- our side: what the engine saw ---- */

typedef struct agent {
	int ups, downs, msgs;
	char topic[256], reply_to[256], content_type[64];
	unsigned char last[256];
	size_t last_len;
	const char *connect_record_to; /* published from the up callback, if set */
} agent;

static inline void a_up(void *user, tb_mtp *m)
{
	agent *a = user;
	a->ups++;
	if (a->connect_record_to)
		assert_int_equal(tb_mtp_send(m, a->connect_record_to, (const unsigned char *)"CONNECT", 7),
				 TB_OK);
}

static inline void a_down(void *user, tb_mtp *m)
{
	(void)m;
	((agent *)user)->downs++;
}

static inline void a_recv(void *user, tb_mtp *from, const tb_mtp_rx *rx)
{
	agent *a = user;
	(void)from;
	a->msgs++;
	snprintf(a->topic, sizeof a->topic, "%s", rx->topic ? rx->topic : "");
	snprintf(a->reply_to, sizeof a->reply_to, "%s", rx->reply_to ? rx->reply_to : "");
	snprintf(a->content_type, sizeof a->content_type, "%s", rx->content_type ? rx->content_type : "");
	a->last_len = rx->len < sizeof a->last ? rx->len : sizeof a->last;
	memcpy(a->last, rx->bytes, a->last_len);
}

static inline bool agent_up(void *arg)
{
	return ((agent *)arg)->ups > 0;
}

static inline bool agent_got(void *arg)
{
	return ((agent *)arg)->msgs > 0;
}

static inline bool never(void *arg)
{
	(void)arg;
	return false;
}

/* Reads one MQTT packet (fixed header + remaining length) into buf; returns its length or 0. */
static inline size_t read_packet(int fd, unsigned char *buf, size_t cap)
{
	size_t n = 0, rem = 0, mult = 1, hdr;

	if (recv(fd, buf, 1, MSG_WAITALL) != 1)
		return 0;
	n = 1;
	do {
		if (n >= 5 || recv(fd, buf + n, 1, MSG_WAITALL) != 1)
			return 0;
		rem += (buf[n] & 0x7f) * mult;
		mult *= 128;
	} while (buf[n++] & 0x80);
	hdr = n;
	if (hdr + rem > cap || (rem && recv(fd, buf + hdr, rem, MSG_WAITALL) != (ssize_t)rem))
		return 0;
	return hdr + rem;
}

#endif
