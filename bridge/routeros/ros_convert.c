/* ros_convert.c — RouterOS text <-> TR-181 value converters (see ros_convert.h).
 * Strict parsers: anything unexpected is an error value, never a guess. */
#include "bridge/routeros/ros_convert.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Parses up to `max` decimal digits at *p; advances *p. */
static bool parse_uint(const char **p, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = *p;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s)) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s++ - '0');
	}
	*p = s;
	*out = v;
	return true;
}

/* "[Nd]HH:MM:SS" */
static tb_err duration_clock(const char *s, uint64_t *secs)
{
	uint64_t days = 0, h, m, sec;
	const char *p = s;
	const char *d = strchr(s, 'd');

	if (d) {
		if (!parse_uint(&p, &days) || p != d)
			return TB_ERR_PARSE;
		p = d + 1;
	}
	if (!parse_uint(&p, &h) || *p++ != ':' || !parse_uint(&p, &m) || *p++ != ':' ||
	    !parse_uint(&p, &sec) || m > 59 || sec > 59)
		return TB_ERR_PARSE;
	if (*p == '.') { /* fractions of a second are dropped */
		uint64_t frac;
		p++;
		if (!parse_uint(&p, &frac))
			return TB_ERR_PARSE;
	}
	if (*p)
		return TB_ERR_PARSE;
	*secs = days * 86400 + h * 3600 + m * 60 + sec;
	return TB_OK;
}

tb_err ros_conv_duration(const char *ros, uint64_t *secs)
{
	uint64_t total = 0;
	const char *p = ros;

	if (!ros || !*ros)
		return TB_ERR_PARSE;
	if (strchr(ros, ':'))
		return duration_clock(ros, secs);
	while (*p) {
		uint64_t v, mult;
		if (!parse_uint(&p, &v))
			return TB_ERR_PARSE;
		if (p[0] == 'm' && p[1] == 's') {
			v /= 1000;
			mult = 1;
			p += 2;
		} else {
			switch (*p) {
			case 'w': mult = 604800; break;
			case 'd': mult = 86400; break;
			case 'h': mult = 3600; break;
			case 'm': mult = 60; break;
			case 's': mult = 1; break;
			default: return TB_ERR_PARSE;
			}
			p++;
		}
		total += v * mult;
	}
	*secs = total;
	return TB_OK;
}

tb_err ros_conv_bool(const char *ros, bool *out)
{
	if (!ros)
		return TB_ERR_PARSE;
	if (strcmp(ros, "true") == 0 || strcmp(ros, "yes") == 0) {
		*out = true;
		return TB_OK;
	}
	if (strcmp(ros, "false") == 0 || strcmp(ros, "no") == 0) {
		*out = false;
		return TB_OK;
	}
	return TB_ERR_PARSE;
}

const char *ros_conv_bool_text(bool v, int major_version)
{
	if (major_version >= 7)
		return v ? "true" : "false";
	return v ? "yes" : "no";
}

static bool parse_ipv4(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0;
	int parts = 0;
	size_t i = 0;

	while (parts < 4) {
		unsigned octet = 0, digits = 0;
		while (i < len && isdigit((unsigned char)s[i]) && digits < 4) {
			octet = octet * 10 + (unsigned)(s[i++] - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || octet > 255)
			return false;
		v = (v << 8) | octet;
		if (++parts < 4) {
			if (i >= len || s[i] != '.')
				return false;
			i++;
		}
	}
	if (i != len)
		return false;
	*out = v;
	return true;
}

static void format_ipv4(uint32_t v, char *out, size_t len)
{
	snprintf(out, len, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
}

tb_err ros_conv_cidr(const char *cidr, char *ip, size_t ip_len, char *mask, size_t mask_len,
		     unsigned *prefix)
{
	const char *slash = strchr(cidr, '/');
	size_t alen = slash ? (size_t)(slash - cidr) : strlen(cidr);
	uint32_t addr, m;
	uint64_t pfx = 32;

	if (!parse_ipv4(cidr, alen, &addr))
		return TB_ERR_PARSE;
	if (slash) {
		const char *p = slash + 1;
		if (!parse_uint(&p, &pfx) || *p || pfx > 32)
			return TB_ERR_PARSE;
	}
	m = pfx == 0 ? 0 : 0xFFFFFFFFu << (32 - pfx);
	if (ip)
		format_ipv4(addr, ip, ip_len);
	if (mask)
		format_ipv4(m, mask, mask_len);
	if (prefix)
		*prefix = (unsigned)pfx;
	return TB_OK;
}

tb_err ros_conv_mask_prefix(const char *mask, unsigned *prefix)
{
	uint32_t m;
	unsigned n = 0;

	if (!parse_ipv4(mask, strlen(mask), &m))
		return TB_ERR_PARSE;
	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	if (n < 32 && (m << n) != 0)
		return TB_ERR_INVALID_VALUE;
	*prefix = n;
	return TB_OK;
}

tb_err ros_conv_version(const char *ros, char *out, size_t out_len, int *major, int *minor)
{
	const char *p = ros;
	uint64_t maj, min = 0;
	size_t n;

	if (!parse_uint(&p, &maj))
		return TB_ERR_PARSE;
	if (*p == '.') {
		p++;
		if (!parse_uint(&p, &min))
			return TB_ERR_PARSE;
	}
	/* the version text runs to the first space (" (stable)") */
	n = strcspn(ros, " ");
	if (n + 1 > out_len)
		return TB_ERR_TOO_BIG;
	memcpy(out, ros, n);
	out[n] = '\0';
	if (major)
		*major = (int)maj;
	if (minor)
		*minor = (int)min;
	return TB_OK;
}

const char *ros_conv_serial(const char *rb_serial, const char *software_id, const char *system_id)
{
	const char *const order[] = {rb_serial, software_id, system_id};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (order[i] && *order[i])
			return order[i];
	return NULL;
}

tb_err ros_conv_oui(const char *mac, char out[7])
{
	int o = 0;
	for (int i = 0; i < 8; i++) {
		if (i == 2 || i == 5) {
			if (mac[i] != ':' && mac[i] != '-')
				return TB_ERR_PARSE;
			continue;
		}
		if (!isxdigit((unsigned char)mac[i]))
			return TB_ERR_PARSE;
		out[o++] = (char)toupper((unsigned char)mac[i]);
	}
	out[6] = '\0';
	return TB_OK;
}

static int month_number(const char *abbr)
{
	static const char *months[] = {"jan", "feb", "mar", "apr", "may", "jun",
				       "jul", "aug", "sep", "oct", "nov", "dec"};
	for (int i = 0; i < 12; i++)
		if (strncasecmp(abbr, months[i], 3) == 0)
			return i + 1;
	return 0;
}

tb_err ros_conv_clock(const char *date, const char *time, const char *gmt_offset, char *out,
		      size_t out_len)
{
	unsigned y, mo, d, h, mi, s;
	char tz[8] = "Z";
	int n;

	if (strlen(date) == 11 && date[3] == '/' && date[6] == '/') { /* jan/02/2023 */
		mo = (unsigned)month_number(date);
		if (!mo || sscanf(date + 4, "%2u/%4u", &d, &y) != 2)
			return TB_ERR_PARSE;
	} else if (strlen(date) != 10 || sscanf(date, "%4u-%2u-%2u", &y, &mo, &d) != 3) {
		return TB_ERR_PARSE;
	}
	if (strlen(time) != 8 || sscanf(time, "%2u:%2u:%2u", &h, &mi, &s) != 3)
		return TB_ERR_PARSE;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return TB_ERR_PARSE;
	if (gmt_offset && *gmt_offset) {
		unsigned oh, om;
		if ((gmt_offset[0] != '+' && gmt_offset[0] != '-') || strlen(gmt_offset) != 6 ||
		    sscanf(gmt_offset + 1, "%2u:%2u", &oh, &om) != 2 || oh > 14 || om > 59)
			return TB_ERR_PARSE;
		if (oh || om)
			snprintf(tz, sizeof tz, "%c%02u:%02u", gmt_offset[0], oh, om);
	}
	n = snprintf(out, out_len, "%04u-%02u-%02uT%02u:%02u:%02u%s", y, mo, d, h, mi, s, tz);
	return (n < 0 || (size_t)n >= out_len) ? TB_ERR_TOO_BIG : TB_OK;
}

tb_err ros_conv_rtt_us(const char *ros, uint64_t *us)
{
	static const struct { const char *unit; double us; } units[] = {
		{"us", 1}, {"ms", 1000}, {"s", 1000000}};
	const char *p = ros;
	double total = 0;

	if (!ros || !*ros)
		return TB_ERR_PARSE;
	while (*p) {
		char *end;
		double v;
		size_t k;
		if (!isdigit((unsigned char)*p))
			return TB_ERR_PARSE;
		v = strtod(p, &end);
		for (k = 0; k < sizeof units / sizeof units[0]; k++)
			if (!strncmp(end, units[k].unit, strlen(units[k].unit)))
				break;
		if (k == sizeof units / sizeof units[0])
			return TB_ERR_PARSE;
		total += v * units[k].us;
		p = end + strlen(units[k].unit);
	}
	*us = (uint64_t)(total + 0.5);
	return TB_OK;
}
