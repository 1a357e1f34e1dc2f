#!/usr/bin/env bash
# Re-derive a golden set of ptheorem derivations; exit non-zero when one changed.
#
# Used by ptheorem-verify.yml (GitHub Actions); runs from any directory:
#
#     bash path/to/verify.sh [GOLDEN_DIR]
#
# GOLDEN_DIR defaults to the golden/ directory next to this script (a path given is
# taken from the current directory, as usual). After an intended change, regenerate
# the set and review the diff:
#
#     ptheorem snapshot examples/ci/golden --grid 'depth=1..4,dim=2|3'
#
# Exit status (from ptheorem): 0 all match, 1 a derivation differs,
# 2 bad golden directory or file, 3 inconclusive (a budget ran out: raise --timeout).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GOLDEN_DIR="${1:-$HERE/golden}"

ptheorem --version
# Every golden file, re-derived by the route it records.
ptheorem verify "$GOLDEN_DIR" --jobs 2 --no-color
# One configuration against its golden file (what a project pins in its own tests);
# the configuration, method and seed come from the file.
PINNED="$GOLDEN_DIR/L3_d2_w2-2_nobias.json"
if [[ -f "$PINNED" ]]; then
    ptheorem check --quiet --no-color --expect "$PINNED"
fi
