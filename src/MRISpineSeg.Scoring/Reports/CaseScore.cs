namespace MRISpineSeg.Scoring.Reports;

/// <summary>
/// The metrics of one case. Lists are indexed by label 0..19; null means undefined (Dice: the class is absent from both
/// masks; surface metrics: see <see cref="Metrics.SurfaceMetrics"/>). No voxel counts are kept, so nothing here
/// describes the ground truth beyond agreement scores.
/// </summary>
public sealed record CaseScore(
    int CaseId,
    IReadOnlyList<double?> Dice,
    IReadOnlyDictionary<string, double?> Conventions,
    IReadOnlyList<double?>? Hd95 = null,
    IReadOnlyList<double?>? Assd = null)
{
    /// <summary><c>Case{N}</c>, the key in metrics.json.</summary>
    public string Name => Inputs.CaseNames.Display(CaseId);
}
