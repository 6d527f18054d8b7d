#!/usr/bin/env bash
# Install textlab for development into ./.venv (idempotent): torch first, then the package with its dev extras.
#   TORCH_SPEC       which torch to install first (default: torch==2.13.0; the package itself accepts a range)
#   TORCH_INDEX_URL  an extra pip index for torch, e.g. PyTorch's CPU-only wheels on a machine with no GPU
#   PYTHON           the interpreter that creates the venv (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
. .venv/bin/activate
python -m pip install -q --upgrade pip 2>/dev/null || true
spec=${TORCH_SPEC:-torch==2.13.0}
want=${spec#torch==}
have=$(python -c 'import importlib.metadata as m; print(m.version("torch"))' 2>/dev/null || true)
if [ -z "$have" ] || { [ "$spec" != "$want" ] && [ "${have%%+*}" != "$want" ]; }; then
  # torch goes in first and on its own: a package that merely depends on torch would otherwise pull the
  # newest (multi-GB CUDA) build
  python -m pip install -q "$spec" ${TORCH_INDEX_URL:+--extra-index-url "$TORCH_INDEX_URL"}
fi
# the package itself (skipped when nothing it is built from changed since the last install)
stamp=.venv/.textlab-installed
if [ ! -f "$stamp" ] || [ setup.py -nt "$stamp" ] || [ settings.ini -nt "$stamp" ] || ! python -c 'import textlab' 2>/dev/null; then
  if ! python -m pip install -q -e ".[dev]" > .venv/pip-install.log 2>&1; then
    cat .venv/pip-install.log; echo "pip install -e .[dev] failed (log above)"; exit 1
  fi
  python -c 'import textlab' && touch "$stamp"
  python -m ipykernel install --sys-prefix --name python3 >/dev/null 2>&1 || true
fi
echo "textlab installed in $(pwd)/.venv (torch $(python -c 'import torch; print(torch.__version__)'))"
