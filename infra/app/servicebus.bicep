// The job queue between the ingest Function (sender) and the segmentation job (receiver). Identity only:
// SAS keys are disabled on the namespace.
param location string
param tags object
param name string
param queueName string

@description('Peek-lock duration (ISO 8601). The worker renews the lock while it segments, so this only bounds how long a crashed worker holds a message.')
param lockDuration string = 'PT5M'

@description('Deliveries the worker makes before it fails a job itself (its MaxDeliveryCount setting): it then writes masks/<scan>.error.json, marks the job failed and dead-letters it. The queue allows one delivery more, so the worker always sees that over-limit delivery; with equal limits a job whose worker died every time would be dead-lettered by the broker with no error report and a status stuck at running.')
@minValue(1)
@maxValue(1999)
param workerMaxDeliveryCount int = 5

@description('How long an unprocessed job waits before it expires into the dead-letter queue (ISO 8601).')
param defaultMessageTimeToLive string = 'P7D'

@description('Window in which a second message with the same MessageId (hash of blob name + ETag) is dropped (ISO 8601).')
param duplicateDetectionWindow string = 'PT1H'

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    // Standard is the cheapest tier with duplicate detection; it bills a base hourly charge even when idle.
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    lockDuration: lockDuration
    maxDeliveryCount: workerMaxDeliveryCount + 1
    defaultMessageTimeToLive: defaultMessageTimeToLive
    deadLetteringOnMessageExpiration: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    requiresSession: false
    enablePartitioning: false
  }
}

output namespaceName string = namespace.name
output namespaceId string = namespace.id
// serviceBusEndpoint is https://<name>.servicebus.windows.net:443/ (cloud-specific suffix); clients want the host name.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0]
output queueName string = queue.name
output queueId string = queue.id
output workerMaxDeliveryCount int = workerMaxDeliveryCount
