#!/usr/bin/env bash
# One GPU verification run, for a CUDA machine with an installed PyTorch (README: GPU set-up):
#   1. builds hecto against that PyTorch's LibTorch (Torch_DIR from torch.utils.cmake_prefix_path),
#      with the Debian libraries it needs unpacked from .gpu-deps/ when the machine has none;
#   2. runs the device tests (Device*, Numerics*, Devices* on every visible device) and the
#      gpu-label tests;
#   3. runs the smoke matrix on the GPU and on the CPU and compares every cell's metrics;
#   4. pretrains briefly on the GPU (the masked-LM recipe, 200 steps, into OUT) and runs one
#      cpu-profile experiment (paper/encoder.toml, frozen cells, the offline encoder) on the GPU
#      and on the CPU, compared likewise;
#   5. times a fine-tuned DistilBERT-base-size cell (random init) at the paper's sizes (max_len
#      128, batch 16) per epoch on the GPU, and on the CPU over a slice scaled to an epoch;
#   6. runs the end-to-end latency benchmark at batch 1 and 64 for the DistilBERT-base size;
#   7. optionally (GPU_CHECK_PROFILE) runs a whole profile's matrix on the GPU;
# and writes OUT/gpu-check.json with every figure.
# Without CUDA it does steps 1-2 on the CPU and stops where CUDA is needed, saying so in the JSON.
# Each step past the build starts only if its estimated time fits in GPU_CHECK_MINUTES (default 9:
# a rented GPU is billed by the minute); the JSON names the steps it skipped.
# Inputs: HECTO_DATA_DIR (default ./data, then ../shared/data), GPU_CHECK_ENCODER (the offline
# encoder's folder, default weights/offline-256x4-empty-cls; a bf16 copy of it is fine to carry),
# GPU_CHECK_PROFILE (e.g. cpu: step 7, as far as the budget goes), GPU_CHECK_BUILD (the build
# folder, default build-gpu/), GPU_CHECK_USE_DEPS=1 (use .gpu-deps/ even where the system has the
# libraries: how the unpacking is tested on a CPU machine).
#
#   scripts/gpu-check.sh [OUT]        OUT defaults to gpu-check/
#   scripts/gpu-check.sh --fetch-deps on a Debian 12 machine with apt: downloads the .deb files a
#                                     bare GPU machine lacks into .gpu-deps/ (commit nothing: it
#                                     is ignored by git; carry it to the GPU machine)
# Tolerance: a cell's accuracy (or Pearson) on the GPU within 0.05 of the CPU's (different kernels
# sum in different orders; over one or two epochs of a small model that is a few points at most).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
deps_dir=$root/.gpu-deps
tolerance=0.05

deb_packages=(libspdlog-dev libspdlog1.10 libfmt-dev libfmt9 libcli11-dev libtomlplusplus-dev libtomlplusplus3
  nlohmann-json3-dev libutf8proc-dev libutf8proc2 libsqlite3-dev libsqlite3-0 libgtest-dev libgmock-dev
  libbenchmark-dev libbenchmark1debian liblinear-dev liblinear4 libblas3 libssl-dev libssl3
  libfasttext-dev libfasttext0 zlib1g-dev librandom123-dev)

if [[ ${1:-} == --fetch-deps ]]; then
  mkdir -p "$deps_dir"
  (cd "$deps_dir" && apt-get download "${deb_packages[@]}")
  echo "gpu-check: $(ls "$deps_dir"/*.deb | wc -l) packages in $deps_dir; carry it to the GPU machine"
  exit 0
fi

out=${1:-$root/gpu-check}
mkdir -p "$out"
log() { printf 'gpu-check: %s\n' "$*" >&2; }
json_kv=()  # "key": value pairs of the report, in order
put() { json_kv+=("\"$1\": $2"); }
put_str() { json_kv+=("\"$1\": \"$(printf '%s' "$2" | sed 's/\\/\\\\/g; s/"/\\"/g')\""); }
write_report() {
  {
    echo "{"
    for i in "${!json_kv[@]}"; do
      printf '  %s%s\n' "${json_kv[$i]}" "$([[ $i -lt $((${#json_kv[@]} - 1)) ]] && echo ,)"
    done
    echo "}"
  } >"$out/gpu-check.json"
  log "report: $out/gpu-check.json"
}
trap write_report EXIT
seconds_of() {  # seconds_of CMD...: runs it, prints its wall seconds on stdout
  local start end
  start=$(date +%s.%N)
  "$@" >&2
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}

# ---- 1. the LibTorch to build against, the libraries beside it ----
started=$(date +%s)
budget_seconds=$(awk -v m="${GPU_CHECK_MINUTES:-9}" 'BEGIN { printf "%d", m * 60 }')
skipped=()
# fits SECONDS NAME: true when a step estimated at SECONDS still fits in the budget, else notes it.
fits() {
  if (($(date +%s) - started + $1 <= budget_seconds)); then return 0; fi
  log "skipping $2: about $1 s left to do it, the budget says no"
  skipped+=("$2")
  return 1
}
python=${PYTHON:-python3}
torch_dir=""
if prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null) && [[ -d $prefix/Torch ]]; then
  torch_dir=$prefix/Torch
fi
cuda_py=$("$python" -c 'import torch; print(int(torch.cuda.is_available()))' 2>/dev/null || echo 0)
put_str torch_dir "${torch_dir:-system (Debian libtorch)}"
put_str python_torch "$("$python" -c 'import torch; print(torch.__version__)' 2>/dev/null || echo none)"
put_str nvidia_smi "$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1 || true)"
put_str cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"

prefix_path=""
if [[ -n ${GPU_CHECK_USE_DEPS:-} ]] || ! [[ -f /usr/include/spdlog/spdlog.h && -f /usr/include/linear.h && -f /usr/include/CLI/CLI.hpp ]]; then
  if compgen -G "$deps_dir/*.deb" >/dev/null; then
    log "unpacking $(ls "$deps_dir"/*.deb | wc -l) Debian packages into $deps_dir/root (not into /)"
    for deb in "$deps_dir"/*.deb; do dpkg -x "$deb" "$deps_dir/root"; done
    prefix_path=$deps_dir/root/usr
    libs=$deps_dir/root/usr/lib/x86_64-linux-gnu
    # libblas3 installs its library under blas/ behind an alternatives link dpkg -x does not make.
    export LD_LIBRARY_PATH=$libs:$libs/blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export CPATH=$deps_dir/root/usr/include${CPATH:+:$CPATH}
  else
    log "missing build libraries and no $deps_dir: run 'scripts/gpu-check.sh --fetch-deps' on a Debian 12 machine"
    put_str stopped "missing build libraries"
    exit 2
  fi
fi

build=${GPU_CHECK_BUILD:-$root/build-gpu}
cmake_args=(-S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DHECTO_BUILD_BENCH=ON)
command -v ninja >/dev/null && cmake_args+=(-G Ninja)
[[ -n $torch_dir ]] && cmake_args+=("-DTorch_DIR=$torch_dir")
[[ -n $prefix_path ]] && cmake_args+=("-DCMAKE_PREFIX_PATH=$prefix_path")
# What the steps below run: the CLI, the device tests, the latency benchmark.
targets=(hecto test_runtime test_train test_train_gpu inference_bench)
log "configuring: cmake ${cmake_args[*]}"
build_start=$(date +%s)
if cmake "${cmake_args[@]}" >"$out/cmake.log" 2>&1 &&
  cmake --build "$build" -j "$(nproc)" --target "${targets[@]}" >"$out/build.log" 2>&1; then
  put build_seconds "$(($(date +%s) - build_start))"
else
  log "the build failed: $out/cmake.log, $out/build.log"
  tail -n 40 "$out/cmake.log" "$out/build.log" >&2 || true
  put_str stopped "build failed"
  exit 1
fi
hecto=$build/hecto
put_str hecto_version "$("$hecto" --version -v | tr '\n' ';')"

data=${HECTO_DATA_DIR:-$root/data}
[[ -d $data/ag_news ]] || data=$root/../shared/data
export HECTO_DATA_DIR=$data HECTO_TEST_DATA=$data
encoder=${GPU_CHECK_ENCODER:-$root/weights/offline-256x4-empty-cls}

# ---- 2. tests: device-agnostic ones on every visible device, the gpu-label ones ----
(cd "$build" && ctest -R 'Device|Numerics|Cuda' --output-on-failure >"$out/ctest.log" 2>&1) && tests_ok=1 || tests_ok=0
put tests_passed "$tests_ok"
put_str tests_summary "$(grep -E 'tests passed|tests failed' "$out/ctest.log" | tail -1)"
put_str tests_skipped "$(grep -c 'Skipped' "$out/ctest.log" || true)"

hecto_cuda=$("$hecto" --version -v | sed -n 's/^cuda: *//p')
put_str hecto_cuda "$hecto_cuda"
if [[ $cuda_py != 1 || $hecto_cuda != available* ]]; then
  log "no CUDA here (PyTorch: $cuda_py, hecto: $hecto_cuda): stopping before the GPU steps"
  put_str stopped "no CUDA device: steps 3-7 need a GPU"
  exit 0
fi

# Every done cell's primary metric: "id value" lines.
metrics() {
  "$hecto" query --db "$1" --format csv \
    "SELECT id, coalesce(accuracy, pearson) FROM v_results ORDER BY id" | tail -n +2 | tr -d '\r' | tr ',' ' '
}
# The largest |gpu - cpu| over the cells both databases hold, and how many they share.
export LC_ALL=C  # join and sqlite's ORDER BY agree on byte order
max_gap() {
  join <(metrics "$1") <(metrics "$2") | awk '{ d = $2 - $3; if (d < 0) d = -d; if (d > m) m = d; n++ }
    END { printf "%.4f (%d cells)", m + 0, n }'
}
compare() {  # compare NAME: the NAME-cuda and NAME-cpu databases' metric gap into the report
  local gap
  gap=$(max_gap "$out/$1-cuda.db" "$out/$1-cpu.db")
  put_str "${1}_max_metric_gap" "$gap"
  put "${1}_within_tolerance" "$(awk -v g="${gap%% *}" -v t="$tolerance" 'BEGIN { print (g <= t) ? "true" : "false" }')"
}

# ---- 3. the smoke matrix on both devices ----
if fits 90 smoke; then
  for device in cuda cpu; do
    put "smoke_${device}_seconds" "$(seconds_of "$hecto" run experiments/smoke.toml --device "$device" \
      --db "$out/smoke-$device.db" --cache-dir "$out/cache-$device")"
  done
  compare smoke
fi

# ---- 4. a brief pretraining on the GPU, then one cpu-profile experiment on both devices ----
if fits 60 pretrain; then
  put pretrain_seconds "$(seconds_of "$hecto" pretrain --config experiments/pretrain/offline-256x4-mlm.toml \
    --device cuda --max-steps 200 --output "$out/pretrain-mlm" --db "$out/pretrain.db")"
fi
if [[ -f $encoder/model.safetensors ]] && fits 240 encoder; then
  for device in cuda cpu; do
    put "encoder_frozen_${device}_seconds" "$(seconds_of "$hecto" run experiments/paper/encoder.toml --profile cpu \
      --set encoder.mode=frozen --set "encoder.path=$encoder" --device "$device" \
      --db "$out/encoder-$device.db" --cache-dir "$out/cache-$device")"
  done
  compare encoder
  put_str encoder_accuracies_cuda "$("$hecto" query --db "$out/encoder-cuda.db" --format csv \
    "SELECT group_concat(round(100 * accuracy, 2), ' ') FROM v_results" | tail -1 | tr -d '\r')"
fi

# ---- 5. a fine-tuned DistilBERT-base-size cell at the paper's sizes: seconds per epoch ----
cat >"$out/base-cell.toml" <<'TOML'
name = "gpu-check-base-cell"
[defaults]
data.task = "agnews"
data.max_len = 128
data.eval_size = 1000
train.epochs = 1
train.batch_size = 16
train.eval_schedule = "final"
train.eval_batch_size = 64
[defaults.encoder]
mode = "finetuned"
source = "random"
name = "random-init distilbert-base size (gpu-check)"
TOML
epoch_seconds() {  # device train_size precision
  "$hecto" run "$out/base-cell.toml" --device "$1" --precision "$3" --set "data.train_size=$2" \
    --db "$out/base-$1-$3.db" --cache-dir "$out/cache-$1" >&2
  "$hecto" query --db "$out/base-$1-$3.db" --format csv "SELECT train_seconds FROM v_results" | tail -1 | tr -d '\r'
}
if fits 60 base_cell_gpu; then
  gpu_epoch=$(epoch_seconds cuda 5000 fp32)
  gpu_epoch_bf16=$(epoch_seconds cuda 5000 bf16)
  put gpu_epoch_seconds_fp32 "$gpu_epoch"
  put gpu_epoch_seconds_bf16 "$gpu_epoch_bf16"
  # The paper profile: about 70 fine-tuned cells of 5 epochs over 5k samples, plus evaluation.
  put paper_profile_hours_estimated "$(awk -v e="$gpu_epoch_bf16" 'BEGIN { printf "%.2f", 70 * 5 * e * 1.15 / 3600 }')"
fi
if fits 120 base_cell_cpu; then
  cpu_slice=$(epoch_seconds cpu 320 fp32)
  put cpu_epoch_seconds_estimated "$(awk -v s="$cpu_slice" 'BEGIN { printf "%.1f", s * 5000 / 320 }')"
  put_str cpu_epoch_method "320 of the 5,000 samples timed, scaled to 5,000, on $(nproc) cores"
fi

# ---- 6. latency, DistilBERT-base size, batch 1 and 64 ----
if fits 60 latency; then
  "$hecto" bench --filter 'end_to_end/base' --device cuda --min-time 0.5 --db "$out/bench.db" >"$out/bench.log" 2>&1 || true
  for variant in base base_bf16; do
    for batch in 1 64; do
      put "latency_ms_per_sample_${variant}_batch${batch}" "$("$hecto" query --db "$out/bench.db" --format csv \
        "SELECT round(1000 * value, 3) FROM bench WHERE name LIKE 'end_to_end/${variant}/batch:${batch} s/sample%' ORDER BY id DESC LIMIT 1" |
        tail -1 | tr -d '\r')"
    done
  done
  put_str paper_latency "8.3 ms/sample on a T4"
fi
# ---- 7. optional: as much of a profile's matrix as the budget leaves, on the GPU ----
# GPU_CHECK_PROFILE=cpu runs `make reproduce`'s experiments for that profile into OUT/profile.db
# (resumable: a later run with the same database continues), 4 workers sharing the GPU.
if [[ -n ${GPU_CHECK_PROFILE:-} ]] && fits 60 profile_run; then
  profile_start=$(date +%s)
  for experiment in $(scripts/profile-experiments.sh "$GPU_CHECK_PROFILE"); do
    left=$((budget_seconds - ($(date +%s) - started) - 15))
    ((left > 30)) || break
    timeout --signal=INT --kill-after=20 "$left" "$hecto" run "$experiment" --profile "$GPU_CHECK_PROFILE" \
      --set "encoder.path=$encoder" --device cuda --jobs 4 --db "$out/profile.db" \
      --cache-dir "$out/cache-cuda" >>"$out/profile.log" 2>&1 || log "$experiment: stopped (budget or error)"
  done
  put profile_run_seconds "$(($(date +%s) - profile_start))"
  put_str profile_cells_done "$("$hecto" query --db "$out/profile.db" --format csv \
    "SELECT count(*) FROM v_results" | tail -1 | tr -d '\r')"
fi
put_str skipped_steps "${skipped[*]:-none}"
put total_seconds "$(($(date +%s) - started))"
