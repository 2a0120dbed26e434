/* tb_npk.h — MikroTik RouterOS package file names ("routeros-7.17-arm64.npk",
 * "wifi-qcom-7.18rc1-arm64.npk", "routeros-7.17.npk" for x86) and RouterOS versions compared. */
#ifndef TB_NPK_H
#define TB_NPK_H

#include <stdbool.h>
#include <stddef.h>

typedef struct tb_npk {
	char name[48];    /* "routeros", "wifi-qcom", "container" */
	char version[24]; /* "7.17", "7.17.1", "7.18rc1" */
	char arch[16];    /* "arm", "arm64", "mipsbe", …; "" for x86 (its files carry none) */
} tb_npk;

/* Reads a package file name; false when `file` is not "<name>-<version>[-<arch>].npk". */
bool tb_npk_parse(const char *file, tb_npk *out);

/* The file a URL names: the last segment of its path, without query or fragment
 * ("http://h/fw/routeros-7.17-arm.npk?token=x" -> "routeros-7.17-arm.npk"); false when it names
 * none ("http://h", "http://h/dir/") or the name does not fit in len. */
bool tb_url_file_name(const char *url, char *out, size_t len);

/* Orders two RouterOS versions: <0, 0, >0. Numbers compare as numbers ("7.9" < "7.10"), a
 * pre-release before its release ("7.18beta2" < "7.18rc1" < "7.18"). */
int tb_npk_vercmp(const char *a, const char *b);

#endif
