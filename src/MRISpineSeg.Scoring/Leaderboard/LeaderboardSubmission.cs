using MRISpineSeg.Scoring.Conventions;

namespace MRISpineSeg.Scoring.Leaderboard;

/// <summary>
/// One scored submission on a board. <see cref="Sequence"/> is the board's own arrival counter: "earlier" means a
/// smaller sequence, which breaks ties without trusting clocks. <see cref="Scores"/> holds each convention's mean.
/// <see cref="Source"/> identifies the uploaded file it was scored from (the pipeline stores the blob's ETag), so adding
/// the same upload again is recognised as a repeat rather than a second submission with the same id.
/// </summary>
public sealed record LeaderboardSubmission(string SubmissionId, long Sequence, DateTimeOffset SubmittedAt, int Cases, IReadOnlyDictionary<string, double?> Scores, string? Source = null)
{
    /// <summary>The ranking key: the challenge convention's mean over cases.</summary>
    public double Challenge => Scores[ScoringConventions.Challenge.Name] ?? throw new InvalidOperationException("a ranked submission always has a challenge score");

    /// <summary>True when this one should rank above <paramref name="other"/>: higher challenge mean, or equal and earlier.</summary>
    public bool RanksAbove(LeaderboardSubmission other)
        => Challenge > other.Challenge || (Challenge == other.Challenge && Sequence < other.Sequence);
}
