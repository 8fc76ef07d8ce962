namespace MRISpineSeg.Scoring;

/// <summary>How <see cref="SubmissionScorer"/> scores.</summary>
public sealed class ScoringOptions
{
    public static ScoringOptions Default { get; } = new();

    /// <summary>Skip the spacing/origin/direction check (shapes must still match).</summary>
    public bool IgnoreGeometry { get; init; }

    /// <summary>Largest difference, in mm, allowed between truth and prediction spacing, origin and direction (×extent).</summary>
    public double GeometryToleranceMm { get; init; } = 1e-3;

    /// <summary>Also compute HD95 and ASSD per structure (costs a distance transform per structure and case).</summary>
    public bool SurfaceMetrics { get; init; }

    /// <summary>Cases scored at once; each holds two decoded masks, so memory is about this × 2 × voxels bytes.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
