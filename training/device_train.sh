#!/bin/bash
# Train span readers on a GPU machine lent by the device tool, several configurations at once on the one GPU.
#
# Here, once (.device/ is git-ignored):
#   mkdir -p .device && xz -T2 -c ../shared/datasets/squad-v2.0-train-442-articles.json > .device/train.json.xz
#   python -m training.base_fp16 .device/minilm     (the packaged all-MiniLM-L6-v2 in float16: 45 MB, not 91)
# The repository travels too (64 MiB in all): leave the shipped reader's weights out of that call with
#   git rm -q --cached qa/models/reader/model.safetensors && echo /qa/models/reader/model.safetensors >> .git/info/exclude
# and put them back afterwards (git reset -q -- qa/models/reader/model.safetensors; delete the exclude line).
# There:   run(command='bash training/device_train.sh "A:7680:" "B:7680:--other-paragraph-rate 0.2"', carry=[".device"])
#          each NAME:STEPS:OPTIONS trains `python -m training.reader` (batch 64, 192 tokens, bfloat16 autocast) into
#          /tmp/reader-NAME; a run past TLIMIT seconds exports its last checkpoint (--export-now).
#          The first model comes back in $OUT with every run's log (weights in 15 MB parts: the tool returns at most
#          8 files of at most 16 MiB);
#          while the machine is warm, `PACK=B bash training/device_train.sh` packs another one.
# Back:    mkdir -p .qa-data/reader-A && tar xzf FILES_AT/model.tgz -C .qa-data/reader-A &&
#          cat FILES_AT/weights.part* > .qa-data/reader-A/model.safetensors && rm .qa-data/reader-A/*.log
#          python -m training.reader_eval --model .qa-data/reader-A --write   (calibrate + held-out, on the CPU)
# The CPU command (python -m training.reader) stays the reference.
set -uo pipefail
PYTHON=${PYTHON:-python3}
DEVICE=${DEVICE:-cuda}
TLIMIT=${TLIMIT:-420}
BASE=${BASE:-.device/minilm}
DATA_XZ=${DATA_XZ:-.device/train.json.xz}
OUT=${OUT:?the device tool sets OUT}
WORK=${WORK:-/tmp/device-train}
export PYTHONPATH=$PWD PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false

pack() {  # one model directory into $OUT: its small files in model.tgz, its weights in parts
    local dir=$WORK/reader-$1
    [ -f "$dir/model.safetensors" ] || { echo "no model $dir" >&2; return 1; }
    cp "$WORK"/logs/*.log "$dir/" 2>/dev/null
    tar czf "$OUT/model.tgz" -C "$dir" --exclude model.safetensors .
    split -b 15000000 -d "$dir/model.safetensors" "$OUT/weights.part"
    ls -la "$OUT"
}

if [ -n "${PACK:-}" ]; then pack "$PACK"; exit $?; fi
[ $# -gt 0 ] || { echo "usage: device_train.sh NAME:STEPS:OPTIONS ..." >&2; exit 2; }
mkdir -p "$WORK/data" "$WORK/logs"
DATA=$WORK/data/squad-v2.0-train-442-articles.json   # the file's own name: the manifest records it
[ -f "$DATA" ] || xz -dc "$DATA_XZ" > "$DATA"
"$PYTHON" -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__, \
'cuda', torch.cuda.is_available())" | tee "$OUT/train.log"
for spec in "$@"; do
    IFS=: read -r name steps options <<< "$spec"
    (
        # shellcheck disable=SC2086
        args=(--base "$BASE" --data "$DATA" --device "$DEVICE" --bf16 --batch-size 64 --max-seq-len 192 --seed 0
              --steps "$steps" --threads 4 --checkpoint-every 250 --work "$WORK/work-$name" --out "$WORK/reader-$name"
              --no-eval --no-progress $options)
        timeout "$TLIMIT" "$PYTHON" -m training.reader "${args[@]}" > "$WORK/logs/$name.log" 2>&1
        rc=$?
        if [ $rc -eq 124 ]; then
            echo "past ${TLIMIT}s: exporting the last checkpoint" >> "$WORK/logs/$name.log"
            "$PYTHON" -m training.reader "${args[@]}" --export-now >> "$WORK/logs/$name.log" 2>&1
        fi
        echo "$name: exit $rc" >> "$OUT/train.log"
    ) &
done
wait
first=${1%%:*}
pack "$first"
