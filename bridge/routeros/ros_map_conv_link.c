/* ros_map_conv_link.c — the converters of link values: Wi-Fi frequencies and channels, Ethernet
 * rates and duplex, a Wi-Fi client's rates, signal and counters (ros_map.h: CHANNEL, CHANNELS,
 * AUTO_CHANNEL, RATE, ETH_MAX, ETH_DUPLEX, WIFI_RATE, DBM, PAIR). */
#include "bridge/routeros/ros_map_conv_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/routeros/ros_convert.h"

/* The IEEE channel of a centre frequency in MHz (2.4, 5 and 6 GHz); 0 when none. */
static unsigned long freq_channel(unsigned long f)
{
	if (f == 2484)
		return 14;
	if (f >= 2412 && f <= 2472 && (f - 2407) % 5 == 0)
		return (f - 2407) / 5;
	if (f >= 5000 && f <= 5900 && f % 5 == 0)
		return (f - 5000) / 5;
	if (f == 5935) /* 6 GHz channel 2 */
		return 2;
	if (f >= 5955 && f <= 7115 && (f - 5950) % 5 == 0)
		return (f - 5950) / 5;
	return 0;
}

/* "2412,2437" or "5180-5240" -> "1,6" / "36,40,44,48": every channel of each range, 5 MHz apart
 * at 2.4 GHz and 20 MHz apart above. */
static tb_err freqs_channels(const char *ros, char *out, size_t out_len)
{
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = ros; *p;) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;
		if (end == p)
			return TB_ERR_PARSE;
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p || hi < lo || hi - lo > 2000)
				return TB_ERR_PARSE;
		}
		if (*end && *end != ',')
			return TB_ERR_PARSE;
		for (unsigned long f = lo; f <= hi; f += f < 5000 ? 5 : 20) {
			unsigned long ch = freq_channel(f);
			if (!ch)
				return TB_ERR_PARSE;
			n += (size_t)snprintf(out + n, n < out_len ? out_len - n : 0, "%s%lu",
					      n ? "," : "", ch);
		}
		p = *end ? end + 1 : end;
	}
	return n < out_len ? TB_OK : TB_ERR_TOO_BIG;
}

/* "1Gbps", "100Mbps", "2.5Gbps" (monitor rate, 6's speed), "1G-baseT-full" (7's speed),
 * "72.2Mbps-20MHz/1S/SGI" (a Wi-Fi client's rate) -> kbps; 0 when unreadable. */
static unsigned long rate_kbps(const char *v)
{
	char *end;
	double n = strtod(v, &end);
	if (end == v || n < 0 || n > 4e6)
		return 0;
	if (*end == 'G')
		n *= 1000000;
	else if (*end == 'M')
		n *= 1000;
	else if (*end != 'k')
		return 0;
	return (unsigned long)(n + 0.5);
}

static unsigned long rate_mbps(const char *v)
{
	return (rate_kbps(v) + 500) / 1000;
}

static tb_err put_num(char *out, size_t out_len, long n)
{
	return snprintf(out, out_len, "%ld", n) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
}

tb_err ros_map_link_to_tr(const ros_param_map *pm, const char *ros, ros_map_lookup_fn item,
			  void *item_ctx, char *out, size_t out_len)
{
	tb_err rc;
	bool b;

	switch (pm->conv) {
	case ROS_CV_CHANNEL: {
		char *end;
		unsigned long f = strtoul(ros, &end, 10), ch;
		if (!*ros || *end || *ros == '-' || !(ch = freq_channel(f)))
			return TB_ERR_PARSE;
		return snprintf(out, out_len, "%lu", ch) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
	}
	case ROS_CV_CHANNELS:
		return freqs_channels(ros, out, out_len);
	case ROS_CV_AUTO_CHANNEL:
		b = !*ros || !strcmp(ros, "auto") || strpbrk(ros, ",-");
		return ros_map_put(out, out_len, b ? "true" : "false", b ? 4 : 5);
	case ROS_CV_RATE:
		return put_num(out, out_len, (long)rate_mbps(ros));
	case ROS_CV_WIFI_RATE: {
		unsigned long k = rate_kbps(ros);
		return k ? put_num(out, out_len, (long)k) : TB_ERR_PARSE;
	}
	case ROS_CV_DBM: {
		char *end;
		long n = strtol(ros, &end, 10);
		if (end == ros || (*end && *end != '@') || n > 0 || n < -200)
			return TB_ERR_PARSE;
		return put_num(out, out_len, n);
	}
	case ROS_CV_PAIR: {
		const char *p = ros, *comma = strchr(ros, ',');
		char *end;
		unsigned long long n;
		if (!comma)
			return TB_ERR_PARSE;
		if (pm->arg && pm->arg[0] == '2')
			p = comma + 1;
		if (*p < '0' || *p > '9')
			return TB_ERR_PARSE;
		n = strtoull(p, &end, 10);
		if (end != (p == ros ? comma : p + strlen(p)))
			return TB_ERR_PARSE;
		return snprintf(out, out_len, "%llu", n) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
	}
	case ROS_CV_ETH_MAX:
	case ROS_CV_ETH_DUPLEX: {
		const char *speed = item ? item(item_ctx, "speed") : NULL;
		const char *fd = item ? item(item_ctx, "full-duplex") : NULL;
		bool full;
		if ((rc = ros_conv_bool(ros, &b)) != TB_OK)
			return rc;
		if (pm->conv == ROS_CV_ETH_MAX)
			return b ? ros_map_put(out, out_len, "-1", 2)
				 : snprintf(out, out_len, "%lu", speed ? rate_mbps(speed) : 0) <
						   (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
		if (b)
			return ros_map_put(out, out_len, "Auto", 4);
		full = speed && strstr(speed, "-full") ? true
		       : speed && strstr(speed, "-half") ? false
		       : !(fd && ros_conv_bool(fd, &full) == TB_OK && !full);
		return full ? ros_map_put(out, out_len, "Full", 4) : ros_map_put(out, out_len, "Half", 4);
	}
	default:
		return TB_ERR_INTERNAL;
	}
}

tb_err ros_map_link_to_ros(const ros_param_map *pm, const char *tr, ros_map_lookup_fn lookup,
			   void *lookup_ctx, char *out, size_t out_len, tb_errctx *e)
{
	char *end;

	switch (pm->conv) {
	case ROS_CV_CHANNEL: {
		/* channel numbers repeat across bands: 6 GHz only when the radio says so */
		const char *band = pm->arg && lookup ? lookup(lookup_ctx, pm->arg) : NULL;
		bool six = band && !strcmp(band, "6GHz");
		unsigned long ch = strtoul(tr, &end, 10), f;
		if (!*tr || *end || *tr == '-' || ch == 0 ||
		    (six ? ch > 233 : (ch > 14 && ch < 32) || ch > 177))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "%s: no frequency for channel '%s'",
				       pm->param, tr);
		f = six ? (ch == 2 ? 5935 : 5950 + 5 * ch)
			: ch == 14 ? 2484 : ch <= 13 ? 2407 + 5 * ch : 5000 + 5 * ch;
		return snprintf(out, out_len, "%lu", f) < (int)out_len ? TB_OK : TB_ERR_TOO_BIG;
	}
	default:
		return TB_ERR_INTERNAL;
	}
}
