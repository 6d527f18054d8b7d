#!/usr/bin/env bash
# Install (tools/setup.sh), then run every notebook as a test with nbdev_test, one notebook at a time,
# and end with an honest count: "N passed, M failed" (one per notebook run).
#   bash tools/test.sh                 the quick path (cells flagged `slow` are skipped)
#   bash tools/test.sh --flags slow    everything, including the full training runs
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
. .venv/bin/activate
if [ -z "${TEXTLAB_DATA_DIR:-}" ] && [ -d ../shared/data ]; then export TEXTLAB_DATA_DIR=$(cd ../shared/data && pwd); fi
echo "data: ${TEXTLAB_DATA_DIR:-Hugging Face hub (set TEXTLAB_DATA_DIR to use a local copy)}"
export MPLBACKEND=Agg
passed=0; failed=0; failed_nbs=()
for nb in nbs/*.ipynb; do
  t0=$(date +%s)
  if out=$(nbdev_test --path "$nb" --n_workers 1 "$@" 2>&1); then
    passed=$((passed+1)); echo "PASS $nb ($(( $(date +%s)-t0 )) s)"
  else
    failed=$((failed+1)); failed_nbs+=("$nb"); echo "FAIL $nb ($(( $(date +%s)-t0 )) s)"; echo "$out" | tail -40 | sed 's/^/    /'
  fi
done
[ $failed -eq 0 ] || echo "failed: ${failed_nbs[*]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
