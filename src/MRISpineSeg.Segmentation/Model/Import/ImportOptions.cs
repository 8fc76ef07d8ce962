using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Model.Import;

/// <summary>What <see cref="ModelImporter"/> writes into an imported model's manifest: none of it is in the ONNX file.</summary>
public sealed class ImportOptions
{
    /// <summary>The grid the model runs at (x, y, z): the input's fixed extents, or the value for its dynamic ones.</summary>
    public required Shape3 Grid { get; init; }

    /// <summary>
    /// Class names by label value, as many as the logits have channels; null for the MRSpineSeg table's first C names
    /// (class i is MRSpineSeg label i, C taken from the logits).
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Manifest model id; default <c>external-{file name without .onnx}</c>.</summary>
    public string? ModelId { get; init; }

    /// <summary>Axis codes of the grid the model was trained on (PaddleSeg's MRSpineSeg models: PSR).</summary>
    public string Orientation { get; init; } = ModelManifest.DefaultOrientation;

    /// <summary>Intensity clip divisor for preprocessing (PaddleSeg: 2650).</summary>
    public double ClipMax { get; init; } = 2650;
}
