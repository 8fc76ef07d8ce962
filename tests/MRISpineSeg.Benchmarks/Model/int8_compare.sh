#!/bin/bash
# Issue 14 (CPU int8) benchmark in one run, whole processes paired by farm-bench, 2 threads, 512x512x12, width 16:
#   1. int8 `spineseg segment` vs PyTorch 1.13 fp32 (one inference per process: vnet_torch_bench.py --runs 0);
#   2. int8 `spineseg segment` vs fp32 `spineseg segment` (the per-z-tap graph, zero z padding skipped);
#   3. (ZPAD=1 only) fp32 with the z-padding skip vs fp32 multiplying the padding through (model build --multiply-z-padding).
# The int8 model is the random width-16 model (seed 1) quantized on two phantoms (seeds 1000-1001); the scan is a
# phantom (seed 7000). Results go to BENCHMARKS.md ("CPU int8").
# Then, in-process, the int8 model's warm runs and peak (model bench) and its labels against the fp32 graph's.
#   [WARMUP=1] [ZPAD=1] tests/MRISpineSeg.Benchmarks/Model/int8_compare.sh [WORKDIR] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
work="${1:-/tmp/int8-compare}"
runs="${2:-3}"
mkdir -p "$work/cal" "$work/scan"
dotnet build "$root/src/MRISpineSeg.Cli" -c Release -nologo -v q -clp:ErrorsOnly
S="$root/src/MRISpineSeg.Cli/bin/Release/net10.0/spineseg"
[ -f "$work/w16.onnx" ] || "$S" model build --random-seed 1 --width 16 --out "$work/w16.onnx"
[ "${ZPAD:-0}" = 0 ] || [ -f "$work/w16-padded.onnx" ] || "$S" model build --random-seed 1 --width 16 --multiply-z-padding --out "$work/w16-padded.onnx"
[ -f "$work/cal/Case1000.nii.gz" ] || "$S" phantom --out "$work/cal" --count 2 --seed 1000 --first-case 1000
[ -f "$work/scan/Case7000.nii.gz" ] || "$S" phantom --out "$work/scan" --count 1 --seed 7000 --first-case 7000
[ -f "$work/w16-int8.onnx" ] || "$S" model quantize "$work/w16.onnx" --calibration "$work/cal" --out "$work/w16-int8.onnx"
scan="$work/scan/Case7000.nii.gz"
seg() { echo "$S segment $scan $work/$1.nii.gz --model $work/$2 --threads 2"; }
torch="/usr/bin/python3 $root/tests/MRISpineSeg.Benchmarks/Model/vnet_torch_bench.py --runs 0 --threads 2"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) flags: $(grep -m1 flags /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_vnni|avx_vnni)$' | tr '\n' ' ')"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2046
farm-bench -n "$runs" --warmup "${WARMUP:-1}" --timeout 3000 --vs "$torch" -- $(seg int8 w16-int8.onnx)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2046
farm-bench -n "$runs" --warmup "${WARMUP:-1}" --timeout 3000 --vs "$(seg fp32 w16.onnx)" -- $(seg int8 w16-int8.onnx)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${ZPAD:-0}" != 0 ]; then
  # shellcheck disable=SC2046
  farm-bench -n "$runs" --warmup "${WARMUP:-1}" --timeout 3000 --vs "$(seg padded w16-padded.onnx)" -- $(seg fp32 w16.onnx)
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
"$S" model bench "$work/w16-int8.onnx" --runs 2 --threads 2 --labels-out "$work/int8.labels"
"$S" model bench "$work/w16.onnx" --runs 1 --threads 2 --compare "$work/int8.labels"
