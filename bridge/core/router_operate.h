/* router_operate.h — the USP operate provider of one router: SendOnBoardRequest() is the bridge's
 * own (a Notify from the agent); every other command is run on the router by the adapter. */
#ifndef ROUTER_OPERATE_H
#define ROUTER_OPERATE_H

#include "bridge/usp/usp_engine.h"

/* The provider table; its ctx is the struct tb_router. */
extern const usp_operate_ops router_operate_ops;

#endif
