#!/usr/bin/env bash
# Runs the shards Job on one start instant, collects each shard's JSON result and merges them.
#   deploy/kubernetes/run-shards.sh [lead-seconds] [out-dir]
# lead-seconds: how far ahead the shared instant is (default 60): enough for every pod to be
# scheduled, pull the image and open its users. Needs kubectl (current context) and, for the
# merge, transport-bench on this machine (TB overrides how it is called).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lead="${1:-60}"
out="${2:-shards-$(date -u +%Y%m%dT%H%M%SZ)}"
tb="${TB:-npx transport-bench}"
job=transport-bench-shards

# GNU date, else BSD date (macOS).
start_at="$(date -u -d "+${lead} seconds" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v+"${lead}"S +%Y-%m-%dT%H:%M:%SZ)"
count="$(sed -n 's/^  completions: \([0-9]*\)$/\1/p' "$here/shards-job.yaml")"
echo "shards: ${count}, start at ${start_at}" >&2

kubectl delete job "$job" --ignore-not-found >/dev/null
sed "s/START_AT_PLACEHOLDER/${start_at}/" "$here/shards-job.yaml" | kubectl apply -f - >/dev/null
# Done when every index completed, or failed as soon as one shard does.
kubectl wait --for=condition=complete "job/$job" --timeout=30m &
complete=$!
kubectl wait --for=condition=failed "job/$job" --timeout=30m >/dev/null 2>&1 &
failed=$!
wait -n "$complete" "$failed" || true
kill "$complete" "$failed" 2>/dev/null || true
if [ "$(kubectl get job "$job" -o jsonpath='{.status.succeeded}')" != "$count" ]; then
  echo "run-shards: not every shard succeeded; see kubectl logs -l job-name=$job" >&2
  exit 1
fi

mkdir -p "$out"
files=()
for ((i = 0; i < count; i++)); do
  pod="$(kubectl get pods -l "job-name=$job,batch.kubernetes.io/job-completion-index=$i" -o jsonpath='{.items[0].metadata.name}')"
  kubectl logs "$pod" > "$out/shard-$i.json"
  files+=("$out/shard-$i.json")
done
$tb merge "${files[@]}" -o "$out/merged.json"
echo "merged result: $out/merged.json" >&2
