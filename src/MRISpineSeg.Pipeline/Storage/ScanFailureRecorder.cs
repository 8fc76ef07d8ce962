using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Telemetry;

namespace MRISpineSeg.Pipeline.Storage;

/// <summary>
/// How a scan's job ends in failure, wherever it fails (the upload check or the worker): <c>masks/&lt;name&gt;.error.json</c>
/// with the reason and the stage, then the job marked failed. One shape for both stages, so whoever polls the
/// status or lists the masks container sees the same thing.
/// </summary>
internal sealed class ScanFailureRecorder(PipelineStorage storage)
{
    private readonly JobStatusStore _status = storage.JobStatus();

    /// <summary>Writes the error report, then marks the job failed. <c>stage</c> is <c>upload</c> (the header check) or <c>segment</c> (the worker).</summary>
    public async Task RecordAsync(JobMessage job, string stage, string reason, string message, CancellationToken cancellationToken)
    {
        var report = new ErrorReport($"{ContainerNames.Scans}/{job.BlobName}", job.ETag, job.JobId, reason, message, stage, DateTimeOffset.UtcNow);
        await storage.WriteAsync(ContainerNames.Masks, BlobLayout.ScanErrorName(job.BlobName), report.ToJson(), "application/json", BlobLayout.JobMetadata(job), cancellationToken).ConfigureAwait(false);
        await _status.MarkFailedAsync(job.JobId, job.BlobName, $"{reason}: {message}", cancellationToken).ConfigureAwait(false);
        PipelineMetrics.RecordFailure(stage, reason);
    }
}
