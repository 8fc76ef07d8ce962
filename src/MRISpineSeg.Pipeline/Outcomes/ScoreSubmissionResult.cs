namespace MRISpineSeg.Pipeline.Outcomes;

/// <summary>The scoring handler's answer; <see cref="ChallengeMean"/> is set when scored, <see cref="Reason"/> when rejected.</summary>
public sealed record ScoreSubmissionResult(ScoreSubmissionOutcome Outcome, double? ChallengeMean = null, string? Reason = null);
