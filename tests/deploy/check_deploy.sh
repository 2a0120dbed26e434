#!/usr/bin/env bash
# check_deploy.sh BUILD_DIR — deploy/ without a cluster or a container engine: every Kubernetes
# manifest valid against the API schemas, strictly (tests/node/validate_k8s.mjs, npm
# kubernetes-models), each listed in kustomization.yaml; the ConfigMap's trbridge.conf passes
# trbridge --check-config; TRBRIDGE_SHARDS equals replicas; the container entrypoint turns the pod's
# host name into --shard <ordinal>/<n> (run with the built trbridge and a stand-in `hostname`).
set -euo pipefail
b=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
k8s=$top/deploy/kubernetes
tmp=$(mktemp -d /tmp/trbridge-deploy.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check_deploy: $*" >&2; exit 1; }

manifests=()
for f in "$k8s"/*.yaml; do
  [ "$(basename "$f")" = kustomization.yaml ] && continue
  manifests+=("$f")
  grep -qx "  - $(basename "$f")" "$k8s/kustomization.yaml" || fail "$(basename "$f") not in kustomization.yaml"
done
(cd "$top/tests/node" && node validate_k8s.mjs "${manifests[@]}")

# the facts the manifests must agree on, read with the same YAML parser
(cd "$top/tests/node" && node --input-type=module -e '
  import { readFileSync, writeFileSync } from "node:fs";
  import { parseAllDocuments } from "yaml";
  const [dir, out] = process.argv.slice(1);
  const all = ["configmap.yaml", "statefulset.yaml"].flatMap(f =>
    parseAllDocuments(readFileSync(`${dir}/${f}`, "utf8")).map(d => d.toJS()));
  const cm = all.find(d => d.kind === "ConfigMap"), ss = all.find(d => d.kind === "StatefulSet");
  writeFileSync(`${out}/trbridge.conf`, cm.data["trbridge.conf"]);
  const c = ss.spec.template.spec.containers[0];
  const shards = c.env.find(e => e.name === "TRBRIDGE_SHARDS").value;
  if (Number(shards) !== ss.spec.replicas) { console.error(`TRBRIDGE_SHARDS ${shards} != replicas ${ss.spec.replicas}`); process.exit(1); }
  const mount = c.volumeMounts.find(m => m.name === "config").mountPath;
  if (mount !== "/etc/trbridge") { console.error(`config mounted at ${mount}`); process.exit(1); }
' "$k8s" "$tmp") || fail "the manifests disagree"
"$b/bridge/trbridge" --config "$tmp/trbridge.conf" --check-config

# the entrypoint: pod trbridge-1 of 3 shards
mkdir "$tmp/bin"
printf '#!/bin/sh\necho trbridge-1\n' >"$tmp/bin/hostname"
chmod +x "$tmp/bin/hostname"
out=$(PATH=$tmp/bin:$PATH TRBRIDGE_BIN=$b/bridge/trbridge TRBRIDGE_CONFIG=$tmp/trbridge.conf \
      TRBRIDGE_SHARDS=3 sh "$top/deploy/container/entrypoint.sh" --show-shards)
echo "$out"
want=$("$b/bridge/trbridge" --config "$tmp/trbridge.conf" --shard 1/3 --show-shards)
[ "$out" = "$want" ] || fail "the entrypoint did not pass --shard 1/3"
# a file per shard: TRBRIDGE_CONFIG with %i
cp "$tmp/trbridge.conf" "$tmp/trbridge-1.conf"
out=$(PATH=$tmp/bin:$PATH TRBRIDGE_BIN=$b/bridge/trbridge TRBRIDGE_CONFIG=$tmp/trbridge-%i.conf \
      sh "$top/deploy/container/entrypoint.sh" --check-config)
[ "$out" = "$tmp/trbridge-1.conf: OK" ] || fail "the entrypoint did not read trbridge-1.conf: $out"
printf '#!/bin/sh\necho trbridge\n' >"$tmp/bin/hostname"
if PATH=$tmp/bin:$PATH TRBRIDGE_BIN=$b/bridge/trbridge TRBRIDGE_SHARDS=3 \
   sh "$top/deploy/container/entrypoint.sh" --show-shards 2>/dev/null; then
  fail "the entrypoint accepted a host name without an ordinal"
fi
echo "check_deploy: manifests valid, config checked, entrypoint shards by host name"
