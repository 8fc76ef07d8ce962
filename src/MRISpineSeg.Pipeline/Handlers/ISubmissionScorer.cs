namespace MRISpineSeg.Pipeline.Handlers;

/// <summary>
/// The port the scoring handler grades through; the Scoring library's adapter implements it. It reads truth only from
/// <c>truthDirectory</c> (a private local copy of <c>ground-truth</c>) and must not copy truth voxels into its reports.
/// A bad submission (hostile zip, missing cases, bad labels) throws an exception with <c>IsTransient = false</c>.
/// </summary>
public interface ISubmissionScorer
{
    /// <summary>Scores a submission zip (masks named <c>CaseN</c> or <c>mask_caseN</c>) under the challenge convention.</summary>
    Task<SubmissionScore> ScoreAsync(Stream submissionZip, string truthDirectory, CancellationToken cancellationToken = default);

    /// <summary>Renders the leaderboard from every scored submission, best first.</summary>
    LeaderboardDocuments RenderLeaderboard(IReadOnlyList<LeaderboardEntry> entries);
}
