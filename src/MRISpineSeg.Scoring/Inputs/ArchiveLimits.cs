namespace MRISpineSeg.Scoring.Inputs;

/// <summary>
/// Caps that make a hostile zip fail fast. The inflated size is counted while inflating; the sizes a zip declares are
/// never trusted. Defaults fit a challenge submission (tens of masks of a few MB each) with a wide margin.
/// </summary>
public sealed class ArchiveLimits
{
    public static ArchiveLimits Default { get; } = new();

    /// <summary>Most entries (files and folders) a zip may hold.</summary>
    public int MaxEntries { get; init; } = 2_000;

    /// <summary>Most bytes all entries may inflate to, together.</summary>
    public long MaxInflatedBytes { get; init; } = 8L << 30;
}
