/* usp_localagent.h — the bridge's own part of one router's USP data model: Device.LocalAgent
 * (endpoint ID, protocol versions, the agent's MTPs, and the controllers the config allows). */
#ifndef USP_LOCALAGENT_H
#define USP_LOCALAGENT_H

#include "bridge/config/config.h"
#include "datamodel/dm_tree.h"
#include "util/tb_err.h"

/* Fills Device.LocalAgent. of a new tree: EndpointID, SoftwareVersion, SupportedProtocols and,
 * when `defaults` is true (no saved state was restored: the config gives factory defaults), the
 * built-in roles (usp_roles.h), one MTP.{i} per enabled transport of cfg and one Controller.{i}
 * (Enable, EndpointID, AssignedRole from [usp] controller_roles, MTP.{i} with the controller's
 * MQTT topic) per [usp] controller_endpoint_id; restored state that predates roles is upgraded
 * (usp_roles_upgrade). `agent_topic` is this agent's MQTT topic (already expanded), `ws_path` the
 * path of its WebSocket resource on the listener (<listen_path>/<router name>). Everything is
 * written with origin bridge. */
tb_err usp_localagent_init(dm_tree *t, const tb_config *cfg, const char *endpoint_id,
			   const char *agent_topic, const char *ws_path, bool defaults, tb_errctx *e);

/* The enabled Device.LocalAgent.Controller.{i} whose EndpointID is `endpoint_id`, or NULL: only
 * these controllers are served. */
dm_obj *usp_localagent_controller(dm_tree *t, const char *endpoint_id);

/* The MQTT topic configured for a controller (its first enabled MQTT MTP), or NULL when none: where
 * an answer goes when a request carries no Response Topic. */
const char *usp_localagent_controller_topic(dm_tree *t, dm_obj *controller);

#endif
