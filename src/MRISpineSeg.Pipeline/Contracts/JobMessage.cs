namespace MRISpineSeg.Pipeline.Contracts;

/// <summary>
/// A segmentation job: "segment this exact version of this scan". Serialised as JSON by <see cref="JobMessageCodec"/>.
/// The job id (and the transport's MessageId) is <see cref="JobIds.For"/> of blob name and ETag, so a re-delivered
/// upload event never makes a second job, while a re-upload (new ETag) does.
/// </summary>
/// <param name="SchemaVersion">Message layout version; a reader refuses versions it does not know (dead-letter, never a guess).</param>
/// <param name="JobId">64 lowercase hex characters, SHA-256 of <c>blobName + "\n" + etag</c>.</param>
/// <param name="BlobName">Name inside the <c>scans</c> container, e.g. <c>Case3.nii.gz</c> or <c>site-a/Case3.nii.gz</c>.</param>
/// <param name="ETag">The scan's ETag when the job was queued; the worker reads exactly this version.</param>
/// <param name="Length">The scan's size in bytes when queued.</param>
/// <param name="ModelId">The model the job asks for, e.g. <c>vnet-w16-paddleseg</c>.</param>
/// <param name="EnqueuedAt">When the job was queued (UTC).</param>
public sealed record JobMessage(
    int SchemaVersion,
    string JobId,
    string BlobName,
    string ETag,
    long Length,
    string ModelId,
    DateTimeOffset EnqueuedAt)
{
    /// <summary>
    /// The W3C <c>traceparent</c> of the upload check that queued the job, so the worker's spans join its trace
    /// (<see cref="Telemetry.JobTraceContext"/>). Optional: jobs queued by older builds, or where no one records
    /// traces, carry none and start a new trace.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>; optional.</summary>
    public string? TraceState { get; init; }

    /// <summary>The layout this build writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Builds a version-<see cref="CurrentSchemaVersion"/> message with its content-derived job id.</summary>
    public static JobMessage Create(string blobName, string etag, long length, string modelId, DateTimeOffset enqueuedAt)
        => new(CurrentSchemaVersion, JobIds.For(blobName, etag), blobName, etag, length, modelId, enqueuedAt);
}
