namespace MRISpineSeg.Segmentation;

/// <summary>
/// The single exception of the segmentation layer: a model, weights file, or scan that cannot be used, or a runtime failure.
/// The message names the file (or field) and the value, and says what would be valid.
/// </summary>
public sealed class SegmentationException : Exception
{
    public SegmentationException(SegmentationErrorReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public SegmentationErrorReason Reason { get; }

    /// <summary>
    /// True only for <see cref="SegmentationErrorReason.InferenceFailed"/>: a runtime failure (memory pressure, a device hiccup)
    /// may pass on retry; bad models, weights and scans never do.
    /// </summary>
    public bool IsTransient => Reason == SegmentationErrorReason.InferenceFailed;
}
