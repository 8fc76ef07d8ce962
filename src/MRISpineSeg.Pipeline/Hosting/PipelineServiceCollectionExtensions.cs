using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Jobs;

namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>
/// What each host registers, and nothing it does not run:
/// <list type="bullet">
/// <item><c>AddUploadHandling</c>: the upload check that queues jobs (the Functions app, the local host);</item>
/// <item><c>AddWorker</c>: the model, the job loop and the segment handler (the Container Apps Job, the local host);</item>
/// <item><c>AddScoring</c>: the submission scorer (the Functions app, the local host).</item>
/// </list>
/// Each adds the shared pieces (settings, clients, storage, job status, queue) once, whichever comes first, all bound
/// from the one configuration (<see cref="PipelineSettings"/>, <see cref="StorageOptions"/>, <see cref="ServiceBusOptions"/>).
/// </summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>The upload check: <see cref="ScanUploadedHandler"/> over storage and the job queue.</summary>
    public static IServiceCollection AddUploadHandling(this IServiceCollection services, IConfiguration configuration)
        => services.AddUploadHandling(Bind(configuration));

    /// <inheritdoc cref="AddUploadHandling(IServiceCollection, IConfiguration)"/>
    public static IServiceCollection AddUploadHandling(this IServiceCollection services, HostSettings settings)
    {
        AddShared(services, settings);
        services.TryAddSingleton<ScanUploadedHandler>();
        return services;
    }

    /// <summary>The worker: the model (<see cref="PortRegistration.AddScanSegmenter(IServiceCollection, PipelineSettings)"/>), <see cref="SegmentScanHandler"/> and the job loop.</summary>
    public static IServiceCollection AddWorker(this IServiceCollection services, IConfiguration configuration)
        => services.AddWorker(Bind(configuration));

    /// <inheritdoc cref="AddWorker(IServiceCollection, IConfiguration)"/>
    public static IServiceCollection AddWorker(this IServiceCollection services, HostSettings settings)
    {
        AddShared(services, settings);
        services.AddScanSegmenter(settings.Pipeline);
        services.TryAddSingleton<SegmentScanHandler>();
        services.TryAddSingleton<JobDeliverySettler>();
        services.TryAddSingleton<JobReceiveLoop>();
        return services;
    }

    /// <summary>Scoring: <see cref="ScoreSubmissionHandler"/> with the scorer and a process-private ground-truth cache.</summary>
    public static IServiceCollection AddScoring(this IServiceCollection services, IConfiguration configuration)
        => services.AddScoring(Bind(configuration));

    /// <inheritdoc cref="AddScoring(IServiceCollection, IConfiguration)"/>
    public static IServiceCollection AddScoring(this IServiceCollection services, HostSettings settings)
    {
        AddShared(services, settings);
        services.AddSubmissionScorer(settings.Pipeline);
        services.TryAddSingleton(sp => new GroundTruthCache(sp.GetRequiredService<PipelineStorage>())); // private to this process, removed on exit
        services.TryAddSingleton<ScoreSubmissionHandler>();
        return services;
    }

    /// <summary>The configured transport: explicit <c>JobTransport</c>, else Service Bus when configured, else storage queues.</summary>
    public static IJobQueue CreateQueue(PipelineClients clients, PipelineSettings options, ServiceBusOptions bus)
    {
        var transport = options.JobTransport ?? (bus.IsConfigured ? JobTransport.ServiceBus : JobTransport.StorageQueue);
        if (transport == JobTransport.StorageQueue)
            return new StorageQueueJobQueue(clients.Queues, options.JobQueueName, options.Lease);
        var client = clients.ServiceBus
            ?? throw new PipelineException(PipelineErrorReason.Configuration, "JobTransport is ServiceBus but neither ServiceBus__fullyQualifiedNamespace nor ServiceBus__connectionString is set");
        return new ServiceBusJobQueue(client, options.JobQueueName);
    }

    /// <summary>The three settings sections of a deployed host's configuration, bound and checked.</summary>
    public static HostSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new HostSettings(
            PipelineSettings.From(configuration),
            configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions(),
            configuration.GetSection(ServiceBusOptions.Section).Get<ServiceBusOptions>() ?? new ServiceBusOptions());
    }

    private static void AddShared(IServiceCollection services, HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        if (services.Any(d => d.ServiceType == typeof(PipelineSettings))) return;
        settings.Pipeline.Validate();
        services.AddSingleton(settings.Pipeline);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => PipelineClients.Create(settings.Storage, settings.ServiceBus));
        services.AddSingleton<PipelineStorage>();
        services.AddSingleton(sp => sp.GetRequiredService<PipelineStorage>().JobStatus());
        services.AddSingleton<IJobQueue>(sp => CreateQueue(sp.GetRequiredService<PipelineClients>(), settings.Pipeline, settings.ServiceBus));
    }
}
