#!/usr/bin/env bash
# Installs the Debian 12 packages hecto-bench needs, and any named as arguments; idempotent,
# prints what it installs.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-openmp
  libsqlite3-dev sqlite3 libssl-dev
  libbenchmark-dev libgtest-dev libgmock-dev
  libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev nlohmann-json3-dev libutf8proc-dev liblinear-dev
  gnuplot-nox
  zlib1g-dev libfasttext-dev librandom123-dev wordnet-base dict-gcide
)
# Extra packages a target needs on top (e.g. `make fuzz`: clang).
packages+=("$@")
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The reference BLAS is 20-80x slower for torch; make sure OpenBLAS (OpenMP) is the active libblas.
blas=/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3
if [[ -e $blas ]]; then
  $sudo update-alternatives --set libblas.so.3-x86_64-linux-gnu "$blas" >/dev/null || true
  lapack=/usr/lib/x86_64-linux-gnu/openblas-openmp/liblapack.so.3
  [[ -e $lapack ]] && { $sudo update-alternatives --set liblapack.so.3-x86_64-linux-gnu "$lapack" >/dev/null || true; }
fi
echo "deps: done"
