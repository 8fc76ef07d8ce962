#!/usr/bin/env bash
# Held-out check of the real vertebral-body model (issue 15): the full C# path on chu2015 cases it never trained on.
#   spineseg segment (each scan, stored RAS, is permuted to the model's PSR and back) -> spineseg score
# Usage: local/training/evaluate_real_vb.sh DATA [MODEL] [OUTDIR] [CASES]
#   DATA    the chu2015-vb folder (Case{NN}.nii.gz + mask_case{NN}.nii.gz; see local/models/spineseg-real-vb.md)
#   MODEL   default local/models/spineseg-real-vb.onnx
#   OUTDIR  default /tmp/spineseg-real-vb-eval
#   CASES   held-out case numbers, default "02 10 18" (the model trained on the other nine)
# SEGMENT_ARGS adds flags to every segment, e.g. SEGMENT_ARGS="--keep-largest false".
# Prints the seconds per scan and writes metrics.json / metrics.csv / report.html; vertebral-body Dice per case and
# per vertebra are the "vertebrae" and per-label rows (labels 2-8 = L5..T11).
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${1:?usage: evaluate_real_vb.sh DATA [MODEL] [OUTDIR] [CASES]}"
model="${2:-local/models/spineseg-real-vb.onnx}"
out="${3:-/tmp/spineseg-real-vb-eval}"
cases="${4:-02 10 18}"
dotnet build src/MRISpineSeg.Cli -c Release -nologo -v q >/dev/null
spineseg="src/MRISpineSeg.Cli/bin/Release/net10.0/spineseg"
rm -rf "$out"
mkdir -p "$out/truth" "$out/pred"
total=0
for c in $cases; do
  [[ -f "$data/Case$c.nii.gz" && -f "$data/mask_case$c.nii.gz" ]] || { echo "evaluate_real_vb: $data has no Case$c.nii.gz with mask_case$c.nii.gz" >&2; exit 1; }
  cp "$data/mask_case$c.nii.gz" "$out/truth/"
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  "$spineseg" segment "$data/Case$c.nii.gz" "$out/pred/Case$c.nii.gz" --model "$model" --threads 2 \
    --preview "$out/pred/Case$c.png" --stats "$out/pred/Case$c.json" ${SEGMENT_ARGS:-}
  total=$((total + $(date +%s%N) - start))
done
n=$(wc -w <<<"$cases")
echo "segmented $n scans, $(awk -v t="$total" -v n="$n" 'BEGIN { printf "%.2f", t / n / 1e9 }') s per scan (whole segment process, 2 threads)"
"$spineseg" score --truth "$out/truth" --pred "$out/pred" --out "$out/metrics.json" --csv "$out/metrics.csv" --html "$out/report.html"
