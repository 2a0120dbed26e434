/* usp_endpoint.h — USP Endpoint IDs of the routers' agents (TR-369 R-ARC.2a, R-ARC.5, R-ARC.6):
 * "os::<OUI>-<SerialNumber>", the instance part percent-encoded and at most 50 characters. */
#ifndef USP_ENDPOINT_H
#define USP_ENDPOINT_H

#include <stddef.h>

#include "util/tb_err.h"

#define USP_ENDPOINT_INSTANCE_MAX 50

/* Builds "os::" OUI "-" SerialNumber. The OUI must be 6 hex digits (written upper case); serial
 * bytes outside ALPHA / DIGIT / "-" / "." / "_" are %-encoded. TB_ERR_INVALID_VALUE when the OUI is
 * malformed, the serial empty or the instance part longer than 50 characters; TB_ERR_TOO_BIG when
 * out is too small. */
tb_err usp_endpoint_id_os(const char *oui, const char *serial, char *out, size_t out_len,
			  tb_errctx *e);

#endif
