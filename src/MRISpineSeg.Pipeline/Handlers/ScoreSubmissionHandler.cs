using Azure.Storage.Blobs.Models;
using Azure;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Failures;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Telemetry;

namespace MRISpineSeg.Pipeline.Handlers;

/// <summary>
/// A zip landed in <c>submissions/&lt;team&gt;/&lt;id&gt;.zip</c>: score it against the private ground truth, write
/// <c>scores/&lt;team&gt;/&lt;id&gt;.json</c> and <c>.html</c> (the JSON last, with the challenge mean in its metadata),
/// then add it to <c>leaderboard/leaderboard.json</c> by read–update–conditional-write on the blob's ETag, so
/// concurrent scorings never drop each other's rows, and re-render <c>leaderboard.html</c>. A submission the scorer refuses (hostile zip, missing cases, bad labels) gets
/// <c>scores/&lt;team&gt;/&lt;id&gt;.error.json</c> instead, as does a scored one the leaderboard refuses (then beside its
/// score); only infrastructure failures throw.
/// </summary>
public sealed class ScoreSubmissionHandler(PipelineStorage storage, ISubmissionScorer scorer, GroundTruthCache truth, PipelineSettings options, ILogger<ScoreSubmissionHandler> logger)
{
    public async Task<ScoreSubmissionResult> HandleAsync(string blobName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        using var activity = JobSpans.StartStage(TelemetryStages.Score);
        activity?.SetTag(PipelineTelemetry.BlobNameAttribute, blobName);
        SubmissionName name;
        try
        {
            name = BlobLayout.ParseSubmission(blobName);
        }
        catch (PipelineException ex)
        {
            // Not <team>/<id>.zip: nothing is read under the name, and the sender still gets a report, under a name
            // derived from (not built from) theirs, with the layout that would be accepted.
            logger.LogWarning("Rejected submissions/{BlobName}: {Error}", blobName, ex.Message);
            var report = new ErrorReport($"{ContainerNames.Submissions}/{blobName}", string.Empty, null, ex.Reason.ToString(), ex.Message, "score", DateTimeOffset.UtcNow);
            await storage.WriteAsync(ContainerNames.Scores, BlobLayout.RejectedSubmissionErrorName(blobName), report.ToJson(), "application/json", null, cancellationToken).ConfigureAwait(false);
            PipelineMetrics.RecordFailure("score", report.Reason);
            return new ScoreSubmissionResult(ScoreSubmissionOutcome.Rejected, Reason: ex.Message);
        }

        var blob = storage.Container(ContainerNames.Submissions).GetBlobClient(blobName);
        var props = await storage.TryGetPropertiesAsync(ContainerNames.Submissions, blobName, cancellationToken).ConfigureAwait(false);
        if (props is null) return new ScoreSubmissionResult(ScoreSubmissionOutcome.Vanished);

        var etag = props.ETag.ToString().Trim('"');
        if (await AlreadyScoredAsync(name, etag, cancellationToken).ConfigureAwait(false))
            return new ScoreSubmissionResult(ScoreSubmissionOutcome.Duplicate);
        var metadata = new Dictionary<string, string> { [BlobLayout.SourceETagMetadata] = etag };
        if (props.ContentLength > options.MaxSubmissionBytes)
            return await RejectAsync(name, etag, nameof(PipelineErrorReason.InvalidUpload), $"submissions/{blobName}: {props.ContentLength} bytes is over the limit of {options.MaxSubmissionBytes} bytes (setting MaxSubmissionBytes)", metadata, cancellationToken).ConfigureAwait(false);

        // Ground truth first: without it the submission is retried later, and a zip of up to MaxSubmissionBytes
        // need not be downloaded for nothing on every retry.
        var truthCount = await truth.SyncAsync(cancellationToken).ConfigureAwait(false);
        if (truthCount == 0)
            throw new PipelineException(PipelineErrorReason.ServiceUnavailable, $"the ground-truth container holds no volumes yet; submissions/{blobName} will be scored once it is loaded");

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
            catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
            {
                throw StorageErrors.Wrap(ex, $"download submissions/{blobName}");
            }

            SubmissionScore score;
            try
            {
                await using var zip = new FileStream(tmp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                score = await scorer.ScoreAsync(zip, truth.Directory, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && FailurePolicy.Decide(ex) is { Kind: RetryKind.Permanent } d)
            {
                return await RejectAsync(name, etag, d.Reason, ex.Message, metadata, cancellationToken).ConfigureAwait(false);
            }

            metadata[BlobLayout.ChallengeMeanMetadata] = score.ChallengeMean?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "null";
            metadata[BlobLayout.CaseCountMetadata] = score.CaseCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // The score JSON is written last: with the board entry (or the report saying why there is none) before it,
            // "the score JSON of this upload exists" means "finished", and a fault anywhere earlier leaves the upload
            // to be scored again. The board recognises the same upload by its ETag, so the retry adds no second row.
            await storage.WriteAsync(ContainerNames.Scores, BlobLayout.ScoreHtmlName(name), score.ReportHtml, "text/html; charset=utf-8", metadata, cancellationToken).ConfigureAwait(false);
            if (score.OrganiserMetricsJson is { } full)
                await storage.WriteAsync(ContainerNames.ScoresPrivate, BlobLayout.ScoreJsonName(name), full, "application/json", metadata, cancellationToken).ConfigureAwait(false);
            string? notRanked = null;
            try
            {
                await UpdateLeaderboardAsync(name, etag, score, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && FailurePolicy.Decide(ex) is { Kind: RetryKind.Permanent } d)
            {
                // Scored but not rankable (no challenge score, an id already on the board, an unreadable board file):
                // the score stays, and the error report says why it is not on the leaderboard.
                logger.LogWarning("Submission {Team}/{Id} scored but not ranked: {Message}", name.Team, name.Id, ex.Message);
                await WriteErrorReportAsync(name, etag, d.Reason, $"scored, but not added to the leaderboard: {ex.Message}", "leaderboard", metadata, cancellationToken).ConfigureAwait(false);
                notRanked = $"{d.Reason}: {ex.Message}";
            }

            await storage.WriteAsync(ContainerNames.Scores, BlobLayout.ScoreJsonName(name), score.MetricsJson, "application/json", metadata, cancellationToken).ConfigureAwait(false);
            if (notRanked is not null) return new ScoreSubmissionResult(ScoreSubmissionOutcome.Scored, score.ChallengeMean, notRanked);

            logger.LogInformation("Scored submissions/{BlobName}: challenge mean Dice {Mean} over {Cases} cases", blobName, score.ChallengeMean, score.CaseCount);
            return new ScoreSubmissionResult(ScoreSubmissionOutcome.Scored, score.ChallengeMean);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <summary>
    /// Records a submission whose scoring kept failing (bounded attempts used up) or failed for good outside the
    /// scorer: <c>scores/&lt;team&gt;/&lt;id&gt;.error.json</c> for that upload's ETag, so the team learns why.
    /// </summary>
    public async Task RecordGiveUpAsync(string blobName, string etag, string reason, string message, CancellationToken cancellationToken = default)
    {
        SubmissionName name;
        try
        {
            name = BlobLayout.ParseSubmission(blobName);
        }
        catch (PipelineException)
        {
            return; // a name outside <team>/<id>.zip has no place for a report; HandleAsync logged it
        }

        var source = etag.Trim('"');
        var metadata = new Dictionary<string, string> { [BlobLayout.SourceETagMetadata] = source };
        await WriteErrorReportAsync(name, source, reason, $"submissions/{blobName}: {message}", "score", metadata, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Finished means this upload's score JSON (written only after its leaderboard entry) or its error report exists;
    /// a score HTML alone, or a board entry alone, is an interrupted attempt and is done again.
    /// </summary>
    private async Task<bool> AlreadyScoredAsync(SubmissionName name, string etag, CancellationToken cancellationToken)
    {
        foreach (var output in new[] { BlobLayout.ScoreJsonName(name), BlobLayout.ScoreErrorName(name) })
        {
            var p = await storage.TryGetPropertiesAsync(ContainerNames.Scores, output, cancellationToken).ConfigureAwait(false);
            if (p is not null && p.Metadata.TryGetValue(BlobLayout.SourceETagMetadata, out var e) && e == etag) return true;
        }

        return false;
    }

    private async Task<ScoreSubmissionResult> RejectAsync(SubmissionName name, string etag, string reason, string message, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        logger.LogWarning("Submission {Team}/{Id} rejected: {Reason}: {Message}", name.Team, name.Id, reason, message);
        await WriteErrorReportAsync(name, etag, reason, message, "score", metadata, cancellationToken).ConfigureAwait(false);
        return new ScoreSubmissionResult(ScoreSubmissionOutcome.Rejected, Reason: $"{reason}: {message}");
    }

    /// <summary><c>scores/&lt;team&gt;/&lt;id&gt;.error.json</c>: why a submission was refused, or scored but not ranked (<paramref name="stage"/>).</summary>
    private async Task WriteErrorReportAsync(SubmissionName name, string etag, string reason, string message, string stage, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var report = new ErrorReport($"{ContainerNames.Submissions}/{name.BlobName}", etag, null, reason, message, stage, DateTimeOffset.UtcNow);
        await storage.WriteAsync(ContainerNames.Scores, BlobLayout.ScoreErrorName(name), report.ToJson(), "application/json", metadata, cancellationToken).ConfigureAwait(false);
        PipelineMetrics.RecordFailure(stage, reason);
    }

    private async Task UpdateLeaderboardAsync(SubmissionName name, string source, SubmissionScore score, CancellationToken cancellationToken)
    {
        var board = storage.Container(ContainerNames.Leaderboard);
        var json = board.GetBlobClient(BlobLayout.LeaderboardJson);
        var submittedAt = DateTimeOffset.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                ETag? etag = null;
                LeaderboardDocuments docs;
                try
                {
                    var current = await json.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    etag = current.Value.Details.ETag;
                    await using var content = current.Value.Content;
                    docs = await scorer.UpdateLeaderboardAsync(content, name.Team, name.Id, source, score, submittedAt, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    docs = await scorer.UpdateLeaderboardAsync(null, name.Team, name.Id, source, score, submittedAt, cancellationToken).ConfigureAwait(false);
                }

                var conditions = etag is { } e ? new BlobRequestConditions { IfMatch = e } : new BlobRequestConditions { IfNoneMatch = ETag.All };
                await json.UploadAsync(new BinaryData(docs.Json), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" }, Conditions = conditions }, cancellationToken).ConfigureAwait(false);
                await storage.WriteAsync(ContainerNames.Leaderboard, BlobLayout.LeaderboardHtml, docs.Html, "text/html; charset=utf-8", null, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 10)
            {
                // Another scoring changed the board between our read and write: read it again and re-apply.
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
            {
                throw StorageErrors.Wrap(ex, "update the leaderboard");
            }
        }
    }
}
