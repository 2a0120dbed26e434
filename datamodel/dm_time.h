/* dm_time.h — TR-106 dateTime values as instants: parsing "YYYY-MM-DDThh:mm:ss[.frac][Z|±hh:mm]"
 * into seconds since 1970 (UTC), for comparisons and schedules. */
#ifndef DM_TIME_H
#define DM_TIME_H

#include <stdbool.h>
#include <stdint.h>

/* "0001-01-01T00:00:00Z": the TR-106 Unknown Time. */
#define DM_TIME_UNKNOWN "0001-01-01T00:00:00Z"

typedef struct dm_time {
	int64_t sec; /* seconds since 1970-01-01T00:00:00Z (negative before) */
	long nsec;
} dm_time;

/* A value without a zone is taken as UTC. false when s is not a TR-106 dateTime. */
bool dm_time_parse(const char *s, dm_time *out);

#endif
