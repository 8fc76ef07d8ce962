#!/usr/bin/env bash
# Acceptance check for the demo model (issue 5): the full C# path on held-out phantoms.
#   spineseg phantom (seeds never used in training) -> spineseg segment -> spineseg score
# Usage: local/training/evaluate_demo.sh [MODEL] [OUTDIR] [FIRST_SEED] [COUNT]
# Defaults: local/models/spineseg-demo.onnx, /tmp/spineseg-demo-eval, seed 5000, 10 cases (training used 1000-1119).
# SEGMENT_ARGS adds flags to every segment, e.g. SEGMENT_ARGS="--keep-largest" or "--keep-largest false".
set -euo pipefail
cd "$(dirname "$0")/../.."
model="${1:-local/models/spineseg-demo.onnx}"
out="${2:-/tmp/spineseg-demo-eval}"
first="${3:-5000}"
count="${4:-10}"
dotnet build src/MRISpineSeg.Cli -c Release -nologo -v q >/dev/null
spineseg="dotnet src/MRISpineSeg.Cli/bin/Release/net10.0/spineseg.dll"
rm -rf "$out"
mkdir -p "$out/scans" "$out/truth" "$out/pred"
$spineseg phantom --out "$out/scans" --count "$count" --seed "$first" --first-case "$first" >/dev/null
mv "$out"/scans/mask_case*.nii.gz "$out/truth/"
start=$(date +%s)
for f in "$out"/scans/Case*.nii.gz; do
  n=$(basename "$f" .nii.gz)
  $spineseg segment "$f" "$out/pred/$n.nii.gz" --model "$model" --preview "$out/pred/$n.png" --stats "$out/pred/$n.json" ${SEGMENT_ARGS:-}
done
echo "segmented $count scans in $(( $(date +%s) - start )) s"
$spineseg score --truth "$out/truth" --pred "$out/pred" --out "$out/metrics.json" --csv "$out/metrics.csv" --html "$out/report.html"
