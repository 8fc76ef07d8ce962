namespace MRISpineSeg.Pipeline.Ports;

/// <summary>
/// The port the scoring handler grades through; the Scoring library's adapter implements it. It reads truth only from
/// <c>truthDirectory</c> (a private local copy of <c>ground-truth</c>) and must not copy truth voxels into its reports.
/// A bad submission (hostile zip, missing cases, bad labels) throws an exception with <c>IsTransient = false</c>.
/// </summary>
public interface ISubmissionScorer
{
    /// <summary>Scores a submission zip (masks named <c>CaseN</c> or <c>mask_caseN</c>) under every convention.</summary>
    Task<SubmissionScore> ScoreAsync(Stream submissionZip, string truthDirectory, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a scored submission to the leaderboard and renders it. <paramref name="currentJson"/> is the stored
    /// <c>leaderboard.json</c> (null before the first submission); the handler stores the returned JSON only if nobody
    /// changed it meanwhile (ETag), and calls again with the newer board otherwise, so concurrent scorings never drop a row.
    /// </summary>
    Task<LeaderboardDocuments> UpdateLeaderboardAsync(Stream? currentJson, string team, string submissionId, string source, SubmissionScore score, DateTimeOffset submittedAt, CancellationToken cancellationToken = default);
}
