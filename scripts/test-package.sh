#!/usr/bin/env bash
# test-package.sh — builds the Debian package (CPack, build-pkg/) and installs it into a fresh
# Debian 12 root made with debootstrap from the same mirror as this machine's apt, then checks
# what an operator gets: the files, the conffile, the trbridge user, the modes, the unit enabled
# and verified, the packaged daemon starting and stopping with the packaged config as that user,
# and a purge. Heavy (a few minutes, network for the Debian mirror): not part of test.sh or CI.
# docs/packaging.md shows a run. Needs root (debootstrap, chroot, mount).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/build-pkg
suite=bookworm

say() { printf '\n== %s\n' "$*"; }
fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root (debootstrap, chroot, mount)"

"$top/scripts/deps.sh"
if ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# the Debian mirror this machine's apt uses (deb822 sources first, then sources.list)
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\{0,1\}$/\1/p' \
           /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' \
                               /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || fail "no Debian mirror found in the apt configuration"

say "build the package in $dir (prefix /usr)"
cmake -S "$top" -B "$dir" -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTB_TESTS=OFF >/dev/null
cmake --build "$dir" -j "$(nproc)" >/dev/null
(cd "$dir" && rm -f ./*.deb && cpack -G DEB >/dev/null)
deb=$(ls "$dir"/trbridge_*.deb)
dpkg-deb -f "$deb" Package Version Depends Description
dpkg-deb --contents "$deb" | awk '{ print $1, $2, $6 }'

# the Debian 12 base: downloaded once into a tarball, unpacked afresh for every run
tarball=$dir/debootstrap-$suite.tar
if [ ! -s "$tarball" ]; then
  say "debootstrap: fetching the $suite base from $mirror (once)"
  debootstrap --variant=minbase --make-tarball="$tarball" "$suite" "$dir/dl" "$mirror" >/dev/null
  rm -rf "$dir/dl"
fi
root=$(mktemp -d /tmp/trbridge-pkgroot.XXXXXX)
chmod 0755 "$root" # its / : every user must be able to walk it
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  for m in proc dev/pts dev; do umount "$root/$m" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT
say "a fresh $suite root in $root"
debootstrap --variant=minbase --unpack-tarball="$tarball" "$suite" "$root" "$mirror" >/dev/null
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

say "apt-get install ./$(basename "$deb") (dependencies from $mirror)"
cp "$deb" "$root/tmp/"
# the root's _apt user cannot reach the bind-mounted cache: apt runs as root there
apt=(apt-get -o APT::Sandbox::User=root)
in_root "${apt[@]}" update -qq
in_root env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends \
  "/tmp/$(basename "$deb")" >/dev/null
in_root dpkg-query -W -f='${Package} ${Version} ${Status}\n' trbridge

say "files"
for f in /usr/sbin/trbridge /usr/bin/trbridge-ctl /usr/bin/routeros-sim \
         /usr/share/man/man8/trbridge.8.gz /usr/share/man/man5/trbridge.conf.5.gz \
         /usr/share/man/man1/trbridge-ctl.1.gz /usr/share/man/man1/routeros-sim.1.gz \
         /lib/systemd/system/trbridge.service /etc/trbridge/trbridge.conf \
         /usr/share/doc/trbridge/examples/trbridge.conf \
         /usr/share/doc/trbridge/examples/grafana-dashboard.json; do
  [ -e "$root$f" ] || fail "$f missing"
  echo "ok $f"
done
conffiles=$(in_root dpkg-query -W -f='${Conffiles}\n' trbridge)
echo "conffiles:$conffiles"
grep -q '^ /etc/trbridge/trbridge.conf ' <<<"$conffiles" || fail "trbridge.conf is not a conffile"

say "user, group, modes"
in_root getent passwd trbridge
in_root getent group trbridge
IFS=: read -r _ _ uid _ _ home shell < <(in_root getent passwd trbridge)
[ "$uid" -lt 1000 ] || fail "trbridge is not a system user (uid $uid)"
[ "$home" = /var/lib/trbridge ] && [ "$shell" = /usr/sbin/nologin ] || fail "home $home shell $shell"
check_mode() {
  local got
  got=$(in_root stat -c '%a %U %G' "$1") # names as the root knows them
  echo "$1: $got"
  [ "$got" = "$2" ] || fail "$1 is '$got', not '$2'"
}
check_mode /etc/trbridge "750 root trbridge"
check_mode /etc/trbridge/trbridge.conf "640 root trbridge"
check_mode /var/lib/trbridge "700 trbridge trbridge"

say "the unit: enabled, and systemd-analyze verify (systemd $(systemd-analyze --version | head -1 | cut -d' ' -f2)) in the root"
link=$root/etc/systemd/system/multi-user.target.wants/trbridge.service
[ -L "$link" ] || fail "trbridge.service is not enabled"
echo "enabled: $(readlink "$link")"
mkdir -p "$root/lib/systemd/system"
cp -an /lib/systemd/system/. "$root/lib/systemd/system/" # the targets it names
out=$(systemd-analyze verify --man=no --root="$root" /lib/systemd/system/trbridge.service 2>&1) ||
  fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify warns: $out"
echo "systemd-analyze verify: no message"
zcat "$root/usr/share/man/man5/trbridge.conf.5.gz" | grep -c '^\.TP$' |
  xargs printf 'trbridge.conf(5): %s key entries\n'

say "the packaged daemon, as trbridge, with the packaged config"
in_root setpriv --reuid=trbridge --regid=trbridge --init-groups --inh-caps=-all --bounding-set=-all \
  /usr/sbin/trbridge --config /etc/trbridge/trbridge.conf --check-config
log=$root/tmp/trbridge.log
chroot "$root" env -i PATH=/usr/sbin:/usr/bin setpriv --reuid=trbridge --regid=trbridge \
  --init-groups --inh-caps=-all --bounding-set=-all \
  /usr/sbin/trbridge --config /etc/trbridge/trbridge.conf >"$log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q 'routers started' "$log" && break; sleep 0.1; done
grep -q 'routers started' "$log" || { cat "$log"; fail "the daemon did not start"; }
# the host has no trbridge user: compare numeric ids with the root's
ids=$(awk '/^Uid:/ { u = $2 } /^Gid:/ { g = $2 } END { print u, g }' "/proc/$pid/status")
echo "pid $pid runs with uid gid $ids (trbridge is $uid $(in_root getent group trbridge | cut -d: -f3))"
[ "$ids" = "$uid $(in_root getent group trbridge | cut -d: -f3)" ] || fail "not running as trbridge"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
cat "$log"
[ "$status" -eq 0 ] || fail "exit status $status after SIGTERM"
grep -q 'signal 15: stopping' "$log" || fail "no clean stop"

say "purge"
in_root env DEBIAN_FRONTEND=noninteractive "${apt[@]}" purge -y -qq trbridge >/dev/null
[ ! -e "$root/usr/sbin/trbridge" ] && [ ! -e "$root/etc/trbridge" ] && [ ! -e "$root/var/lib/trbridge" ] ||
  fail "purge left files behind"
[ ! -e "$link" ] || fail "purge left the unit enabled"
echo "purged: program, configuration, state directory and enablement gone; the trbridge user stays"
say "test-package: PASS"
