using MRISpineSeg.Scoring.Conventions;

namespace MRISpineSeg.Scoring.Leaderboard;

/// <summary>
/// One scored submission on a board. <see cref="Sequence"/> is the board's own arrival counter: "earlier" means a
/// smaller sequence, which breaks ties without trusting clocks. <see cref="Scores"/> holds each convention's mean.
/// </summary>
public sealed record LeaderboardSubmission(string SubmissionId, long Sequence, DateTimeOffset SubmittedAt, int Cases, IReadOnlyDictionary<string, double?> Scores)
{
    /// <summary>The ranking key: the challenge convention's mean over cases.</summary>
    public double Challenge => Scores[ScoringConventions.Challenge.Name] ?? throw new InvalidOperationException("a ranked submission always has a challenge score");

    /// <summary>True when this one should rank above <paramref name="other"/>: higher challenge mean, or equal and earlier.</summary>
    public bool RanksAbove(LeaderboardSubmission other)
        => Challenge > other.Challenge || (Challenge == other.Challenge && Sequence < other.Sequence);
}
