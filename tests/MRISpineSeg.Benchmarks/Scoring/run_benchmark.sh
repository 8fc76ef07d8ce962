#!/usr/bin/env bash
# Whole-process wall time of `spineseg score` against the Python reference on 22 cases of 512x512x12 float32
# .nii.gz masks, timed in the same run with hyperfine, after checking both produce the same metrics.json.
#   tests/MRISpineSeg.Benchmarks/Scoring/run_benchmark.sh [DATA_DIR] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
data="${1:-/tmp/spineseg-score-bench}"
runs="${2:-10}"
py=/usr/bin/python3
ref="$root/tests/MRISpineSeg.Scoring.Tests/Reference/score_reference.py"
cli="dotnet $root/src/MRISpineSeg.Cli/bin/Release/net10.0/spineseg.dll"

[ -d "$data/truth" ] || "$py" "$root/tests/MRISpineSeg.Benchmarks/Scoring/generate_cases.py" "$data"
dotnet build "$root/src/MRISpineSeg.Cli" -c Release -nologo -v q -clp:ErrorsOnly

cd "$data"
$cli score --truth truth --pred pred --out cs.json >/dev/null
"$py" "$ref" --truth truth --pred pred --out py.json 2>/dev/null
"$py" "$root/tests/MRISpineSeg.Benchmarks/Scoring/compare_metrics.py" py.json cs.json

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N -w 2 -r "$runs" --export-markdown "$data/bench.md" \
  -n "spineseg score" "$cli score --truth truth --pred pred" \
  -n "python reference" "$py $ref --truth truth --pred pred" \
  -n "python reference --jobs 2" "$py $ref --truth truth --pred pred --jobs 2"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
