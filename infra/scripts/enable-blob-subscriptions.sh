#!/usr/bin/env bash
# Creates the Event Grid subscriptions scans -> ScanUploaded and submissions -> SubmissionUploaded. Must run after
# the Function App's code is deployed: Event Grid validates the webhook, and the blob extension's system key only
# exists once the host has loaded the extension. The key never leaves ARM (listKeys inside the template).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
require AZURE_RESOURCE_GROUP AZURE_EVENTGRID_SYSTEM_TOPIC AZURE_FUNCTION_APP_NAME AZURE_STORAGE_ACCOUNT_NAME

storage_id="$(az storage account show -n "$AZURE_STORAGE_ACCOUNT_NAME" -g "$AZURE_RESOURCE_GROUP" --query id -o tsv)"

# The host publishes its system keys a little after a deployment; wait for blobs_extension.
for attempt in $(seq 1 30); do
  key_present="$(az functionapp keys list -n "$AZURE_FUNCTION_APP_NAME" -g "$AZURE_RESOURCE_GROUP" \
    --query "systemKeys.blobs_extension != null" -o tsv 2>/dev/null || echo false)"
  [[ "$key_present" == true ]] && break
  echo "waiting for the Function App's blobs_extension key ($attempt/30)..."
  sleep 10
done
[[ "${key_present:-false}" == true ]] \
  || { echo "error: $AZURE_FUNCTION_APP_NAME has no blobs_extension key; is the Functions code deployed (azd deploy functions)?" >&2; exit 1; }

echo "==> Event Grid subscriptions on $AZURE_EVENTGRID_SYSTEM_TOPIC"
az deployment group create --resource-group "$AZURE_RESOURCE_GROUP" --name blob-subscriptions \
  --template-file "$here/../app/blob-subscriptions.bicep" \
  --parameters systemTopicName="$AZURE_EVENTGRID_SYSTEM_TOPIC" functionAppName="$AZURE_FUNCTION_APP_NAME" \
               storageAccountId="$storage_id" \
  --output none

# From now on `azd provision` manages the subscriptions itself.
if command -v azd >/dev/null 2>&1; then azd env set ENABLE_BLOB_SUBSCRIPTIONS true >/dev/null || true; fi
echo "blob subscriptions ready"
