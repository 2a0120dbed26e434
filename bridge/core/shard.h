/* shard.h — which of n trbridge instances serves a router: rendezvous (highest random weight)
 * hashing of the router's name, so every instance computes the same answer from the name alone and
 * growing the fleet from n to n+1 instances moves only about 1/(n+1) of the routers. */
#ifndef TB_SHARD_H
#define TB_SHARD_H

#include <stdbool.h>
#include <stdint.h>

#include "bridge/config/config.h"

/* The shard (0..n-1) of the router called name; n >= 1. The weight of shard j is
 * splitmix64(fnv1a64(name) ^ splitmix64(j)); the highest wins, the lower j on a tie
 * (docs/scale-out.md gives the functions, for tools outside trbridge). */
unsigned tb_shard_of(const char *name, unsigned n);
/* The weight of shard j for name (tests, tools). */
uint64_t tb_shard_weight(const char *name, unsigned j);

/* Whether this instance serves router r: always without [bridge] shard, else when r's shard is
 * the configured i of i/n. */
bool tb_shard_serves(const tb_config *cfg, const tb_config_router *r);

#endif
