#!/usr/bin/env bash
# Rebuilds the default lexicon (Sources/RoleLensClassify/Resources/default-lexicon.yaml) from
# the hand-written one (Scripts/lexicon/hand-written.yaml) and all the labelled text we may use:
# Corpus/ and ../shared/data/postings. `rolelens lexicon learn` labels each posting by its
# title, hides the titles, and fits the body phrase weights with the hand-written weights as
# the prior (see the README, "Learning a lexicon from your titles"). Deterministic: the same
# inputs and seed give the same lexicon (apart from the "Learned on" date line).
#
#   Scripts/learn-default-lexicon.sh [--check]
#
# --check writes to a temporary file and exits 1 if it differs from the committed default
# (ignoring the date line).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/data/postings
if [ ! -d "$shared" ]; then
  echo "learn-default-lexicon: $shared is missing; the default is learned from it and Corpus/" >&2
  exit 2
fi
swift build -c release --product rolelens >/dev/null
target=Sources/RoleLensClassify/Resources/default-lexicon.yaml
out=$target
if [ "${1:-}" = "--check" ]; then out=$(mktemp); fi
.build/release/rolelens lexicon learn Corpus "$shared" --lexicon Scripts/lexicon/hand-written.yaml --seed 20240601 \
  --out "$out"
if [ "$out" != "$target" ]; then
  if diff <(grep -v '^# Learned on' "$out") <(grep -v '^# Learned on' "$target") >/dev/null; then
    echo "the committed default lexicon is what the script learns"
  else
    echo "the committed default lexicon differs from what the script learns" >&2
    exit 1
  fi
fi
