/* sim_loop.h — the one event loop of routeros-sim: an epoll over every router's listening sockets
 * (plain and TLS) and connections, a 20 ms tick for streams, reboot outages and faults. */
#ifndef SIM_LOOP_H
#define SIM_LOOP_H

#include <signal.h>

#include "tools/routeros-sim/sim.h"

typedef struct sim_loop sim_loop;

/* Opens every listener (router i on cfg->port + i, TLS on cfg->tls_port + i). */
tb_err sim_loop_create(sim_loop **out, const sim_config *cfg, tb_errctx *e);
/* Applies a fault spec to its router (or every router for index -1). */
void sim_loop_fault(sim_loop *l, const sim_fault_spec *spec);
/* Runs until *stop becomes non-zero. */
tb_err sim_loop_run(sim_loop *l, volatile sig_atomic_t *stop, tb_errctx *e);
void sim_loop_free(sim_loop *l);

#endif
