#!/usr/bin/env bash
# The experiment files `make reproduce` runs for a profile, one per line: the one list that
# scripts/reproduce.sh and scripts/measure-speedup.sh share.
#   usage: scripts/profile-experiments.sh PROFILE
set -euo pipefail
printf '%s\n' experiments/paper/main.toml experiments/paper/batch_size.toml experiments/paper/encoder.toml \
  experiments/paper/ablations.toml
if [[ ${1:?usage: profile-experiments.sh PROFILE} == cpu ]]; then
  printf '%s\n' experiments/offline/encoders.toml
fi
