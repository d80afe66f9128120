#!/usr/bin/env bash
# Downloads distilbert-base-uncased (config.json, vocab.txt, model.safetensors) from the Hugging
# Face hub into DEST (default weights/distilbert-base-uncased) for the paper track, and prints
# the sha256 of the weights (every result records it too). Idempotent.
#   --optional: being offline is not an error (make reproduce then uses the offline track).
set -uo pipefail

optional=0
if [[ "${1:-}" == "--optional" ]]; then optional=1; shift; fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:-$root/weights/distilbert-base-uncased}
repo=${HECTO_HF_REPO:-distilbert-base-uncased}
base=${HF_ENDPOINT:-https://huggingface.co}/$repo/resolve/main

if [[ -s "$dest/model.safetensors" && -s "$dest/config.json" && -s "$dest/vocab.txt" ]]; then
  echo "weights: $dest already present (sha256 $(sha256sum "$dest/model.safetensors" | cut -c1-16)...)"
  exit 0
fi

mkdir -p "$dest"
for f in config.json vocab.txt model.safetensors; do
  [[ -s "$dest/$f" ]] && continue
  echo "weights: downloading $base/$f"
  if ! curl -fsSL --retry 2 --connect-timeout 15 -o "$dest/$f.part" "$base/$f"; then
    rm -f "$dest/$f.part"
    rmdir "$dest" 2>/dev/null
    echo "weights: cannot reach the Hugging Face hub ($base): offline?" >&2
    echo "weights: the paper track needs $repo in $dest (config.json, vocab.txt, model.safetensors);" >&2
    echo "weights: copy them there by hand, or use the offline track (PROFILE=cpu, make pretrain)." >&2
    [[ $optional == 1 ]] && exit 0 || exit 1
  fi
  mv "$dest/$f.part" "$dest/$f"
done
echo "weights: $dest ready (model.safetensors sha256 $(sha256sum "$dest/model.safetensors" | cut -d' ' -f1))"
