/* bench_router_mem.c — memory per router of the TR-181 instance tree and the cost of path lookups:
 * builds N trees populated like a small router and measures them with mallinfo2(). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_router.h"
#include "datamodel/dm_tree.h"

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000;
	static const char *paths[] = {
		"Device.DeviceInfo.",
		"Device.Ethernet.Interface.3.Stats.",
		"Device.IP.Interface.2.IPv4Address.1.",
		"Device.DHCPv4.Server.Pool.1.Client.7.IPv4Address.1.",
		"Device.Hosts.Host.17.",
		"Device.Routing.Router.1.IPv4Forwarding.9.",
		"Device.NAT.PortMapping.4.",
		"Device.WiFi.AccessPoint.2.Security.",
	};
	const size_t n_paths = sizeof(paths) / sizeof(paths[0]);
	dm_tree **trees;
	struct mallinfo2 before, after;
	size_t own = 0, found = 0, rounds = 200;
	double t0, t1;

	if (n == 0)
		n = 1;
	trees = calloc(n, sizeof(*trees));
	if (!trees)
		bench_die("out of memory", "");
	dm_tree_free(bench_router_tree(0, &bench_router_small)); /* warm up anything the schema sets up once */

	before = mallinfo2();
	for (unsigned r = 0; r < n; r++)
		trees[r] = bench_router_tree(r, &bench_router_small);
	after = mallinfo2();
	for (unsigned r = 0; r < n; r++)
		own += dm_tree_memory(trees[r]);

	t0 = now_ns();
	for (size_t k = 0; k < rounds; k++)
		for (unsigned r = 0; r < n; r++)
			for (size_t p = 0; p < n_paths; p++)
				found += dm_tree_find(trees[r], paths[p]) != NULL;
	t1 = now_ns();
	if (found != rounds * n * n_paths)
		bench_die("lookup failed", "");

	size_t heap = (after.uordblks + after.hblkhd) - (before.uordblks + before.hblkhd);
	printf("routers:                 %u\n", n);
	printf("heap bytes per router:   %zu (mallinfo2 delta, includes allocator overhead)\n",
	       heap / n);
	printf("tree bytes per router:   %zu (dm_tree_memory, requested bytes)\n", own / n);
	printf("dm_tree_find:            %.0f ns per lookup (%zu lookups, depth 2-8)\n",
	       (t1 - t0) / (double)(rounds * n * n_paths), rounds * n * n_paths);

	dm_id bytes = dm_schema_find("Device.Ethernet.Interface.{i}.Stats.BytesReceived");
	dm_obj **stats = malloc(n * sizeof(*stats));
	size_t sum = 0;
	if (!stats)
		bench_die("out of memory", "");
	for (unsigned r = 0; r < n; r++)
		stats[r] = dm_tree_find(trees[r], "Device.Ethernet.Interface.3.Stats.");
	t0 = now_ns();
	for (size_t k = 0; k < rounds * n_paths; k++)
		for (unsigned r = 0; r < n; r++)
			sum += strlen(dm_obj_get(stats[r], bytes));
	t1 = now_ns();
	printf("dm_obj_get:              %.0f ns per read (%zu reads; checksum %zu)\n",
	       (t1 - t0) / (double)(rounds * n_paths * n), rounds * n_paths * n, sum);
	free(stats);
	for (unsigned r = 0; r < n; r++)
		dm_tree_free(trees[r]);
	free(trees);
	return 0;
}
