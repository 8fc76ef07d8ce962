namespace MRISpineSeg.Pipeline.Handlers;

/// <summary>How a segmentation job ended when it did not throw.</summary>
public enum SegmentScanOutcome
{
    /// <summary>The mask, preview and stats were written by this attempt.</summary>
    Written,

    /// <summary>A mask for the same scan ETag already existed (an earlier or concurrent delivery wrote it): success, nothing rewritten.</summary>
    AlreadyDone,
}
