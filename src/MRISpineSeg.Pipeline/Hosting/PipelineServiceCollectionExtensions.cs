using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>
/// What each host registers, and nothing it does not run:
/// <list type="bullet">
/// <item><see cref="AddUploadHandling"/>: the upload check that queues jobs (the Functions app, the local host);</item>
/// <item><see cref="AddWorker"/>: the model, the job loop and the segment handler (the Container Apps Job, the local host);</item>
/// <item><see cref="AddScoring"/>: the submission scorer (the Functions app, the local host).</item>
/// </list>
/// Each adds the shared pieces (settings, clients, storage, job status, queue) once, whichever comes first, all bound
/// from the one configuration (<see cref="PipelineOptions"/>, <see cref="StorageOptions"/>, <see cref="ServiceBusOptions"/>).
/// </summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>The upload check: <see cref="ScanUploadedHandler"/> over storage and the job queue.</summary>
    public static IServiceCollection AddUploadHandling(this IServiceCollection services, IConfiguration configuration)
    {
        AddShared(services, configuration);
        services.TryAddSingleton<ScanUploadedHandler>();
        return services;
    }

    /// <summary>The worker: the model (<see cref="PortRegistration.AddScanSegmenter"/>), <see cref="SegmentScanHandler"/> and the job loop.</summary>
    public static IServiceCollection AddWorker(this IServiceCollection services, IConfiguration configuration)
    {
        AddShared(services, configuration);
        services.AddScanSegmenter(configuration);
        services.TryAddSingleton<SegmentScanHandler>();
        services.TryAddSingleton<JobDeliverySettler>();
        services.TryAddSingleton<JobReceiveLoop>();
        return services;
    }

    /// <summary>Scoring: <see cref="ScoreSubmissionHandler"/> with the scorer (<see cref="PortRegistration.AddSubmissionScorer"/>) and a process-private ground-truth cache.</summary>
    public static IServiceCollection AddScoring(this IServiceCollection services, IConfiguration configuration)
    {
        AddShared(services, configuration);
        services.AddSubmissionScorer(configuration);
        services.TryAddSingleton(sp => new GroundTruthCache(sp.GetRequiredService<PipelineStorage>())); // private to this process, removed on exit
        services.TryAddSingleton<ScoreSubmissionHandler>();
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

    private static void AddShared(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(PipelineOptions))) return;
        var options = PipelineOptions.From(configuration);
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var bus = configuration.GetSection(ServiceBusOptions.Section).Get<ServiceBusOptions>() ?? new ServiceBusOptions();
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => PipelineClients.Create(storage, bus));
        services.AddSingleton<PipelineStorage>();
        services.AddSingleton(sp => sp.GetRequiredService<PipelineStorage>().JobStatus());
        services.AddSingleton<IJobQueue>(sp => CreateQueue(sp.GetRequiredService<PipelineClients>(), options, bus));
    }
}
