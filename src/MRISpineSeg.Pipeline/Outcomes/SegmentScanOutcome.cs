namespace MRISpineSeg.Pipeline.Outcomes;

/// <summary>How a segmentation job ended when it did not throw.</summary>
public enum SegmentScanOutcome
{
    /// <summary>The mask, preview and stats were written by this attempt.</summary>
    Written,

    /// <summary>A mask for the same scan ETag already existed (an earlier or concurrent delivery wrote it): success, nothing rewritten.</summary>
    AlreadyDone,

    /// <summary>
    /// Another delivery of the same job (a duplicate message, or a second host) holds a fresh claim on it: this one did
    /// no work and is completed; the claimant's own message finishes the job, or comes back if it dies.
    /// </summary>
    ClaimedElsewhere,
}
