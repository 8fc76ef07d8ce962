using MRISpineSeg.Segmentation.Stats;

namespace MRISpineSeg.Pipeline.Telemetry;

/// <summary>
/// Span names, one per stage. A scan's trace holds <see cref="UploadCheck"/> (the Function, or the local host's
/// watcher), then on the worker <see cref="QueueWait"/> (from enqueue to delivery) beside <see cref="Job"/>, which holds
/// <see cref="Download"/>, the segmenter's <see cref="Read"/>, <see cref="Preprocess"/>, <see cref="Infer"/>,
/// <see cref="Postprocess"/>, and <see cref="Write"/>. A submission's trace holds <see cref="Score"/>.
/// The segmenter's names are its own (<see cref="StageTimings"/>), so the stats JSON and the trace agree.
/// </summary>
public static class TelemetryStages
{
    public const string UploadCheck = "upload-check";
    public const string QueueWait = "queue-wait";
    public const string Job = "segment-scan";
    public const string Download = "download";
    public const string Read = StageTimings.Read;
    public const string Preprocess = StageTimings.Preprocess;
    public const string Infer = StageTimings.Infer;
    public const string Postprocess = StageTimings.Postprocess;
    public const string Write = StageTimings.Write;
    public const string Score = "score";

    /// <summary>Every span a segmented scan's trace holds, in the order they start.</summary>
    public static IReadOnlyList<string> ScanTrace { get; } = [UploadCheck, QueueWait, Job, Download, Read, Preprocess, Infer, Postprocess, Write];
}
