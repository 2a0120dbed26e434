/* fw_manifest.h — a firmware manifest: the XML file that names the RouterOS packages (.npk) of one
 * upgrade, for a Download of "1 Firmware Upgrade Image" or FirmwareImage.{i}.Download() that
 * needs more than one file (from RouterOS 7.13 the Wi-Fi drivers are packages of their own).
 * The format is trbridge's (docs/adapter.md, "Firmware upgrades"):
 *
 *   <upgrade version="1" type="links">
 *     <links>
 *       <link><url>https://files.example/routeros-7.17-arm64.npk</url></link>
 *       <link><url>https://files.example/wifi-qcom-7.17-arm64.npk</url></link>
 *     </links>
 *   </upgrade>
 */
#ifndef FW_MANIFEST_H
#define FW_MANIFEST_H

#include <stddef.h>

#include "util/tb_err.h"

#define FW_MANIFEST_MAX_BYTES 65536u /* what RouterOS /tool/fetch output=user hands back */
#define FW_MANIFEST_MAX_URLS 16u
#define FW_MANIFEST_MAX_URL 1024u

typedef struct fw_manifest {
	char *urls[FW_MANIFEST_MAX_URLS]; /* owned, in document order */
	size_t n;
} fw_manifest;

/* Reads a manifest: root <upgrade> (version "1" when given), each <links>/<link>/<url> text a
 * URL (blanks around it dropped; no control characters). No DTD, no entities, no network. At
 * least one and at most FW_MANIFEST_MAX_URLS URLs; anything else is TB_ERR_PARSE (or
 * TB_ERR_TOO_BIG, TB_ERR_NOMEM) with e saying why. On TB_OK free *m with fw_manifest_free. */
tb_err fw_manifest_parse(const char *data, size_t len, fw_manifest *m, tb_errctx *e);
void fw_manifest_free(fw_manifest *m);

#endif
