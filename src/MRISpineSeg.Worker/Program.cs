using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MRISpineSeg.Pipeline;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Telemetry;
using MRISpineSeg.Worker;

// The container job: settings come from env vars (Storage__blobServiceUri, ServiceBus__fullyQualifiedNamespace,
// JobQueueName, ModelPath or ModelSource=baked|blob with ModelDirectory/ModelBlobName, ModelThreads (0: every core),
// ModelDevice (Cpu|Cuda), IdleExitSeconds, ..., APPLICATIONINSIGHTS_CONNECTION_STRING and _AUTHENTICATION_STRING).
// It drains the queue and exits when idle, as a KEDA event-driven job does.
try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Services.AddWorker(builder.Configuration); // the model, the job loop and the segment handler; no upload check, no scoring
    builder.Services.AddHostedService<QueueDrainService>();
    var telemetry = builder.Services.AddPipelineTelemetry("spineseg-worker"); // traces, metrics, logs; exported to Azure Monitor when configured
    if (AzureMonitorSettings.From(builder.Configuration) is { } monitor)
        telemetry.UseAzureMonitorExporter(o => (o.ConnectionString, o.Credential) = (monitor.ConnectionString, monitor.Credential));
    await builder.Build().RunAsync();
    return Environment.ExitCode;
}
catch (PipelineException ex) when (ex.Reason == PipelineErrorReason.Configuration)
{
    await Console.Error.WriteLineAsync($"MRISpineSeg.Worker: configuration error: {ex.Message}");
    return 2;
}
catch (PipelineException ex)
{
    // At start-up, e.g. the model download could not reach storage: say why and exit; the job execution is retried.
    await Console.Error.WriteLineAsync($"MRISpineSeg.Worker: {ex.Reason}: {ex.Message}");
    return 1;
}
