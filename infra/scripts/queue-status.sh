#!/usr/bin/env bash
# One look at the pipeline: queue depth, dead letters, and the worker job's recent executions.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
require AZURE_RESOURCE_GROUP AZURE_SERVICEBUS_NAMESPACE AZURE_SERVICEBUS_QUEUE AZURE_WORKER_JOB_NAME

echo "== queue $AZURE_SERVICEBUS_QUEUE"
az servicebus queue show -g "$AZURE_RESOURCE_GROUP" --namespace-name "$AZURE_SERVICEBUS_NAMESPACE" \
  -n "$AZURE_SERVICEBUS_QUEUE" \
  --query "{active:countDetails.activeMessageCount, deadLetter:countDetails.deadLetterMessageCount, scheduled:countDetails.scheduledMessageCount}" \
  -o table
echo "== recent executions of $AZURE_WORKER_JOB_NAME"
az containerapp job execution list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_WORKER_JOB_NAME" \
  --query "sort_by([], &properties.startTime)[-10:].{name:name, status:properties.status, start:properties.startTime, end:properties.endTime}" \
  -o table
