#!/usr/bin/env bash
# How cost grows: experiments/perf/scaling.toml (training size x max_len, 256 x 4 encoder) with
# --jobs 1 (all threads to one cell) and --jobs 2, and experiments/perf/base-epoch.toml (the
# DistilBERT-base size, fp32 and bf16). Each run starts from an empty database and cache in DIR.
# Prints per cell: training seconds, seconds per 1,000 samples, peak RSS, and each run's wall time.
#   usage: scripts/measure-scaling.sh HECTO DIR
set -euo pipefail
hecto=$1 dir=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rm -rf "$dir" && mkdir -p "$dir"

run() {  # name, then hecto run arguments
  local name=$1 t0
  shift
  t0=$(date +%s.%N)
  "$hecto" run "$@" --db "$dir/$name.db" --cache-dir "$dir/cache-$name" >"$dir/$name.log" 2>&1
  echo "$name: wall $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
  "$hecto" query --db "$dir/$name.db" "SELECT json_extract(c.config_json, '\$.data.train_size') AS train,
      json_extract(c.config_json, '\$.data.max_len') AS max_len, r.precision,
      round(r.train_seconds, 1) AS train_s, round(1000 * r.train_seconds / json_extract(c.config_json, '\$.data.train_size'), 2) AS s_per_1k,
      round(r.peak_rss_bytes / 1048576.0) AS peak_rss_mib
    FROM v_results r JOIN cells c ON c.id = r.id ORDER BY train, max_len, r.precision"
}
run base-epoch "$root/experiments/perf/base-epoch.toml" --jobs 1
run jobs1 "$root/experiments/perf/scaling.toml" --jobs 1
run jobs2 "$root/experiments/perf/scaling.toml" --jobs 2
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset (hecto picks)}"
