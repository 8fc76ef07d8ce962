using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Outcomes;

namespace MRISpineSeg.Functions;

/// <summary>A scan landed in <c>scans</c>: validate its header, record <c>queued</c>, send the job (all in <see cref="ScanUploadedHandler"/>).</summary>
public sealed class ScanUploaded(ScanUploadedHandler handler, ILogger<ScanUploaded> logger)
{
    [Function(nameof(ScanUploaded))]
    public async Task<ScanUploadedResult> RunAsync(
        [BlobTrigger("scans/{name}", Source = BlobTriggerSource.EventGrid, Connection = "Storage")] BlobClient blob,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var result = await handler.HandleAsync(blob.Name, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("scans/{BlobName}: {Outcome} (job {JobId})", blob.Name, result.Outcome, result.JobId);
        return result;
    }
}
