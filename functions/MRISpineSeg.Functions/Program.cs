using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using MRISpineSeg.Pipeline.Hosting;

// Settings: Storage__blobServiceUri / __queueServiceUri / __tableServiceUri, Storage__credential, Storage__clientId,
// ServiceBus__fullyQualifiedNamespace, ServiceBus__credential, ServiceBus__clientId, JobQueueName.
var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddSpinesegPipeline(builder.Configuration);
builder.Services.AddSubmissionScorer(builder.Configuration);
builder.Build().Run();
