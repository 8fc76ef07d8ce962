using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Preview;
using MRISpineSeg.Segmentation.Stats;

namespace MRISpineSeg.Segmentation;

/// <summary>
/// One segmented scan, as a value: the mask (uint8, the scan's exact grid and header, docs/design.md §3), its stats
/// (timed up to postprocessing) and the mid-sagittal slice the preview is drawn from. Nothing here changes once made;
/// <see cref="Outputs.ResultOutputs"/> turns it into bytes and <see cref="Outputs.ResultFiles"/> into files, each
/// returning stats that include the time they took.
/// </summary>
public sealed class SegmentationResult
{
    internal SegmentationResult(Volume mask, SegmentationStats stats, SagittalSlice slice, PreviewOptions previewOptions)
    {
        Mask = mask;
        Stats = stats;
        Slice = slice;
        PreviewOptions = previewOptions;
    }

    /// <summary>The mask: label values per <see cref="SpineClasses"/> (or the model's classes), x fastest.</summary>
    public Volume Mask { get; }

    /// <summary>What the segmentation found and how long each stage took (read to postprocess).</summary>
    public SegmentationStats Stats { get; }

    public StageTimings Timings => Stats.Timings;

    /// <summary>The mid-sagittal slice of the scan and of the mask, in the preview frame (PSR).</summary>
    public SagittalSlice Slice { get; }

    /// <summary>How the preview is drawn unless a caller says otherwise (the caption is the scan's name).</summary>
    public PreviewOptions PreviewOptions { get; }
}
