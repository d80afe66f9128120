#!/usr/bin/env bash
# Times one experiment matrix run naively (no token/feature cache, every batch padded to
# max_len, one cell at a time, fp32, the whole evaluation split after every epoch) and as `make reproduce` runs it (caches, length-grouped dynamic
# padding, --jobs), each from an empty database and cache, and prints both times and the ratio.
# EXPERIMENT is a .toml file, or `all` for every file `make reproduce` runs with PROFILE.
# With SPEEDUP_DIR set, both databases are kept there (naive.db, fast.db) for later queries.
#   usage: scripts/measure-speedup.sh HECTO EXPERIMENT PROFILE [JOBS]
#   e.g.   scripts/measure-speedup.sh build/hecto all cpu auto
set -euo pipefail
shopt -s inherit_errexit  # a failed run inside $(timed ...) stops the script

hecto=$1 exp=$2 profile=$3 jobs=${4:-auto}
if [[ $exp == all ]]; then
  mapfile -t experiments < <("$(dirname "$0")/profile-experiments.sh" "$profile")
else
  experiments=("$exp")
fi
if [[ -n ${SPEEDUP_DIR:-} ]]; then
  work=$SPEEDUP_DIR
  mkdir -p "$work"
  # with their -wal/-shm files, which belong to the previous databases
  rm -rf "$work"/naive.db* "$work"/fast.db* "$work"/naive-cache "$work"/fast-cache
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

timed() {  # run label (naive|fast), then the hecto run arguments; prints the seconds taken
  local label=$1; shift
  local t0 t1 e
  t0=$(date +%s.%N)
  for e in "${experiments[@]}"; do
    "$hecto" -q run "$e" --profile "$profile" --db "$work/$label.db" --cache-dir "$work/$label-cache" "$@" >/dev/null
  done
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}

# Naive is the run without any of the speed levers: no caches, every batch padded to max_len, one
# cell at a time, fp32, and the whole evaluation split after every epoch.
naive=$(timed naive --no-cache --pad-to-max --jobs 1 --precision fp32 --set train.eval_schedule=every_epoch)
fast=$(timed fast --jobs "$jobs")
cells=$("$hecto" query --db "$work/fast.db" --format csv "SELECT count(*) FROM cells WHERE status = 'done'" | tail -1)
printf 'experiment %s (%d files), profile %s, %s cells on %s (%s cores)\n' "$exp" "${#experiments[@]}" "$profile" \
  "$cells" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)"
printf 'naive (--no-cache --pad-to-max --jobs 1 --precision fp32, evaluation every epoch): %.1f s\n' "$naive"
printf 'fast  (the profile as make reproduce runs it, --jobs %s): %.1f s\n' "$jobs" "$fast"
printf 'speed-up: %.2fx\n' "$(awk -v a="$naive" -v b="$fast" 'BEGIN { print a / b }')"
# Where the time went: the cells' own seconds (train + eval + encode), by encoder mode.
for label in naive fast; do
  echo "$label: cell seconds by encoder mode"
  "$hecto" query --db "$work/$label.db" "SELECT v.encoder_mode, count(*) AS cells,
      round(sum(t.train_seconds + t.eval_seconds + coalesce(t.encode_seconds, 0)), 1) AS cell_seconds
    FROM v_results v JOIN timings t ON t.cell_id = v.id GROUP BY 1"
done
