namespace MRISpineSeg.Pipeline.Handlers;

/// <summary>A scored submission.</summary>
/// <param name="MetricsJson">Grand Challenge style <c>metrics.json</c> (<c>{"case": ..., "aggregates": ...}</c>), UTF-8.</param>
/// <param name="ReportHtml">A human-readable report, UTF-8 HTML.</param>
/// <param name="ChallengeMean">Mean Dice over cases under the <c>challenge</c> convention (classes 1–19, absent-from-both skipped); null when no case had a defined class.</param>
/// <param name="CaseCount">Number of cases scored.</param>
public sealed record SubmissionScore(byte[] MetricsJson, byte[] ReportHtml, double? ChallengeMean, int CaseCount);
