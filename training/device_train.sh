#!/bin/bash
# Train the span reader on a GPU machine lent by the device tool (one call), from the shipped reader's weights.
#
# Here, once:  mkdir -p .device && gzip -c ../shared/datasets/squad-v2.0-train-442-articles.json \
#                  > .device/squad-v2.0-train-442-articles.json.gz          (.device/ is git-ignored; 8.4 MB)
# There:       run(command="bash training/device_train.sh", carry=[".device"], timeout_s=600)
# Back here:   mkdir -p .qa-data/reader-gpu && cat FILES_AT/reader.tar.part-* | tar xf - -C .qa-data/reader-gpu
#              python -m training.reader_eval --model .qa-data/reader-gpu    (calibrate + held-out, on the CPU)
#
# Only the repository travels (64 MiB), so the base is qa/models/reader (the packaged all-MiniLM-L6-v2 does not fit
# beside it): a new schedule of STEPS steps starts from the shipped weights. Files come back in 15 MiB parts (the
# tool returns files of at most 16 MiB). The CPU command (python -m training.reader) stays the reference.
set -euo pipefail
PYTHON=${PYTHON:-python3}
DEVICE=${DEVICE:-cuda}
STEPS=${STEPS:-11520}          # 3 epochs of 3,840 steps of 32 windows
EXTRA=${EXTRA:-}
BASE=${BASE:-qa/models/reader}
DATA_GZ=${DATA_GZ:-.device/squad-v2.0-train-442-articles.json.gz}
OUT=${OUT:?the device tool sets OUT}
WORK=$(mktemp -d)
DATA=$WORK/data/squad-v2.0-train-442-articles.json   # the file's own name: the manifest records it
mkdir -p "$WORK/data"
gunzip -c "$DATA_GZ" > "$DATA"
"$PYTHON" -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__, \
'cuda', torch.cuda.is_available())" | tee "$OUT/train.log"
# shellcheck disable=SC2086
PYTHONUNBUFFERED=1 "$PYTHON" -m training.reader --seed 0 --steps "$STEPS" --device "$DEVICE" --base "$BASE" \
    --data "$DATA" --work "$WORK/checkpoints" --out "$WORK/model" --checkpoint-every 1000 --no-eval --no-progress \
    $EXTRA 2>&1 | tee -a "$OUT/train.log"
tar cf - -C "$WORK/model" . | split -b 15m - "$OUT/reader.tar.part-"
ls -la "$OUT"
