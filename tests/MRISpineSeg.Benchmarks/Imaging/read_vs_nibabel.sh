#!/usr/bin/env bash
# Whole-process read (and write) time of `spineseg bench read` against nibabel, same files, same run.
# Needs: the .NET SDK, Debian python3-nibabel (/usr/bin/python3) and hyperfine (apt-get install hyperfine).
# Usage: tests/MRISpineSeg.Benchmarks/Imaging/read_vs_nibabel.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/../../.."
out="${1:-/tmp/spineseg-io-bench}"
/usr/bin/python3 tests/MRISpineSeg.Benchmarks/Imaging/make_io_files.py "$out"
dotnet build src/MRISpineSeg.Cli -c Release -nologo -v q >/dev/null
spineseg="dotnet src/MRISpineSeg.Cli/bin/Release/net10.0/spineseg.dll"
py=/usr/bin/python3
run() { hyperfine --style basic -N -w 1 -r "${RUNS:-7}" --export-markdown "$out/$1.md" "${@:2}"; cat "$out/$1.md"; }

run read512 \
  -n "spineseg read 512x512x12 float32 -> float32" "$spineseg bench read $out/scan512_f32.nii.gz --as float32" \
  -n "nibabel get_fdata() 512x512x12 float32" "$py -c \"import nibabel as nib; nib.load('$out/scan512_f32.nii.gz').get_fdata()\"" \
  -n "nibabel get_fdata(float32) 512x512x12 float32" "$py -c \"import nibabel as nib, numpy as np; nib.load('$out/scan512_f32.nii.gz').get_fdata(dtype=np.float32)\""
run read1008 \
  -n "spineseg read 1008x1008x12 int16 -> float32" "$spineseg bench read $out/scan1008_i16.nii.gz --as float32" \
  -n "nibabel get_fdata() 1008x1008x12 int16" "$py -c \"import nibabel as nib; nib.load('$out/scan1008_i16.nii.gz').get_fdata()\""
run mask512 \
  -n "spineseg read 512x512x12 uint8 mask -> bytes" "$spineseg bench read $out/mask512_u8.nii.gz --as uint8" \
  -n "nibabel get_fdata() uint8 mask" "$py -c \"import nibabel as nib; nib.load('$out/mask512_u8.nii.gz').get_fdata()\"" \
  -n "nibabel np.asanyarray(dataobj) uint8 mask" "$py -c \"import nibabel as nib, numpy as np; np.asanyarray(nib.load('$out/mask512_u8.nii.gz').dataobj)\""
run write512 \
  -n "spineseg read+write 512x512x12 float32 .nii.gz" "$spineseg bench read $out/scan512_f32.nii.gz --as stored --write $out/w.nii.gz" \
  -n "nibabel load+save 512x512x12 float32 .nii.gz" "$py -c \"import nibabel as nib; i=nib.load('$out/scan512_f32.nii.gz'); nib.save(nib.Nifti1Image(i.get_fdata(dtype='float32'), i.affine, i.header), '$out/w2.nii.gz')\""
