using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Telemetry;

namespace MRISpineSeg.Pipeline.Handlers;

/// <summary>
/// The worker's job: read exactly the queued version of a scan, segment it, and write
/// <c>masks/&lt;name&gt;.nii.gz</c> with the preview and stats beside it.
/// Idempotent: the mask is written last, with the scan's ETag in its metadata, and conditionally (create-only, or
/// replace-only-that-version), so an existing mask for the same ETag means success and a concurrent duplicate loses
/// the race without writing a second time. Failures are thrown; <see cref="JobDeliverySettler"/> decides retry or dead-letter.
/// </summary>
public sealed class SegmentScanHandler(PipelineStorage storage, IScanSegmenter segmenter, PipelineSettings options, ILogger<SegmentScanHandler> logger)
{
    private readonly JobStatusStore _status = storage.JobStatus();
    private readonly ScanOutputs _outputs = new(storage);

    /// <summary>
    /// Segments the job's scan and writes its outputs, after claiming the job (<see cref="JobStatusStore.TryClaimAsync"/>).
    /// <paramref name="claimant"/> is the delivering message's id: deliveries of one message may take each other's
    /// claim, other messages for the same job may not.
    /// </summary>
    public async Task<SegmentScanOutcome> HandleAsync(JobMessage job, int attempt, CancellationToken cancellationToken = default, string? claimant = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var masks = storage.Container(ContainerNames.Masks);
        var maskName = BlobLayout.MaskName(job.BlobName);
        var mask = masks.GetBlobClient(maskName);
        var existing = await ExistingMaskAsync(mask, cancellationToken).ConfigureAwait(false);
        if (existing is not null && SameSource(existing, job))
        {
            logger.LogInformation("Job {JobId}: masks/{Mask} already holds this scan version; nothing to do", job.JobId, maskName);
            var status = await _status.GetAsync(job.JobId, cancellationToken).ConfigureAwait(false);
            if (status?.State != JobState.Succeeded)
                await _status.MarkSucceededAsync(job.JobId, new JobTimings(0, 0, 0, 0), maskName, cancellationToken).ConfigureAwait(false);
            return SegmentScanOutcome.AlreadyDone;
        }

        // The status and outputs name the model that runs here; the upload side cannot know it (its ModelId is a default).
        var ran = job with { ModelId = segmenter.ModelId };
        var total = Stopwatch.StartNew();
        if (!await _status.TryClaimAsync(ran, claimant ?? job.JobId, attempt, DateTimeOffset.UtcNow, options.Lease, cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("Job {JobId}: another delivery holds the claim (or it is done); this one does no work", job.JobId);
            return SegmentScanOutcome.ClaimedElsewhere;
        }


        var sw = Stopwatch.StartNew();
        MemoryStream scan;
        using (JobSpans.StartStage(TelemetryStages.Download))
            scan = await DownloadScanAsync(job, cancellationToken).ConfigureAwait(false);
        using var scanOwner = scan;
        var downloadMs = sw.Elapsed.TotalMilliseconds;
        CheckGrid(job, scan); // the upload check did this too; a job queued before a lower limit was set is caught here

        sw.Restart();
        var result = await segmenter.SegmentAsync(scan, job.BlobName, cancellationToken).ConfigureAwait(false);
        var segmentMs = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var written = await WriteOutputsAsync(job, ran, result, mask, existing, cancellationToken).ConfigureAwait(false);
        var uploadMs = sw.Elapsed.TotalMilliseconds;
        if (await _outputs.CurrentETagAsync(job.BlobName, cancellationToken).ConfigureAwait(false) is { } after && after != job.ETag)
        {
            // Overwritten while we wrote: what we wrote speaks for an old version; take it back (conditionally).
            await _outputs.RemoveMadeFromAsync(job.BlobName, job.ETag, cancellationToken).ConfigureAwait(false);
            throw Superseded(job);
        }

        if (written) PipelineMetrics.RecordSegmented(segmenter.ModelId, result.InferenceMs);
        var timings = new JobTimings(downloadMs, segmentMs, uploadMs, total.Elapsed.TotalMilliseconds);
        await _status.MarkSucceededAsync(job.JobId, timings, maskName, cancellationToken, result.Orientation, result.Reorientation).ConfigureAwait(false);
        logger.LogInformation(
            "Job {JobId}: wrote masks/{Mask} in {TotalMs:F0} ms (download {DownloadMs:F0}, segment {SegmentMs:F0} of which inference {InferenceMs:F0}, upload {UploadMs:F0}); scan stored {Orientation}, reoriented {Reorientation}",
            job.JobId, maskName, timings.TotalMs, downloadMs, segmentMs, result.InferenceMs, uploadMs, result.Orientation, result.Reorientation);
        return written ? SegmentScanOutcome.Written : SegmentScanOutcome.AlreadyDone;
    }

    /// <summary>Preview and stats, then the mask (last, conditionally): the <see cref="TelemetryStages.Write"/> stage. False when another delivery wrote the same version first.</summary>
    private async Task<bool> WriteOutputsAsync(JobMessage job, JobMessage ran, ScanSegmentation result, Azure.Storage.Blobs.BlobClient mask, BlobProperties? existing, CancellationToken cancellationToken)
    {
        using var span = JobSpans.StartStage(TelemetryStages.Write);
        if (await _outputs.CurrentETagAsync(job.BlobName, cancellationToken).ConfigureAwait(false) is { } before && before != job.ETag)
            throw Superseded(job);
        var metadata = BlobLayout.JobMetadata(ran);
        await storage.WriteAsync(ContainerNames.Masks, BlobLayout.PreviewName(job.BlobName), result.PreviewPng, "image/png", metadata, cancellationToken).ConfigureAwait(false);
        await storage.WriteAsync(ContainerNames.Masks, BlobLayout.StatsName(job.BlobName), result.StatsJson, "application/json", metadata, cancellationToken).ConfigureAwait(false);
        return await WriteMaskAsync(mask, existing, result.MaskNiftiGz, metadata, job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses, from the header alone, a scan whose grid is over <see cref="PipelineSettings.MaxScanVoxels"/>.</summary>
    private void CheckGrid(JobMessage job, MemoryStream scan)
    {
        Imaging.Volumes.Shape3 shape;
        try
        {
            shape = Imaging.VolumeIO.ReadHeader(scan, job.BlobName).Shape;
        }
        catch (Imaging.VolumeFormatException)
        {
            return; // the full read reports what is wrong with the file
        }
        finally
        {
            scan.Position = 0;
        }

        if (options.ScanGridTooLarge(job.BlobName, shape) is { } tooBig)
            throw new Imaging.VolumeFormatException(Imaging.VolumeErrorReason.TooLarge, job.BlobName, "dim", tooBig);
    }

    private static PipelineException Superseded(JobMessage job)
        => new(PipelineErrorReason.BlobSuperseded, $"scans/{job.BlobName}: the scan was overwritten after job {job.JobId} was queued (ETag {job.ETag}); the new upload has its own job");

    /// <summary>True when the mask for exactly this scan version is already written (the job needs no more work).</summary>
    public async Task<bool> IsDoneAsync(JobMessage job, CancellationToken cancellationToken = default)
    {
        var mask = await ExistingMaskAsync(storage.Container(ContainerNames.Masks).GetBlobClient(BlobLayout.MaskName(job.BlobName)), cancellationToken).ConfigureAwait(false);
        return mask is not null && SameSource(mask, job);
    }

    private static bool SameSource(BlobProperties mask, JobMessage job)
        => mask.Metadata.TryGetValue(BlobLayout.SourceETagMetadata, out var e) && string.Equals(e, job.ETag.Trim('"'), StringComparison.Ordinal);

    private Task<BlobProperties?> ExistingMaskAsync(Azure.Storage.Blobs.BlobClient mask, CancellationToken cancellationToken)
        => storage.TryGetPropertiesAsync(ContainerNames.Masks, mask.Name, cancellationToken);

    /// <summary>Downloads the queued version into memory (a scan is tens of MB); a changed or deleted blob is a permanent failure.</summary>
    private async Task<MemoryStream> DownloadScanAsync(JobMessage job, CancellationToken cancellationToken)
    {
        if (options.ScanTooLarge(job.BlobName, job.Length) is { } tooLarge)
            throw new PipelineException(PipelineErrorReason.InvalidUpload, tooLarge);
        var blob = storage.Container(ContainerNames.Scans).GetBlobClient(job.BlobName);
        try
        {
            var buffer = new MemoryStream(checked((int)Math.Max(job.Length, 0)));
            await blob.DownloadToAsync(buffer, new BlobDownloadToOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(job.ETag) } }, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            return buffer;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // A conditional read of a deleted blob may answer 412 (Azurite) rather than 404: look before naming it.
            var exists = ex.Status == 412 && (await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
            throw exists
                ? Superseded(job)
                : new PipelineException(PipelineErrorReason.BlobMissing, $"scans/{job.BlobName}: the scan was deleted after job {job.JobId} was queued");
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"download scans/{job.BlobName}");
        }
    }

    /// <summary>Create-only when no mask exists, replace-only-the-version-we-saw otherwise; losing the race to the same ETag is success.</summary>
    private async Task<bool> WriteMaskAsync(Azure.Storage.Blobs.BlobClient mask, BlobProperties? existing, byte[] content, Dictionary<string, string> metadata, JobMessage job, CancellationToken cancellationToken)
    {
        var conditions = existing is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = existing.ETag };
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/gzip" },
            Metadata = metadata,
            Conditions = conditions,
        };
        try
        {
            await mask.UploadAsync(new BinaryData(content), options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var now = await ExistingMaskAsync(mask, cancellationToken).ConfigureAwait(false);
            if (now is not null && SameSource(now, job))
            {
                logger.LogInformation("Job {JobId}: another delivery wrote masks/{Mask} first; keeping it", job.JobId, mask.Name);
                return false;
            }

            throw new PipelineException(PipelineErrorReason.ServiceUnavailable, $"masks/{mask.Name}: changed by another writer while job {job.JobId} ran; will retry", ex);
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"write masks/{mask.Name}");
        }
    }
}
