using MRISpineSeg.Segmentation.Stats;

namespace MRISpineSeg.Segmentation.Batch;

/// <summary>What happened to a case of a folder run, reported as it happens.</summary>
public enum BatchOutcome
{
    /// <summary>The case is about to be segmented.</summary>
    Started,

    /// <summary>Its outputs were written.</summary>
    Segmented,

    /// <summary>Its outputs already existed and overwriting was not asked for.</summary>
    Skipped,

    /// <summary>It could not be segmented; <see cref="BatchEvent.Error"/> says why. The run goes on.</summary>
    Failed,
}

/// <summary>
/// One report of a folder run: case <see cref="Index"/> (0-based) of <see cref="Total"/>, what happened, and the time
/// spent on it. <see cref="Stats"/> is set for <see cref="BatchOutcome.Segmented"/>, <see cref="Error"/> for
/// <see cref="BatchOutcome.Failed"/> (one line).
/// </summary>
public sealed record BatchEvent(
    BatchCase Case,
    int Index,
    int Total,
    BatchOutcome Outcome,
    TimeSpan Elapsed,
    SegmentationStats? Stats = null,
    string? Error = null);
