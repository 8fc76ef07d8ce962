namespace MRISpineSeg.Pipeline;

/// <summary>Why a pipeline step failed. The reason decides, with <see cref="PipelineException.IsTransient"/>, retry versus dead-letter.</summary>
public enum PipelineErrorReason
{
    /// <summary>A queue message is not JSON, misses a field, or carries a schema version this build does not read.</summary>
    InvalidMessage,

    /// <summary>The blob a message or event names does not exist (deleted after upload).</summary>
    BlobMissing,

    /// <summary>The blob was overwritten after the job was queued: its ETag no longer matches the message.</summary>
    BlobSuperseded,

    /// <summary>The blob name does not follow the layout (e.g. a submission outside <c>&lt;team&gt;/&lt;id&gt;.zip</c>).</summary>
    InvalidBlobName,

    /// <summary>An upload is not a usable volume or archive (the inner exception says which field).</summary>
    InvalidUpload,

    /// <summary>The message was delivered more times than allowed without being completed.</summary>
    MaxDeliveryCountExceeded,

    /// <summary>The lease (Service Bus lock or queue visibility) was lost while working; another delivery will follow.</summary>
    LeaseLost,

    /// <summary>A storage or messaging service did not answer or answered with a retryable status.</summary>
    ServiceUnavailable,

    /// <summary>Configuration is missing or contradictory (the message names the setting).</summary>
    Configuration,

    /// <summary>A caller asked to read or list the private ground truth, which only the scorer reads.</summary>
    PrivateData,
}
