#!/usr/bin/env bash
# Builds the worker image in Azure Container Registry (no local Docker needed) and points the Container Apps Job
# at it. azd has no native target for Container Apps Jobs in every version, so this runs as the postdeploy hook.
#   WORKER_GPU / AZURE_WORKER_GPU: T4 | A100 -> Dockerfile (CUDA), None -> Dockerfile.cpu
#   MODEL_SOURCE: baked (default; needs local/models/*.onnx) | blob (worker downloads from the `models` container)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/env.sh"
require AZURE_RESOURCE_GROUP AZURE_CONTAINER_REGISTRY_NAME AZURE_WORKER_JOB_NAME

gpu="${WORKER_GPU:-${AZURE_WORKER_GPU:-T4}}"
model_source="${MODEL_SOURCE:-baked}"
case "$gpu" in
  T4|A100) dockerfile="src/MRISpineSeg.Worker/Dockerfile" ;;
  None)    dockerfile="src/MRISpineSeg.Worker/Dockerfile.cpu" ;;
  *) echo "error: WORKER_GPU must be T4, A100 or None, got '$gpu'" >&2; exit 1 ;;
esac
case "$model_source" in
  baked)
    compgen -G "$root/local/models/*.onnx" >/dev/null \
      || { echo "error: MODEL_SOURCE=baked needs an ONNX model in local/models/ (or set MODEL_SOURCE=blob)" >&2; exit 1; } ;;
  blob) ;;
  *) echo "error: MODEL_SOURCE must be baked or blob, got '$model_source'" >&2; exit 1 ;;
esac

# A clean build context with only what the Dockerfiles copy: the build props and src/ as git knows them (committed
# or not, minus ignored files), plus the model folder, so bin/, obj/ and test data never travel to the registry.
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
(cd "$root" && git ls-files -z --cached --others --exclude-standard -- Directory.Build.props Directory.Packages.props src \
  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$context"
[[ -f "$context/src/MRISpineSeg.Worker/MRISpineSeg.Worker.csproj" ]] \
  || { echo "error: src/MRISpineSeg.Worker/MRISpineSeg.Worker.csproj is missing; nothing to build" >&2; exit 1; }
mkdir -p "$context/local/models"
if [[ "$model_source" == baked ]]; then cp "$root"/local/models/*.onnx "$context/local/models/"; fi

tag="$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo local)-$(date -u +%Y%m%d%H%M%S)"
repository="mrispineseg-worker"
image="${AZURE_CONTAINER_REGISTRY_ENDPOINT:-$AZURE_CONTAINER_REGISTRY_NAME.azurecr.io}/$repository:$tag"

echo "==> az acr build $repository:$tag ($dockerfile, MODEL_SOURCE=$model_source)"
az acr build --registry "$AZURE_CONTAINER_REGISTRY_NAME" --image "$repository:$tag" \
  --file "$context/$dockerfile" --build-arg "MODEL_SOURCE=$model_source" "$context"

echo "==> az containerapp job update $AZURE_WORKER_JOB_NAME --image $image"
az containerapp job update --name "$AZURE_WORKER_JOB_NAME" --resource-group "$AZURE_RESOURCE_GROUP" --image "$image" \
  --output none

# Remember the image so a later `azd provision` keeps it instead of the placeholder.
if command -v azd >/dev/null 2>&1; then azd env set WORKER_IMAGE "$image" >/dev/null || true; fi
echo "worker image: $image"
