/* sim_upload.h — /tool/fetch upload=yes of routeros-sim: a real HTTP PUT or POST of a /file's
 * contents to the URL, on a thread of its own so that a slow server stalls no router. */
#ifndef SIM_UPLOAD_H
#define SIM_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sim_upload sim_upload;

/* Starts sending body (copied) to an http:// url with method "PUT" or "POST", with Basic
 * credentials when user is not empty. NULL on NOMEM or a URL it cannot take (*why says which). */
sim_upload *sim_upload_start(const char *url, const char *method, const char *user,
			     const char *password, const char *body, size_t len, const char **why);
/* True once the request ended; then *status is the HTTP status (0: no answer) and msg the
 * reason ("connection refused", "401 Unauthorized"). */
bool sim_upload_done(sim_upload *u, int *status, char *msg, size_t cap);
/* Drops the caller's hold: the thread frees it when it ends. */
void sim_upload_release(sim_upload *u);

#endif
