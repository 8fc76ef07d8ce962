namespace MRISpineSeg.Scoring.Reports;

/// <summary>
/// How much a score report shows. Per-case, per-structure Dice at full precision lets one submission recover a hidden
/// structure's voxel count (label 1 everywhere gives |T| = D·N/(2−D)), and null versus 0 shows which structures each
/// hidden case holds; so what teams see is, by default, <see cref="Team"/>.
/// </summary>
public enum ReportDetail
{
    /// <summary>Every case and every statistic at full precision: for organisers, or for an open phase that publishes per-case detail.</summary>
    Full,

    /// <summary>Aggregates only: each convention's mean and each structure's mean Dice over cases, rounded to 4 decimals, with case counts. No per-case values, no std/min/max.</summary>
    Team,
}
