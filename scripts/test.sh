#!/usr/bin/env bash
# Install everything (dev extras, llama.cpp and its server, Milvus, and the browser for UI tests), then run the whole
# test suite offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --dev
# the served-generator tests run llama.cpp's OpenAI-compatible server; without a wheel pip builds it (minutes, once;
# pip caches the wheel). Not for the native CPU: that build segfaults on these VMs (docs/PERFORMANCE.md).
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF}"
.venv/bin/python -m pip --disable-pip-version-check -q install -e ".[dev,llamacpp,milvus]"
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
.venv/bin/python -m pytest "$@"
# issue 18: with no arguments (the README command, CI), the end-to-end tests once more with the index kept in Milvus
# (one `milvus-lite server` process on 127.0.0.1 for the session, tests/conftest.py): about 4 minutes
if [ $# -eq 0 ]; then
  QA_VECTOR_STORE=milvus .venv/bin/python -m pytest tests/e2e --ignore=tests/e2e/test_milvus_real_models.py
fi
