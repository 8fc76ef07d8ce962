namespace MRISpineSeg.Scoring;

/// <summary>Why a submission could not be scored. Every reason is permanent: the same files give the same answer.</summary>
public enum ScoringErrorReason
{
    /// <summary>The truth or prediction path does not exist, or is neither a folder nor a <c>.zip</c>.</summary>
    SourceNotFound,

    /// <summary>The submission holds no masks, masks in more than one folder, or a volume whose name has no case id.</summary>
    InvalidLayout,

    /// <summary>Two files in one submission name the same case.</summary>
    DuplicateCase,

    /// <summary>A ground-truth case has no prediction.</summary>
    MissingCase,

    /// <summary>A prediction names a case that has no ground truth.</summary>
    ExtraCase,

    /// <summary>Prediction and truth grids have different voxel counts per axis.</summary>
    ShapeMismatch,

    /// <summary>Spacing, origin or direction differ by more than the tolerance (1e-3 mm).</summary>
    GeometryMismatch,

    /// <summary>A mask holds a label value outside 0..19.</summary>
    LabelOutOfRange,

    /// <summary>A floating-point mask holds a value that is not an integer.</summary>
    NonIntegerLabel,

    /// <summary>A mask file is not a readable volume (the message carries the imaging error).</summary>
    UnreadableMask,

    /// <summary>A zip entry would land outside the extraction folder (zip-slip: <c>..</c> or an absolute path).</summary>
    UnsafeArchivePath,

    /// <summary>A zip has more entries than the cap allows.</summary>
    ArchiveTooManyEntries,

    /// <summary>A zip inflates to more bytes than the cap allows.</summary>
    ArchiveTooLarge,

    /// <summary>A zip is damaged or not a zip.</summary>
    CorruptArchive,

    /// <summary>A metrics.json or leaderboard file is malformed, or a leaderboard request is invalid.</summary>
    InvalidDocument,
}
