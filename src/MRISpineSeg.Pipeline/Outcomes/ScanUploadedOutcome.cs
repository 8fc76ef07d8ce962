namespace MRISpineSeg.Pipeline.Outcomes;

/// <summary>What the upload handler did with one blob event.</summary>
public enum ScanUploadedOutcome
{
    /// <summary>A new job was recorded and sent.</summary>
    Queued,

    /// <summary>The event repeated one already handled (same blob and ETag): nothing was sent.</summary>
    Duplicate,

    /// <summary>The upload is not a usable scan: <c>masks/&lt;name&gt;.error.json</c> was written and the status is failed.</summary>
    Rejected,

    /// <summary>The blob was gone before it could be read (deleted right after upload): nothing to do.</summary>
    Vanished,
}
