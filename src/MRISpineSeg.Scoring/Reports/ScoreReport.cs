using MRISpineSeg.Scoring.Conventions;

namespace MRISpineSeg.Scoring.Reports;

/// <summary>
/// Everything a scoring run found: per-case metrics (ordered by case id) and their aggregates. Per-convention
/// aggregates average the case scores; per-class aggregates average a class's metric over the cases where it is defined.
/// </summary>
public sealed class ScoreReport
{
    public ScoreReport(IReadOnlyList<CaseScore> cases, bool surfaceMetrics, bool geometryChecked)
    {
        Cases = cases.OrderBy(c => c.CaseId).ToList();
        SurfaceMetrics = surfaceMetrics;
        GeometryChecked = geometryChecked;
        Conventions = ScoringConventions.All.ToDictionary(c => c.Name, c => Aggregate.Of(Cases.Select(s => s.Conventions[c.Name])));
        Dice = PerClass(s => s.Dice);
        if (surfaceMetrics)
        {
            Hd95 = PerClass(s => s.Hd95!);
            Assd = PerClass(s => s.Assd!);
        }
    }

    public IReadOnlyList<CaseScore> Cases { get; }

    /// <summary>Keyed by convention name (<see cref="ScoringConventions.All"/>).</summary>
    public IReadOnlyDictionary<string, Aggregate> Conventions { get; }

    /// <summary>Indexed by label 0..19.</summary>
    public IReadOnlyList<Aggregate> Dice { get; }

    /// <summary>Indexed by label 0..19; null unless surface metrics were asked for.</summary>
    public IReadOnlyList<Aggregate>? Hd95 { get; }

    public IReadOnlyList<Aggregate>? Assd { get; }

    public bool SurfaceMetrics { get; }

    public bool GeometryChecked { get; }

    /// <summary>The headline: the challenge convention's mean over cases.</summary>
    public double? ChallengeMean => Conventions[ScoringConventions.Challenge.Name].Mean;

    private List<Aggregate> PerClass(Func<CaseScore, IReadOnlyList<double?>> metric)
        => Enumerable.Range(0, SpineLabels.Count).Select(c => Aggregate.Of(Cases.Select(s => metric(s)[c]))).ToList();
}
