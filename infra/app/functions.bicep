// The Function App on Flex Consumption: ScanUploaded and SubmissionUploaded (blob triggers fed by Event Grid)
// and GetJobStatus (HTTP). Every connection is by its user-assigned identity: the settings below carry service
// URIs and a client id, never a key or a connection string with a secret in it.
param location string
param tags object
param name string
param planName string

@description('Resource id and client id of the Function App\'s user-assigned identity.')
param identityId string
param identityClientId string

param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string

@description('Container that holds the deployment package (Flex Consumption deploys from blob storage).')
param deploymentContainerName string

param serviceBusFullyQualifiedNamespace string
param queueName string
param applicationInsightsConnectionString string

@description('Functions runtime stack version for dotnet-isolated.')
param runtimeVersion string = '10.0'

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
@description('Memory per instance; submissions load two uint8 volumes per case, so 2 GB is the floor we use.')
param instanceMemoryMB int = 2048

// Identity-based connections: <Connection>__<service>Uri plus __credential and __clientId (Azure Functions and
// Microsoft.Extensions.Azure read these). AzureWebJobsStorage is the host's own storage (leases, receipts,
// blob-trigger poison queue); Storage is the application's data.
var appSettings = {
  AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  Storage__blobServiceUri: storageBlobEndpoint
  Storage__queueServiceUri: storageQueueEndpoint
  Storage__tableServiceUri: storageTableEndpoint
  Storage__credential: 'managedidentity'
  Storage__clientId: identityClientId
  ServiceBus__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBus__credential: 'managedidentity'
  ServiceBus__clientId: identityClientId
  JobQueueName: queueName
  AZURE_CLIENT_ID: identityClientId
  // With local auth disabled on Application Insights the connection string is only an address; ingestion
  // needs the Entra token named by the authentication string.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        for setting in items(appSettings): {
          name: setting.key
          value: setting.value
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: runtimeVersion
      }
    }
  }
}

// No publishing passwords: azd and `func azure functionapp publish` deploy with Entra tokens.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
