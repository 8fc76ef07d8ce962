using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.EndToEnd.Tests.Support.Transports;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.EndToEnd.Tests.Support;

/// <summary>
/// One test's pipeline on the shared Azurite: its own job queue and a unique blob prefix, the real handlers,
/// and <see cref="ThresholdSegmenterDouble"/> behind the segmenter port unless a real segmenter is given. The queue is
/// a storage queue on Azurite unless another <see cref="TransportUnderTest"/> is given (Service Bus through the
/// loopback AMQP endpoint), so one suite covers both. Storage may be given its own connection string (e.g. with the
/// blob endpoint behind a <see cref="SwitchableProxy"/>).
/// </summary>
public sealed class TestPipeline : IAsyncDisposable
{
    private readonly ThresholdSegmenterDouble? _double;
    private readonly TransportUnderTest _transport;

    private TestPipeline(PipelineClients clients, PipelineSettings options, TransportUnderTest transport, IJobQueue queue, IScanSegmenter? segmenter)
    {
        Options = options;
        _transport = transport;
        Clients = clients;
        Storage = new PipelineStorage(Clients);
        Queue = queue;
        Status = Storage.JobStatus();
        _double = segmenter is null ? new ThresholdSegmenterDouble() : null;
        SegmenterPort = segmenter ?? _double!;
        Uploads = new ScanUploadedHandler(Storage, Queue, options, NullLogger<ScanUploadedHandler>.Instance);
        Segment = new SegmentScanHandler(Storage, segmenter ?? _double!, options, NullLogger<SegmentScanHandler>.Instance);
        Processor = new JobDeliverySettler(Segment, Storage, options, NullLogger<JobDeliverySettler>.Instance);
    }

    /// <summary>Unique folder for this test's blobs, e.g. <c>t3f9c.../</c>.</summary>
    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..12] + "/";

    public PipelineSettings Options { get; }

    public PipelineClients Clients { get; }

    public PipelineStorage Storage { get; }

    public IJobQueue Queue { get; }

    public JobStatusStore Status { get; }

    /// <summary>The double behind the port (pipelines started without a real segmenter).</summary>
    public ThresholdSegmenterDouble Segmenter => _double ?? throw new InvalidOperationException("this pipeline runs a real segmenter, not the double");

    /// <summary>What stands behind the segmenter port: the real segmenter given, or the double.</summary>
    public IScanSegmenter SegmenterPort { get; }

    public ScanUploadedHandler Uploads { get; }

    public SegmentScanHandler Segment { get; }

    public JobDeliverySettler Processor { get; }

    public static async Task<TestPipeline> StartAsync(Azurite azurite, int leaseSeconds = 30, int maxDeliveryCount = 5, TransportUnderTest? transport = null, IScanSegmenter? segmenter = null, string? storageConnectionString = null, int idleExitSeconds = 2, int networkTimeoutSeconds = 60)
    {
        var options = new PipelineSettings
        {
            JobQueueName = "jobs-" + Guid.NewGuid().ToString("N")[..16],
            LeaseSeconds = leaseSeconds,
            MaxDeliveryCount = maxDeliveryCount,
            IdleExitSeconds = idleExitSeconds,
            ReceiveWaitSeconds = 1,
            ModelId = "test-threshold",
        };
        transport ??= new StorageQueueTransport();
        var clients = PipelineClients.Create(new StorageOptions { ConnectionString = storageConnectionString ?? azurite.ConnectionString, NetworkTimeoutSeconds = networkTimeoutSeconds });
        var p = new TestPipeline(clients, options, transport, await transport.CreateAsync(clients, options), segmenter);
        await p.Storage.EnsureCreatedAsync(jobQueueName: null); // containers and tables; the transport made the queue
        return p;
    }

    public JobReceiveLoop Worker() => new(Queue, Processor, Options, NullLogger<JobReceiveLoop>.Instance);

    public BlobClient Blob(string container, string name) => Any(container).GetBlobClient(name);

    /// <summary>Any container, the private ground truth included: tests set it up and check it was never written to.</summary>
    public BlobContainerClient Any(string container)
        => container == ContainerNames.GroundTruth ? Storage.GroundTruthContainer() : Storage.Container(container);

    /// <summary>Uploads bytes to <c>scans/&lt;prefix&gt;&lt;name&gt;</c>; returns the full blob name.</summary>
    public async Task<string> UploadScanAsync(string name, byte[] content)
    {
        var full = Prefix + name;
        await Blob(ContainerNames.Scans, full).UploadAsync(new BinaryData(content), overwrite: true);
        return full;
    }

    public async Task<bool> ExistsAsync(string container, string name) => (await Blob(container, name).ExistsAsync()).Value;

    /// <summary>Every blob this test's scans produced in <c>masks</c> (masks, previews, stats, error reports), sorted.</summary>
    public async Task<List<string>> OutputsAsync()
    {
        var names = new List<string>();
        await foreach (var b in Storage.Container(ContainerNames.Masks).GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = Prefix })) names.Add(b.Name);
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async Task<ErrorReport> ReadErrorAsync(string scanName)
    {
        var content = (await Blob(ContainerNames.Masks, BlobLayout.ScanErrorName(scanName)).DownloadContentAsync()).Value.Content;
        return ErrorReport.TryParse(content) ?? throw new InvalidOperationException("error blob is not an error report");
    }

    /// <summary>Receives the one job message expected on the queue.</summary>
    public async Task<IJobDelivery> ReceiveOneAsync(TimeSpan? wait = null)
        => await Queue.ReceiveAsync(wait ?? TimeSpan.FromSeconds(5)) ?? throw new InvalidOperationException($"no message on {Queue.Name}");

    public async ValueTask DisposeAsync()
    {
        await Queue.DisposeAsync();
        await _transport.DeleteAsync(this);
        await Clients.DisposeAsync();
    }
}
