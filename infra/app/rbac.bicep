// Every role assignment in the system, least privilege, named with guid(scope, principal, role).
//
// The grants are data (the variables below), so a reader - and the infra tests - can check who may read what:
//   * the Function App identity (`functions`) is the scoring identity, and the ONLY principal with blob read on the
//     whole account, hence the only one that can read `ground-truth`. It needs account scope anyway, because the
//     Functions host keeps its leases, receipts and deployment package in this account (AzureWebJobsStorage);
//   * the worker reads `scans` and `models`, writes `masks` and `previews`, keeps job status in tables, and has
//     no blob role at account scope;
//   * the deployer (optional) can upload scans and submissions and read results, never `ground-truth`.
param storageAccountName string
param serviceBusNamespaceName string
param queueName string
param registryName string
param applicationInsightsName string

@description('Principal (object) ids of the managed identities: functions, worker, scaler, eventGrid.')
param functionsPrincipalId string
param workerPrincipalId string
param scalerPrincipalId string
param eventGridPrincipalId string

@description('Object id of a person or pipeline that uploads scans and reads results; empty for none.')
param deployerPrincipalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string = 'User'

// Built-in role definition ids (the same in every tenant).
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  blobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

var principals = {
  functions: functionsPrincipalId
  worker: workerPrincipalId
  scaler: scalerPrincipalId
  eventGrid: eventGridPrincipalId
}

// Storage-account scope. Only `functions` gets a blob role here.
var accountGrants = [
  { principal: 'functions', role: 'blobDataOwner' }
  { principal: 'functions', role: 'queueDataContributor' }
  { principal: 'functions', role: 'tableDataContributor' }
  { principal: 'worker', role: 'tableDataContributor' }
]

// Container scope, for the service identities.
var containerGrants = [
  { container: 'scans', principal: 'worker', role: 'blobDataReader' }
  { container: 'models', principal: 'worker', role: 'blobDataReader' }
  { container: 'masks', principal: 'worker', role: 'blobDataContributor' }
  { container: 'previews', principal: 'worker', role: 'blobDataContributor' }
  { container: 'event-deadletter', principal: 'eventGrid', role: 'blobDataContributor' }
]

// Container scope, for the optional deployer. No `ground-truth` and no `scores-private` (per-case scores): organisers
// load and read those with a temporary, self-removed assignment (infra/scripts/load-ground-truth.sh).
var deployerContainerGrants = [
  { container: 'scans', role: 'blobDataContributor' }
  { container: 'submissions', role: 'blobDataContributor' }
  { container: 'models', role: 'blobDataContributor' }
  { container: 'masks', role: 'blobDataReader' }
  { container: 'previews', role: 'blobDataReader' }
  { container: 'scores', role: 'blobDataReader' }
  { container: 'leaderboard', role: 'blobDataReader' }
  { container: 'event-deadletter', role: 'blobDataReader' }
]

// Queue scope. KEDA reads the queue's message count, which Service Bus only allows with Manage rights, so the
// scaler identity (used by the scale rule alone) holds Data Owner on this one queue, not the worker.
var queueGrants = [
  { principal: 'functions', role: 'serviceBusDataSender' }
  { principal: 'worker', role: 'serviceBusDataReceiver' }
  { principal: 'scaler', role: 'serviceBusDataOwner' }
]

var telemetryGrants = [
  { principal: 'functions', role: 'monitoringMetricsPublisher' }
  { principal: 'worker', role: 'monitoringMetricsPublisher' }
]

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' existing = {
  parent: storage
  name: 'default'
}

resource grantedContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = [
  for grant in containerGrants: {
    parent: blobService
    name: grant.container
  }
]

resource deployerContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = [
  for grant in deployerContainerGrants: {
    parent: blobService
    name: grant.container
  }
]

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = {
  parent: serviceBus
  name: queueName
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource accountAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in accountGrants: {
    name: guid(storage.id, principals[grant.principal], roles[grant.role])
    scope: storage
    properties: {
      principalId: principals[grant.principal]
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles[grant.role])
    }
  }
]

resource containerAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (grant, i) in containerGrants: {
    name: guid(grantedContainers[i].id, principals[grant.principal], roles[grant.role])
    scope: grantedContainers[i]
    properties: {
      principalId: principals[grant.principal]
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles[grant.role])
    }
  }
]

resource deployerAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (grant, i) in deployerContainerGrants: if (!empty(deployerPrincipalId)) {
    name: guid(deployerContainers[i].id, deployerPrincipalId, roles[grant.role])
    scope: deployerContainers[i]
    properties: {
      principalId: deployerPrincipalId
      principalType: deployerPrincipalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles[grant.role])
    }
  }
]

resource queueAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in queueGrants: {
    name: guid(queue.id, principals[grant.principal], roles[grant.role])
    scope: queue
    properties: {
      principalId: principals[grant.principal]
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles[grant.role])
    }
  }
]

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, workerPrincipalId, roles.acrPull)
  scope: registry
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
  }
}

resource telemetryAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in telemetryGrants: {
    name: guid(applicationInsights.id, principals[grant.principal], roles[grant.role])
    scope: applicationInsights
    properties: {
      principalId: principals[grant.principal]
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles[grant.role])
    }
  }
]
