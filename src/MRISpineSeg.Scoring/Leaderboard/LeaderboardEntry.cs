namespace MRISpineSeg.Scoring.Leaderboard;

/// <summary>A team's line on the board: its best submission, and every submission it made in arrival order.</summary>
public sealed record LeaderboardEntry(string Team, LeaderboardSubmission Best, IReadOnlyList<LeaderboardSubmission> History);
