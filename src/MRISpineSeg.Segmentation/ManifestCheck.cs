using MRISpineSeg.Imaging.Labels;
using MRISpineSeg.Segmentation.Model;

namespace MRISpineSeg.Segmentation;

/// <summary>
/// Whether a model's manifest describes something this pipeline can feed and read: a [1,1,X,Y,Z] z-fastest input,
/// a grid that keeps the manifest's own grid rule (<see cref="ModelManifest.GridMultiple"/>),
/// PaddleSeg's order-1 image / order-0 label resampling, a positive clip, 2–255 classes with one name each (labels
/// are bytes) and, unless waived, classes named by the MRSpineSeg label table: class i is label i, for all 20 or for the
/// first N (a model trained on part of the table, e.g. the vertebral bodies L5-T11 as 0-8).
/// </summary>
internal static class ManifestCheck
{
    /// <summary>The contract's tensor layout (<see cref="ModelManifest.Layout"/>).</summary>
    public const string ExpectedLayout = "NCDHW=[1,1,X,Y,Z]";

    /// <exception cref="SegmentationException">With <see cref="SegmentationErrorReason.ModelMismatch"/>, naming the field.</exception>
    public static void Validate(ModelManifest m, bool requireSpineLabels)
    {
        ArgumentNullException.ThrowIfNull(m);
        var id = $"model '{m.ModelId}'";
        if (m.InputGrid.X < 2 || m.InputGrid.Y < 2 || m.InputGrid.Z < 2)
            throw Mismatch($"{id}: manifest inputGrid {m.InputGrid} cannot take a 3-D scan; every extent must be at least 2 (PaddleSeg uses 512,512,12)");
        if (!string.Equals(m.Layout.Replace(" ", string.Empty, StringComparison.Ordinal), ExpectedLayout, StringComparison.OrdinalIgnoreCase))
            throw Mismatch($"{id}: manifest layout '{m.Layout}' is not supported; the pipeline feeds {ExpectedLayout} (row-major, z fastest)");
        if (m.ImageOrder != 1 || m.LabelOrder != 0)
            throw Mismatch($"{id}: manifest resampling orders image={m.ImageOrder}, label={m.LabelOrder} are not supported; the pipeline implements PaddleSeg's image=1, label=0");
        if (!(m.ClipMax > 0) || !double.IsFinite(m.ClipMax))
            throw Mismatch($"{id}: manifest clipMax {m.ClipMax} must be a positive finite intensity (PaddleSeg uses 2650)");
        if (GridRule.Problem(m.InputGrid, m.GridMultiple) is { } gridProblem)
            throw Mismatch($"{id}: manifest inputGrid {gridProblem}");
        if (m.NumClasses is < 2 or > ModelManifest.MaxClasses)
            throw Mismatch($"{id}: manifest numClasses {m.NumClasses} must be 2..{ModelManifest.MaxClasses} (masks are uint8)");
        if (m.ClassNames.Count != m.NumClasses)
            throw Mismatch($"{id}: manifest lists {m.ClassNames.Count} class names for numClasses {m.NumClasses}; give one name per class");
        if (!requireSpineLabels) return;
        if (m.NumClasses > SpineLabels.Names.Count)
            throw Mismatch($"{id}: has {m.NumClasses} classes but the MRSpineSeg table has {SpineLabels.Names.Count} (0 background, 1-10 vertebrae, 11-19 discs)");
        for (var i = 0; i < m.NumClasses; i++)
        {
            if (!string.Equals(m.ClassNames[i], SpineLabels.Names[i], StringComparison.OrdinalIgnoreCase))
                throw Mismatch($"{id}: class {i} is named '{m.ClassNames[i]}' but MRSpineSeg label {i} is '{SpineLabels.Names[i]}'; the model's classes must follow the MRSpineSeg table (all 20, or its first N: build with --class-names spine)");
        }
    }

    private static SegmentationException Mismatch(string message) => new(SegmentationErrorReason.ModelMismatch, message);
}
