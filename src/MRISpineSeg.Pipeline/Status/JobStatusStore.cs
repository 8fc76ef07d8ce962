using MRISpineSeg.Pipeline.Storage;
using Azure;
using Azure.Data.Tables;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Pipeline.Status;

/// <summary>
/// Job status in Azure Table Storage, table <c>jobs</c>: one row per job, PartitionKey = job id, RowKey = "".
/// <see cref="TryCreateQueuedAsync"/> is the only insert and is atomic, which is what makes a repeated upload event
/// a no-op. Later transitions merge fields, so a late writer never erases timings another wrote.
/// </summary>
public sealed class JobStatusStore
{
    private const string RowKey = "";
    private readonly TableClient _table;

    public JobStatusStore(TableServiceClient service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = service.GetTableClient(TableNames.Jobs);
    }

    /// <summary>Inserts a <c>queued</c> row; false (and nothing written) when the job already has one.</summary>
    public async Task<bool> TryCreateQueuedAsync(JobMessage job, CancellationToken cancellationToken = default)
    {
        var e = new TableEntity(job.JobId, RowKey)
        {
            ["State"] = nameof(JobState.Queued),
            ["BlobName"] = job.BlobName,
            ["ETag"] = job.ETag,
            ["ModelId"] = job.ModelId,
            ["QueuedAt"] = job.EnqueuedAt,
            ["Sent"] = false,
            ["Attempts"] = 0,
        };
        try
        {
            await _table.AddEntityAsync(e, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"record job {job.JobId}");
        }
    }

    /// <summary>Records that the job message reached the queue.</summary>
    public Task MarkSentAsync(string jobId, CancellationToken cancellationToken = default)
        => MergeAsync(jobId, new TableEntity(jobId, RowKey) { ["Sent"] = true }, cancellationToken);

    /// <summary>
    /// Claims the job for this attempt before any work: an ETag-conditional update of its row to <c>running</c>, so of
    /// several deliveries racing for one job exactly one wins. Refused (false) when another attempt is running and
    /// started less than <paramref name="lease"/> ago under another <paramref name="claimant"/> (another message for the
    /// same job: a duplicate, or a second host's), or when the job already succeeded. A claim by the same message is
    /// its own earlier delivery, which lost its lease or died, and a claim older than the lease is stale: both are taken
    /// over. Creates the row if the upload side never wrote one.
    /// </summary>
    public async Task<bool> TryClaimAsync(JobMessage job, string claimant, int attempt, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        for (var round = 0; round < 5; round++)
        {
            NullableResponse<TableEntity> current;
            try
            {
                current = await _table.GetEntityIfExistsAsync<TableEntity>(job.JobId, RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
            {
                throw StorageErrors.Wrap(ex, $"claim job {job.JobId}");
            }

            var running = Running(job, attempt, now);
            running["ClaimedBy"] = claimant;
            try
            {
                if (!current.HasValue || current.Value is null)
                {
                    await _table.AddEntityAsync(running, cancellationToken).ConfigureAwait(false);
                    return true;
                }

                var e = current.Value;
                var state = e.GetString("State");
                if (state == nameof(JobState.Succeeded)) return false;
                if (state == nameof(JobState.Running) && e.GetString("ClaimedBy") is { Length: > 0 } holder && holder != claimant
                    && e.GetDateTimeOffset("StartedAt") is { } started && now - started < lease)
                    return false;
                await _table.UpdateEntityAsync(running, e.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another delivery wrote the row between our read and our write: read it again and decide again.
            }
            catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
            {
                throw StorageErrors.Wrap(ex, $"claim job {job.JobId}");
            }
        }

        return false;
    }

    private static TableEntity Running(JobMessage job, int attempt, DateTimeOffset startedAt) => new(job.JobId, RowKey)
    {
        ["State"] = nameof(JobState.Running),
        ["BlobName"] = job.BlobName,
        ["ETag"] = job.ETag,
        ["ModelId"] = job.ModelId,
        ["QueuedAt"] = job.EnqueuedAt,
        ["Sent"] = true,
        ["Attempts"] = attempt,
        ["StartedAt"] = startedAt,
        ["Reason"] = string.Empty, // merge cannot delete a property; empty reads back as null
    };

    /// <summary>Records an attempt starting, unconditionally; creates the row if the upload side never wrote one.</summary>
    public Task MarkRunningAsync(JobMessage job, int attempt, DateTimeOffset startedAt, CancellationToken cancellationToken = default)
        => MergeAsync(job.JobId, Running(job, attempt, startedAt), cancellationToken);

    /// <summary>Marks the job done; <paramref name="orientation"/> and <paramref name="reorientation"/> are recorded when this attempt segmented the scan.</summary>
    public Task MarkSucceededAsync(string jobId, JobTimings timings, string maskBlob, CancellationToken cancellationToken = default, string? orientation = null, string? reorientation = null)
    {
        var entity = new TableEntity(jobId, RowKey)
        {
            ["State"] = nameof(JobState.Succeeded),
            ["FinishedAt"] = DateTimeOffset.UtcNow,
            ["DownloadMs"] = timings.DownloadMs,
            ["SegmentMs"] = timings.SegmentMs,
            ["UploadMs"] = timings.UploadMs,
            ["TotalMs"] = timings.TotalMs,
            ["MaskBlob"] = maskBlob,
            ["Reason"] = string.Empty, // merge cannot delete a property; empty reads back as null
        };
        if (orientation is not null) entity["Orientation"] = orientation;
        if (reorientation is not null) entity["Reorientation"] = reorientation;
        return MergeAsync(jobId, entity, cancellationToken);
    }

    /// <summary>Marks the job failed for good. <paramref name="blobName"/> fills the row if none existed (a bad upload).</summary>
    public Task MarkFailedAsync(string jobId, string blobName, string reason, CancellationToken cancellationToken = default)
        => MergeAsync(jobId, new TableEntity(jobId, RowKey)
        {
            ["State"] = nameof(JobState.Failed),
            ["BlobName"] = blobName,
            ["FinishedAt"] = DateTimeOffset.UtcNow,
            ["Reason"] = reason,
        }, cancellationToken);

    /// <summary>Puts a job back to queued after a transient failure, keeping the reason so a person sees the retry.</summary>
    public Task MarkRetryingAsync(string jobId, string reason, CancellationToken cancellationToken = default)
        => MergeAsync(jobId, new TableEntity(jobId, RowKey)
        {
            ["State"] = nameof(JobState.Queued),
            ["Reason"] = "retrying after: " + reason,
        }, cancellationToken);

    /// <summary>The job's status, or null when no such job was recorded.</summary>
    public async Task<JobStatus?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        NullableResponse<TableEntity> r;
        try
        {
            r = await _table.GetEntityIfExistsAsync<TableEntity>(jobId, RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"read job {jobId}");
        }

        if (!r.HasValue || r.Value is null) return null;
        var e = r.Value;
        return new JobStatus
        {
            JobId = jobId,
            State = Enum.Parse<JobState>(e.GetString("State") ?? nameof(JobState.Queued)),
            BlobName = e.GetString("BlobName") ?? string.Empty,
            ETag = e.GetString("ETag"),
            ModelId = e.GetString("ModelId"),
            Reason = string.IsNullOrEmpty(e.GetString("Reason")) ? null : e.GetString("Reason"),
            Attempts = e.GetInt32("Attempts") ?? 0,
            Sent = e.GetBoolean("Sent") ?? false,
            QueuedAt = e.GetDateTimeOffset("QueuedAt"),
            StartedAt = e.GetDateTimeOffset("StartedAt"),
            FinishedAt = e.GetDateTimeOffset("FinishedAt"),
            DownloadMs = e.GetDouble("DownloadMs"),
            SegmentMs = e.GetDouble("SegmentMs"),
            UploadMs = e.GetDouble("UploadMs"),
            TotalMs = e.GetDouble("TotalMs"),
            Orientation = e.GetString("Orientation"),
            Reorientation = e.GetString("Reorientation"),
            MaskBlob = e.GetString("MaskBlob"),
        };
    }

    private Task MergeAsync(string jobId, TableEntity entity, CancellationToken cancellationToken)
        => Call(() => _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken), $"update job {jobId}");

    private static async Task Call<T>(Func<Task<T>> call, string what)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"job status: {what}");
        }
    }
}
