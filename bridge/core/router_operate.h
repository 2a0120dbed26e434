/* router_operate.h — the command provider of one router (dm_cmd.h): SendOnBoardRequest() is the
 * bridge's own (a Notify from the agent); every other command is run on the router by the adapter. */
#ifndef ROUTER_OPERATE_H
#define ROUTER_OPERATE_H

#include "datamodel/dm_cmd.h"

/* The provider; its ctx is the struct tb_router. */
extern const dm_cmd_provider router_operate_provider;

#endif
