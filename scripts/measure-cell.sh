#!/usr/bin/env bash
# One cell two ways, one after the other on the same machine: the plain PyTorch script
# (../shared/peer/hecto_ref.py, needs python3-torch) and `hecto run experiments/perf/peer-cell.toml`
# at each PRECISION given (default: fp32 auto). Both use THREADS threads (default 2) and the same
# OPENBLAS_CORETYPE; PYTHON names the interpreter with torch (default python3). Prints training, evaluation and whole-process seconds, and hecto's ratios.
#   usage: scripts/measure-cell.sh HECTO [THREADS] [PRECISION...]
#   e.g.   scripts/measure-cell.sh build/hecto 2 fp32 auto
set -euo pipefail
hecto=$1 threads=${2:-2}
shift $(($# < 2 ? $# : 2))
precisions=("$@")
[[ $# -gt 0 ]] || precisions=(fp32 auto)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peer=${PEER:-$root/../shared/peer/hecto_ref.py}
data=${HECTO_DATA_DIR:-$root/../shared/data}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

t0=$(now)
"${PYTHON:-python3}" "$peer" --task agnews --train-n 5000 --eval-n 7600 --dim 256 --layers 4 --heads 4 --ffn 1024 \
  --epochs 3 --bs 16 --lr 1e-4 --head-lr 1e-3 --seed 0 --threads "$threads" --json "$work/peer.json" >"$work/peer.log"
peer_wall=$(since "$t0")
read -r peer_train peer_eval peer_acc < <("${PYTHON:-python3}" -c '
import json, sys
r = json.load(open(sys.argv[1])); m = r["metrics"]
print(round(m["train_s"], 1), round(m["eval_s"], 1), round(100 * m["accuracy"], 2))' "$work/peer.json")
printf '%-22s %9s %9s %9s %9s\n' run train_s eval_s wall_s accuracy
printf '%-22s %9s %9s %9s %9s\n' "plain PyTorch" "$peer_train" "$peer_eval" "$peer_wall" "$peer_acc"

for precision in "${precisions[@]}"; do
  t0=$(now)
  "$hecto" --threads "$threads" run "$root/experiments/perf/peer-cell.toml" --precision "$precision" \
    --data-dir "$data" --db "$work/$precision.db" --cache-dir "$work/cache-$precision" >"$work/$precision.log" 2>&1
  wall=$(since "$t0")
  read -r train eval acc used < <("$hecto" query --db "$work/$precision.db" --format csv \
    "SELECT round(r.train_seconds, 1), round(t.eval_seconds, 1), round(100 * r.accuracy, 2), r.precision
     FROM v_results r JOIN timings t ON t.cell_id = r.id" |
    tail -1 | tr -d '\r' | tr ',' ' ')
  printf '%-22s %9s %9s %9s %9s   ratios (peer / hecto): train %.2fx, eval %.2fx, whole %.2fx\n' \
    "hecto $precision ($used)" "$train" "$eval" "$wall" "$acc" \
    "$(awk -v a="$peer_train" -v b="$train" 'BEGIN { print a / b }')" \
    "$(awk -v a="$peer_eval" -v b="$eval" 'BEGIN { print a / b }')" \
    "$(awk -v a="$peer_wall" -v b="$wall" 'BEGIN { print a / b }')"
done
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE; threads $threads"
