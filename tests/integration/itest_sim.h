/* itest_sim.h — what the routeros-sim tests share: a simulator process started and stopped by the
 * test, and a plain API client that sends sentences and expects replies over a real socket. */
#ifndef ITEST_SIM_H
#define ITEST_SIM_H

#include <sys/types.h>

#include "transports/ros_word.h"

/* How long a rebooted router refuses connections (--reboot-delay). */
#define REBOOT_DELAY_MS 2000u
#define REBOOT_DELAY_MS_TEXT "2000"

typedef struct sim_proc {
	pid_t pid;
	int port; /* router 0's API port; router i listens on port + i */
} sim_proc;

/* A client connection: socket plus its sentence reader. */
typedef struct sim_client {
	int fd;
	ros_reader rd;
} sim_client;

/* Starts `routers` routers of RouterOS `version` on free consecutive ports, with up to two more
 * options (NULL for none), and waits until the last one listens. */
sim_proc sim_start(int routers, const char *version, const char *extra1, const char *extra2);
/* Stops the simulator and asserts it exited with 0. */
void sim_stop(sim_proc *p);
/* A cmocka teardown: a failed assertion skips sim_stop, so this stops the simulator left running
 * (no child outlives the test). */
int sim_teardown(void **state);

/* Waits until the router accepts connections again after a reboot or reset (generously: the
 * machine may be loaded). */
void sim_wait_back(int port);

void sim_open(sim_client *c, int port);
void sim_close(sim_client *c);
/* Sends one sentence made of the given words (NULL-terminated). */
void sim_send(sim_client *c, ...);
/* Reads the next sentence; 0 on success, -1 when the peer closed, -2 on timeout. */
int sim_recv_status(sim_client *c, ros_sentence *s, int timeout_ms);
/* Reads the next sentence within 5 s. */
void sim_recv(sim_client *c, ros_sentence *s);
/* Expects a sentence starting with `type`; returns it for more checks (caller frees). */
void sim_expect(sim_client *c, ros_sentence *s, const char *type);
void sim_expect_done(sim_client *c);
/* Expects a !trap with this =message=, then the !done. */
void sim_expect_trap(sim_client *c, const char *message);
/* Expects a sentence starting with `type` whose attribute `attr` (e.g. "=name=") is `value`. */
void sim_expect_attr(sim_client *c, const char *type, const char *attr, const char *value);
/* Round-trips a tagged command so everything sent before it has been processed. */
void sim_sync(sim_client *c);
/* Logs in as admin with the empty password. */
void sim_login(sim_client *c);

#endif
