/* config_split.c — the values with an inner structure, split for the key checks and for their
 * users: listen addresses ("[address]:port") and shards ("i/n"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/config/config.h"

/* A decimal number of at most 9 digits, all of s. */
static bool number(const char *s, size_t len, unsigned long *out)
{
	char buf[16];
	char *end;

	if (len == 0 || len > 9 || strspn(s, "0123456789") < len)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtoul(buf, &end, 10);
	return *end == '\0';
}

tb_err tb_config_listen_parse(const char *v, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(v, ':');
	const char *h = v, *p = v;
	size_t hl = 0;
	unsigned long n;

	if (colon) {
		p = colon + 1;
		hl = (size_t)(colon - v);
		if (hl >= 2 && v[0] == '[' && v[hl - 1] == ']') { /* [v6]:port */
			h = v + 1;
			hl -= 2;
		} else if (memchr(v, ':', hl) || memchr(v, '[', hl) || memchr(v, ']', hl)) {
			return TB_ERR_PARSE; /* a bare IPv6 address needs brackets */
		}
		if (hl == 0 && v[0] == '[')
			return TB_ERR_PARSE;
	}
	if (!number(p, strlen(p), &n) || n < 1 || n > 65535 || hl >= hostlen)
		return TB_ERR_PARSE;
	for (size_t i = 0; i < hl; i++)
		if (h[i] <= ' ' || h[i] == '/' || (unsigned char)h[i] >= 0x7f)
			return TB_ERR_PARSE;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (int)n;
	return TB_OK;
}

tb_err tb_config_shard_parse(const char *v, unsigned *i, unsigned *n)
{
	const char *slash = strchr(v, '/');
	unsigned long a, b;

	if (!slash || !number(v, (size_t)(slash - v), &a) ||
	    !number(slash + 1, strlen(slash + 1), &b) || b == 0 || b > TB_CONFIG_MAX_SHARDS || a >= b)
		return TB_ERR_PARSE;
	*i = (unsigned)a;
	*n = (unsigned)b;
	return TB_OK;
}
