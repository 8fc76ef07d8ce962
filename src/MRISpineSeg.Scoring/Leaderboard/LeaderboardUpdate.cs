namespace MRISpineSeg.Scoring.Leaderboard;

/// <summary>
/// What adding a submission did: whether it became the team's entry, and the team's rank afterwards (1-based).
/// <see cref="Repeated"/> is true when the same upload was already on the board and nothing changed.
/// </summary>
public sealed record LeaderboardUpdate(LeaderboardSubmission Submission, bool BecameBest, int Rank, LeaderboardSubmission? PreviousBest)
{
    public bool Repeated { get; init; }
}
