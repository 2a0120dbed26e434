/* cwmp_transfer.c — file transfers the ACS asked for (Download, Upload) and the TransferComplete
 * each owes the ACS. */
#include "bridge/cwmp/cwmp_priv.h"

bool cwmp_cpe_next_transfer(cwmp_cpe *c, cwmp_msg *m)
{
	(void)c;
	(void)m;
	return false;
}

void cwmp_cpe_transfer_delivered(cwmp_cpe *c)
{
	(void)c;
}
