using MRISpineSeg.Segmentation.Preview;

namespace MRISpineSeg.Segmentation;

/// <summary>How <see cref="Segmenter"/> checks models and scans.</summary>
public sealed class SegmenterOptions
{
    public static SegmenterOptions Default { get; } = new();

    /// <summary>
    /// When true (the default) the model's classes must be exactly the MRSpineSeg table (20 classes, docs/design.md §2), so that
    /// mask values mean what the challenge, the scorer and the stats say. Set false for a custom model: its own class
    /// names are then used for stats and the legend.
    /// </summary>
    public bool RequireSpineLabels { get; init; } = true;

    /// <summary>
    /// Keep only the largest 3-D connected component of each label (<see cref="Postprocessing.LargestComponentFilter"/>):
    /// true or false decides; null (the default) follows the model's manifest (<see cref="Model.ModelManifest.KeepLargestComponent"/>).
    /// </summary>
    public bool? KeepLargestComponent { get; init; }

    /// <summary>
    /// Rename vertebral bodies by their order along the spine (<see cref="Postprocessing.LevelOrdering"/>): true or
    /// false decides; null (the default) follows the model's manifest (<see cref="Model.ModelManifest.OrderLevels"/>).
    /// </summary>
    public bool? OrderLevels { get; init; }

    /// <summary>How previews are drawn (caption is set per scan from its name when not given).</summary>
    public PreviewOptions Preview { get; init; } = PreviewOptions.Default;
}
