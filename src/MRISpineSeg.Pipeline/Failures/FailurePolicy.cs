using System.Text.Json;
using Azure;
using Azure.Messaging.ServiceBus;
using MRISpineSeg.Imaging;
using MRISpineSeg.Scoring;
using MRISpineSeg.Segmentation;

namespace MRISpineSeg.Pipeline.Failures;

/// <summary>
/// The one place that decides retry or give up, for every exception a handler can let out. Each library's exception is
/// decided by its reason enum in a switch that names every value, so a reason added to a library without a decision
/// here fails the build (CS8509 is an error in this repository); nothing is read by reflection. The Azure SDK's
/// <see cref="RequestFailedException"/>, its exhausted-retry <see cref="AggregateException"/>, Service Bus errors,
/// timeouts, I/O and JSON failures are decided by type. Anything else is <see cref="RetryKind.Bounded"/>: retried a few
/// times, then permanent, so no unknown failure loops forever.
/// </summary>
public static class FailurePolicy
{
    public static RetryDecision Decide(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex switch
        {
            PipelineException p => new(For(p.Reason), p.Reason.ToString()),
            SegmentationException s => new(For(s.Reason), s.Reason.ToString()),
            VolumeFormatException v => new(For(v.Reason), v.Reason.ToString()),
            ScoringException sc => new(For(sc.Reason), sc.Reason.ToString()),
            RequestFailedException r => new(Storage.StorageErrors.IsTransientStatus(r.Status) ? RetryKind.Transient : RetryKind.Permanent, StorageReason(r)),
            AggregateException a when Storage.StorageErrors.IsStorageFailure(a) => new(RetryKind.Transient, nameof(PipelineErrorReason.ServiceUnavailable)),
            ServiceBusException sb => new(sb.IsTransient ? RetryKind.Transient : RetryKind.Permanent, "ServiceBus" + sb.Reason),
            TimeoutException => new(RetryKind.Transient, "Timeout"),
            HttpRequestException => new(RetryKind.Transient, nameof(PipelineErrorReason.ServiceUnavailable)),
            OperationCanceledException => new(RetryKind.Transient, "Cancelled"),
            PathTooLongException => new(RetryKind.Permanent, "PathTooLong"), // a name in the upload; before IOException, its base
            IOException => new(RetryKind.Bounded, "IOError"),
            UnauthorizedAccessException => new(RetryKind.Bounded, "AccessDenied"),
            JsonException => new(RetryKind.Permanent, "InvalidJson"),
            OutOfMemoryException or InsufficientExecutionStackException => new(RetryKind.Bounded, "OutOfMemory"),
            _ => new(RetryKind.Bounded, ex.GetType().Name),
        };
    }

    /// <summary>Shorthand for <c>Decide(ex).Reason</c>.</summary>
    public static string ReasonCode(Exception ex) => Decide(ex).Reason;

    private static string StorageReason(RequestFailedException r) => r.Status switch
    {
        0 => nameof(PipelineErrorReason.ServiceUnavailable),
        404 => nameof(PipelineErrorReason.BlobMissing),
        _ => $"Storage{r.Status}{(string.IsNullOrEmpty(r.ErrorCode) ? string.Empty : " " + r.ErrorCode)}",
    };

#pragma warning disable CS8524 // every named value is decided; an unnamed one cannot come from these libraries
    private static RetryKind For(PipelineErrorReason reason) => reason switch
    {
        PipelineErrorReason.ServiceUnavailable => RetryKind.Transient,
        PipelineErrorReason.LeaseLost => RetryKind.Transient,
        PipelineErrorReason.InvalidMessage => RetryKind.Permanent,
        PipelineErrorReason.BlobMissing => RetryKind.Permanent,
        PipelineErrorReason.BlobSuperseded => RetryKind.Permanent,
        PipelineErrorReason.InvalidBlobName => RetryKind.Permanent,
        PipelineErrorReason.InvalidUpload => RetryKind.Permanent,
        PipelineErrorReason.MaxDeliveryCountExceeded => RetryKind.Permanent,
        PipelineErrorReason.Configuration => RetryKind.Permanent,
        PipelineErrorReason.PrivateData => RetryKind.Permanent,
    };

    private static RetryKind For(SegmentationErrorReason reason) => reason switch
    {
        SegmentationErrorReason.InferenceFailed => RetryKind.Bounded, // memory pressure or a device hiccup may pass
        SegmentationErrorReason.ModelNotFound => RetryKind.Permanent,
        SegmentationErrorReason.InvalidModel => RetryKind.Permanent,
        SegmentationErrorReason.InvalidManifest => RetryKind.Permanent,
        SegmentationErrorReason.ModelMismatch => RetryKind.Permanent,
        SegmentationErrorReason.InvalidWeights => RetryKind.Permanent,
        SegmentationErrorReason.WeightsMismatch => RetryKind.Permanent,
        SegmentationErrorReason.InputMismatch => RetryKind.Permanent,
        SegmentationErrorReason.InvalidScan => RetryKind.Permanent,
        SegmentationErrorReason.InvalidRequest => RetryKind.Permanent,
        SegmentationErrorReason.ProviderUnavailable => RetryKind.Permanent,
    };

    private static RetryKind For(VolumeErrorReason reason) => reason switch
    {
        VolumeErrorReason.EmptyFile => RetryKind.Permanent,
        VolumeErrorReason.UnknownFormat => RetryKind.Permanent,
        VolumeErrorReason.TruncatedHeader => RetryKind.Permanent,
        VolumeErrorReason.TruncatedData => RetryKind.Permanent,
        VolumeErrorReason.TrailingData => RetryKind.Permanent,
        VolumeErrorReason.CorruptCompression => RetryKind.Permanent,
        VolumeErrorReason.InvalidHeader => RetryKind.Permanent,
        VolumeErrorReason.UnsupportedDataType => RetryKind.Permanent,
        VolumeErrorReason.UnsupportedDimensions => RetryKind.Permanent,
        VolumeErrorReason.TooLarge => RetryKind.Permanent,
        VolumeErrorReason.InvalidScaling => RetryKind.Permanent,
        VolumeErrorReason.ValueNotRepresentable => RetryKind.Permanent,
        VolumeErrorReason.UnsupportedFeature => RetryKind.Permanent,
    };

    private static RetryKind For(ScoringErrorReason reason) => reason switch
    {
        ScoringErrorReason.SourceNotFound => RetryKind.Permanent,
        ScoringErrorReason.InvalidLayout => RetryKind.Permanent,
        ScoringErrorReason.DuplicateCase => RetryKind.Permanent,
        ScoringErrorReason.MissingCase => RetryKind.Permanent,
        ScoringErrorReason.ExtraCase => RetryKind.Permanent,
        ScoringErrorReason.ShapeMismatch => RetryKind.Permanent,
        ScoringErrorReason.GeometryMismatch => RetryKind.Permanent,
        ScoringErrorReason.LabelOutOfRange => RetryKind.Permanent,
        ScoringErrorReason.NonIntegerLabel => RetryKind.Permanent,
        ScoringErrorReason.UnreadableMask => RetryKind.Permanent,
        ScoringErrorReason.UnsafeArchivePath => RetryKind.Permanent,
        ScoringErrorReason.ArchiveTooManyEntries => RetryKind.Permanent,
        ScoringErrorReason.ArchiveTooLarge => RetryKind.Permanent,
        ScoringErrorReason.CorruptArchive => RetryKind.Permanent,
        ScoringErrorReason.InvalidDocument => RetryKind.Permanent,
    };
#pragma warning restore CS8524
}
