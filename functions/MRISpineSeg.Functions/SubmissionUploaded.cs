using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Outcomes;

namespace MRISpineSeg.Functions;

/// <summary>A zip landed in <c>submissions/&lt;team&gt;/&lt;id&gt;.zip</c>: score it, write <c>scores/…</c>, update the leaderboard.</summary>
public sealed class SubmissionUploaded(ScoreSubmissionHandler handler, ILogger<SubmissionUploaded> logger)
{
    [Function(nameof(SubmissionUploaded))]
    public async Task<ScoreSubmissionResult> RunAsync(
        [BlobTrigger("submissions/{name}", Source = BlobTriggerSource.EventGrid, Connection = "Storage")] BlobClient blob,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var result = await handler.HandleAsync(blob.Name, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("submissions/{BlobName}: {Outcome} (challenge mean {Mean})", blob.Name, result.Outcome, result.ChallengeMean);
        return result;
    }
}
