namespace MRISpineSeg.Pipeline.Handlers;

/// <summary>A scored submission.</summary>
/// <param name="MetricsJson">Grand Challenge style <c>metrics.json</c> (<c>{"case": ..., "aggregates": ...}</c>), UTF-8.</param>
/// <param name="ReportHtml">A human-readable report, UTF-8 HTML.</param>
/// <param name="ConventionMeans">Mean Dice over cases by convention name (<c>challenge</c>, <c>paddleseg20</c>, ...); null where no case had a defined class.</param>
/// <param name="CaseCount">Number of cases scored.</param>
public sealed record SubmissionScore(byte[] MetricsJson, byte[] ReportHtml, IReadOnlyDictionary<string, double?> ConventionMeans, int CaseCount)
{
    /// <summary>The convention the leaderboard ranks by (docs/design.md §5).</summary>
    public const string ChallengeConvention = "challenge";

    /// <summary>Mean Dice under the challenge convention (classes 1–19, absent-from-both skipped).</summary>
    public double? ChallengeMean => ConventionMeans.TryGetValue(ChallengeConvention, out var m) ? m : null;
}
