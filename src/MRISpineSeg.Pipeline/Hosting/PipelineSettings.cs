namespace MRISpineSeg.Pipeline.Hosting;

/// <summary>
/// Every pipeline setting, in one type with one validator (<see cref="Validate"/>). The deployed hosts bind it from
/// their configuration root (app settings and env vars <c>JobQueueName</c>, <c>ModelThreads</c>, ...: <see cref="From"/>);
/// the CLI's local host fills it from its flags. Either way the same ranges and messages apply. Durations are in
/// seconds so that they read the same in app settings, env vars and JSON.
/// </summary>
public sealed class PipelineSettings
{
    /// <summary>The ONNX model file the worker loads once (e.g. <c>local/models/spineseg-demo.onnx</c>); see <see cref="ModelLocation"/> for the deployed alternatives.</summary>
    public string? ModelPath { get; init; }

    /// <summary><c>baked</c> (the one model in <see cref="ModelDirectory"/>) or <c>blob</c> (downloaded there from the models container at start).</summary>
    public string? ModelSource { get; init; }

    /// <summary>The folder the model is in, or is downloaded to (<c>/app/models</c> in the images).</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>With <c>ModelSource=blob</c>: the model's blob name in the models container.</summary>
    public string? ModelBlobName { get; init; }

    /// <summary>ONNX Runtime intra-op threads, 0 (every core) to 1024 (<see cref="Segmentation.Model.Inference.ThreadCount"/>).</summary>
    public int ModelThreads { get; init; }

    /// <summary>
    /// <c>Cpu</c> (default) or <c>Cuda</c>. A host configured for CUDA that cannot create a CUDA session does not start:
    /// the model fails to load with the missing library, driver or device named, and the worker exits non-zero.
    /// </summary>
    public Segmentation.Model.Inference.ExecutionDevice ModelDevice { get; init; }

    /// <summary>true/false keeps or drops the largest-component clean-up; unset, the model's manifest decides.</summary>
    public bool? KeepLargestComponent { get; init; }

    /// <summary>The job queue (Service Bus queue or storage queue). Its dead letters go to <c>&lt;name&gt;-poison</c> on storage queues.</summary>
    public string JobQueueName { get; init; } = "segmentation-jobs";

    /// <summary>Transport; when unset, Service Bus if a namespace or connection string is configured, else storage queues.</summary>
    public JobTransport? JobTransport { get; init; }

    /// <summary>The model id written into jobs and outputs.</summary>
    public string ModelId { get; init; } = "vnet-w16-paddleseg";

    /// <summary>
    /// Storage-queue visibility timeout per lease (Service Bus uses the queue's lock duration). Renewed at a third of
    /// it, but never sooner than 1 s; the service keeps visibility in whole seconds, so a lease can end up to 1 s early.
    /// Leases of a few seconds are for tests only.
    /// </summary>
    public int LeaseSeconds { get; init; } = 120;

    /// <summary>Deliveries before a message is dead-lettered (poisoned) instead of retried.</summary>
    public int MaxDeliveryCount { get; init; } = 5;

    /// <summary>The worker exits after the queue stayed empty this long (a KEDA job's end); 0 means run until cancelled.</summary>
    public int IdleExitSeconds { get; init; } = 60;

    /// <summary>Longest single receive wait before the idle clock is checked again.</summary>
    public int ReceiveWaitSeconds { get; init; } = 5;

    /// <summary>Largest scan the worker downloads (bytes); larger uploads fail with a reason.</summary>
    public long MaxScanBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Largest scan grid (voxels) the worker segments: 64 Mi voxels, 256 MiB as float32, so that with its reoriented
    /// copy, the preprocessing buffers and the mask a worker of 4 GiB is safe. MRSpineSeg scans are 3 to 15 Mi voxels
    /// (512x512x12 to 1008x1008x15); a header declaring more is refused at the upload check, before any voxel is read.
    /// </summary>
    public long MaxScanVoxels { get; init; } = 64L << 20;

    /// <summary>
    /// Publish per-case, full-precision scores to the teams (an open phase). Off by default: teams get aggregates and
    /// per-structure means to 4 decimals, and the full report goes to <c>scores-private</c> for the organisers.
    /// </summary>
    public bool PublishPerCaseScores { get; init; }

    /// <summary>Largest submission zip the scorer downloads (bytes).</summary>
    public long MaxSubmissionBytes { get; init; } = 2L << 30;

    /// <summary>Bytes read from the start of a scan for header validation at upload time.</summary>
    public int HeaderProbeBytes { get; init; } = 64 * 1024;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>Why a scan of <paramref name="length"/> bytes is refused, or null when it is within <see cref="MaxScanBytes"/>.</summary>
    public string? ScanTooLarge(string blobName, long length)
        => length > MaxScanBytes ? $"scans/{blobName}: {length} bytes is over the limit of {MaxScanBytes} bytes (setting MaxScanBytes)" : null;

    /// <summary>Why a scan whose header declares <paramref name="shape"/> is refused, or null when it is within <see cref="MaxScanVoxels"/>.</summary>
    public string? ScanGridTooLarge(string blobName, Imaging.Volumes.Shape3 shape)
        => shape.Count > MaxScanVoxels
            ? $"scans/{blobName}: the header declares {shape} = {shape.Count:N0} voxels, over the limit of {MaxScanVoxels:N0} (setting MaxScanVoxels); crop or resample the scan"
            : null;

    public TimeSpan IdleExit => TimeSpan.FromSeconds(IdleExitSeconds);

    public TimeSpan ReceiveWait => TimeSpan.FromSeconds(ReceiveWaitSeconds);

    /// <summary>The settings bound from <paramref name="configuration"/>'s root and checked (<see cref="Validate"/>).</summary>
    public static PipelineSettings From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        PipelineSettings options;
        try
        {
            options = Microsoft.Extensions.Configuration.ConfigurationBinder.Get<PipelineSettings>(configuration) ?? new PipelineSettings();
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the setting and the value it could not convert.
            throw new PipelineException(PipelineErrorReason.Configuration, $"a pipeline setting is not valid: {ex.Message}", ex);
        }

        options.Validate();
        return options;
    }

    /// <summary>Checks ranges; throws <see cref="PipelineException"/> (<see cref="PipelineErrorReason.Configuration"/>) naming the setting.</summary>
    public void Validate()
    {
        if (ModelThreads is < 0 or > Segmentation.Model.Inference.ThreadCount.Max) throw Bad("ModelThreads", ModelThreads, "0 (every core) to 1024");
        if (!Enum.IsDefined(ModelDevice)) throw Bad("ModelDevice", ModelDevice, "Cpu or Cuda");
        if (string.IsNullOrWhiteSpace(JobQueueName)) throw Bad("JobQueueName", JobQueueName, "a queue name");
        if (LeaseSeconds is < 1 or > 7 * 24 * 3600) throw Bad("LeaseSeconds", LeaseSeconds, "1..604800");
        if (MaxDeliveryCount is < 1 or > 2000) throw Bad("MaxDeliveryCount", MaxDeliveryCount, "1..2000");
        if (IdleExitSeconds < 0) throw Bad("IdleExitSeconds", IdleExitSeconds, "0 (never) or more");
        if (ReceiveWaitSeconds is < 1 or > 300) throw Bad("ReceiveWaitSeconds", ReceiveWaitSeconds, "1..300");
        if (HeaderProbeBytes is < 512 or > 16 << 20) throw Bad("HeaderProbeBytes", HeaderProbeBytes, "512..16777216");
        if (MaxScanBytes < 1) throw Bad("MaxScanBytes", MaxScanBytes, "a positive byte count");
        if (MaxScanVoxels < 8) throw Bad("MaxScanVoxels", MaxScanVoxels, "at least 8 voxels (2x2x2)");
        if (MaxSubmissionBytes < 1) throw Bad("MaxSubmissionBytes", MaxSubmissionBytes, "a positive byte count");
    }

    private static PipelineException Bad(string name, object? value, string valid)
        => new(PipelineErrorReason.Configuration, $"setting {name} = \"{value}\" is out of range; use {valid}");
}
