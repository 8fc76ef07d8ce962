using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Telemetry;

// Settings: Storage__blobServiceUri / __queueServiceUri / __tableServiceUri, Storage__credential, Storage__clientId,
// ServiceBus__fullyQualifiedNamespace, ServiceBus__credential, ServiceBus__clientId, JobQueueName,
// APPLICATIONINSIGHTS_CONNECTION_STRING and APPLICATIONINSIGHTS_AUTHENTICATION_STRING (telemetry; host.json telemetryMode).
var builder = FunctionsApplication.CreateBuilder(args);
// The Functions app checks uploads and scores submissions; it never loads the model (that is the worker's job).
builder.Services.AddUploadHandling(builder.Configuration);
builder.Services.AddScoring(builder.Configuration);
var telemetry = builder.Services.AddPipelineTelemetry("spineseg-functions").UseFunctionsWorkerDefaults();
if (AzureMonitorSettings.From(builder.Configuration) is { } monitor)
    telemetry.UseAzureMonitorExporter(o => (o.ConnectionString, o.Credential) = (monitor.ConnectionString, monitor.Credential));
builder.Build().Run();
