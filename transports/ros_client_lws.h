/* ros_client_lws.h — the lws protocol RouterOS sockets bind to, for whoever creates the event loop
 * (tb_loop_new's protocol lists). The one part of the RouterOS client that shows libwebsockets. */
#ifndef ROS_CLIENT_LWS_H
#define ROS_CLIENT_LWS_H

#include <libwebsockets.h>

extern const struct lws_protocols ros_client_protocols[];

#endif
