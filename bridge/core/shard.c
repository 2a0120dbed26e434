/* shard.c — rendezvous hashing of router names onto shards (see shard.h): FNV-1a 64 of the name,
 * mixed with each shard's number by splitmix64's finaliser; the heaviest shard serves the router. */
#include "bridge/core/shard.h"

static uint64_t fnv1a64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3u;
	}
	return h;
}

/* splitmix64's output function (Steele, Lea, Flood 2014): a bijection that spreads every input
 * bit over the whole word. */
static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15u;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

uint64_t tb_shard_weight(const char *name, unsigned j)
{
	return splitmix64(fnv1a64(name) ^ splitmix64(j));
}

unsigned tb_shard_of(const char *name, unsigned n)
{
	uint64_t best = 0;
	unsigned owner = 0;

	for (unsigned j = 0; j < n; j++) {
		uint64_t w = tb_shard_weight(name, j);
		if (j == 0 || w > best) {
			best = w;
			owner = j;
		}
	}
	return owner;
}

bool tb_shard_serves(const tb_config *cfg, const tb_config_router *r)
{
	unsigned i, n;

	if (!cfg->bridge.shard || !cfg->bridge.shard[0] ||
	    tb_config_shard_parse(cfg->bridge.shard, &i, &n) != TB_OK)
		return true;
	return tb_shard_of(r->name, n) == i;
}
