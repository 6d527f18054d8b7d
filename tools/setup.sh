#!/usr/bin/env bash
# Install textlab for development into ./.venv (idempotent): torch first, then the package with its dev extras.
#   TORCH_SPEC       which torch to install first (default: torch==2.13.0; the package itself accepts a range)
#   TORCH_INDEX_URL  an extra pip index for torch. On a Linux machine with no GPU use PyTorch's CPU-only wheels,
#                    TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu : PyPI's torch for Linux is the multi-GB CUDA build
#   PYTHON           the interpreter that creates the venv (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
. .venv/bin/activate
say() { echo "[setup $(( $(date +%s)-t0 )) s] $*"; }
t0=$(date +%s)
# pip's own lines, minus the noise: what it is fetching and installing, so a long install shows progress
progress() { grep --line-buffered -E '^(Collecting|Installing collected|Successfully installed|ERROR)' | cut -c1-150 || true; }
python -m pip install -q --upgrade pip 2>/dev/null || true
spec=${TORCH_SPEC:-torch==2.13.0}
want=${spec#torch==}
have=$(python -c 'import importlib.metadata as m; print(m.version("torch"))' 2>/dev/null || true)
if [ -z "$have" ] || { [ "$spec" != "$want" ] && [ "${have%%+*}" != "$want" ]; }; then
  # torch goes in first and on its own: a package that merely depends on torch would otherwise pull the
  # newest (multi-GB CUDA) build
  say "installing $spec first (PyPI's Linux wheel of torch is the multi-GB CUDA build; see TORCH_INDEX_URL)"
  if ! python -m pip install "$spec" ${TORCH_INDEX_URL:+--extra-index-url "$TORCH_INDEX_URL"} 2>&1 | tee .venv/pip-torch.log | progress; then
    echo "installing $spec failed (log: .venv/pip-torch.log)"; exit 1
  fi
fi
# the package itself (skipped when nothing it is built from changed since the last install)
stamp=.venv/.textlab-installed
if [ ! -f "$stamp" ] || [ setup.py -nt "$stamp" ] || [ settings.ini -nt "$stamp" ] || ! python -c 'import textlab' 2>/dev/null; then
  say "installing textlab (editable) with its dev extras: nbdev, and every lab's extra"
  if ! python -m pip install -e ".[dev]" 2>&1 | tee .venv/pip-install.log | progress; then
    tail -30 .venv/pip-install.log; echo "pip install -e .[dev] failed (log: .venv/pip-install.log)"; exit 1
  fi
  python -c 'import textlab' && touch "$stamp"
  python -m ipykernel install --sys-prefix --name python3 >/dev/null 2>&1 || true
fi
say "textlab installed in $(pwd)/.venv (torch $(python -c 'import torch; print(torch.__version__)'))"
