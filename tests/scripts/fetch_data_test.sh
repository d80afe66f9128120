#!/usr/bin/env bash
# `make data` (scripts/fetch-data.sh) against the official sources served in miniature on
# 127.0.0.1 (official_server.py): success, a dropped connection, a truncated file, a wrong
# checksum and a server error. Each failure must end in a clear message, keep the staged files,
# and leave nothing half-written behind; a success installs and records the official files.
# usage: fetch_data_test.sh SOURCE_DIR        (exit 77 = skipped)
set -euo pipefail

src=$1
staged_source=${HECTO_TEST_DATA:-$src/../shared/data}
[[ -d "$staged_source" ]] || { echo "fetch_data_test: skipped: no staged data at $staged_source"; exit 77; }
for tool in python3 curl unzip; do
  command -v "$tool" >/dev/null || { echo "fetch_data_test: skipped: no $tool"; exit 77; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/hecto-fetch-test.XXXXXX")
server_pid=""
finish() {
  local rc=$?
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
  exit "$rc"
}
trap finish EXIT
fail() {
  echo "fetch_data_test: FAILED: $*" >&2
  exit 1
}
step() { echo "fetch_data_test: $*"; }

python3 "$src/tests/scripts/official_server.py" fixtures "$work/fixtures"
python3 "$src/tests/scripts/official_server.py" serve "$work/fixtures" "$work/port" &
server_pid=$!
for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.05; done
[[ -s "$work/port" ]] || fail "the loopback server did not start"
base=http://127.0.0.1:$(cat "$work/port")

# The real table's rows (its datasets, paths, file names and zip members), with the MD5s and row
# counts of the fixtures in place of the official files'.
while read -r group path url member md5 count; do
  f=$work/fixtures/${url##*/}
  if [[ "$member" == - ]]; then content=(cat "$f"); else content=(unzip -p "$f" "$member"); fi
  if [[ "$md5" != - ]]; then md5=$("${content[@]}" | md5sum | cut -d' ' -f1); fi
  if [[ "$path" == *.json ]]; then count=$("${content[@]}" | grep -o '"_id" *:' | wc -l); else count=$("${content[@]}" | wc -l); fi
  echo "$group $path $url $member $md5 $count"
done < <(grep -v '^ *#' "$src/scripts/official-sources.tsv" | awk NF) >"$work/table.tsv"
[[ $(wc -l <"$work/table.tsv") -ge 8 ]] || fail "the table of official sources has fewer rows than expected"

# The staged data once (no network), then one copy per case.
HECTO_DATA_OFFICIAL=0 HECTO_DATA_SOURCE=$staged_source "$src/scripts/fetch-data.sh" "$work/staged" >/dev/null
grep -q '"kind": "official"' "$work/staged/SOURCE.json" && fail "staged-only data recorded as official"

fetch() {  # case mode [table]: runs make data's script into a fresh copy of the staged data
  rm -rf "${work:?}/$1"
  cp -a "$work/staged" "$work/$1"
  HECTO_OFFICIAL_SOURCES=${3:-$work/table.tsv} HECTO_OFFICIAL_BASE_URL=$base/$2 \
    "$src/scripts/fetch-data.sh" "$work/$1" >"$work/$1.out" 2>&1 || fail "$1: fetch-data.sh exited $? ($(tail -n 3 "$work/$1.out"))"
}
expect_output() { grep -qF -- "$2" "$work/$1.out" || fail "$1: the output lacks '$2':$(printf '\n')$(cat "$work/$1.out")"; }
kind_of() { sed -n "s|^ *\"$2\": {\"kind\": \"\\([a-z]*\\)\".*|\\1|p" "$work/$1/SOURCE.json"; }
no_leftovers() {
  local left
  left=$(find "$work/$1" \( -name '*.part' -o -name '.official-*' \) -print)
  [[ -z "$left" ]] || fail "$1: half-written files left behind: $left"
}
# A failed dataset leaves the staged files exactly as they were, and nothing new.
staged_untouched() {  # case dataset-paths...
  local c=$1 p
  shift
  for p in "$@"; do
    if [[ -e "$work/staged/$p" ]]; then
      cmp -s "$work/staged/$p" "$work/$c/$p" || fail "$c: staged $p was changed"
      [[ "$(kind_of "$c" "$p")" == staged ]] || fail "$c: $p is not recorded as staged"
    else
      [[ ! -e "$work/$c/$p" ]] || fail "$c: $p was installed although its dataset failed"
    fi
  done
}
paths_of() { awk -v g="$1" '$1 == g { print $2 }' "$work/table.tsv"; }

# --- success ------------------------------------------------------------------------------------
fetch ok ok
for name in agnews sst2 stsb hotpotqa; do expect_output ok "fetch-data:   $name: official"; done
cmp -s "$work/fixtures/train.csv" "$work/ok/ag_news/train.csv" || fail "ok: ag_news/train.csv is not the served file"
unzip -p "$work/fixtures/SST-2.zip" SST-2/dev.tsv | cmp -s - "$work/ok/sst2/dev.tsv" || fail "ok: sst2/dev.tsv is not the zip's"
cmp -s "$work/fixtures/hotpot_train_v1.1.json" "$work/ok/hotpotqa/hotpot_train_v1.1.json" || fail "ok: hotpot train differs"
while read -r path; do
  [[ "$(kind_of ok "$path")" == official ]] || fail "ok: $path is not recorded as official"
done < <(awk '{ print $2 }' "$work/table.tsv")
[[ "$(kind_of ok ag_news/train_sample_5k.csv)" == staged ]] || fail "ok: the staged 5k sample is not recorded as staged"
grep -q "\"url\": \"$base/ok/train.csv\"" "$work/ok/SOURCE.json" || fail "ok: SOURCE.json lacks the download URL"
no_leftovers ok
# Again, with the server answering only errors: nothing is downloaded twice.
before=$(sha256sum <"$work/ok/SOURCE.json")
HECTO_OFFICIAL_SOURCES=$work/table.tsv HECTO_OFFICIAL_BASE_URL=$base/error \
  "$src/scripts/fetch-data.sh" "$work/ok" >"$work/ok.out" 2>&1 || fail "ok (again): exited $?"
expect_output ok "fetch-data:   agnews: official (already here)"
[[ "$(sha256sum <"$work/ok/SOURCE.json")" == "$before" ]] || fail "ok (again): SOURCE.json changed"
step "success: 4 datasets installed and recorded as official; a second run downloads nothing"

# --- a dropped connection (Content-Length says more than arrives) --------------------------------
fetch truncated truncated
expect_output truncated "OFFICIAL agnews FAILED: could not download $base/truncated/train.csv: curl: (18)"
expect_output truncated "FALLING BACK TO THE STAGED SUBSET: AG News trains on the fixed 5,000-article sample"
expect_output truncated "OFFICIAL hotpotqa FAILED"
for name in agnews sst2 stsb hotpotqa; do staged_untouched truncated $(paths_of $name); done
grep -q '"kind": "official"' "$work/truncated/SOURCE.json" && fail "truncated: something recorded as official"
no_leftovers truncated
step "dropped connection: clear message, staged files kept, nothing left behind"

# --- a truncated file served whole: each kind of check catches it ------------------------------
fetch short short
expect_output short "OFFICIAL agnews FAILED: wrong checksum for ag_news/train.csv"
expect_output short "OFFICIAL sst2 FAILED: $base/short/SST-2.zip is not a complete zip archive"
expect_output short "OFFICIAL hotpotqa FAILED: hotpotqa/hotpot_train_v1.1.json from $base/short/hotpot_train_v1.1.json has"
expect_output short "rows, the official file has 3"
for name in agnews sst2 stsb hotpotqa; do staged_untouched short $(paths_of $name); done
no_leftovers short
step "truncated files: MD5, zip and record-count checks each refuse theirs"

# --- a wrong checksum (one byte changed in AG News) --------------------------------------------
fetch corrupt corrupt
expect_output corrupt "OFFICIAL agnews FAILED: wrong checksum for ag_news/train.csv from $base/corrupt/train.csv: MD5"
expect_output corrupt "fetch-data:   sst2: official"
staged_untouched corrupt $(paths_of agnews)
[[ "$(kind_of corrupt sst2/train.tsv)" == official ]] || fail "corrupt: sst2 should still be official"
no_leftovers corrupt
step "wrong checksum: AG News stays staged, the other datasets are official"

# --- a server error (two datasets: curl retries a 500 twice) ------------------------------------
grep -E '^(agnews|hotpotqa) ' "$work/table.tsv" >"$work/table-error.tsv"
fetch error error "$work/table-error.tsv"
expect_output error "OFFICIAL agnews FAILED: could not download $base/error/train.csv: curl: (22) The requested URL returned error: 500"
expect_output error "OFFICIAL hotpotqa FAILED: could not download"
for name in agnews hotpotqa; do staged_untouched error $(paths_of $name); done
no_leftovers error
step "server error: clear message, staged files kept, nothing left behind"
