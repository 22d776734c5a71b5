#!/usr/bin/env bash
# Warm start at full scale, issue 13's claim: a MiniCNN trained on all 60,000 MNIST digits, then
# fine-tuned for one epoch on all 60,000 Fashion-MNIST images with conv1 and conv2 frozen, against
# the same epoch from random weights at the same seed, for each seed given (default 0 1 2), all
# through one service. Two more warm starts run beside them: nothing frozen, and conv1 and conv2
# frozen under a fresh classifier head (fc1 and fc2 reset to the seed's random weights). The
# source job is seeded too, so a later run with other seeds continues an earlier one. Prints one
# JSON line per job: its test accuracy.
# TRAIN_LIMIT=N fine-tunes on the first N Fashion-MNIST training images only (the whole test set is
# still the measure): the regime transfer learning is for, where there is little labelled data.
# OPT picks the fine-tuning epoch's optimizer: adam (default: Adam, lr 0.001) or seed (the task's
# own defaults, the seed lesson's run: plain SGD, lr 0.01, batch 128). The source is the same either way.
# CONTROL=1 adds the control for the fresh head: the same frozen convolutions and fresh head, but the
# convolutions taken from a MiniCNN that took one SGD step on one digit (seed 0's random weights, all
# but untouched), so that what the MNIST training itself brings shows apart from freezing.
# Usage: [SOURCE_EPOCHS=2] [TRAIN_LIMIT=N] [OPT=adam|seed] [CONTROL=1] bench/finetune.sh [SEEDS...]   (needs npm, and Debian's dataset-fashion-mnist)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MNIST=$OUT/mnist
SEEDS=${*:-0 1 2}
SOURCE_EPOCHS=${SOURCE_EPOCHS:-2}
FASHION=/usr/share/datasets/fashion-mnist
[ -d "$FASHION" ] || { echo "needs Fashion-MNIST: apt-get install -y dataset-fashion-mnist" >&2; exit 1; }

machine
mnist_files
build
start_service finetune 18196 warm-up --dojo.datasets.mnist-dir="$(pwd)/$MNIST" --dojo.datasets.fashion-mnist-dir="$FASHION"

run() {  # run LABEL SPEC: one job, its final test accuracy
  local out
  out=$(/usr/bin/python3 bench/service_client.py "$BASE" job "$2")
  echo "$out" | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(json.dumps({"run": sys.argv[1], "id": j["id"], "status": j["status"], "seconds": j["seconds"], "test_accuracy": j["test_accuracy"][-1] if j["test_accuracy"] else None}))' "$1"
}
id_of() { /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$1"; }

SOURCE=$(run "mnist source, $SOURCE_EPOCHS epochs" "{\"task\":\"mnist\",\"hyperparameters\":{\"epochs\":$SOURCE_EPOCHS,\"optimizer\":\"adam\",\"learningRate\":0.001,\"seed\":0}}")
echo "$SOURCE"
SRC=$(id_of "$SOURCE")
if [ -n "${CONTROL:-}" ]; then
  UNTRAINED=$(run "control source: one SGD step on one digit" '{"task":"mnist","hyperparameters":{"epochs":1,"trainLimit":1,"batchSize":1,"seed":0}}')
  echo "$UNTRAINED"
  UNTRAINED=$(id_of "$UNTRAINED")
fi
case "${OPT:-adam}" in
  adam) OPTIMIZER='"optimizer":"adam","learningRate":0.001,' ;;
  seed) OPTIMIZER='' ;;
  *) echo "OPT is adam or seed" >&2; exit 2 ;;
esac
FROZEN='"freeze":["conv1","conv2"]'
FRESH_HEAD="$FROZEN,\"reset\":[\"fc1\",\"fc2\"]"
for seed in $SEEDS; do
  hp="\"hyperparameters\":{\"epochs\":1,$OPTIMIZER\"seed\":$seed${TRAIN_LIMIT:+,\"trainLimit\":$TRAIN_LIMIT}}"
  fashion="{\"task\":\"fashion-mnist\",$hp"
  from_mnist="$fashion,\"initFrom\":{\"job\":\"$SRC\"}"
  label="fashion, ${OPT:-adam} optimizer, seed $seed${TRAIN_LIMIT:+ (first $TRAIN_LIMIT images)}"
  run "$label: random weights" "$fashion}"
  run "$label: from mnist, conv1+conv2 frozen" "$from_mnist,$FROZEN}"
  run "$label: from mnist, nothing frozen" "$from_mnist}"
  run "$label: from mnist, conv1+conv2 frozen, fc1+fc2 reset" "$from_mnist,$FRESH_HEAD}"
  if [ -n "${CONTROL:-}" ]; then
    run "$label: control, untrained conv1+conv2 frozen, fc1+fc2 reset" "$fashion,\"initFrom\":{\"job\":\"$UNTRAINED\"},$FRESH_HEAD}"
  fi
done
