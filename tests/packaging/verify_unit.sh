#!/usr/bin/env bash
# verify_unit.sh BUILD_DIR — installs the build into a scratch root (DESTDIR) and runs
# `systemd-analyze verify` on the trbridge.service it installed, inside that root (--root, so the
# ExecStart= binaries checked are the installed ones), with the host's own units copied in for the
# targets it names. Any message is a failure: systemd-analyze exits 0 on an unknown key or a bad
# value and only prints a warning. The configuration it installed must pass --check-config as is.
set -euo pipefail
b=$1
root=$(mktemp -d /tmp/trbridge-unit.XXXXXX)
trap 'rm -rf "$root"' EXIT
DESTDIR=$root cmake --install "$b" >/dev/null
unit=$(cd "$root" && find . -name trbridge.service -path '*systemd/system/*' | head -1)
[ -n "$unit" ] || { echo "verify_unit: no trbridge.service installed" >&2; exit 1; }
mkdir -p "$root/lib/systemd/system"
cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
out=$(systemd-analyze verify --man=no --root="$root" "${unit#.}" 2>&1) || {
  echo "verify_unit: systemd-analyze verify failed:" >&2; echo "$out" >&2; exit 1; }
[ -z "$out" ] || { echo "verify_unit: systemd-analyze verify warns:" >&2; echo "$out" >&2; exit 1; }
conf=$(cd "$root" && find . -path '*/trbridge/trbridge.conf' -not -path '*/doc/*' | head -1)
bin=$(cd "$root" && find . -path '*/sbin/trbridge' | head -1)
[ -n "$conf" ] && [ -n "$bin" ] || { echo "verify_unit: no configuration or daemon installed" >&2; exit 1; }
"$root/${bin#./}" --config "$root/${conf#./}" --check-config
echo "verify_unit: ${unit#.} verified (systemd $(systemd-analyze --version | head -1 | cut -d' ' -f2))"
