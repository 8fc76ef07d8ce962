// The storage account's Event Grid system topic. Blob triggers on Flex Consumption are fed by Event Grid, not by
// polling; the subscriptions that point at the Function App live in blob-subscriptions.bicep because they can
// only be created once the app's code (and so its blob extension key) is deployed.
param location string
param tags object
param name string
param storageAccountId string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    // Used to write undeliverable events to the `event-deadletter` container.
    type: 'SystemAssigned'
  }
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = topic.name
output principalId string = topic.identity.principalId
