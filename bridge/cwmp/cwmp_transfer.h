/* cwmp_transfer.h — the file transfers the ACS asked one CPE for (Download, Upload) and the
 * TransferComplete each owes the ACS (TR-069 A.3.2.8, A.4.1.5, A.3.3.2): waiting for DelaySeconds,
 * carried out by the router's commands, a firmware image finished once the router is back from the
 * reboot that installs it, a vendor configuration file once the router imported it, an upload
 * once the router sent its exported configuration; kept across restarts until the ACS answered
 * the TransferComplete. */
#ifndef CWMP_TRANSFER_H
#define CWMP_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include "datamodel/dm_cmd.h"
#include "proto/cwmp_soap.h"
#include "util/tb_buf.h"
#include "util/tb_err.h"

#define CWMP_TRANSFERS_MAX 4          /* transfers under way or unreported at once (9004 beyond) */
#define CWMP_TRANSFER_BOOT_WAIT_S 900 /* a firmware image must be running this soon after its
                                       * download ended (else 9017) */

typedef struct cwmp_cpe cwmp_cpe;

typedef enum cwmp_xfer_state {
	CWMP_XFER_WAITING = 0, /* DelaySeconds not over */
	CWMP_XFER_RUNNING,     /* the router transfers the file */
	CWMP_XFER_BOOTING,     /* downloaded; the router reboots into the new image */
	CWMP_XFER_DONE,        /* ended: the TransferComplete is due */
} cwmp_xfer_state;

typedef struct cwmp_transfer {
	cwmp_xfer_state state;
	char key[33];          /* CommandKey, string(32) */
	bool upload;           /* an Upload (the router sends the file), else a Download */
	char file_type[65];    /* "1 Firmware Upgrade Image", "3 Vendor Configuration File";
	                        * Upload: "1 Vendor Configuration File", "3 Vendor Configuration
	                        * File <i>" */
	char url[1025];        /* string(1024) */
	char username[257];    /* string(256) */
	char password[257];    /* string(256); kept in the state store like the ACS's own */
	uint32_t file_size;
	int64_t due;           /* when it starts (wall clock, s) */
	int64_t start, complete; /* wall clock, s; 0 unknown */
	int fault;             /* DONE: 0 or 9010..9019 (an Upload: 9011, 9012) */
	char fault_msg[256];
	char sw_before[65];    /* firmware: the SoftwareVersion the router ran when it started
	                        * (string(64)); "" in records of older trbridge versions */
	bool booted;           /* BOOTING: the router rebooted; its version is checked once synced */
	bool announced;        /* DONE: an Inform carried its events, so its TransferComplete may go
	                        * in that session (not kept: a restart announces again) */
	dm_cmd_call call;      /* RUNNING: the router's command */
} cwmp_transfer;

/* FileTypes this CPE can download now ("1 Firmware Upgrade Image", "3 Vendor Configuration
 * File"): true when `file_type` is one.
 * A URL scheme the router cannot fetch from is TB_ERR_NOT_SUPPORTED (9013). */
bool cwmp_transfer_type_ok(const char *file_type);
tb_err cwmp_transfer_check_url(const char *url, tb_errctx *e);

/* Upload FileTypes this CPE can send: "1 Vendor Configuration File" (deprecated in TR-069
 * Amendment 5, still sent by ACSs) and "3 Vendor Configuration File <i>" with <i> the instance
 * number of a Device.DeviceInfo.VendorConfigFile.{i} of this router. Vendor log files: false. */
bool cwmp_transfer_upload_type_ok(cwmp_cpe *c, const char *file_type);
/* A URL scheme the router cannot upload to (http, https, ftp, sftp) is TB_ERR_NOT_SUPPORTED. */
tb_err cwmp_transfer_check_upload_url(const char *url, tb_errctx *e);

/* Queues a Download (fields copied); TB_ERR_RESOURCES when CWMP_TRANSFERS_MAX are pending. */
tb_err cwmp_transfer_add(cwmp_cpe *c, const cwmp_download *d);
/* Queues an Upload likewise. */
tb_err cwmp_transfer_add_upload(cwmp_cpe *c, const cwmp_upload *u);
/* The router booted: a firmware image waiting for it ends once the router is synced again
 * (cwmp_transfer_synced, at once when it already is): fault 0 when the router runs the version
 * the image carries (or, when its name tells none, another version than before), else 9018. */
void cwmp_transfer_booted(cwmp_cpe *c);
void cwmp_transfer_synced(cwmp_cpe *c);
/* An Inform is built: the transfers that ended so far have their events in it. */
void cwmp_transfer_announced(cwmp_cpe *c);
/* (Re)arms the timer of the earliest waiting transfer. */
void cwmp_transfer_arm(cwmp_cpe *c);
/* Frees every transfer (a running command is cancelled when it can be). */
void cwmp_transfer_free_all(cwmp_cpe *c);

/* The record's lines of the transfers, and reading one back (*ours false: not a transfer line). */
tb_err cwmp_transfer_save(cwmp_cpe *c, tb_buf *out);
tb_err cwmp_transfer_load_line(cwmp_cpe *c, const char *line, bool *ours);

#endif
