namespace MRISpineSeg.Segmentation.Batch;

/// <summary>How a folder run ended: counts, the failed cases with their reasons, and whether it was interrupted.</summary>
public sealed record BatchSummary(
    int Total,
    int Segmented,
    int Skipped,
    IReadOnlyList<(BatchCase Case, string Error)> Failures,
    bool Interrupted,
    TimeSpan Elapsed)
{
    /// <summary>Cases never reached because the run was interrupted.</summary>
    public int NotReached => Total - Segmented - Skipped - Failures.Count;
}
