#!/usr/bin/env bash
# Fills DEST (default: the project's data/, ignored by git) with the datasets hecto-bench uses.
#  1. The staged subsets, always (the tests and the cpu and smoke profiles read them):
#     a. from a local copy when there is one: $HECTO_DATA_SOURCE, else ../shared/data beside the
#        checkout. Files are copied (reflinked where the filesystem can), never hard-linked: a hard
#        link would let an edit under DEST change the source too. About 20 MB.
#     b. otherwise downloaded from the public files named in shared/data/PROVENANCE.md (pinned
#        commits), with the documented repairs; every file's sha256 is checked.
#  2. Then the official sources (scripts/official-sources.tsv): AG News' full train and test
#     (torchtext's URLs and MD5s), GLUE's SST-2 and STS-B zips, HotpotQA's train and dev
#     distractor files. Each dataset is downloaded under a temporary name inside DEST, checked
#     (published MD5 where there is one, row or record counts, zip integrity) and only then renamed
#     into place, so a failure leaves no half-written file. A dataset that fails (offline, server
#     error, truncated, wrong checksum) keeps its staged files, and the script says so loudly.
#  3. DEST/SOURCE.json records each file's kind (official or staged), sha256 and URL; every cell
#     stores the kind of the files it read, and the report labels figures from staged subsets.
# Idempotent: a file already present with the right sha256 is left alone.
#
# Environment (read by this script only):
#   HECTO_DATA_SOURCE        a local copy of the staged data (default ../shared/data when present)
#   HECTO_DATA_OFFICIAL      0: skip step 2 (staged subsets only)
#   HECTO_OFFICIAL_BASE_URL  a mirror of the official files: each URL of the table becomes
#                            $HECTO_OFFICIAL_BASE_URL/<the URL's file name> (train.csv, test.csv,
#                            SST-2.zip, STS-B.zip, hotpot_train_v1.1.json, hotpot_dev_distractor_v1.json)
#   HECTO_OFFICIAL_SOURCES   another table in the format of scripts/official-sources.tsv (tests)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:-$root/data}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# path sha256 (as in PROVENANCE.md / MANIFEST.md)
read -r -d '' KNOWN <<'LIST' || true
ag_news/test.csv 521465c2428ed7f02f8d6db6ffdd4b5447c1c701962353eb2c40d548c3c85699
ag_news/classes.txt 612dbfa932f07a6ed837295a7d5746ce7412e7bb4bc32ba919fdb3cda3a1b9b5
ag_news/readme.txt 779c2e6bbf93dd810d9c7b318006daef7a4bfc34062002461d251dc10fb9f58c
ag_news/train_sample_5k.csv 23ff4a798bef4c6f1bab4018f491757b87e124901515e4e208461e022a163401
ag_news/train_sample_10k_description_only.tsv 7a0811e0006080bf4de17752c5466450ff3db778be71bc5bcf3c4e99b5f0803d
sst2/train.tsv 48eac26399f8456935f81dd9e3a745c1430adb6c62e233ccfe22db4a0d15d1d1
sst2/dev.tsv 54a9c12c77e402fc14d6a66a506f24d999f596b0176eb777c972cccc2f9cc4b0
stsb/train.tsv 41c4d978b6162abdcada7e49a982211954cca5459c228db478af333124b257a2
stsb/dev.tsv fe7dc0632a5033562f3cadff991f6e8d9b9b6311861660e78c3c82eb7db67f59
stsb/sts-train.csv 0f71910b59aa1ad973c5897f0791f3b0965a92b8f82b1a95f3eea9f4162fda82
stsb/sts-dev.csv 5d7e944d8b02734b07bfdb5df67db3420c64bed153fcaa1ba47ad03480cf4234
stsb/sts-test.csv affe45928a66ee5a708531233c95b7dacbbdc57f974f002a3d32ea0180cf816a
stsb/readme.txt e9488363d211c32ca5e912954f16eb9233cfed1b5b4b0475d0d812d35d7c8ef1
stsb/LICENSE.txt 3dfc3217395f8c5dd05c5f8995f25fe2f8fd258e6dd770b3de480749caee8c70
hotpotqa/dev_distractor_subset_train.jsonl e587f80176337ff705ca2f9c178f2bd784280b388abf302ad4071c482baa0dfb
hotpotqa/dev_distractor_subset_dev.jsonl c6fa5317cc316b65b3c82d441ea641aef4a588b4aaec9377bbd167637d8665e8
hotpotqa/dev_distractor_subset_test.jsonl 3ab48ee61e64301dff1efbb956ca5ebdfcd1569a2e9d7381fd882e070badfb2a
hotpotqa/official_format_first53_dev_distractor.json 1a02638a3deaf2c6641d05b6a2bd923d589be8e58b33ed6d018beb21952c8553
hotpotqa/hotpot_dev_v1_simplified.json 05001dcdeb2b2b2243a88f23daaf8de9237494cd387e13bc25854d3e031101d3
tokenizer/bert-base-uncased/vocab.txt 07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3
tokenizer/bert-base-uncased/bert-base-uncased-config.json 7160e1553ad2ca51d8c1cb066be533db31826e12d173824c1bb0cb1a4f187d20
LIST

gh=https://raw.githubusercontent.com
ag=$gh/suuuch/TransformerClassification/0d9808e1978c8468b4f8f08a44c5be99d058aa7b/data/ag_news_csv
alps=$gh/forest-snow/alps/43232f234087cdbb4b06cd0e3997460610a0dbfd/data
sts=$gh/zhangzhenhu/Semantic-Texual-Similarity-Toolkits/c55a72f51bd15a8bd75114247c06984b432050f9/data/stsbenchmark
glue_sts=$gh/mieseung/Cutoff_with_Attribution/0ef7460ee83f01034891e92b4f405d2c14944daf/glue_data/STS-B
rpt=$gh/megagonlabs/RPT/cf2bc1b1b4edd0318b84179e732ec476c4e20a6e/data/hotpotqa
# path url   (files needing more than a download are handled in fetch_special)
read -r -d '' URLS <<LIST || true
ag_news/classes.txt $ag/classes.txt
ag_news/readme.txt $ag/readme.txt
ag_news/train_sample_5k.csv $gh/lst11111/bert-text-classification/34b828c2df7fe82d2b00be29b7c753fca8d8354c/data/ag_news/train.csv
ag_news/train_sample_10k_description_only.tsv $alps/agnews/dev.tsv
sst2/dev.tsv $alps/SST-2/test.tsv
stsb/train.tsv $glue_sts/train.tsv
stsb/dev.tsv $glue_sts/dev.tsv
stsb/sts-train.csv $sts/sts-train.csv
stsb/sts-dev.csv $sts/sts-dev.csv
stsb/sts-test.csv $sts/sts-test.csv
stsb/readme.txt $sts/readme.txt
stsb/LICENSE.txt $sts/LICENSE.txt
hotpotqa/dev_distractor_subset_train.jsonl $rpt/train.jsonl
hotpotqa/dev_distractor_subset_dev.jsonl $rpt/dev.jsonl
hotpotqa/dev_distractor_subset_test.jsonl $rpt/test.jsonl
hotpotqa/hotpot_dev_v1_simplified.json $gh/ysymyth/ReAct/6bdb3a1fd38b8188fc7ba4102969fe483df8fdc9/data/hotpot_dev_v1_simplified.json
tokenizer/bert-base-uncased/vocab.txt https://huggingface.co/bert-base-uncased/resolve/main/vocab.txt
tokenizer/bert-base-uncased/bert-base-uncased-config.json $gh/tingxinli1/ReadOIE/e4c6146204a1b8431416966b7583e834e1ef2f2c/bert-base-uncased/config.json
LIST

sha_of() { sha256sum "$1" | cut -d' ' -f1; }
expected_sha() { awk -v p="$1" '$1 == p { print $2 }' <<<"$KNOWN"; }

# Where each file came from: path -> official | staged, its sha256 and URL when recorded
# (SOURCE.json of DEST, and of a local source being copied).
declare -A kind=() recorded_sha=() source_url=()
load_source_json() {  # file; one entry per line, as write_source_json writes them
  local line path
  [[ -f "$1" ]] || return 0
  while IFS= read -r line; do
    [[ "$line" =~ ^\ *\"([^\"]+)\":\ \{\"kind\":\ \"([a-z]+)\",\ \"sha256\":\ \"([0-9a-f]+)\"(,\ \"url\":\ \"([^\"]*)\")? ]] || continue
    path=${BASH_REMATCH[1]}
    kind[$path]=${BASH_REMATCH[2]}
    recorded_sha[$path]=${BASH_REMATCH[3]}
    source_url[$path]=${BASH_REMATCH[5]}
  done <"$1"
}
is_official() {  # path: recorded as official and unchanged since
  [[ -f "$dest/$1" && "${kind[$1]:-}" == official && "$(sha_of "$dest/$1")" == "${recorded_sha[$1]:-}" ]]
}
is_good() { [[ -f "$dest/$1" && "$(sha_of "$dest/$1")" == "$(expected_sha "$1")" ]] || is_official "$1"; }

verify_all() {
  local bad=0 path sha
  while read -r path sha; do
    [[ -z "$path" ]] && continue
    if [[ ! -f "$dest/$path" ]]; then
      echo "fetch-data: MISSING $path" >&2; bad=1
    elif is_official "$path"; then
      continue  # replaced by its verified official version
    elif [[ "$(sha_of "$dest/$path")" != "$sha" ]]; then
      echo "fetch-data: SHA-256 MISMATCH $path (got $(sha_of "$dest/$path"), PROVENANCE.md says $sha)" >&2; bad=1
    fi
  done <<<"$KNOWN"
  return $bad
}

from_local() {
  local src=$1 n_new=0 rel
  echo "fetch-data: filling $dest from $src"
  while IFS= read -r -d '' rel; do
    rel=${rel#./}
    [[ "$rel" == SOURCE.json ]] && continue  # rewritten for DEST at the end
    if [[ -f "$dest/$rel" ]] && cmp -s "$src/$rel" "$dest/$rel"; then continue; fi
    is_official "$rel" && continue  # never replace a verified official file by a staged copy
    mkdir -p "$dest/$(dirname "$rel")"
    rm -f "$dest/$rel"
    cp --reflink=auto "$src/$rel" "$dest/$rel.part"
    chmod u+w "$dest/$rel.part"
    mv "$dest/$rel.part" "$dest/$rel"
    n_new=$((n_new + 1))
  done < <(cd "$src" && find . -type f -print0)
  echo "fetch-data: $n_new file(s) added or replaced"
  # What the source knew about its files holds for the copies (write_source_json re-checks sha256).
  load_source_json "$src/SOURCE.json"
}

download() {  # url path
  local tmp="$dest/$2.part"
  mkdir -p "$(dirname "$tmp")"
  if ! curl -fsSL --retry 2 --connect-timeout 20 -o "$tmp" "$1"; then
    rm -f "$tmp"
    echo "fetch-data: could not download $1" >&2
    echo "fetch-data: offline? Point HECTO_DATA_SOURCE at a local copy of the data (e.g. ../shared/data)." >&2
    exit 1
  fi
  mv "$tmp" "$dest/$2"
}

fetch_special() {
  local tmp
  if ! is_good ag_news/test.csv; then
    # The snapshot has one corrupted character on line 5 (PROVENANCE.md); restore it.
    download "$ag/test.csv" ag_news/test.csv
    sed -i '5s/smogfighting/smog-fighting/' "$dest/ag_news/test.csv"
  fi
  if ! is_good sst2/train.tsv; then
    # GLUE's own SST-2 archive holds the original train.tsv byte for byte.
    command -v unzip >/dev/null || { echo "fetch-data: unzip is needed for SST-2" >&2; exit 1; }
    tmp=$(mktemp -d)
    download https://dl.fbaipublicfiles.com/glue/data/SST-2.zip sst2/SST-2.zip
    unzip -q -o "$dest/sst2/SST-2.zip" SST-2/train.tsv -d "$tmp"
    mv "$tmp/SST-2/train.tsv" "$dest/sst2/train.tsv"
    rm -rf "$tmp" "$dest/sst2/SST-2.zip"
  fi
  if ! is_good hotpotqa/official_format_first53_dev_distractor.json; then
    # The official dev file's first 53 records, byte for byte, closed with "]".
    command -v python3 >/dev/null || { echo "fetch-data: python3 is needed to cut the HotpotQA sample" >&2; exit 1; }
    download http://curtis.ml.cmu.edu/datasets/hotpot/hotpot_dev_distractor_v1.json hotpotqa/hotpot_dev_distractor_v1.json
    python3 - "$dest/hotpotqa/hotpot_dev_distractor_v1.json" "$dest/hotpotqa/official_format_first53_dev_distractor.json" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
decoder, pos = json.JSONDecoder(), text.index("[") + 1
for _ in range(53):
    while text[pos] in " \n\r\t,":
        pos += 1
    _, pos = decoder.raw_decode(text, pos)
open(sys.argv[2], "w", encoding="utf-8", newline="").write(text[:pos] + "]")
PY
    rm -f "$dest/hotpotqa/hotpot_dev_distractor_v1.json"
  fi
}

from_network() {
  command -v curl >/dev/null || { echo "fetch-data: curl is needed to download the data" >&2; exit 1; }
  echo "fetch-data: no local copy; downloading into $dest"
  local path url
  while read -r path url; do
    [[ -z "$path" ]] && continue
    is_good "$path" && continue
    echo "fetch-data: $path"
    download "$url" "$path"
  done <<<"$URLS"
  fetch_special
}

# ---- 2. the official sources ---------------------------------------------------------------

official_table=${HECTO_OFFICIAL_SOURCES:-$root/scripts/official-sources.tsv}
official_base=${HECTO_OFFICIAL_BASE_URL:-}

official_url() {
  if [[ -n "$official_base" ]]; then echo "${official_base%/}/${1##*/}"; else echo "$1"; fi
}

# What falling back means for each dataset, for the loud message.
staged_meaning() {
  case "$1" in
    agnews) echo "AG News trains on the fixed 5,000-article sample ag_news/train_sample_5k.csv, not a seeded sample of the official 120,000" ;;
    hotpotqa) echo "HotpotQA trains on 300 questions taken from its dev set, not on the 90,447 official training questions" ;;
    *) echo "$1 uses the staged copies of its files (not verified against the official archive here)" ;;
  esac
}

count_rows() {  # file name: records of a JSON file (its "_id" keys), else lines
  if [[ "$2" == *.json ]]; then
    { grep -o '"_id" *:' "$1" || true; } | wc -l
  else
    wc -l <"$1"
  fi
}

# Downloads, checks and installs every file of one dataset, or nothing. Runs in a subshell: the
# first failure prints its reason on stderr and returns non-zero; the staging directory (inside
# DEST, so the final mv is a rename on one filesystem) is removed either way.
install_official() (
  set -euo pipefail
  local name=$1 stage path url member md5 count file got n=0
  stage=$(mktemp -d "$dest/.official-$name.XXXXXX")
  trap 'rm -rf "$stage"' EXIT
  declare -A downloaded=()
  local -a paths=() files=()
  while read -r group path url member md5 count; do
    [[ "$group" == "$name" ]] || continue
    url=$(official_url "$url")
    if [[ -z "${downloaded[$url]:-}" ]]; then
      n=$((n + 1))
      echo "fetch-data: $name: downloading $url"
      if ! curl -fsSL --retry 2 --retry-delay 1 --connect-timeout 20 -o "$stage/download.$n.part" "$url" 2>"$stage/curl.err"; then
        echo "could not download $url: $(tail -n 1 "$stage/curl.err")" >&2
        exit 1
      fi
      mv "$stage/download.$n.part" "$stage/download.$n"
      downloaded[$url]=$stage/download.$n
      if [[ "$member" != - ]] && ! unzip -tq "$stage/download.$n" >/dev/null 2>&1; then
        echo "$url is not a complete zip archive (truncated download?)" >&2
        exit 1
      fi
    fi
    file=$stage/file.${#paths[@]}
    if [[ "$member" == - ]]; then
      mv "${downloaded[$url]}" "$file"  # (a plain file serves one row)
      unset "downloaded[$url]"
    elif ! unzip -p "${downloaded[$url]}" "$member" >"$file" 2>/dev/null; then
      echo "$url has no $member" >&2
      exit 1
    fi
    if [[ "$md5" != - ]]; then
      got=$(md5sum "$file" | cut -d' ' -f1)
      if [[ "$got" != "$md5" ]]; then
        echo "wrong checksum for $path from $url: MD5 $got, the published MD5 is $md5" >&2
        exit 1
      fi
    fi
    got=$(count_rows "$file" "$path")
    if [[ "$got" -ne "$count" ]]; then
      echo "$path from $url has $got rows, the official file has $count (truncated or not the official file)" >&2
      exit 1
    fi
    paths+=("$path")
    files+=("$file")
    echo "$path $(sha_of "$file") $url" >>"$stage/installed"
  done < <(grep -v '^ *#' "$official_table")
  ((${#paths[@]} > 0)) || { echo "no rows for $name in $official_table" >&2; exit 1; }
  local i
  for i in "${!paths[@]}"; do
    mkdir -p "$dest/$(dirname "${paths[$i]}")"
    mv "${files[$i]}" "$dest/${paths[$i]}"
  done
  cp "$stage/installed" "$dest/.official-$name.installed"
)

official_datasets() { grep -v '^ *#' "$official_table" | awk 'NF { print $1 }' | awk '!seen[$0]++'; }

declare -A outcome=()
fetch_official() {
  [[ -f "$official_table" ]] || { echo "fetch-data: no table of official sources at $official_table" >&2; exit 1; }
  command -v curl >/dev/null || { echo "fetch-data: curl is needed for the official sources" >&2; exit 1; }
  local name path sha url all reason
  for name in $(official_datasets); do
    all=1
    while read -r path; do is_official "$path" || all=0; done < <(grep -v '^ *#' "$official_table" | awk -v n="$name" '$1 == n { print $2 }')
    if ((all)); then
      outcome[$name]="official (already here)"
      continue
    fi
    if install_official "$name" 2>"$dest/.official-$name.err"; then
      while read -r path sha url; do
        kind[$path]=official
        recorded_sha[$path]=$sha
        source_url[$path]=$url
      done <"$dest/.official-$name.installed"
      outcome[$name]=official
    else
      reason=$(tail -n 1 "$dest/.official-$name.err")
      outcome[$name]="STAGED: $reason"
      {
        echo "fetch-data: ************************************************************************"
        echo "fetch-data: OFFICIAL $name FAILED: $reason"
        echo "fetch-data: FALLING BACK TO THE STAGED SUBSET: $(staged_meaning "$name")."
        echo "fetch-data: ************************************************************************"
      } >&2
    fi
    rm -f "$dest/.official-$name.err" "$dest/.official-$name.installed"
  done
}

# ---- 3. SOURCE.json -----------------------------------------------------------------------------

json_string() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }

write_source_json() {
  local tmp=$dest/SOURCE.json.part path sha k first=1
  local -A listed=()
  {
    echo "{"
    echo '  "about": "Written by scripts/fetch-data.sh. kind: official = downloaded from its official source and checked; staged = the project'"'"'s staged subset or copy (shared/data/PROVENANCE.md).",'
    echo '  "files": {'
    while read -r path; do
      [[ -z "$path" || -n "${listed[$path]:-}" || ! -f "$dest/$path" ]] && continue
      listed[$path]=1
      sha=$(sha_of "$dest/$path")
      if [[ "${kind[$path]:-}" == official && "$sha" == "${recorded_sha[$path]:-}" ]]; then
        k=official
      elif [[ "$sha" == "$(expected_sha "$path")" ]]; then
        k=staged
      else
        continue  # neither: not ours to vouch for
      fi
      ((first)) || echo ","
      first=0
      printf '    %s: {"kind": "%s", "sha256": "%s"' "$(json_string "$path")" "$k" "$sha"
      if [[ "$k" == official ]]; then printf ', "url": %s' "$(json_string "${source_url[$path]}")"; fi
      printf '}'
    done < <({ awk 'NF { print $1 }' <<<"$KNOWN"; grep -v '^ *#' "$official_table" 2>/dev/null | awk 'NF { print $2 }'; } | sort)
    echo
    echo "  }"
    echo "}"
  } >"$tmp"
  mv "$tmp" "$dest/SOURCE.json"
}

# ---- main ---------------------------------------------------------------------------------------

load_source_json "$dest/SOURCE.json"

if verify_all 2>/dev/null; then
  echo "fetch-data: $dest already holds every staged file with the expected sha256"
else
  source_dir=${HECTO_DATA_SOURCE:-}
  if [[ -z "$source_dir" && -d "$root/../shared/data" ]]; then source_dir=$root/../shared/data; fi
  if [[ -n "$source_dir" ]]; then
    [[ -d "$source_dir" ]] || { echo "fetch-data: HECTO_DATA_SOURCE=$source_dir is not a directory" >&2; exit 1; }
    source_dir=$(cd "$source_dir" && pwd)
    [[ "$source_dir" == "$dest" ]] && { echo "fetch-data: source and destination are the same ($dest)" >&2; exit 1; }
    from_local "$source_dir"
  else
    from_network
  fi
  if verify_all; then
    echo "fetch-data: ok, every staged file matches PROVENANCE.md"
  else
    echo "fetch-data: some files are missing or differ (see above)" >&2
    exit 1
  fi
fi

if [[ "${HECTO_DATA_OFFICIAL:-1}" != 0 ]]; then
  fetch_official
fi
write_source_json

if [[ "${HECTO_DATA_OFFICIAL:-1}" == 0 ]]; then
  echo "fetch-data: official sources skipped (HECTO_DATA_OFFICIAL=0): every dataset is its STAGED subset"
else
  echo "fetch-data: data sources (recorded in $dest/SOURCE.json):"
  for name in $(official_datasets); do echo "fetch-data:   $name: ${outcome[$name]}"; done
fi
