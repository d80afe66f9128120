#!/usr/bin/env bash
# make reproduce: every paper experiment with one profile, then the report. Resumable: each
# `hecto run` skips the cells the database already holds, so running this again after an
# interruption finishes only what is missing; the report is rendered when nothing is left.
# RUN_FLAGS (environment) adds options to every `hecto run` (e.g. "--precision fp32"); REPORT_NAME
# names the report's folder under reports/out/ (default: the profile).
#   usage: scripts/reproduce.sh HECTO PROFILE DB [JOBS]
set -uo pipefail

hecto=$1 profile=$2 db=$3 jobs=${4:-auto}
mapfile -t experiments < <("$(dirname "$0")/profile-experiments.sh" "$profile")
read -ra run_flags <<< "${RUN_FLAGS:-}"
report_name=${REPORT_NAME:-$profile}

banner() { printf '\n%s\n%s\n%s\n\n' "==========================================================================" "$1" \
  "=========================================================================="; }

case "$profile" in
  paper) banner "PROFILE=paper: the paper's settings with distilbert-base-uncased (weights/distilbert-base-uncased)." ;;
  cpu)
    banner "PROFILE=cpu: OFFLINE TRACK. These are NOT the paper's DistilBERT figures: a dim 256 x 4 encoder
built here (make pretrain: skip-gram word embeddings on 9.2M tokens, an empty [CLS]), the paper's protocol otherwise
(5k training samples, full evaluation splits, max_len 128) with 3 epochs, seeds 0-2, floors beside.
Every table and plot names this encoder. For the paper track: make weights, then PROFILE=paper."
    ;;
  quick)
    banner "PROFILE=quick: a FIRST LOOK only. 1,000 training samples, 1,000 evaluation samples, max_len 64,
2 epochs, on the offline encoder (not the paper's DistilBERT). Seed spreads this wide CANNOT test any
of the paper's claims: use PROFILE=cpu (1-2 hours on 2 cores) for that."
    ;;
  smoke) banner "PROFILE=smoke: a one-minute pipeline check with a tiny random encoder; no figure means anything." ;;
  *) echo "reproduce: unknown PROFILE '$profile' (expected paper, cpu, quick or smoke)" >&2; exit 2 ;;
esac

start=$(date +%s)
failed=0
for exp in "${experiments[@]}"; do
  echo "reproduce: $exp (profile $profile${RUN_FLAGS:+, $RUN_FLAGS})"
  "$hecto" run "$exp" --profile "$profile" --db "$db" --jobs "$jobs" "${run_flags[@]}"
  rc=$?
  case $rc in
    0) ;;
    130) echo "reproduce: interrupted; run the same command again to resume." >&2; exit 130 ;;
    1) failed=1; echo "reproduce: some cells of $exp failed (see hecto status $exp --profile $profile --db $db)" >&2 ;;
    *) exit $rc ;;
  esac
done

"$hecto" report --db "$db" --profile "$report_name" --format all || exit $?
echo "reproduce: profile $profile took $(( ($(date +%s) - start) / 60 )) min; tables in reports/out/$report_name/ (tables.md, index.html)"
exit $failed
