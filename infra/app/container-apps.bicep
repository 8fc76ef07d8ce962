// The segmentation worker: a Container Apps environment with a serverless GPU workload profile (or CPU only) and
// an event-driven Container Apps Job that KEDA starts from the length of the Service Bus queue.
param location string
param tags object
param environmentName string
param jobName string
param logAnalyticsId string

@allowed([
  'T4'
  'A100'
  'None'
])
@description('Serverless GPU for the worker: T4 (NC8as_T4), A100 (NC24_A100), or None for the CPU-only Consumption profile.')
param gpu string

@description('Worker image; empty for a public placeholder until the first image is built (infra/scripts/postdeploy.sh).')
param image string
param registryLoginServer string

@description('Resource ids of the worker identity (pulls images, reads/writes data) and the scaler identity (KEDA only).')
param workerIdentityId string
param workerIdentityClientId string
param scalerIdentityId string

param serviceBusNamespaceName string
param serviceBusFullyQualifiedNamespace string
param queueName string

@description('The worker\'s own delivery limit (the queue allows one more; see servicebus.bicep).')
param maxDeliveryCount int
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param applicationInsightsConnectionString string

@description('Most executions (replicas) running at once; each is one GPU when a GPU profile is used.')
@minValue(1)
@maxValue(100)
param maxExecutions int

@description('Replicas per execution.')
@minValue(1)
@maxValue(10)
param parallelism int

@description('Seconds one execution may run: download, CUDA start, model load, 512x512x12 inference and upload of one volume, with a wide margin (the CPU profile needs ~35 s of inference per scan).')
@minValue(60)
@maxValue(86400)
param replicaTimeoutSeconds int

@description('Queue messages per execution that KEDA aims for.')
@minValue(1)
param messagesPerExecution int = 1

@allowed([
  'baked'
  'blob'
])
@description('Where the worker gets the ONNX model: baked into the image, or downloaded from the `models` container by identity.')
param modelSource string

@description('Blob name of the ONNX model in the `models` container when modelSource is blob.')
param modelBlobName string

var profiles = {
  T4: {
    name: 'gpu-t4'
    type: 'Consumption-GPU-NC8as-T4'
    cpu: '8'
    memory: '56Gi'
  }
  A100: {
    name: 'gpu-a100'
    type: 'Consumption-GPU-NC24-A100'
    cpu: '24'
    memory: '220Gi'
  }
  None: {
    name: 'Consumption'
    type: 'Consumption'
    // The VNet at 512x512x12 peaks at 1.7 GB with ORT's arena off, 4.2 GB with it on (docs/design.md §7).
    cpu: '4'
    memory: '8Gi'
  }
}
var profile = profiles[gpu]
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart-jobs:latest'

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    // Logs go through Azure Monitor diagnostic settings, so no workspace key is stored in the environment.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: gpu == 'None'
      ? [
          {
            name: 'Consumption'
            workloadProfileType: 'Consumption'
          }
        ]
      : [
          {
            name: 'Consumption'
            workloadProfileType: 'Consumption'
          }
          {
            name: profile.name
            workloadProfileType: profile.type
          }
        ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: logAnalyticsId
    // Resource-specific tables (ContainerAppConsoleLogs, ContainerAppSystemLogs) rather than AzureDiagnostics.
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource job 'Microsoft.App/jobs@2025-01-01' = {
  name: jobName
  location: location
  tags: union(tags, { 'azd-service-name': 'worker' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${workerIdentityId}': {}
      '${scalerIdentityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: profile.name
    configuration: {
      triggerType: 'Event'
      replicaTimeout: replicaTimeoutSeconds
      // Retries belong to Service Bus (abandon -> redelivery -> dead-letter), not to the platform.
      replicaRetryLimit: 0
      eventTriggerConfig: {
        parallelism: parallelism
        replicaCompletionCount: 1
        scale: {
          minExecutions: 0
          maxExecutions: maxExecutions
          pollingInterval: 30
          rules: [
            {
              name: 'segmentation-jobs'
              type: 'azure-servicebus'
              metadata: {
                namespace: serviceBusNamespaceName
                queueName: queueName
                messageCount: string(messagesPerExecution)
              }
              identity: scalerIdentityId
            }
          ]
        }
      }
      registries: [
        {
          server: registryLoginServer
          identity: workerIdentityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: empty(image) ? placeholderImage : image
          resources: {
            cpu: json(profile.cpu)
            memory: profile.memory
          }
          env: [
            { name: 'AZURE_CLIENT_ID', value: workerIdentityClientId }
            { name: 'Storage__blobServiceUri', value: storageBlobEndpoint }
            { name: 'Storage__queueServiceUri', value: storageQueueEndpoint }
            { name: 'Storage__tableServiceUri', value: storageTableEndpoint }
            { name: 'Storage__credential', value: 'managedidentity' }
            { name: 'Storage__clientId', value: workerIdentityClientId }
            { name: 'ServiceBus__fullyQualifiedNamespace', value: serviceBusFullyQualifiedNamespace }
            { name: 'ServiceBus__credential', value: 'managedidentity' }
            { name: 'ServiceBus__clientId', value: workerIdentityClientId }
            { name: 'JobQueueName', value: queueName }
            { name: 'MaxDeliveryCount', value: string(maxDeliveryCount) }
            // The names the worker reads (MRISpineSeg.Pipeline.Hosting.ModelLocation, PortRegistration).
            { name: 'ModelSource', value: modelSource }
            { name: 'ModelBlobName', value: modelBlobName }
            { name: 'ModelDevice', value: gpu == 'None' ? 'Cpu' : 'Cuda' }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
            { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${workerIdentityClientId};Authorization=AAD' }
          ]
        }
      ]
    }
  }
}

output environmentName string = environment.name
output jobName string = job.name
output workloadProfileName string = profile.name
