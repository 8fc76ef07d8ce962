using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MRISpineSeg.Pipeline.Telemetry;

/// <summary>
/// The product's instruments, all on the meter <see cref="PipelineTelemetry.MeterName"/>, names under <c>spineseg.</c>
/// with UCUM units. Scans per minute is the rate of <see cref="ScansSegmented"/> (Azure Monitor and Prometheus chart a
/// counter's rate per interval).
/// </summary>
public static class PipelineMetrics
{
    /// <summary>Counter, <c>{scan}</c>: scans whose mask this worker wrote (not repeats or superseded versions).</summary>
    public const string ScansSegmented = "spineseg.scans.segmented";

    /// <summary>Histogram, <c>s</c>: time in the network itself per scan (the rest of the job is I/O and pre/post-processing).</summary>
    public const string InferenceDuration = "spineseg.inference.duration";

    /// <summary>Histogram, <c>s</c>: from the job's enqueue time to the start of a delivery's work.</summary>
    public const string QueueWait = "spineseg.queue.wait";

    /// <summary>
    /// Counter, <c>{failure}</c>: uploads, jobs and submissions that ended with an error report, tagged with
    /// <see cref="ReasonAttribute"/> (the report's reason code) and <see cref="StageAttribute"/> (upload, segment, score, leaderboard).
    /// Retried (transient) failures are not counted: they are not an outcome yet.
    /// </summary>
    public const string Failures = "spineseg.failures";

    public const string ReasonAttribute = "spineseg.failure.reason";

    public const string StageAttribute = "spineseg.failure.stage";

    public const string ModelIdAttribute = "spineseg.model_id";

    private static readonly Meter Meter = new(PipelineTelemetry.MeterName);
    private static readonly Counter<long> Segmented = Meter.CreateCounter<long>(ScansSegmented, "{scan}", "Scans segmented (mask written)");
    private static readonly Histogram<double> Inference = Meter.CreateHistogram<double>(InferenceDuration, "s", "Inference time per scan");
    private static readonly Histogram<double> Waited = Meter.CreateHistogram<double>(QueueWait, "s", "Time a job waited in the queue before a worker started it");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>(Failures, "{failure}", "Uploads, jobs and submissions that ended in an error report, by reason");

    internal static void RecordSegmented(string modelId, double inferenceMs)
    {
        var model = new KeyValuePair<string, object?>(ModelIdAttribute, modelId);
        Segmented.Add(1, model);
        Inference.Record(inferenceMs / 1000.0, model);
    }

    internal static void RecordQueueWait(TimeSpan waited) => Waited.Record(Math.Max(0, waited.TotalSeconds));

    internal static void RecordFailure(string stage, string reason)
    {
        var tags = new TagList { { ReasonAttribute, reason }, { StageAttribute, stage } };
        Failed.Add(1, tags);
        Activity.Current?.SetStatus(ActivityStatusCode.Error, reason);
    }
}
