namespace MRISpineSeg.Pipeline.Ports;

/// <summary>The rendered leaderboard, written to <c>leaderboard/leaderboard.json</c> and <c>.html</c>.</summary>
public sealed record LeaderboardDocuments(byte[] Json, byte[] Html);
