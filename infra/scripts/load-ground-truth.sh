#!/usr/bin/env bash
# Uploads the challenge's hidden ground truth (mask_case{N}.nii.gz, .nii, .mha or .mhd+.raw) into `ground-truth`.
# Nobody but the scoring identity holds a role on that container, so this grants the signed-in user Storage Blob
# Data Contributor on it for the upload only, and removes the grant again on exit, even on failure.
#   usage: infra/scripts/load-ground-truth.sh <folder>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
require AZURE_RESOURCE_GROUP AZURE_STORAGE_ACCOUNT_NAME

folder="${1:-}"
[[ -n "$folder" && -d "$folder" ]] || { echo "usage: $0 <folder with mask_case{N}.nii.gz files>" >&2; exit 2; }
shopt -s nullglob
files=("$folder"/mask_case*.nii.gz "$folder"/mask_case*.nii "$folder"/mask_case*.mha "$folder"/mask_case*.mhd "$folder"/mask_case*.raw)
(( ${#files[@]} > 0 )) || { echo "error: no mask_case{N} files (.nii.gz, .nii, .mha, .mhd) in $folder" >&2; exit 2; }

user_id="$(az ad signed-in-user show --query id -o tsv)"
account_id="$(az storage account show -n "$AZURE_STORAGE_ACCOUNT_NAME" -g "$AZURE_RESOURCE_GROUP" --query id -o tsv)"
scope="$account_id/blobServices/default/containers/ground-truth"
role="Storage Blob Data Contributor"

assignment="$(az role assignment create --assignee-object-id "$user_id" --assignee-principal-type User \
  --role "$role" --scope "$scope" --query id -o tsv)"
trap 'az role assignment delete --ids "$assignment" --output none && echo "temporary ground-truth role removed"' EXIT

# Role assignments take a minute or two to reach the storage data plane.
for attempt in $(seq 1 20); do
  if az storage blob upload-batch --auth-mode login --account-name "$AZURE_STORAGE_ACCOUNT_NAME" \
       --destination ground-truth --source "$folder" --pattern 'mask_case*' --overwrite --output none 2>/dev/null; then
    echo "uploaded ${#files[@]} ground-truth files"
    exit 0
  fi
  echo "waiting for the temporary role to take effect ($attempt/20)..."
  sleep 15
done
echo "error: upload to ground-truth kept failing; check that you can create role assignments on $AZURE_STORAGE_ACCOUNT_NAME" >&2
exit 1
