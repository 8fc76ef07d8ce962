#!/usr/bin/env bash
# The README's main command: the whole product on this machine, on Azurite, in a few minutes.
#   1. installs and starts Azurite (local/azurite.sh), creates containers, queues and tables
#   2. generates phantom scans with exact truth (spineseg phantom)
#   3. uploads the scans to 'scans'
#   4. runs the local host + worker with the demo model (spineseg local up --model local/models/spineseg-demo.onnx)
#   5. waits for the masks and downloads them, with previews and stats, to demo-output/masks/
#   6. segments one real scan the same way (upload, queue, worker, mask) with the model trained on real vertebral
#      bodies: the host restarts with local/models/spineseg-real-vb.onnx and the scan local/realdata/ holds
#   7. loads the phantom truth into 'ground-truth', submits the masks as a zip, prints the score and the leaderboard
# Everything it writes is under demo-output/. Options: DEMO_CASES (default 3), DEMO_TEAM, DEMO_RUN, DEMO_MODEL
# (default local/models/spineseg-demo.onnx; any model 'spineseg model build' wrote, e.g. a random-weight one),
# DEMO_REAL_MODEL (default local/models/spineseg-real-vb.onnx) and DEMO_REAL=0 to skip step 6.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/demo-output"
cases="${DEMO_CASES:-3}"
team="${DEMO_TEAM:-demo-team}"
run="${DEMO_RUN:-run-$(date +%Y%m%d-%H%M%S)}"
model="${DEMO_MODEL:-$root/local/models/spineseg-demo.onnx}"
real_model="${DEMO_REAL_MODEL:-$root/local/models/spineseg-real-vb.onnx}"
real_scan="$root/local/realdata/fastmonai_t2_lumbar.nii.gz"
real="${DEMO_REAL:-1}"
started=$SECONDS
host_pid=""
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

step() { printf '\n==> %s\n' "$*"; }
stop_host() {
  if [[ -n "$host_pid" ]] && kill -0 "$host_pid" 2>/dev/null; then
    kill "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
}
trap stop_host EXIT

command -v dotnet >/dev/null || { echo "demo: the .NET 10 SDK is needed (dotnet not on PATH)" >&2; exit 1; }
command -v node >/dev/null || { echo "demo: Node.js 18+ is needed for Azurite (node not on PATH)" >&2; exit 1; }
[[ -f "$model" ]] || { echo "demo: $model is missing; build it first (see README: the demo model), or set DEMO_MODEL to a model file" >&2; exit 1; }
model="$(cd "$(dirname "$model")" && pwd)/$(basename "$model")"
if [[ "$real" != 0 ]]; then
  [[ -f "$real_model" ]] || { echo "demo: $real_model is missing (the real-anatomy model, local/models/spineseg-real-vb.md); set DEMO_REAL=0 to skip the real scan" >&2; exit 1; }
  [[ -f "$real_scan" ]] || { echo "demo: $real_scan is missing (see local/realdata/README.md); set DEMO_REAL=0 to skip the real scan" >&2; exit 1; }
fi

step "building spineseg (Release)"
dotnet publish src/MRISpineSeg.Cli -c Release -o artifacts/spineseg -v q -nologo
spineseg="$root/artifacts/spineseg/spineseg"

step "starting Azurite and creating the pipeline's storage"
# Its own Azurite, never someone else's (a test run's, another user's): the demo writes ground truth and a leaderboard.
"$root/local/azurite.sh" --own
AZURE_STORAGE_CONNECTION_STRING="$(cat "$root/local/.azurite/connection")"
export AZURE_STORAGE_CONNECTION_STRING

rm -rf "$out"
mkdir -p "$out/phantoms" "$out/masks"
step "generating $cases phantom(s)"
"$spineseg" phantom --out "$out/phantoms" --count "$cases" --seed 1

names=()
for i in $(seq 1 "$cases"); do names+=("Case$i.nii.gz"); done

step "starting the local host (watches scans + submissions, runs the worker) — log: demo-output/local-host.log"
"$spineseg" local up --model "$model" >"$out/local-host.log" 2>&1 &
host_pid=$!

step "uploading ${#names[@]} scan(s) to 'scans'"
for n in "${names[@]}"; do "$spineseg" local upload scans "$out/phantoms/$n"; done

step "waiting for the masks (the VNet runs on CPU: tens of seconds per scan)"
"$spineseg" local wait masks "${names[@]}" --timeout 900

step "downloading masks, previews and stats to demo-output/masks/"
# Only this run's cases: an Azurite reused from earlier runs (or test runs) holds other masks too.
for n in "${names[@]}"; do "$spineseg" local download masks "$out/masks" --prefix "${n%.nii.gz}."; done

real_name="$(basename "$real_scan")"
if [[ "$real" != 0 ]]; then
  step "segmenting a real scan ($real_name, fastMONAI, Apache-2.0) with the real vertebral-body model"
  # One worker runs one model, so the host restarts with the other one; receipts keep it from redoing the phantoms.
  stop_host
  "$spineseg" local up --model "$real_model" >>"$out/local-host.log" 2>&1 &
  host_pid=$!
  "$spineseg" local upload scans "$real_scan"
  "$spineseg" local wait masks "$real_name" --timeout 600
  "$spineseg" local download masks "$out/masks" --prefix "${real_name%.nii.gz}."
fi

step "loading the phantom truth into 'ground-truth' (private: never downloaded or served)"
for i in $(seq 1 "$cases"); do "$spineseg" local upload ground-truth "$out/phantoms/mask_case$i.nii.gz"; done

step "submitting the masks as $team/$run.zip and waiting for the score"
masks=()
for n in "${names[@]}"; do masks+=("$out/masks/$n"); done
"$spineseg" local submit --team "$team" --id "$run" "${masks[@]}" --wait 600

"$spineseg" local download scores "$out/scores" --prefix "$team/$run"
# The team's report holds aggregates only; the demo user is also the organiser, who gets every case.
"$spineseg" local download scores-private "$out/scores-private" --prefix "$team/$run"
"$spineseg" local download leaderboard "$out/leaderboard"
cp "$out/scores-private/$team/$run.json" "$out/metrics.json"
stop_host

step "done in $((SECONDS - started)) s — open these:"
if [[ "$real" != 0 ]]; then
  echo "  demo-output/masks/${real_name%.nii.gz}.preview.png   (a real scan: vertebral bodies L5-T11 by $(basename "$real_model"); volumes: demo-output/masks/${real_name%.nii.gz}.stats.json)"
fi
for n in "${names[@]}"; do echo "  demo-output/masks/${n%.nii.gz}.preview.png   (mask: demo-output/masks/$n, volumes: demo-output/masks/${n%.nii.gz}.stats.json)"; done
echo "  demo-output/metrics.json                  (per-case and aggregate Dice: the organisers' full report)"
echo "  demo-output/scores/$team/$run.html"
echo "  demo-output/leaderboard/leaderboard.html"
echo "Azurite keeps running (blob, queue, table ports: $(cat "$root/local/.azurite/ports"); in memory); stop it with ./local/azurite.sh --stop"
