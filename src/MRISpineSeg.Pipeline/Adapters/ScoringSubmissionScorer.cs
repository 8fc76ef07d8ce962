using System.Text;
using MRISpineSeg.Scoring;
using MRISpineSeg.Scoring.Inputs;
using MRISpineSeg.Scoring.Leaderboard;
using MRISpineSeg.Scoring.Reports;
using MRISpineSeg.Pipeline.Ports;

namespace MRISpineSeg.Pipeline.Adapters;

/// <summary>
/// The scorer port over the Scoring library. The zip is unpacked as hostile input by <see cref="SubmissionArchive"/>
/// (zip-slip, entry-count and inflated-size limits) into a temporary folder removed afterwards; the truth is read from
/// the private local folder the handler keeps. Refusals are <see cref="ScoringException"/> (<c>IsTransient = false</c>),
/// which the handler turns into an error report. Reports carry scores only, never truth voxels.
/// </summary>
/// <remarks>
/// What the team sees is <see cref="ReportDetail.Team"/> (aggregates, 4 decimals) unless <paramref name="publishPerCase"/>
/// (an open phase); the full per-case report always goes to the organisers as <see cref="SubmissionScore.OrganiserMetricsJson"/>.
/// </remarks>
public sealed class ScoringSubmissionScorer(ScoringOptions? options = null, ArchiveLimits? limits = null, bool publishPerCase = false) : ISubmissionScorer
{
    private const string SubmissionDescription = "the submission zip";
    private const string LeaderboardDescription = "leaderboard/leaderboard.json";

    public async Task<SubmissionScore> ScoreAsync(Stream submissionZip, string truthDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submissionZip);
        ArgumentException.ThrowIfNullOrEmpty(truthDirectory);
        using var predictions = await SubmissionArchive.ExtractAsync(submissionZip, SubmissionDescription, limits, cancellationToken).ConfigureAwait(false);
        using var truth = await SubmissionSources.OpenAsync(truthDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        var report = await SubmissionScorer.ScoreAsync(truth, predictions, options, cancellationToken: cancellationToken).ConfigureAwait(false);
        var published = publishPerCase ? ReportDetail.Full : ReportDetail.Team;
        using var metrics = new MemoryStream();
        await MetricsJsonWriter.WriteAsync(report, metrics, published, cancellationToken).ConfigureAwait(false);
        using var full = new MemoryStream();
        await MetricsJsonWriter.WriteAsync(report, full, ReportDetail.Full, cancellationToken).ConfigureAwait(false);
        var html = Encoding.UTF8.GetBytes(HtmlReportWriter.Render(report, detail: published));
        var summary = MetricsSummary.From(report);
        return new SubmissionScore(metrics.ToArray(), html, summary.Means, summary.Cases, full.ToArray());
    }

    public async Task<LeaderboardDocuments> UpdateLeaderboardAsync(Stream? currentJson, string team, string submissionId, string source, SubmissionScore score, DateTimeOffset submittedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(score);
        var board = currentJson is null
            ? new Leaderboard()
            : await LeaderboardJson.LoadAsync(currentJson, LeaderboardDescription, cancellationToken).ConfigureAwait(false);
        board.Add(team, submissionId, new MetricsSummary(score.ConventionMeans, score.CaseCount), submittedAt, source);
        using var json = new MemoryStream();
        await LeaderboardJson.SaveAsync(board, json, cancellationToken).ConfigureAwait(false);
        return new LeaderboardDocuments(json.ToArray(), Encoding.UTF8.GetBytes(LeaderboardHtmlWriter.Render(board)));
    }
}
