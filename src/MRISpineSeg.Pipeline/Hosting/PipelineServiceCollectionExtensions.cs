using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Local;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>
/// Registers the pipeline for any host (Functions, worker, local CLI host) from configuration. The hosts add the
/// ports they use: <see cref="IScanSegmenter"/> (worker, local host) and <see cref="ISubmissionScorer"/> (scoring).
/// </summary>
public static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddSpinesegPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.Get<PipelineOptions>() ?? new PipelineOptions();
        options.Validate();
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var bus = configuration.GetSection(ServiceBusOptions.Section).Get<ServiceBusOptions>() ?? new ServiceBusOptions();
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => PipelineClients.Create(storage, bus));
        services.AddSingleton<PipelineStorage>();
        services.AddSingleton(sp => sp.GetRequiredService<PipelineStorage>().JobStatus());
        services.AddSingleton<IJobQueue>(sp => CreateQueue(sp.GetRequiredService<PipelineClients>(), options, bus));
        services.AddSingleton<ScanUploadedHandler>();
        services.AddSingleton<SegmentScanHandler>();
        services.AddSingleton<JobProcessor>();
        services.AddSingleton<JobWorker>();
        services.AddSingleton(sp => new GroundTruthCache(sp.GetRequiredService<PipelineStorage>())); // private to this process, removed on exit
        services.AddSingleton<ScoreSubmissionHandler>();
        services.AddSingleton(sp => new LocalPipelineHost(
            sp.GetRequiredService<PipelineStorage>(),
            options,
            sp.GetRequiredService<ScanUploadedHandler>(),
            sp.GetService<ISubmissionScorer>() is null ? null : sp.GetRequiredService<ScoreSubmissionHandler>(),
            sp.GetRequiredService<JobWorker>(),
            sp.GetRequiredService<ILogger<LocalPipelineHost>>()));
        return services;
    }

    /// <summary>The configured transport: explicit <c>JobTransport</c>, else Service Bus when configured, else storage queues.</summary>
    public static IJobQueue CreateQueue(PipelineClients clients, PipelineOptions options, ServiceBusOptions bus)
    {
        var transport = options.JobTransport ?? (bus.IsConfigured ? JobTransport.ServiceBus : JobTransport.StorageQueue);
        if (transport == JobTransport.StorageQueue)
            return new StorageQueueJobQueue(clients.Queues, options.JobQueueName, options.Lease);
        var client = clients.ServiceBus
            ?? throw new PipelineException(PipelineErrorReason.Configuration, "JobTransport is ServiceBus but neither ServiceBus__fullyQualifiedNamespace nor ServiceBus__connectionString is set");
        return new ServiceBusJobQueue(client, options.JobQueueName);
    }
}
