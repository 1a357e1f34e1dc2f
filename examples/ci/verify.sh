#!/usr/bin/env bash
# Re-derive a golden set of ptheorem derivations; exit non-zero when one changed.
#
# Used by ptheorem-verify.yml (GitHub Actions) and runnable locally from the
# repository root:
#
#     bash examples/ci/verify.sh [GOLDEN_DIR]
#
# After an intended change, regenerate the set and review the diff:
#
#     ptheorem snapshot examples/ci/golden --grid 'depth=1..4,dim=2|3'
#
# Exit status (from ptheorem): 0 all match, 1 a derivation differs,
# 2 bad golden directory or file, 3 a symbolic budget ran out.
set -euo pipefail

GOLDEN_DIR="${1:-examples/ci/golden}"

ptheorem --version
# Every golden file, re-derived with the method it records.
ptheorem verify "$GOLDEN_DIR" --jobs 2 --no-color
# One configuration against its golden file (what a project pins in its own tests).
ptheorem check --depth 3 --dim 2 --quiet --no-color --expect "$GOLDEN_DIR/L3_d2_w2-2_nobias.json"
