#!/usr/bin/env bash
# scripts/reproduce.sh with a stand-in for hecto that records its arguments: RUN_FLAGS reach every
# `hecto run` word by word, REPORT_NAME names the report's folder, and without them the commands
# carry nothing extra (no empty argument).
# usage: reproduce_flags_test.sh SOURCE_DIR
set -euo pipefail

src=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/hecto-reproduce-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "reproduce_flags_test: FAILED: $*" >&2; exit 1; }

cat > "$work/hecto" <<'STUB'
#!/usr/bin/env bash
printf '%s|' "$@" >> "$HECTO_STUB_LOG"
echo >> "$HECTO_STUB_LOG"
STUB
chmod +x "$work/hecto"
export HECTO_STUB_LOG=$work/calls

cd "$src"
RUN_FLAGS="--precision fp32 --set train.epochs=2" REPORT_NAME=smoke-fp32 \
  scripts/reproduce.sh "$work/hecto" smoke "$work/x.db" 1 > /dev/null
runs=$(grep -c '^run|' "$HECTO_STUB_LOG" || true)
[[ $runs == "$(scripts/profile-experiments.sh smoke | wc -l)" ]] || fail "expected one hecto run per experiment file, got $runs"
with_flags=$(grep -c '^run|experiments/paper/[a-z_]*\.toml|--profile|smoke|--db|'"$work"'/x.db|--jobs|1|--precision|fp32|--set|train.epochs=2|$' \
  "$HECTO_STUB_LOG" || true)
[[ $with_flags == "$runs" ]] || fail "RUN_FLAGS did not reach every run: $(cat "$HECTO_STUB_LOG")"
grep -qx "report|--db|$work/x.db|--profile|smoke-fp32|--format|all|" "$HECTO_STUB_LOG" ||
  fail "REPORT_NAME did not name the report: $(cat "$HECTO_STUB_LOG")"

: > "$HECTO_STUB_LOG"
scripts/reproduce.sh "$work/hecto" smoke "$work/x.db" 1 > /dev/null
grep -q '|1|$' "$HECTO_STUB_LOG" || fail "without RUN_FLAGS a run should end at --jobs 1: $(cat "$HECTO_STUB_LOG")"
grep -qx "report|--db|$work/x.db|--profile|smoke|--format|all|" "$HECTO_STUB_LOG" ||
  fail "without REPORT_NAME the report should be named for the profile: $(cat "$HECTO_STUB_LOG")"
echo "reproduce_flags_test: passed"
