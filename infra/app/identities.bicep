// User-assigned identities, one per trust boundary:
//   functions - the Function App (ingest, status API and scoring): the only identity that can read `ground-truth`;
//   worker    - the segmentation job's containers: reads scans, writes masks, receives jobs;
//   scaler    - used by the job's KEDA rule only, to read the queue length (Service Bus authorises that as Manage).
param location string
param tags object
param resourceToken string
param abbrs object

resource functions 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${abbrs.managedIdentityUserAssignedIdentities}func-${resourceToken}'
  location: location
  tags: tags
}

resource worker 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${abbrs.managedIdentityUserAssignedIdentities}worker-${resourceToken}'
  location: location
  tags: tags
}

resource scaler 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${abbrs.managedIdentityUserAssignedIdentities}scaler-${resourceToken}'
  location: location
  tags: tags
}

output functionsId string = functions.id
output functionsClientId string = functions.properties.clientId
output functionsPrincipalId string = functions.properties.principalId
output workerId string = worker.id
output workerClientId string = worker.properties.clientId
output workerPrincipalId string = worker.properties.principalId
output scalerId string = scaler.id
output scalerPrincipalId string = scaler.properties.principalId
