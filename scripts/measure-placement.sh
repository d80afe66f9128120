#!/usr/bin/env bash
# Thread placement, like for like: the same cells on the same warm caches, run as 1 job with
# every core's thread and as one single-threaded job per core (what --jobs auto picks), twice
# each, alternating, each into a fresh database.
#   usage: scripts/measure-placement.sh HECTO EXPERIMENT PROFILE
#   e.g.   scripts/measure-placement.sh build/hecto experiments/paper/encoder.toml cpu
set -euo pipefail
shopt -s inherit_errexit

hecto=$1 exp=$2 profile=$3
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Warm the token and feature caches, so both placements read them.
"$hecto" -q run "$exp" --profile "$profile" --db "$work/warm.db" --cache-dir "$work/cache" --jobs "$cores" >/dev/null
for rep in 1 2; do
  for jobs in 1 "$cores"; do
    t0=$(date +%s.%N)
    "$hecto" -q run "$exp" --profile "$profile" --db "$work/jobs$jobs-$rep.db" --cache-dir "$work/cache" \
      --jobs "$jobs" >/dev/null
    t1=$(date +%s.%N)
    printf 'run %d: %d job(s) x %d thread(s): %.1f s\n' "$rep" "$jobs" $((cores / jobs)) \
      "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
  done
done
