#!/usr/bin/env bash
# Runs on the GPU machine (CUDA 13, cuDNN 9 and PyTorch in Python, no .NET), from the repository root, after
# local/gpu/stage.sh has made local/gpu/stage/ here and its files were carried there:
#   1. unpacks the self-contained spineseg (CUDA build of ONNX Runtime 1.31.0);
#   2. points LD_LIBRARY_PATH at the CUDA 13 / cuBLAS / cuDNN 9 libraries of the Python packages;
#   3. rebuilds the width-16 random model (seed 7) and checks its weights checksum against the staged one;
#   4. spineseg model bench --device cuda (auto form: native 3-D fp16, CUDA graph) with --compare against the CPU
#      fp32 labels made by stage.sh; then the stored per-z-tap form on CUDA, for contrast;
#   5. PyTorch fp16 on the same network and input size as the anchor (local/gpu/torch_vnet_cuda.py).
#
# What it should print (numbers are what to look for, not promises):
#   model vnet-w16-prelu-random grid 512x512x12 device Cuda ...
#   load ... s; first run ... s; warm runs ... s; median M s; ...
#   provider CUDAExecutionProvider; graph native-3d fp16 cuda-graph
#   labels agree with local/gpu/stage/reference.labels: N of 3145728 voxels (>= 99.9 %: fp16 flips near-ties only)
#   torch 2.x cuda fp16 ... median T s ...
# and "volumes per second" lines for both. A CUDA failure stops it with the missing library, driver or device named.
#
# Staging through the device tool (each call carries the working tree plus at most 64 MiB; ignored paths carried by
# earlier calls stay on a warm machine): one call per part, e.g. carry ["local/gpu/stage/cli.tar.xz.part-00"] with
# command "ls local/gpu/stage", then part-01, ...; the last call carries the last part, cli.tar.xz.sha256,
# reference.labels and reference.txt, and runs this script.
#
# Usage: bash local/gpu/run-on-gpu.sh [runs]      (default 20 warm runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
stage=local/gpu/stage
out=${OUT:-/tmp}
work=/tmp/spineseg-gpu
mkdir -p "$work"

if [ ! -x "$work/cli/spineseg" ]; then
  cat "$stage"/cli.tar.xz.part-* > "$work/cli.tar.xz"
  (cd "$work" && sha256sum -c <(sed "s|cli.tar.xz|$work/cli.tar.xz|" "$OLDPWD/$stage/cli.tar.xz.sha256"))
  if command -v xz >/dev/null; then xz -dc "$work/cli.tar.xz" | tar -C "$work" -xf -
  else python3 -c "import lzma,sys,tarfile; tarfile.open(fileobj=lzma.open(sys.argv[1])).extractall(sys.argv[2])" "$work/cli.tar.xz" "$work"; fi
fi
cli=$work/cli/spineseg

# CUDA 13 runtime, cuBLAS(Lt), cuDNN 9 and friends from the pip wheels PyTorch was installed with.
libs=$(python3 - <<'PY'
import glob, os, site
roots = site.getsitepackages() + [site.getusersitepackages()]
dirs = set()
for r in roots:
    for pattern in ("nvidia/*/lib", "nvidia/*/*/lib", "nvidia/cu13/lib", "torch/lib"):
        dirs.update(d for d in glob.glob(os.path.join(r, pattern)) if os.path.isdir(d))
print(":".join(sorted(dirs)))
PY
)
export LD_LIBRARY_PATH="${libs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "== LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true

echo "== model"
"$cli" model build --random-seed 7 --width 16 --out "$work/w16.onnx" | tee "$out/model.txt"
want=$(grep -o 'sha256 [0-9a-f]*' "$stage/reference.txt" | head -1)
got=$(grep -o 'sha256 [0-9a-f]*' "$out/model.txt" | head -1)
[ "$want" = "$got" ] || { echo "run-on-gpu.sh: weights differ from the staged reference ($got, expected $want)" >&2; exit 1; }

echo "== ONNX Runtime CUDA, auto form (native 3-D fp16)"
"$cli" model bench "$work/w16.onnx" --device cuda --runs "$runs" --compare "$stage/reference.labels" | tee "$out/ort-cuda-auto.txt"
echo "== ONNX Runtime CUDA, stored per-z-tap form (contrast)"
"$cli" model bench "$work/w16.onnx" --device cuda --form stored --runs 5 --compare "$stage/reference.labels" | tee "$out/ort-cuda-stored.txt" || true

echo "== PyTorch fp16 (anchor)"
python3 local/gpu/torch_vnet_cuda.py --width 16 --runs "$runs" | tee "$out/torch-fp16.txt"

for f in ort-cuda-auto ort-cuda-stored; do
  m=$(grep -o 'median [0-9.]* s' "$out/$f.txt" | awk '{print $2}') || true
  [ -n "${m:-}" ] && python3 -c "import sys; print('%s: %.1f volumes per second' % (sys.argv[1], 1/float(sys.argv[2])))" "$f" "$m"
done
