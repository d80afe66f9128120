#!/usr/bin/env bash
# Times one experiment matrix run naively (no token/feature cache, every batch padded to
# max_len, one cell at a time) and as `make reproduce` runs it (caches, dynamic padding, --jobs),
# each from an empty database and cache, and prints both times and the ratio.
#   usage: scripts/measure-speedup.sh HECTO EXPERIMENT PROFILE [JOBS]
#   e.g.   scripts/measure-speedup.sh build/hecto experiments/paper/encoder.toml cpu 2
set -euo pipefail

hecto=$1 exp=$2 profile=$3 jobs=${4:-auto}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

timed() {  # label, then the hecto run arguments
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$hecto" -q run "$exp" --profile "$profile" "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$label $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
}

naive=$(timed naive --db "$work/naive.db" --cache-dir "$work/naive-cache" --no-cache --pad-to-max --jobs 1 | cut -d' ' -f2)
fast=$(timed fast --db "$work/fast.db" --cache-dir "$work/fast-cache" --jobs "$jobs" | cut -d' ' -f2)
cells=$("$hecto" query --db "$work/fast.db" --format csv "SELECT count(*) FROM cells WHERE status = 'done'" | tail -1)
printf 'experiment %s, profile %s, %s cells on %s (%s cores)\n' "$exp" "$profile" "$cells" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)"
printf 'naive (--no-cache --pad-to-max --jobs 1): %.1f s\n' "$naive"
printf 'fast  (caches, dynamic padding, --jobs %s): %.1f s\n' "$jobs" "$fast"
printf 'speed-up: %.2fx\n' "$(awk -v a="$naive" -v b="$fast" 'BEGIN { print a / b }')"
