/* mqtt_nopair.c — mosquitto_new() without its socket pair. libmosquitto 2.0.11 opens a socketpair in
 * every client for its own select() loop and writes one byte into it for every packet it queues.
 * Driven from our loop nobody reads it: each client would hold two more descriptors (four per router
 * with the RouterOS socket: 40,000 at 10,000 routers) and up to ~200 KiB of unread kernel buffers.
 * mosquitto_reinitialise() copes with socketpair() failing (it only logs a warning, and every use
 * checks for INVALID_SOCKET), so for the duration of that one call our socketpair() refuses. */
#include <dlfcn.h>
#include <errno.h>
#include <sys/socket.h>

#include "transports/mqtt_internal.h"

static bool refuse_pair; /* loop thread only: set around mosquitto_new() */

/* Takes the place of libc's for the whole process (libmosquitto calls it through the PLT); every
 * other caller gets the real one. */
int socketpair(int domain, int type, int protocol, int sv[2])
{
	static int (*real)(int, int, int, int[2]);

	if (refuse_pair) {
		errno = EMFILE;
		return -1;
	}
	if (!real) {
		*(void **)&real = dlsym(RTLD_NEXT, "socketpair");
		if (!real) {
			errno = ENOSYS;
			return -1;
		}
	}
	return real(domain, type, protocol, sv);
}

struct mosquitto *mqtt_mosquitto_new(const char *id, bool clean_start, void *obj)
{
	struct mosquitto *m;

	refuse_pair = true;
	m = mosquitto_new(id, clean_start, obj);
	refuse_pair = false;
	return m;
}
