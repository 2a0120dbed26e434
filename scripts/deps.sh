#!/usr/bin/env bash
# deps.sh — installs the Debian 12 packages trbridge needs to build, test and run its demo, if any
# are missing. Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

pkgs=(build-essential cmake pkg-config git
      libwebsockets-dev libwebsockets-evlib-ev libev-dev libmosquitto-dev libprotobuf-c-dev
      protobuf-c-compiler libxml2-dev libxml2-utils libssl-dev libcmocka-dev mosquitto
      mosquitto-clients openssl libcurl4-openssl-dev curl)
[ "${TB_WITH_FUZZ:-0}" = 1 ] && pkgs+=(clang libclang-rt-14-dev)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
