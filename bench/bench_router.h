/* bench_router.h — a TR-181 instance tree populated like a MikroTik router, shared by the
 * benchmarks (bench_router_mem, bench_usp_get). */
#ifndef BENCH_ROUTER_H
#define BENCH_ROUTER_H

#include "datamodel/dm_tree.h"

/* How many rows the busy tables get. */
typedef struct bench_router_size {
	unsigned ethernet; /* Ethernet interfaces (every Stats counter set) */
	unsigned leases;   /* DHCPv4 server leases (client + address) */
	unsigned hosts;    /* Hosts with an address each */
	unsigned routes;   /* IPv4 forwarding entries */
	unsigned mappings; /* NAT port mappings */
} bench_router_size;

/* The small router of bench_router_mem: 5 ports, 10 leases, 20 hosts, 10 routes, 5 mappings. */
extern const bench_router_size bench_router_small;

/* A new tree for router number r (it varies names and counters); exits when it cannot. */
dm_tree *bench_router_tree(unsigned r, const bench_router_size *sz);

/* Prints "bench: what name" and exits 1. */
void bench_die(const char *what, const char *name) __attribute__((noreturn));

#endif
