#!/bin/bash
# Issue 4 benchmark in one run: an older spineseg build (baseline) against this one, with and without huge pages,
# and PyTorch, on the width-16 VNet at 512x512x12, 2 threads. Results go to BENCHMARKS.md ("Current").
#   tests/MRISpineSeg.Benchmarks/Model/vnet_compare.sh OLD_SPINESEG [WORKDIR]
# OLD_SPINESEG: e.g. a build of ec94a81 (git worktree add /tmp/old ec94a81 && dotnet build /tmp/old/src/MRISpineSeg.Cli -c Release -o /tmp/oldcli).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
old="${1:?usage: vnet_compare.sh OLD_SPINESEG [WORKDIR]}"
work="${2:-/tmp/vnet-compare}"
mkdir -p "$work"
dotnet build "$root/src/MRISpineSeg.Cli" -c Release -nologo -v q -clp:ErrorsOnly
S="$root/src/MRISpineSeg.Cli/bin/Release/net10.0/spineseg"
"$old" model build --out "$work/old.onnx" --random-seed 1 >/dev/null
"$S" model build --out "$work/new.onnx" --random-seed 1 >/dev/null
"$S" phantom --out "$work" --seed 3 --first-case 3 >/dev/null
run() { label=$1; shift; /usr/bin/time -f "$label wall=%e s maxrss=%M KB user=%U sys=%S" "$@" 2>&1 | grep -E "warm|peak|wall=|wrote" || true; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
export SPINESEG_HUGEPAGES=0   # the old build has no relaunch; measure the new one both ways explicitly
run old-bench "$old" model bench "$work/old.onnx" --runs 1 --threads 2
run new-bench "$S" model bench "$work/new.onnx" --runs 1 --threads 2
run new-bench-hugepages env GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$S" model bench "$work/new.onnx" --runs 1 --threads 2
run old-segment "$old" segment "$work/Case3.nii.gz" "$work/old_mask.nii.gz" --model "$work/old.onnx" --threads 2
run new-segment "$S" segment "$work/Case3.nii.gz" "$work/new_mask.nii.gz" --model "$work/new.onnx" --threads 2
run new-segment-hugepages env GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$S" segment "$work/Case3.nii.gz" "$work/hp_mask.nii.gz" --model "$work/new.onnx" --threads 2
run torch /usr/bin/python3 "$root/tests/MRISpineSeg.Benchmarks/Model/vnet_torch_bench.py" --runs 1 --threads 2
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
