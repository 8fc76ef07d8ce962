namespace MRISpineSeg.Pipeline.Handlers;

/// <summary>One row of the leaderboard: the latest score of one submission.</summary>
public sealed record LeaderboardEntry(string Team, string SubmissionId, double? ChallengeMean, int CaseCount, DateTimeOffset ScoredAt);
