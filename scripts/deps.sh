#!/usr/bin/env bash
# deps.sh — installs the Debian 12 packages trbridge needs to build, test and run its demo, and the
# npm packages of the tests' Node peers (tests/node, from its package-lock.json), if any are
# missing. Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

pkgs=(build-essential cmake pkg-config git
      libwebsockets-dev libwebsockets-evlib-ev libev-dev libmosquitto-dev libprotobuf-c-dev
      protobuf-c-compiler libxml2-dev libxml2-utils libssl-dev libcmocka-dev mosquitto
      mosquitto-clients openssl libcurl4-openssl-dev curl
      libsystemd-dev python3-prometheus-client systemd groff-base)
[ "${TB_WITH_FUZZ:-0}" = 1 ] && pkgs+=(clang libclang-rt-14-dev)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js and npm run the tests' independent peers (ws, usp-js); any install of them will do (the
# machine may already have one that is not Debian's)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# the npm packages exactly as package-lock.json pins them, again whenever the lock changes
node_dir=$top/tests/node
if [ ! -f "$node_dir/node_modules/.package-lock.json" ] ||
   [ "$node_dir/package-lock.json" -nt "$node_dir/node_modules/.package-lock.json" ]; then
  echo "deps: npm ci in tests/node" >&2
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
