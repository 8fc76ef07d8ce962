using System.Diagnostics;
using MRISpineSeg.Segmentation;

namespace MRISpineSeg.Pipeline.Telemetry;

/// <summary>
/// The one place that names what the product emits: its activity sources, its meter and the attributes every span
/// carries. Hosts add these names to their OpenTelemetry providers (<see cref="TelemetryRegistration"/>) and choose only
/// the exporters. A scan's trace runs from the upload check through the queue to the worker's stages
/// (<see cref="TelemetryStages"/>): the job message carries the W3C trace context (<see cref="JobTraceContext"/>), and
/// every span of the job carries <see cref="JobIdAttribute"/> (docs/design.md §10).
/// </summary>
public static class PipelineTelemetry
{
    /// <summary>The pipeline's spans: upload check, queue wait, the job, download, write, score.</summary>
    public const string ActivitySourceName = "MRISpineSeg.Pipeline";

    /// <summary>The segmenter's stage spans (read, preprocess, infer, postprocess), children of the job's span.</summary>
    public const string SegmentationActivitySourceName = Segmenter.ActivitySourceName;

    /// <summary>The product's one meter; its instruments are in <see cref="PipelineMetrics"/>.</summary>
    public const string MeterName = "MRISpineSeg";

    /// <summary>The job id (64 hex characters, <see cref="Contracts.JobIds"/>) on every span of a scan's trace.</summary>
    public const string JobIdAttribute = "spineseg.job_id";

    /// <summary>The blob the span is about: <c>scans/…</c> or <c>submissions/…</c> name, without the container.</summary>
    public const string BlobNameAttribute = "spineseg.blob_name";

    /// <summary>How many times the job's message has been delivered (1 on the first delivery).</summary>
    public const string DeliveryAttribute = "spineseg.delivery";

    /// <summary>Every activity source a host listens to.</summary>
    public static IReadOnlyList<string> ActivitySourceNames { get; } = [ActivitySourceName, SegmentationActivitySourceName];

    internal static readonly ActivitySource Source = new(ActivitySourceName);
}
