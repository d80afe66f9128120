#!/usr/bin/env bash
# Live Slurm (ctest label `slurm`, `make test-slurm`): starts a single-node cluster on this machine
# (scripts/slurm-cluster.sh), then
#  1. runs what `hecto slurm experiments/smoke.toml --shards 3` writes, as a user would (submit.sh),
#     and checks that the merged database holds the same cells with bit-identical metrics as one
#     local `hecto run` of the same matrix;
#  2. submits again into fresh directories, cancels one array task before it starts, sees the merge
#     left waiting, resubmits with `hecto slurm --resubmit-missing` and checks that only the
#     cancelled shard ran again (finished shard databases untouched, every cell attempted once)
#     and that the merge again equals the local run.
# The cluster is stopped by its pids on every exit, failed or not.
# usage: slurm_live.sh HECTO_BINARY SOURCE_DIR        (root; exit 77 = skipped)
set -euo pipefail

hecto=$1
src=$2
data=${HECTO_TEST_DATA:-$src/../shared/data}
experiment=$src/experiments/smoke.toml
job_timeout=${SLURM_TEST_JOB_TIMEOUT:-300}  # per job; the four waits stay under ctest's 1800 s, so the trap runs

[[ $(id -u) -eq 0 ]] || { echo "slurm_live: skipped: needs root (the cluster runs as SlurmUser=root)"; exit 77; }
[[ -d "$data" ]] || { echo "slurm_live: skipped: no data at $data"; exit 77; }
data=$(cd "$data" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/hecto-slurm-test.XXXXXX")
cluster=$work/cluster
step() { echo "slurm_live: [$(date +%T)] $*"; }
fail() {
  echo "slurm_live: FAILED: $*" >&2
  exit 1
}
finish() {
  local rc=$?
  if ((rc != 0 && rc != 77)); then
    # What a person needs to see why: the jobs' logs and the controller's last lines.
    for f in "$work"/*/slurm/logs/*.out "$cluster/slurmctld.log"; do
      [[ -f "$f" ]] && { echo "--- $f (last 30 lines)"; tail -n 30 "$f"; }
    done
  fi
  "$src/scripts/slurm-cluster.sh" stop "$cluster" || true
  rm -rf "$work"
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

step "starting a single-node cluster in $cluster"
"$src/scripts/slurm-cluster.sh" start "$cluster"
export SLURM_CONF=$cluster/slurm.conf
cd "$work"

# --- helpers ---------------------------------------------------------------------------------
job_states() { scontrol show job -o "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort | uniq -c | tr -s ' ' || true; }
# Waits until every task of job $1 has ended; fails unless all COMPLETED (or $2 says what is allowed).
wait_for_job() {
  local id=$1 allowed=${2:-COMPLETED} start=$SECONDS states
  while :; do
    states=$(scontrol show job -o "$id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)
    [[ -n "$states" ]] || fail "job $id is unknown to slurmctld"
    if ! grep -qE 'PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED|REQUEUED' <<<"$states"; then
      if grep -qvE "^($allowed)$" <<<"$states"; then fail "job $id ended as: $(job_states "$id")"; fi
      return 0
    fi
    ((SECONDS - start < job_timeout)) || fail "job $id still not done after ${job_timeout} s: $(job_states "$id")"
    sleep 1
  done
}
job_field() { scontrol show job -o "$1" | grep -o "$2=[^ ]*" | head -n1 | cut -d= -f2; }
metrics() { "$hecto" query --db "$1" --format csv "SELECT cell_id, split, name, value FROM metrics ORDER BY 1, 2, 3"; }
cells_done() { "$hecto" query --db "$1" --format csv "SELECT id FROM cells WHERE status = 'done' ORDER BY id"; }
scalar() { "$hecto" query --db "$1" --format csv "$2" | tail -n +2 | tr -d '\r'; }
slurm_scripts() {  # DIR [extra options]
  local dir=$1
  shift
  "$hecto" slurm "$experiment" --shards 3 --output "$dir/slurm" --results "$dir/results" --data-dir "$data" \
    --cpus-per-task 1 --mem 2G --time 00:30:00 "$@"
}
# "submitted array job 12 (3 tasks) and merge job 13" -> "12 13"
submitted_ids() { sed -n 's/^submitted array job \([0-9]*\) .* and merge job \([0-9]*\)$/\1 \2/p' <<<"$1"; }

# --- the reference: one local run, one thread, its own cache ---------------------------------
t0=$SECONDS
step "local reference run of $experiment"
HECTO_THREADS=1 "$hecto" run "$experiment" --db "$work/local.db" --data-dir "$data" --jobs 1 \
  --cache-dir "$work/local-cache" >"$work/local.log" 2>&1 || { cat "$work/local.log"; fail "local run"; }
n_cells=$(cells_done "$work/local.db" | tail -n +2 | wc -l)
[[ "$n_cells" -eq 8 ]] || fail "the local run finished $n_cells cells, expected the smoke matrix's 8"
step "local run: $n_cells cells in $((SECONDS - t0)) s"

# --- 1. the array and its merge, as submit.sh submits them -----------------------------------
t1=$SECONDS
slurm_scripts "$work/a" | tee "$work/a.out"
grep -q '#SBATCH --array=0-2$' "$work/a/slurm/hecto-array.sbatch" || fail "the array is not 0-2"
out=$("$work/a/slurm/submit.sh")
echo "$out"
read -r array merge <<<"$(submitted_ids "$out")"
[[ -n "$array" && -n "$merge" ]] || fail "submit.sh printed no job ids: $out"
[[ "$(job_field "$merge" Dependency)" == *"afterok:$array"* ]] || fail "the merge does not wait for the array"
wait_for_job "$array"
wait_for_job "$merge"
[[ -f "$work/a/results/hecto.db" ]] || fail "the merge job wrote no hecto.db"
diff <(cells_done "$work/local.db") <(cells_done "$work/a/results/hecto.db") || fail "merged cell ids differ from the local run"
diff <(metrics "$work/local.db") <(metrics "$work/a/results/hecto.db") || fail "merged metrics differ from the local run"
n_metrics=$(metrics "$work/local.db" | tail -n +2 | wc -l)
((n_metrics > 0)) || fail "no metrics to compare"
step "1. array + merge: $n_cells cells, $n_metrics metric rows bit-identical to the local run ($((SECONDS - t1)) s)"

# --- 2. a cancelled task, then --resubmit-missing --------------------------------------------
t2=$SECONDS
# The shard to cancel: the first that ran cells (a shard can be empty when ids fall unevenly; every
# shard database lists all the plan's cells, those of other shards as pending).
victim=""
for i in 0 1 2; do
  if [[ $(scalar "$work/a/results/shard-$i.db" "SELECT count(*) FROM cells WHERE status = 'done'") -gt 0 ]]; then
    victim=$i
    break
  fi
done
[[ -n "$victim" ]] || fail "no shard of run 1 held a cell"
slurm_scripts "$work/b" >/dev/null
# Held (sbatch reads SBATCH_HOLD), so the task is cancelled before it can start, on any machine.
out=$(SBATCH_HOLD=1 "$work/b/slurm/submit.sh")
read -r array merge <<<"$(submitted_ids "$out")"
[[ -n "$array" && -n "$merge" ]] || fail "submit.sh printed no job ids: $out"
scancel "${array}_${victim}"
scontrol release "$array"
scontrol release "$merge"
wait_for_job "$array" 'COMPLETED|CANCELLED'
# (slurmctld forgets a pending array task once it is cancelled: its record is gone, not CANCELLED.)
if scontrol show job -o "$array" | grep "ArrayTaskId=$victim " | grep -q 'JobState=COMPLETED'; then
  fail "task $victim ran although it was cancelled"
fi
[[ ! -e "$work/b/results/shard-$victim.db" ]] || fail "the cancelled task wrote shard-$victim.db"
# The merge never runs on a failed array: it waits, and the user cancels it.
for _ in $(seq 30); do
  [[ "$(job_field "$merge" Reason)" == DependencyNeverSatisfied ]] && break
  sleep 1
done
[[ "$(job_field "$merge" JobState)" == PENDING && "$(job_field "$merge" Reason)" == DependencyNeverSatisfied ]] ||
  fail "merge job $merge is $(job_field "$merge" JobState) ($(job_field "$merge" Reason)), expected PENDING (DependencyNeverSatisfied)"
scancel "$merge"
[[ ! -e "$work/b/results/hecto.db" ]] || fail "a merge ran although a task was cancelled"

declare -A before
for i in 0 1 2; do
  [[ -f "$work/b/results/shard-$i.db" ]] && before[$i]=$(sha256sum <"$work/b/results/shard-$i.db")
done
resubmit=$(slurm_scripts "$work/b" --resubmit-missing)
echo "$resubmit"
grep -q "unfinished shards $victim of 3" <<<"$resubmit" || fail "--resubmit-missing did not name shard $victim alone"
grep -q "^#SBATCH --array=$victim\$" "$work/b/slurm/hecto-array.sbatch" || fail "the resubmitted array is not --array=$victim"
out=$("$work/b/slurm/submit.sh")
echo "$out"
read -r array merge <<<"$(submitted_ids "$out")"
wait_for_job "$array"
wait_for_job "$merge"
for i in "${!before[@]}"; do
  [[ "$(sha256sum <"$work/b/results/shard-$i.db")" == "${before[$i]}" ]] || fail "finished shard-$i.db was written again"
done
n_done=0
for db in "$work"/b/results/shard-*.db; do
  again=$(scalar "$db" "SELECT count(*) FROM cells WHERE attempts > 1 OR status IN ('running', 'failed')
                        OR (status = 'done' AND attempts <> 1)")
  [[ "$again" -eq 0 ]] || fail "$db: $again cell(s) not done in exactly one attempt"
  n_done=$((n_done + $(scalar "$db" "SELECT count(*) FROM cells WHERE status = 'done'")))
done
[[ "$n_done" -eq "$n_cells" ]] || fail "the shard databases hold $n_done done cells, expected $n_cells (each once)"
diff <(cells_done "$work/local.db") <(cells_done "$work/b/results/hecto.db") || fail "merged cell ids differ after resubmission"
diff <(metrics "$work/local.db") <(metrics "$work/b/results/hecto.db") || fail "merged metrics differ after resubmission"
step "2. cancelled task $victim resubmitted alone, nothing computed twice, merge equals the local run ($((SECONDS - t2)) s)"
step "passed in $SECONDS s"
