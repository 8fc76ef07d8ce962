namespace MRISpineSeg.Pipeline.Ports;

/// <summary>A scored submission.</summary>
/// <param name="MetricsJson">What the team sees: Grand Challenge style <c>metrics.json</c>, UTF-8, in the detail in force (<c>"detail": "team"</c> aggregates by default).</param>
/// <param name="ReportHtml">A human-readable report for the team, UTF-8 HTML, in the same detail.</param>
/// <param name="ConventionMeans">Mean Dice over cases by convention name (<c>challenge</c>, <c>paddleseg20</c>, ...); null where no case had a defined class.</param>
/// <param name="CaseCount">Number of cases scored.</param>
/// <param name="OrganiserMetricsJson">The full per-case report for the organisers (<c>scores-private</c>), or null when the scorer made none.</param>
public sealed record SubmissionScore(byte[] MetricsJson, byte[] ReportHtml, IReadOnlyDictionary<string, double?> ConventionMeans, int CaseCount, byte[]? OrganiserMetricsJson = null)
{
    /// <summary>The convention the leaderboard ranks by (docs/design.md §5).</summary>
    public const string ChallengeConvention = "challenge";

    /// <summary>Mean Dice under the challenge convention (classes 1–19, absent-from-both skipped).</summary>
    public double? ChallengeMean => ConventionMeans.TryGetValue(ChallengeConvention, out var m) ? m : null;
}
