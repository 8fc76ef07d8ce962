// Event Grid subscriptions from the storage account's system topic to the Function App's blob-trigger webhooks:
// BlobCreated in `scans` -> ScanUploaded, in `submissions` -> SubmissionUploaded.
//
// Deploy this after the Function App's code: Event Grid validates the webhook when the subscription is created,
// and the `blobs_extension` system key only exists once the host has loaded the blob extension. The key is read
// here with listKeys and goes only into the subscription's (write-only) endpoint URL - never into app settings,
// parameters or outputs. Run by infra/scripts/postdeploy.sh, or by main.bicep with enableBlobSubscriptions=true.
param systemTopicName string
param functionAppName string
param storageAccountId string

@description('Container that receives events Event Grid could not deliver after all retries.')
param deadLetterContainerName string = 'event-deadletter'

var triggers = [
  { container: 'scans', functionName: 'ScanUploaded' }
  { container: 'submissions', functionName: 'SubmissionUploaded' }
]

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

// Microsoft.Web/sites/host has no Bicep type definitions, so the keys are listed by resource id.
var blobsExtensionKey = listKeys('${functionApp.id}/host/default', '2024-11-01').systemKeys.blobs_extension

resource subscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = [
  for trigger in triggers: {
    parent: topic
    name: '${trigger.container}-to-${toLower(trigger.functionName)}'
    properties: {
      destination: {
        endpointType: 'WebHook'
        properties: {
          endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${trigger.functionName}&code=${blobsExtensionKey}'
          maxEventsPerBatch: 1
          preferredBatchSizeInKilobytes: 64
        }
      }
      eventDeliverySchema: 'EventGridSchema'
      filter: {
        includedEventTypes: [
          'Microsoft.Storage.BlobCreated'
        ]
        subjectBeginsWith: '/blobServices/default/containers/${trigger.container}/blobs/'
      }
      retryPolicy: {
        maxDeliveryAttempts: 30
        eventTimeToLiveInMinutes: 1440
      }
      deadLetterWithResourceIdentity: {
        identity: {
          type: 'SystemAssigned'
        }
        deadLetterDestination: {
          endpointType: 'StorageBlob'
          properties: {
            resourceId: storageAccountId
            blobContainerName: deadLetterContainerName
          }
        }
      }
    }
  }
]

output subscriptionNames string[] = [for (trigger, i) in triggers: subscriptions[i].name]
