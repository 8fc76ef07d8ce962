namespace MRISpineSeg.Pipeline.Status;

/// <summary>
/// What <c>GET /api/jobs/{id}</c> returns. Times are UTC; durations are milliseconds of wall time
/// (download of the scan, segmentation including pre/post-processing, upload of the outputs, and the whole attempt).
/// </summary>
public sealed record JobStatus
{
    public required string JobId { get; init; }

    public required JobState State { get; init; }

    public required string BlobName { get; init; }

    public string? ETag { get; init; }

    public string? ModelId { get; init; }

    /// <summary>Why the job failed, or why it is being retried; null when all is well.</summary>
    public string? Reason { get; init; }

    /// <summary>Worker attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Whether the job message reached the queue (false only between the queued record and the send).</summary>
    public bool Sent { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public double? DownloadMs { get; init; }

    public double? SegmentMs { get; init; }

    public double? UploadMs { get; init; }

    public double? TotalMs { get; init; }

    /// <summary>The scan's axis codes as stored (e.g. <c>RAS</c>), once segmented.</summary>
    public string? Orientation { get; init; }

    /// <summary>The permutation and flips that brought the scan to the model's axis codes (and the labels back), once segmented.</summary>
    public string? Reorientation { get; init; }

    /// <summary>Blob name of the mask (in <c>masks</c>) once succeeded.</summary>
    public string? MaskBlob { get; init; }
}
