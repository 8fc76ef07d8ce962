// MRISpineSeg on Azure: scans uploaded to blob storage are segmented by a GPU Container Apps Job fed through
// Service Bus, and challenge submissions are scored by a Function against a private ground truth.
// Deploy with `azd up`, or `az deployment sub create -l <region> -f infra/main.bicep -p environmentName=<name>`
// followed by infra/scripts/postdeploy.sh (see docs/deploy.md). One module per concern under app/.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment; it seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource. Serverless GPUs exist only in some regions (e.g. swedencentral, westus3, australiaeast).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group name; empty for rg-<environmentName>.')
param resourceGroupName string = ''

@allowed([
  'T4'
  'A100'
  'None'
])
@description('Serverless GPU for the segmentation job: T4, A100, or None (CPU-only Consumption profile, for low volume).')
param workerGpu string = 'T4'

@description('Worker image (<registry>/<repository>:<tag>); empty for a placeholder until postdeploy builds the real one.')
param workerImage string = ''

@minValue(1)
@maxValue(100)
@description('Most segmentation executions at once.')
param workerMaxExecutions int = 4

@minValue(1)
@maxValue(10)
@description('Replicas per execution.')
param workerParallelism int = 1

@minValue(60)
@maxValue(86400)
@description('Seconds one worker execution may run before it is stopped (one volume per execution, wide margin).')
param workerReplicaTimeoutSeconds int = 1800

@allowed([
  'baked'
  'blob'
])
@description('baked: the ONNX model is in the image. blob: the worker downloads it from the `models` container by identity.')
param modelSource string = 'baked'

@description('ONNX model blob name in the `models` container (used when modelSource is blob).')
param modelBlobName string = 'vnet-mrispineseg.onnx'

@minValue(0)
@description('Delete scans, masks and previews this many days after upload; 0 keeps them.')
param deleteScansAfterDays int = 90

@description('Create the Event Grid subscriptions to the blob triggers. Needs the Function App code deployed first; azd does it in postdeploy.')
param enableBlobSubscriptions bool = false

@description('Object id of the person or pipeline that deploys; gets upload/read on the user-facing containers (never ground-truth). Empty for none.')
param principalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'mrispineseg'
}
var queueName = 'segmentation-jobs'
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'
var userContainers = [
  'scans'
  'masks'
  'previews'
  'submissions'
  'scores'
  'leaderboard'
  'ground-truth'
  'scores-private' // organisers only: full per-case score reports; granted to no one but the scoring identity's account scope
  'models'
]
var systemContainers = [
  deploymentContainerName
  'event-deadletter'
]

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identities 'app/identities.bicep' = {
  name: 'identities'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    abbrs: abbrs
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    containerNames: concat(userContainers, systemContainers)
    deleteScansAfterDays: deleteScansAfterDays
  }
}

module serviceBus 'app/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    location: location
    tags: tags
    name: '${abbrs.serviceBusNamespaces}${resourceToken}'
    queueName: queueName
  }
}

module registry 'app/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    location: location
    tags: tags
    name: '${abbrs.containerRegistryRegistries}${resourceToken}'
  }
}

module eventGrid 'app/eventgrid.bicep' = {
  name: 'eventgrid'
  scope: rg
  params: {
    location: location
    tags: tags
    name: '${abbrs.eventGridSystemTopics}${resourceToken}'
    storageAccountId: storage.outputs.id
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    queueName: serviceBus.outputs.queueName
    registryName: registry.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    functionsPrincipalId: identities.outputs.functionsPrincipalId
    workerPrincipalId: identities.outputs.workerPrincipalId
    scalerPrincipalId: identities.outputs.scalerPrincipalId
    eventGridPrincipalId: eventGrid.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module functions 'app/functions.bicep' = {
  name: 'functions'
  scope: rg
  params: {
    location: location
    tags: tags
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    identityId: identities.outputs.functionsId
    identityClientId: identities.outputs.functionsClientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    queueName: serviceBus.outputs.queueName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
  }
  // The host reads its storage and the deployment package with these roles as soon as it starts.
  dependsOn: [
    rbac
  ]
}

module containerApps 'app/container-apps.bicep' = {
  name: 'container-apps'
  scope: rg
  params: {
    location: location
    tags: tags
    environmentName: '${abbrs.appManagedEnvironments}${resourceToken}'
    jobName: '${abbrs.appJobs}worker-${resourceToken}'
    logAnalyticsId: monitoring.outputs.logAnalyticsId
    gpu: workerGpu
    image: workerImage
    registryLoginServer: registry.outputs.loginServer
    workerIdentityId: identities.outputs.workerId
    workerIdentityClientId: identities.outputs.workerClientId
    scalerIdentityId: identities.outputs.scalerId
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    queueName: serviceBus.outputs.queueName
    maxDeliveryCount: serviceBus.outputs.workerMaxDeliveryCount
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    maxExecutions: workerMaxExecutions
    parallelism: workerParallelism
    replicaTimeoutSeconds: workerReplicaTimeoutSeconds
    modelSource: modelSource
    modelBlobName: modelBlobName
  }
  // AcrPull and the scaler's queue role must exist before KEDA polls and the first execution pulls.
  dependsOn: [
    rbac
  ]
}

module blobSubscriptions 'app/blob-subscriptions.bicep' = if (enableBlobSubscriptions) {
  name: 'blob-subscriptions'
  scope: rg
  params: {
    systemTopicName: eventGrid.outputs.name
    functionAppName: functions.outputs.name
    storageAccountId: storage.outputs.id
  }
}

// Read by azd (as environment values), infra/scripts/*.sh and docs/deploy.md.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.namespaceName
output AZURE_SERVICEBUS_FQDN string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_SERVICEBUS_QUEUE string = serviceBus.outputs.queueName
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_APPS_ENVIRONMENT string = containerApps.outputs.environmentName
output AZURE_WORKER_JOB_NAME string = containerApps.outputs.jobName
output AZURE_WORKER_GPU string = workerGpu
output AZURE_FUNCTION_APP_NAME string = functions.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functions.outputs.defaultHostName}'
output JOB_STATUS_URL_TEMPLATE string = 'https://${functions.outputs.defaultHostName}/api/jobs/{id}'
output AZURE_EVENTGRID_SYSTEM_TOPIC string = eventGrid.outputs.name
output AZURE_LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.logAnalyticsCustomerId
output AZURE_APPLICATION_INSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output CONTAINER_SCANS string = 'scans'
output CONTAINER_MASKS string = 'masks'
output CONTAINER_PREVIEWS string = 'previews'
output CONTAINER_SUBMISSIONS string = 'submissions'
output CONTAINER_SCORES string = 'scores'
output CONTAINER_LEADERBOARD string = 'leaderboard'
output CONTAINER_GROUND_TRUTH string = 'ground-truth'
output CONTAINER_MODELS string = 'models'
