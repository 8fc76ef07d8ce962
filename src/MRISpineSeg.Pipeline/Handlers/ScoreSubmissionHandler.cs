using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Pipeline.Handlers;

/// <summary>
/// A zip landed in <c>submissions/&lt;team&gt;/&lt;id&gt;.zip</c>: score it against the private ground truth, write
/// <c>scores/&lt;team&gt;/&lt;id&gt;.json</c> and <c>.html</c>, record the score in the <c>leaderboard</c> table and
/// re-render <c>leaderboard/leaderboard.json</c> and <c>.html</c> from every row (so concurrent scorings cannot drop
/// each other's rows). A submission the scorer refuses (hostile zip, missing cases, bad labels) gets
/// <c>scores/&lt;team&gt;/&lt;id&gt;.error.json</c> instead; only infrastructure failures throw.
/// </summary>
public sealed class ScoreSubmissionHandler(PipelineStorage storage, ISubmissionScorer scorer, GroundTruthCache truth, PipelineOptions options, ILogger<ScoreSubmissionHandler> logger)
{
    public static readonly ActivitySource Activity = new("MRISpineSeg.Pipeline.ScoreSubmission");

    private readonly TableClient _board = storage.Clients.Tables.GetTableClient(TableNames.Leaderboard);

    public async Task<ScoreSubmissionResult> HandleAsync(string blobName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        using var activity = Activity.StartActivity("score-submission");
        activity?.SetTag("blob.name", blobName);
        SubmissionName name;
        try
        {
            name = BlobLayout.ParseSubmission(blobName);
        }
        catch (PipelineException ex)
        {
            logger.LogWarning("Ignored submissions/{BlobName}: {Error}", blobName, ex.Message);
            return new ScoreSubmissionResult(ScoreSubmissionOutcome.Rejected, Reason: ex.Message);
        }

        var blob = storage.Container(ContainerNames.Submissions).GetBlobClient(blobName);
        BlobProperties props;
        try
        {
            props = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new ScoreSubmissionResult(ScoreSubmissionOutcome.Vanished);
        }
        catch (RequestFailedException ex)
        {
            throw StorageErrors.Wrap(ex, $"read properties of submissions/{blobName}");
        }

        var etag = props.ETag.ToString().Trim('"');
        if (await AlreadyScoredAsync(name, etag, cancellationToken).ConfigureAwait(false))
            return new ScoreSubmissionResult(ScoreSubmissionOutcome.Duplicate);
        var metadata = new Dictionary<string, string> { [BlobLayout.SourceETagMetadata] = etag };
        if (props.ContentLength > options.MaxSubmissionBytes)
            return await RejectAsync(name, etag, nameof(PipelineErrorReason.InvalidUpload), $"submissions/{blobName}: {props.ContentLength} bytes is over the limit of {options.MaxSubmissionBytes} bytes (setting MaxSubmissionBytes)", metadata, cancellationToken).ConfigureAwait(false);

        var tmp = Path.Combine(Path.GetTempPath(), $"spineseg-sub-{Guid.NewGuid():N}.zip");
        try
        {
            try
            {
                await blob.DownloadToAsync(tmp, new BlobDownloadToOptions { Conditions = new BlobRequestConditions { IfMatch = props.ETag } }, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                return new ScoreSubmissionResult(ScoreSubmissionOutcome.Vanished);
            }
            catch (RequestFailedException ex)
            {
                throw StorageErrors.Wrap(ex, $"download submissions/{blobName}");
            }

            var truthCount = await truth.SyncAsync(cancellationToken).ConfigureAwait(false);
            if (truthCount == 0)
                throw new PipelineException(PipelineErrorReason.ServiceUnavailable, $"the ground-truth container holds no volumes yet; submissions/{blobName} will be scored once it is loaded");

            SubmissionScore score;
            try
            {
                await using var zip = new FileStream(tmp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                score = await scorer.ScoreAsync(zip, truth.Directory, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !FailureClassifier.IsTransient(ex))
            {
                return await RejectAsync(name, etag, FailureClassifier.ReasonCode(ex), ex.Message, metadata, cancellationToken).ConfigureAwait(false);
            }

            await storage.WriteAsync(ContainerNames.Scores, BlobLayout.ScoreHtmlName(name), score.ReportHtml, "text/html; charset=utf-8", metadata, cancellationToken).ConfigureAwait(false);
            await storage.WriteAsync(ContainerNames.Scores, BlobLayout.ScoreJsonName(name), score.MetricsJson, "application/json", metadata, cancellationToken).ConfigureAwait(false);
            await UpdateLeaderboardAsync(new LeaderboardEntry(name.Team, name.Id, score.ChallengeMean, score.CaseCount, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Scored submissions/{BlobName}: challenge mean Dice {Mean} over {Cases} cases", blobName, score.ChallengeMean, score.CaseCount);
            return new ScoreSubmissionResult(ScoreSubmissionOutcome.Scored, score.ChallengeMean);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    private async Task<bool> AlreadyScoredAsync(SubmissionName name, string etag, CancellationToken cancellationToken)
    {
        foreach (var output in new[] { BlobLayout.ScoreJsonName(name), BlobLayout.ScoreErrorName(name) })
        {
            try
            {
                var p = await storage.Container(ContainerNames.Scores).GetBlobClient(output).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                if (p.Value.Metadata.TryGetValue(BlobLayout.SourceETagMetadata, out var e) && e == etag) return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // not scored yet
            }
        }

        return false;
    }

    private async Task<ScoreSubmissionResult> RejectAsync(SubmissionName name, string etag, string reason, string message, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        logger.LogWarning("Submission {Team}/{Id} rejected: {Reason}: {Message}", name.Team, name.Id, reason, message);
        var report = new ErrorReport($"{ContainerNames.Submissions}/{name.BlobName}", etag, null, reason, message, "score", DateTimeOffset.UtcNow);
        await storage.WriteAsync(ContainerNames.Scores, BlobLayout.ScoreErrorName(name), report.ToJson(), "application/json", metadata, cancellationToken).ConfigureAwait(false);
        return new ScoreSubmissionResult(ScoreSubmissionOutcome.Rejected, Reason: $"{reason}: {message}");
    }

    private async Task UpdateLeaderboardAsync(LeaderboardEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var row = new TableEntity(entry.Team, entry.SubmissionId)
            {
                ["ChallengeMean"] = entry.ChallengeMean,
                ["CaseCount"] = entry.CaseCount,
                ["ScoredAt"] = entry.ScoredAt,
            };
            await _board.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            var entries = new List<LeaderboardEntry>();
            await foreach (var e in _board.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new LeaderboardEntry(e.PartitionKey, e.RowKey, e.GetDouble("ChallengeMean"), e.GetInt32("CaseCount") ?? 0, e.GetDateTimeOffset("ScoredAt") ?? DateTimeOffset.MinValue));
            }

            entries.Sort(static (a, b) => (b.ChallengeMean ?? double.NegativeInfinity).CompareTo(a.ChallengeMean ?? double.NegativeInfinity));
            var docs = scorer.RenderLeaderboard(entries);
            await storage.WriteAsync(ContainerNames.Leaderboard, BlobLayout.LeaderboardJson, docs.Json, "application/json", null, cancellationToken).ConfigureAwait(false);
            await storage.WriteAsync(ContainerNames.Leaderboard, BlobLayout.LeaderboardHtml, docs.Html, "text/html; charset=utf-8", null, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            throw StorageErrors.Wrap(ex, "update the leaderboard");
        }
    }
}
