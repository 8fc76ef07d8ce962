#!/usr/bin/env bash
# Prepares, on a machine with the .NET SDK, everything local/gpu/run-on-gpu.sh needs on a GPU machine that has no .NET:
#   local/gpu/stage/cli.tar.xz.part-*   a self-contained linux-x64 publish of spineseg built against ONNX Runtime's
#                                        CUDA package (Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0), xz-compressed and
#                                        split into 44 MiB parts (a device call carries at most 64 MiB, the
#                                        working tree, about 16 MB, included)
#   local/gpu/stage/reference.labels     CPU fp32 labels of the width-16 random model (seed 7) at 512x512x12 on the
#                                        benchmark's fixed input (seed 1), from the stored per-z-tap form
#   local/gpu/stage/reference.txt        the model's weights checksum and the command that made the labels
# local/gpu/stage/ is ignored by git; carry its files to the GPU machine (see run-on-gpu.sh).
#
# Usage: local/gpu/stage.sh            (about 5 minutes on 2 cores: publish, one CPU inference, compression)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
stage=$root/local/gpu/stage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$stage" && mkdir -p "$stage"

echo "== publish spineseg (self-contained, CUDA build of ONNX Runtime)"
# A scratch copy of the sources, so the CUDA restore does not touch this checkout's obj/ folders.
mkdir -p "$work/src"
cp Directory.Build.props Directory.Packages.props "$work/"
tar -C src --exclude=bin --exclude=obj -cf - . | tar -C "$work/src" -xf -
dotnet publish "$work/src/MRISpineSeg.Cli/MRISpineSeg.Cli.csproj" -c Release -r linux-x64 --self-contained true \
  -p:WorkerInferenceDevice=cuda -o "$work/cli" -nologo -v quiet
test -f "$work/cli/libonnxruntime_providers_cuda.so" || { echo "stage.sh: the publish has no libonnxruntime_providers_cuda.so" >&2; exit 1; }
tar -C "$work" -cf - cli | xz -T2 -6 > "$work/cli.tar.xz"
split -b 44M -d "$work/cli.tar.xz" "$stage/cli.tar.xz.part-"
(cd "$stage" && sha256sum "$work/cli.tar.xz" | awk '{print $1"  cli.tar.xz"}' > cli.tar.xz.sha256)

echo "== CPU fp32 reference labels (stored form, 2 threads)"
cli=src/MRISpineSeg.Cli/bin/Release/net10.0/spineseg
dotnet build src/MRISpineSeg.Cli -c Release -nologo -v quiet
"$cli" model build --random-seed 7 --width 16 --out "$work/w16.onnx" | tee "$stage/reference.txt"
"$cli" model bench "$work/w16.onnx" --runs 1 --threads 2 --form stored --labels-out "$stage/reference.labels" | tee -a "$stage/reference.txt"
ls -l "$stage"
