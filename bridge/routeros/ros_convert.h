/* ros_convert.h — converters between RouterOS API value texts and TR-181 values that need code:
 * durations, booleans, CIDR, versions, MAC-derived OUI, clock date/time. Pure functions. */
#ifndef ROS_CONVERT_H
#define ROS_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/tb_err.h"

/* "1w2d3h4m5s", "9m47s", "500ms", "00:05:00", "1d02:03:04" -> whole seconds (ms rounded down). */
tb_err ros_conv_duration(const char *ros, uint64_t *secs);

/* "true"/"yes" -> true, "false"/"no" -> false; anything else TB_ERR_PARSE. */
tb_err ros_conv_bool(const char *ros, bool *out);
/* The RouterOS text for a boolean in the emulated/real version: v7 "true"/"false", v6 "yes"/"no". */
const char *ros_conv_bool_text(bool v, int major_version);

/* "192.168.88.1/24" -> ip "192.168.88.1", mask "255.255.255.0", prefix 24. A bare address is /32. */
tb_err ros_conv_cidr(const char *cidr, char *ip, size_t ip_len, char *mask, size_t mask_len,
		     unsigned *prefix);
/* "255.255.255.0" -> 24; non-contiguous masks are TB_ERR_INVALID_VALUE. */
tb_err ros_conv_mask_prefix(const char *mask, unsigned *prefix);

/* "7.16 (stable)" -> "7.16"; "6.49.10 (long-term)" -> "6.49.10". Also gives the major/minor. */
tb_err ros_conv_version(const char *ros, char *out, size_t out_len, int *major, int *minor);

/* The router's serial number, from the first of these that is known and not empty: the
 * RouterBOARD serial-number, the license software-id (RouterBOARDs, x86, CHR of RouterOS 6), the
 * license system-id (CHR of RouterOS 7, which has no software-id). NULL when none is. */
const char *ros_conv_serial(const char *rb_serial, const char *software_id, const char *system_id);

/* "D4:CA:6D:12:34:56" -> "D4CA6D" (TR-069 OUI: six upper-case hex digits). */
tb_err ros_conv_oui(const char *mac, char out[7]);

/* /system/clock date ("jan/02/2023" before 7.10, "2023-01-02" after), time "12:34:56" and
 * gmt-offset ("+01:00", "-05:30", may be empty) -> "2023-01-02T12:34:56+01:00" (dateTime). */
tb_err ros_conv_clock(const char *date, const char *time, const char *gmt_offset, char *out,
		      size_t out_len);

/* Round-trip times of /ping and /tool/traceroute: "1ms203us" (v7), "12ms" (v6), "1.2ms",
 * "3s", "450us" -> microseconds. "timeout" and anything else is TB_ERR_PARSE. */
tb_err ros_conv_rtt_us(const char *ros, uint64_t *us);

#endif
