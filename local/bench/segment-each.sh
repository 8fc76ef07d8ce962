#!/usr/bin/env bash
# The baseline for the folder run's benchmark (BENCHMARKS.md, "Folder runs"): one 'spineseg segment' process per scan,
# as a shell loop over a folder would do it before 'segment IN_DIR OUT_DIR' existed. Each call starts the runtime and
# loads the model again.
#   local/bench/segment-each.sh SPINESEG IN_DIR OUT_DIR [segment flags...]
set -euo pipefail
spineseg=$1 in=$2 out=$3
shift 3
mkdir -p "$out"
for scan in "$in"/Case*.nii.gz; do
  name=$(basename "$scan")
  "$spineseg" segment "$scan" "$out/$name" "$@" >/dev/null
done
