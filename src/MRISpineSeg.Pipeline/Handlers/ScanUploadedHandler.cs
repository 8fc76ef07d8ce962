using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Status;
using MRISpineSeg.Pipeline.Storage;
using MRISpineSeg.Segmentation.Preprocessing;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Telemetry;

namespace MRISpineSeg.Pipeline.Handlers;

/// <summary>
/// A blob landed in <c>scans</c>: check its name and header (only the first <see cref="PipelineSettings.HeaderProbeBytes"/>
/// bytes are read), record the job as queued, and send it. Safe to call any number of times for the same event:
/// the job id is derived from name and ETag and the queued record is an atomic insert, so a repeat sends nothing
/// (unless the earlier call died between recording and sending, in which case the job is sent now).
/// A bad upload writes <c>masks/&lt;name&gt;.error.json</c> and a failed status; it never throws for bad content.
/// </summary>
public sealed class ScanUploadedHandler(PipelineStorage storage, IJobQueue queue, PipelineSettings options, ILogger<ScanUploadedHandler> logger)
{
    /// <summary>The ETag recorded for a scan whose name is refused before its blob is looked at (it has none we read).</summary>
    private const string UnsafeNameETag = "\"not-read:unsafe-name\"";

    private readonly JobStatusStore _status = storage.JobStatus();
    private readonly ScanFailureRecorder _failures = new(storage);
    private readonly ScanOutputs _outputs = new(storage);

    public async Task<ScanUploadedResult> HandleAsync(string blobName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        using var activity = JobSpans.StartUploadCheck(blobName);
        if (BlobLayout.PathProblem(blobName) is { } unsafeName)
        {
            // A name such as ../ground-truth/mask_case1.nii.gz would reach another container through the blob URL:
            // nothing is read or written under it. Only a status and a report under a name of our choosing.
            var rejected = JobSpans.Carry(JobMessage.Create(blobName, UnsafeNameETag, 0, options.ModelId, DateTimeOffset.UtcNow));
            var message = $"scans/{blobName}: {unsafeName}";
            await RejectAsync(rejected, nameof(PipelineErrorReason.InvalidBlobName), message, cancellationToken).ConfigureAwait(false);
            return new ScanUploadedResult(ScanUploadedOutcome.Rejected, rejected.JobId, message);
        }

        var blob = storage.Container(ContainerNames.Scans).GetBlobClient(blobName);
        var props = await storage.TryGetPropertiesAsync(ContainerNames.Scans, blobName, cancellationToken).ConfigureAwait(false);
        if (props is null)
        {
            logger.LogWarning("Scan {BlobName} vanished before it could be validated; nothing queued", blobName);
            return new ScanUploadedResult(ScanUploadedOutcome.Vanished, null);
        }

        var etag = props.ETag.ToString();
        // The job carries this span's trace context, so the worker's spans join this trace (docs/design.md §10).
        var job = JobSpans.Carry(JobMessage.Create(blobName, etag, props.ContentLength, options.ModelId, DateTimeOffset.UtcNow));
        var problem = await ValidateAsync(blob, job, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            await RejectAsync(job, problem.Value.Reason, problem.Value.Message, cancellationToken).ConfigureAwait(false);
            return new ScanUploadedResult(ScanUploadedOutcome.Rejected, job.JobId, problem.Value.Message);
        }

        if (!await _status.TryCreateQueuedAsync(job, cancellationToken).ConfigureAwait(false))
        {
            var existing = await _status.GetAsync(job.JobId, cancellationToken).ConfigureAwait(false);
            if (existing is null || existing.Sent || existing.State != JobState.Queued)
            {
                logger.LogInformation("Scan {BlobName} ({ETag}) is already job {JobId}; duplicate event ignored", blobName, etag, job.JobId);
                return new ScanUploadedResult(ScanUploadedOutcome.Duplicate, job.JobId);
            }

            logger.LogWarning("Job {JobId} was recorded but never sent; sending it now", job.JobId);
        }

        await queue.SendAsync(job, cancellationToken).ConfigureAwait(false);
        await _status.MarkSentAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        await RemoveStaleOutputsAsync(job, cancellationToken).ConfigureAwait(false); // the old version's mask or error no longer speaks for this scan
        logger.LogInformation("Queued job {JobId} for scan {BlobName} ({Length} bytes) on {Queue}", job.JobId, blobName, props.ContentLength, queue.Name);
        return new ScanUploadedResult(ScanUploadedOutcome.Queued, job.JobId);
    }

    /// <summary>
    /// Records a scan whose check kept failing (<see cref="Failures.RetryKind.Bounded"/> out of attempts) or failed for
    /// good outside the checks: the same error report and failed status as a rejected upload.
    /// </summary>
    public Task RecordGiveUpAsync(string blobName, string etag, string reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var job = JobMessage.Create(blobName, string.IsNullOrEmpty(etag) ? UnsafeNameETag : etag, 0, options.ModelId, DateTimeOffset.UtcNow);
        return RejectAsync(job, reason, $"scans/{blobName}: {message}", cancellationToken);
    }

    /// <summary>Writes the error blob and a failed status for a scan that will never be segmented.</summary>
    private async Task RejectAsync(JobMessage job, string reason, string message, CancellationToken cancellationToken)
    {
        logger.LogWarning("Rejected scan {BlobName}: {Reason}: {Message}", job.BlobName, reason, message);
        await _failures.RecordAsync(job, "upload", reason, message, cancellationToken).ConfigureAwait(false);
        await RemoveStaleOutputsAsync(job, cancellationToken).ConfigureAwait(false); // a good earlier version's mask must not stand for this bad one
    }

    /// <summary>Removes outputs made from other versions of the scan (only names the layout accepts have outputs).</summary>
    private async Task RemoveStaleOutputsAsync(JobMessage job, CancellationToken cancellationToken)
    {
        try
        {
            BlobLayout.ValidateScanName(job.BlobName);
        }
        catch (PipelineException)
        {
            return;
        }

        var removed = await _outputs.RemoveStaleAsync(job.BlobName, job.ETag, cancellationToken).ConfigureAwait(false);
        if (removed > 0) logger.LogInformation("Scan {BlobName} ({ETag}): removed {Count} output(s) of an earlier version", job.BlobName, job.ETag, removed);
    }

    private async Task<(string Reason, string Message)?> ValidateAsync(Azure.Storage.Blobs.BlobClient blob, JobMessage job, CancellationToken cancellationToken)
    {
        try
        {
            BlobLayout.ValidateScanName(job.BlobName);
        }
        catch (PipelineException ex)
        {
            return (ex.Reason.ToString(), ex.Message);
        }

        if (job.Length == 0) return (nameof(VolumeErrorReason.EmptyFile), $"scans/{job.BlobName}: the blob is empty (0 bytes); upload a NIfTI (.nii, .nii.gz) or MetaImage (.mha) volume");
        if (options.ScanTooLarge(job.BlobName, job.Length) is { } tooLarge)
            return (nameof(PipelineErrorReason.InvalidUpload), tooLarge);

        byte[] head;
        try
        {
            var range = new HttpRange(0, Math.Min(job.Length, options.HeaderProbeBytes));
            var download = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = range, Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = new ETag(job.ETag) } }, cancellationToken).ConfigureAwait(false);
            head = download.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Deleted or overwritten meanwhile: the newer version raises its own event.
            return (nameof(PipelineErrorReason.BlobSuperseded), $"scans/{job.BlobName}: the blob changed or vanished while being validated; the newer upload is handled by its own event");
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"read the header of scans/{job.BlobName}");
        }

        try
        {
            using var s = new MemoryStream(head, writable: false);
            var header = VolumeIO.ReadHeader(s, job.BlobName);
            // The worker brings every scan to the model's axis codes; an affine with no orientation is refused here,
            // before a job is queued, by the same rule (docs/design.md §3).
            ScanOrientation.Of(header.Geometry, header.NiftiHeader, job.BlobName);
            if (options.ScanGridTooLarge(job.BlobName, header.Shape) is { } tooBig) return (nameof(VolumeErrorReason.TooLarge), tooBig);
            return CheckDeclaredSize(job, header);
        }
        catch (VolumeFormatException ex)
        {
            return (ex.Reason.ToString(), ex.Message);
        }
    }

    /// <summary>An uncompressed NIfTI shorter than vox_offset + voxels is truncated; compressed files are checked by the worker's full read.</summary>
    private static (string, string)? CheckDeclaredSize(JobMessage job, VolumeHeaderInfo header)
    {
        if (header.UncompressedNiftiBytes is not { } expected || !job.BlobName.EndsWith(".nii", StringComparison.OrdinalIgnoreCase)) return null;
        return job.Length < expected
            ? (nameof(VolumeErrorReason.TruncatedData), $"scans/{job.BlobName}: voxel data: the file has {job.Length} bytes but its header declares {expected} (vox_offset {header.NiftiHeader!.VoxOffset} + {header.Shape} voxels × {VoxelTypes.SizeOf(header.VoxelType)} bytes); the upload is truncated")
            : null;
    }
}
