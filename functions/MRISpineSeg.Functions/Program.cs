using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using MRISpineSeg.Pipeline.Hosting;

// Settings: Storage__blobServiceUri / __queueServiceUri / __tableServiceUri, Storage__credential, Storage__clientId,
// ServiceBus__fullyQualifiedNamespace, ServiceBus__credential, ServiceBus__clientId, JobQueueName.
var builder = FunctionsApplication.CreateBuilder(args);
// The Functions app checks uploads and scores submissions; it never loads the model (that is the worker's job).
builder.Services.AddUploadHandling(builder.Configuration);
builder.Services.AddScoring(builder.Configuration);
builder.Build().Run();
