/* cwmp_onboard.h — TR-181's CWMP command parameter Device.USPAgent.Controller.{i}.
 * SendOnBoardRequest: the ACS writes true, the router's agent sends that controller an OnBoardRequest
 * (the SendOnBoardRequest() command USP's Operate runs) and the parameter reads false again. */
#ifndef CWMP_ONBOARD_H
#define CWMP_ONBOARD_H

#include "datamodel/dm_tree.h"

typedef struct cwmp_cpe cwmp_cpe;

/* A change of the tree: an ACS's write of SendOnBoardRequest = true asks for an OnBoardRequest. */
void cwmp_onboard_changed(cwmp_cpe *c, const dm_event *ev);
/* Drops what was asked and not yet done (the CPE goes). */
void cwmp_onboard_free(cwmp_cpe *c);

#endif
