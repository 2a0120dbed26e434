/* usp_endpoint.c — builds a router agent's "os::" Endpoint ID from its OUI and serial number, with
 * the character set and length TR-369 allows for an instance-id. */
#include "bridge/usp/usp_endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_';
}

tb_err usp_endpoint_id_os(const char *oui, const char *serial, char *out, size_t out_len,
			  tb_errctx *e)
{
	char inst[USP_ENDPOINT_INSTANCE_MAX + 1];
	size_t n = 0;

	if (strlen(oui) != 6)
		return tb_errf(e, TB_ERR_INVALID_VALUE, "OUI must be 6 hex digits");
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)oui[i]))
			return tb_errf(e, TB_ERR_INVALID_VALUE, "OUI must be 6 hex digits");
		inst[n++] = (char)toupper((unsigned char)oui[i]);
	}
	if (!serial[0])
		return tb_errf(e, TB_ERR_INVALID_VALUE, "empty serial number");
	inst[n++] = '-';
	for (const unsigned char *p = (const unsigned char *)serial; *p; p++) {
		size_t need = unreserved(*p) ? 1 : 3;
		if (n + need > USP_ENDPOINT_INSTANCE_MAX)
			return tb_errf(e, TB_ERR_INVALID_VALUE,
				       "endpoint instance-id longer than %d characters",
				       USP_ENDPOINT_INSTANCE_MAX);
		if (need == 1)
			inst[n++] = (char)*p;
		else
			n += (size_t)snprintf(inst + n, sizeof inst - n, "%%%02X", *p);
	}
	inst[n] = '\0';
	if ((size_t)snprintf(out, out_len, "os::%s", inst) >= out_len)
		return tb_errf(e, TB_ERR_TOO_BIG, "endpoint id buffer too small");
	return TB_OK;
}
