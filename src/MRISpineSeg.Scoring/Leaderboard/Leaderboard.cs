using MRISpineSeg.Scoring.Reports;

namespace MRISpineSeg.Scoring.Leaderboard;

/// <summary>
/// The challenge leaderboard: one entry per team, ranked by the challenge mean Dice (higher first); equal scores go to
/// the earlier submission. A resubmission replaces the team's entry only when it scores strictly higher; every
/// submission stays in the team's history. Persisted as JSON through <see cref="LeaderboardJson"/>.
/// </summary>
public sealed class Leaderboard
{
    /// <summary>Longest team name or submission id accepted.</summary>
    public const int MaxNameLength = 100;

    private readonly Dictionary<string, List<LeaderboardSubmission>> history = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LeaderboardSubmission> best = new(StringComparer.Ordinal);

    /// <summary>The sequence number the next submission gets.</summary>
    public long NextSequence { get; private set; } = 1;

    /// <summary>Teams ranked best first.</summary>
    public IReadOnlyList<LeaderboardEntry> Ranking()
    {
        var teams = best.Keys.ToList();
        teams.Sort((a, b) => best[a].RanksAbove(best[b]) ? -1 : best[b].RanksAbove(best[a]) ? 1 : string.CompareOrdinal(a, b));
        return teams.Select(t => new LeaderboardEntry(t, best[t], history[t])).ToList();
    }

    /// <summary>
    /// Records a scored submission for <paramref name="team"/>. Adding the same <paramref name="source"/> under the same
    /// id again (a retry after a fault between scoring and saving the board) changes nothing and reports the entry
    /// already there; the same id from a different source is refused.
    /// </summary>
    public LeaderboardUpdate Add(string team, string submissionId, MetricsSummary metrics, DateTimeOffset submittedAt, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        CheckName(team, "team");
        CheckName(submissionId, "submission id");
        if (metrics.Challenge is null)
            throw new ScoringException(ScoringErrorReason.InvalidDocument, $"submission {submissionId}: has no challenge score (no structure present in any case), so it cannot be ranked");
        if (history.TryGetValue(team, out var past) && past.FirstOrDefault(s => s.SubmissionId == submissionId) is { } same)
        {
            if (source is not null && same.Source == source)
                return new LeaderboardUpdate(same, ReferenceEquals(best[team], same), RankOf(team), null) { Repeated = true };
            throw new ScoringException(ScoringErrorReason.InvalidDocument, $"team {team} already has a submission {submissionId} on the board; give each submission its own id");
        }

        var submission = new LeaderboardSubmission(submissionId, NextSequence, submittedAt, metrics.Cases, metrics.Means, source);
        var previous = best.GetValueOrDefault(team);
        Restore(team, submission);
        return new LeaderboardUpdate(submission, previous is null || submission.Challenge > previous.Challenge, RankOf(team), previous);
    }

    private int RankOf(string team) => Ranking().Select((e, i) => (e.Team, i)).First(x => x.Team == team).i + 1;

    /// <summary>Replays a stored submission (loading): appends to history, advances the sequence, keeps the better one.</summary>
    internal void Restore(string team, LeaderboardSubmission submission)
    {
        if (!history.TryGetValue(team, out var list)) history[team] = list = [];
        list.Add(submission);
        NextSequence = Math.Max(NextSequence, submission.Sequence + 1);
        if (!best.TryGetValue(team, out var current) || submission.RanksAbove(current)) best[team] = submission;
    }

    internal static void CheckName(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxNameLength || value.Any(char.IsControl) || value != value.Trim())
            throw new ScoringException(ScoringErrorReason.InvalidDocument, $"{what} \"{value}\" is not usable; give 1..{MaxNameLength} printable characters without leading or trailing spaces");
    }
}
