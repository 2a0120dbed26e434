/* sim_fault.h — fault injection for routeros-sim: specs like drop:3, delay:3:500,
 * trap:3:/ip/address/print:2, cut:3:/ip/address/set:2, fatal:3, clear:3, parsed once and checked
 * on every command. */
#ifndef SIM_FAULT_H
#define SIM_FAULT_H

#include <stdbool.h>

#include "util/tb_err.h"

typedef struct sim_fault {
	bool drop;          /* close every connection as soon as it is accepted or used */
	bool fatal;         /* answer every command with !fatal and close */
	int delay_ms;       /* hold every command this long before answering */
	char trap_cmd[96];  /* command word that traps ("" for none) */
	unsigned trap_nth;  /* 0: every call traps; n: only the nth call */
	unsigned trap_calls; /* calls of trap_cmd seen so far */
	char cut_cmd[96];   /* command word after which the link is cut ("" for none) */
	unsigned cut_nth;   /* 0: the first call; n: the nth call */
	unsigned cut_calls;
} sim_fault;

typedef enum sim_fault_kind { SIM_FAULT_DROP, SIM_FAULT_DELAY, SIM_FAULT_TRAP, SIM_FAULT_FATAL,
			      SIM_FAULT_CLEAR, SIM_FAULT_CUT } sim_fault_kind;

typedef struct sim_fault_spec {
	sim_fault_kind kind;
	int router;       /* -1 for every router ("*") */
	int delay_ms;
	char cmd[96];
	unsigned nth;
} sim_fault_spec;

tb_err sim_fault_parse(const char *spec, sim_fault_spec *out, tb_errctx *e);
void sim_fault_apply(sim_fault *f, const sim_fault_spec *spec);
/* Counts a call of `cmd`; true when this call must trap. */
bool sim_fault_should_trap(sim_fault *f, const char *cmd);
/* Counts a call of `cmd`; true when this call is carried out and then the link is cut (the
 * router then refuses connections as with drop, until clear). */
bool sim_fault_should_cut(sim_fault *f, const char *cmd);

#endif
