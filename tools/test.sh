#!/usr/bin/env bash
# Install (tools/setup.sh), then run every notebook as a test with nbdev_test, one notebook at a time,
# and end with an honest count: "N passed, M failed" (one per notebook run).
#   bash tools/test.sh                 the quick path (cells flagged `slow` are skipped)
#   bash tools/test.sh --flags slow    everything, including the full training runs
set -uo pipefail
# a relative TEXTLAB_DATA_DIR means what it meant where it was typed: make it absolute before changing directory
if [ -n "${TEXTLAB_DATA_DIR:-}" ] && [ "${TEXTLAB_DATA_DIR#/}" = "$TEXTLAB_DATA_DIR" ]; then
  if [ -d "$TEXTLAB_DATA_DIR" ]; then export TEXTLAB_DATA_DIR=$(cd "$TEXTLAB_DATA_DIR" && pwd)
  else echo "TEXTLAB_DATA_DIR=$TEXTLAB_DATA_DIR is not a directory (seen from $(pwd)): fix it or unset it"; echo "0 passed, 1 failed"; exit 1; fi
fi
cd "$(dirname "$0")/.."
bash tools/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
. .venv/bin/activate
if [ -z "${TEXTLAB_DATA_DIR:-}" ] && [ -d ../shared/data ]; then export TEXTLAB_DATA_DIR=$(cd ../shared/data && pwd); fi
echo "data: ${TEXTLAB_DATA_DIR:-Hugging Face hub (set TEXTLAB_DATA_DIR to use a local copy)}"
export MPLBACKEND=Agg
passed=0; failed=0; failed_nbs=()
for nb in nbs/*.ipynb; do
  t0=$(date +%s); log=$(mktemp)
  echo "RUN  $nb"
  nbdev_test --path "$nb" --n_workers 1 "$@" > "$log" 2>&1 &
  pid=$!
  # nbdev_test prints nothing until a notebook is done: say every minute that it is still working
  while kill -0 $pid 2>/dev/null; do
    for _ in $(seq 60); do sleep 1; kill -0 $pid 2>/dev/null || break; done
    kill -0 $pid 2>/dev/null && echo "     ... $nb still running ($(( $(date +%s)-t0 )) s)"
  done
  if wait $pid; then
    passed=$((passed+1)); echo "PASS $nb ($(( $(date +%s)-t0 )) s)"
  else
    failed=$((failed+1)); failed_nbs+=("$nb"); echo "FAIL $nb ($(( $(date +%s)-t0 )) s)"; tail -40 "$log" | sed 's/^/    /'
  fi
  rm -f "$log"
done
[ $failed -eq 0 ] || echo "failed: ${failed_nbs[*]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
