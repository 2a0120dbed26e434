#!/bin/sh
# entrypoint.sh — starts trbridge in a container with the configuration at $TRBRIDGE_CONFIG
# (default /etc/trbridge/trbridge.conf). With TRBRIDGE_SHARDS=n it serves shard <ordinal>/n, the
# ordinal being the number that ends the host name (a StatefulSet's pod trbridge-3 serves 3/n).
# A "%i" in TRBRIDGE_CONFIG becomes the ordinal too: one file per shard where the instances must
# differ (each its own [acs] connection_request_host). Extra arguments go to trbridge. Logs go to
# stderr (the container runtime keeps them). TRBRIDGE_BIN names another trbridge binary (tests).
set -eu
config=${TRBRIDGE_CONFIG:-/etc/trbridge/trbridge.conf}
bin=${TRBRIDGE_BIN:-/usr/sbin/trbridge}
ordinal() {
	host=$(hostname)
	ordinal=${host##*-}
	case $ordinal in
	'' | *[!0-9]*)
		echo "trbridge-entrypoint: the host name '$host' does not end in -<ordinal>" >&2
		exit 2
		;;
	esac
}
case $config in
*%i*)
	ordinal
	config=$(printf '%s' "$config" | sed "s/%i/$ordinal/g")
	;;
esac
if [ -n "${TRBRIDGE_SHARDS:-}" ]; then
	ordinal
	exec "$bin" --config "$config" --shard "$ordinal/$TRBRIDGE_SHARDS" "$@"
fi
exec "$bin" --config "$config" "$@"
