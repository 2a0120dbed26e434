#!/usr/bin/env bash
# check_man.sh BUILD_DIR — the manual pages against the programs: every key of `trbridge
# --list-keys` has its entry in trbridge.conf(5) under its own section, every long option that a
# program's --help prints is in its page, and groff renders each page without a warning.
set -euo pipefail
b=$1
man=$b/man
fail=0
say() { echo "check_man: $*" >&2; fail=1; }

# keys: "[section] key = ..." lines -> ".SS [section]" then ".B key" before the next .SS
while read -r sec key; do
  awk -v sec="$sec" -v key="$key" '
    /^\.SS \[/ { cur = $2; sub(/^\[/, "", cur); sub(/\]$/, "", cur) }
    cur == sec && $0 == ".B " key { found = 1 }
    END { exit !found }' "$man/trbridge.conf.5" || say "trbridge.conf.5 lacks [$sec] $key"
done < <("$b/bridge/trbridge" --list-keys | sed -E 's/^\[([a-z]+)( NAME)?\] ([a-z_]+) =.*/\1 \3/')

# options: each --long option of --help, written \-\-long in the page
check_options() {
  local page=$1; shift
  local opt
  for opt in $("$@" --help 2>&1 | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
    grep -qF -- "$(echo "$opt" | sed 's/-/\\-/g')" "$page" || say "$(basename "$page") lacks $opt"
  done
}
check_options "$man/trbridge.8" "$b/bridge/trbridge"
check_options "$man/trbridge-ctl.1" "$b/tools/ctl/trbridge-ctl"
check_options "$man/routeros-sim.1" "$b/tools/routeros-sim"

for page in "$man"/trbridge.8 "$man"/trbridge.conf.5 "$man"/trbridge-ctl.1 "$man"/routeros-sim.1; do
  out=$(groff -k -man -Tutf8 -ww -z "$page" 2>&1) || say "groff failed on $page"
  [ -z "$out" ] || say "groff warns on $(basename "$page"): $out"
done
[ $fail -eq 0 ] && echo "check_man: 4 pages, every key and option present"
exit $fail
